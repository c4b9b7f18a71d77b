// SqlDialect: how one SQL database spells what portable SQL leaves to each database - date
// arithmetic, the row-id column, booleans, integer division, GREATEST/LEAST, substring search.
//
// Each Store backend owns its dialect (Store::dialect()); code that renders SQL for a store
// asks the store for it instead of assuming SQLite, so a PostgreSQL backend gets SQL it can
// run without touching the renderer. The dialects of databases Pioneer has no backend for
// (PostgreSQL, DuckDB) are also used to emit SQL for them by name (`pioneer metrics
// --emit-sql postgres|duckdb`, bench/metrics_bench.sh), over tables loaded with every column
// as text plus `_rowid` (the SQLite row id).
//
// Every function returns an SQL expression over the SQL expressions it is given (dates are
// ISO `YYYY-MM-DD` text in the store); it never quotes or validates its arguments. The
// renderings are part of the emitted SQL's contract: changing one changes every statement
// that uses it (keep them byte-stable).
// Thread safety: the dialects are immutable singletons, shared freely across threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pioneer::store {

class SqlDialect {
 public:
  enum class Kind { kSqlite, kPostgres, kDuckDb };

  static const SqlDialect& Sqlite();
  static const SqlDialect& Postgres();
  static const SqlDialect& DuckDb();
  // The dialect named `name` ("sqlite", "postgres", "duckdb"); nullptr for any other name.
  static const SqlDialect* ByName(std::string_view name);

  Kind kind() const { return kind_; }
  std::string_view name() const;

  // Boolean literals ("1"/"0" in SQLite, "TRUE"/"FALSE" elsewhere).
  const char* True() const;
  const char* False() const;
  // `x` (ISO text) as a DATE value (for the dialects with a DATE type).
  std::string AsDate(const std::string& x) const;
  // ISO text of a DATE value.
  std::string IsoOf(const std::string& date) const;
  // Scalar two-argument maximum and minimum.
  std::string Greatest(const std::string& a, const std::string& b) const;
  std::string Least(const std::string& a, const std::string& b) const;
  // Whole days from date a to date b (ISO texts), as an integer.
  std::string DaysFromTo(const std::string& a, const std::string& b) const;
  // The date `day` (ISO text) shifted by n days, as ISO text; `day` itself when n is 0.
  std::string ShiftDays(const std::string& day, int64_t n) const;
  // Calendar parts of an ISO date as integers; month-day as "MM-DD" text.
  std::string YearOf(const std::string& x) const;
  std::string MonthOf(const std::string& x) const;
  std::string MonthDayOf(const std::string& x) const;
  std::string WeekdayOf(const std::string& x) const;  // 0 = Sunday .. 6 = Saturday
  // The row-id column of table alias `alias`: the stable insertion key of a row, what
  // record_links.row_id and drill-down row ids refer to (an extract's `_row`, docs/store.md).
  std::string RowId(const std::string& alias) const;
  // The bare name: "rowid" (SQLite; names _row), "_rowid" (the benchmark tables' column).
  std::string_view RowIdColumn() const;
  // Integer division of `a` by the constant b (> 0), truncating.
  std::string IntDiv(const std::string& a, int b) const;
  // Name of the function f(haystack, needle) that is > 0 when needle occurs in haystack.
  const char* FindFunction() const;
  // How to begin a many-row INSERT whose failure the caller's transaction rolls back as a
  // whole, so the statement need not be able to undo its own earlier rows: "INSERT OR FAIL"
  // in SQLite (no statement journal of every page the statement changes), "INSERT" elsewhere.
  const char* BulkInsert() const;

 private:
  explicit constexpr SqlDialect(Kind kind) : kind_(kind) {}
  bool Lite() const { return kind_ == Kind::kSqlite; }
  Kind kind_;
};

}  // namespace pioneer::store
