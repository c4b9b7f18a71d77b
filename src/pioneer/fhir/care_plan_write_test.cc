#include "pioneer/fhir/care_plan_write.h"

#include <gtest/gtest.h>

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

using nlohmann::json;

careplan::CarePlan SamplePlan() {
  careplan::CarePlan p;
  p.plan_id = 7;
  p.nhs_number = NhsNumber::Parse("9434765919");
  p.status = careplan::PlanStatus::kOnHold;
  p.accountable_gp = "G1234567";
  p.gp_practice = "B86001";
  p.care_coordinator = "SW-7";
  p.coordinator_role = "social_worker";
  p.coordinator_org = "E08000035";
  p.organisations = {"B86001", "E08000035", "RR8"};
  p.start_date = *Date::ParseIso("2024-01-05");
  p.review_date = Date::ParseIso("2024-04-05");
  p.goals = "Stay at home";
  p.source = std::string(kFhirPlanSource);
  p.source_ref = "https://trust.example.org/plans|A-17";
  p.version = 3;
  return p;
}

std::vector<std::string> Expressions(const CarePlanParse& r) {
  std::vector<std::string> out;
  for (const WriteProblem& p : r.problems) out.push_back(p.expression);
  return out;
}

TEST(CarePlanWriteTest, WhatIsReadCanBeWrittenBackUnchanged) {
  careplan::CarePlan plan = SamplePlan();
  json resource = CarePlanResource(plan, 42);
  CarePlanParse r = ParseCarePlan(resource);
  ASSERT_TRUE(r.not_a_care_plan.empty());
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].expression << " " << r.problems[0].reason;
  EXPECT_EQ(r.write.id, "cp-7");
  EXPECT_EQ(r.write.subject.patient_id, 42);
  const careplan::CarePlan& w = r.write.plan;
  EXPECT_EQ(w.status, plan.status);
  EXPECT_EQ(w.accountable_gp, plan.accountable_gp);
  EXPECT_EQ(w.gp_practice, plan.gp_practice);
  EXPECT_EQ(w.care_coordinator, plan.care_coordinator);
  EXPECT_EQ(w.coordinator_role, plan.coordinator_role);
  EXPECT_EQ(w.coordinator_org, plan.coordinator_org);
  EXPECT_EQ(w.organisations, plan.organisations);
  EXPECT_EQ(w.start_date, plan.start_date);
  EXPECT_EQ(w.review_date, plan.review_date);
  EXPECT_FALSE(w.end_date);
  EXPECT_EQ(w.goals, plan.goals);
  EXPECT_EQ(w.source, "fhir");
  EXPECT_EQ(w.source_ref, plan.source_ref);
}

TEST(CarePlanWriteTest, AMinimalPlanByNhsNumber) {
  json body = {
      {"resourceType", "CarePlan"},
      {"status", "completed"},
      {"intent", "plan"},
      {"subject", {{"identifier", {{"system", kNhsNumberSystem}, {"value", "943 476 5919"}}}}},
      {"period", {{"start", "2024-02-01"}, {"end", "2024-06-30T10:00:00Z"}}},
      {"contained", json::array({{{"resourceType", "CareTeam"},
                                  {"managingOrganization",
                                   json::array({{{"identifier", {{"value", "B86001"}}}}})}}})}};
  CarePlanParse r = ParseCarePlan(body);
  ASSERT_TRUE(r.problems.empty()) << r.problems[0].expression << " " << r.problems[0].reason;
  ASSERT_TRUE(r.write.subject.nhs_number);
  EXPECT_EQ(r.write.subject.nhs_number->digits(), "9434765919");
  EXPECT_EQ(r.write.plan.end_date, Date::ParseIso("2024-06-30"));
  EXPECT_EQ(r.write.plan.organisations, std::vector<std::string>{"B86001"});
  EXPECT_TRUE(r.write.plan.source.empty());
  EXPECT_TRUE(r.write.plan.accountable_gp.empty());
}

TEST(CarePlanWriteTest, NotACarePlanIsA400) {
  EXPECT_FALSE(ParseCarePlan(json::array()).not_a_care_plan.empty());
  EXPECT_FALSE(ParseCarePlan(json{{"resourceType", "Patient"}}).not_a_care_plan.empty());
  EXPECT_FALSE(ParseCarePlan(json{{"status", "active"}}).not_a_care_plan.empty());
}

TEST(CarePlanWriteTest, EveryProblemIsNamedByItsElement) {
  json body = CarePlanResource(SamplePlan(), 42);
  body["status"] = "unknown";
  body["intent"] = "order";
  body["period"] = {{"start", "2024-13-01"}};
  body["activity"] = json::array({json::object()});
  body["note"] = json::array({{{"text", "Call daughter first"}}});
  body["contained"][0]["participant"][0]["role"][0]["text"] = "Dietitian";
  CarePlanParse r = ParseCarePlan(body);
  EXPECT_EQ(Expressions(r),
            (std::vector<std::string>{"CarePlan.activity", "CarePlan.status", "CarePlan.intent",
                                      "CarePlan.period.start", "CarePlan.note[0]",
                                      "CarePlan.contained[0].participant[0].role"}));
  for (const WriteProblem& p : r.problems) {
    EXPECT_EQ(p.reason.find("Call daughter"), std::string::npos);  // never a value
  }
}

