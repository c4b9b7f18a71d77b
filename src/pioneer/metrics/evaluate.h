// Evaluate: turns engine counts into metric values (rates, standardised rates, CIs,
// composites), stamps each value with its provenance, and applies disclosure control.
//
// Each MetricValue carries numerator, denominator, crude rate, the ESP2013 directly
// standardised rate and 95% CI where the definition standardises (group "all" and sex groups
// only), the definition's version and citation, whether it is provisional, the switches in
// force (on the report) and the data's as-of date (on the report).
// Rates are over the period (not annualised): per 100,000 residents of the denominator ages
// in the ONS mid-year estimate chosen by switch population.mye_year.
// Practice, CCG and deprivation-decile breakdowns take GP-registered populations on 1 April
// of the financial year as denominators (ReferenceData::registered_groups), whatever
// population.basis says; groups "unknown"/"unallocated" have none (counts only). Each value
// names its denominator's basis ("ONS mid-2014 estimate", "GP-registered 1 April 2014",
// "metric ascof_2b_cohort", "expected: cfas2 x ...").
// Flags: "lookback_truncated" on values of definitions with lookback_years > 0 whose period
// starts less than that many years after the social care history starts
// (ReferenceData::social_care_first_date; ASCOF 2A 2.3 step 4: some people counted as new
// admissions may have had an earlier placement the data cannot see).
//
// Disclosure control (bcf-metrics.md 1.9, switch disclosure.apply; NHS Digital / ONS
// practice): numerators or denominators of 1-7 suppress the value and everything derived from
// it; published numerators, and denominators that are counts of records or people (another
// metric's numerator), are rounded to the nearest 5; every figure derived from them -- the
// rate or proportion, its confidence interval, the standardised rate and its interval, a
// day-of-week coefficient of variation -- is then recomputed FROM THE PUBLISHED (rounded)
// values, so that nothing suppressed or rounded away can be recovered from a published
// field (a rate times its denominator gives back the rounded numerator, not the exact one).
// Population and expected-prevalence denominators are public figures and stay exact. The
// standardised rate is scaled by published / exact count (its age-sex adjustment kept) and
// its interval is the exact Poisson interval of the published count on that rate. Rates and
// CIs are then rounded to 1 decimal place. Internal computations keep full precision (apply
// it last).
// Thread safety: plain functions.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/engine.h"
#include "pioneer/metrics/reference_data.h"

namespace pioneer::metrics {

struct MetricValue {
  std::string metric_id;
  std::string period_label;
  Period period;
  std::string group;                // "all" or the breakdown group
  std::optional<double> numerator;  // absent when suppressed
  std::optional<int64_t> denominator;
  std::optional<double> rate;  // crude, per unit
  std::optional<double> standardised_rate;
  std::optional<double> ci_lower, ci_upper;  // 95% CI of the standardised rate
  // 95% CI of the crude rate / proportion (`rate`): Wilson score for proportions (percent of
  // another metric's count), exact Poisson (Byar from 389 events) for rates per population,
  // per expected case or per person; absent for counts and means (ci_method "").
  std::optional<double> rate_ci_lower, rate_ci_upper;
  std::string ci_method;  // "wilson", "poisson", ""
  int population_year = 0;
  std::string denominator_basis;   // see above; "" for counts
  std::vector<std::string> flags;  // see above
  bool suppressed = false;
};

struct MetricsReport {
  std::vector<MetricDefinition> definitions;  // those evaluated, in order
  std::vector<MetricValue> values;
  SwitchValues switches;
  Breakdown breakdown = Breakdown::kNone;
  std::string engine;
  std::string data_as_of;
  bool disclosure_applied = false;
  // How the IG gate released these figures (ig::AggregateRelease::basis()): "published", or
  // the reconciliation grant that showed small numbers or included objectors. Set by
  // EvaluateStore; printed by ReportJson ("release") and, when not published, ReportTable.
  std::string release_basis = "published";
};

enum class Granularity { kMonth, kQuarter, kYear, kRolling12 };
// Every month / fiscal quarter / financial year that starts inside `range`; kRolling12: the
// 12 months ending with each month that ends inside `range` and starts 11 months or more after
// its start (labelled "12m to 2015-03").
std::vector<LabelledPeriod> MakePeriods(const Period& range, Granularity g);

// Evaluates `metric_ids` (all of the catalogue when empty) under `switches` (resolved).
// Errors: kNotFound for an unknown metric id; whatever the engine returns.
StatusOr<MetricsReport> Evaluate(CountingEngine& engine, const ReferenceData& reference,
                                 const SwitchValues& switches,
                                 const std::vector<LabelledPeriod>& periods, Breakdown breakdown,
                                 const std::vector<std::string>& metric_ids = {});

// Sharded evaluation (analysis/person_shard.h, metrics/shard_counts.h): each process counts
// its share with CountMetrics on an engine restricted to its shard (FastEngine::SetShard), the
// counts are added with MergeCounts, and EvaluateCounts derives every figure once from the
// sum: the report equals Evaluate's over the whole population, value for value (rates,
// intervals, standardisation and disclosure control are computed from merged counts only).
//
// The engine's counts of every definition an Evaluate of `metric_ids` reads (the leaves: a
// composite without deduplication is the sum of its components, so only they are counted), by
// metric id. Errors: as Evaluate. The counts are unsuppressed aggregates: not for release
// (docs/ig.md).
using MetricCounts = std::map<std::string, Counts>;
StatusOr<MetricCounts> CountMetrics(CountingEngine& engine, const SwitchValues& switches,
                                    const std::vector<LabelledPeriod>& periods, Breakdown breakdown,
                                    const std::vector<std::string>& metric_ids = {});
// Adds `more` into `into`, cell by cell.
void MergeCounts(MetricCounts& into, const MetricCounts& more);
// Evaluate, from counts already made (CountMetrics with the same switches, periods, breakdown
// and metric ids, possibly merged); `engine_name` names the engine that counted. Errors:
// kInvalidArgument when `counts` lack a definition the evaluation needs; kNotFound for an
// unknown metric id.
StatusOr<MetricsReport> EvaluateCounts(const MetricCounts& counts, std::string engine_name,
                                       const ReferenceData& reference, const SwitchValues& switches,
                                       const std::vector<LabelledPeriod>& periods,
                                       Breakdown breakdown,
                                       const std::vector<std::string>& metric_ids = {});

// Applies 1.9 to every value (idempotent).
void ApplyDisclosureControl(MetricsReport& report);

// How a definition's rate is expressed, for people: "per 100,000 population in the period
// (not annualised)", "per 100,000 population per month (average over the period)", "%", ...
std::string RateUnitText(const MetricDefinition& d);
// The 95% interval a definition's rate carries: "Wilson score" (proportions), "exact Poisson
// (Byar from 389 events)" (rates), or "" (counts, means, day-of-week profiles).
std::string RateCiText(const MetricDefinition& d);

nlohmann::json ReportJson(const MetricsReport& report);
std::string ReportCsv(const MetricsReport& report);
std::string ReportTable(const MetricsReport& report);

}  // namespace pioneer::metrics
