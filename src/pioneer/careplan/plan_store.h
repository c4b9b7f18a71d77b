// The care plan register in the store (tables care_plans and care_plan_history, schema
// version 4; docs/care-plans.md): add, change, close, read, list and history.
//
// Every change writes a new version: care_plans holds the current one, care_plan_history
// every version with the action that made it ("created", "updated", "closed"); history rows
// are append-only (the store refuses UPDATE and DELETE on them).
// Errors: kInvalidArgument for an invalid plan (message lists every field problem, never a
// value), kNotFound for an unknown plan id, kAlreadyExists for a second plan with the same
// (source, source_ref), kFailedPrecondition for closing a plan that is not open, kDataLoss
// for a stored row whose NHS Number is not valid (naming the plan, not the value), the
// store's errors otherwise.
// Information governance: plans are person-level data for direct care; callers that show
// them to people go through the IG gate (the FHIR server) or are operator tools that say so.
// Thread safety: functions take a Store used by one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/careplan/care_plan.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::careplan {

// Stores a new plan (version 1) in its own transaction; returns the plan id.
// `plan.recorded_by` must name who records it; recorded_at is set to now.
StatusOr<int64_t> AddPlan(store::Store& store, CarePlan plan);

// Stores `plan` as the next version of plan `plan.plan_id` (action "updated") in its own
// transaction, provided the current version is `expected_version`; source and source_ref
// are kept from the current version when `plan` leaves them empty. `plan.recorded_by` must
// name who records it. Returns the stored version (version and recorded_at set).
// kNotFound for an unknown plan; kFailedPrecondition when the current version is not
// `expected_version` (nothing written); kInvalidArgument for an invalid plan.
StatusOr<CarePlan> UpdatePlan(store::Store& store, CarePlan plan, int expected_version);

// Closes an open plan (draft, active or on-hold) with `status` completed, revoked or
// entered-in-error on `end_date`; returns the new version.
StatusOr<CarePlan> ClosePlan(store::Store& store, int64_t plan_id, PlanStatus status, Date end_date,
                             const std::string& recorded_by);

StatusOr<std::optional<CarePlan>> GetPlan(store::Store& store, int64_t plan_id);

struct PlanFilter {
  std::optional<NhsNumber> nhs_number;  // nullopt any person
  std::string source;                   // "" any source; else plans recorded from this source
  std::string source_ref;               // "" any; else plans whose source_ref is this value exactly
  std::string source_ref_suffix;        // "" any; else plans whose source_ref ends with this
  std::optional<PlanStatus> status;
  std::optional<Date> in_force_on;
};
// Current versions of the plans matching `filter`, by plan id.
StatusOr<std::vector<CarePlan>> ListPlans(store::Store& store, const PlanFilter& filter);

struct PlanVersion {
  std::string action;  // created, updated, closed
  CarePlan plan;
};
// Every version of one plan, oldest first. kNotFound for an unknown id.
StatusOr<std::vector<PlanVersion>> PlanHistory(store::Store& store, int64_t plan_id);

// The calls below REQUIRE the caller's open write transaction (Store::InTransaction); they
// are what AddPlan and the CSV import share.
namespace internal {
// The current version of the plan with this (source, source_ref), if any.
StatusOr<std::optional<CarePlan>> FindBySourceRef(store::Store& store, const std::string& source,
                                                  const std::string& source_ref);
// Inserts plan as version 1 (plan_id assigned) or, when plan.plan_id != 0, as the next
// version of that plan with `action`. Validates first.
StatusOr<int64_t> WriteVersion(store::Store& store, CarePlan& plan, const std::string& action);
}  // namespace internal

}  // namespace pioneer::careplan
