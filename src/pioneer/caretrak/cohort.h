// Cohort definitions as data: what Care Trak follows, read from a JSON file (docs/caretrak.md
// is the reference) or built from the short command line (--enrolment, --outcome).
//
//   {
//     "name": "virtual_ward",
//     "scheme": "case_management",
//     "entry": {"type": "enrolment_list", "file": "virtual_ward.csv"},
//     "index_date": "enrolment_date",
//     "eligibility": {"min_age": 18, "max_age": 120},
//     "look_back_months": 12,
//     "follow_up_months": 12,
//     "outcomes": ["non_elective_admissions", "total_cost"],
//     "comparison": {"control_index": "auto", "caliper_sd": 0.2, "controls_per_case": 1,
//                    "regression_adjustment": true, "reuse_controls": true,
//                    "exact_practice": false, "adjust_for_later_enrolment": true,
//                    "bootstrap": 500, "seed": 1, "min_cohort": 20, "reliable_cohort": 100}
//   }
//
// Every key is optional except entry and outcomes; unknown keys anywhere are an error naming
// the key's path (a typo must not silently fall back to a default). Entry types:
// "enrolment_list" (a CSV of nhs_number,enrolment_date; a relative path is relative to the
// cohort file's folder) and "care_plan_created" (each person's first care plan in the store's
// register, indexed on its start date; {"type": "care_plan_created", "joint_only": true} keeps
// joint plans only), and each person's first event of a kind in the extracts, indexed on its
// date: "reablement_start" (a reablement service in the social care extract),
// "virtual_ward_start" and "case_management_start" (a community contact of the virtual ward or
// the community matron team). control_index: "emergency_discharge" (controls'
// index dates are their own emergency discharges plus the cohort's median lag), "enrolment_dates"
// (controls take the cohort's calendar index dates) or "auto" (the first when most of the cohort
// was enrolled within 30 days of an emergency discharge). Errors: kInvalidArgument naming the file
// and key (or the JSON parser's line and column); kNotFound when the file does not exist. Thread
// safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/caretrak/activity.h"

namespace pioneer::caretrak {

enum class ControlIndex { kAuto, kEmergencyDischarge, kEnrolmentDates };
enum class EntryType {
  kEnrolmentList,
  kCarePlanCreated,
  // Each person's first event of a kind in the store's extracts (enrolment.h).
  kReablementStart,      // social care service "reablement" (event_type service)
  kVirtualWardStart,     // community contact of the "virtual_ward" team
  kCaseManagementStart,  // community contact of the "community_matron" (case management) team
};

struct CohortDefinition {
  std::string name = "cohort";
  // The plan's scheme this cohort evaluates (Scheme::id in the plan file; "" = the name), so
  // that `pioneer report --caretrak` sets its measured saving against the scheme's investment.
  std::string scheme;
  EntryType entry = EntryType::kEnrolmentList;
  bool joint_only = false;        // care_plan_created: joint plans only
  std::string enrolment_csv;      // the entry event's list (kEnrolmentList)
  std::vector<Measure> outcomes;  // the first is the primary outcome
  int min_age = 18;
  int max_age = 120;
  int look_back_months = 12;
  int follow_up_months = 12;
  ControlIndex control_index = ControlIndex::kAuto;
  double caliper_sd = 0.2;
  // 1:k matching: comparison rows per cohort member (1-10; matching.h). Default measured
  // (docs/caretrak.md, "1:k matching and regression adjustment").
  int controls_per_case = 1;
  // Regression adjustment of the DiD on the matching covariates (doubly robust; estimate.h).
  bool regression_adjustment = true;
  // A comparison person may be matched at several index dates (each candidate row once);
  // false: each person at most once (matching.h says why reuse is the default).
  bool reuse_controls = true;
  // Match inside the same GP practice on the index date where a candidate is inside the
  // caliper, else anywhere in the stratum (matching.h, `fine`). Off by default
  // (docs/caretrak.md says why).
  bool exact_practice = false;
  // Comparison people enrolled during their follow-up: adjust for the scheme they received
  // (estimate.h, iterative parameter estimation); false: report the diluted DiD.
  bool adjust_for_later_enrolment = true;
  int bootstrap = 500;
  uint64_t seed = 1;
  int min_cohort = 20;        // fewer matched pairs: an error (too small to match)
  int reliable_cohort = 100;  // fewer matched pairs: results flagged as unreliable
};

StatusOr<CohortDefinition> ReadCohortFile(const std::string& path);
// The same from text (`source` names it in errors; `base_dir` resolves relative files).
StatusOr<CohortDefinition> ParseCohort(const std::string& text, const std::string& source,
                                       const std::string& base_dir);

const char* ControlIndexName(ControlIndex c);
const char* EntryTypeName(EntryType e);  // the entry.type value

}  // namespace pioneer::caretrak