TEST(CarePlanWriteTest, TheRegistersRulesAreReportedAgainstFhirElements) {
  careplan::CarePlan plan = SamplePlan();
  json body = CarePlanResource(plan, 42);
  body["period"]["end"] = "2023-12-31";  // before the start, and the plan is not ended
  body["contained"][0]["managingOrganization"] = json::array();
  CarePlanParse r = ParseCarePlan(body);
  std::vector<std::string> got = Expressions(r);
  EXPECT_EQ(got, (std::vector<std::string>{"CarePlan.contained[0].managingOrganization",
                                           "CarePlan.period.end", "CarePlan.period.end"}));
  body = CarePlanResource(plan, 42);
  body.erase("subject");
  EXPECT_EQ(Expressions(ParseCarePlan(body)), std::vector<std::string>{"CarePlan.subject"});
  body["subject"] = {{"reference", "Practitioner/3"}};
  EXPECT_EQ(Expressions(ParseCarePlan(body)),
            std::vector<std::string>{"CarePlan.subject.reference"});
  body["subject"] = {{"reference", "http://host/fhir/Patient/12"}};
  EXPECT_EQ(ParseCarePlan(body).write.subject.patient_id, 12);
}

TEST(CarePlanWriteTest, IfNoneExistTakesAnIdentifierOnly) {
  std::string error;
  auto exact =
      ParseIfNoneExist("identifier=https%3A%2F%2Ftrust.example.org%2Fplans%7CA-17", &error);
  ASSERT_TRUE(exact);
  EXPECT_EQ(exact->exact, "https://trust.example.org/plans|A-17");
  EXPECT_TRUE(exact->suffix.empty());
  auto any = ParseIfNoneExist("identifier=A-17", &error);
  ASSERT_TRUE(any);
  EXPECT_EQ(any->suffix, "|A-17");
  EXPECT_FALSE(ParseIfNoneExist("patient=Patient/1", &error));
  EXPECT_FALSE(error.empty());
  EXPECT_FALSE(ParseIfNoneExist("identifier=a|b&status=active", &error));
  EXPECT_FALSE(ParseIfNoneExist("identifier=", &error));
  EXPECT_FALSE(ParseIfNoneExist("identifier=sys|", &error));
}

TEST(CarePlanWriteTest, IfMatchTakesWeakAndStrongVersionTags) {
  EXPECT_EQ(ParseIfMatch("W/\"3\""), 3);
  EXPECT_EQ(ParseIfMatch("\"12\""), 12);
  EXPECT_FALSE(ParseIfMatch("3"));
  EXPECT_FALSE(ParseIfMatch("W/\"x\""));
  EXPECT_FALSE(ParseIfMatch("W/\"0\""));
  EXPECT_FALSE(ParseIfMatch(""));
}

TEST(CarePlanWriteTest, ProblemsBecomeOneIssueEach) {
  json oo = ProblemsOutcome({{"CarePlan.status", "is required"}, {"CarePlan.intent", "x"}});
  EXPECT_EQ(oo["resourceType"], "OperationOutcome");
  ASSERT_EQ(oo["issue"].size(), 2u);
  EXPECT_EQ(oo["issue"][0]["expression"][0], "CarePlan.status");
  EXPECT_EQ(oo["issue"][0]["code"], "processing");
}

// Found by fuzz_fhir_resource: an element of the wrong JSON type where a string is read
// (resourceType, the contained team's resourceType, careTeam's reference) threw
// nlohmann's type_error, which the server answered with a 500.
TEST(CarePlanWriteTest, ElementsOfTheWrongJsonTypeAreProblemsNotExceptions) {
  CarePlanParse r;
  ASSERT_NO_THROW(r = ParseCarePlan(json::parse(R"({"resourceType":4472})")));
  EXPECT_EQ(r.not_a_care_plan, "the body must be a CarePlan resource (resourceType)");
  json body = CarePlanResource(SamplePlan(), 42);
  body["contained"][0]["resourceType"] = json::array({"CareTeam"});
  body["careTeam"][0]["reference"] = 7;
  ASSERT_NO_THROW(r = ParseCarePlan(body));
  EXPECT_TRUE(r.not_a_care_plan.empty());
  EXPECT_EQ(Expressions(r),
            (std::vector<std::string>{"CarePlan.careTeam", "CarePlan.contained[0]"}));
}

}  // namespace
}  // namespace pioneer::fhir
