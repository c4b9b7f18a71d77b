// The master person index as the store holds it: which table it is, and which of its rows
// speaks for a person now.
//
// The PDS extract (formats::kMasterIndexTable, "pds") holds one current row per person plus
// history rows for earlier names and addresses. A row stands for the person of its NHS Number
// exactly when the number is valid (nhs_number_status = 'valid') and the row is the current
// one (record_type = 'current'); where a number has several such rows, the first by row id
// speaks for the person (its row id is the person's FHIR Patient id). Every reader that looks
// people up in the index (the IG gate, the shared care record's person records and server, both
// metric engines' person table and reference data, the person timeline, the quality report) uses
// this one rule, through the functions below. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "pioneer/store/sql_dialect.h"

namespace pioneer::store {

// SQL condition true for a current row with a valid NHS Number; columns are qualified by
// `alias` ("p" -> "p.nhs_number_status = 'valid' AND p.record_type = 'current'"), unqualified
// when `alias` is empty. Standard SQL: any backend's dialect.
std::string CurrentPersonRowSql(std::string_view alias);

// SQL condition true for the row of the master index table that speaks for its person: a
// current row with a valid number and no such row of the same number before it by row id.
// `alias` names the index table's row in the caller's query (not empty); the condition holds
// a correlated subquery over the same table (indexed on nhs_number).
std::string SpeakingPersonRowSql(std::string_view alias, const SqlDialect& dialect);

// The same rule for values already read: `nhs_number_status` and `record_type` of a row.
bool IsCurrentPersonRow(std::string_view nhs_number_status, std::string_view record_type);

}  // namespace pioneer::store
