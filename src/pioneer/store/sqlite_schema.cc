#include "pioneer/store/sqlite_schema.h"

#include <fmt/format.h>

#include <charconv>
#include <optional>
#include <span>
#include <vector>

#include "pioneer/base/sha256.h"
#include "pioneer/store/audit_file.h"
#include "pioneer/store/extract_tables.h"
#include "pioneer/store/sqlite_util.h"
#include "pioneer/store/store.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::store {
namespace {

const char* SqlType(ColumnType t) {
  switch (t) {
    case ColumnType::kInteger:
      return "INTEGER";
    case ColumnType::kReal:
      return "REAL";
    case ColumnType::kText:
      return "TEXT";
  }
  return "TEXT";
}

// Fingerprint of the extract tables this build creates; stored in meta so that a change of
// the formats without a schema migration is detected instead of silently mis-reading.
std::string ExtractTablesFingerprint() {
  std::string ddl;
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) ddl += ExtractTableDdl(spec);
  return Sha256Hex(ddl);
}

// --- Migrations ------------------------------------------------------------------------
// Each step moves the schema from to_version - 1 to to_version. Never edit a released step:
// add a new one and bump Store::kSchemaVersion.

Status MigrateTo1(sqlite3* db, const std::string& /*path*/) {
  std::string sql = R"sql(
CREATE TABLE meta(
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
CREATE TABLE ingest_runs(
  run_id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  source_dir TEXT NOT NULL,
  pioneer_version TEXT NOT NULL,
  files_ingested INTEGER NOT NULL DEFAULT 0,
  files_skipped INTEGER NOT NULL DEFAULT 0,
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_accepted INTEGER NOT NULL DEFAULT 0,
  rows_quarantined INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE TABLE ingest_files(
  run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
  file_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  rows_read INTEGER NOT NULL,
  rows_accepted INTEGER NOT NULL,
  rows_quarantined INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  PRIMARY KEY(run_id, file_name),
  CHECK(rows_read = rows_accepted + rows_quarantined)
) STRICT;
CREATE TABLE quarantine(
  run_id INTEGER NOT NULL REFERENCES ingest_runs(run_id),
  file_name TEXT NOT NULL,
  line_no INTEGER NOT NULL,
  field TEXT NOT NULL,
  raw_value TEXT NOT NULL,
  reason_code TEXT NOT NULL,
  detail TEXT NOT NULL,
  problem_count INTEGER NOT NULL,
  raw_record TEXT NOT NULL
) STRICT;
CREATE INDEX idx_quarantine_run_file ON quarantine(run_id, file_name, line_no);
)sql";
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) sql += ExtractTableDdl(spec);
  return Exec(db, sql);
}

// Version 2: NHS Number tracing decisions written by `pioneer link` (docs/linkage.md).
Status MigrateTo2(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, R"sql(
CREATE TABLE link_runs(
  run_id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  pioneer_version TEXT NOT NULL,
  records_checked INTEGER NOT NULL DEFAULT 0,
  records_traced INTEGER NOT NULL DEFAULT 0,
  automatic INTEGER NOT NULL DEFAULT 0,
  accepted INTEGER NOT NULL DEFAULT 0,
  review INTEGER NOT NULL DEFAULT 0,
  unmatched INTEGER NOT NULL DEFAULT 0,
  model_json TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE TABLE record_links(
  link_id INTEGER PRIMARY KEY,
  source_table TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  own_number_status TEXT NOT NULL,
  traced_nhs_number TEXT,
  mps_step INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK(outcome IN ('matched', 'review', 'no-match')),
  decision TEXT NOT NULL
    CHECK(decision IN ('automatic', 'review', 'accepted', 'rejected', 'unmatched')),
  match_weight REAL,
  match_probability REAL,
  reason_code TEXT NOT NULL,
  evidence TEXT NOT NULL,
  run_id INTEGER NOT NULL REFERENCES link_runs(run_id),
  UNIQUE(source_table, row_id)
) STRICT;
CREATE INDEX idx_record_links_decision ON record_links(decision);
CREATE TABLE link_reviews(
  review_id INTEGER PRIMARY KEY,
  source_table TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  nhs_number TEXT NOT NULL,
  verdict TEXT NOT NULL CHECK(verdict IN ('accepted', 'rejected')),
  decided_by TEXT NOT NULL,
  decided_at TEXT NOT NULL,
  link_run_id INTEGER NOT NULL,
  UNIQUE(source_table, row_id, nhs_number)
) STRICT;
)sql");
}

