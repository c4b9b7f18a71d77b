#include "pioneer/store/audit_file.h"

#include <fmt/format.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

namespace pioneer::store {
namespace {

constexpr const char* kAuditSchema = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE ig_audit(
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  user_id INTEGER,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  org_code TEXT NOT NULL,
  purpose TEXT NOT NULL,
  action TEXT NOT NULL,
  basis TEXT NOT NULL,
  reason TEXT NOT NULL,
  nhs_number TEXT,
  outcome TEXT NOT NULL,
  returned TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
) STRICT;
CREATE INDEX idx_ig_audit_person ON ig_audit(nhs_number);
CREATE INDEX idx_ig_audit_user ON ig_audit(username);
CREATE TRIGGER ig_audit_no_update BEFORE UPDATE ON ig_audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
CREATE TRIGGER ig_audit_no_delete BEFORE DELETE ON ig_audit
  BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
)sql";

constexpr const char* kColumns =
    "seq, at, user_id, username, role, org_code, purpose, action, basis, reason, nhs_number, "
    "outcome, returned, prev_hash, hash";

struct DbCloser {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using DbPtr = std::unique_ptr<sqlite3, DbCloser>;

StatusOr<std::optional<std::string>> Text(sqlite3* db, const std::string& sql) {
  PIONEER_ASSIGN_OR_RETURN(StmtPtr stmt, Prepare(db, sql));
  int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0));
    return std::optional<std::string>(p ? p : "");
  }
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return SqliteError(db, rc, "reading");
}

StatusOr<int64_t> Int(sqlite3* db, const std::string& sql) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> v, Text(db, sql));
  return v ? std::stoll(*v) : int64_t{0};
}

StatusOr<std::string> StoreCreatedAt(sqlite3* store_db) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> v,
                           Text(store_db, "SELECT value FROM meta WHERE key = 'created_at'"));
  if (!v || v->empty()) return FailedPreconditionError("the store has no creation time");
  return *v;
}

StatusOr<DbPtr> Connect(const std::string& path, bool create) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &raw,
      SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX, nullptr);
  DbPtr db(raw);
  if (rc != SQLITE_OK) {
    return UnavailableError(fmt::format("cannot open the audit file '{}': {}", path,
                                        raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(raw, 1);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(raw, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  sqlite3_busy_timeout(raw, 10000);
  return db;
}

// kFailedPrecondition unless `db` is a Pioneer audit file (or, with `allow_empty`, an empty
// database). Returns whether it is empty.
StatusOr<bool> CheckKind(sqlite3* db, const std::string& path, bool allow_empty) {
  auto app_id = Int(db, "PRAGMA application_id");
  if (!app_id.ok()) {
    return FailedPreconditionError(
        fmt::format("'{}' is not a Pioneer audit file (not an SQLite database)", path));
  }
  PIONEER_ASSIGN_OR_RETURN(int64_t objects, Int(db, "SELECT count(*) FROM sqlite_master"));
  if (allow_empty && *app_id == 0 && objects == 0) return true;
  if (*app_id != kAuditApplicationId) {
    return FailedPreconditionError(fmt::format("'{}' is not a Pioneer audit file", path));
  }
  PIONEER_ASSIGN_OR_RETURN(int64_t version,
                           Int(db,
                               "SELECT coalesce((SELECT value FROM meta WHERE key = "
                               "'format_version'), 0)"));
  if (version < 1 || version > kAuditFormatVersion) {
    return FailedPreconditionError(
        fmt::format("'{}' has audit file format {}, which this Pioneer does not read (it reads {})",
                    path, version, kAuditFormatVersion));
  }
  return false;
}

Status ForeignFile(const std::string& path) {
  return FailedPreconditionError(
      fmt::format("'{}' is the audit file of another store (its store was created at a "
                  "different time): the store's own audit trail is missing or was replaced",
                  path));
}

Status CopyRows(sqlite3* from, sqlite3* to) {
  PIONEER_ASSIGN_OR_RETURN(
      StmtPtr read, Prepare(from, fmt::format("SELECT {} FROM ig_audit ORDER BY seq", kColumns)));
  PIONEER_ASSIGN_OR_RETURN(
      StmtPtr write,
      Prepare(to, fmt::format("INSERT INTO ig_audit({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                              "?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                              kColumns)));
  while (true) {
    int rc = sqlite3_step(read.get());
    if (rc == SQLITE_DONE) return OkStatus();
    if (rc != SQLITE_ROW) return SqliteError(from, rc, "reading the store's audit trail");
    for (int i = 0; i < 15; ++i) {
      sqlite3_bind_value(write.get(), i + 1, sqlite3_column_value(read.get(), i));
    }
    PIONEER_RETURN_IF_ERROR(StepDone(to, write.get(), "copying the audit trail"));
    sqlite3_clear_bindings(write.get());
  }
}

// Fills the audit file in its own transaction (see MoveAuditTrailToFile).
Status FillAuditFile(sqlite3* store_db, sqlite3* a, const std::string& path,
                     const std::string& created_at) {
  PIONEER_ASSIGN_OR_RETURN(bool empty, CheckKind(a, path, /*allow_empty=*/true));
  if (empty) {
    PIONEER_RETURN_IF_ERROR(Exec(a, kAuditSchema));
    PIONEER_RETURN_IF_ERROR(
        Exec(a, fmt::format("INSERT INTO meta(key, value) VALUES('kind', 'pioneer-audit'), "
                            "('format_version', '{}'); PRAGMA application_id = {};",
                            kAuditFormatVersion, kAuditApplicationId)));
  }
  PIONEER_ASSIGN_OR_RETURN(int64_t held, Int(a, "SELECT count(*) FROM ig_audit"));
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> bound,
                           Text(a, "SELECT value FROM meta WHERE key = 'store_created_at'"));
  if (!bound || *bound != created_at) {
    if (held > 0) return ForeignFile(path);
    PIONEER_ASSIGN_OR_RETURN(
        StmtPtr bind,
        Prepare(a, "INSERT OR REPLACE INTO meta(key, value) VALUES('store_created_at', ?1)"));
    sqlite3_bind_text(bind.get(), 1, created_at.c_str(), -1, SQLITE_STATIC);
    PIONEER_RETURN_IF_ERROR(StepDone(a, bind.get(), "binding the audit file"));
  }
  PIONEER_ASSIGN_OR_RETURN(int64_t in_store,
                           Int(store_db,
                               "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
                               "'ig_audit'"));
  if (in_store == 0) return OkStatus();
  PIONEER_ASSIGN_OR_RETURN(int64_t moving, Int(store_db, "SELECT count(*) FROM ig_audit"));
  if (moving == 0) return OkStatus();
  if (held == 0) return CopyRows(store_db, a);
  const char* head = "SELECT hash FROM ig_audit ORDER BY seq DESC LIMIT 1";
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> store_head, Text(store_db, head));
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> file_head, Text(a, head));
  if (held == moving && store_head == file_head) return OkStatus();  // moved before
  return FailedPreconditionError(
      fmt::format("both the store and its audit file '{}' hold audit entries, and they differ: "
                  "move the audit file away (keep it) and open the store again",
                  path));
}

}  // namespace

