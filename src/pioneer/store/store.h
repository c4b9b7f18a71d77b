// Store: the persistent warehouse behind Pioneer (embedded SQLite by default).
//
// Callers see this narrow interface only, so a PostgreSQL backend can be added without
// touching them. The schema (docs/store.md) is:
//   meta(key, value)                      schema_version and creation info
//   ingest_runs(run_id, started_at, finished_at, source_dir, pioneer_version,
//               files_ingested, files_skipped, rows_read, rows_accepted, rows_quarantined)
//                                         one row per committed `pioneer ingest` run
//   ingest_files(run_id, file_name, table_name, size_bytes, sha256 UNIQUE, rows_read,
//                rows_accepted, rows_quarantined, started_at, finished_at)
//   quarantine(run_id, file_name, line_no, field, raw_value, reason_code, detail,
//              problem_count, raw_record)     one row per rejected source row
//   link_runs, record_links, link_reviews   NHS Number tracing decisions (schema version 2;
//                                         written by `pioneer link`, docs/linkage.md)
//   ig_users, ig_tokens, ig_break_glass, ig_objections, ig_caseloads, ig_keys
//                                         the information-governance gate (schema version 3;
//                                         written by pioneer::ig only, docs/ig.md); the audit
//                                         trail ig_audit lives in the audit file beside the
//                                         store since schema version 8 (OpenAuditFile)
//   care_plans, care_plan_history, care_plan_imports, care_plan_rejects
//                                         joint care plans (schema version 4; written by
//                                         pioneer::careplan only, docs/care-plans.md)
//   one table per extract, named formats::ExtractSpec::table, whose columns are the
//   extract's field names in canonical form (dates ISO text, integers, reals, normalised
//   codes) plus: _run_id, _line (physical line of the row's first line in its file), _row
//   (the row id: INTEGER PRIMARY KEY since schema version 9, so no VACUUM renumbers it) and,
//   for every NHS Number field F, F_status ('valid', 'missing' or an NhsNumberProblem name).
//   An invalid NHS Number keeps its raw text in F; a valid one is stored as 10 digits.
//
// Reads go through Scan/Query with a row callback; values are only valid during the call.
// SQL given to Query is written in the backend's dialect (dialect(), sql_dialect.h): date
// arithmetic and the row-id column are asked of it, never spelt for one database.
// Writes go through one IngestWriter per ingest run (ingest_writer.h): one transaction, so a
// run is stored completely or not at all. Extract table layout: extract_tables.h. Only the
// ingest writer writes extract tables: the backend refuses, with kFailedPrecondition naming
// the table, an INSERT, UPDATE, DELETE, DROP or ALTER of one through Execute or InTransaction.
// Thread safety: a Store object is used from one thread at a time. Several read-only stores
// (OpenReadOnlySqlite) of one file may be used on several threads at once, one per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/ingest_writer.h"
#include "pioneer/store/sql_dialect.h"

namespace pioneer::store {

// One result row during a Scan/Query callback. Column indices follow the request.
class RowView {
 public:
  virtual ~RowView() = default;
  virtual int size() const = 0;
  virtual bool IsNull(int i) const = 0;
  virtual std::string_view Text(int i) const = 0;  // "" when NULL
  virtual int64_t Int(int i) const = 0;            // 0 when NULL
  virtual double Real(int i) const = 0;            // 0 when NULL
};

using RowCallback = std::function<void(const RowView&)>;

// What derived data (the person timeline snapshot) depends on: a summary of every change to
// the store that can change what a reader derives from it. Two generations are equal only if
// no ingest run, `pioneer link` run, clerical review decision, care plan write or save of risk
// strata happened in between, the store was not replaced by another one and not migrated to
// another schema version. `key` is a
// canonical text form to persist and compare; it names no person and no identifier.
struct StoreGeneration {
  std::string created_at;       // meta.created_at: tells a recreated store apart
  int64_t ingest_runs = 0;      // count of committed ingest runs
  int64_t last_ingest_run = 0;  // highest run_id
  std::string last_ingest_finished;
  int64_t link_runs = 0;
  int64_t last_link_run = 0;
  std::string last_link_finished;
  int64_t link_reviews = 0;        // rows in link_reviews
  uint64_t reviews_digest = 0;     // digest of every review row (table, row, verdict, time)
  int64_t care_plan_versions = 0;  // rows in care_plan_history (one per write of a plan)
  int64_t risk_strata = 0;         // rows in risk_strata
  int64_t last_stratum = 0;        // highest stratum_id (AUTOINCREMENT: never reused)
  std::string schema_version;      // meta.schema_version: a migration may rebuild tables

  std::string Key() const;
  bool operator==(const StoreGeneration& o) const { return Key() == o.Key(); }
};

// A bound parameter for Query: text, integer, real or NULL.
struct Param {
  enum class Kind { kNull, kText, kInt, kReal } kind = Kind::kNull;
  std::string text;
  int64_t i = 0;
  double r = 0;
  static Param Null() { return {}; }
  static Param Of(std::string_view s) { return {Kind::kText, std::string(s), 0, 0}; }
  static Param Of(int64_t v) { return {Kind::kInt, {}, v, 0}; }
  static Param Of(double v) { return {Kind::kReal, {}, 0, v}; }
};

class Store {
 public:
  virtual ~Store() = default;

  // The schema version this build reads and writes.
  static constexpr int kSchemaVersion = 9;

