#include "pioneer/store/sqlite_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <system_error>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/audit_file.h"
#include "pioneer/store/sqlite_ingest_writer.h"
#include "pioneer/store/sqlite_schema.h"
#include "pioneer/store/sqlite_util.h"

namespace pioneer::store {
namespace {

class SqliteRowView final : public RowView {
 public:
  explicit SqliteRowView(sqlite3_stmt* stmt) : stmt_(stmt), size_(sqlite3_column_count(stmt)) {}
  int size() const override { return size_; }
  bool IsNull(int i) const override { return sqlite3_column_type(stmt_, i) == SQLITE_NULL; }
  std::string_view Text(int i) const override {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, i));
    if (p == nullptr) return {};
    return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, i))};
  }
  int64_t Int(int i) const override { return sqlite3_column_int64(stmt_, i); }
  double Real(int i) const override { return sqlite3_column_double(stmt_, i); }

 private:
  sqlite3_stmt* stmt_;
  int size_;
};

void BindParams(sqlite3_stmt* s, std::span<const Param> params) {
  for (size_t i = 0; i < params.size(); ++i) {
    int idx = static_cast<int>(i + 1);
    const Param& p = params[i];
    switch (p.kind) {
      case Param::Kind::kNull:
        sqlite3_bind_null(s, idx);
        break;
      case Param::Kind::kText:
        sqlite3_bind_text(s, idx, p.text.data(), static_cast<int>(p.text.size()), SQLITE_TRANSIENT);
        break;
      case Param::Kind::kInt:
        sqlite3_bind_int64(s, idx, p.i);
        break;
      case Param::Kind::kReal:
        sqlite3_bind_double(s, idx, p.r);
        break;
    }
  }
}

// SQLite says "unable to open database file" (or "attempt to write a readonly database")
// without a path when the store's folder cannot be written: WAL mode creates PATH-wal and
// PATH-shm beside the store even to read it. Name the path and say so.
Status WithOpenHint(const Status& s, const std::string& path) {
  if (s.ok() || s.code() != StatusCode::kUnavailable) return s;
  const std::string& m = s.message();
  std::string msg =
      m.find(path) == std::string::npos ? fmt::format("cannot open store '{}': {}", path, m) : m;
  if (m.find("unable to open") != std::string::npos || m.find("readonly") != std::string::npos ||
      m.find("read-only") != std::string::npos) {
    std::error_code ec;
    std::filesystem::path dir = std::filesystem::absolute(path, ec).parent_path();
    if (!std::filesystem::is_directory(dir, ec)) {
      return Status(s.code(), msg + fmt::format(" (the folder '{}' does not exist)", dir.string()));
    }
    msg += fmt::format(
        " (is the folder '{}' read-only? SQLite needs to create '{}-wal' and '{}-shm' beside "
        "the store, even to read it: copy the store to a writable folder)",
        dir.string(), path, path);
  }
  return Status(s.code(), std::move(msg));
}

}  // namespace

namespace {

// The authorizer of a general connection (sqlite_store.h): refuses writes to extract tables
// while no ingest writer is open. Called when a statement is prepared (also re-prepared).
int AuthorizeWrite(void* user, int action, const char* a1, const char* a2, const char* /*db*/,
                   const char* /*trigger*/) {
  auto* guard = static_cast<SqliteStore::WriteGuard*>(user);
  const char* table = nullptr;
  switch (action) {
    case SQLITE_INSERT:
    case SQLITE_UPDATE:
    case SQLITE_DELETE:
    case SQLITE_DROP_TABLE:
      table = a1;
      break;
    case SQLITE_ALTER_TABLE:
      table = a2;
      break;
    default:
      return SQLITE_OK;
  }
  return guard->Allows(table) ? SQLITE_OK : SQLITE_DENY;
}

}  // namespace

