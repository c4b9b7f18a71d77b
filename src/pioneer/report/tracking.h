// Actual vs plan for every metric and milestone, with a red/amber/green status.
//
// For each plan metric the report measures (docs/report.md, "Tracking"):
//   * the actual value in the window that ends on each milestone date: measure_months months
//     (default 12 for per-year figures and percentages, 3 for per-month figures), taken from
//     the catalogue metric `catalogue_id` and put on the plan's footing: a rate over the window
//     becomes per month (rate / months) or per year (rate * 12 / months); "as_is" values and
//     percentages are used unchanged; counts are the numerator;
//   * variance = actual - planned, and variance % = variance / planned * 100;
//   * RAG: see RagFor. Thresholds are constants below and documented in docs/report.md;
//   * a quarterly series of actual and planned values (the trajectory interpolated linearly
//     between the baseline and the milestones, flat after the last one) for the charts.
// Thread safety: plain functions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pioneer/plan/plan.h"
#include "pioneer/report/observations.h"

namespace pioneer::report {

enum class Rag { kGreen, kAmber, kRed, kNoData };
const char* RagName(Rag r);  // "green", "amber", "red", "no data"

// Share of the planned improvement that must be achieved for amber (bcf-metrics.md 9.1: the
// 2014 design released money at >= 70% of planned improvement).
inline constexpr double kAmberShareOfImprovement = 0.70;
// Where no improvement was planned (a flat milestone): amber within this % of the milestone.
inline constexpr double kAmberTolerancePct = 2.0;

// Green: actual at or better than planned. Amber: worse, but at least 70% of the improvement
// planned from the baseline achieved (or, with no planned improvement, within 2% of the
// milestone). Red: otherwise. kNoData without an actual.
Rag RagFor(double baseline, double planned, std::optional<double> actual, bool lower_is_better);

struct MilestoneTrack {
  std::string date;
  double planned = 0;
  std::string window;  // period label the actual was measured over
  std::optional<double> actual;
  std::optional<double> variance;
  std::optional<double> variance_pct;
  Rag rag = Rag::kNoData;
};

struct SeriesPoint {
  std::string label;     // fiscal quarter "2014/15 Q3"
  std::string end_date;  // last day of the quarter
  std::optional<double> actual;
  std::optional<double> planned;  // trajectory at the quarter end (absent before baseline)
  // The actual over the 12 months ending with the quarter, on the same footing (per year /
  // per month / %; counts as a quarterly average): shown where quarters are suppressed.
  std::optional<double> rolling12;
};

// The measured value of a plan year (financial year), for every measured metric whether or
// not the plan gives it a trajectory.
struct YearActual {
  std::string year;  // "2014/15"
  std::optional<double> actual;
  bool suppressed = false;
};

struct MetricTrack {
  std::string id, name, kind, catalogue_id, unit, rate_basis, polarity, status;
  bool measured = false;  // the catalogue has the metric and it was evaluated
  std::string note;       // why there is no actual ("not in the catalogue yet", "TBC", ...)
  std::optional<double> baseline_planned;
  std::string baseline_window;
  bool baseline_window_assumed = false;
  std::optional<double> baseline_actual;
  std::vector<MilestoneTrack> milestones;
  std::vector<SeriesPoint> series;
  std::vector<YearActual> year_actuals;  // each plan year (measured metrics only)
  Rag overall = Rag::kNoData;            // the latest milestone with data
};

// The windows tracking needs: every milestone window, each baseline window, each fiscal
// quarter from the first baseline window to the last milestone and the 12 months ending with
// each of those quarters, and every plan year.
std::vector<NamedPeriod> TrackingPeriods(const plan::Plan& plan);

std::vector<MetricTrack> TrackPlan(const plan::Plan& plan, const Observations& obs);

// A terminal headline: "      Plan tracking: 1 red, 2 amber, 3 green, 1 without data" and
// one line per metric with its official name, latest milestone with data, planned, actual and
// RAG (or "no trajectory" / "no data").
std::string RagHeadline(const std::vector<MetricTrack>& tracks);

// Converts an observation to the plan metric's footing over a window of `months` months.
std::optional<double> PlanValue(const plan::PlanMetric& m, const Observation& o, double months);

}  // namespace pioneer::report
