// Internal to metrics: the pieces of SqlEngine's rendering (sql_engine.cc) that the
// person-table SQL (person_table_sql.cc) reuses, so that both read records and predicates
// through exactly the same SQL, in the dialect they are given (the store's, for SqlEngine).
#pragma once

#include <functional>
#include <set>
#include <string>
#include <string_view>

#include "pioneer/metrics/definition.h"
#include "pioneer/store/sql_dialect.h"

namespace pioneer::metrics::sql_internal {

// 'text' as an SQL string literal (quotes doubled).
std::string Quote(std::string_view text);
// Field `f` of alias `alias` as text ('' when NULL), and as an ISO date text or NULL (empty
// strings are NULL).
std::string TextField(const std::string& alias, const std::string& f);
std::string DateCol(const std::string& alias, const std::string& f);
// Whole years from the date `birth` to the date `at` (SQL date texts), 0 when born after it,
// NULL when either is NULL.
std::string AgeYearsSql(const store::SqlDialect& sd, const std::string& birth,
                        const std::string& at);

// SQL boolean expression for the record predicate `e` over alias `alias`, a row of the view
// "v_<source>" (columns of the table plus _rid and _pkey). Relations anchored on kPeriodEnd /
// kPeriodStart read `p.last_day` / `p.first_day` (a `periods` row p must be in scope), PDS
// dates read alias `ps` (a row of the person CTE). Source views each relation reads are
// added to `tables`. `has_table` says which store tables exist. `top`: `alias` is a row of the
// CTE `cand` (columns _rid, _pkey), so relations anchored on the period are rendered as one
// semi-join over cand and periods (as for the counted record) rather than per row.
std::string RenderRecordPredicate(const store::SqlDialect& dialect, const Expr& e,
                                  const std::string& alias, const std::string& source,
                                  const std::function<bool(const std::string&)>& has_table,
                                  std::set<std::string>* tables, bool top = false);

// The CTE `"v_<table>" AS MATERIALIZED (...)`: the table's rows with _rid (rowid) and _pkey
// (the NHS Number of the person the row is placed on, as the timeline places it; NULL when
// placed on no person). `has_links`: the store has record_links.
std::string SourceViewCte(const store::SqlDialect& dialect, const std::string& table,
                          bool has_links);

// The SELECT of PDS current rows, one per valid NHS Number (the first by row id): nhs_number,
// sex, birth_date, death_date, lsoa_code, gp_practice_code; as the timeline reads persons.
std::string PersonRowsSql(const store::SqlDialect& dialect);

}  // namespace pioneer::metrics::sql_internal
