#include "pioneer/risk/national_condition.h"

#include <gtest/gtest.h>

#include <vector>

namespace pioneer::risk {
namespace {

Date D(const char* iso) { return *Date::ParseIso(iso); }

// A hand-worked example (the numbers in the comments are counted by hand from the setup).
// Practice P1 (CCG C1): 60 people ranked by p_emergency = (i+1)/100, so i = 59 ranks first.
//   Children: i < 10 and i = 59 (age 5); the other 49 are adults aged 50.
//   Top 2% of 60 = ceil(1.2) = 2 people: i = 59 (child), 58 -> 1 adult.
//   Top 4% of 60 = ceil(2.4) = 3 people: i = 59, 58, 57 -> 2 adults.
//   Likelihood of Admission: p_any 0.45 (band 4) for i = 50..57, 0.55 (band 5) for i = 58,
//   0.10 otherwise -> 9 adults in bands 4-5.
//   Plans: i = 58 a joint plan with a named lead; i = 57 a plan that is not joint.
// Practice P2 (no CCG known): 30 adults, all p_emergency 0.3 (ties keep list order), p_any
//   0.1. Top 2% = ceil(0.6) = 1 (its first person); top 4% = ceil(1.2) = 2. No plans.
std::vector<CoveragePerson> Example() {
  std::vector<CoveragePerson> people;
  for (int i = 0; i < 60; ++i) {
    CoveragePerson p;
    p.practice = "P1";
    p.age = (i < 10 || i == 59) ? 5 : 50;
    p.p_emergency = (i + 1) / 100.0;
    p.p_any_admission = i == 58 ? 0.55 : (i >= 50 && i <= 57) ? 0.45 : 0.10;
    if (i == 58) p.plan = {true, true};
    if (i == 57) p.plan = {true, false};
    people.push_back(p);
  }
  for (int i = 0; i < 30; ++i) {
    CoveragePerson p;
    p.practice = "P2";
    p.age = 70;
    p.p_emergency = 0.3;
    p.p_any_admission = 0.1;
    people.push_back(p);
  }
  return people;
}

TEST(NationalConditionTest, HandWorkedCoverageByApproach) {
  const std::vector<CoveragePerson> people = Example();
  const CoverageOn c = MeasureCoverage(D("2015-04-01"), people, {{"P1", "C1"}});
  const Coverage& top2 = c.area[kTop2Practice];
  EXPECT_EQ(top2.adults, 79);  // 49 + 30
  EXPECT_EQ(top2.high_risk, 2);
  EXPECT_EQ(top2.with_plan, 1);
  EXPECT_EQ(top2.with_joint_plan_and_lead, 1);
  const Coverage& top4 = c.area[kTop4Practice];
  EXPECT_EQ(top4.high_risk, 4);
  EXPECT_EQ(top4.with_plan, 2);
  EXPECT_EQ(top4.with_joint_plan_and_lead, 1);
  const Coverage& loa = c.area[kLoa45];
  EXPECT_EQ(loa.high_risk, 9);
  EXPECT_EQ(loa.with_plan, 2);
  EXPECT_EQ(loa.with_joint_plan_and_lead, 1);
  ASSERT_EQ(c.by_ccg.size(), 2u);
  EXPECT_EQ(c.by_ccg.at("C1")[kTop2Practice].adults, 49);
  EXPECT_EQ(c.by_ccg.at("unknown")[kTop4Practice].high_risk, 2);
  EXPECT_EQ(c.by_practice.at("P2")[kTop2Practice].high_risk, 1);
}

// An objection (i = 58: top 2%, band 5, the joint plan) removes the person from every count
// but not from the ranking: P1's top 2% is still i = 59 and 58, so its one high-risk adult
// is gone rather than replaced by i = 57.
TEST(NationalConditionTest, ObjectorsRankButAreNotCounted) {
  std::vector<CoveragePerson> people = Example();
  people[58].objected = true;
  const CoverageOn c = MeasureCoverage(D("2015-04-01"), people, {{"P1", "C1"}});
  EXPECT_EQ(c.area[kTop2Practice].adults, 78);
  EXPECT_EQ(c.area[kTop2Practice].high_risk, 1);  // P2's first person only
  EXPECT_EQ(c.area[kTop2Practice].with_joint_plan_and_lead, 0);
  EXPECT_EQ(c.area[kTop4Practice].high_risk, 3);  // P1: i = 57; P2: 2
  EXPECT_EQ(c.area[kTop4Practice].with_plan, 1);  // i = 57's plan
  EXPECT_EQ(c.area[kLoa45].high_risk, 8);
}

TEST(NationalConditionTest, PublishedFiguresAreDisclosureControlled) {
  const std::vector<CoveragePerson> people = Example();
  const CoverageOn c = MeasureCoverage(D("2015-04-01"), people, {{"P1", "C1"}});
  const nlohmann::json j = NationalConditionJson(std::span<const CoverageOn>(&c, 1));
  const nlohmann::json& loa = j["area"]["loa_4_5"];
  EXPECT_EQ(loa["adults"], 80);     // 79 rounded to 5
  EXPECT_EQ(loa["high_risk"], 10);  // 9 rounded to 5
  EXPECT_DOUBLE_EQ(loa["high_risk_share_of_adults"].get<double>(), 10.0 / 80.0);
  EXPECT_TRUE(loa["with_plan"].is_null());  // 2: suppressed
  EXPECT_TRUE(loa["with_plan_share"].is_null());
  EXPECT_TRUE(j["area"]["top2_practice"]["high_risk"].is_null());  // 2: suppressed
  ASSERT_EQ(j["over_time"].size(), 1u);
  EXPECT_EQ(j["date"], "2015-04-01");
  EXPECT_EQ(j["by_ccg"].size(), 2u);
}

TEST(NationalConditionTest, PlansInForceFollowTheDefinition) {
  careplan::CarePlan joint;
  joint.nhs_number = NhsNumber::Parse("9990000018");
  joint.start_date = D("2014-01-01");
  joint.organisations = {"Z11001", "Z00"};
  joint.accountable_gp = "G1234567";
  joint.care_coordinator = "CM-001";
  joint.status = careplan::PlanStatus::kCompleted;
  joint.end_date = D("2014-06-01");
  careplan::CarePlan draft = joint;
  draft.nhs_number = NhsNumber::Parse("9990000026");
  draft.status = careplan::PlanStatus::kDraft;
  draft.end_date.reset();
  careplan::CarePlan single = joint;
  single.organisations = {"Z11001"};
  single.status = careplan::PlanStatus::kActive;
  single.end_date.reset();
  const std::vector<careplan::CarePlan> plans = {joint, draft, single};

  auto before_end = PlansInForce(plans, D("2014-05-31"));
  EXPECT_TRUE(before_end.at("9990000018").in_force);
  EXPECT_TRUE(before_end.at("9990000018").joint_with_lead);  // the completed plan still ran
  EXPECT_FALSE(before_end.count("9990000026"));              // drafts never count
  auto on_end = PlansInForce(plans, D("2014-06-01"));
  EXPECT_TRUE(on_end.at("9990000018").in_force);  // the single-organisation plan
  EXPECT_FALSE(on_end.at("9990000018").joint_with_lead);
  EXPECT_TRUE(PlansInForce(plans, D("2013-12-31")).empty());  // before every start
}

}  // namespace
}  // namespace pioneer::risk