// Version 3: the information-governance gate (docs/ig.md): users, tokens, break-glass grants,
// objections, team caseloads, the hash-chained audit trail and the pseudonymisation key.
// Self-contained: it creates only ig_* tables and one index on record_links.
Status MigrateTo3(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, R"sql(
CREATE TABLE ig_users(
  user_id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK(role IN ('gp', 'nurse', 'social_worker', 'care_coordinator',
                                    'analyst', 'ig_officer', 'patient')),
  org_code TEXT NOT NULL,
  team TEXT,
  nhs_number TEXT,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0,
  locked_until INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  CHECK((role = 'patient') = (nhs_number IS NOT NULL))
) STRICT;
CREATE TABLE ig_break_glass(
  grant_id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES ig_users(user_id),
  nhs_number TEXT NOT NULL,
  reason TEXT NOT NULL,
  granted_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE TABLE ig_tokens(
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES ig_users(user_id),
  scope TEXT NOT NULL,
  issued_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  grant_id INTEGER REFERENCES ig_break_glass(grant_id)
) STRICT;
CREATE INDEX idx_ig_tokens_user ON ig_tokens(user_id);
CREATE TABLE ig_objections(
  nhs_number TEXT PRIMARY KEY,
  recorded_on TEXT,
  source TEXT NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;
CREATE TABLE ig_caseloads(
  org_code TEXT NOT NULL,
  team TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  added_at TEXT NOT NULL,
  PRIMARY KEY(org_code, team, nhs_number)
) STRICT;
CREATE INDEX idx_ig_caseloads_person ON ig_caseloads(nhs_number);
CREATE TABLE ig_keys(
  name TEXT PRIMARY KEY,
  key_hex TEXT NOT NULL
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
CREATE INDEX IF NOT EXISTS idx_record_links_traced ON record_links(traced_nhs_number);
)sql");
}

// The plan columns shared by care_plans (the current version of each plan) and
// care_plan_history (every version, the current one included).
constexpr const char* kCarePlanColumns = R"sql(
  nhs_number TEXT NOT NULL,
  status TEXT NOT NULL CHECK(status IN ('draft', 'active', 'on-hold', 'completed', 'revoked',
                                        'entered-in-error')),
  accountable_gp TEXT,
  gp_practice TEXT,
  care_coordinator TEXT,
  coordinator_role TEXT,
  coordinator_org TEXT,
  organisations TEXT NOT NULL,
  start_date TEXT NOT NULL,
  review_date TEXT,
  end_date TEXT,
  goals TEXT,
  source TEXT NOT NULL,
  source_ref TEXT,
  version INTEGER NOT NULL,
  recorded_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,)sql";

Status MigrateTo4(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, fmt::format(R"sql(
CREATE TABLE care_plans(
  plan_id INTEGER PRIMARY KEY,{0}
  UNIQUE(source, source_ref)
) STRICT;
CREATE INDEX idx_care_plans_person ON care_plans(nhs_number);
CREATE TABLE care_plan_history(
  plan_id INTEGER NOT NULL REFERENCES care_plans(plan_id),
  action TEXT NOT NULL,{0}
  PRIMARY KEY(plan_id, version)
) STRICT;
CREATE TRIGGER care_plan_history_no_update BEFORE UPDATE ON care_plan_history
  BEGIN SELECT RAISE(ABORT, 'care plan history is append-only'); END;
CREATE TRIGGER care_plan_history_no_delete BEFORE DELETE ON care_plan_history
  BEGIN SELECT RAISE(ABORT, 'care plan history is append-only'); END;
CREATE TABLE care_plan_imports(
  import_id INTEGER PRIMARY KEY,
  file_name TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  imported_at TEXT NOT NULL,
  rows_read INTEGER NOT NULL,
  added INTEGER NOT NULL,
  updated INTEGER NOT NULL,
  unchanged INTEGER NOT NULL,
  rejected INTEGER NOT NULL
) STRICT;
CREATE TABLE care_plan_rejects(
  import_id INTEGER NOT NULL REFERENCES care_plan_imports(import_id),
  line_no INTEGER NOT NULL,
  field TEXT NOT NULL,
  reason TEXT NOT NULL,
  raw_record TEXT NOT NULL
) STRICT;
)sql",
                              kCarePlanColumns));
}

