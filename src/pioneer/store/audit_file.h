// The audit file: the store's access audit trail in an SQLite file of its own beside the
// store (docs/store.md "The audit file"), so that appending to the trail never changes the
// records' file (each commit to a file makes every other connection to it drop its page
// cache, and the records' file would grow at every checkpoint).
//
// Layout: PATH.audit for the store PATH, WAL mode, PRAGMA application_id = kAuditApplicationId,
//   meta(key, value)      kind 'pioneer-audit', format_version, store_created_at (the
//                         store's meta.created_at: binds the file to its store)
//   ig_audit(...)         the hash-chained entries, append-only (triggers), as described in
//                         pioneer/ig/audit.h; read and written by pioneer::ig only
// The store module creates the file (with a new store, or when migrating a store of schema
// version 7 or older, whose ig_audit rows move here) and opens it for ig
// (Store::OpenAuditFile); no other module touches it.
// Errors name the file and never echo values read from either file.
// Thread safety: functions take connections used by one thread.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/store/sqlite_util.h"

namespace pioneer::store {

inline constexpr int32_t kAuditApplicationId = 0x50494155;  // "PIAU"
inline constexpr int kAuditFormatVersion = 1;

// PATH.audit for the store file PATH.
std::string AuditFilePath(const std::string& store_path);

// Migration to store schema 8, inside the caller's write transaction on `db` (the store,
// whose meta.created_at is set): creates the audit file if absent, or checks that it belongs
// to this store, copies the store's ig_audit rows into it in one transaction of the audit
// file (committed before this returns), then drops ig_audit from the store. An audit file
// that already holds exactly those rows (a move interrupted after the audit file committed)
// is kept as it is. An audit file without entries bound to another creation time (a store
// creation that was rolled back) is bound to this store. kFailedPrecondition when the audit
// file belongs to another store and holds entries, is not an audit file, or holds entries
// other than the store's.
Status MoveAuditTrailToFile(sqlite3* db, const std::string& store_path);

// Opens the audit file of the store open on `store_db` (at `store_path`) on a connection of
// its own: it must exist, be an audit file and be bound to the store. kFailedPrecondition
// (naming the file) otherwise: a missing or replaced audit file is never an empty trail.
StatusOr<sqlite3*> OpenAuditFileConnection(sqlite3* store_db, const std::string& store_path);

}  // namespace pioneer::store
