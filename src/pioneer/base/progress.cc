#include "pioneer/base/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

namespace pioneer {

TerminalProgressBar::TerminalProgressBar(std::FILE* out, std::chrono::milliseconds min_interval)
    : out_(out), min_interval_(min_interval) {}

void TerminalProgressBar::Start(int64_t total_bytes) {
  total_bytes_ = total_bytes;
  start_ = std::chrono::steady_clock::now();
  last_draw_ = start_ - min_interval_;
  drawn_ = false;
}

std::string TerminalProgressBar::Render(int64_t bytes_done, int64_t total_bytes, int64_t rows_done,
                                        double seconds, std::string_view label, int width) {
  double frac =
      total_bytes > 0
          ? std::clamp(static_cast<double>(bytes_done) / static_cast<double>(total_bytes), 0.0, 1.0)
          : 0.0;
  int filled = static_cast<int>(frac * width);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(width - filled), '.');
  double mb = static_cast<double>(bytes_done) / 1e6;
  double secs = std::max(seconds, 1e-3);
  return fmt::format("[{}] {:3.0f}%  {:.1f} MB  {:.1f} MB/s  {:.0f} rows/s  {}", bar, frac * 100,
                     mb, mb / secs, static_cast<double>(rows_done) / secs, label);
}

void TerminalProgressBar::Update(int64_t bytes_done, int64_t rows_done, std::string_view label) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < min_interval_) return;
  last_draw_ = now;
  double secs = std::chrono::duration<double>(now - start_).count();
  std::string line = Render(bytes_done, total_bytes_, rows_done, secs, label);
  // \r returns to the line start; \x1b[K erases what a longer previous line left behind.
  std::fprintf(out_, "\r%s\x1b[K", line.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void TerminalProgressBar::Finish() {
  if (drawn_) {
    std::fprintf(out_, "\r\x1b[K");
    std::fflush(out_);
  }
  drawn_ = false;
}

std::unique_ptr<Progress> MakeStderrProgress() {
  if (isatty(STDERR_FILENO) == 0) return nullptr;
  return std::make_unique<TerminalProgressBar>(stderr);
}

CountProgressBar::CountProgressBar(std::FILE* out, std::string unit,
                                   std::chrono::milliseconds min_interval)
    : out_(out), unit_(std::move(unit)), min_interval_(min_interval) {}

CountProgressBar::~CountProgressBar() { Finish(); }

void CountProgressBar::Start(int64_t total_items) {
  total_ = total_items;
  start_ = std::chrono::steady_clock::now();
}

void CountProgressBar::Update(int64_t items_done, int64_t, std::string_view label) {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < min_interval_) return;
  last_draw_ = now;
  std::string text;
  if (total_ > 0 && items_done > 0) {
    const double frac =
        std::min(1.0, static_cast<double>(items_done) / static_cast<double>(total_));
    const int filled = static_cast<int>(frac * 30);
    const double secs = std::max(1e-3, std::chrono::duration<double>(now - start_).count());
    text = fmt::format("[{}{}] {:3.0f}%  {:.0f} {}/s  {}", std::string(filled, '#'),
                       std::string(30 - filled, '.'), frac * 100,
                       static_cast<double>(items_done) / secs, unit_, label);
  } else {
    text = std::string(label);
  }
  std::fprintf(out_, "\r%s\x1b[K", text.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void CountProgressBar::Finish() {
  total_ = 0;
  if (drawn_) std::fprintf(out_, "\r\x1b[K");
  drawn_ = false;
}

std::unique_ptr<Progress> MakeStderrCountProgress(std::string unit) {
  if (!isatty(fileno(stderr))) return nullptr;
  return std::make_unique<CountProgressBar>(stderr, std::move(unit));
}

}  // namespace pioneer