// Risk strata saved at an index date (docs/risk.md "Saved strata"), and the placement column
// that lets the timeline and the metric engines read care plans like any person-level table
// (formats/derived_tables.h).
Status MigrateTo5(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, R"sql(
ALTER TABLE care_plans ADD COLUMN nhs_number_status TEXT NOT NULL DEFAULT 'valid'
  CHECK(nhs_number_status = 'valid');
CREATE TABLE risk_strata(
  stratum_id INTEGER PRIMARY KEY AUTOINCREMENT,
  nhs_number TEXT NOT NULL,
  nhs_number_status TEXT NOT NULL DEFAULT 'valid' CHECK(nhs_number_status = 'valid'),
  index_date TEXT NOT NULL,
  model_id TEXT NOT NULL,
  practice TEXT NOT NULL,
  age INTEGER NOT NULL,
  top2_practice INTEGER NOT NULL CHECK(top2_practice IN (0, 1)),
  top4_practice INTEGER NOT NULL CHECK(top4_practice IN (0, 1)),
  loa_band INTEGER NOT NULL CHECK(loa_band BETWEEN 1 AND 5),
  rub_band INTEGER CHECK(rub_band BETWEEN 1 AND 5),
  saved_at TEXT NOT NULL,
  UNIQUE(index_date, nhs_number)
) STRICT;
)sql");
}

// Every change to a person's objection, append-only (the Consent's versions: vread and
// history, docs/fhir.md section 5b). Objections stored before this step become version 1.
// Documents from other organisations written through the FHIR API (docs/fhir.md section 5c):
// the current version of each and every version, append-only.
Status MigrateTo6(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, R"sql(
CREATE TABLE ig_objection_history(
  nhs_number TEXT NOT NULL,
  version INTEGER NOT NULL CHECK(version >= 1),
  objecting INTEGER NOT NULL CHECK(objecting IN (0, 1)),
  recorded_on TEXT,
  source TEXT NOT NULL,
  changed_at TEXT NOT NULL,
  PRIMARY KEY(nhs_number, version)
) STRICT;
CREATE TRIGGER ig_objection_history_no_update BEFORE UPDATE ON ig_objection_history
  BEGIN SELECT RAISE(ABORT, 'objection history is append-only'); END;
CREATE TRIGGER ig_objection_history_no_delete BEFORE DELETE ON ig_objection_history
  BEGIN SELECT RAISE(ABORT, 'objection history is append-only'); END;
INSERT INTO ig_objection_history(nhs_number, version, objecting, recorded_on, source, changed_at)
  SELECT nhs_number, 1, 1, recorded_on, source, imported_at FROM ig_objections;
CREATE TABLE fhir_documents(
  doc_id INTEGER PRIMARY KEY AUTOINCREMENT,
  resource_type TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  org_code TEXT NOT NULL,
  version INTEGER NOT NULL CHECK(version >= 1),
  identifier TEXT,
  clinical_date TEXT,
  resource TEXT NOT NULL,
  written_by TEXT NOT NULL,
  written_at TEXT NOT NULL
) STRICT;
CREATE INDEX fhir_documents_person ON fhir_documents(nhs_number, resource_type);
CREATE UNIQUE INDEX fhir_documents_identifier ON fhir_documents(resource_type, identifier)
  WHERE identifier IS NOT NULL;
CREATE TABLE fhir_document_history(
  doc_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  resource_type TEXT NOT NULL,
  nhs_number TEXT NOT NULL,
  org_code TEXT NOT NULL,
  identifier TEXT,
  clinical_date TEXT,
  resource TEXT NOT NULL,
  written_by TEXT NOT NULL,
  written_at TEXT NOT NULL,
  PRIMARY KEY(doc_id, version)
) STRICT;
CREATE TRIGGER fhir_document_history_no_update BEFORE UPDATE ON fhir_document_history
  BEGIN SELECT RAISE(ABORT, 'document history is append-only'); END;
CREATE TRIGGER fhir_document_history_no_delete BEFORE DELETE ON fhir_document_history
  BEGIN SELECT RAISE(ABORT, 'document history is append-only'); END;
)sql");
}

