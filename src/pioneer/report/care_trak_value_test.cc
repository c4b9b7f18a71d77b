#include "pioneer/report/care_trak_value.h"

#include <gtest/gtest.h>

namespace pioneer::report {
namespace {

// A plan in £000s: scheme "vw" invests 50 (£50,000) in 2015/16; a £20,000 contingency;
// scenario (a) avoidable admissions shared 25/75, scenario (c) acute demand -3% with no shares;
// P4P of 10% on two quarters at £1,000 an admission.
plan::Plan ValuePlan() {
  plan::Plan p;
  p.money_unit = plan::MoneyUnit::kThousands;
  plan::Scheme vw;
  vw.id = "vw";
  vw.name = "Virtual ward";
  vw.investment = {{"2015/16", 50}};
  p.schemes = {vw};
  p.risk_share.contingency = 20;
  plan::Scenario a;
  a.id = "a";
  a.kind = "avoidable_admissions_missed";
  a.shares = {{"la", 0.25}, {"ccg", 0.75}};
  plan::Scenario c;
  c.id = "c";
  c.kind = "acute_demand_outstrips";
  c.planned_change_pct = -3.0;
  p.risk_share.scenarios = {a, c};
  p.p4p.present = true;
  p.p4p.planned_reduction_pct = 10;
  p.p4p.value_per_admission_gbp = 1000;
  p.p4p.baseline_quarters = {"b1", "b2"};
  p.p4p.plan_quarters = {"q1", "q2"};
  return p;
}

CareTrakScheme Scheme(double admissions_per_person_year) {
  CareTrakScheme s;
  s.name = "virtual_ward";
  s.scheme = "vw";
  s.cohort = 230;
  s.matched = 200;
  s.reliable = true;
  CareTrakOutcome ne;
  ne.outcome = "non_elective_admissions";
  ne.absolute_per_person_year = admissions_per_person_year;
  ne.absolute_low = admissions_per_person_year - 0.02;
  ne.absolute_high = admissions_per_person_year + 0.02;
  CareTrakOutcome cost;
  cost.outcome = "total_cost";
  cost.absolute_per_person_year = -300;
  cost.absolute_low = -500;
  cost.absolute_high = -100;
  s.outcomes = {ne, cost};
  return s;
}

struct Population {
  std::vector<ScenarioResult> scenarios;
  P4pResult p4p;
};

// Measured from the population: (a) 120 admissions against 100 planned (baseline 110) at
// £1,500 costs £30,000: £20,000 from the contingency, £10,000 shared 2,500 / 7,500; (c) finds
// the contingency empty: 10 x £1,500 unallocated. P4P: 100 -> 95 and 200 -> 190 release
// £5,000 + £10,000.
Population Measured(const plan::Plan& p) {
  std::map<std::string, ScenarioInput> in;
  in["a"] = {"avoidable", 100, 120, 1500, "test", 110};
  in["c"] = {"nel", 1000, 1010, 1500, "test", 1030.93};
  return {ModelScenarios(p, in), ComputeP4p(p.p4p, {100, 200}, {95, 190})};
}

// Worked by hand. The scheme's 200 matched members saved £300 (£100 to £500) a person-year:
// £60,000 (£20,000 to £100,000) against £50,000 invested: net £10,000, £1.20 per £1. They
// avoided 0.03 x 200 = 6 emergency admissions a year.
// Risk share with the measured saving: (a) actual' = 110 - 6 = 104 against 100 planned:
// excess 4 (the planned reduction of 10 less the 6 achieved), £6,000, all from the
// contingency (£14,000 left), nobody exposed; (c) then draws £14,000 of its £15,000 and leaves
// £1,000 unallocated. P4P: each quarter achieves 6 / 4 = 1.5 of its 10 and 20: £1,500 +
// £1,500 released of the £30,000 pot.
TEST(CareTrakValue, HandWorkedSavingAgainstInvestmentRiskShareAndP4p) {
  const plan::Plan p = ValuePlan();
  const Population pop = Measured(p);
  ASSERT_DOUBLE_EQ(pop.scenarios[0].cost_gbp, 30000);
  ASSERT_DOUBLE_EQ(pop.scenarios[0].exposure_gbp.at("ccg"), 7500);
  const CareTrakValue v = ValueCareTrak(p, {Scheme(-0.03)}, pop.scenarios, pop.p4p, "2015/16");
  ASSERT_EQ(v.schemes.size(), 1u);
  const SchemeValue& s = v.schemes[0];
  EXPECT_EQ(s.scheme_name, "Virtual ward");
  EXPECT_DOUBLE_EQ(*s.saving_per_person_gbp, 300);
  EXPECT_DOUBLE_EQ(*s.saving_gbp, 60000);
  EXPECT_DOUBLE_EQ(*s.saving_low_gbp, 20000);
  EXPECT_DOUBLE_EQ(*s.saving_high_gbp, 100000);
  EXPECT_DOUBLE_EQ(*s.investment_gbp, 50000);
  EXPECT_DOUBLE_EQ(*s.net_gbp, 10000);
  EXPECT_DOUBLE_EQ(*s.return_per_pound, 1.2);
  EXPECT_NEAR(*s.admissions_avoided, 6, 1e-9);
  EXPECT_NEAR(*s.admissions_avoided_low, 2, 1e-9);
  EXPECT_NEAR(*s.admissions_avoided_high, 10, 1e-9);
  ASSERT_EQ(v.scenarios.size(), 2u);
  EXPECT_NEAR(*v.scenarios[0].input.actual, 104, 1e-9);
  EXPECT_NEAR(*v.scenarios[0].excess, 4, 1e-9);
  EXPECT_NEAR(v.scenarios[0].cost_gbp, 6000, 1e-6);
  EXPECT_NEAR(v.scenarios[0].drawdown_gbp, 6000, 1e-6);
  EXPECT_NEAR(v.scenarios[0].contingency_after_gbp, 14000, 1e-6);
  EXPECT_NEAR(v.scenarios[0].exposure_gbp.at("ccg"), 0, 1e-6);
  EXPECT_NEAR(v.scenarios[1].drawdown_gbp, 14000, 1e-6);
  EXPECT_NEAR(v.scenarios[1].unallocated_gbp, 1000, 1e-6);
  ASSERT_TRUE(v.p4p.has_value());
  EXPECT_NEAR(v.p4p->released_gbp, 3000, 1e-6);
  EXPECT_NEAR(v.p4p->withheld_gbp, 27000, 1e-6);
}

// A larger planted saving moves the figures by exactly its size: 2 more admissions avoided a
// year (0.04 instead of 0.03 per person-year x 200) cut scenario (a) by 2 x £1,500 = £3,000,
// and release £1,000 more P4P (a quarter of the 2, 0.5 admissions, in each of the two quarters,
// at £1,000).
TEST(CareTrakValue, APlantedSavingChangesTheRiskShareByItsCost) {
  const plan::Plan p = ValuePlan();
  const Population pop = Measured(p);
  const CareTrakValue a = ValueCareTrak(p, {Scheme(-0.03)}, pop.scenarios, pop.p4p, "2015/16");
  const CareTrakValue b = ValueCareTrak(p, {Scheme(-0.04)}, pop.scenarios, pop.p4p, "2015/16");
  EXPECT_NEAR(a.scenarios[0].cost_gbp - b.scenarios[0].cost_gbp, 3000, 1e-6);
  EXPECT_NEAR(b.p4p->released_gbp - a.p4p->released_gbp, 1000, 1e-6);
  // Avoiding more than the planned reduction costs nothing: 0.06 x 200 = 12 > 10.
  const CareTrakValue c = ValueCareTrak(p, {Scheme(-0.06)}, pop.scenarios, pop.p4p, "2015/16");
  EXPECT_NEAR(c.scenarios[0].cost_gbp, 0, 1e-9);
  EXPECT_NEAR(c.scenarios[0].contingency_after_gbp, 20000, 1e-9);
}

TEST(CareTrakValue, UnknownSchemeAndMissingOutcomesAreSaidNotGuessed) {
  const plan::Plan p = ValuePlan();
  const Population pop = Measured(p);
  CareTrakScheme s = Scheme(-0.03);
  s.scheme = "no_such_scheme";
  s.outcomes.erase(s.outcomes.begin());  // total_cost only
  const CareTrakValue v = ValueCareTrak(p, {s}, pop.scenarios, pop.p4p, "2015/16");
  EXPECT_FALSE(v.schemes[0].investment_gbp.has_value());
  EXPECT_FALSE(v.schemes[0].net_gbp.has_value());
  EXPECT_DOUBLE_EQ(*v.schemes[0].saving_gbp, 60000);
  EXPECT_NE(v.schemes[0].note.find("no scheme 'no_such_scheme'"), std::string::npos);
  // No admissions measured: no recomputed risk share or P4P.
  EXPECT_FALSE(v.admissions_avoided.has_value());
  EXPECT_TRUE(v.scenarios.empty());
  EXPECT_FALSE(v.p4p.has_value());
}

}  // namespace
}  // namespace pioneer::report
