// Checks a plan the way a regional BCF assurance reviewer would (docs/plan-format.md lists
// every finding code with its rule):
//   money      scheme totals against each theme's stated subtotal and total; all schemes
//              against the total pooled budget; protected services against their stated total
//              and their theme-table lines; per-organisation splits; minimum vs total pooled
//              budget; implausible units (a year's total under 1% of another year's);
//   metrics    schemes mapped to metrics the plan does not define; stated trajectory
//              percentages against the values they describe; milestones that move the wrong
//              way; metrics without a baseline or trajectory; the local metric;
//   P4P/risk   unverified value per admission; ambition below the expected 3.5%; partner
//              shares that do not sum to 1; references to undeclared organisations.
// Errors are inconsistencies a plan must fix; warnings are gaps and oddities to explain.
// Thread safety: plain function.
#pragma once

#include <vector>

#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan.h"

namespace pioneer::plan {

// Findings in file order (by line, then code).
std::vector<Finding> ValidatePlan(const Plan& plan);

// Tolerances (documented in docs/plan-format.md).
inline constexpr double kMoneyTolerance = 0.5;         // in the plan's money unit
inline constexpr double kPercentTolerance = 0.01;      // percentage points
inline constexpr double kImplausibleRatio = 0.01;      // one year's total vs another's
inline constexpr double kP4pMinimumAmbitionPct = 3.5;  // bcf-metrics.md 9.2

}  // namespace pioneer::plan
