#include "pioneer/documents/directory_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pioneer::documents {
namespace {

namespace fs = std::filesystem;

class DirectoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::path(::testing::TempDir()) /
            ("directory_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    fs::remove(path_);
    auto s = store::Store::OpenSqlite(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove(path_);
  }
  int64_t Add(const std::string& type, std::vector<std::string> ids, const std::string& name) {
    DirectoryEntry e;
    e.resource_type = type;
    e.identifiers = std::move(ids);
    e.name = name;
    e.org_code = "B86001";
    e.resource = R"({"resourceType":")" + type + R"("})";
    e.written_by = "gp_a";
    StatusOr<int64_t> id = AddDirectoryEntry(*store_, e);
    EXPECT_TRUE(id.ok()) << id.status().message();
    return id.ok() ? *id : 0;
  }
  std::vector<int64_t> Find(const std::string& type, DirectoryQuery q, int64_t* total = nullptr) {
    std::vector<int64_t> out;
    auto found = FindDirectoryEntries(*store_, type, q, total);
    EXPECT_TRUE(found.ok()) << found.status().message();
    if (found.ok()) {
      for (const DirectoryEntry& e : *found) out.push_back(e.entry_id);
    }
    return out;
  }
  fs::path path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(DirectoryStoreTest, EntriesRoundTripAndAreFoundByAnyIdentifierOrNamePrefix) {
  const int64_t a =
      Add("Practitioner", {"http://hl7.org/fhir/sid/us-npi|9999994392", "|local-7"}, "Tiller");
  const int64_t b = Add("Practitioner", {"http://hl7.org/fhir/sid/us-npi|99999943"}, "Okafor");
  const int64_t org = Add("Organization", {"https://example.org/orgs|9999994392"}, "Tillerton");
  auto got = GetDirectoryEntry(*store_, "Practitioner", a);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->identifiers,
            (std::vector<std::string>{"http://hl7.org/fhir/sid/us-npi|9999994392", "|local-7"}));
  EXPECT_EQ((*got)->name, "Tiller");
  EXPECT_EQ((*got)->version, 1);
  EXPECT_FALSE(got->value().written_at.empty());
  // The type is part of the key: an Organization id read as a Practitioner is not found.
  auto wrong = GetDirectoryEntry(*store_, "Practitioner", org);
  ASSERT_TRUE(wrong.ok());
  EXPECT_FALSE(wrong->has_value());

  DirectoryQuery exact;
  exact.identifier_exact = "http://hl7.org/fhir/sid/us-npi|9999994392";
  EXPECT_EQ(Find("Practitioner", exact), std::vector<int64_t>{a});
  // A whole value, not a prefix of one: 99999943 does not match 9999994392.
  DirectoryQuery prefix_of_value;
  prefix_of_value.identifier_exact = "http://hl7.org/fhir/sid/us-npi|99999943";
  EXPECT_EQ(Find("Practitioner", prefix_of_value), std::vector<int64_t>{b});
  DirectoryQuery any_system;
  any_system.identifier_suffix = "|9999994392";
  EXPECT_EQ(Find("Practitioner", any_system), std::vector<int64_t>{a});
  EXPECT_EQ(Find("Organization", any_system), std::vector<int64_t>{org});
  DirectoryQuery second_identifier;
  second_identifier.identifier_exact = "|local-7";
  EXPECT_EQ(Find("Practitioner", second_identifier), std::vector<int64_t>{a});
  DirectoryQuery by_name;
  by_name.name_prefix = "tILL";
  EXPECT_EQ(Find("Practitioner", by_name), std::vector<int64_t>{a});
  EXPECT_EQ(Find("Organization", by_name), std::vector<int64_t>{org});
  // Paging with the total before paging.
  DirectoryQuery page;
  page.limit = 1;
  page.offset = 1;
  int64_t total = 0;
  EXPECT_EQ(Find("Practitioner", page, &total), std::vector<int64_t>{b});
  EXPECT_EQ(total, 2);
}

TEST_F(DirectoryStoreTest, OnlyDirectoryTypesAreKept) {
  DirectoryEntry e;
  e.resource_type = "Observation";
  e.resource = "{}";
  EXPECT_FALSE(AddDirectoryEntry(*store_, e).ok());
  EXPECT_TRUE(IsDirectoryType("PractitionerRole"));
  EXPECT_FALSE(IsDirectoryType("Patient"));
}

}  // namespace
}  // namespace pioneer::documents
