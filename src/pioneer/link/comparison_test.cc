#include "pioneer/link/comparison.h"

#include <gtest/gtest.h>

#include "pioneer/link/link_test_util.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {
namespace {

using testing::P;
using testing::Rec;

class ComparisonTest : public ::testing::Test {
 protected:
  // Level label of comparison on field f for records a and b of rs_.
  std::string LevelOf(Field f, uint32_t a, uint32_t b, const RecordSet* other = nullptr) {
    const bool both = true;
    ComparisonSet set({DefaultComparison(f, both)});
    const RecordSet& B = other ? *other : rs_;
    return set.labels(0)[set.Level(0, rs_, a, B, b)];
  }
  uint32_t Add(const P& p) { return rs_.Add(Rec(p)); }
  RecordSet rs_;
};

TEST_F(ComparisonTest, NameLevels) {
  const uint32_t a = Add({.id = "a", .given = "Martha", .family = "Smith"});
  const uint32_t b = Add({.id = "b", .given = "MARTHA", .family = "Smith"});
  const uint32_t c = Add({.id = "c", .given = "Marhta", .family = "Smyth"});
  const uint32_t d = Add({.id = "d", .given = "Dwayne", .family = "Jones"});
  const uint32_t e = Add({.id = "e", .given = "", .family = "Smith"});
  const uint32_t f = Add({.id = "f", .given = "Smith", .family = "Martha"});  // swapped
  const uint32_t g = Add({.id = "g", .given = "Zebedee", .family = "Quist"});
  EXPECT_EQ(LevelOf(Field::kGivenName, a, b), "exact");
  EXPECT_EQ(LevelOf(Field::kGivenName, a, c), "jw>=0.92");   // 0.961
  EXPECT_EQ(LevelOf(Field::kFamilyName, a, c), "jw>=0.88");  // smith/smyth 0.893
  EXPECT_EQ(LevelOf(Field::kGivenName, a, e), "null");
  EXPECT_EQ(LevelOf(Field::kGivenName, a, f), "swapped");
  EXPECT_EQ(LevelOf(Field::kFamilyName, a, f), "swapped");
  EXPECT_EQ(LevelOf(Field::kGivenName, a, g), "else");
  EXPECT_EQ(LevelOf(Field::kGivenName, a, d), "else");
}

TEST_F(ComparisonTest, SwappedOrientationUsesCrossedJaroWinkler) {
  // "Caleb Rwoe" vs "Rowe Caleb": given crosses exactly; the family name is compared with
  // the other record's given name in the swapped orientation.
  const uint32_t a = Add({.id = "a", .given = "Caleb", .family = "Rwoe"});
  const uint32_t b = Add({.id = "b", .given = "Rowe", .family = "Caleb"});
  EXPECT_EQ(LevelOf(Field::kGivenName, a, b), "swapped");
  EXPECT_EQ(LevelOf(Field::kFamilyName, a, b), "jw>=0.92");
}

TEST_F(ComparisonTest, EqualNamesAreNoSwap) {
  // "James James" and "Paul James": the given name equals the other's family name only
  // because both family names are "James" - not a swap (the given names differ).
  const uint32_t a = Add({.id = "a", .given = "James", .family = "James"});
  const uint32_t b = Add({.id = "b", .given = "Paul", .family = "James"});
  EXPECT_EQ(LevelOf(Field::kGivenName, a, b), "else");
  EXPECT_EQ(LevelOf(Field::kFamilyName, a, b), "exact");
  // "Thomas Thomas" and "Thomas Jones": the family name is no swap either.
  const uint32_t c = Add({.id = "c", .given = "Thomas", .family = "Thomas"});
  const uint32_t d = Add({.id = "d", .given = "Thomas", .family = "Jones"});
  EXPECT_EQ(LevelOf(Field::kFamilyName, c, d), "else");
  EXPECT_EQ(LevelOf(Field::kFamilyName, d, c), "else");
}

TEST_F(ComparisonTest, BirthDateLevels) {
  const uint32_t base = Add({.id = "0", .dob = "1971-06-24"});
  const uint32_t same = Add({.id = "1", .dob = "19710624"});
  const uint32_t typo = Add({.id = "2", .dob = "1971-06-25"});
  const uint32_t swap = Add({.id = "3", .dob = "1971-24-06"});  // impossible: DD and MM swapped
  const uint32_t dm = Add({.id = "4", .dob = "1971-04-06"});
  const uint32_t dm2 = Add({.id = "5", .dob = "1971-06-04"});
  const uint32_t month = Add({.id = "6", .dob = "1971-07-10"});
  const uint32_t year = Add({.id = "7", .dob = "1972-03-01"});
  const uint32_t decade = Add({.id = "8", .dob = "1979-01-01"});
  const uint32_t far = Add({.id = "9", .dob = "1931-01-01"});
  const uint32_t none = Add({.id = "10"});
  const uint32_t partial = Add({.id = "11", .dob = "1971"});
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, same), "exact");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, typo), "dl<=1");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, swap), "dm-swap");  // also for impossible dates
  EXPECT_EQ(LevelOf(Field::kBirthDate, dm, dm2), "dm-swap");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, month), "<=31d");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, year), "<=365d");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, decade), "<=3653d");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, far), "else");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, none), "null");
  EXPECT_EQ(LevelOf(Field::kBirthDate, base, partial), "<=365d");
}

