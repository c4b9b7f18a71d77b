// Progress reporting for long operations (ingest): an interface and a terminal bar.
//
// Callers report the bytes and rows done so far; a TerminalProgressBar turns that into one
// self-overwriting stderr line: a bar, percent of bytes, MB/s, rows/s and a label (a file
// name, never record contents). MakeStderrProgress returns a bar only when stderr is a
// terminal, so logs and pipes stay quiet.
// Thread safety: a Progress object is used from one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

namespace pioneer {

class Progress {
 public:
  virtual ~Progress() = default;
  // Starts a run of `total_bytes` (0 if unknown).
  virtual void Start(int64_t total_bytes) = 0;
  // Cumulative bytes and rows done, and what is being worked on. Cheap to call often.
  virtual void Update(int64_t bytes_done, int64_t rows_done, std::string_view label) = 0;
  // Ends the run and clears the line.
  virtual void Finish() = 0;
};

// Draws to `out` (normally stderr), at most every `min_interval`.
class TerminalProgressBar : public Progress {
 public:
  explicit TerminalProgressBar(
      std::FILE* out, std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));
  void Start(int64_t total_bytes) override;
  void Update(int64_t bytes_done, int64_t rows_done, std::string_view label) override;
  void Finish() override;

  // The line Update would draw (without the leading carriage return), for tests.
  static std::string Render(int64_t bytes_done, int64_t total_bytes, int64_t rows_done,
                            double seconds, std::string_view label, int width = 30);

 private:
  std::FILE* out_;
  std::chrono::milliseconds min_interval_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int64_t total_bytes_ = 0;
  bool drawn_ = false;
};

// A TerminalProgressBar on stderr if stderr is a terminal (isatty), else nullptr.
std::unique_ptr<Progress> MakeStderrProgress();

// A bar for work counted in items rather than bytes (`pioneer match`, `pioneer link`): Start
// takes the total item count (0 = unknown: only the label is shown), Update's first argument
// is the items done; the line shows the bar, percent, "<rate> <unit>/s" and the label.
class CountProgressBar : public Progress {
 public:
  CountProgressBar(std::FILE* out, std::string unit,
                   std::chrono::milliseconds min_interval = std::chrono::milliseconds(100));
  ~CountProgressBar() override;
  void Start(int64_t total_items) override;
  void Update(int64_t items_done, int64_t unused, std::string_view label) override;
  void Finish() override;

 private:
  std::FILE* out_;
  std::string unit_;
  std::chrono::milliseconds min_interval_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  int64_t total_ = 0;
  bool drawn_ = false;
};

// A CountProgressBar on stderr counting `unit` if stderr is a terminal, else nullptr.
std::unique_ptr<Progress> MakeStderrCountProgress(std::string unit);

}  // namespace pioneer
