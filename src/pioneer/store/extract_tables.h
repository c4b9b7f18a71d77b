// How an extract (formats::ExtractSpec) becomes a store table, independent of the backend.
//
// Table name: spec.table. Columns, in order:
//   1. the spec's fields, in spec order, with the column type of their FieldType
//      (integer -> kInteger, decimal -> kReal, everything else -> kText; dates are ISO text);
//   2. "<field>_status" (kText, never NULL) for every kNhsNumber field, in spec order:
//      kNhsValid, kNhsMissing or an NhsNumberProblemName;
//   3. _run_id (kInteger): the ingest run that stored the row;
//      _line (kInteger): the physical line of the row's first line in its file;
//   4. _row (kInteger, the INTEGER PRIMARY KEY in SQLite: an alias of the rowid, so a VACUUM
//      never renumbers it): the row id, assigned by the store in insertion order, that
//      record_links.row_id, drill-down rows and the timeline refer to (store schema 9).
//      Readers spell it SqlDialect::RowIdColumn() (SQLite's "rowid" names this column).
// Required fields other than NHS Numbers are NOT NULL (ingest quarantines rows without them).
// ExtractDataColumns returns parts 1 and 2: the values ingest supplies for each row.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::store {

enum class ColumnType { kText, kInteger, kReal };

struct ColumnDef {
  std::string name;
  ColumnType type;
  bool not_null;
};

inline constexpr std::string_view kRunIdColumn = "_run_id";
inline constexpr std::string_view kLineColumn = "_line";
inline constexpr std::string_view kRowColumn = "_row";
inline constexpr std::string_view kNhsValid = "valid";
inline constexpr std::string_view kNhsMissing = "missing";

ColumnType ColumnTypeFor(formats::FieldType type);
// "nhs_number" -> "nhs_number_status".
std::string NhsStatusColumn(std::string_view field);
// Fields then NHS Number status columns (parts 1 and 2 above).
std::vector<ColumnDef> ExtractDataColumns(const formats::ExtractSpec& spec);
// Columns that get a (non-unique) index after each load: the NHS Number fields (linkage
// and the person timeline read by person). Index names are "idx_<table>_<column>".
std::vector<std::string> ExtractIndexedColumns(const formats::ExtractSpec& spec);

}  // namespace pioneer::store
