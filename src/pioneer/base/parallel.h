// ParallelFor and the one thread policy: how many worker threads Pioneer uses, and how it
// hands independent numbered tasks to them.
//
// Policy (DefaultThreads): the PIONEER_THREADS environment variable when it holds a whole
// number from 1 to 256, else the hardware's threads, capped at kMaxDefaultThreads (memory
// grows with each worker's buffers; more rarely pays on a shared machine). A command's own
// `--threads` option, where it has one, overrides both. Every multi-threaded stage (ingest's
// batch pipeline excepted: one reader, one writer) takes its count from here.
//
// ParallelFor: tasks are handed out in index order from an atomic counter; results must be
// written to per-task slots by the caller, so output never depends on thread timing
// (determinism). Without `tick` the calling thread works too (threads counts it); with `tick`
// it only waits, calling tick about every 100 ms (progress bars are drawn from one thread).
// threads <= 1 runs everything on the calling thread, ticking between tasks.
// Thread safety: fn is called concurrently from several threads for different indices.
#pragma once

#include <cstddef>
#include <functional>

namespace pioneer {

inline constexpr int kMaxDefaultThreads = 8;

// Worker threads to use when the command is not told (see above); at least 1.
int DefaultThreads();

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn,
                 const std::function<void()>& tick = nullptr);

}  // namespace pioneer
