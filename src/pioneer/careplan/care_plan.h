// CarePlan: a joint care plan for one person, as the national condition on joint assessment
// and accountable lead professionals asks for (docs/care-plans.md).
//
// A plan names the person (NHS Number), the accountable GP and the practice, a care
// coordinator from any organisation of the integrated team (health or social care), the
// organisations involved, its dates (start, review, end), goals and status. Status values are
// FHIR R4 CarePlan.status codes (http://hl7.org/fhir/R4/valueset-request-status.html).
//
// Definitions used by coverage figures (one place, here):
//   * in force on day D: status is active, on-hold, completed or revoked, start_date <= D
//     and (no end_date or D < end_date). Drafts and entries made in error never count; a
//     completed or revoked plan counts for the days before its end date.
//   * named lead professional: both an accountable GP and a care coordinator are named.
//   * joint: at least two organisations are involved.
// Validate() checks one plan and reports every problem by field; messages never contain the
// NHS Number or any other value of the plan (they may be shown and logged).
// Thread safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::careplan {

enum class PlanStatus { kDraft, kActive, kOnHold, kCompleted, kRevoked, kEnteredInError };
std::string_view StatusCode(PlanStatus s);  // "active", "on-hold", ...
std::optional<PlanStatus> ParseStatus(std::string_view code);

struct CarePlan {
  int64_t plan_id = 0;  // assigned by the store; 0 before
  // The person. Empty only while a plan is being put together from input that lacked a valid
  // number; Validate reports that, and the register never holds such a plan.
  std::optional<NhsNumber> nhs_number;
  PlanStatus status = PlanStatus::kActive;
  std::string accountable_gp;    // the named accountable GP (name or GMC/GMP code); "" none
  std::string gp_practice;       // ODS code of the GP practice
  std::string care_coordinator;  // the named care coordinator; "" none named
  std::string coordinator_role;  // e.g. community_matron, social_worker
  std::string coordinator_org;   // ODS code or council code of the coordinator's employer
  std::vector<std::string> organisations;  // organisations involved (codes), at least one
  Date start_date;
  std::optional<Date> review_date;
  std::optional<Date> end_date;
  std::string goals;        // free text
  std::string source;       // "cli", "import", ...
  std::string source_ref;   // the source system's id for the plan ("" for cli)
  int version = 0;          // 1 for a new plan; +1 on every change
  std::string recorded_at;  // UTC ISO 8601 of this version
  std::string recorded_by;  // who recorded this version

  bool InForceOn(Date d) const;
  bool HasNamedLeadProfessional() const {
    return !accountable_gp.empty() && !care_coordinator.empty();
  }
  bool IsJoint() const { return organisations.size() >= 2; }
};

struct FieldProblem {
  std::string field;   // column / option name, e.g. "review_date"
  std::string reason;  // e.g. "is before start_date"
};

// Every problem of `plan` (empty when valid).
std::vector<FieldProblem> Validate(const CarePlan& plan);

// organisations as stored: codes joined with ';'. Split ignores empty parts.
std::string JoinOrganisations(const std::vector<std::string>& orgs);
std::vector<std::string> SplitOrganisations(std::string_view text);

}  // namespace pioneer::careplan
