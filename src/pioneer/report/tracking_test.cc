#include "pioneer/report/tracking.h"

#include <gtest/gtest.h>

namespace pioneer::report {
namespace {

TEST(Rag, ThresholdsAgainstPlannedImprovement) {
  // Baseline 200, milestone 190 (lower is better): 10 points of planned improvement.
  EXPECT_EQ(RagFor(200, 190, 189, true), Rag::kGreen);
  EXPECT_EQ(RagFor(200, 190, 190, true), Rag::kGreen);
  EXPECT_EQ(RagFor(200, 190, 193, true), Rag::kAmber);  // 7 of 10 = 70%
  EXPECT_EQ(RagFor(200, 190, 194, true), Rag::kRed);    // 60%
  EXPECT_EQ(RagFor(200, 190, std::nullopt, true), Rag::kNoData);
  // Higher is better (reablement 78.22 -> 82.19).
  EXPECT_EQ(RagFor(78.22, 82.19, 82.5, false), Rag::kGreen);
  EXPECT_EQ(RagFor(78.22, 82.19, 81.0, false), Rag::kAmber);
  EXPECT_EQ(RagFor(78.22, 82.19, 79.0, false), Rag::kRed);
  // No planned improvement: within 2% is amber.
  EXPECT_EQ(RagFor(121.69, 121.69, 123.0, true), Rag::kAmber);
  EXPECT_EQ(RagFor(121.69, 121.69, 125.0, true), Rag::kRed);
}

TEST(PlanValue, PutsRatesOnThePlansFooting) {
  plan::PlanMetric m;
  m.unit = "per_100k";
  m.rate_basis = "month";
  Observation o{30.0, 360.0, false};
  EXPECT_DOUBLE_EQ(*PlanValue(m, o, 3), 120.0);  // 360 per 100k over 3 months = 120 a month
  m.rate_basis = "year";
  EXPECT_DOUBLE_EQ(*PlanValue(m, o, 3), 1440.0);  // x 12 / 3
  m.catalogue_value = "as_is";
  EXPECT_DOUBLE_EQ(*PlanValue(m, o, 3), 360.0);
  m.unit = "count";
  EXPECT_DOUBLE_EQ(*PlanValue(m, o, 3), 30.0);
  m.unit = "per_100k";
  EXPECT_FALSE(PlanValue(m, Observation{std::nullopt, std::nullopt, true}, 3).has_value());
}

plan::Plan OneMetricPlan() {
  plan::Plan p;
  p.years = {"2014/15"};
  plan::PlanMetric m;
  m.id = "aea";
  m.name = "Avoidable";
  m.catalogue_id = "avoidable_emergency_composite";
  m.unit = "per_100k";
  m.rate_basis = "month";
  m.polarity = "lower_is_better";
  m.status = "set";
  m.baseline = 124.12;
  m.milestones = {{"2014-09-30", 121.69, 1.96}, {"2015-03-31", 121.69, std::nullopt}};
  p.metrics.push_back(m);
  return p;
}

// Regression: a milestone dated 2199-12-31 made TrackingPeriods loop for ever, and a
// 100000000-month window read out of bounds.
TEST(Tracking, AFarMilestoneCannotStretchTheSeries) {
  plan::Plan p = OneMetricPlan();
  p.metrics[0].milestones.push_back({"2199-12-31", 100, std::nullopt});
  p.metrics[0].measure_months = 120;
  auto periods = TrackingPeriods(p);
  std::set<std::string> labels;
  for (const auto& np : periods) labels.insert(np.label);
  EXPECT_TRUE(labels.count("2190-01-01..2199-12-31"));
  EXPECT_TRUE(labels.count("2013/14 Q1"));
  EXPECT_TRUE(labels.count("2014/15 Q4"));
  EXPECT_FALSE(labels.count("2015/16 Q1"));
  // Baseline, three milestone windows, eight quarters, the 12 months ending with each quarter
  // (the one ending 2013/14 Q4 is the baseline) and the plan year 2014/15.
  EXPECT_EQ(periods.size(), 1u + 3u + 8u + 7u + 1u);
  p.metrics[0].measure_months = 100000000;
  EXPECT_FALSE(TrackingPeriods(p).empty());
}

TEST(Tracking, MilestonesVarianceAndSeries) {
  plan::Plan p = OneMetricPlan();
  auto periods = TrackingPeriods(p);
  // Baseline (assumed 2013/14), two 3-month windows, quarters 2013/14 Q1 .. 2014/15 Q4.
  std::set<std::string> labels;
  for (const auto& np : periods) labels.insert(np.label);
  EXPECT_TRUE(labels.count("2013-04-01..2014-03-31"));
  EXPECT_TRUE(labels.count("2014-07-01..2014-09-30"));
  EXPECT_TRUE(labels.count("2015-01-01..2015-03-31"));
  EXPECT_TRUE(labels.count("2013/14 Q1"));
  EXPECT_TRUE(labels.count("2014/15 Q4"));
  // ... the 12 months ending with each quarter (the one ending 2013/14 Q4 is the baseline
  // window) and the plan year 2014/15.
  EXPECT_TRUE(labels.count("2013-10-01..2014-09-30"));
  EXPECT_TRUE(labels.count("2014/15"));
  EXPECT_EQ(periods.size(), 3u + 8u + 7u + 1u);

  Observations obs;
  obs.measured.insert("avoidable_emergency_composite");
  obs.Put("avoidable_emergency_composite", "2013-04-01..2014-03-31", {1500, 1488.0, false});
  obs.Put("avoidable_emergency_composite", "2014-07-01..2014-09-30",
          {360, 366.0, false});  // 122/month
  obs.Put("avoidable_emergency_composite", "2014/15 Q2", {360, 366.0, false});
  auto tracks = TrackPlan(p, obs);
  ASSERT_EQ(tracks.size(), 1u);
  const MetricTrack& t = tracks[0];
  EXPECT_TRUE(t.measured);
  EXPECT_TRUE(t.baseline_window_assumed);
  EXPECT_DOUBLE_EQ(*t.baseline_actual, 124.0);  // 1488 over 12 months
  ASSERT_EQ(t.milestones.size(), 2u);
  EXPECT_DOUBLE_EQ(*t.milestones[0].actual, 122.0);
  EXPECT_NEAR(*t.milestones[0].variance, 0.31, 1e-9);
  EXPECT_NEAR(*t.milestones[0].variance_pct, 100 * 0.31 / 121.69, 1e-9);
  // 124.12 -> 122 achieves 2.12 of 2.43 planned (87%): amber.
  EXPECT_EQ(t.milestones[0].rag, Rag::kAmber);
  EXPECT_FALSE(t.milestones[1].actual.has_value());
  EXPECT_EQ(t.milestones[1].rag, Rag::kNoData);
  EXPECT_EQ(t.overall, Rag::kAmber);
  // Series: planned trajectory interpolated; flat after the last milestone.
  ASSERT_EQ(t.series.size(), 8u);
  EXPECT_FALSE(t.series[0].planned.has_value());   // 2013/14 Q1, before baseline end
  EXPECT_DOUBLE_EQ(*t.series[3].planned, 124.12);  // 2013/14 Q4 ends on the baseline
  EXPECT_DOUBLE_EQ(*t.series[5].planned, 121.69);  // 2014/15 Q2 = first milestone
  EXPECT_DOUBLE_EQ(*t.series[7].planned, 121.69);
  EXPECT_NEAR(*t.series[4].planned, 124.12 - 2.43 * 91.0 / 183.0, 1e-9);  // 30 June
  EXPECT_DOUBLE_EQ(*t.series[5].actual, 122.0);
}

// A suppressed quarter is a gap (no actual), and the 12 months ending with it give the value
// the charts show instead; every plan year of a measured metric is reported, trajectory or not.
TEST(Tracking, SuppressedQuarterHasRollingValueAndYearActuals) {
  plan::Plan p = OneMetricPlan();
  plan::PlanMetric none = p.metrics[0];
  none.id = "nt";
  none.milestones.clear();
  none.baseline.reset();
  none.status = "not_stated";
  p.metrics.push_back(none);
  Observations obs;
  obs.measured.insert("avoidable_emergency_composite");
  obs.Put("avoidable_emergency_composite", "2014/15 Q3", {std::nullopt, std::nullopt, true});
  // 12 months to 31 Dec 2014: 1,464 per 100,000 -> 122 a month.
  obs.Put("avoidable_emergency_composite", "2014-01-01..2014-12-31", {1500, 1464.0, false});
  obs.Put("avoidable_emergency_composite", "2014/15", {1500, 1440.0, false});
  auto tracks = TrackPlan(p, obs);
  ASSERT_EQ(tracks.size(), 2u);
  ASSERT_EQ(tracks[0].series.size(), 8u);
  EXPECT_FALSE(tracks[0].series[6].actual.has_value());  // 2014/15 Q3 suppressed: a gap
  EXPECT_DOUBLE_EQ(*tracks[0].series[6].rolling12, 122.0);
  EXPECT_TRUE(tracks[1].series.empty());  // no trajectory, no chart
  ASSERT_EQ(tracks[1].year_actuals.size(), 1u);
  EXPECT_EQ(tracks[1].year_actuals[0].year, "2014/15");
  EXPECT_DOUBLE_EQ(*tracks[1].year_actuals[0].actual, 120.0);  // 1,440 / 12 months
}

TEST(Tracking, UnmeasuredAndTbcMetricsSayWhy) {
  plan::Plan p = OneMetricPlan();
  plan::PlanMetric tbc;
  tbc.id = "px";
  tbc.name = "Experience";
  tbc.status = "tbc";
  p.metrics.push_back(tbc);
  auto tracks = TrackPlan(p, Observations{});
  EXPECT_FALSE(tracks[0].measured);
  EXPECT_NE(tracks[0].note.find("not in this build's catalogue"), std::string::npos);
  EXPECT_NE(tracks[1].note.find("TBC"), std::string::npos);
  EXPECT_TRUE(tracks[1].series.empty());
}

}  // namespace
}  // namespace pioneer::report
