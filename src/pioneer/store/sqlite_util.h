// Small RAII and error helpers over the SQLite C API, for the SQLite store only.
// Thread safety: as the sqlite3 connection they are used with (one thread at a time).
#pragma once

#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"

namespace pioneer::store {

struct StmtDeleter {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using StmtPtr = std::unique_ptr<sqlite3_stmt, StmtDeleter>;

// A Status for a failed SQLite call: kUnavailable for busy/locked/I/O/full, kDataLoss for a
// corrupt file, kFailedPrecondition for "not a database", kInternal otherwise. The message
// is "<what>: <sqlite message>".
Status SqliteError(sqlite3* db, int rc, std::string_view what);

// Prepares one statement (no trailing statements allowed).
StatusOr<StmtPtr> Prepare(sqlite3* db, std::string_view sql);
// Runs SQL with no results (may hold several statements).
Status Exec(sqlite3* db, const std::string& sql);
// Steps a statement expected to finish without rows (INSERT/UPDATE/DDL), then resets it.
Status StepDone(sqlite3* db, sqlite3_stmt* stmt, std::string_view what);
// "name" quoted as an SQL identifier: "a""b" for a"b.
std::string QuoteIdent(std::string_view name);

}  // namespace pioneer::store
