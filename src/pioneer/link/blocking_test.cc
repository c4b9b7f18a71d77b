#include "pioneer/link/blocking.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <utility>
#include <vector>

#include "pioneer/link/link_test_util.h"

namespace pioneer::link {
namespace {

using testing::P;
using testing::Rec;
using Pairs = std::vector<std::pair<uint32_t, uint32_t>>;

Pairs AllPairs(const BlockIndex& index) {
  Pairs out;
  for (const auto& t : index.tasks()) {
    index.ForEachPair(t, [&](uint32_t a, uint32_t b) { out.emplace_back(a, b); });
  }
  return out;
}

BlockingRule Rule(std::string_view text) {
  auto r = ParseBlockingRule(text);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : BlockingRule{};
}

TEST(BlockingRuleTest, ParsesAndPrints) {
  EXPECT_EQ(Rule("family_name").ToString(), "family_name");
  EXPECT_EQ(Rule(" soundex(family_name)&year(birth_date) ").ToString(),
            "soundex(family_name) & year(birth_date)");
  EXPECT_EQ(Rule("first3(given_name) & district(postcode)").ToString(),
            "first3(given_name) & district(postcode)");
  EXPECT_EQ(Rule("name_pair & user(email) & month(birth_date) & sector(postcode) & "
                 "area(postcode)")
                .ToString(),
            "name_pair & user(email) & month(birth_date) & sector(postcode) & area(postcode)");
  EXPECT_EQ(Rule("surname").ToString(), "family_name");  // alias
  const BlockingRule r = Rule("name_pair & birth_date");
  EXPECT_TRUE(r.UsesField(Field::kGivenName));
  EXPECT_TRUE(r.UsesField(Field::kFamilyName));
  EXPECT_TRUE(r.UsesField(Field::kBirthDate));
  EXPECT_FALSE(r.UsesField(Field::kPostcode));
}

TEST(BlockingRuleTest, RejectsBadRules) {
  for (const char* bad : {"", "nosuchfield", "soundex(postcode)", "year(given_name)",
                          "first0(given_name)", "frobnicate(given_name)", "given_name &",
                          "soundex(given_name", "district(birth_date)", "user(given_name)"}) {
    auto r = ParseBlockingRule(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    }
  }
}

TEST(BlockingTest, KeysRespectMissingValuesAndTransforms) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "Ann", .family = "Smith", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "1", .given = "Smith", .family = "Ann", .dob = "1970-05-06"}));
  rs.Add(Rec({.id = "2", .given = "Anne", .family = "Smyth", .dob = ""}));
  const BlockingRule pair = Rule("name_pair");
  EXPECT_EQ(BlockKey(pair, rs, 0), BlockKey(pair, rs, 1));  // unordered
  EXPECT_NE(BlockKey(pair, rs, 0), BlockKey(pair, rs, 2));
  const BlockingRule sx = Rule("soundex(family_name)");
  EXPECT_EQ(BlockKey(sx, rs, 0), BlockKey(sx, rs, 2));  // S530
  const BlockingRule year = Rule("year(birth_date)");
  EXPECT_EQ(BlockKey(year, rs, 0), BlockKey(year, rs, 1));
  EXPECT_EQ(BlockKey(year, rs, 2), 0u);  // missing -> no key
  const BlockingRule first = Rule("first3(given_name)");
  EXPECT_EQ(BlockKey(first, rs, 0), BlockKey(first, rs, 2));  // "ann" / "ann(e)"
}

TEST(BlockingTest, OrRulesScoreEachPairOnce) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "Ann", .family = "Smith", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "1", .given = "Ann", .family = "Smith", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "2", .given = "Bob", .family = "Jones", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "3", .given = "Ann", .family = "Smith", .dob = "1999-09-09"}));
  BlockIndex index(rs, {Rule("name_pair"), Rule("birth_date")}, LinkType::kDedupe, 100);
  Pairs pairs = AllPairs(index);
  std::sort(pairs.begin(), pairs.end());
  // name_pair: (0,1) (0,3) (1,3); birth_date adds (0,2) (1,2), not (0,1) again.
  EXPECT_EQ(pairs, (Pairs{{0, 1}, {0, 2}, {0, 3}, {1, 2}, {1, 3}}));
  EXPECT_EQ(index.stats(0).blocks, 1);
  EXPECT_EQ(index.stats(1).blocks, 1);
}

