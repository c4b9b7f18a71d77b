// Test support for the plan module: a minimal valid plan as TOML text, and the repository's
// example plans.
#pragma once

#include <cstdlib>
#include <string>

namespace pioneer::plan::testing {

inline std::string ExamplePlanPath(const std::string& name) {
  const char* p = std::getenv("PIONEER_SOURCE_DIR");
  return std::string(p ? p : PIONEER_SOURCE_DIR_DEFAULT) + "/examples/plans/" + name;
}

// A small, internally consistent plan: two themes, four schemes, one metric.
inline std::string MinimalPlan() {
  return R"(format_version = 1
[plan]
id = "t"
hwb = "Testshire"
years = ["2014/15", "2015/16"]
money_unit = "gbp_thousands"
local_metric = "falls"

[[organisations]]
id = "la"
name = "Testshire Council"
kind = "local_authority"

[[organisations]]
id = "ccg"
name = "Testshire CCG"
kind = "ccg"

[pooled_budget]
minimum = { "2014/15" = 100, "2015/16" = 200 }
total = { "2014/15" = 150, "2015/16" = 300 }

[[themes]]
id = "prev"
name = "Prevention"
stated_scheme_total = { "2014/15" = 50, "2015/16" = 100 }
stated_total = { "2014/15" = 100, "2015/16" = 200 }

[[themes]]
id = "disch"
name = "Discharge"
stated_total = { "2014/15" = 50, "2015/16" = 100 }

[[schemes]]
id = "s1"
name = "Scheme one"
theme = "prev"
status = "new"
lead = "ccg"
recurrent = true
metrics = ["falls"]
investment = { "2014/15" = 50, "2015/16" = 100 }
investment_by_org = { la = { "2014/15" = 20, "2015/16" = 40 }, ccg = { "2014/15" = 30, "2015/16" = 60 } }

[[schemes]]
id = "s2"
name = "Protected line"
theme = "prev"
status = "existing"
protection = true
metrics = ["falls"]
investment = { "2014/15" = 50, "2015/16" = 100 }

[[schemes]]
id = "s3"
name = "Discharge scheme"
theme = "disch"
conditions = ["seven_day_services"]
investment = { "2014/15" = 50, "2015/16" = 100 }

[protected_social_care]
stated_total = { "2014/15" = 50, "2015/16" = 100 }

[[protected_social_care.services]]
name = "Protected line"
theme = "prev"
scheme = "s2"
amount = { "2014/15" = 50, "2015/16" = 100 }

[[metrics]]
id = "falls"
name = "Falls 65+"
kind = "local"
catalogue_id = "falls_65plus"
unit = "per_100k"
rate_basis = "year"
polarity = "lower_is_better"
status = "set"
baseline = 200.0

[[metrics.milestones]]
date = "2015-03-31"
value = 190.0
stated_change_pct = 5.0

[p4p]
metric = "total_non_elective"
planned_reduction_pct = 3.5
value_per_admission_gbp = 1490
value_provenance = "local tariff"
baseline_quarters = ["2013/14 Q4"]
plan_quarters = ["2014/15 Q4"]

[risk_share]
contingency = 20

[[risk_share.scenarios]]
id = "a"
description = "Admissions trajectory missed"
kind = "avoidable_admissions_missed"
metric = "falls"
unit_cost_activity = "apc_non_elective_spell"
shares = { la = 0.25, ccg = 0.75 }
)";
}

// Replaces the first occurrence of `from` in `text` by `to`.
inline std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace pioneer::plan::testing
