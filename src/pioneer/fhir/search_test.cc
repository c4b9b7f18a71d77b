#include "pioneer/fhir/search.h"

#include <gtest/gtest.h>

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

DateRange Range(std::initializer_list<const char*> values) {
  DateRange r;
  for (const char* v : values) EXPECT_TRUE(AddDateConstraint(v, &r).ok()) << v;
  return r;
}

TEST(SearchTest, DatePrefixesAndPartialDates) {
  DateRange eq_year = Range({"2015"});
  EXPECT_EQ(*eq_year.from, "2015-01-01");
  EXPECT_EQ(*eq_year.before, "2016-01-01");
  DateRange month = Range({"eq2016-02"});
  EXPECT_EQ(*month.from, "2016-02-01");
  EXPECT_EQ(*month.before, "2016-03-01");
  DateRange dec = Range({"2016-12"});
  EXPECT_EQ(*dec.before, "2017-01-01");
  DateRange gt = Range({"gt2015-03-01"});
  EXPECT_EQ(*gt.from, "2015-03-02");
  EXPECT_FALSE(gt.before);
  DateRange le = Range({"le2015-03-01"});
  EXPECT_EQ(*le.before, "2015-03-02");
  DateRange both = Range({"ge2015", "lt2015-07"});
  EXPECT_EQ(*both.from, "2015-01-01");
  EXPECT_EQ(*both.before, "2015-07-01");
  EXPECT_TRUE(InRange(both, "2015-06-30"));
  EXPECT_FALSE(InRange(both, "2015-07-01"));
  EXPECT_FALSE(InRange(both, "2014-12-31"));
  EXPECT_TRUE(InRange(both, "2015-03-01T10:00:00Z"));
  DateRange bad;
  EXPECT_FALSE(AddDateConstraint("2015-13", &bad).ok());
  EXPECT_FALSE(AddDateConstraint("sa2015", &bad).ok());
  EXPECT_FALSE(AddDateConstraint("2015-02-30", &bad).ok());
  EXPECT_FALSE(AddDateConstraint("15", &bad).ok());
}