TEST(BlockingTest, LinkOnlyPairsAcrossSourcesLeftFirst) {
  RecordSet rs;
  rs.Add(Rec({.id = "L0", .family = "Smith"}), 0);
  rs.Add(Rec({.id = "R0", .family = "Smith"}), 1);
  rs.Add(Rec({.id = "L1", .family = "Smith"}), 0);
  rs.Add(Rec({.id = "R1", .family = "Jones"}), 1);
  BlockIndex index(rs, {Rule("family_name")}, LinkType::kLinkOnly, 100);
  Pairs pairs = AllPairs(index);
  std::sort(pairs.begin(), pairs.end());
  EXPECT_EQ(pairs, (Pairs{{0, 1}, {2, 1}}));
}

TEST(BlockingTest, WindowCapsLargeBlocks) {
  RecordSet rs;
  for (int i = 0; i < 50; ++i) rs.Add(Rec({.id = std::to_string(i), .family = "Smith"}));
  const int window = 5;
  BlockIndex index(rs, {Rule("family_name")}, LinkType::kDedupe, window);
  const Pairs pairs = AllPairs(index);
  // Sorted-neighbourhood window inside the block: 45 records with 5 successors, then 4+3+2+1.
  EXPECT_EQ(pairs.size(), 45u * 5 + 10);
  std::vector<int> per_record(50, 0);
  for (const auto& [a, b] : pairs) {
    ++per_record[a];
    ++per_record[b];
  }
  EXPECT_LE(*std::max_element(per_record.begin(), per_record.end()), 2 * window);
  EXPECT_EQ(index.stats(0).capped_blocks, 1);
  EXPECT_EQ(index.stats(0).largest_block, 50);
  // Uncapped: all pairs.
  BlockIndex all(rs, {Rule("family_name")}, LinkType::kDedupe, 100);
  EXPECT_EQ(AllPairs(all).size(), 50u * 49 / 2);
}

TEST(BlockingTest, GeneratesMatchesEnumerationAndIsDeterministic) {
  RecordSet rs;
  const char* fams[] = {"Smith", "Smyth", "Jones", "Brown", "Smith"};
  for (int i = 0; i < 200; ++i) {
    rs.Add(Rec({.id = std::to_string(i),
                .given = (i % 3 == 0 ? "Ann" : "Bob"),
                .family = fams[i % 5],
                .dob = "1970-01-0" + std::to_string(1 + i % 7)}));
  }
  const std::vector<BlockingRule> rules = {Rule("soundex(family_name)"), Rule("birth_date"),
                                           Rule("given_name & family_name")};
  BlockIndex a(rs, rules, LinkType::kDedupe, 7, 13);
  BlockIndex b(rs, rules, LinkType::kDedupe, 7, 3);  // different task cut
  Pairs pa = AllPairs(a), pb = AllPairs(b);
  std::set<std::pair<uint32_t, uint32_t>> seen(pa.begin(), pa.end());
  EXPECT_EQ(seen.size(), pa.size()) << "a pair was generated twice";
  std::sort(pa.begin(), pa.end());
  std::sort(pb.begin(), pb.end());
  EXPECT_EQ(pa, pb);
  for (const auto& [x, y] : pa) {
    bool any = false;
    for (int r = 0; r < 3; ++r) any = any || a.Generates(r, x, y);
    EXPECT_TRUE(any);
  }
}

TEST(BlockingTest, DefaultRulesDependOnFields) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "Ann", .family = "Smith", .dob = "1970-01-02"}));
  std::vector<std::string> texts;
  for (const auto& r : DefaultPredictionRules(rs)) texts.push_back(r.ToString());
  EXPECT_EQ(
      texts,
      (std::vector<std::string>{
          "name_pair", "birth_date", "soundex(family_name) & year(birth_date)",
          "soundex(given_name) & soundex(family_name)", "soundex(given_name) & year(birth_date)",
          "first3(given_name) & first3(family_name)", "nickname(given_name) & family_name",
          "soundex(family_name)", "nickname(given_name)", "soundex_pair", "nickname_pair"}));
}

TEST(BlockingTest, NicknameKeySharedByVariants) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "William", .family = "Smith"}));
  rs.Add(Rec({.id = "1", .given = "Bill", .family = "Smith"}));
  rs.Add(Rec({.id = "2", .given = "Liam", .family = "SMITH"}));
  rs.Add(Rec({.id = "3", .given = "Walter", .family = "Smith"}));
  rs.Add(Rec({.id = "4", .given = "Bill", .family = "Jones"}));
  const BlockingRule rule = Rule("nickname(given_name) & family_name");
  EXPECT_EQ(rule.ToString(), "nickname(given_name) & family_name");
  const uint64_t k0 = BlockKey(rule, rs, 0);
  EXPECT_NE(k0, 0u);
  EXPECT_EQ(BlockKey(rule, rs, 1), k0);
  EXPECT_EQ(BlockKey(rule, rs, 2), k0);
  EXPECT_NE(BlockKey(rule, rs, 3), k0);  // not a variant
  EXPECT_NE(BlockKey(rule, rs, 4), k0);  // another family
  EXPECT_FALSE(ParseBlockingRule("nickname(family_name)").ok());
}

