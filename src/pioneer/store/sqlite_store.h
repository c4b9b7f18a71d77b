// SqliteStore: the embedded Store backend (one SQLite file in WAL mode).
//
// Connection settings: WAL journal, synchronous=NORMAL (a committed run survives a process
// crash; a power cut may lose the last commit but never leaves a partial one), a 64 MB page
// cache for readers, temp tables in memory, busy timeout 10 s. Prepared statements are kept
// per connection and reused when the same SQL text comes again (Query's cache holds up to
// kMaxCachedQueries; a statement is reset, so it holds no read transaction, as soon as its
// query returns). The connection is opened in
// SQLite's multi-thread mode: the Store is used from one thread at a time (store.h).
//
// Extract tables are written by the ingest writer only: an authorizer (sqlite3_set_authorizer)
// on the connection refuses to prepare an INSERT, UPDATE, DELETE, DROP TABLE or ALTER TABLE of
// an extract table (formats::AllExtracts()) unless this Store's ingest writer is open; the
// refusal is kFailedPrecondition naming the table. Migrations run before it is installed.
// A read-only store (OpenReadOnly) is opened with SQLITE_OPEN_READONLY and query_only.
// Thread safety: as Store.
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "pioneer/store/sqlite_util.h"
#include "pioneer/store/store.h"

namespace pioneer::store {

class SqliteStore final : public Store {
 public:
  // See Store::OpenSqlite and Store::OpenExistingSqlite (must_exist).
  static StatusOr<std::unique_ptr<SqliteStore>> Open(const std::string& path,
                                                     bool must_exist = false);
  // See Store::OpenReadOnlySqlite.
  static StatusOr<std::unique_ptr<SqliteStore>> OpenReadOnly(const std::string& path);
  ~SqliteStore() override;

  const SqlDialect& dialect() const override { return SqlDialect::Sqlite(); }

  Status Scan(std::string_view table, std::span<const std::string> columns,
              const RowCallback& fn) override;
  Status Query(std::string_view sql, std::span<const Param> params, const RowCallback& fn) override;
  StatusOr<int64_t> CountRows(std::string_view table) override;
  bool HasTable(std::string_view table) override;
  StatusOr<std::unique_ptr<IngestWriter>> BeginIngestRun(
      const IngestRunInfo& info, const IngestWriteOptions& options) override;
  StatusOr<int64_t> Execute(std::string_view sql, std::span<const Param> params) override;
  Status InTransaction(const std::function<Status()>& fn) override;
  int64_t LastInsertId() override { return sqlite3_last_insert_rowid(db_); }
  // The audit file's Store is a SqliteStore too (its OpenAuditFile is not meaningful).
  StatusOr<std::unique_ptr<Store>> OpenAuditFile() override;
  Status SetMemoryMap(int64_t bytes) override;
  Status SetManualCheckpoints() override;
  StatusOr<int64_t> Checkpoint() override;

  // The authorizer's state: the extract tables, how many ingest writers are open, and the
  // table of the last refusal (for the error message).
  struct WriteGuard {
    std::unordered_set<std::string> extract_tables;
    int ingest_open = 0;
    std::string refused;
    // False (and `refused` set) for a write to an extract table while no writer is open.
    bool Allows(const char* table) {
      if (ingest_open > 0 || table == nullptr || !extract_tables.contains(table)) return true;
      refused = table;
      return false;
    }
  };

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  Status RunSelect(sqlite3_stmt* stmt, const RowCallback& fn);
  void GuardExtractTables();
  Status CheckWritable() const;

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, StmtPtr> write_statements_;  // Execute's cache
  // Query's cache. `busy` marks a statement whose rows are being read, so that a callback
  // running the same SQL again (nested) gets a statement of its own.
  struct CachedQuery {
    StmtPtr stmt;
    bool busy = false;
  };
  static constexpr size_t kMaxCachedQueries = 128;
  std::unordered_map<std::string, CachedQuery> read_statements_;
  int transaction_depth_ = 0;  // InTransaction calls open on this connection
  bool read_only_ = false;
  std::unique_ptr<WriteGuard> guard_;  // null: no authorizer (the audit file's connection)
};

}  // namespace pioneer::store
