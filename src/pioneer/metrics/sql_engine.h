// SqlEngine: the reference evaluation. Renders a definition's predicate, period rule and
// breakdown to one SQL statement and lets SQLite run it on the store, independently of the
// timeline and of FastEngine's code paths (joins, string tests and grouping are all SQL).
//
// RenderPredicateSql is exposed so the SQL can be read, documented and reused by the
// PostgreSQL/DuckDB benchmarks. Rendering is a pure function of its arguments (no global
// state), so renderings in different dialects may run on different threads at once. NULL-safety:
// every text field is read as coalesce(CAST(f AS TEXT), ''), so "empty" and NULL behave alike and
// NOT(...) stays two-valued. Records are placed on people as the timeline places them; records
// placed on no person are counted only by definitions with count_unplaced. Thread safety: a Store
// is used from one thread at a time, so is this engine.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "pioneer/metrics/engine.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/store/sql_dialect.h"
#include "pioneer/store/store.h"

namespace pioneer::metrics {

// The SQL dialect of a rendering is passed explicitly (store/sql_dialect.h): SqlEngine renders
// in its store's dialect (Store::dialect()); `pioneer metrics --emit-sql postgres|duckdb` renders
// the same statements for the speed benchmark (bench/metrics_bench.sh), over tables loaded
// with every column as text plus `_rowid` (the SQLite rowid); integers are cast where
// compared, dates stay ISO text.
using store::SqlDialect;

// SQL boolean expression for `e` over table alias `alias` in `dialect` (SQLite when not
// given). Values are rendered as quoted literals (single quotes doubled).
std::string RenderPredicateSql(const Expr& e, const std::string& alias);
std::string RenderPredicateSql(const Expr& e, const std::string& alias, const SqlDialect& dialect);

// The counting statement of a definition: one row per cell (period index, group, ESP band,
// sex cell, measured sum), as SqlEngine::Count reads it. `has_table` says which store tables
// exist (relations to absent tables are false).
std::string RenderCountSql(const MetricDefinition& def, const Expr& predicate,
                           const CountRequest& request, const SqlDialect& dialect,
                           const std::function<bool(const std::string&)>& has_table);

class SqlEngine : public CountingEngine, public PersonTableEngine {
 public:
  explicit SqlEngine(store::Store& store) : store_(store) {}
  std::string name() const override { return "sqlite-reference"; }
  StatusOr<Counts> Count(const MetricDefinition& def, const Expr& predicate,
                         const CountRequest& request) override;
  StatusOr<std::vector<int64_t>> NumeratorRows(const MetricDefinition& def, const Expr& predicate,
                                               const LabelledPeriod& period, Breakdown breakdown,
                                               const std::string& group) override;
  // The per-person table of `spec` (person_table.h) as one SQL statement on the store
  // (person_table_sql.cc), reading records through the same views and predicate rendering.
  StatusOr<PersonTable> BuildPersonTable(const PersonTableSpec& spec) override;
  // The full counting statement in the SQLite dialect (for docs and debugging).
  static std::string CountSql(const MetricDefinition& def, const Expr& predicate,
                              const CountRequest& request);

 private:
  store::Store& store_;
};

}  // namespace pioneer::metrics