StatusOr<std::unique_ptr<Store>> Store::OpenSqlite(const std::string& path) {
  auto s = SqliteStore::Open(path);
  if (!s.ok()) return WithOpenHint(s.status(), path);
  return std::unique_ptr<Store>(std::move(*s));
}

namespace {

// A store that must exist: an existing file, not a folder.
Status CheckStoreFile(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (path.empty()) return InvalidArgumentError("no store given (--db FILE)");
  if (!std::filesystem::exists(st)) {
    return NotFoundError(fmt::format(
        "no store at '{}' (check the path; `pioneer ingest --db {} DIR` creates one)", path, path));
  }
  if (std::filesystem::is_directory(st)) {
    return NotFoundError(fmt::format("'{}' is a folder, not a store file", path));
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> Store::OpenExistingSqlite(const std::string& path) {
  PIONEER_RETURN_IF_ERROR(CheckStoreFile(path));
  auto s = SqliteStore::Open(path, /*must_exist=*/true);
  if (!s.ok()) return WithOpenHint(s.status(), path);
  return std::unique_ptr<Store>(std::move(*s));
}

StatusOr<std::unique_ptr<Store>> Store::OpenReadOnlySqlite(const std::string& path) {
  PIONEER_RETURN_IF_ERROR(CheckStoreFile(path));
  auto s = SqliteStore::OpenReadOnly(path);
  if (!s.ok()) return WithOpenHint(s.status(), path);
  return std::unique_ptr<Store>(std::move(*s));
}

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::OpenReadOnly(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = fmt::format("cannot open store '{}': {}", path,
                                  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return UnavailableError(std::move(msg));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  store->read_only_ = true;
  sqlite3_extended_result_codes(db, 1);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_busy_timeout(db, 10000);
  PIONEER_RETURN_IF_ERROR(CheckSqliteSchemaReadOnly(db, path));
  PIONEER_RETURN_IF_ERROR(Exec(db, "PRAGMA query_only = 1; PRAGMA cache_size = -65536;"));
  return store;
}

void SqliteStore::GuardExtractTables() {
  guard_ = std::make_unique<WriteGuard>();
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    guard_->extract_tables.emplace(spec.table);
  }
  sqlite3_set_authorizer(db_, AuthorizeWrite, guard_.get());
}

Status SqliteStore::CheckWritable() const {
  if (read_only_) {
    return FailedPreconditionError(
        fmt::format("the store '{}' is open read-only: this connection cannot write", path_));
  }
  return OkStatus();
}

StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, bool must_exist) {
  // Memory statistics cost a global mutex per allocation; Pioneer does not read them. This
  // only takes effect if nothing has initialised SQLite yet, and is harmless otherwise.
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | (must_exist ? 0 : SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = fmt::format("cannot open store '{}': {}", path,
                                  db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    sqlite3_close_v2(db);
    return UnavailableError(std::move(msg));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_extended_result_codes(db, 1);
  // "x" must always mean an identifier, never a string literal (SQLite's legacy fallback
  // would turn a misspelt column name into a constant).
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_busy_timeout(db, 10000);
  if (must_exist) {
    // An empty file (or an SQLite database without tables) is not a store: do not turn it
    // into one behind a reader's back.
    // (A file that is not an SQLite database fails here; PrepareSqliteSchema says so.)
    auto stmt = Prepare(db, "SELECT count(*) FROM sqlite_master");
    if (stmt.ok() && sqlite3_step(stmt->get()) == SQLITE_ROW &&
        sqlite3_column_int64(stmt->get(), 0) == 0) {
      return FailedPreconditionError(fmt::format(
          "'{}' is empty, not a Pioneer store (`pioneer ingest --db {} DIR` creates one)", path,
          path));
    }
  }
  PIONEER_RETURN_IF_ERROR(PrepareSqliteSchema(db, path));
  PIONEER_RETURN_IF_ERROR(Exec(db,
                               "PRAGMA synchronous = NORMAL; "
                               "PRAGMA cache_size = -65536; PRAGMA foreign_keys = OFF;"));
  // After the migrations, which may rebuild extract tables: from here on only the ingest
  // writer writes them.
  store->GuardExtractTables();
  return store;
}

SqliteStore::~SqliteStore() {
  write_statements_.clear();  // finalize before closing
  read_statements_.clear();
  sqlite3_close_v2(db_);
}

bool SqliteStore::HasTable(std::string_view table) {
  auto stmt =
      Prepare(db_, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?1");
  if (!stmt.ok()) return false;
  sqlite3_bind_text(stmt->get(), 1, table.data(), static_cast<int>(table.size()), SQLITE_STATIC);
  return sqlite3_step(stmt->get()) == SQLITE_ROW;
}

Status SqliteStore::RunSelect(sqlite3_stmt* stmt, const RowCallback& fn) {
  SqliteRowView row(stmt);
  while (true) {
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) return OkStatus();
    if (rc != SQLITE_ROW) return SqliteError(db_, rc, "query");
    fn(row);
  }
}

Status SqliteStore::Scan(std::string_view table, std::span<const std::string> columns,
                         const RowCallback& fn) {
  if (!HasTable(table)) return NotFoundError(fmt::format("no table '{}' in the store", table));
  if (columns.empty()) return InvalidArgumentError("Scan needs at least one column");
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdent(columns[i]);
  }
  sql += fmt::format(" FROM {} ORDER BY {}", QuoteIdent(table), dialect().RowIdColumn());
  auto stmt = Prepare(db_, sql);
  if (!stmt.ok()) {
    // Almost always an unknown column name.
    return NotFoundError(fmt::format("cannot scan '{}': {}", table, stmt.status().message()));
  }
  return RunSelect(stmt->get(), fn);
}

Status SqliteStore::Query(std::string_view sql, std::span<const Param> params,
                          const RowCallback& fn) {
  // Parsing and planning costs as much as running a point query, so statements are reused.
  CachedQuery* cached = nullptr;
  StmtPtr own;
  auto it = read_statements_.find(std::string(sql));
  if (it != read_statements_.end() && !it->second.busy) {
    cached = &it->second;
  } else {
    auto stmt = Prepare(db_, sql);
    if (!stmt.ok()) {
      return InvalidArgumentError(fmt::format("bad query: {}", stmt.status().message()));
    }
    if (!sqlite3_stmt_readonly(stmt->get())) {
      return InvalidArgumentError("Query only runs read-only SQL");
    }
    if (it == read_statements_.end()) {
      // SQL built with literal values would fill the cache with single-use statements:
      // start again when it is full (statements in use are kept).
      if (read_statements_.size() >= kMaxCachedQueries) {
        std::erase_if(read_statements_, [](const auto& kv) { return !kv.second.busy; });
      }
      cached =
          &read_statements_.emplace(std::string(sql), CachedQuery{std::move(*stmt)}).first->second;
    } else {
      own = std::move(*stmt);
    }
  }
  sqlite3_stmt* s = cached ? cached->stmt.get() : own.get();
  if (cached) cached->busy = true;
  struct Release {
    sqlite3_stmt* s;
    bool* busy;
    ~Release() {
      sqlite3_reset(s);  // ends the statement's read transaction
      sqlite3_clear_bindings(s);
      if (busy) *busy = false;
    }
  } release{s, cached ? &cached->busy : nullptr};
  BindParams(s, params);
  return RunSelect(s, fn);
}

StatusOr<int64_t> SqliteStore::Execute(std::string_view sql, std::span<const Param> params) {
  PIONEER_RETURN_IF_ERROR(CheckWritable());
  auto it = write_statements_.find(std::string(sql));
  if (it == write_statements_.end()) {
    if (guard_) guard_->refused.clear();
    auto stmt = Prepare(db_, sql);
    if (!stmt.ok() && guard_ && !guard_->refused.empty()) {
      return FailedPreconditionError(fmt::format(
          "the extract table '{}' is written by `pioneer ingest` only; this statement may not "
          "change it",
          guard_->refused));
    }
    if (!stmt.ok()) {
      return InvalidArgumentError(fmt::format("bad statement: {}", stmt.status().message()));
    }
    it = write_statements_.emplace(std::string(sql), std::move(*stmt)).first;
  }
  sqlite3_stmt* s = it->second.get();
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  BindParams(s, params);
  PIONEER_RETURN_IF_ERROR(StepDone(db_, s, "write"));
  return static_cast<int64_t>(sqlite3_changes64(db_));
}

Status SqliteStore::InTransaction(const std::function<Status()>& fn) {
  // The outermost call is the transaction; a call inside it is a savepoint, so a unit of
  // work that uses transactions of its own can run inside a larger all-or-nothing one (a
  // FHIR transaction Bundle) and still undo only itself when it fails.
  PIONEER_RETURN_IF_ERROR(CheckWritable());
  const int depth = transaction_depth_;
  const std::string savepoint = fmt::format("pioneer_sp{}", depth);
  PIONEER_RETURN_IF_ERROR(
      Exec(db_, depth == 0 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT " + savepoint));
  ++transaction_depth_;
  auto undo = [&] {
    --transaction_depth_;
    if (depth == 0) {
      (void)Exec(db_, "ROLLBACK");
    } else {
      (void)Exec(db_, fmt::format("ROLLBACK TO {0}; RELEASE {0}", savepoint));
    }
  };
  Status s;
  try {
    s = fn();
  } catch (...) {
    undo();
    throw;
  }
  if (!s.ok()) {
    undo();
    return s;
  }
  --transaction_depth_;
  return Exec(db_, depth == 0 ? std::string("COMMIT") : "RELEASE " + savepoint);
}

StatusOr<std::unique_ptr<Store>> SqliteStore::OpenAuditFile() {
  PIONEER_ASSIGN_OR_RETURN(sqlite3 * audit, OpenAuditFileConnection(db_, path_));
  return std::unique_ptr<Store>(new SqliteStore(audit, AuditFilePath(path_)));
}

Status SqliteStore::SetMemoryMap(int64_t bytes) {
  return Exec(db_, fmt::format("PRAGMA mmap_size = {}", bytes));
}

Status SqliteStore::SetManualCheckpoints() { return Exec(db_, "PRAGMA wal_autocheckpoint = 0"); }

StatusOr<int64_t> SqliteStore::Checkpoint() {
  int log = 0, done = 0;
  int rc = sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &done);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY) return SqliteError(db_, rc, "checkpoint");
  return static_cast<int64_t>(log - done);
}

StatusOr<int64_t> SqliteStore::CountRows(std::string_view table) {
  if (!HasTable(table)) return NotFoundError(fmt::format("no table '{}' in the store", table));
  PIONEER_ASSIGN_OR_RETURN(StmtPtr stmt,
                           Prepare(db_, fmt::format("SELECT count(*) FROM {}", QuoteIdent(table))));
  int rc = sqlite3_step(stmt.get());
  if (rc != SQLITE_ROW) return SqliteError(db_, rc, "count");
  return static_cast<int64_t>(sqlite3_column_int64(stmt.get(), 0));
}

StatusOr<std::unique_ptr<IngestWriter>> SqliteStore::BeginIngestRun(
    const IngestRunInfo& info, const IngestWriteOptions& options) {
  PIONEER_RETURN_IF_ERROR(CheckWritable());
  PIONEER_ASSIGN_OR_RETURN(
      std::unique_ptr<SqliteIngestWriter> w,
      SqliteIngestWriter::Begin(db_, info, options, guard_ ? &guard_->ingest_open : nullptr));
  return std::unique_ptr<IngestWriter>(std::move(w));
}

}  // namespace pioneer::store
