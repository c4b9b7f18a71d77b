#include "pioneer/report/scenarios.h"

#include <gtest/gtest.h>

namespace pioneer::report {
namespace {

plan::Plan TwoScenarioPlan() {
  plan::Plan p;
  p.money_unit = plan::MoneyUnit::kThousands;
  p.risk_share.contingency = 20;  // £20,000
  plan::Scenario a;
  a.id = "a";
  a.kind = "avoidable_admissions_missed";
  a.shares = {{"la", 0.25}, {"ccg", 0.75}};
  plan::Scenario c;
  c.id = "c";
  c.kind = "acute_demand_outstrips";
  c.planned_change_pct = -3.0;
  plan::Scenario b;
  b.id = "b";
  b.kind = "exempt";
  p.risk_share.scenarios = {a, c, b};
  return p;
}

// (a) 120 admissions against 100 planned at £1,500: £30,000; the £20,000 contingency covers
// two thirds and the remaining £10,000 splits 25/75. (c) then finds the contingency empty:
// 10 x £1,500 beyond it, unallocated (no shares).
TEST(Scenarios, ContingencyDrawdownAndExposure) {
  std::map<std::string, ScenarioInput> in;
  in["a"] = {"avoidable", 100, 120, 1500, "test"};
  in["c"] = {"nel", 1000, 1010, 1500, "test"};
  auto r = ModelScenarios(TwoScenarioPlan(), in);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_TRUE(r[0].modelled);
  EXPECT_DOUBLE_EQ(*r[0].excess, 20);
  EXPECT_DOUBLE_EQ(r[0].cost_gbp, 30000);
  EXPECT_DOUBLE_EQ(r[0].drawdown_gbp, 20000);
  EXPECT_DOUBLE_EQ(r[0].contingency_after_gbp, 0);
  EXPECT_DOUBLE_EQ(r[0].exposure_gbp.at("la"), 2500);
  EXPECT_DOUBLE_EQ(r[0].exposure_gbp.at("ccg"), 7500);
  EXPECT_DOUBLE_EQ(r[1].cost_gbp, 15000);
  EXPECT_DOUBLE_EQ(r[1].drawdown_gbp, 0);
  EXPECT_DOUBLE_EQ(r[1].unallocated_gbp, 15000);
  EXPECT_FALSE(r[2].modelled);
  EXPECT_NE(r[2].note.find("exempt"), std::string::npos);
}

TEST(Scenarios, WithinPlanCostsNothingAndMissingInputsAreSaid) {
  std::map<std::string, ScenarioInput> in;
  in["a"] = {"avoidable", 100, 90, 1500, "test"};
  in["c"] = {"nel", std::nullopt, 1010, 1500, "test"};
  auto r = ModelScenarios(TwoScenarioPlan(), in);
  EXPECT_DOUBLE_EQ(r[0].cost_gbp, 0);
  EXPECT_DOUBLE_EQ(r[0].contingency_after_gbp, 20000);
  EXPECT_NE(r[0].note.find("did not occur"), std::string::npos);
  EXPECT_FALSE(r[1].modelled);
  EXPECT_NE(r[1].note.find("not measured"), std::string::npos);
}

// A scenario whose planned change the plan does not state is not modelled: a missing figure is
// never zero (an input with planned activity must not be costed either).
TEST(Scenarios, UnstatedPlannedChangeIsNotModelled) {
  plan::Plan p = TwoScenarioPlan();
  p.risk_share.scenarios[1].planned_change_pct.reset();
  std::map<std::string, ScenarioInput> in;
  in["a"] = {"avoidable", 100, 90, 1500, "test"};
  in["c"] = {"nel", 1000, 1010, 1500, "test"};
  auto r = ModelScenarios(p, in);
  EXPECT_FALSE(r[1].modelled);
  EXPECT_DOUBLE_EQ(r[1].cost_gbp, 0);
  EXPECT_DOUBLE_EQ(r[1].drawdown_gbp, 0);
  EXPECT_NE(r[1].note.find("no planned change"), std::string::npos);
}

}  // namespace
}  // namespace pioneer::report
