#include "pioneer/store/sqlite_util.h"

#include <fmt/format.h>

namespace pioneer::store {

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  std::string msg = fmt::format("{}: {}", what, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      return UnavailableError(std::move(msg));
    case SQLITE_CORRUPT:
      return DataLossError(std::move(msg));
    case SQLITE_NOTADB:
      return FailedPreconditionError(std::move(msg));
    default:
      return InternalError(std::move(msg));
  }
}

StatusOr<StmtPtr> Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  StmtPtr stmt(raw);
  if (rc != SQLITE_OK) return SqliteError(db, rc, "prepare");
  if (stmt == nullptr) return InvalidArgumentError("empty SQL statement");
  for (; tail != nullptr && tail < sql.data() + sql.size(); ++tail) {
    if (*tail != ' ' && *tail != '\n' && *tail != '\t' && *tail != '\r' && *tail != ';') {
      return InvalidArgumentError("only one SQL statement is allowed");
    }
  }
  return stmt;
}

Status Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return OkStatus();
  std::string what = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  Status s = SqliteError(nullptr, rc, "");
  return Status(s.code(), what);
}

Status StepDone(sqlite3* db, sqlite3_stmt* stmt, std::string_view what) {
  int rc = sqlite3_step(stmt);
  Status s = (rc == SQLITE_DONE || rc == SQLITE_ROW) ? OkStatus() : SqliteError(db, rc, what);
  sqlite3_reset(stmt);
  return s;
}

std::string QuoteIdent(std::string_view name) {
  std::string out = "\"";
  for (char c : name) {
    out.push_back(c);
    if (c == '"') out.push_back('"');
  }
  out.push_back('"');
  return out;
}

}  // namespace pioneer::store
