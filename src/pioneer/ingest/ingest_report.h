// IngestReport: what one `pioneer ingest` run did, file by file, and the reconciliation
// table printed at its end (rows read = rows accepted + rows quarantined, per file).
// Thread safety: values; FormatReconciliation is pure.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pioneer::ingest {

enum class FileOutcome {
  kIngested,         // parsed and stored in this run
  kAlreadyIngested,  // same SHA-256 as a file stored earlier: skipped
};

struct FileReport {
  std::string file_name;
  std::string table;
  int64_t size_bytes = 0;
  std::string sha256;
  FileOutcome outcome = FileOutcome::kIngested;
  int64_t previous_run_id = 0;  // kAlreadyIngested: the run that holds it (0: this run)
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t rows_quarantined = 0;
  std::map<std::string, int64_t> quarantined_by_reason;  // reason code -> rows
  double seconds = 0;

  bool Reconciles() const { return rows_read == rows_accepted + rows_quarantined; }
};

struct IngestReport {
  int64_t run_id = 0;  // 0 when nothing new was stored (every file already ingested)
  std::string source_dir;
  std::string started_at;
  std::string finished_at;
  std::vector<FileReport> files;           // known extracts, in formats::AllExtracts order
  std::vector<std::string> unknown_files;  // listed and skipped
  std::vector<std::string> ignored;        // e.g. the truth/ folder, with the reason
  double seconds = 0;                      // whole run
  double seconds_precheck = 0;             // headers and checksums
  double seconds_load = 0;                 // parse, validate, insert
  double seconds_commit = 0;               // indexes, commit, WAL checkpoint
  int64_t bytes_ingested = 0;

  int64_t files_ingested() const;
  int64_t files_skipped() const;
  int64_t rows_read() const;
  int64_t rows_accepted() const;
  int64_t rows_quarantined() const;
};

// The table printed at the end of a run: one line per file (rows read, accepted,
// quarantined, whether they reconcile, quarantine reasons, or "already ingested in run N"),
// a total line, then the skipped and ignored entries of the folder. Contains no record
// contents.
std::string FormatReconciliation(const IngestReport& report);

}  // namespace pioneer::ingest
