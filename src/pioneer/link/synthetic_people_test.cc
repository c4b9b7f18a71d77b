#include "pioneer/link/synthetic_people.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "testing/test_util.h"

namespace pioneer::link {
namespace {

SyntheticPeople Make(int64_t records, uint64_t seed, CorruptionModel c = {}) {
  SyntheticPeopleOptions o;
  o.records = records;
  o.seed = seed;
  o.corruption = c;
  auto p = GenerateSyntheticPeople(o);
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? std::move(*p) : SyntheticPeople{};
}

TEST(SyntheticPeopleTest, DeterministicPerSeed) {
  const SyntheticPeople a = Make(2000, 7), b = Make(2000, 7), c = Make(2000, 8);
  ASSERT_EQ(a.records.size(), b.records.size());
  for (size_t i = 0; i < a.records.size(); ++i) {
    EXPECT_EQ(a.records[i].record.fields, b.records[i].record.fields);
    EXPECT_EQ(a.records[i].person, b.records[i].person);
  }
  bool differs = a.records.size() != c.records.size();
  for (size_t i = 0; !differs && i < a.records.size(); ++i) {
    differs = a.records[i].record.fields != c.records[i].record.fields;
  }
  EXPECT_TRUE(differs);
}

TEST(SyntheticPeopleTest, ShapeAndRates) {
  const SyntheticPeople p = Make(20000, 3);
  // At least the records asked for; a household (<= 5 people x 5 records) at most beyond.
  EXPECT_GE(p.records.size(), 20000u);
  EXPECT_LT(p.records.size(), 20000u + 25u);
  EXPECT_GT(p.twin_pairs, 0);
  EXPECT_GT(p.households, 0);
  // 1-5 records per person (mean 2.25); the first in source A, the others in B.
  std::map<int64_t, int> per_person;
  int64_t missing_dob = 0, missing_postcode = 0;
  for (const SyntheticRecord& r : p.records) {
    EXPECT_EQ(r.source, per_person[r.person]++ == 0 ? 0 : 1);
    missing_dob += r.record.get(Field::kBirthDate).empty() ? 1 : 0;
    missing_postcode += r.record.get(Field::kPostcode).empty() ? 1 : 0;
  }
  EXPECT_EQ(static_cast<int64_t>(per_person.size()), p.people);
  const double mean = static_cast<double>(p.records.size()) / static_cast<double>(p.people);
  EXPECT_NEAR(mean, 2.25, 0.1);
  const double n = static_cast<double>(p.records.size());
  EXPECT_NEAR(missing_dob / n, 0.25, 0.02);
  EXPECT_NEAR(missing_postcode / n, 0.25, 0.02);
  // Missing at random, independently: 1 - 0.75^2 of records lack one or the other.
  EXPECT_NEAR(p.missing_dob_or_postcode_share, 1 - 0.75 * 0.75, 0.02);
}

TEST(SyntheticPeopleTest, NoCorruptionGivesIdenticalRecordsPerPerson) {
  const CorruptionModel none{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  const SyntheticPeople p = Make(3000, 5, none);
  std::map<int64_t, std::array<std::string, kFieldCount>> first;
  for (const SyntheticRecord& r : p.records) {
    auto [it, inserted] = first.emplace(r.person, r.record.fields);
    if (!inserted) {
      EXPECT_EQ(it->second, r.record.fields) << r.record.id;
    }
    EXPECT_FALSE(r.record.get(Field::kBirthDate).empty());
  }
}

TEST(SyntheticPeopleTest, NicknamesReplaceGivenNames) {
  CorruptionModel only_nicknames{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
  only_nicknames.nickname = 1.0;
  const SyntheticPeople p = Make(3000, 9, only_nicknames);
  std::set<std::string> names;
  for (const SyntheticRecord& r : p.records) names.insert(r.record.get(Field::kGivenName));
  // Formal names with variants never survive; their nicknames appear.
  EXPECT_EQ(names.count("William"), 0u);
  EXPECT_EQ(names.count("Elizabeth"), 0u);
  EXPECT_TRUE(
      names.count("Bill") + names.count("Will") + names.count("Billy") + names.count("Liam") > 0);
}

TEST(SyntheticPeopleTest, RejectsBadOptions) {
  SyntheticPeopleOptions o;
  o.records = 5;
  EXPECT_FALSE(GenerateSyntheticPeople(o).ok());
  o.records = 100;
  o.corruption.missing_dob = 1.5;
  EXPECT_FALSE(GenerateSyntheticPeople(o).ok());
}

TEST(SyntheticPeopleTest, WritesFilesWithTruth) {
  pioneer::testing::TempDir tmp;
  const SyntheticPeople p = Make(200, 1);
  ASSERT_TRUE(WriteSyntheticPeople(p, tmp / "out").ok());
  const std::string people = pioneer::testing::ReadFile(tmp / "out/people.csv");
  EXPECT_EQ(people.rfind("unique_id,first_name,surname,dob,gender,postcode,address,city,source,"
                         "truth_person\n",
                         0),
            0u);
  const std::string b = pioneer::testing::ReadFile(tmp / "out/b.csv");
  EXPECT_EQ(b.rfind("record_id,forename,family_name,birth_date,sex,post_code,address_line_1,"
                    "town,truth_person\n",
                    0),
            0u);
  size_t lines = 0;
  for (char c : pioneer::testing::ReadFile(tmp / "out/truth.csv")) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, p.records.size() + 1);
}

}  // namespace
}  // namespace pioneer::link
