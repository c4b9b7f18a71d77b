#include "pioneer/ingest/ingest_report.h"

#include <fmt/format.h>

namespace pioneer::ingest {
namespace {

template <typename F>
int64_t Sum(const IngestReport& r, F f) {
  int64_t n = 0;
  for (const FileReport& fr : r.files) n += f(fr);
  return n;
}

// 1234567 -> "1,234,567".
std::string Grouped(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return n < 0 ? "-" + out : out;
}

}  // namespace

int64_t IngestReport::files_ingested() const {
  return Sum(*this, [](const FileReport& f) { return f.outcome == FileOutcome::kIngested; });
}
int64_t IngestReport::files_skipped() const {
  return Sum(*this, [](const FileReport& f) { return f.outcome == FileOutcome::kAlreadyIngested; });
}
int64_t IngestReport::rows_read() const {
  return Sum(*this, [](const FileReport& f) { return f.rows_read; });
}
int64_t IngestReport::rows_accepted() const {
  return Sum(*this, [](const FileReport& f) { return f.rows_accepted; });
}
int64_t IngestReport::rows_quarantined() const {
  return Sum(*this, [](const FileReport& f) { return f.rows_quarantined; });
}

std::string FormatReconciliation(const IngestReport& r) {
  std::string out;
  if (r.run_id > 0) {
    out += fmt::format("Ingest run {} from {}\n", r.run_id, r.source_dir);
  } else {
    out += fmt::format("Nothing new to ingest from {}: the store is unchanged\n", r.source_dir);
  }
  constexpr auto kRow = "{:<26} {:>9} {:>12} {:>12} {:>12}  {}\n";
  out += fmt::format(kRow, "file", "MB", "rows read", "accepted", "quarantined", "check");
  for (const FileReport& f : r.files) {
    std::string mb = fmt::format("{:.1f}", static_cast<double>(f.size_bytes) / 1e6);
    if (f.outcome == FileOutcome::kAlreadyIngested) {
      std::string where = f.previous_run_id > 0
                              ? fmt::format("already ingested in run {}", f.previous_run_id)
                              : std::string("same content as another file in this run");
      out += fmt::format(kRow, f.file_name, mb, "-", "-", "-", where + ": skipped");
      continue;
    }
    std::string check = f.Reconciles() ? "ok" : "MISMATCH";
    if (!f.quarantined_by_reason.empty()) {
      check += " (";
      bool first = true;
      for (const auto& [reason, n] : f.quarantined_by_reason) {
        check += fmt::format("{}{} {}", first ? "" : ", ", reason, Grouped(n));
        first = false;
      }
      check += ")";
    }
    out += fmt::format(kRow, f.file_name, mb, Grouped(f.rows_read), Grouped(f.rows_accepted),
                       Grouped(f.rows_quarantined), check);
  }
  bool all_ok = true;
  for (const FileReport& f : r.files) all_ok = all_ok && f.Reconciles();
  out +=
      fmt::format(kRow, "total", fmt::format("{:.1f}", static_cast<double>(r.bytes_ingested) / 1e6),
                  Grouped(r.rows_read()), Grouped(r.rows_accepted()), Grouped(r.rows_quarantined()),
                  all_ok ? "ok" : "MISMATCH");
  if (r.run_id > 0 && r.seconds > 0) {
    out += fmt::format(
        "{} file(s) ingested, {} skipped in {:.2f} s ({:.1f} MB/s, {} rows/s; pre-check {:.2f} s, "
        "load {:.2f} s, indexes and commit {:.2f} s)\n",
        r.files_ingested(), r.files_skipped(), r.seconds,
        static_cast<double>(r.bytes_ingested) / 1e6 / r.seconds,
        Grouped(static_cast<int64_t>(static_cast<double>(r.rows_read()) / r.seconds)),
        r.seconds_precheck, r.seconds_load, r.seconds_commit);
  }
  for (const std::string& u : r.unknown_files) {
    out += fmt::format("skipped (not a known extract): {}\n", u);
  }
  for (const std::string& i : r.ignored) out += fmt::format("ignored: {}\n", i);
  return out;
}

}  // namespace pioneer::ingest
