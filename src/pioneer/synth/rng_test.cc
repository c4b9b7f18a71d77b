#include "pioneer/synth/rng.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/synth/calendar.h"
#include "pioneer/synth/nhs_numbers.h"
#include "pioneer/synth/permutation.h"

namespace pioneer::synth {
namespace {

TEST(RngTest, StreamsAreReproducibleAndIndependent) {
  Rng a = Rng::ForStream(7, Stream::kPerson, 42);
  Rng b = Rng::ForStream(7, Stream::kPerson, 42);
  Rng c = Rng::ForStream(7, Stream::kPerson, 43);
  Rng d = Rng::ForStream(8, Stream::kPerson, 42);
  int same_c = 0, same_d = 0;
  for (int i = 0; i < 100; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    same_c += x == c.Next();
    same_d += x == d.Next();
  }
  EXPECT_EQ(same_c, 0);
  EXPECT_EQ(same_d, 0);
}

TEST(RngTest, DistributionsHaveTheirMoments) {
  Rng rng(123);
  const int n = 200000;
  double sum_u = 0, sum_n = 0, sum_n2 = 0, sum_e = 0, sum_g = 0;
  int64_t sum_p = 0, sum_p_big = 0;
  for (int i = 0; i < n; ++i) {
    const double u = rng.Uniform();
    ASSERT_GE(u, 0);
    ASSERT_LT(u, 1);
    sum_u += u;
    const double z = rng.Normal();
    sum_n += z;
    sum_n2 += z * z;
    sum_e += rng.Exponential(2.0);
    sum_p += rng.Poisson(3.5);
    sum_p_big += rng.Poisson(60);
    sum_g += rng.Gamma(2.2, 4.5);
  }
  EXPECT_NEAR(sum_u / n, 0.5, 0.005);
  EXPECT_NEAR(sum_n / n, 0, 0.01);
  EXPECT_NEAR(sum_n2 / n, 1, 0.02);
  EXPECT_NEAR(sum_e / n, 0.5, 0.01);
  EXPECT_NEAR(static_cast<double>(sum_p) / n, 3.5, 0.03);
  EXPECT_NEAR(static_cast<double>(sum_p_big) / n, 60, 0.2);
  EXPECT_NEAR(sum_g / n, 2.2 * 4.5, 0.1);
}

TEST(RngTest, BelowIsUniformAndDiscreteFollowsWeights) {
  Rng rng(9);
  std::vector<int> counts(7, 0);
  for (int i = 0; i < 70000; ++i) ++counts[rng.Below(7)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 400);
  const double w[] = {1, 0, 3};
  Discrete dist(w);
  std::vector<int> picks(3, 0);
  for (int i = 0; i < 40000; ++i) ++picks[dist.Sample(rng)];
  EXPECT_EQ(picks[1], 0);
  EXPECT_NEAR(picks[2] / 40000.0, 0.75, 0.01);
  const double zeros[] = {0, 0};
  EXPECT_EQ(SampleIndex(rng, zeros), -1);
}

TEST(PermutationTest, IsABijectionOnItsDomain) {
  for (uint64_t n : {2ull, 10ull, 1000ull, 4097ull}) {
    Permutation p(n, 77);
    std::set<uint64_t> seen;
    for (uint64_t x = 0; x < n; ++x) {
      const uint64_t y = p.Apply(x);
      ASSERT_LT(y, n);
      seen.insert(y);
    }
    EXPECT_EQ(seen.size(), n);
  }
  // A different key gives a different order.
  Permutation p1(1000, 1), p2(1000, 2);
  int same = 0;
  for (uint64_t x = 0; x < 1000; ++x) same += p1.Apply(x) == p2.Apply(x);
  EXPECT_LT(same, 20);
}

TEST(NhsNumberAllocatorTest, NumbersAreValidUniqueTestRangeNumbers) {
  const uint64_t persons = 950000;  // needs two prefixes (999 and 998)
  NhsNumberAllocator nhs(5, persons);
  std::set<std::string> seen;
  int prefix_998 = 0;
  for (uint64_t i = 0; i < persons; i += 3) {
    const std::string n = nhs.ForPerson(i);
    ASSERT_EQ(n.size(), 10u);
    ASSERT_EQ(NhsNumber::Check(n), NhsNumberProblem::kNone) << n;
    ASSERT_TRUE(n.rfind("999", 0) == 0 || n.rfind("998", 0) == 0) << n;
    prefix_998 += n.rfind("998", 0) == 0;
    ASSERT_TRUE(seen.insert(n).second) << "duplicate " << n;
  }
  EXPECT_GT(prefix_998, 0);
  // Small areas stay in 999.
  NhsNumberAllocator small(5, 1000);
  for (uint64_t i = 0; i < 1000; ++i) ASSERT_EQ(small.ForPerson(i).substr(0, 3), "999");
}

TEST(NhsNumberAllocatorTest, KeyingErrorsMostlyFailModulus11) {
  NhsNumberAllocator nhs(11, 5000);
  Rng rng(3);
  int substituted_valid = 0, transposed_valid = 0;
  for (uint64_t i = 0; i < 2000; ++i) {
    const std::string n = nhs.ForPerson(i);
    const std::string s = MistypeNhsNumber(n, NhsKeyingError::kDigitSubstituted, rng);
    const std::string t = MistypeNhsNumber(n, NhsKeyingError::kAdjacentTransposed, rng);
    EXPECT_NE(s, n);
    EXPECT_NE(t, n);
    substituted_valid += NhsNumber::Check(s) == NhsNumberProblem::kNone;
    transposed_valid += NhsNumber::Check(t) == NhsNumberProblem::kNone;
  }
  EXPECT_EQ(substituted_valid, 0);   // Modulus 11 catches every single-digit change
  EXPECT_LT(transposed_valid, 200);  // ... and nearly every transposition
}

TEST(CalendarTest, MatchesDate) {
  for (int32_t d = -40000; d < 40000; d += 37) {
    const Date date = Date::FromDaysSinceEpoch(d);
    const Ymd ymd = CivilFromDays(d);
    ASSERT_EQ(ymd.year, date.year());
    ASSERT_EQ(ymd.month, date.month());
    ASSERT_EQ(ymd.day, date.day());
    ASSERT_EQ(Weekday(d), date.iso_weekday());
    ASSERT_EQ(DaysFromCivil(ymd.year, ymd.month, ymd.day), d);
    ASSERT_EQ(IsoDate(d), date.ToIso());
    const Date later = Date::FromDaysSinceEpoch(d + 12345);
    ASSERT_EQ(AgeOn(d, d + 12345), date.AgeOn(later));
  }
}

}  // namespace
}  // namespace pioneer::synth
