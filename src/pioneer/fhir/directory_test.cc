#include "pioneer/fhir/directory.h"

#include <gtest/gtest.h>

namespace pioneer::fhir {
namespace {

using nlohmann::json;

TEST(DirectoryTest, ParseKeepsTheResourceAndFindsIdentifiersAndName) {
  json body = {
      {"resourceType", "Practitioner"},
      {"id", "abc"},
      {"meta", {{"versionId", "9"}}},
      {"identifier",
       json::array({{{"system", "http://hl7.org/fhir/sid/us-npi"}, {"value", "9999994392"}},
                    {{"value", "local-7"}},
                    {{"system", "http://x"}}})},
      {"name", json::array({{{"family", "Tiller"}, {"given", json::array({"Alan"})}}})}};
  DirectoryParse p = ParseDirectoryResource(body, "Practitioner");
  EXPECT_TRUE(p.not_a_resource.empty());
  EXPECT_TRUE(p.problems.empty());
  EXPECT_EQ(p.identifiers,
            (std::vector<std::string>{"http://hl7.org/fhir/sid/us-npi|9999994392", "|local-7"}));
  EXPECT_EQ(p.name, "Tiller");
  json stored = json::parse(p.stored);
  EXPECT_FALSE(stored.contains("id"));
  EXPECT_FALSE(stored.contains("meta"));
  EXPECT_EQ(stored["name"][0]["given"][0], "Alan");

  documents::DirectoryEntry e;
  e.entry_id = 3;
  e.resource_type = "Practitioner";
  e.resource = p.stored;
  e.written_at = "2026-12-07T02:00:00Z";
  json read = DirectoryResource(e);
  EXPECT_EQ(read["id"], "dir-3");
  EXPECT_EQ(read["meta"]["versionId"], "1");
  EXPECT_EQ(ParseDirectoryId("dir-3"), 3);
  EXPECT_FALSE(ParseDirectoryId("doc-3"));
  EXPECT_FALSE(ParseDirectoryId("dir-0"));
}

TEST(DirectoryTest, ParseRefusesWhatTheServerCannotKeepWithoutQuotingValues) {
  EXPECT_FALSE(ParseDirectoryResource(json::array(), "Location").not_a_resource.empty());
  EXPECT_FALSE(
      ParseDirectoryResource({{"resourceType", "Patient"}}, "Location").not_a_resource.empty());
  DirectoryParse p = ParseDirectoryResource(
      {{"resourceType", "Location"},
       {"identifier", json::array({{{"system", "a|b"}, {"value", "secret-9434765919"}}})}},
      "Location");
  ASSERT_EQ(p.problems.size(), 1u);
  EXPECT_EQ(p.problems[0].expression, "Location.identifier[0]");
  EXPECT_EQ(p.problems[0].reason.find("9434765919"), std::string::npos);
  EXPECT_EQ(
      ParseDirectoryResource({{"resourceType", "Medication"},
                              {"code", {{"coding", json::array({{{"display", "Metformin"}}})}}}},
                             "Medication")
          .name,
      "Metformin");
}

TEST(DirectoryTest, SearchParameters) {
  auto s = DirectorySearchFromParams({{"identifier", "http://x|1"}, {"name", "Til"}}, false, {});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->query.identifier_exact, "http://x|1");
  EXPECT_EQ(s->query.name_prefix, "Til");
  EXPECT_FALSE(s->matches_nothing);
  auto any = DirectorySearchFromParams({{"identifier", "1"}}, false, {});
  ASSERT_TRUE(any.ok());
  EXPECT_EQ(any->query.identifier_suffix, "|1");
  auto two = DirectorySearchFromParams({{"name", "a"}, {"name", "b"}}, false, {});
  ASSERT_TRUE(two.ok());
  EXPECT_TRUE(two->matches_nothing);
  EXPECT_FALSE(DirectorySearchFromParams({{"family", "x"}}, false, {}).ok());
  EXPECT_TRUE(DirectorySearchFromParams({{"family", "x"}}, true, {}).ok());
  auto ods_only = DirectorySearchFromParams({{"type", "gp_practice"}}, false, {"type"});
  ASSERT_TRUE(ods_only.ok());
  EXPECT_TRUE(ods_only->matches_nothing);
  EXPECT_FALSE(DirectorySearchFromParams({{"identifier", "a|b|c"}}, false, {}).ok());
}

}  // namespace
}  // namespace pioneer::fhir
