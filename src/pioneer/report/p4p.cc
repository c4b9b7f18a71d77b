#include "pioneer/report/p4p.h"

#include <algorithm>

namespace pioneer::report {

P4pResult ComputeP4p(const plan::P4p& p, const std::vector<std::optional<double>>& baseline,
                     const std::vector<std::optional<double>>& actual) {
  P4pResult r;
  r.present = p.present;
  if (!p.present) return r;
  r.metric = p.metric;
  r.value_per_admission_gbp = p.value_per_admission_gbp;
  r.value_provenance = p.value_provenance;
  r.value_unverified = p.value_provenance == "unverified";
  r.assessment = p.assessment;
  r.withheld_to = p.withheld_to;
  r.planned_reduction_pct = p.planned_reduction_pct;
  const double value = p.value_per_admission_gbp;
  double cum_planned = 0, cum_achieved = 0, cum_released = 0;
  size_t n = std::min(p.baseline_quarters.size(), p.plan_quarters.size());
  for (size_t i = 0; i < n; ++i) {
    P4pQuarter q;
    q.baseline_quarter = p.baseline_quarters[i];
    q.plan_quarter = p.plan_quarters[i];
    q.baseline = i < baseline.size() ? baseline[i] : std::nullopt;
    q.actual = i < actual.size() ? actual[i] : std::nullopt;
    if (q.baseline) {
      q.planned_reduction = *q.baseline * p.planned_reduction_pct / 100.0;
      q.planned_admissions = *q.baseline - q.planned_reduction;
      q.pot_gbp = q.planned_reduction * value;
      r.pot_gbp += q.pot_gbp;
    }
    if (q.baseline && q.actual) {
      q.achieved_reduction = *q.baseline - *q.actual;
      double released;
      if (p.assessment == "cumulative") {
        cum_planned += q.planned_reduction;
        cum_achieved += *q.achieved_reduction;
        double cum = std::clamp(cum_achieved, 0.0, cum_planned) * value;
        released = std::max(0.0, cum - cum_released);
        cum_released += released;
      } else {
        released = std::clamp(*q.achieved_reduction, 0.0, q.planned_reduction) * value;
      }
      q.released_gbp = released;
      q.withheld_gbp = q.pot_gbp - released;
      r.released_gbp += released;
      r.withheld_gbp += *q.withheld_gbp;
    }
    r.quarters.push_back(q);
  }
  return r;
}

}  // namespace pioneer::report