// Directory entries written by other systems through the FHIR API (docs/fhir.md section 5d):
// Organization, Location, Practitioner, PractitionerRole and Medication resources that are
// not person-level (Synthea's hospital and practitioner files, another organisation's
// directory). `identifiers` holds every "system|value" of the resource, one per line with a
// newline before and after each, so a search by identifier is an exact substring match.
Status MigrateTo7(sqlite3* db, const std::string& /*path*/) {
  return Exec(db, R"sql(
CREATE TABLE fhir_directory(
  entry_id INTEGER PRIMARY KEY AUTOINCREMENT,
  resource_type TEXT NOT NULL,
  version INTEGER NOT NULL CHECK(version >= 1),
  identifiers TEXT NOT NULL,
  name TEXT NOT NULL,
  org_code TEXT NOT NULL,
  resource TEXT NOT NULL,
  written_by TEXT NOT NULL,
  written_at TEXT NOT NULL
) STRICT;
CREATE INDEX fhir_directory_type ON fhir_directory(resource_type, name);
)sql");
}

// The access audit trail moves from the store's ig_audit table to the audit file beside the
// store (audit_file.h, docs/store.md "The audit file"), so that appending to it never
// changes the records' file. The audit file commits the entries before the store drops them.
Status MigrateTo8(sqlite3* db, const std::string& path) { return MoveAuditTrailToFile(db, path); }

// Version 9: every extract table gets its row id as a column of its own, `_row INTEGER
// PRIMARY KEY` (an alias of the rowid: same values, no extra storage), so that a VACUUM can
// no longer renumber the rows record_links.row_id, the timeline and drill-downs point at.
// SQLite cannot add a primary key to a table, so each table without `_row` is rebuilt: a new
// table with the current DDL under a temporary name, every row copied with its rowid as
// `_row`, the old table dropped, the new one renamed and the old table's indexes re-created
// from their own SQL. A table that already has `_row` (every table of a store created at
// version 9, whose step 1 uses the current DDL) is left as it is; a table the store lacks
// is created empty. All inside the caller's migration transaction.
Status MigrateTo9(sqlite3* db, const std::string& /*path*/) {
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    const std::string table(spec.table);
    bool exists = false, has_row = false;
    {
      PIONEER_ASSIGN_OR_RETURN(StmtPtr info, Prepare(db, "SELECT name FROM pragma_table_info(?1)"));
      sqlite3_bind_text(info.get(), 1, table.c_str(), -1, SQLITE_STATIC);
      int rc;
      while ((rc = sqlite3_step(info.get())) == SQLITE_ROW) {
        exists = true;
        has_row |= reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 0)) == kRowColumn;
      }
      if (rc != SQLITE_DONE) return SqliteError(db, rc, "reading the columns of " + table);
    }
    if (has_row) continue;
    if (!exists) {
      PIONEER_RETURN_IF_ERROR(Exec(db, ExtractTableDdl(spec)));
      continue;
    }
    std::vector<std::string> index_sql;
    {
      PIONEER_ASSIGN_OR_RETURN(StmtPtr idx,
                               Prepare(db,
                                       "SELECT sql FROM sqlite_master WHERE type = 'index' AND "
                                       "tbl_name = ?1 AND sql IS NOT NULL ORDER BY name"));
      sqlite3_bind_text(idx.get(), 1, table.c_str(), -1, SQLITE_STATIC);
      int rc;
      while ((rc = sqlite3_step(idx.get())) == SQLITE_ROW) {
        index_sql.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(idx.get(), 0)));
      }
      if (rc != SQLITE_DONE) return SqliteError(db, rc, "reading the indexes of " + table);
    }
    std::string columns;
    for (const ColumnDef& c : ExtractDataColumns(spec)) columns += QuoteIdent(c.name) + ", ";
    columns += fmt::format("{}, {}", kRunIdColumn, kLineColumn);
    const std::string rebuilt = table + "__schema9";
    std::string ddl = ExtractTableDdl(spec);
    ddl.replace(ddl.find(QuoteIdent(table)), QuoteIdent(table).size(), QuoteIdent(rebuilt));
    std::string sql = ddl;
    sql += fmt::format("INSERT INTO {0}({1}, {2}) SELECT {1}, rowid FROM {3} ORDER BY rowid;\n",
                       QuoteIdent(rebuilt), columns, kRowColumn, QuoteIdent(table));
    sql += fmt::format("DROP TABLE {};\nALTER TABLE {} RENAME TO {};\n", QuoteIdent(table),
                       QuoteIdent(rebuilt), QuoteIdent(table));
    for (const std::string& i : index_sql) sql += i + ";\n";
    PIONEER_RETURN_IF_ERROR(Exec(db, sql));
  }
  return OkStatus();
}

