#include "pioneer/plan/range_checks.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "pioneer/plan/plan_reader.h"
#include "pioneer/plan/plan_test_util.h"
#include "pioneer/plan/validator.h"

namespace pioneer::plan {
namespace {

using testing::MinimalPlan;
using testing::Replace;

// "code key" of each finding of the validator (which includes the range checks).
std::vector<std::string> Codes(const std::string& text) {
  auto p = ParsePlan(text, "t.toml");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  std::vector<std::string> out;
  if (!p.ok()) return out;
  for (const auto& f : ValidatePlan(*p)) out.push_back(f.code + " " + f.key);
  return out;
}

std::string ReadError(const std::string& text) {
  auto p = ParsePlan(text, "t.toml");
  return p.ok() ? "" : p.status().message();
}

TEST(RangeChecks, MinimalPlanAndExamplesAreInRange) {
  auto p = ParsePlan(MinimalPlan(), "t.toml");
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(CheckRanges(*p), ::testing::IsEmpty());
  for (const char* name : {"demo.toml", "leicestershire.toml", "leeds.toml", "triborough.toml"}) {
    auto e = ReadPlanFile(testing::ExamplePlanPath(name));
    ASSERT_TRUE(e.ok()) << name << ": " << e.status().ToString();
    EXPECT_THAT(CheckRanges(*e), ::testing::IsEmpty()) << name;
  }
}

// Regression: these values were accepted without a finding and reached the workbook.
TEST(RangeChecks, NegativeMoneySharesAndCosts) {
  std::string t = Replace(MinimalPlan(), "contingency = 20", "contingency = -20");
  t = Replace(t, "shares = { la = 0.25, ccg = 0.75 }", "shares = { la = -0.5, ccg = 1.5 }");
  t = Replace(t, "unit_cost_activity = \"apc_non_elective_spell\"",
              "unit_cost_activity = \"apc_non_elective_spell\"\nunit_cost_gbp = -1552.7");
  t = Replace(t, "investment = { \"2014/15\" = 50, \"2015/16\" = 100 }\ninvestment_by_org",
              "investment = { \"2014/15\" = -50, \"2015/16\" = 100 }\ninvestment_by_org");
  auto codes = Codes(t);
  EXPECT_THAT(codes, ::testing::IsSupersetOf({
                         "range.negative_money risk_share.contingency",
                         "range.share risk_share.scenarios[0].shares.la",
                         "range.share risk_share.scenarios[0].shares.ccg",
                         "range.negative_money risk_share.scenarios[0].unit_cost_gbp",
                         "range.negative_money schemes[0].investment.2014/15",
                     }));
}

TEST(RangeChecks, QuartersThatDoNotExist) {
  std::string t = Replace(MinimalPlan(), "plan_quarters = [\"2014/15 Q4\"]",
                          "plan_quarters = [\"2013/14 Q5\", \"garbage\", \"2014/16 Q1\"]");
  auto codes = Codes(t);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), "range.quarter p4p.plan_quarters"), 3);
}

TEST(RangeChecks, PercentagesAndMetricValues) {
  std::string t =
      Replace(MinimalPlan(), "planned_reduction_pct = 3.5", "planned_reduction_pct = 130");
  t = Replace(t, "baseline = 200.0", "baseline = -200.0");
  auto codes = Codes(t);
  EXPECT_THAT(codes, ::testing::IsSupersetOf({"range.percent p4p.planned_reduction_pct",
                                              "range.negative_value metrics[0].baseline"}));
}

// Regression: a milestone dated 2199-12-31 was accepted and made `pioneer report` hang.
TEST(RangeChecks, MilestonesOutsideThePlanYears) {
  std::string t = Replace(MinimalPlan(), "date = \"2015-03-31\"", "date = \"2199-12-31\"");
  EXPECT_THAT(Codes(t), ::testing::Contains("range.milestone_date metrics[0].milestones[0].date"));
  t = Replace(MinimalPlan(), "date = \"2015-03-31\"", "date = \"2016-03-31\"");  // last day
  EXPECT_THAT(
      Codes(t),
      ::testing::Not(::testing::Contains("range.milestone_date metrics[0].milestones[0].date")));
}

TEST(RangeChecks, FindingsPointAtTheLine) {
  std::string t = Replace(MinimalPlan(), "contingency = 20", "contingency = -20");
  auto p = ParsePlan(t, "t.toml");
  ASSERT_TRUE(p.ok());
  for (const auto& f : ValidatePlan(*p)) {
    if (f.code != "range.negative_money") continue;
    EXPECT_EQ(f.line, p->LineOf("risk_share.contingency"));
    EXPECT_GT(f.line, 0);
    EXPECT_NE(f.message.find("-20 is out of range"), std::string::npos) << f.message;
  }
}

// Regression: nan and inf were read as figures (26 NAN cells in the workbook), and
// measure_months = 100000000 read out of bounds.
TEST(PlanReaderRanges, NonFiniteNumbersAndMeasureMonthsAreReadErrors) {
  EXPECT_THAT(ReadError(Replace(MinimalPlan(), "contingency = 20", "contingency = nan")),
              ::testing::HasSubstr("key risk_share.contingency: nan is not a figure"));
  EXPECT_THAT(ReadError(Replace(MinimalPlan(), "baseline = 200.0", "baseline = inf")),
              ::testing::HasSubstr("inf is not a figure"));
  EXPECT_THAT(ReadError(Replace(MinimalPlan(), "\"2014/15\" = 100, \"2015/16\" = 200",
                                "\"2014/15\" = nan, \"2015/16\" = 200")),
              ::testing::HasSubstr("pooled_budget.minimum.2014/15: nan is not a figure"));
  EXPECT_THAT(ReadError(Replace(MinimalPlan(), "shares = { la = 0.25", "shares = { la = nan")),
              ::testing::HasSubstr("shares.la: nan is not a figure"));
  for (const char* mm : {"100000000", "0", "-12", "1.5", "1e300"}) {
    std::string t = Replace(MinimalPlan(), "baseline = 200.0",
                            std::string("baseline = 200.0\nmeasure_months = ") + mm);
    EXPECT_THAT(ReadError(t), ::testing::HasSubstr("measure_months (the window in months) must "
                                                   "be a whole number from 1 to 120"))
        << mm;
  }
  EXPECT_EQ(ReadError(Replace(MinimalPlan(), "baseline = 200.0",
                              "baseline = 200.0\nmeasure_months = 12")),
            "");
  EXPECT_THAT(ReadError(Replace(MinimalPlan(), "format_version = 1", "format_version = 1e300")),
              ::testing::HasSubstr("only version 1 is known"));
}

TEST(PlanReaderRanges, AFolderIsNotAPlanFile) {
  auto p = ReadPlanFile(testing::ExamplePlanPath(""));
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(p.status().message(), ::testing::HasSubstr("is a folder, not a plan file"));
  p = ReadPlanFile("/nonexistent/plan.toml");
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::plan
