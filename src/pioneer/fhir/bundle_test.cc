#include "pioneer/fhir/bundle.h"

#include <gtest/gtest.h>

namespace pioneer::fhir {
namespace {

using nlohmann::json;

json Entry(std::string method, std::string url, std::string full_url = "",
           json resource = nullptr) {
  json e = {{"request", {{"method", method}, {"url", url}}}};
  if (!full_url.empty()) e["fullUrl"] = full_url;
  if (!resource.is_null()) e["resource"] = resource;
  return e;
}

json Plan(std::string subject_ref) {
  return {{"resourceType", "CarePlan"}, {"subject", {{"reference", subject_ref}}}};
}

TEST(BundleTest, ReadsEntriesAndRefusesWhatIsNotABatchOrTransaction) {
  json b = {{"resourceType", "Bundle"},
            {"type", "transaction"},
            {"entry", json::array({Entry("post", "/CarePlan", "urn:uuid:a", Plan("Patient/1")),
                                   Entry("GET", "Patient?identifier=x")})}};
  b["entry"][0]["request"]["ifNoneExist"] = "identifier=s|v";
  StatusOr<RequestBundle> r = ParseRequestBundle(b);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->transaction);
  ASSERT_EQ(r->entries.size(), 2u);
  EXPECT_EQ(r->entries[0].method, "POST");
  EXPECT_EQ(r->entries[0].url, "CarePlan");
  EXPECT_EQ(r->entries[0].if_none_exist, "identifier=s|v");
  EXPECT_EQ(r->entries[1].index, 1u);

  auto refused = [](json body, std::string_view where) {
    StatusOr<RequestBundle> r = ParseRequestBundle(body);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find(where), std::string::npos) << r.status().message();
  };
  refused({{"resourceType", "Patient"}}, "Bundle");
  refused({{"resourceType", "Bundle"}, {"type", "searchset"}}, "Bundle.type");
  refused({{"resourceType", "Bundle"},
           {"type", "batch"},
           {"entry", json::array({Entry("FETCH", "Patient")})}},
          "Bundle.entry[0].request.method");
  refused({{"resourceType", "Bundle"},
           {"type", "batch"},
           {"entry", json::array({Entry("GET", "http://elsewhere/fhir/Patient")})}},
          "Bundle.entry[0].request.url");
  refused({{"resourceType", "Bundle"},
           {"type", "batch"},
           {"entry", json::array({Entry("GET", "Patient"), Entry("POST", "CarePlan")})}},
          "Bundle.entry[1].resource");
  refused({{"resourceType", "Bundle"},
           {"type", "transaction"},
           {"entry", json::array({Entry("POST", "CarePlan", "urn:uuid:a", Plan("Patient/1")),
                                  Entry("POST", "CarePlan", "urn:uuid:a", Plan("Patient/1"))})}},
          "Bundle.entry[1].fullUrl");
}

TEST(BundleTest, TransactionOrderFollowsTheRulesAndReferences) {
  // GET first in the Bundle, a PUT, and two POSTs where the first references the second.
  json b = {{"resourceType", "Bundle"},
            {"type", "transaction"},
            {"entry", json::array({
                          Entry("GET", "CarePlan?patient=1"),
                          Entry("PUT", "CarePlan/cp-1", "", Plan("Patient/1")),
                          Entry("POST", "CarePlan", "urn:uuid:b", Plan("urn:uuid:c")),
                          Entry("POST", "Patient", "urn:uuid:c", {{"resourceType", "Patient"}}),
                          Entry("DELETE", "CarePlan/cp-9"),
                      })}};
  StatusOr<RequestBundle> r = ParseRequestBundle(b);
  ASSERT_TRUE(r.ok());
  StatusOr<std::vector<size_t>> order = TransactionOrder(*r);
  ASSERT_TRUE(order.ok()) << order.status().message();
  EXPECT_EQ(*order, (std::vector<size_t>{4, 3, 2, 1, 0}));

  // A cycle between created entries is refused, naming an entry.
  json cyc = {
      {"resourceType", "Bundle"},
      {"type", "transaction"},
      {"entry", json::array({Entry("POST", "CarePlan", "urn:uuid:x", Plan("urn:uuid:y")),
                             Entry("POST", "CarePlan", "urn:uuid:y", Plan("urn:uuid:x"))})}};
  StatusOr<std::vector<size_t>> bad = TransactionOrder(*ParseRequestBundle(cyc));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("cycle"), std::string::npos);

  // A long chain (each entry references the next) is ordered without recursion.
  json chain = {{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", json::array()}};
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    chain["entry"].push_back(Entry("POST", "CarePlan", "urn:uuid:" + std::to_string(i),
                                   Plan("urn:uuid:" + std::to_string(i + 1 < n ? i + 1 : 0))));
  }
  chain["entry"][n - 1]["resource"]["subject"]["reference"] = "Patient/1";
  StatusOr<std::vector<size_t>> long_order = TransactionOrder(*ParseRequestBundle(chain));
  ASSERT_TRUE(long_order.ok());
  EXPECT_EQ(long_order->front(), static_cast<size_t>(n - 1));
  EXPECT_EQ(long_order->back(), 0u);
}

