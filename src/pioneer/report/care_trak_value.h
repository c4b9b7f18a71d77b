// The financial value of the schemes evaluated by Care Trak (`pioneer caretrak`,
// docs/caretrak.md), set against the plan: what each scheme measurably saved beside what the
// plan invests in it, and the plan's risk share and P4P recomputed with the measured saving.
//
// Per scheme (a caretrak.json whose cohort.scheme names a plan scheme id; docs/report.md):
//   saving per person-year   = -(difference-in-differences of total_cost), in pounds, with the
//                              95% interval (positive = saved);
//   saving per year          = saving per person-year x matched cohort members (a year of
//                              follow-up of the evaluated cohort);
//   investment               = the scheme's investment in the plan's assessment year (pounds);
//   net                      = saving per year - investment; return per pound = saving /
//                              investment;
//   admissions avoided       = -(DiD of non_elective_admissions) x matched members, per year.
// The risk share with the measured saving: the avoidable-admissions scenario asks whether the
// schemes delivered their trajectory, which a population count cannot separate from demand
// (scenario c's subject), so its "actual" becomes the baseline year's count less the
// admissions the evaluated schemes measurably avoided (summed over schemes):
//   actual' = baseline - avoided;  excess = max(0, actual' - planned) = max(0, planned
//   reduction - avoided);  cost = excess x unit cost,
// then the contingency and partner shares as scenarios.h, in the plan's order (so a smaller
// draw-down leaves more contingency for the scenarios after it). The other scenarios keep
// their measured inputs. P4P with the measured saving: each plan quarter's actual becomes its
// baseline quarter less a quarter of the avoided admissions (p4p.h, unchanged rules). Both
// assume the evaluated cohorts do not overlap and that a year of their follow-up stands for
// the assessment year; Care Trak counts all emergency admissions of the cohort, which bounds
// the avoidable ones from above.
// Thread safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pioneer/plan/plan.h"
#include "pioneer/report/care_trak.h"
#include "pioneer/report/p4p.h"
#include "pioneer/report/scenarios.h"

namespace pioneer::report {

struct SchemeValue {
  std::string cohort;       // the Care Trak cohort's name
  std::string scheme_id;    // the plan scheme it evaluates
  std::string scheme_name;  // "" when the plan has no scheme of that id
  int64_t matched = 0;
  bool reliable = false;
  std::optional<double> saving_per_person_gbp, saving_per_person_low_gbp,
      saving_per_person_high_gbp;
  std::optional<double> saving_gbp, saving_low_gbp, saving_high_gbp;  // per year, the cohort
  std::optional<double> investment_gbp;                               // the assessment year
  std::optional<double> net_gbp;
  std::optional<double> return_per_pound;
  std::optional<double> admissions_avoided, admissions_avoided_low, admissions_avoided_high;
  std::string note;
};

struct CareTrakValue {
  std::string year;  // the assessment year the investment is read for
  std::vector<SchemeValue> schemes;
  std::optional<double> admissions_avoided;  // summed over schemes with the outcome
  // Present only when admissions avoided were measured.
  std::vector<ScenarioResult> scenarios;
  std::optional<P4pResult> p4p;
};

// `scenarios` and `p4p`: the report's, measured from the population (their inputs are reused).
CareTrakValue ValueCareTrak(const plan::Plan& plan, const std::vector<CareTrakScheme>& care_trak,
                            const std::vector<ScenarioResult>& scenarios, const P4pResult& p4p,
                            const std::string& assessment_year);

}  // namespace pioneer::report
