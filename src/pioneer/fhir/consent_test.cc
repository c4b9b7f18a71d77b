#include "pioneer/fhir/consent.h"

#include <gtest/gtest.h>

namespace pioneer::fhir {
namespace {

using nlohmann::json;

json Body(const std::string& status, const std::string& type) {
  json c = {{"resourceType", "Consent"},
            {"status", status},
            {"scope", {{"coding", json::array({{{"code", "patient-privacy"}}})}}},
            {"patient", {{"reference", "Patient/12"}}}};
  if (!type.empty()) c["provision"] = {{"type", type}};
  return c;
}

TEST(ConsentTest, DenyRecordsPermitOrWithdrawalLifts) {
  ConsentParse deny = ParseConsent(Body("active", "deny"));
  ASSERT_TRUE(deny.problems.empty());
  EXPECT_EQ(deny.effect, ConsentEffect::kRecordObjection);
  EXPECT_EQ(deny.patient.patient_id, 12);
  EXPECT_EQ(ParseConsent(Body("active", "permit")).effect, ConsentEffect::kLiftObjection);
  EXPECT_EQ(ParseConsent(Body("inactive", "")).effect, ConsentEffect::kLiftObjection);
  EXPECT_EQ(ParseConsent(Body("inactive", "deny")).effect, ConsentEffect::kLiftObjection);
  EXPECT_EQ(ParseConsent(Body("entered-in-error", "deny")).effect, ConsentEffect::kLiftObjection);
}

TEST(ConsentTest, RefusesWhatCannotBeRecorded) {
  EXPECT_FALSE(ParseConsent(json{{"resourceType", "CarePlan"}}).not_a_consent.empty());
  EXPECT_FALSE(ParseConsent(Body("draft", "deny")).problems.empty());
  EXPECT_FALSE(ParseConsent(Body("active", "")).problems.empty());  // no provision
  json research = Body("active", "deny");
  research["scope"]["coding"][0]["code"] = "research";
  ASSERT_EQ(ParseConsent(research).problems.size(), 1u);
  EXPECT_EQ(ParseConsent(research).problems[0].expression, "Consent.scope");
  json nested = Body("active", "deny");
  nested["provision"]["provision"] = json::array({{{"type", "permit"}}});
  ASSERT_EQ(ParseConsent(nested).problems.size(), 1u);
  EXPECT_EQ(ParseConsent(nested).problems[0].expression, "Consent.provision.provision");
  json by_number = Body("active", "deny");
  by_number["patient"] = {
      {"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", "1234567890"}}}};
  EXPECT_EQ(ParseConsent(by_number).problems[0].expression, "Consent.patient.identifier.value");
}

TEST(ConsentTest, TheStoredObjectionReadsAsAnActiveDenyConsent) {
  ig::ObjectionRecord o{"2016-01-01", "import:objections.csv", "2026-12-06T10:00:00Z"};
  json c = ConsentResource(o, 7);
  EXPECT_EQ(c["id"], "objection-7");
  EXPECT_EQ(ParseConsentId("objection-7"), 7);
  EXPECT_FALSE(ParseConsentId("cp-7"));
  EXPECT_EQ(c["status"], "active");
  EXPECT_EQ(c["provision"]["type"], "deny");
  EXPECT_EQ(c["dateTime"], "2016-01-01");
  EXPECT_EQ(c["patient"]["reference"], "Patient/7");
  EXPECT_EQ(ConsentResource(o, 7, false)["status"], "inactive");
  // What is read can be written back with the same effect.
  ConsentParse again = ParseConsent(c);
  EXPECT_TRUE(again.problems.empty());
  EXPECT_EQ(again.effect, ConsentEffect::kRecordObjection);
  EXPECT_EQ(again.recorded_on, "2016-01-01");
}

}  // namespace
}  // namespace pioneer::fhir