TEST(SearchTest, PatientIdentifierForms) {
  auto q = PatientQueryFromParams({{"identifier", "https://fhir.nhs.uk/Id/nhs-number|9434765919"}},
                                  false);
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(q->nhs_number);
  EXPECT_EQ(q->nhs_number->digits(), "9434765919");
  auto bare = PatientQueryFromParams({{"identifier", "9434765919"}}, false);
  ASSERT_TRUE(bare.ok() && bare->nhs_number);
  auto other_system = PatientQueryFromParams({{"identifier", "urn:x|9434765919"}}, false);
  ASSERT_TRUE(other_system.ok());
  EXPECT_TRUE(other_system->impossible);
  auto invalid = PatientQueryFromParams({{"identifier", "9434765918"}}, false);
  ASSERT_TRUE(invalid.ok());
  EXPECT_TRUE(invalid->impossible);
  // :of-type: the NHS Number is the identifier of type NH; other types are held by no one.
  const std::string nh = std::string(kIdentifierTypeSystem) + "|NH|";
  auto typed = PatientQueryFromParams({{"identifier:of-type", nh + "9434765919"}}, false);
  ASSERT_TRUE(typed.ok()) << typed.status().ToString();
  ASSERT_TRUE(typed->nhs_number);
  EXPECT_FALSE(typed->impossible);
  EXPECT_EQ(typed->nhs_number->digits(), "9434765919");
  auto other_type = PatientQueryFromParams(
      {{"identifier:of-type", std::string(kIdentifierTypeSystem) + "|MR|9434765919"}}, false);
  ASSERT_TRUE(other_type.ok());
  EXPECT_TRUE(other_type->impossible);
  auto typed_invalid = PatientQueryFromParams({{"identifier:of-type", nh + "9434765918"}}, false);
  ASSERT_TRUE(typed_invalid.ok());
  EXPECT_TRUE(typed_invalid->impossible);
  auto both = PatientQueryFromParams(
      {{"identifier:of-type", nh + "9434765919"}, {"identifier", "9434765918"}}, false);
  ASSERT_TRUE(both.ok());
  EXPECT_TRUE(both->impossible);
  for (const char* bad : {"9434765919", "NH|9434765919", "a|b|c|d", "x||9434765919", "x|NH|"}) {
    EXPECT_EQ(PatientQueryFromParams({{"identifier:of-type", bad}}, false).status().code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

TEST(SearchTest, UnknownParametersAreRejectedUnlessLenient) {
  EXPECT_FALSE(PatientQueryFromParams({{"famly", "Smith"}}, false).ok());
  auto lenient = PatientQueryFromParams({{"famly", "Smith"}, {"family", "Sm"}}, true);
  ASSERT_TRUE(lenient.ok());
  EXPECT_EQ(lenient->family, std::vector<std::string>{"Sm"});
  EXPECT_FALSE(PatientQueryFromParams({{"gender", "f"}}, false).ok());
  auto g = PatientQueryFromParams({{"gender", "female"}}, false);
  EXPECT_EQ(*g->sex, "2");
}

TEST(SearchTest, AuditEventParameters) {
  auto q = AuditSearchFromParams({{"patient", "Patient/12"},
                                  {"entity", "x7"},
                                  {"agent", "gp_a"},
                                  {"date", "ge2024-01"},
                                  {"date", "lt2024-03-15"},
                                  {"_count", "5"}},
                                 false);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->patients, (std::vector<std::optional<int64_t>>{12, std::nullopt}));
  EXPECT_EQ(q->agent, "gp_a");
  EXPECT_EQ(*q->date.from, "2024-01-01");
  EXPECT_EQ(*q->date.before, "2024-03-15");
  // Unknown parameters: a 400 naming the parameter, unless lenient; a bad date always.
  auto unknown = AuditSearchFromParams({{"subject", "12"}}, false);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "unknown or unsupported search parameter 'subject'");
  EXPECT_TRUE(AuditSearchFromParams({{"subject", "12"}}, true).ok());
  auto bad_date = AuditSearchFromParams({{"date", "ge9434765919"}}, true);
  ASSERT_FALSE(bad_date.ok());
  EXPECT_EQ(bad_date.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad_date.status().message().find("9434765919"), std::string::npos);
}

TEST(SearchTest, PagingIsCappedAndLinksRepeatTheQuery) {
  auto p = PagingFromParams({{"_count", "1000"}, {"_offset", "40"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->count, kMaxPageSize);
  EXPECT_FALSE(PagingFromParams({{"_count", "-1"}}).ok());
  Paging page{2, 2};
  auto b = SearchBundle("http://h/fhir", "Patient", {{"family", "O'Neil"}, {"_count", "2"}}, 5,
                        page, {});
  EXPECT_EQ(b["total"], 5);
  ASSERT_EQ(b["link"].size(), 3u);
  EXPECT_EQ(b["link"][0]["url"], "http://h/fhir/Patient?family=O%27Neil&_count=2&_offset=2");
  EXPECT_EQ(b["link"][1]["relation"], "next");
  EXPECT_EQ(b["link"][1]["url"], "http://h/fhir/Patient?family=O%27Neil&_count=2&_offset=4");
  EXPECT_EQ(b["link"][2]["relation"], "previous");
}

TEST(SearchTest, IncludesAreOnlyTheSupportedOnes) {
  auto plan = IncludesFromParams({{"patient", "3"}, {"_include", "CarePlan:subject"}}, "CarePlan");
  ASSERT_TRUE(plan.ok());
  EXPECT_TRUE(plan->care_plan_subject);
  EXPECT_FALSE(plan->rev_care_plan_subject);
  auto rev = IncludesFromParams({{"_revinclude", "CarePlan:patient"}}, "Patient");
  ASSERT_TRUE(rev.ok());
  EXPECT_TRUE(rev->rev_care_plan_subject);
  EXPECT_FALSE(IncludesFromParams({{"_include", "Encounter:subject"}}, "Encounter").ok());
  EXPECT_FALSE(IncludesFromParams({{"_include", "CarePlan:care-team"}}, "CarePlan").ok());
  EXPECT_FALSE(IncludesFromParams({{"_revinclude", "CarePlan:subject"}}, "CarePlan").ok());
  EXPECT_FALSE(IncludesFromParams({{"_include", "*"}}, "Patient").ok());
  auto none = IncludesFromParams({{"patient", "3"}}, "Encounter");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->care_plan_subject);
  // The query parsers leave them to IncludesFromParams.
  EXPECT_TRUE(ClinicalQueryFromParams("CarePlan",
                                      {{"patient", "3"}, {"_include", "CarePlan:subject"}}, false)
                  .ok());
}

TEST(SearchTest, IncludedResourcesFollowTheMatchesAndAreNotCounted) {
  nlohmann::json plan = {{"resourceType", "CarePlan"}, {"id", "cp-1"}};
  nlohmann::json patient = {{"resourceType", "Patient"}, {"id", "3"}};
  auto b =
      SearchBundle("http://h/fhir", "CarePlan", {{"patient", "3"}}, 1, Paging{}, {plan}, {patient});
  EXPECT_EQ(b["total"], 1);
  ASSERT_EQ(b["entry"].size(), 2u);
  EXPECT_EQ(b["entry"][0]["search"]["mode"], "match");
  EXPECT_EQ(b["entry"][1]["search"]["mode"], "include");
  EXPECT_EQ(b["entry"][1]["fullUrl"], "http://h/fhir/Patient/3");
}

// A parameter with no name (a bare "=", or "%udeec", which decodes to nothing) is not
// repeated in the links: "=" would not decode back to it.
TEST(SearchTest, QueryStringLeavesOutNamelessParameters) {
  SearchParams params = {{"", ""}, {"family", "O'Brien"}, {"_count", "5"}, {"", "x"}};
  EXPECT_EQ(QueryString(params), "family=O%27Brien");
}

}  // namespace
// Token parameters: the four forms, OR within a parameter (commas, with \, escaped), AND
// across parameters, each type's own parameters only, and a plain code (status) matching
// whatever system is asked for.
TEST(SearchTest, TokenParametersParseAndMatch) {
  const nlohmann::json dx = nlohmann::json::parse(R"json({
    "resourceType": "Condition",
    "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
    "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
    "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I21"}]}})json");
  auto match = [&](const SearchParams& extra, std::string_view type = "Condition",
                   const nlohmann::json* r = nullptr) {
    SearchParams p = {{"patient", "3"}};
    p.insert(p.end(), extra.begin(), extra.end());
    auto q = ClinicalQueryFromParams(type, p, false);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() && MatchesTokens(r ? *r : dx, *q);
  };
  EXPECT_TRUE(match({}));
  EXPECT_TRUE(match({{"code", "I21"}}));
  EXPECT_TRUE(match({{"code", "http://hl7.org/fhir/sid/icd-10|I21"}}));
  EXPECT_TRUE(match({{"code", "http://hl7.org/fhir/sid/icd-10|"}}));
  EXPECT_FALSE(match({{"code", "http://snomed.info/sct|I21"}}));
  EXPECT_FALSE(match({{"code", "|I21"}}));  // the coding has a system
  EXPECT_FALSE(match({{"code", "I22"}}));
  EXPECT_TRUE(match({{"code", "I22,I21"}}));                                  // either
  EXPECT_FALSE(match({{"code", "I21"}, {"category", "problem-list-item"}}));  // both
  EXPECT_TRUE(match({{"code", "I21"}, {"category", "encounter-diagnosis"}}));
  EXPECT_TRUE(match({{"clinical-status", "active"}}));
  EXPECT_FALSE(match({{"verification-status", "confirmed"}}));  // absent element
  const nlohmann::json enc = {
      {"resourceType", "Encounter"},
      {"status", "finished"},
      {"class", {{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"}, {"code", "IMP"}}}};
  EXPECT_TRUE(match({{"status", "finished"}}, "Encounter", &enc));
  EXPECT_TRUE(
      match({{"status", "http://hl7.org/fhir/encounter-status|finished"}}, "Encounter", &enc));
  EXPECT_FALSE(match({{"status", "in-progress"}}, "Encounter", &enc));
  EXPECT_TRUE(match({{"class", "IMP"}}, "Encounter", &enc));
  const nlohmann::json comma = {{"resourceType", "Condition"},
                                {"code", {{"coding", {{{"code", "a,b"}}}}}}};
  EXPECT_TRUE(match({{"code", "a\\,b"}}, "Condition", &comma));
  EXPECT_FALSE(match({{"code", "a,b"}}, "Condition", &comma));
  // Parameters another type has are unknown here; bad forms are 400s naming the parameter.
  EXPECT_FALSE(
      ClinicalQueryFromParams("Encounter", {{"patient", "3"}, {"code", "I21"}}, false).ok());
  EXPECT_TRUE(ClinicalQueryFromParams("Encounter", {{"patient", "3"}, {"code", "I21"}}, true).ok());
  for (const char* bad : {"", "|", "a|b|c", "I21,"}) {
    auto q = ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code", bad}}, false);
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_FALSE(
      ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code:in", "x"}}, false).ok());
  EXPECT_FALSE(
      ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code:text", ""}}, false).ok());
  // :text: the start of the text, or of a word of it, of CodeableConcept.text or a display.
  const nlohmann::json diabetes = {{"resourceType", "Condition"},
                                   {"code",
                                    {{"coding",
                                      {{{"system", "http://snomed.info/sct"},
                                        {"code", "44054006"},
                                        {"display", "Diabetes mellitus type 2 (disorder)"}}}},
                                     {"text", "Type 2 diabetes"}}}};
  EXPECT_TRUE(match({{"code:text", "diab"}}, "Condition", &diabetes));
  EXPECT_TRUE(match({{"code:text", "MELLITUS"}}, "Condition", &diabetes));
  EXPECT_TRUE(match({{"code:text", "type 2"}}, "Condition", &diabetes));
  EXPECT_FALSE(match({{"code:text", "abetes"}}, "Condition", &diabetes));    // not a word start
  EXPECT_FALSE(match({{"code:text", "44054006"}}, "Condition", &diabetes));  // codes are not text
  EXPECT_FALSE(match({{"category:text", "diab"}}, "Condition", &diabetes));  // absent element
  // :not and :missing.
  EXPECT_TRUE(match({{"code:not", "I22"}}));
  EXPECT_FALSE(match({{"code:not", "I22,I21"}}));
  EXPECT_TRUE(match({{"verification-status:missing", "true"}}));
  EXPECT_FALSE(match({{"code:missing", "true"}}));
  EXPECT_TRUE(match({{"code:missing", "false"}}));
  EXPECT_TRUE(match({{"verification-status:not", "confirmed"}}));  // absent: not confirmed
  EXPECT_FALSE(
      ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code:missing", "yes"}}, false)
          .ok());
}

// :below and :above in the prefix hierarchies of ICD-10 and OPCS-4; other systems refused.
TEST(SearchTest, TokenSubsumptionInIcd10AndOpcs4) {
  auto condition = [](const char* system, const char* code) {
    return nlohmann::json{{"resourceType", "Condition"},
                          {"code", {{"coding", {{{"system", system}, {"code", code}}}}}}};
  };
  const std::string icd(kIcd10System), opcs(kOpcs4System);
  auto match = [&](const std::string& key, const std::string& value, const nlohmann::json& r) {
    auto q = ClinicalQueryFromParams("Condition", {{"patient", "3"}, {key, value}}, false);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() && MatchesTokens(r, *q);
  };
  const nlohmann::json j189 = condition(icd.c_str(), "J18.9"), j18 = condition(icd.c_str(), "J18");
  EXPECT_TRUE(match("code:below", icd + "|J18", j189));
  EXPECT_TRUE(match("code:below", icd + "|J18", j18));  // a code is below itself
  EXPECT_TRUE(match("code:below", icd + "|J1", j189));
  EXPECT_TRUE(match("code:below", icd + "|J189", j189));  // dots do not matter
  EXPECT_FALSE(match("code:below", icd + "|J18.1", j189));
  EXPECT_FALSE(match("code:below", icd + "|J19", j189));
  EXPECT_TRUE(match("code:below", icd + "|I21," + icd + "|J18", j189));  // any of
  EXPECT_FALSE(match("code:below", opcs + "|J18", j189));                // another system
  EXPECT_TRUE(match("code:above", icd + "|J18.9", j18));
  EXPECT_TRUE(match("code:above", icd + "|J18.9", j189));
  EXPECT_FALSE(match("code:above", icd + "|J18", j189));
  EXPECT_FALSE(match("code:above", icd + "|J1", j18));
  // A chapter-like prefix of one or two characters is not a category: not above anything.
  EXPECT_FALSE(match("code:above", icd + "|J18.9", condition(icd.c_str(), "J1")));
  EXPECT_TRUE(match("code:below", opcs + "|H22", condition(opcs.c_str(), "H22.1")));
  // Needs system|code of a hierarchical system: 400s.
  for (const char* bad : {"J18", "http://snomed.info/sct|22298006", "|J18"}) {
    auto q = ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code:below", bad}}, false);
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto any_code =
      ClinicalQueryFromParams("Condition", {{"patient", "3"}, {"code:above", icd + "|"}}, false);
  EXPECT_EQ(any_code.status().code(), StatusCode::kInvalidArgument);
}

TEST(SearchTest, EverythingParameters) {
  static constexpr std::string_view kTypes[] = {"Patient", "Encounter", "Condition"};
  auto q = EverythingQueryFromParams({{"_type", "Encounter,Condition"},
                                      {"_type", "Encounter"},
                                      {"start", "2016"},
                                      {"end", "2016-06"},
                                      {"_count", "5"}},
                                     kTypes, false);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->types, (std::vector<std::string>{"Encounter", "Condition"}));
  EXPECT_EQ(q->date.from, "2016-01-01");
  EXPECT_EQ(q->date.before, "2016-07-01");
  EXPECT_FALSE(EverythingQueryFromParams({{"_type", "Observation"}}, kTypes, false).ok());
  EXPECT_FALSE(EverythingQueryFromParams({{"start", "ge2016"}}, kTypes, false).ok());
  EXPECT_FALSE(EverythingQueryFromParams({{"_since", "2016-01-01"}}, kTypes, true).ok());
  EXPECT_FALSE(EverythingQueryFromParams({{"colour", "red"}}, kTypes, false).ok());
  EXPECT_TRUE(EverythingQueryFromParams({{"colour", "red"}}, kTypes, true).ok());
}

}  // namespace pioneer::fhir