TEST_F(ComparisonTest, PostcodeLevels) {
  const uint32_t a = Add({.id = "a", .postcode = "LS1 4AP"});
  const uint32_t unit = Add({.id = "b", .postcode = "ls14ap"});
  const uint32_t sector = Add({.id = "c", .postcode = "LS1 4BB"});
  const uint32_t district = Add({.id = "d", .postcode = "LS1 9ZZ"});
  const uint32_t typo = Add({.id = "e", .postcode = "LS2 4AP"});  // one edit, other district
  const uint32_t area = Add({.id = "f", .postcode = "LS17 6QQ"});
  const uint32_t other = Add({.id = "g", .postcode = "M1 1AA"});
  const uint32_t au1 = Add({.id = "h", .postcode = "4223"});
  const uint32_t au2 = Add({.id = "i", .postcode = "4233"});
  EXPECT_EQ(LevelOf(Field::kPostcode, a, unit), "exact");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, sector), "sector");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, district), "district");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, typo), "dl<=1");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, area), "area");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, other), "else");
  EXPECT_EQ(LevelOf(Field::kPostcode, au1, au2), "dl<=1");
}

TEST_F(ComparisonTest, EmailIdentifierTextSex) {
  const uint32_t a = Add({.id = "a",
                          .sex = "F",
                          .city = "London",
                          .email = "evied56@harris.net",
                          .identifier = "5304218"});
  const uint32_t b = Add({.id = "b",
                          .sex = "2",
                          .city = "Lonon",
                          .email = "evied56@other.com",
                          .identifier = "5304281"});
  const uint32_t c = Add({.id = "c",
                          .sex = "M",
                          .city = "Leeds",
                          .email = "evihd56@harris.net",
                          .identifier = "5034281"});
  const uint32_t d =
      Add({.id = "d", .sex = "0", .city = "london", .email = "x@y.z", .identifier = "9999999"});
  EXPECT_EQ(LevelOf(Field::kEmail, a, b), "user");
  EXPECT_EQ(LevelOf(Field::kEmail, a, c), "jw>=0.88");
  EXPECT_EQ(LevelOf(Field::kEmail, a, d), "else");
  EXPECT_EQ(LevelOf(Field::kIdentifier, a, b), "dl<=1");
  EXPECT_EQ(LevelOf(Field::kIdentifier, a, c), "dl<=2");
  EXPECT_EQ(LevelOf(Field::kIdentifier, a, d), "else");
  EXPECT_EQ(LevelOf(Field::kCity, a, d), "exact");
  EXPECT_EQ(LevelOf(Field::kCity, a, b), "jw>=0.92");
  EXPECT_EQ(LevelOf(Field::kCity, a, c), "else");
  EXPECT_EQ(LevelOf(Field::kSex, a, b), "exact");
  EXPECT_EQ(LevelOf(Field::kSex, a, c), "else");
  EXPECT_EQ(LevelOf(Field::kSex, a, d), "null");
}

TEST_F(ComparisonTest, ComparesAcrossRecordSets) {
  const uint32_t a = Add({.id = "a", .given = "Martha", .family = "Smith", .postcode = "LS1 4AP"});
  RecordSet other;
  other.Add(Rec({.id = "x", .given = "Zoe", .family = "Adams"}));
  const uint32_t b =
      other.Add(Rec({.id = "y", .given = "martha", .family = "SMITH", .postcode = "LS14AP"}));
  EXPECT_EQ(LevelOf(Field::kGivenName, a, b, &other), "exact");
  EXPECT_EQ(LevelOf(Field::kPostcode, a, b, &other), "exact");
  EXPECT_EQ(LevelOf(Field::kGivenName, a, 0, &other), "else");
}

