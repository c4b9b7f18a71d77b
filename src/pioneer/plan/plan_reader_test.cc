#include "pioneer/plan/plan_reader.h"

#include <gtest/gtest.h>

#include "pioneer/plan/plan_test_util.h"
#include "pioneer/plan/plan_writer.h"

namespace pioneer::plan {
namespace {

using testing::MinimalPlan;
using testing::Replace;

TEST(PlanReader, ReadsEveryPart) {
  auto p = ParsePlan(MinimalPlan(), "t.toml");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->hwb, "Testshire");
  EXPECT_EQ(p->money_unit, MoneyUnit::kThousands);
  ASSERT_EQ(p->schemes.size(), 3u);
  EXPECT_EQ(p->schemes[0].investment.at("2015/16"), 100);
  EXPECT_EQ(p->schemes[0].investment_by_org.at("ccg").at("2014/15"), 30);
  EXPECT_EQ(p->schemes[0].recurrent, std::optional<bool>(true));
  EXPECT_FALSE(p->schemes[2].recurrent.has_value());  // not stated stays not stated
  EXPECT_TRUE(p->schemes[1].protection);
  ASSERT_EQ(p->metrics.size(), 1u);
  EXPECT_EQ(p->metrics[0].milestones[0].stated_change_pct, std::optional<double>(5.0));
  EXPECT_TRUE(p->p4p.present);
  EXPECT_EQ(p->p4p.value_per_admission_gbp, 1490);
  EXPECT_EQ(p->risk_share.contingency, std::optional<double>(20));
  EXPECT_DOUBLE_EQ(p->ToPounds(20), 20000);
  EXPECT_EQ(p->LineOf("schemes[0].investment.2015/16"), 42);
}

TEST(PlanReader, RoundTripsThroughTheWriter) {
  auto p = ParsePlan(MinimalPlan(), "t.toml");
  ASSERT_TRUE(p.ok());
  auto again = ParsePlan(WritePlanToml(*p), "rt.toml");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(again->SameContent(*p));
  // And the comparison can fail: a changed figure is noticed.
  auto changed = *again;
  changed.schemes[1].investment["2014/15"] = 51;
  EXPECT_FALSE(changed.SameContent(*p));
}

TEST(PlanReader, ExamplePlansRoundTrip) {
  for (const char* name : {"leicestershire.toml", "leeds.toml", "triborough.toml", "demo.toml"}) {
    auto p = ReadPlanFile(testing::ExamplePlanPath(name));
    ASSERT_TRUE(p.ok()) << name << ": " << p.status().ToString();
    auto again = ParsePlan(WritePlanToml(*p), "rt.toml");
    ASSERT_TRUE(again.ok()) << name << ": " << again.status().ToString();
    EXPECT_TRUE(again->SameContent(*p)) << name;
  }
}

TEST(PlanReader, SyntaxErrorNamesFileAndLine) {
  auto p = ParsePlan("format_version = 1\n[plan]\nid = \"x\nhwb = \"y\"\n", "bad.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(p.status().message().find("bad.toml:3:"), std::string::npos) << p.status().message();
}

TEST(PlanReader, UnknownKeyNamesLineAndKey) {
  auto p = ParsePlan(Replace(MinimalPlan(), "status = \"new\"", "statuz = \"new\""), "t.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("t.toml:38: key schemes[0].statuz: unknown key"),
            std::string::npos)
      << p.status().message();
}

TEST(PlanReader, WrongTypeAndBadYearAreErrors) {
  auto p = ParsePlan(
      Replace(MinimalPlan(), "total = { \"2014/15\" = 150", "total = { \"2014\" = 150"), "t.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("key pooled_budget.total.2014: not a financial year"),
            std::string::npos)
      << p.status().message();
  auto q = ParsePlan(Replace(MinimalPlan(), "baseline = 200.0", "baseline = \"200\""), "t.toml");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.status().message().find("key metrics[0].baseline: expected a number"),
            std::string::npos)
      << q.status().message();
}

TEST(PlanReader, UndeclaredThemeIsAnError) {
  auto p = ParsePlan(Replace(MinimalPlan(), "theme = \"disch\"", "theme = \"nope\""), "t.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("theme 'nope' is not declared"), std::string::npos);
}

TEST(PlanReader, MissingFileIsNotFound) {
  auto p = ReadPlanFile("/nonexistent/plan.toml");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::plan
