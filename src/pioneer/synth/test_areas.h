// Test support (header-only, used by synth/*_test.cc): generates a synthetic area once per
// (population, seed) per test binary into a temporary folder, removed at exit.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "pioneer/synth/generator.h"

namespace pioneer::synth::testing {

// Removes the generated folders when the test binary exits.
class TempAreas {
 public:
  ~TempAreas() {
    for (const auto& [key, dir] : dirs_) {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  }
  // The folder of a generated area (generating it on first use). Fails the test on error.
  const std::string& Get(int64_t population, uint64_t seed, int threads = 0) {
    std::lock_guard lock(mu_);
    const auto key = std::make_tuple(population, seed, threads);
    auto it = dirs_.find(key);
    if (it != dirs_.end()) return it->second;
    const std::string dir =
        (std::filesystem::temp_directory_path() /
         fmt::format("pioneer_synth_test_{}_{}_{}_{}", getpid(), population, seed, threads))
            .string();
    SynthOptions options;
    options.population = population;
    options.seed = seed;
    options.threads = threads;
    options.out_dir = dir;
    auto summary = GenerateArea(options);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    return dirs_.emplace(key, dir).first->second;
  }

 private:
  std::mutex mu_;
  std::map<std::tuple<int64_t, uint64_t, int>, std::string> dirs_;
};

inline TempAreas& Areas() {
  static TempAreas areas;
  return areas;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace pioneer::synth::testing
