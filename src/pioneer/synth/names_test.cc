#include "pioneer/synth/names.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace pioneer::synth {
namespace {

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int extra = c < 0x80 ? 0 : (c >> 5) == 6 ? 1 : (c >> 4) == 14 ? 2 : (c >> 3) == 30 ? 3 : -1;
    if (extra < 0 || i + extra >= s.size() + (extra == 0 ? 1 : 0)) return false;
    for (int k = 1; k <= extra; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) return false;
    }
    i += extra + 1;
  }
  return true;
}

TEST(NameTablesTest, SurnamesHaveARealisticFrequencySkew) {
  NameTables names;
  Rng rng(1);
  std::map<std::string, int> counts;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const NameOrigin origin = names.SampleOrigin(rng, 1960, 5);
    ++counts[names.Surname(rng, origin, 1 + (i & 1))];
  }
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [name, c] : counts) ranked.push_back({c, name});
  std::sort(ranked.rbegin(), ranked.rend());
  EXPECT_EQ(ranked[0].second, "Smith");
  const double smith = ranked[0].first / static_cast<double>(n);
  EXPECT_GT(smith, 0.003);
  EXPECT_LT(smith, 0.015);
  int top100 = 0;
  for (int i = 0; i < 100; ++i) top100 += ranked[i].first;
  EXPECT_GT(top100 / static_cast<double>(n), 0.12);
  EXPECT_LT(top100 / static_cast<double>(n), 0.40);
  EXPECT_GT(counts.size(), 2000u);  // a long tail of rarer names
  for (const auto& [name, c] : counts) EXPECT_TRUE(ValidUtf8(name)) << name;
}

TEST(NameTablesTest, ForenamesFollowSexAndCohort) {
  NameTables names;
  Rng rng(2);
  std::map<std::string, int> old_women, young_men;
  for (int i = 0; i < 20000; ++i) {
    ++old_women[std::string(names.Forename(rng, NameOrigin::kBritish, 2, 1925))];
    ++young_men[std::string(names.Forename(rng, NameOrigin::kBritish, 1, 2008))];
  }
  EXPECT_GT(old_women["Mary"] + old_women["Margaret"], 1000);
  EXPECT_EQ(old_women.count("Oliver"), 0u);
  EXPECT_GT(young_men["Oliver"] + young_men["Jack"], 1000);
  EXPECT_EQ(young_men.count("Doris"), 0u);
}

TEST(NameTablesTest, PolishSurnamesAgreeWithSex) {
  NameTables names;
  Rng rng(3);
  int feminine_for_women = 0, masculine_for_women = 0;
  for (int i = 0; i < 20000; ++i) {
    const std::string s = names.Surname(rng, NameOrigin::kEasternEuropean, 2);
    if (s.size() > 3 && s.compare(s.size() - 3, 3, "ska") == 0) ++feminine_for_women;
    if (s.size() > 3 && s.compare(s.size() - 3, 3, "ski") == 0) ++masculine_for_women;
  }
  EXPECT_GT(feminine_for_women, 1000);
  EXPECT_EQ(masculine_for_women, 0);
}

TEST(NameFaultsTest, VariantsTyposAndFolding) {
  Rng rng(4);
  std::set<std::string> john;
  for (int i = 0; i < 50; ++i) john.insert(NameVariant("John", rng));
  EXPECT_TRUE(john.count("Jon"));
  EXPECT_FALSE(john.count("John"));
  EXPECT_TRUE(HasNameVariant("Katherine"));
  EXPECT_EQ(NameVariant("Zebedee", rng), "Zebedee");
  for (int i = 0; i < 200; ++i) {
    const std::string t = NameTypo("Wiśniewska", rng);
    EXPECT_NE(t, "Wiśniewska");
    EXPECT_TRUE(ValidUtf8(t)) << t;
    EXPECT_EQ(t.substr(0, 1), "W");
  }
  EXPECT_EQ(StripDiacritics("Wiśniewska"), "Wisniewska");
  EXPECT_EQ(StripDiacritics("Łukasz Dąbrowski"), "Lukasz Dabrowski");
  EXPECT_FALSE(HasDiacritics("Smith"));
  const std::string dropped = DropPunctuation("Smith-Jones", rng);
  EXPECT_TRUE(dropped == "Smith Jones" || dropped == "SmithJones");
  EXPECT_EQ(UpperAscii("McDonald"), "MCDONALD");
}

}  // namespace
}  // namespace pioneer::synth
