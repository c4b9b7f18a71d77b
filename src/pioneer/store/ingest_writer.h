// IngestWriter: the write side of a Store, used only by ingest (ARCHITECTURE.md).
//
// One IngestWriter is one ingest run and one transaction: Store::BeginIngestRun takes the
// store's write lock and starts it; rows, quarantine entries and file records go into it;
// Commit makes all of it visible at once. Destroying the writer without a successful Commit
// rolls everything back, and a process killed at any point leaves the store as it was
// before the run. Readers never see a partial run.
//
// The interface is backend-neutral (values, not SQL), so a PostgreSQL backend can implement
// it with COPY and one transaction without changing ingest.
// Thread safety: one thread at a time; the Store it came from must outlive it and must not
// be used for anything else while the writer is open.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"

namespace pioneer::store {

// One value of an extract row. Text points at memory the caller keeps alive until the
// AppendRow call returns.
struct Cell {
  enum class Kind : uint8_t { kNull, kText, kInt, kReal };
  Kind kind = Kind::kNull;
  std::string_view text;
  int64_t i = 0;
  double r = 0;

  static Cell Null() { return {}; }
  static Cell Text(std::string_view s) { return {Kind::kText, s, 0, 0}; }
  static Cell Int(int64_t v) { return {Kind::kInt, {}, v, 0}; }
  static Cell Real(double v) { return {Kind::kReal, {}, 0, v}; }
};

// Times are UTC ISO 8601 text, "2015-04-01T09:30:00Z".
struct IngestRunInfo {
  std::string started_at;
  std::string source_dir;
  std::string pioneer_version;
};

struct IngestRunTotals {
  std::string finished_at;
  int64_t files_ingested = 0;
  int64_t files_skipped = 0;  // already ingested (same checksum)
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t rows_quarantined = 0;
};

// One ingested file and its reconciliation (rows_read = rows_accepted + rows_quarantined).
struct IngestFileRecord {
  std::string file_name;
  std::string table;
  int64_t size_bytes = 0;
  std::string sha256;  // 64 lower-case hex digits
  int64_t rows_read = 0;
  int64_t rows_accepted = 0;
  int64_t rows_quarantined = 0;
  std::string started_at;
  std::string finished_at;
};

// One rejected row: its first problem (field, raw value, reason code), a description of all
// its problems, and the whole record re-encoded as a CSV line.
struct QuarantineRecord {
  std::string file_name;
  int64_t line_no = 0;
  std::string field;  // empty when the problem is the row as a whole (column_count)
  std::string raw_value;
  std::string reason_code;
  std::string detail;
  int64_t problem_count = 1;
  std::string raw_record;
};

struct IngestWriteOptions {
  int cache_mb = 32;  // page cache for the run; dirty pages beyond it spill to the WAL early
};

class IngestWriter {
 public:
  virtual ~IngestWriter() = default;

  virtual int64_t run_id() const = 0;
  // The run that already holds a file with this SHA-256, if any.
  virtual StatusOr<std::optional<int64_t>> FindRunWithChecksum(std::string_view sha256) = 0;
  // Appends one accepted row to spec.table. `cells` follow ExtractDataColumns(spec).
  virtual Status AppendRow(const formats::ExtractSpec& spec, int64_t line,
                           std::span<const Cell> cells) = 0;
  virtual Status AddQuarantine(const QuarantineRecord& q) = 0;
  virtual Status RecordFile(const IngestFileRecord& f) = 0;
  // Builds the secondary indexes, records the totals and commits. Call at most once; on
  // failure everything is rolled back.
  virtual Status Commit(const IngestRunTotals& totals) = 0;
};

}  // namespace pioneer::store
