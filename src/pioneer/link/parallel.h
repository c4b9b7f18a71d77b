// ParallelFor: runs independent numbered tasks on a few worker threads.
//
// Tasks are handed out in index order from an atomic counter; results must be written to
// per-task slots by the caller, so output never depends on thread timing (determinism).
// The calling thread only waits, calling `tick` about every 100 ms (for progress bars,
// which must be drawn from one thread). threads <= 1 runs everything on the calling
// thread, ticking between tasks.
// Thread safety: fn is called concurrently from several threads for different indices.
#pragma once

#include <cstddef>
#include <functional>

namespace pioneer::link {

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn,
                 const std::function<void()>& tick = nullptr);

// Worker threads to use by default: min(2, hardware threads), at least 1.
int DefaultThreads();

}  // namespace pioneer::link
