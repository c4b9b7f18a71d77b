// The national condition on joint care planning as the BCF dashboard and workbook show it:
// read from the `national_condition` object of a risk report (risk-report.json, written by
// `pioneer risk report` and `pioneer demo`; definitions in docs/care-plans.md section 4).
// The figures arrive already disclosure-controlled; a suppressed figure is nullopt and is
// shown as "suppressed", never as zero.
// Errors: kNotFound / kUnavailable for a file that cannot be read; kInvalidArgument for a file
// that is not JSON or has no national_condition object (the message names the file).
// Thread safety: values and pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::report {

struct NationalConditionApproach {
  std::string id;     // top2_practice, top4_practice, loa_4_5
  std::string label;  // "Top 2% of each practice's list (Leeds)", ...
  std::optional<int64_t> adults, high_risk, with_plan, with_joint_plan_and_lead;
  std::optional<double> high_risk_share, with_plan_share, with_joint_plan_and_lead_share;
  // with_joint_plan_and_lead_share at each date of NationalCondition::dates.
  std::vector<std::optional<double>> series;
};

// One published row of a breakdown: a place (the area, a CCG or a practice) at a date, by
// one approach. Suppressed counts and shares are nullopt.
struct NationalConditionFigures {
  std::string level;     // "area", "ccg" or "practice"
  std::string code;      // "" for the area, else the CCG or practice code
  std::string date;      // ISO date
  std::string approach;  // NationalConditionApproach::id
  std::optional<int64_t> adults, high_risk, with_plan, with_joint_plan_and_lead;
  std::optional<double> high_risk_share, with_plan_share, with_joint_plan_and_lead_share;
};

struct NationalCondition {
  std::string date;                // the headline date
  std::vector<std::string> dates;  // the series, oldest first (ends with `date`)
  std::vector<NationalConditionApproach> approaches;
  // Every published row: by CCG and by practice at `date`, then the area at each of `dates`;
  // within each, in the order of `approaches`.
  std::vector<NationalConditionFigures> breakdown;
};

StatusOr<NationalCondition> ReadNationalCondition(const std::string& risk_report_json);

}  // namespace pioneer::report
