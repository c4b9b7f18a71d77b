// Importing care plans from a CSV file (`pioneer careplan import`; format in
// docs/care-plans.md), losslessly: every data row is either stored or kept whole in
// care_plan_rejects with its line, field and reason, in one transaction.
//
// Columns (header row, any order): plan_ref, nhs_number, start_date, organisations (required);
// status, accountable_gp, gp_practice, care_coordinator, coordinator_role, coordinator_org,
// review_date, end_date, goals (optional). plan_ref is the source system's id for the plan:
// a row whose plan_ref is already stored makes a new version of that plan when anything
// differs ("updated") and nothing otherwise ("unchanged"). A file already imported (same
// SHA-256) is not imported again.
// Errors (nothing stored): kInvalidArgument for a header with an unknown or repeated column
// or without a required one, or a file that is not CSV (messages name the file, line and
// column, and hint at the delimiter when the header holds semicolons or tabs); kNotFound /
// kUnavailable for a file that cannot be read; the store's errors. Row problems are not
// errors: they are counted, stored and returned (at most kMaxRejectsReturned of them).
// Messages and returned rejects never contain field values (NHS Numbers are identifiers).
// Thread safety: one call per Store at a time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::careplan {

struct RejectedRow {
  int64_t line = 0;
  std::string field;
  std::string reason;
};

struct ImportSummary {
  int64_t import_id = 0;
  bool already_imported = false;  // same file content imported before (import_id is that one)
  int64_t rows = 0;
  int64_t added = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  std::vector<RejectedRow> rejects;  // the first kMaxRejectsReturned
};

inline constexpr size_t kMaxRejectsReturned = 20;

// `recorded_by` names who runs the import (recorded on every version it writes).
StatusOr<ImportSummary> ImportPlans(store::Store& store, const std::string& path,
                                    const std::string& recorded_by);

}  // namespace pioneer::careplan
