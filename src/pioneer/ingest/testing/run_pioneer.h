// Test support (header-only): runs the real `pioneer` binary (env PIONEER_BINARY) as a child
// process, for the integration tests in tests/integration/ingest_*_test.cc.
// Thread safety: not for concurrent use (temporary output files per call are unique).
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern char** environ;

namespace pioneer::ingest::testing {

struct RunResult {
  int exit_code = -1;  // -1: did not exit normally
  std::string out;
  std::string err;
};

inline std::string PioneerBinary() {
  const char* b = std::getenv("PIONEER_BINARY");
  return b ? b : "pioneer";
}

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Starts `pioneer args...` with stdout/stderr going to the given files; returns its pid
// (or -1).
inline pid_t SpawnPioneer(const std::vector<std::string>& args, const std::string& out_path,
                          const std::string& err_path) {
  std::vector<std::string> argv_s = {PioneerBinary()};
  argv_s.insert(argv_s.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : argv_s) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, argv[0], &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  return rc == 0 ? pid : -1;
}

inline int WaitExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Runs `pioneer args...` to completion and captures its output.
inline RunResult RunPioneer(const std::vector<std::string>& args) {
  static std::atomic<int> counter{0};
  auto base = std::filesystem::temp_directory_path() /
              ("pioneer_run_" + std::to_string(getpid()) + "_" + std::to_string(counter++));
  std::string out = base.string() + ".out", err = base.string() + ".err";
  RunResult r;
  pid_t pid = SpawnPioneer(args, out, err);
  if (pid > 0) r.exit_code = WaitExit(pid);
  r.out = Slurp(out);
  r.err = Slurp(err);
  std::filesystem::remove(out);
  std::filesystem::remove(err);
  return r;
}

}  // namespace pioneer::ingest::testing