TEST(BlockingTest, CrossFieldNamePairsCatchSwapsWithAnError) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "William", .family = "Smith"}));
  rs.Add(Rec({.id = "1", .given = "Smyth", .family = "Wiliam"}));  // swapped, typos
  rs.Add(Rec({.id = "2", .given = "Smith", .family = "Bill"}));    // swapped, nickname
  rs.Add(Rec({.id = "3", .given = "Walter", .family = "Smith"}));
  rs.Add(Rec({.id = "4", .given = "William", .family = ""}));
  const BlockingRule sp = Rule("soundex_pair");
  const BlockingRule np = Rule("nickname_pair");
  EXPECT_EQ(sp.ToString(), "soundex_pair");
  EXPECT_EQ(np.ToString(), "nickname_pair");
  EXPECT_TRUE(sp.UsesField(Field::kGivenName));
  EXPECT_TRUE(np.UsesField(Field::kFamilyName));
  EXPECT_FALSE(np.UsesField(Field::kBirthDate));
  EXPECT_NE(BlockKey(sp, rs, 0), 0u);
  EXPECT_EQ(BlockKey(sp, rs, 1), BlockKey(sp, rs, 0));
  EXPECT_NE(BlockKey(sp, rs, 2), BlockKey(sp, rs, 0));  // Bill is not W450
  EXPECT_NE(BlockKey(sp, rs, 3), BlockKey(sp, rs, 0));
  EXPECT_EQ(BlockKey(sp, rs, 4), 0u);  // needs both names
  EXPECT_EQ(BlockKey(np, rs, 2), BlockKey(np, rs, 0));
  EXPECT_NE(BlockKey(np, rs, 1), BlockKey(np, rs, 0));  // Smyth is not Smith
  EXPECT_NE(BlockKey(np, rs, 3), BlockKey(np, rs, 0));
}

TEST(BlockingTest, RuleOrderPlacesEqualPartsTogetherInCappedBlocks) {
  // 40 Smiths; by the common order (dates of birth) records 0 and 39 are far apart, but
  // they alone share a postcode, so "family_name @ postcode" pairs them at window 2.
  RecordSet rs;
  for (int i = 0; i < 40; ++i) {
    const bool pair = i == 0 || i == 39;
    rs.Add(Rec({.id = std::to_string(i),
                .family = "Smith",
                .dob = std::to_string(1940 + i) + "-01-01",
                .postcode = pair ? "LS1 4AP" : "LS2 " + std::to_string(i % 10) + "AB"}));
  }
  const auto has = [](const Pairs& ps, uint32_t a, uint32_t b) {
    return std::find(ps.begin(), ps.end(), std::make_pair(a, b)) != ps.end();
  };
  BlockIndex plain(rs, {Rule("family_name")}, LinkType::kDedupe, 2);
  EXPECT_FALSE(has(AllPairs(plain), 0, 39));
  const BlockingRule ordered = Rule("family_name @ postcode");
  EXPECT_EQ(ordered.ToString(), "family_name @ postcode");
  EXPECT_FALSE(ordered.UsesField(Field::kPostcode));  // an order, not a key
  EXPECT_EQ(BlockKey(ordered, rs, 0), BlockKey(Rule("family_name"), rs, 0));
  BlockIndex index(rs, {Rule("family_name"), ordered}, LinkType::kDedupe, 2);
  const Pairs pairs = AllPairs(index);
  EXPECT_TRUE(has(pairs, 0, 39));
  EXPECT_TRUE(index.Generates(1, 0, 39));
  std::set<std::pair<uint32_t, uint32_t>> seen(pairs.begin(), pairs.end());
  EXPECT_EQ(seen.size(), pairs.size()) << "a pair was generated twice";
  // Estimation samples (random order) ignore the rule's order.
  BlockIndex random(rs, {ordered}, LinkType::kDedupe, 2, 4, BlockOrder::kRandom);
  EXPECT_EQ(
      AllPairs(random).size(),
      AllPairs(BlockIndex(rs, {Rule("family_name")}, LinkType::kDedupe, 2, 4, BlockOrder::kRandom))
          .size());
  EXPECT_FALSE(ParseBlockingRule("family_name @ ").ok());
  EXPECT_FALSE(ParseBlockingRule("family_name @ soundex(postcode)").ok());
}

}  // namespace
}  // namespace pioneer::link
