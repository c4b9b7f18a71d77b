#include "pioneer/caretrak/estimate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace pioneer::caretrak {
namespace {

// Worked by hand (docs/caretrak.md, "A worked example"):
//   cohort pre  = 12 x (3 + 1) / (12 + 12) = 2.0 per person-year
//   cohort post = 12 x (1 + 1) / (12 + 6)  = 1.3333 (B died half-way through the follow-up)
//   matched pre = 12 x (2 + 2) / 24 = 2.0;  matched post = 12 x (2 + 1) / 24 = 1.5
//   DiD = (1.3333 - 2.0) - (1.5 - 2.0) = -0.16667;  counterfactual = 2.0 - 0.5 = 1.5
//   relative = -0.16667 / 1.5 = -0.11111;  naive = 1.3333 / 2.0 - 1 = -0.33333
TEST(DifferenceInDifferences, HandWorkedExample) {
  const std::vector<PersonOutcome> treated = {{3, 12, 1, 12}, {1, 12, 1, 6}};
  const std::vector<PersonOutcome> controls = {{2, 12, 2, 12}, {2, 12, 1, 12}};
  const DidResult r = DifferenceInDifferences(treated, controls);
  EXPECT_NEAR(r.treated_pre, 2.0, 1e-12);
  EXPECT_NEAR(r.treated_post, 4.0 / 3, 1e-12);
  EXPECT_NEAR(r.control_pre, 2.0, 1e-12);
  EXPECT_NEAR(r.control_post, 1.5, 1e-12);
  EXPECT_NEAR(r.absolute, -1.0 / 6, 1e-12);
  EXPECT_NEAR(r.counterfactual, 1.5, 1e-12);
  EXPECT_NEAR(r.relative, -1.0 / 9, 1e-12);
  EXPECT_NEAR(r.naive_relative, -1.0 / 3, 1e-12);
}

// The later-enrolment adjustment, worked by hand: one pair, 12 months each side.
//   cohort 4 before, 3 after; comparison 4 before, 4 after of which 1 after their own
//   enrolment. Unadjusted: DiD = (3 - 4) - (4 - 4) = -1, counterfactual 4, relative -0.25.
//   Adjusted: the comparison's post rate is 3 + 1 / (1 + e) and relative = 3 / that - 1, so
//   1 + e = 3 / (3 + 1 / (1 + e)): 3 (1 + e) + 1 = 3, e = -1/3 (comparison post 4.5).
TEST(DifferenceInDifferences, LaterEnrolmentAdjustmentHandWorkedExample) {
  const std::vector<PersonOutcome> t = {{4, 12, 3, 12}};
  const std::vector<PersonOutcome> c = {{4, 12, 4, 12, 1}};
  const DidResult adjusted = DifferenceInDifferences(t, c);
  EXPECT_NEAR(adjusted.relative, -1.0 / 3, 1e-8);
  EXPECT_NEAR(adjusted.relative_unadjusted, -0.25, 1e-12);
  EXPECT_NEAR(adjusted.control_post, 4.5, 1e-7);
  EXPECT_NEAR(adjusted.absolute, -1.5, 1e-7);
  const DidResult plain = DifferenceInDifferences(t, c, /*adjust=*/false);
  EXPECT_NEAR(plain.relative, -0.25, 1e-12);
  EXPECT_NEAR(plain.control_post, 4.0, 1e-12);
  // Nobody enrolled later: nothing to adjust.
  const std::vector<PersonOutcome> c0 = {{4, 12, 4, 12, 0}};
  EXPECT_EQ(DifferenceInDifferences(t, c0).relative,
            DifferenceInDifferences(t, c0).relative_unadjusted);
}

// The regression adjustment, worked by hand: four pairs, 12 months each side (rates = counts),
// one covariate difference dx (treated minus control).
//   pair  T pre->post  C pre->post  dx   d = (T change) - (C change)
//   1     2 -> 1       2 -> 2       0    -1
//   2     4 -> 2       3 -> 3       1    -2
//   3     3 -> 3       3 -> 4       0    -1
//   4     5 -> 2       4 -> 4       1    -3
// Least squares of d on dx: intercept -1 (mean d at dx 0), slope -1.5 (-2.5 at dx 1). The
// controls of pairs 2 and 4 move by -1.5: C post = (2 + 1.5 + 4 + 2.5) / 4 = 2.5.
// Unadjusted: T 3.5 -> 2, C 3 -> 3.25, DiD = -1.5 - 0.25 = -1.75, relative -1.75 / 3.75.
// Adjusted:   DiD = -1.5 - (2.5 - 3) = -1 (the intercept), counterfactual 3, relative -1/3.
TEST(DifferenceInDifferences, RegressionAdjustmentHandWorkedExample) {
  const std::vector<PersonOutcome> t = {
      {2, 12, 1, 12}, {4, 12, 2, 12}, {3, 12, 3, 12}, {5, 12, 2, 12}};
  const std::vector<PersonOutcome> c = {
      {2, 12, 2, 12}, {3, 12, 3, 12}, {3, 12, 4, 12}, {4, 12, 4, 12}};
  const std::vector<double> dx = {0, 1, 0, 1};
  const DidResult plain = DifferenceInDifferences(t, c);
  EXPECT_NEAR(plain.absolute, -1.75, 1e-12);
  EXPECT_NEAR(plain.relative, -1.75 / 3.75, 1e-12);
  const DidResult adjusted = DifferenceInDifferences(t, c, true, dx, 1);
  EXPECT_NEAR(adjusted.control_post, 2.5, 1e-3);
  EXPECT_NEAR(adjusted.absolute, -1.0, 1e-3);
  EXPECT_NEAR(adjusted.counterfactual, 3.0, 1e-3);
  EXPECT_NEAR(adjusted.relative, -1.0 / 3, 1e-3);
  EXPECT_NEAR(adjusted.relative_unregressed, -1.75 / 3.75, 1e-12);
  // A covariate that does not differ within pairs adjusts nothing.
  const std::vector<double> zero(4, 0.0);
  EXPECT_NEAR(DifferenceInDifferences(t, c, true, zero, 1).relative, plain.relative, 1e-12);
  // The bootstrap refits the regression in every replicate and is deterministic.
  std::vector<PersonOutcome> bt, bc;
  std::vector<double> bdx;
  for (int i = 0; i < 48; ++i) {  // the four pairs twelve times over
    bt.push_back(t[i % 4]);
    bc.push_back(c[i % 4]);
    bdx.push_back(dx[i % 4]);
  }
  const DidEstimate e1 = BootstrapDid(bt, bc, 200, 5, {}, true, bdx, 1);
  const DidEstimate e2 = BootstrapDid(bt, bc, 200, 5, {}, true, bdx, 1);
  EXPECT_NEAR(e1.point.relative, -1.0 / 3, 1e-3);
  EXPECT_EQ(e1.relative_ci95.low, e2.relative_ci95.low);
  EXPECT_TRUE(e1.relative_ci95.Contains(e1.point.relative));
}

// 1:k matched sets weigh each comparison row 1/k. Treated {1, 2, 3}: mean 2, variance 1.
// Controls {2, 4, 6} weighted {0.5, 0.5, 1}: mean 9 / 2 = 4.5; V1 = 2, V2 = 1.5, so the
// variance is (0.5 x 6.25 + 0.5 x 0.25 + 2.25) / (2 - 1.5 / 2) = 5.5 / 1.25 = 4.4;
// SMD = (2 - 4.5) / sqrt((1 + 4.4) / 2) = -1.52145.
TEST(StandardisedMeanDifference, WeightedHandWorkedExample) {
  const std::vector<double> t = {1, 2, 3}, c = {2, 4, 6}, w = {0.5, 0.5, 1};
  EXPECT_NEAR(StandardisedMeanDifference(t, c, w), -2.5 / std::sqrt(2.7), 1e-9);
  // Weights of 1 are the unweighted SMD.
  EXPECT_NEAR(StandardisedMeanDifference(t, c, std::vector<double>{1, 1, 1}),
              StandardisedMeanDifference(t, c), 1e-12);
}

TEST(DifferenceInDifferences, NoPreActivityHasNoNaiveRatio) {
  const std::vector<PersonOutcome> t = {{0, 12, 1, 12}}, c = {{0, 12, 0, 12}};
  const DidResult r = DifferenceInDifferences(t, c);
  EXPECT_TRUE(std::isnan(r.naive_relative));
  EXPECT_NEAR(r.absolute, 1.0, 1e-12);
  EXPECT_TRUE(std::isnan(r.relative));  // counterfactual rate 0
}

TEST(BootstrapDid, DeterministicAndContainsThePointEstimate) {
  std::vector<PersonOutcome> t, c;
  for (int i = 0; i < 200; ++i) {
    t.push_back({static_cast<double>(1 + i % 3), 12, static_cast<double>(i % 2), 12});
    c.push_back({static_cast<double>(1 + (i + 1) % 3), 12, static_cast<double>((i + 1) % 3), 12});
  }
  const DidEstimate a = BootstrapDid(t, c, 300, 42), b = BootstrapDid(t, c, 300, 42);
  EXPECT_EQ(a.relative_ci95.low, b.relative_ci95.low);
  EXPECT_EQ(a.relative_ci95.high, b.relative_ci95.high);
  EXPECT_TRUE(a.relative_ci95.Contains(a.point.relative));
  EXPECT_TRUE(a.absolute_ci95.Contains(a.point.absolute));
  EXPECT_LT(a.relative_ci95.low, a.relative_ci95.high);
  const DidEstimate other = BootstrapDid(t, c, 300, 43);
  EXPECT_NE(a.relative_ci95.low, other.relative_ci95.low);
}

TEST(BootstrapDid, IdenticalGroupsGiveZeroWithAZeroWidthInterval) {
  std::vector<PersonOutcome> t = {{2, 12, 1, 12}, {4, 12, 2, 12}, {0, 12, 1, 12}};
  const DidEstimate e = BootstrapDid(t, t, 100, 1);
  EXPECT_EQ(e.point.absolute, 0);
  EXPECT_EQ(e.absolute_ci95.low, 0);
  EXPECT_EQ(e.absolute_ci95.high, 0);
}

TEST(BootstrapDid, SingletonClustersDrawTheSamePairsAsNoClusters) {
  std::vector<PersonOutcome> t, c;
  std::vector<int32_t> cluster;
  for (int i = 0; i < 120; ++i) {
    t.push_back({static_cast<double>(1 + i % 3), 12, static_cast<double>(i % 2), 12});
    c.push_back({static_cast<double>(1 + (i + 1) % 3), 12, static_cast<double>(i % 4 == 0), 12});
    cluster.push_back(i);
  }
  const DidEstimate a = BootstrapDid(t, c, 200, 7), b = BootstrapDid(t, c, 200, 7, cluster);
  EXPECT_EQ(a.relative_ci95.low, b.relative_ci95.low);
  EXPECT_EQ(a.relative_ci95.high, b.relative_ci95.high);
}

// Every pair written twice: treated as independent, the copies make the interval about
// 1/sqrt(2) as wide; resampled together (one cluster per original pair), the interval is the
// original one's width again.
TEST(BootstrapDid, PairsSharingAPersonAreResampledTogether) {
  std::vector<PersonOutcome> t, c, t2, c2;
  std::vector<int32_t> cluster;
  for (int i = 0; i < 150; ++i) {
    t.push_back({static_cast<double>(1 + i % 3), 12, static_cast<double>(i % 2 + i % 5 / 4), 12});
    c.push_back({static_cast<double>(1 + (i + 1) % 3), 12, static_cast<double>(i % 3 == 0), 12});
    for (int copy = 0; copy < 2; ++copy) {
      t2.push_back(t.back());
      c2.push_back(c.back());
      cluster.push_back(i);
    }
  }
  auto width = [](const DidEstimate& e) { return e.absolute_ci95.high - e.absolute_ci95.low; };
  const double original = width(BootstrapDid(t, c, 2000, 3));
  const double naive = width(BootstrapDid(t2, c2, 2000, 3));
  const double clustered = width(BootstrapDid(t2, c2, 2000, 3, cluster));
  EXPECT_NEAR(naive / original, 1 / std::sqrt(2.0), 0.1);
  EXPECT_NEAR(clustered / original, 1.0, 0.1);
  EXPECT_EQ(BootstrapDid(t2, c2, 50, 3, cluster).point.absolute,
            BootstrapDid(t, c, 50, 3).point.absolute);
}

// Pairs (treated, comparison) by person: 1-10, 2-10 share 10; 3-11 and 11-12 share 11 (a
// person compared before their own enrolment); 4-13 is alone.
TEST(PairClusters, ConnectedComponentsOfSharedPeople) {
  const std::vector<uint32_t> a = {1, 2, 3, 4, 12};
  const std::vector<uint32_t> b = {10, 10, 11, 13, 11};
  EXPECT_EQ(PairClusters(a, b), (std::vector<int32_t>{0, 0, 1, 2, 1}));
  EXPECT_TRUE(PairClusters({}, {}).empty());
}

// treated {1, 2, 3}: mean 2, variance 1; controls {2, 4, 6}: mean 4, variance 4.
// SMD = (2 - 4) / sqrt((1 + 4) / 2) = -2 / 1.58114 = -1.26491.
TEST(StandardisedMeanDifference, HandWorkedExample) {
  const std::vector<double> t = {1, 2, 3}, c = {2, 4, 6};
  EXPECT_NEAR(StandardisedMeanDifference(t, c), -1.2649110640673518, 1e-12);
  EXPECT_NEAR(StandardisedMeanDifference(c, t), 1.2649110640673518, 1e-12);
  const std::vector<double> same = {5, 5};
  EXPECT_EQ(StandardisedMeanDifference(same, same), 0);
}

TEST(Quantile, LinearInterpolation) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Quantile(v, 0.25), 1.75);
  EXPECT_DOUBLE_EQ(Quantile(v, 0), 1);
  EXPECT_DOUBLE_EQ(Quantile(v, 1), 4);
}

}  // namespace
}  // namespace pioneer::caretrak
