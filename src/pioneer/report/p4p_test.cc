#include "pioneer/report/p4p.h"

#include <gtest/gtest.h>

namespace pioneer::report {
namespace {

plan::P4p Params(const std::string& assessment) {
  plan::P4p p;
  p.present = true;
  p.metric = "total_non_elective";
  p.planned_reduction_pct = 3.5;
  p.value_per_admission_gbp = 1490;
  p.value_provenance = "unverified";
  p.baseline_quarters = {"2013/14 Q4", "2014/15 Q1"};
  p.plan_quarters = {"2014/15 Q4", "2015/16 Q1"};
  p.assessment = assessment;
  return p;
}

// Worked by hand: baselines 1,000 and 1,200; actuals 950 and 1,190; 3.5% at £1,490.
// Q1: planned reduction 35, pot £52,150, achieved 50 -> capped at 35: released £52,150.
// Q2: planned 42, pot £62,580, achieved 10: released £14,900, withheld £47,680.
TEST(P4p, PerQuarterWorkedExample) {
  auto r = ComputeP4p(Params("per_quarter"), {1000, 1200}, {950, 1190});
  ASSERT_EQ(r.quarters.size(), 2u);
  EXPECT_DOUBLE_EQ(r.quarters[0].planned_reduction, 35);
  EXPECT_DOUBLE_EQ(r.quarters[0].pot_gbp, 52150);
  EXPECT_DOUBLE_EQ(*r.quarters[0].released_gbp, 52150);
  EXPECT_DOUBLE_EQ(*r.quarters[0].withheld_gbp, 0);
  EXPECT_DOUBLE_EQ(r.quarters[1].planned_admissions, 1158);
  EXPECT_DOUBLE_EQ(*r.quarters[1].released_gbp, 14900);
  EXPECT_DOUBLE_EQ(*r.quarters[1].withheld_gbp, 47680);
  EXPECT_DOUBLE_EQ(r.pot_gbp, 114730);
  EXPECT_DOUBLE_EQ(r.released_gbp, 67050);
  EXPECT_DOUBLE_EQ(r.withheld_gbp, 47680);
  EXPECT_TRUE(r.value_unverified);
}

// Cumulative: running planned 35 -> 77, achieved 50 -> 60; releases £52,150 then
// 60 x 1,490 - 52,150 = £37,250.
TEST(P4p, CumulativeWorkedExample) {
  auto r = ComputeP4p(Params("cumulative"), {1000, 1200}, {950, 1190});
  EXPECT_DOUBLE_EQ(*r.quarters[0].released_gbp, 52150);
  EXPECT_DOUBLE_EQ(*r.quarters[1].released_gbp, 37250);
}

TEST(P4p, MoreAdmissionsReleaseNothingAndMissingDataIsNotZero) {
  auto r = ComputeP4p(Params("per_quarter"), {1000, 1200}, {1100, std::nullopt});
  EXPECT_DOUBLE_EQ(*r.quarters[0].released_gbp, 0);
  EXPECT_DOUBLE_EQ(*r.quarters[0].withheld_gbp, 52150);
  EXPECT_FALSE(r.quarters[1].released_gbp.has_value());
  EXPECT_DOUBLE_EQ(r.withheld_gbp, 52150);
}

}  // namespace
}  // namespace pioneer::report
