#include "pioneer/report/scenarios.h"

#include <algorithm>

namespace pioneer::report {

std::vector<ScenarioResult> ModelScenarios(const plan::Plan& plan,
                                           const std::map<std::string, ScenarioInput>& inputs) {
  std::vector<ScenarioResult> out;
  double contingency =
      plan.risk_share.contingency ? plan.ToPounds(*plan.risk_share.contingency) : 0;
  for (const auto& s : plan.risk_share.scenarios) {
    ScenarioResult r;
    r.id = s.id;
    r.description = s.description;
    r.kind = s.kind;
    r.shares_basis = s.shares_basis;
    r.contingency_before_gbp = contingency;
    r.contingency_after_gbp = contingency;
    auto it = inputs.find(s.id);
    if (s.kind == "exempt") {
      r.note = "exempt from the risk share (outside the plan's control)";
    } else if (s.kind == "not_modelled") {
      r.note = "not a financial scenario; not modelled";
    } else if (it == inputs.end()) {
      r.note = "no measured input for this scenario";
    } else {
      r.input = it->second;
      const plan::Scenario* rs = &s;
      const bool change_needed =
          rs->kind == "acute_demand_outstrips" || rs->kind == "community_demand_higher";
      if (change_needed && !rs->planned_change_pct) {
        r.note =
            "the plan states no planned change in this activity: not modelled (a missing "
            "figure is never treated as zero)";
      } else if (!r.input.planned || !r.input.actual) {
        r.note = "activity not measured (metric or data missing)";
      } else if (!r.input.unit_cost_gbp) {
        r.note = "no unit cost for '" + s.unit_cost_activity + "' in the store or the plan";
      } else {
        r.modelled = true;
        r.excess = std::max(0.0, *r.input.actual - *r.input.planned);
        r.cost_gbp = *r.excess * *r.input.unit_cost_gbp;
        r.drawdown_gbp = std::min(r.cost_gbp, contingency);
        contingency -= r.drawdown_gbp;
        r.contingency_after_gbp = contingency;
        r.beyond_contingency_gbp = r.cost_gbp - r.drawdown_gbp;
        if (s.shares.empty()) {
          r.unallocated_gbp = r.beyond_contingency_gbp;
          if (r.beyond_contingency_gbp > 0)
            r.note = "the plan states no partner shares: exposure unallocated";
        } else {
          for (const auto& [org, share] : s.shares)
            r.exposure_gbp[org] = share * r.beyond_contingency_gbp;
        }
        if (*r.excess == 0 && r.note.empty()) r.note = "did not occur: actual within plan";
      }
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace pioneer::report