std::string AuditFilePath(const std::string& store_path) { return store_path + ".audit"; }

Status MoveAuditTrailToFile(sqlite3* db, const std::string& store_path) {
  const std::string path = AuditFilePath(store_path);
  PIONEER_ASSIGN_OR_RETURN(std::string created_at, StoreCreatedAt(db));
  PIONEER_ASSIGN_OR_RETURN(DbPtr a, Connect(path, /*create=*/true));
  // Before any write: a foreign file must not even get a WAL switch.
  PIONEER_RETURN_IF_ERROR(CheckKind(a.get(), path, /*allow_empty=*/true).status());
  PIONEER_RETURN_IF_ERROR(Exec(a.get(), "PRAGMA journal_mode = WAL"));
  PIONEER_RETURN_IF_ERROR(Exec(a.get(), "BEGIN IMMEDIATE"));
  Status s = FillAuditFile(db, a.get(), path, created_at);
  if (!s.ok()) {
    (void)Exec(a.get(), "ROLLBACK");
    return s;
  }
  // The entries are committed in the audit file before the store lets go of them.
  PIONEER_RETURN_IF_ERROR(Exec(a.get(), "COMMIT"));
  return Exec(db, "DROP TABLE IF EXISTS ig_audit");
}

StatusOr<sqlite3*> OpenAuditFileConnection(sqlite3* store_db, const std::string& store_path) {
  const std::string path = AuditFilePath(store_path);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return FailedPreconditionError(
        fmt::format("the audit trail of the store '{}' is missing: there is no audit file '{}' "
                    "(it is created with the store and must be kept, copied and backed up "
                    "with it)",
                    store_path, path));
  }
  PIONEER_ASSIGN_OR_RETURN(std::string created_at, StoreCreatedAt(store_db));
  PIONEER_ASSIGN_OR_RETURN(DbPtr a, Connect(path, /*create=*/false));
  PIONEER_RETURN_IF_ERROR(CheckKind(a.get(), path, /*allow_empty=*/false).status());
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> bound,
                           Text(a.get(), "SELECT value FROM meta WHERE key = 'store_created_at'"));
  if (!bound || *bound != created_at) return ForeignFile(path);
  PIONEER_RETURN_IF_ERROR(Exec(a.get(), "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192;"));
  return a.release();
}

}  // namespace pioneer::store