  // Opens (creating if absent) an SQLite store at `path`, WAL mode, migrating an older
  // schema forward. Errors: kFailedPrecondition for a store written by a newer Pioneer or
  // a file that is not a Pioneer store; kUnavailable when the file cannot be opened.
  static StatusOr<std::unique_ptr<Store>> OpenSqlite(const std::string& path);
  // Opens an SQLite store that must already exist and hold a Pioneer store: what every
  // command except `pioneer ingest` uses, so that a mistyped path is an error instead of a
  // new empty store. Errors: kNotFound when there is no such file (or it is a folder),
  // kFailedPrecondition for an empty file or a file that is not a Pioneer store, as
  // OpenSqlite otherwise. Messages name the path; a store in a read-only folder gets a hint.
  static StatusOr<std::unique_ptr<Store>> OpenExistingSqlite(const std::string& path);
  // Opens an existing, current-version SQLite store for reading only (SQLITE_OPEN_READONLY
  // and PRAGMA query_only): Scan, Query, CountRows, HasTable and Generation work; Execute,
  // InTransaction and BeginIngestRun fail with kFailedPrecondition ("... is open read-only").
  // It never migrates or writes the file: a store at an older schema version is
  // kFailedPrecondition (open it once with OpenExistingSqlite to migrate it). Errors on
  // opening as OpenExistingSqlite. For readers that never write (the timeline's parallel
  // build); the server's request pool still opens general connections (docs/store.md).
  // Thread safety: each connection is used by one thread at a time, but any number of them
  // (one per thread) may read the same file concurrently, also while a writer commits
  // (WAL: each reader sees the last commit before its read began).
  static StatusOr<std::unique_ptr<Store>> OpenReadOnlySqlite(const std::string& path);

  // The SQL dialect of this backend: how SQL passed to Query spells dates, the row-id
  // column and the rest (sql_dialect.h). Immutable; valid as long as the program runs.
  virtual const SqlDialect& dialect() const = 0;

  // Reads `columns` of every row of `table` (in row-id / insertion order); the row id may be
  // requested as a column by dialect().RowIdColumn().
  virtual Status Scan(std::string_view table, std::span<const std::string> columns,
                      const RowCallback& fn) = 0;
  // Runs a read-only SQL statement (SELECT with ?1.. parameters) written in dialect().
  virtual Status Query(std::string_view sql, std::span<const Param> params,
                       const RowCallback& fn) = 0;
  // Row count of a table.
  virtual StatusOr<int64_t> CountRows(std::string_view table) = 0;
  // True if the table exists.
  virtual bool HasTable(std::string_view table) = 0;

  // The store's current generation (above), read with portable SQL through Query, so every
  // backend has it. Cheap: a few aggregate queries over the small run and review tables.
  // Errors: whatever Query returns.
  StatusOr<StoreGeneration> Generation();

  // Write side, for ingest only. Starts an ingest run: waits (up to a timeout) for the
  // store's write lock, opens the run's single transaction and records the run in
  // ingest_runs. kUnavailable if another writer keeps the lock; kFailedPrecondition for a
  // store that cannot be written. The Store must not be used while the writer is open.
  virtual StatusOr<std::unique_ptr<IngestWriter>> BeginIngestRun(const IngestRunInfo& info,
                                                                 const IngestWriteOptions& options);

  // Write side for derived and operational tables only (linkage, IG and care plan tables,
  // docs/store.md); extract tables are written by ingest alone. Execute runs
  // one INSERT/UPDATE/DELETE with ?1.. parameters and returns the rows changed; statements
  // are prepared once and cached. InTransaction runs `fn` in one write transaction (waiting
  // for the write lock like ingest): committed when fn returns OK, rolled back otherwise
  // (also when fn throws). Calls nest: one inside another is a savepoint, undone alone when
  // its fn fails, and committed only with the outermost.
  // kFailedPrecondition on a store that cannot be written (a read-only one), and for a
  // statement that would write an extract table (naming it).
  virtual StatusOr<int64_t> Execute(std::string_view sql, std::span<const Param> params);
  virtual Status InTransaction(const std::function<Status()>& fn);
  // The rowid of the last row Execute inserted.
  virtual int64_t LastInsertId() { return 0; }

  // A new connection to the store's audit file (audit_file.h, docs/store.md "The audit
  // file"): a Store whose only tables are the audit file's (meta, ig_audit), for pioneer::ig
  // alone. Query, Execute and InTransaction work on it; its transactions never touch the
  // records. kFailedPrecondition naming the file when the audit file is missing, is not an
  // audit file or belongs to another store (a missing or replaced trail is never an empty
  // one); kUnavailable when it cannot be opened.
  virtual StatusOr<std::unique_ptr<Store>> OpenAuditFile();

  // Tuning of long-lived connections (the server's); backends without these ignore them.
  // Reads through a memory map of up to `bytes` of the file (0: plain reads).
  virtual Status SetMemoryMap(int64_t /*bytes*/) { return OkStatus(); }
  // No checkpoint at commit: the caller calls Checkpoint when it is idle (the audit writer).
  virtual Status SetManualCheckpoints() { return OkStatus(); }
  // Copies committed WAL content into the file as far as readers allow, without waiting for
  // them (SQLite's PASSIVE checkpoint); the number of WAL frames still to copy.
  virtual StatusOr<int64_t> Checkpoint() { return int64_t{0}; }
};

}  // namespace pioneer::store