TEST_F(ComparisonTest, NicknameLevel) {
  const uint32_t a = Add({.id = "a", .given = "William", .family = "Hart"});
  const uint32_t b = Add({.id = "b", .given = "Bill", .family = "Hart"});
  const uint32_t c = Add({.id = "c", .given = "Kathryn", .family = "Hart"});
  const uint32_t d = Add({.id = "d", .given = "Catherine", .family = "Hart"});
  const uint32_t e = Add({.id = "e", .given = "Wilma", .family = "Hart"});
  EXPECT_EQ(LevelOf(Field::kGivenName, a, b), "nickname");
  EXPECT_EQ(LevelOf(Field::kGivenName, c, d), "nickname");
  EXPECT_NE(LevelOf(Field::kGivenName, a, e), "nickname");  // similar, but no variant
  EXPECT_EQ(LevelOf(Field::kGivenName, b, d), "else");
}

TEST_F(ComparisonTest, PostcodeWithAddressIsOneComparison) {
  ComparisonSpec spec = DefaultComparison(Field::kPostcode, true);
  spec.with_address = true;
  spec.term_frequency = false;
  const ComparisonSet set({spec});
  auto level = [&](uint32_t x, uint32_t y) { return set.labels(0)[set.Level(0, rs_, x, rs_, y)]; };
  const uint32_t a = Add({.id = "a", .postcode = "LS1 4AP", .address = "12 Mill Lane"});
  const uint32_t b = Add({.id = "b", .postcode = "ls14ap", .address = "12 mill lane"});
  const uint32_t c = Add({.id = "c", .postcode = "LS1 4AP"});
  const uint32_t d = Add({.id = "d", .postcode = "LS1 4AP", .address = "14 Mill Lane"});
  const uint32_t e = Add({.id = "e", .postcode = "LS2 7QT", .address = "12 Mill Lane"});
  const uint32_t f = Add({.id = "f", .address = "3 Oak Road"});
  const uint32_t g = Add({.id = "g", .postcode = "LS1 4BX", .address = "3 Oak Road"});
  const uint32_t h = Add({.id = "h"});
  EXPECT_EQ(level(a, b), "exact+address");
  EXPECT_EQ(level(a, c), "exact");
  EXPECT_EQ(level(a, d), "exact,other-address");
  EXPECT_EQ(level(a, e), "address");
  EXPECT_EQ(level(f, g), "address");        // a postcode missing, same address
  EXPECT_EQ(level(a, f), "other-address");  // a postcode missing, different addresses
  EXPECT_EQ(level(d, g), "sector");
  EXPECT_EQ(level(c, h), "null");
  EXPECT_EQ(LevelLabels(spec).size(), 11u);
  // The defaults: joint for UK postcodes (address then has no comparison of its own), and the
  // city is null when both records hold a UK postcode.
  Add({.id = "i", .given = "x", .city = "Leeds"});
  const auto specs = DefaultComparisons(rs_);
  std::vector<std::string> names;
  for (const auto& s : specs) names.push_back(s.name + (s.with_address ? "+address" : ""));
  EXPECT_EQ(names, (std::vector<std::string>{"given_name", "postcode+address", "city"}));
  EXPECT_EQ(LevelOf(Field::kCity, a, b), "null");  // city missing anyway
  const uint32_t j = Add({.id = "j", .postcode = "LS1 4AP", .city = "Leeds"});
  const uint32_t k = Add({.id = "k", .postcode = "LS2 7QT", .city = "Leeds"});
  const uint32_t l = Add({.id = "l", .city = "Leeds"});
  EXPECT_EQ(LevelOf(Field::kCity, j, k), "null");
  EXPECT_EQ(LevelOf(Field::kCity, j, l), "exact");
}

TEST_F(ComparisonTest, LabelsAndDefaults) {
  const ComparisonSpec name = DefaultComparison(Field::kGivenName, true);
  EXPECT_EQ(LevelLabels(name),
            (std::vector<std::string>{"null", "exact", "swapped", "nickname", "jw>=0.92",
                                      "jw>=0.88", "jw>=0.70", "else"}));
  EXPECT_EQ(LevelLabels(DefaultComparison(Field::kGivenName, false)).size(), 7u);
  EXPECT_EQ(LevelLabels(DefaultComparison(Field::kFamilyName, true)).size(), 7u);
  EXPECT_TRUE(name.term_frequency);
  Add({.id = "a", .given = "x", .dob = "2000-01-01", .email = "a@b"});
  const auto specs = DefaultComparisons(rs_);
  ASSERT_EQ(specs.size(), 3u);
  EXPECT_EQ(specs[0].field, Field::kGivenName);
  EXPECT_FALSE(specs[0].swapped_level);  // no family names in the data
  EXPECT_EQ(specs[1].field, Field::kBirthDate);
  EXPECT_EQ(specs[2].field, Field::kEmail);
}

}  // namespace
}  // namespace pioneer::link
