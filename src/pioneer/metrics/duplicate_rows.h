// Exact duplicate rows, as the metrics skip them.
//
// The definition is the data-quality report's (quality/quality_report.h, "duplicate_rows"):
// a row that repeats an earlier row of the same extract in every field of the extract format
// (formats/extract_schema.h; the store's canonical text, empty and NULL alike) is a surplus
// copy. Metrics count the first copy (lowest rowid) and never the surplus ones, so a record
// sent twice is counted once; both engines apply this rule (FastEngine through
// ReferenceData::duplicate_rows, SqlEngine by grouping on every field in SQL).
// Errors: kInvalidArgument for a table with no extract format; store errors.
// Thread safety: uses the store from the calling thread.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::metrics {

// The rowids of the surplus copies in `table` (sorted ascending); empty when the table is
// absent. Rows are compared by two independent 64-bit hashes of all their fields.
StatusOr<std::vector<int64_t>> DuplicateRowIds(store::Store& store, const std::string& table);

// The extract fields a duplicate is judged on, in format order (what SqlEngine groups by).
std::vector<std::string> DuplicateKeyFields(const std::string& table);

}  // namespace pioneer::metrics
