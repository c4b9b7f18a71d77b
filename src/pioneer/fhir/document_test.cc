#include "pioneer/fhir/document.h"

#include <gtest/gtest.h>

namespace pioneer::fhir {
namespace {

using nlohmann::json;

json Target(const std::string& ref) { return {{"reference", ref}}; }

TEST(DocumentTest, PersonElementFollowsTheType) {
  EXPECT_EQ(DocumentPersonElement("Observation"), "subject");
  EXPECT_EQ(DocumentPersonElement("Encounter"), "subject");
  EXPECT_EQ(DocumentPersonElement("Claim"), "patient");
  EXPECT_EQ(DocumentPersonElement("ExplanationOfBenefit"), "patient");
  EXPECT_EQ(DocumentPersonElement("Device"), "patient");
  EXPECT_EQ(DocumentPersonElement("Provenance"), "target");
}

TEST(DocumentTest, ProvenanceNamesItsPersonAmongItsTargets) {
  json p = {{"resourceType", "Provenance"},
            {"target", json::array({Target("Encounter/doc-1"), Target("Patient/12"),
                                    Target("Condition/doc-2")})},
            {"recorded", "2024-03-04T09:30:00Z"}};
  DocumentParse ok = ParseDocument(p, "Provenance");
  EXPECT_TRUE(ok.problems.empty());
  EXPECT_EQ(ok.subject.patient_id, 12);
  EXPECT_EQ(ok.clinical_date, "2024-03-04T09:30:00Z");
  // Read back, the person's target is the current Patient id; the others are kept.
  documents::Document d;
  d.doc_id = 5;
  d.resource_type = "Provenance";
  d.version = 1;
  d.org_code = "B86001";
  d.resource = ok.stored;
  json read = DocumentResource(d, 40);
  EXPECT_EQ(read["target"][0]["reference"], "Encounter/doc-1");
  EXPECT_EQ(read["target"][1]["reference"], "Patient/40");
  EXPECT_EQ(read["target"][2]["reference"], "Condition/doc-2");
  EXPECT_FALSE(read.contains("subject"));

  json none = p;
  none["target"] = json::array({Target("Encounter/doc-1")});
  DocumentParse missing = ParseDocument(none, "Provenance");
  ASSERT_EQ(missing.problems.size(), 1u);
  EXPECT_EQ(missing.problems[0].expression, "Provenance.target");
  json two = p;
  two["target"].push_back(Target("Patient/13"));
  EXPECT_EQ(ParseDocument(two, "Provenance").problems.size(), 1u);
}

TEST(DocumentTest, DatesOfTheTypesAlsoFromTheRecord) {
  json enc = {{"resourceType", "Encounter"},
              {"subject", Target("Patient/1")},
              {"period", {{"start", "2024-03-04T09:00:00+00:00"}}}};
  EXPECT_EQ(ParseDocument(enc, "Encounter").clinical_date, "2024-03-04T09:00:00+00:00");
  json claim = {{"resourceType", "Claim"},
                {"patient", Target("Patient/1")},
                {"billablePeriod", {{"start", "2024-03"}}},
                {"created", "2024-05-01"}};
  EXPECT_EQ(ParseDocument(claim, "Claim").clinical_date, "2024-03");
  json bad = {{"resourceType", "Condition"},
              {"subject", Target("Patient/1")},
              {"onsetDateTime", "yesterday"}};
  DocumentParse p = ParseDocument(bad, "Condition");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].expression, "Condition.onsetDateTime");
}

}  // namespace
}  // namespace pioneer::fhir
