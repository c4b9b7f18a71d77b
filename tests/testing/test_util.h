// Shared helpers for the integration suites: temporary folders, files, running the real
// `pioneer` binary, and valid test-range NHS Numbers.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "pioneer/model/nhs_number.h"

namespace pioneer::testing {

// A fresh directory under the system temp dir, removed when the object goes away.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("pioneer-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline void WriteFile(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The `pioneer` executable under test (ctest sets PIONEER_BINARY).
inline std::string PioneerBinary() {
  const char* p = std::getenv("PIONEER_BINARY");
  return p ? p : PIONEER_BINARY_DEFAULT;
}

// The repository root (env PIONEER_SOURCE_DIR overrides the build-time default).
inline std::string SourceDir() {
  const char* p = std::getenv("PIONEER_SOURCE_DIR");
  return p ? p : PIONEER_SOURCE_DIR_DEFAULT;
}

// The public benchmark data beside the checkout (<repo>/../shared/data/<relative>). A user's
// clone has none: tests that need it call PIONEER_SKIP_WITHOUT_SHARED_DATA first.
inline std::string SharedData(const std::string& relative) {
  return SourceDir() + "/../shared/data/" + relative;
}
inline bool HasSharedData(const std::string& relative) {
  return std::filesystem::exists(SharedData(relative));
}
#define PIONEER_SKIP_WITHOUT_SHARED_DATA(relative)                                         \
  do {                                                                                     \
    if (!::pioneer::testing::HasSharedData(relative))                                      \
      GTEST_SKIP() << "public benchmark data " << ::pioneer::testing::SharedData(relative) \
                   << " is absent (it sits beside the checkout in CI, not in a clone)";    \
  } while (0)

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs a shell command; `out` holds its stdout, exit_code its exit status (-1 if it did not
// exit normally or could not start).
inline CommandResult RunShell(const std::string& cmd) {
  CommandResult r;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) r.out.append(buf, n);
  const int status = pclose(f);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Runs `pioneer <args>` through the shell; captures stdout and stderr.
inline CommandResult RunPioneer(const std::string& args, const TempDir& scratch) {
  std::string err_path = scratch / "stderr.txt";
  CommandResult r = RunShell(PioneerBinary() + " " + args + " 2>" + err_path);
  r.err = ReadFile(err_path);
  return r;
}

// As RunPioneer, with `input` (one line, no quotes or backslashes) on standard input: for
// options that read a password there (--password-stdin).
inline CommandResult RunPioneerWithInput(const std::string& args, const std::string& input,
                                         const TempDir& scratch) {
  std::string err_path = scratch / "stderr.txt";
  CommandResult r = RunShell("printf '%s\\n' '" + input + "' | " + PioneerBinary() + " " + args +
                             " 2>" + err_path);
  r.err = ReadFile(err_path);
  return r;
}

// The npm packages of web/ (installed by scripts/install-deps.sh); page checks need
// playwright-core from there and skip, saying so, without it.
inline std::string WebModules() { return SourceDir() + "/web/node_modules"; }
inline bool HasPageChecker() { return std::filesystem::exists(WebModules() + "/playwright-core"); }

// Opens a self-contained HTML page in headless Chromium with tests/report/dashboard_check.js
// (no console errors, every canvas drawn); the screenshot goes to ./artefacts/<png>. The
// exit code is the checker's; `out` holds its JSON summary (and stderr).
inline CommandResult CheckPageInChromium(const std::string& html, const std::string& png) {
  const std::filesystem::path art = std::filesystem::current_path() / "artefacts";
  std::filesystem::create_directories(art);
  const std::string cmd = "NODE_PATH=" + WebModules() + " node " + SourceDir() +
                          "/tests/report/dashboard_check.js " + html + " " + (art / png).string() +
                          " 2>&1";
  return RunShell(cmd);
}

// The n-th valid NHS Number in the 999 test range (never issued to a real person).
// REQUIRES: 0 <= n < 100000. Distinct n give distinct numbers.
inline std::string TestNhsNumber(int n) {
  for (int j = 0; j < 10; ++j) {
    char nine[16];
    std::snprintf(nine, sizeof nine, "999%06d", n * 10 + j);
    int check = NhsNumber::CheckDigitFor(nine);
    if (check >= 0) return std::string(nine) + static_cast<char>('0' + check);
  }
  return "";  // unreachable: one in ten candidates at most has check digit 10
}

}  // namespace pioneer::testing
