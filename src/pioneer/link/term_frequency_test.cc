// Evidence from names is weighed by how common the name is, and missing fields say nothing:
// two records that agree only on a common name (no date of birth, no postcode) stay below
// p = 0.5, while the same shape of evidence on a rare name passes it.
#include <gtest/gtest.h>

#include "pioneer/link/link_test_util.h"
#include "pioneer/link/linker.h"
#include "pioneer/link/synthetic_people.h"

namespace pioneer::link {
namespace {

using testing::P;
using testing::Rec;

class TermFrequencyTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(TermFrequencyTest, CommonNameAloneIsWeakRareNameAloneIsStrong) {
  SyntheticPeopleOptions o;
  o.records = 4000;
  o.seed = GetParam();
  auto people = GenerateSyntheticPeople(o);
  ASSERT_TRUE(people.ok());
  RecordSet rs;
  for (const SyntheticRecord& r : people->records) rs.Add(r.record, 0);
  // Only the two names: no date of birth, sex, postcode, address or town.
  const uint32_t c1 = rs.Add(Rec(P{.id = "c1", .given = "James", .family = "Smith"}));
  const uint32_t c2 = rs.Add(Rec(P{.id = "c2", .given = "james", .family = "SMITH"}));
  const uint32_t r1 = rs.Add(Rec(P{.id = "r1", .given = "Zebediah", .family = "Quarrington"}));
  const uint32_t r2 = rs.Add(Rec(P{.id = "r2", .given = "Zebediah", .family = "Quarrington"}));
  LinkSettings s;
  s.type = LinkType::kDedupe;
  s.threads = 1;
  auto result = LinkRecords(rs, s);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  const FellegiSunterModel& m = result->model;
  uint8_t levels[kMaxComparisons];
  const double common = m.Score(rs, c1, rs, c2, levels);
  // Every comparison but the names is null and contributes nothing.
  double sum = m.prior_weight();
  for (size_t c = 0; c < m.comparisons().size(); ++c) {
    const Field f = m.comparisons().spec(c).field;
    if (f == Field::kGivenName || f == Field::kFamilyName) {
      EXPECT_EQ(levels[c], kExactLevel);
      sum += m.weight(c, kExactLevel) + m.TermFrequencyAdjustment(c, kExactLevel, rs, c1, rs, c2);
    } else {
      EXPECT_EQ(levels[c], kNullLevel) << m.comparisons().spec(c).name;
      EXPECT_EQ(m.weight(c, kNullLevel), 0.0);
    }
  }
  EXPECT_NEAR(common, sum, 1e-6);
  EXPECT_LT(FellegiSunterModel::Probability(common), 0.5) << "weight " << common;
  // The term-frequency adjustment is what makes the common name weak: it is negative here.
  const int g = m.comparisons().IndexOf(Field::kGivenName);
  EXPECT_LT(m.TermFrequencyAdjustment(static_cast<size_t>(g), kExactLevel, rs, c1, rs, c2), 0);
  const double rare = m.Score(rs, r1, rs, r2, levels);
  EXPECT_GT(FellegiSunterModel::Probability(rare), 0.5) << "weight " << rare;
  EXPECT_GT(rare - common, 10.0);
}

INSTANTIATE_TEST_SUITE_P(Seeds, TermFrequencyTest, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace pioneer::link
