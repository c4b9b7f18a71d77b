// Person-level tables that Pioneer writes itself (not extracts), described like extracts so
// that the person timeline and both metric engines can read them as sources.
//
//   care_plans   the joint care plan register's current version of each plan (written by the
//                careplan module: `pioneer careplan`, the FHIR server; docs/care-plans.md);
//   risk_strata  the risk strata saved at an index date (written by the risk module:
//                `pioneer risk score --save-strata`, `pioneer risk report`, `pioneer demo`;
//                docs/risk.md "Saved strata").
//
// Each has `nhs_number` and `nhs_number_status` (always "valid": both writers validate the
// number), so records are placed on people by the same rule as extract rows. The store
// creates the tables (docs/store.md, schema versions 4 and 5); these specs only type their
// fields for readers. Ingest never reads them (they are not in AllExtracts).
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::formats {

// The derived person-level tables (file_name is empty: there is no such extract file).
std::span<const ExtractSpec> DerivedTables();

// The spec of a person-level source by store table name: an extract ("apc_episodes") or a
// derived table ("care_plans"); nullptr if neither.
const ExtractSpec* FindSourceTable(std::string_view table);

}  // namespace pioneer::formats