struct Migration {
  int to_version;
  const char* description;
  Status (*apply)(sqlite3*, const std::string& path);
};

constexpr Migration kMigrations[] = {
    {1, "initial schema: meta, ingest_runs, ingest_files, quarantine, extract tables", MigrateTo1},
    {2, "linkage: link_runs, record_links, link_reviews", MigrateTo2},
    {3, "ig: users, tokens, audit, objections, break-glass", MigrateTo3},
    {4, "joint care plans: care_plans, care_plan_history, care_plan_imports, care_plan_rejects",
     MigrateTo4},
    {5, "risk strata: risk_strata; care_plans.nhs_number_status", MigrateTo5},
    {6,
     "objection history and documents: ig_objection_history, fhir_documents, fhir_document_history",
     MigrateTo6},
    {7, "directory entries from other systems: fhir_directory", MigrateTo7},
    {8, "the audit trail moves to its own file (PATH.audit)", MigrateTo8},
    {9, "explicit row ids: every extract table gains _row INTEGER PRIMARY KEY", MigrateTo9},
};
static_assert(std::size(kMigrations) == Store::kSchemaVersion,
              "every schema version needs its migration step");

StatusOr<int64_t> QueryInt(sqlite3* db, const char* sql) {
  PIONEER_ASSIGN_OR_RETURN(StmtPtr stmt, Prepare(db, sql));
  int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) return static_cast<int64_t>(sqlite3_column_int64(stmt.get(), 0));
  if (rc == SQLITE_DONE) return int64_t{0};
  return SqliteError(db, rc, sql);
}

StatusOr<std::optional<std::string>> MetaValue(sqlite3* db, const char* key) {
  PIONEER_ASSIGN_OR_RETURN(StmtPtr stmt, Prepare(db, "SELECT value FROM meta WHERE key = ?1"));
  sqlite3_bind_text(stmt.get(), 1, key, -1, SQLITE_STATIC);
  int rc = sqlite3_step(stmt.get());
  if (rc == SQLITE_ROW) {
    return std::optional<std::string>(
        reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 0)));
  }
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  return SqliteError(db, rc, "reading meta");
}