TEST(BundleTest, ReferencesAreFoundAtAnyDepthAndRewritten) {
  json r = {{"resourceType", "CarePlan"},
            {"subject", {{"reference", "urn:uuid:p"}}},
            {"contained",
             json::array({{{"resourceType", "CareTeam"},
                           {"participant", json::array({{{"member", {{"reference", "x"}}}}})}}})},
            {"note", json::array({{{"text", "reference"}}})}};
  std::vector<std::string> seen;
  ForEachReference(r, [&](std::string& ref) {
    seen.push_back(ref);
    ref = "Patient/7";
  });
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"urn:uuid:p", "x"}));
  EXPECT_EQ(r["subject"]["reference"], "Patient/7");
  EXPECT_EQ(r["contained"][0]["participant"][0]["member"]["reference"], "Patient/7");
  EXPECT_EQ(r["note"][0]["text"], "reference");  // a key named "text", not a Reference

  // Deep nesting does not recurse.
  json deep = json::array();
  json* at = &deep;
  for (int i = 0; i < 100000; ++i) {
    at->push_back(json::array());
    at = &(*at)[0];
  }
  int count = 0;
  ForEachReference(deep, [&](std::string&) { ++count; });
  EXPECT_EQ(count, 0);
}

TEST(BundleTest, ReferenceFormsAndLocations) {
  EXPECT_TRUE(IsUrnReference("urn:uuid:1f"));
  EXPECT_TRUE(IsUrnReference("urn:oid:1.2"));
  EXPECT_FALSE(IsUrnReference("Patient/1"));
  std::optional<ConditionalReference> c =
      ParseConditionalReference("Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->type, "Patient");
  EXPECT_EQ(c->query, "identifier=https://fhir.nhs.uk/Id/nhs-number|9434765919");
  EXPECT_FALSE(ParseConditionalReference("Patient/1"));
  EXPECT_FALSE(ParseConditionalReference("patient?x=1"));
  EXPECT_FALSE(ParseConditionalReference("Pat-ient?x=1"));
  EXPECT_FALSE(ParseConditionalReference("Patient?"));
  EXPECT_EQ(TypeAndIdOf("http://h:1/fhir/CarePlan/cp-3/_history/2"), "CarePlan/cp-3");
  EXPECT_EQ(TypeAndIdOf("http://h:1/fhir/Consent/objection-4"), "Consent/objection-4");
  EXPECT_EQ(TypeAndIdOf("Patient/12"), "Patient/12");
  EXPECT_EQ(TypeAndIdOf(""), "");
  EXPECT_EQ(TypeAndIdOf("Patient?identifier=a"), "");
  EXPECT_EQ(StatusLine(201), "201 Created");
  EXPECT_EQ(StatusLine(412), "412 Precondition Failed");
}

TEST(BundleTest, ResponseBundleCarriesStatusLocationAndOutcome) {
  EntryResponse created;
  created.status = 201;
  created.location = "http://h/fhir/CarePlan/cp-1/_history/1";
  created.etag = "W/\"1\"";
  created.body = {{"resourceType", "CarePlan"}, {"id", "cp-1"}};
  EntryResponse failed;
  failed.status = 404;
  failed.body = {{"resourceType", "OperationOutcome"}, {"issue", json::array()}};
  json b = ResponseBundle(false, {created, failed});
  EXPECT_EQ(b["type"], "batch-response");
  ASSERT_EQ(b["entry"].size(), 2u);
  EXPECT_EQ(b["entry"][0]["response"]["status"], "201 Created");
  EXPECT_EQ(b["entry"][0]["response"]["location"], created.location);
  EXPECT_EQ(b["entry"][0]["response"]["etag"], "W/\"1\"");
  EXPECT_EQ(b["entry"][0]["resource"]["id"], "cp-1");
  EXPECT_EQ(b["entry"][0]["fullUrl"], "http://h/fhir/CarePlan/cp-1");
  EXPECT_EQ(b["entry"][1]["response"]["status"], "404 Not Found");
  EXPECT_EQ(b["entry"][1]["response"]["outcome"]["resourceType"], "OperationOutcome");
  EXPECT_FALSE(b["entry"][1].contains("resource"));
  EXPECT_EQ(ResponseBundle(true, {})["type"], "transaction-response");
}

}  // namespace
}  // namespace pioneer::fhir
