// Everything a Health and Wellbeing Board report shows about one plan, computed once and
// rendered twice (workbook.h: bcf-part2.xlsx; dashboard.h: dashboard.html).
//   findings   the validator's findings on the plan (shown, never hidden);
//   tracks     actual vs plan per metric (tracking.h);
//   p4p        payment for performance (p4p.h), counts from the P4P metric's numerators;
//   scenarios  the risk-share scenarios (scenarios.h), assessed over the plan's first year
//              against the year before it (the baseline year);
//   facts      unit costs, reablement, discharges by weekday (the plan's last year);
//   national_condition
//              joint care plan coverage of the high-risk, when a risk report was given
//              (national_condition.h);
//   care_trak  the schemes evaluated with `pioneer caretrak`, when their results were given;
//   care_trak_value
//              their financial value against the plan's investment, and the risk share and
//              P4P with their measured saving (care_trak_value.h; set by the caller after
//              adding care_trak: ValueCareTrak).
// Thread safety: plain values and functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan.h"
#include "pioneer/report/care_trak.h"
#include "pioneer/report/care_trak_value.h"
#include "pioneer/report/national_condition.h"
#include "pioneer/report/observations.h"
#include "pioneer/report/p4p.h"
#include "pioneer/report/scenarios.h"
#include "pioneer/report/tracking.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::report {

struct ReportData {
  plan::Plan plan;
  std::vector<plan::Finding> findings;
  std::vector<MetricTrack> tracks;
  P4pResult p4p;
  std::vector<ScenarioResult> scenarios;
  StoreFacts facts;
  std::string data_as_of;
  std::string engine;
  bool disclosure_applied = true;
  std::vector<std::string> not_in_catalogue;
  std::string assessment_year, baseline_year;  // for the scenarios
  std::optional<NationalCondition> national_condition;
  std::vector<CareTrakScheme> care_trak;
  std::optional<CareTrakValue> care_trak_value;
};

// The periods and catalogue ids a plan's report needs measured.
std::vector<NamedPeriod> ReportPeriods(const plan::Plan& plan);
std::vector<std::string> ReportMetricIds(const plan::Plan& plan);

// Pure assembly from measured values (tested with hand-made observations). `facts` are used
// as given: MeasureFacts publishes them under the same disclosure control as the metrics.
ReportData AssembleReport(const plan::Plan& plan, const Observations& obs, const StoreFacts& facts);

// Measures everything from the context's store (its timeline and reference data: see
// MeasureMetrics) and assembles the report.
StatusOr<ReportData> BuildReport(const plan::Plan& plan, analysis::AnalysisContext& ctx);

}  // namespace pioneer::report
