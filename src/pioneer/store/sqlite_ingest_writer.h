// SqliteIngestWriter: IngestWriter over one SQLite transaction (BEGIN IMMEDIATE ... COMMIT).
//
// Rows are inserted with one prepared statement per extract table. While the run is open the
// page cache is set to IngestWriteOptions::cache_mb; pages that do not fit spill into the
// WAL as uncommitted frames, which SQLite ignores after a crash. Commit builds the
// secondary indexes (after the bulk load, so inserts do not maintain them), commits, and
// checkpoints the WAL back into the database file.
// Thread safety: as IngestWriter.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <vector>

#include "pioneer/store/ingest_writer.h"
#include "pioneer/store/sqlite_util.h"

namespace pioneer::store {

class SqliteIngestWriter final : public IngestWriter {
 public:
  // `extract_writes`, when not null, is the connection's count of open ingest writers that
  // its authorizer reads (sqlite_store.h): the writer adds one while it lives, so that its
  // INSERTs into extract tables are allowed. It must outlive the writer.
  static StatusOr<std::unique_ptr<SqliteIngestWriter>> Begin(sqlite3* db, const IngestRunInfo& info,
                                                             const IngestWriteOptions& options,
                                                             int* extract_writes = nullptr);
  ~SqliteIngestWriter() override;

  int64_t run_id() const override { return run_id_; }
  StatusOr<std::optional<int64_t>> FindRunWithChecksum(std::string_view sha256) override;
  Status AppendRow(const formats::ExtractSpec& spec, int64_t line,
                   std::span<const Cell> cells) override;
  Status AddQuarantine(const QuarantineRecord& q) override;
  Status RecordFile(const IngestFileRecord& f) override;
  Status Commit(const IngestRunTotals& totals) override;

 private:
  struct TableInserter {
    const formats::ExtractSpec* spec;
    size_t width;  // data columns
    StmtPtr stmt;
  };

  SqliteIngestWriter(sqlite3* db, int* extract_writes) : db_(db), extract_writes_(extract_writes) {
    if (extract_writes_) ++*extract_writes_;
  }
  StatusOr<TableInserter*> InserterFor(const formats::ExtractSpec& spec);
  void Rollback();

  sqlite3* db_;
  int* extract_writes_;
  bool open_ = false;  // transaction in progress
  int64_t run_id_ = 0;
  std::vector<std::unique_ptr<TableInserter>> inserters_;
  TableInserter* last_ = nullptr;
  StmtPtr quarantine_stmt_;
  StmtPtr file_stmt_;
};

}  // namespace pioneer::store
