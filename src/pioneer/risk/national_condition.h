// The national condition on joint care planning, measured: the share of adults at high risk
// of emergency admission (by each case-finding approach), and the share of them with a joint
// care plan in force and a named lead professional; by practice, CCG and area, over time
// (docs/care-plans.md "National condition figures").
//
// Definitions (one place, here):
//   adults          cohort people aged 18 or over on the day (risk::BuildCohort's cohort:
//                   alive and registered with a practice);
//   high risk       by approach: "top2_practice" (the practice's top 2% by predicted risk of
//                   emergency admission, as Leeds), "top4_practice" (top 4%, as Tri-borough)
//                   or "loa_4_5" (Likelihood of Admission band 4 or 5, as West
//                   Leicestershire), from risk::Stratify and risk::LoaBand;
//   with plan       a care plan in force on the day (careplan::CarePlan::InForceOn);
//   with joint plan and lead
//                   a plan in force that is joint and names an accountable GP and a care
//                   coordinator -- the national condition's figure.
// People who objected to secondary use rank in their practice's list but are not counted.
// Disclosure control: every published count goes through PublishedCount (1-7 suppressed,
// others rounded to 5) and shares are computed from published counts; a suppressed count
// makes its share null. Exact counts never leave this module except through Coverage (for
// tests and callers that apply their own control).
// Thread safety: pure functions.
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/careplan/care_plan.h"
#include "pioneer/risk/pipeline.h"
#include "pioneer/risk/stratification.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::risk {

enum Approach { kTop2Practice = 0, kTop4Practice, kLoa45, kApproachCount };
const char* ApproachName(Approach a);   // "top2_practice", ...
const char* ApproachLabel(Approach a);  // "Top 2% of each practice (Leeds)", ...

struct PlanFlags {
  bool in_force = false;
  bool joint_with_lead = false;
};
// Person (NHS Number) -> what their plans in force on `day` give (any plan counts).
std::unordered_map<std::string, PlanFlags> PlansInForce(std::span<const careplan::CarePlan> plans,
                                                        Date day);

struct Coverage {
  int64_t adults = 0;
  int64_t high_risk = 0;
  int64_t with_plan = 0;
  int64_t with_joint_plan_and_lead = 0;
};
using ApproachCoverage = std::array<Coverage, kApproachCount>;

struct CoverageOn {
  Date day;
  ApproachCoverage area;
  std::map<std::string, ApproachCoverage> by_practice;
  std::map<std::string, ApproachCoverage> by_ccg;  // practices without a CCG: "unknown"
};

// One scored person of the cohort on the day.
struct CoveragePerson {
  std::string practice;
  int age = 0;
  double p_emergency = 0;      // boosted, recalibrated (ranks the practice's list)
  double p_any_admission = 0;  // boosted, recalibrated (Likelihood of Admission band)
  PlanFlags plan;
  // Objected to secondary use: ranks in the practice's list (the GP's own case finding is
  // direct care) but is not counted in these planning figures.
  bool objected = false;
};
// Exact counts (the definitions above) for the whole cohort on `day`: every registered
// person ranks in their practice's list; only adults who have not objected are counted.
// `strata`, when given, must be Stratify over the people's practices and p_emergency (the
// caller computed it already); else it is computed here.
CoverageOn MeasureCoverage(Date day, std::span<const CoveragePerson> people,
                           const std::map<std::string, std::string>& ccg_of_practice,
                           const Strata* strata = nullptr);
// The same for a scored cohort (Scores of `t` at s.cohort.index_date).
// `objecting`: sorted NHS Numbers of people who objected (store::ObjectingNhsNumbers);
// `strata`: as above, Stratify(s.cohort.practice, s.boosted[kEmergency]) when given.
CoverageOn MeasureCoverage(const timeline::Timeline& t, const Scores& s,
                           const std::unordered_map<std::string, PlanFlags>& plans,
                           const std::map<std::string, std::string>& ccg_of_practice,
                           const std::vector<std::string>& objecting = {},
                           const Strata* strata = nullptr);

// The published figures: series (oldest first; the last is the headline, with its practice
// and CCG breakdowns), disclosure-controlled.
nlohmann::json NationalConditionJson(std::span<const CoverageOn> series);

// Everything above from the store: reads the care plan register and measures coverage at
// the scores' index date and at the `earlier_steps` quarter-ends before it (scored here with
// `model`), then returns NationalConditionJson of the series. When the register is empty the
// figures are still computed (every share of plans 0) and "plans_recorded" says 0.
// With `save_strata`, the strata of every date of the series are saved to the store as well
// (risk::SaveStrata, objectors left out), so that the catalogue metrics nc_* (docs/metrics.md)
// count the same people; "strata_saved" then gives the rows written.
// Errors: the store's and Score's.
StatusOr<nlohmann::json> MeasureNationalCondition(store::Store& store, const timeline::Timeline& t,
                                                  const RiskInputs& inputs, const RiskModel& model,
                                                  const Scores& at_index, int earlier_steps = 3,
                                                  bool save_strata = false);

// One line per approach for the terminal (from NationalConditionJson's output).
std::string NationalConditionSummary(const nlohmann::json& j);

}  // namespace pioneer::risk
