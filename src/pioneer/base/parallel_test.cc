#include "pioneer/base/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace pioneer {
namespace {

// Runs every index exactly once, on the number of threads asked, with and without a tick.
TEST(ParallelForTest, RunsEveryTaskOnceOnTheThreadsAsked) {
  for (int threads : {1, 2, 3}) {
    for (bool with_tick : {false, true}) {
      std::vector<std::atomic<int>> runs(1000);
      std::mutex mu;
      std::set<std::thread::id> seen;
      std::atomic<int> ticks{0};
      std::function<void()> tick;
      if (with_tick) tick = [&] { ++ticks; };
      ParallelFor(
          runs.size(), threads,
          [&](size_t i) {
            ++runs[i];
            std::lock_guard<std::mutex> lock(mu);
            seen.insert(std::this_thread::get_id());
          },
          tick);
      for (size_t i = 0; i < runs.size(); ++i) ASSERT_EQ(runs[i].load(), 1) << i;
      EXPECT_LE(seen.size(), static_cast<size_t>(threads));
      // With a tick the caller only waits; serially it ticks after every task.
      if (with_tick) {
        EXPECT_EQ(seen.count(std::this_thread::get_id()), threads <= 1 ? 1u : 0u);
      }
      if (with_tick && threads <= 1) {
        EXPECT_EQ(ticks.load(), 1000);
      }
    }
  }
}

TEST(ParallelForTest, NothingToDoRunsNothing) {
  int calls = 0;
  ParallelFor(0, 4, [&](size_t) { ++calls; });
  EXPECT_EQ(calls, 0);
}

TEST(DefaultThreadsTest, ThePioneerThreadsVariableWinsWhenItIsAValidCount) {
  const char* saved = std::getenv("PIONEER_THREADS");
  const std::string keep = saved ? saved : "";
  ::setenv("PIONEER_THREADS", "3", 1);
  EXPECT_EQ(DefaultThreads(), 3);
  ::unsetenv("PIONEER_THREADS");
  const int hardware = DefaultThreads();
  EXPECT_GE(hardware, 1);
  EXPECT_LE(hardware, kMaxDefaultThreads);
  for (const char* bad : {"0", "-2", "two", "4x", "", "257"}) {
    ::setenv("PIONEER_THREADS", bad, 1);
    EXPECT_EQ(DefaultThreads(), hardware) << "'" << bad << "'";
  }
  if (saved) {
    ::setenv("PIONEER_THREADS", keep.c_str(), 1);
  } else {
    ::unsetenv("PIONEER_THREADS");
  }
}

}  // namespace
}  // namespace pioneer
