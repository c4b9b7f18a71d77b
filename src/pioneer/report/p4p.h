// Payment for performance, 2015/16 design (BCF 2015/16 planning guidance as revised in 2014, see
// docs/report.md; every parameter comes from the plan's [p4p] table because none of the mechanics
// was verified).
//
// For each pair (baseline quarter b, plan quarter q):
//   planned_reduction = baseline_b * planned_reduction_pct / 100   (admissions)
//   pot               = planned_reduction * value_per_admission
//   achieved          = baseline_b - actual_q
//   released          = clamp(achieved, 0, planned_reduction) * value
//   withheld          = pot - released   -> `withheld_to` (the acute provider / NHS commissioner)
// With assessment "cumulative" the clamp applies to the running totals and each quarter
// releases the increase of the cumulative release.
// The value per admission is labelled unverified in every output when value_provenance says so.
// Thread safety: plain function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pioneer/plan/plan.h"

namespace pioneer::report {

struct P4pQuarter {
  std::string baseline_quarter, plan_quarter;
  std::optional<double> baseline;  // admissions in the baseline quarter
  std::optional<double> actual;    // admissions in the plan quarter
  double planned_reduction = 0;
  double planned_admissions = 0;
  std::optional<double> achieved_reduction;
  double pot_gbp = 0;
  std::optional<double> released_gbp;
  std::optional<double> withheld_gbp;
};

struct P4pResult {
  bool present = false;
  std::string metric;
  double value_per_admission_gbp = 0;
  bool value_unverified = false;
  std::string value_provenance;
  std::string assessment;
  std::string withheld_to;
  double planned_reduction_pct = 0;
  std::vector<P4pQuarter> quarters;
  double pot_gbp = 0, released_gbp = 0, withheld_gbp = 0;  // over quarters with data
};

// `baseline[i]` and `actual[i]` are the admissions in baseline_quarters[i] / plan_quarters[i].
P4pResult ComputeP4p(const plan::P4p& p, const std::vector<std::optional<double>>& baseline,
                     const std::vector<std::optional<double>>& actual);

}  // namespace pioneer::report
