// Risk-share scenarios of the pooled budget (Leicestershire seed, section 75 risk workshop):
//   (a) avoidable_admissions_missed  the avoidable emergency admissions trajectory is missed:
//       excess = actual - planned avoidable admissions; cost = excess x cost per admission;
//   (c) acute_demand_outstrips       schemes work but total non-elective demand outstrips
//       them: excess = actual - planned non-elective admissions (baseline x (1 + planned
//       change)); cost = excess x cost per admission (over-performance on the acute contract);
//   (d) community_demand_higher      schemes work better than planned and push demand into
//       reablement/home care: excess = actual - planned reablement starts; cost = excess x
//       cost per reablement episode (weekly unit cost x measured mean episode length).
// Each scenario's cost is met first from the contingency, drawn down in the plan's scenario
// order; what remains is each partner's exposure by the scenario's shares (unallocated when
// the plan states none). Only excesses count: a scenario that did not happen costs nothing.
// The inputs (planned and actual activity, unit costs) are measured by report_data.h.
// Thread safety: plain function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/plan/plan.h"

namespace pioneer::report {

struct ScenarioInput {
  std::string activity;  // what is counted ("avoidable emergency admissions, 2014/15")
  std::optional<double> planned;
  std::optional<double> actual;
  std::optional<double> unit_cost_gbp;  // per unit of activity
  std::string unit_cost_basis;          // where the unit cost came from
  std::optional<double> baseline;       // the activity in the baseline year (admissions)
};

struct ScenarioResult {
  std::string id, description, kind;
  bool modelled = false;
  std::string note;  // why not modelled, or caveats
  ScenarioInput input;
  std::optional<double> excess;
  double cost_gbp = 0;
  double contingency_before_gbp = 0, drawdown_gbp = 0, contingency_after_gbp = 0;
  double beyond_contingency_gbp = 0;
  std::map<std::string, double> exposure_gbp;  // partner org id -> £
  double unallocated_gbp = 0;
  std::string shares_basis;
};

// `inputs` by scenario id; scenarios without an input (or of kind exempt / not_modelled) are
// reported as not modelled.
std::vector<ScenarioResult> ModelScenarios(const plan::Plan& plan,
                                           const std::map<std::string, ScenarioInput>& inputs);

}  // namespace pioneer::report
