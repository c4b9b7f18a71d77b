// The SQLite store's schema, its version and its migrations (docs/store.md).
//
// A Pioneer store is recognised by PRAGMA application_id == kApplicationId and a meta table
// whose 'schema_version' row is the authoritative version. Opening:
//   * an empty or new file: every migration runs (0 -> kSchemaVersion) in one transaction;
//   * an older Pioneer store: the missing migrations run, in order, in one transaction;
//   * a newer or unknown version, a non-Pioneer SQLite file, a non-SQLite file, or a store
//     whose extract tables differ from this build's formats without a version change:
//     kFailedPrecondition with a message saying which, and nothing is written.
// Thread safety: functions take a connection used by one thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"

namespace pioneer::store {

inline constexpr int32_t kApplicationId = 0x50494F4E;  // "PION"

// Brings the database open on `db` to the current schema, or explains why it cannot.
// `path` is only used in messages.
Status PrepareSqliteSchema(sqlite3* db, const std::string& path);
// The same checks on a read-only connection, writing nothing: OK only for a Pioneer store at
// the current version built from this build's formats; an empty file, an older version (which
// needs a migration) and everything PrepareSqliteSchema refuses are kFailedPrecondition.
Status CheckSqliteSchemaReadOnly(sqlite3* db, const std::string& path);

// SQL creating one extract table (its data columns, _run_id and _line).
std::string ExtractTableDdl(const formats::ExtractSpec& spec);
// Creates the secondary indexes of every extract table that lacks them (ingest calls this
// after loading, inside its transaction, so bulk inserts do not maintain them row by row).
Status CreateExtractIndexes(sqlite3* db);

}  // namespace pioneer::store
