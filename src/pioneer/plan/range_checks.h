// Range and type checks of a plan's values, as data (docs/plan-format.md, "Ranges"): every
// number of the plan is visited with the kind of quantity it is (money, share, percentage,
// ...), and a table of rules gives each kind its allowed range; dates and quarters must be
// real and lie within the plan's years. Findings use the validator's machinery (finding.h)
// and are part of ValidatePlan's result; codes start with "range.".
//   range.negative_money     money below 0 (the BCF template's amounts are all >= 0)
//   range.share              a risk-share partner share outside [0, 1]
//   range.percent            a percentage metric value or planned reduction outside 0..100
//   range.negative_value     a rate or count metric value below 0
//   range.change_pct         a planned change below -100%
//   range.amount_range       an amount range whose low end is above its high end
//   range.quarter            a P4P quarter that is not "YYYY/YY Qn" with n 1..4
//   range.milestone_date     a milestone outside the plan's financial years
//   range.baseline_period    a baseline period that is not a period (Period::Parse)
// (The reader already refuses nan/inf and a measure_months outside 1..120.)
// Thread safety: plain function.
#pragma once

#include <vector>

#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan.h"

namespace pioneer::plan {

// Findings with line 0; ValidatePlan places them on their keys' lines.
std::vector<Finding> CheckRanges(const Plan& plan);

}  // namespace pioneer::plan