Status SetMeta(sqlite3* db, const char* key, const std::string& value) {
  PIONEER_ASSIGN_OR_RETURN(StmtPtr stmt,
                           Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"));
  sqlite3_bind_text(stmt.get(), 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text(stmt.get(), 2, value.c_str(), -1, SQLITE_STATIC);
  return StepDone(db, stmt.get(), "writing meta");
}

// Runs migrations from `from` to the current version, inside the caller's transaction.
Status Migrate(sqlite3* db, int from, const std::string& path) {
  for (const Migration& m : kMigrations) {
    if (m.to_version <= from) continue;
    Status s = m.apply(db, path);
    if (!s.ok()) {
      return Status(s.code(), fmt::format("migration to schema version {} ({}) failed: {}",
                                          m.to_version, m.description, s.message()));
    }
    if (from == 0 && m.to_version == 1) {
      // Set with the meta table: later steps (the audit file's binding) read created_at.
      PIONEER_RETURN_IF_ERROR(SetMeta(db, "application", "pioneer"));
      PIONEER_RETURN_IF_ERROR(SetMeta(db, "created_at", UtcNowIso8601()));
    }
  }
  PIONEER_RETURN_IF_ERROR(SetMeta(db, "schema_version", std::to_string(Store::kSchemaVersion)));
  PIONEER_RETURN_IF_ERROR(SetMeta(db, "extract_tables_sha256", ExtractTablesFingerprint()));
  PIONEER_RETURN_IF_ERROR(
      Exec(db, fmt::format("PRAGMA application_id = {}; PRAGMA user_version = {};", kApplicationId,
                           Store::kSchemaVersion)));
  return OkStatus();
}

// Reads the version of an existing Pioneer store, or explains why it has none.
StatusOr<int> ReadVersion(sqlite3* db, const std::string& path) {
  PIONEER_ASSIGN_OR_RETURN(
      int64_t has_meta,
      QueryInt(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'"));
  if (has_meta == 0) {
    return FailedPreconditionError(fmt::format(
        "'{}' is marked as a Pioneer store but has no meta table: it is damaged", path));
  }
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> v, MetaValue(db, "schema_version"));
  if (!v) {
    return FailedPreconditionError(
        fmt::format("'{}' is a Pioneer store without a schema_version: it is damaged", path));
  }
  int version = -1;
  auto [ptr, ec] = std::from_chars(v->data(), v->data() + v->size(), version);
  if (ec != std::errc() || ptr != v->data() + v->size() || version < 1) {
    return FailedPreconditionError(
        fmt::format("'{}' has an unknown store schema version '{}' (this Pioneer reads version {})",
                    path, *v, Store::kSchemaVersion));
  }
  return version;
}

}  // namespace

std::string ExtractTableDdl(const formats::ExtractSpec& spec) {
  std::string sql = fmt::format("CREATE TABLE {}(\n", QuoteIdent(spec.table));
  for (const ColumnDef& c : ExtractDataColumns(spec)) {
    sql += fmt::format("  {} {}{},\n", QuoteIdent(c.name), SqlType(c.type),
                       c.not_null ? " NOT NULL" : "");
  }
  sql += fmt::format(
      "  {} INTEGER NOT NULL,\n  {} INTEGER NOT NULL,\n  {} INTEGER PRIMARY KEY\n) STRICT;\n",
      kRunIdColumn, kLineColumn, kRowColumn);
  return sql;
}

Status CreateExtractIndexes(sqlite3* db) {
  std::string sql;
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    for (const std::string& col : ExtractIndexedColumns(spec)) {
      sql += fmt::format("CREATE INDEX IF NOT EXISTS {} ON {}({});\n",
                         QuoteIdent(fmt::format("idx_{}_{}", spec.table, col)),
                         QuoteIdent(spec.table), QuoteIdent(col));
    }
  }
  return Exec(db, sql);
}

namespace {

// What a file holds, read without writing anything.
struct Inspection {
  bool fresh = false;  // no application id and no objects: a new store
  int version = 0;     // the stored schema version (0 when fresh)
};

StatusOr<Inspection> Inspect(sqlite3* db, const std::string& path) {
  // Look before writing anything: a foreign database must not even get a WAL switch.
  auto app_id = QueryInt(db, "PRAGMA application_id");
  if (!app_id.ok()) {
    if (app_id.status().code() == StatusCode::kFailedPrecondition) {
      return FailedPreconditionError(
          fmt::format("'{}' is not a Pioneer store (not an SQLite database)", path));
    }
    return app_id.status();
  }
  PIONEER_ASSIGN_OR_RETURN(int64_t objects, QueryInt(db, "SELECT count(*) FROM sqlite_master"));
  Inspection in;
  in.fresh = *app_id == 0 && objects == 0;
  if (!in.fresh && *app_id != kApplicationId) {
    return FailedPreconditionError(
        fmt::format("'{}' is not a Pioneer store (an SQLite database written by another program); "
                    "choose a new file name for the store",
                    path));
  }
  if (!in.fresh) {
    PIONEER_ASSIGN_OR_RETURN(in.version, ReadVersion(db, path));
    if (in.version > Store::kSchemaVersion) {
      return FailedPreconditionError(
          fmt::format("'{}' has store schema version {}, newer than this Pioneer supports ({}); "
                      "use a newer Pioneer to read it",
                      path, in.version, Store::kSchemaVersion));
    }
  }
  return in;
}

Status CheckFingerprint(sqlite3* db, const std::string& path) {
  PIONEER_ASSIGN_OR_RETURN(std::optional<std::string> fp, MetaValue(db, "extract_tables_sha256"));
  if (!fp || *fp != ExtractTablesFingerprint()) {
    return FailedPreconditionError(fmt::format(
        "'{}' was created with different extract formats than this Pioneer build, at the same "
        "store schema version {} (a format change without a migration); re-create the store "
        "by ingesting into a new file",
        path, Store::kSchemaVersion));
  }
  return OkStatus();
}

}  // namespace

Status CheckSqliteSchemaReadOnly(sqlite3* db, const std::string& path) {
  PIONEER_ASSIGN_OR_RETURN(Inspection in, Inspect(db, path));
  if (in.fresh) {
    return FailedPreconditionError(
        fmt::format("'{}' is empty, not a Pioneer store (`pioneer ingest --db {} DIR` creates one)",
                    path, path));
  }
  if (in.version < Store::kSchemaVersion) {
    return FailedPreconditionError(fmt::format(
        "'{}' has store schema version {} and needs migrating to {}, which a read-only "
        "connection cannot do; open it once for writing (any command but a read-only one, "
        "e.g. `pioneer quality --db {}`) to migrate it",
        path, in.version, Store::kSchemaVersion, path));
  }
  return CheckFingerprint(db, path);
}

Status PrepareSqliteSchema(sqlite3* db, const std::string& path) {
  PIONEER_ASSIGN_OR_RETURN(Inspection in, Inspect(db, path));
  const bool fresh = in.fresh;
  const int version = in.version;
  // A new file gets larger pages (fewer pages and WAL frames per row); page_size must be set
  // before the first table and before WAL mode.
  if (fresh) PIONEER_RETURN_IF_ERROR(Exec(db, "PRAGMA page_size = 16384"));
  PIONEER_RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode = WAL"));
  if (version < Store::kSchemaVersion) {
    PIONEER_RETURN_IF_ERROR(Exec(db, "BEGIN IMMEDIATE"));
    // Re-read under the write lock: another process may have created or migrated it.
    auto objects_now = QueryInt(db, "SELECT count(*) FROM sqlite_master");
    Status s = objects_now.status();
    if (s.ok()) {
      int from = 0;
      if (*objects_now > 0) {
        auto v = ReadVersion(db, path);
        s = v.status();
        if (s.ok()) from = *v;
      }
      if (s.ok() && from < Store::kSchemaVersion) s = Migrate(db, from, path);
    }
    if (!s.ok()) {
      (void)Exec(db, "ROLLBACK");
      return s;
    }
    PIONEER_RETURN_IF_ERROR(Exec(db, "COMMIT"));
  }
  return CheckFingerprint(db, path);
}

}  // namespace pioneer::store
