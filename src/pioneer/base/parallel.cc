#include "pioneer/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace pioneer {

int DefaultThreads() {
  if (const char* env = std::getenv("PIONEER_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(env, &end, 10);
    if (end != env && *end == '\0' && n >= 1 && n <= 256) return static_cast<int>(n);
  }
  const unsigned hw = std::thread::hardware_concurrency();
  return static_cast<int>(std::clamp<unsigned>(hw, 1, kMaxDefaultThreads));
}

void ParallelFor(size_t n, int threads, const std::function<void(size_t)>& fn,
                 const std::function<void()>& tick) {
  if (n == 0) return;
  if (threads <= 1 || n == 1) {
    for (size_t i = 0; i < n; ++i) {
      fn(i);
      if (tick) tick();
    }
    return;
  }
  std::atomic<size_t> next{0};
  if (!tick) {  // the calling thread is one of the workers
    auto work = [&] {
      for (size_t i = next.fetch_add(1); i < n; i = next.fetch_add(1)) fn(i);
    };
    std::vector<std::thread> helpers;
    const size_t count = std::min<size_t>(static_cast<size_t>(threads), n);
    helpers.reserve(count - 1);
    for (size_t w = 1; w < count; ++w) helpers.emplace_back(work);
    work();
    for (auto& t : helpers) t.join();
    return;
  }
  std::mutex mu;
  std::condition_variable cv;
  const size_t worker_count = std::min<size_t>(static_cast<size_t>(threads), n);
  size_t running = worker_count;  // guarded by mu
  std::vector<std::thread> workers;
  workers.reserve(worker_count);
  for (size_t w = 0; w < worker_count; ++w) {
    workers.emplace_back([&] {
      for (;;) {
        const size_t i = next.fetch_add(1);
        if (i >= n) break;
        fn(i);
      }
      std::lock_guard<std::mutex> lock(mu);
      --running;
      cv.notify_all();
    });
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    while (running > 0) {
      cv.wait_for(lock, std::chrono::milliseconds(100));
      if (tick && running > 0) {
        lock.unlock();
        tick();
        lock.lock();
      }
    }
  }
  for (auto& t : workers) t.join();
}

}  // namespace pioneer
