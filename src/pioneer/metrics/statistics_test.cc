#include "pioneer/metrics/statistics.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pioneer::metrics {
namespace {

// Chi-square quantiles from standard tables (e.g. R qchisq, NIST handbook table).
TEST(ChiSquareQuantileTest, MatchesPublishedTables) {
  EXPECT_NEAR(ChiSquareQuantile(0.95, 1), 3.841459, 1e-6);
  EXPECT_NEAR(ChiSquareQuantile(0.975, 2), 7.377759, 1e-6);
  EXPECT_NEAR(ChiSquareQuantile(0.025, 2), 0.05063562, 1e-7);
  EXPECT_NEAR(ChiSquareQuantile(0.975, 10), 20.48318, 1e-5);
  EXPECT_NEAR(ChiSquareQuantile(0.025, 10), 3.246973, 1e-6);
  EXPECT_NEAR(ChiSquareQuantile(0.025, 100), 74.22193, 1e-5);
  EXPECT_NEAR(ChiSquareQuantile(0.975, 778), 856.7, 0.5);  // near the Byar switch
  EXPECT_NEAR(ChiSquareQuantile(0.5, 1), 0.4549364, 1e-7);
  EXPECT_NEAR(ChiSquareQuantile(0.01, 3), 0.1148318, 1e-7);
}

TEST(ChiSquareQuantileTest, InvertsTheDistribution) {
  for (double df : {0.5, 1.0, 2.0, 7.0, 31.0, 400.0, 2000.0}) {
    for (double p : {1e-6, 0.025, 0.3, 0.5, 0.9, 0.975, 0.999999}) {
      double x = ChiSquareQuantile(p, df);
      EXPECT_NEAR(RegularizedGammaP(df / 2, x / 2), p, 1e-10) << df << " " << p;
    }
  }
}

// Exact Poisson limits (Dobson) as tabulated by PHE's "Technical guide: confidence intervals".
TEST(PoissonLimitsTest, DobsonAndByar) {
  Interval z = PoissonLimits95(0);
  EXPECT_EQ(z.lower, 0);
  EXPECT_NEAR(z.upper, 3.688879, 1e-5);
  Interval one = PoissonLimits95(1);
  EXPECT_NEAR(one.lower, 0.02531781, 1e-7);
  EXPECT_NEAR(one.upper, 5.571643, 1e-5);
  Interval ten = PoissonLimits95(10);
  EXPECT_NEAR(ten.lower, 4.795389, 1e-5);
  EXPECT_NEAR(ten.upper, 18.39036, 1e-4);
  // Byar at 400: O(1 - 1/(9O) - 1.96/(3 sqrt O))^3
  Interval b = PoissonLimits95(400);
  EXPECT_NEAR(b.lower, 400 * std::pow(1 - 1 / 3600.0 - 1.96 / 60, 3), 1e-9);
  EXPECT_NEAR(b.lower, 361.8, 0.1);
  EXPECT_NEAR(b.upper, 401 * std::pow(1 - 1 / 3609.0 + 1.96 / (3 * std::sqrt(401.0)), 3), 1e-9);
  EXPECT_NEAR(b.upper, 441.19, 0.01);
  // Continuity at the switch: Dobson at 388 and Byar at 389 are close.
  EXPECT_NEAR(PoissonLimits95(388).lower + 1, PoissonLimits95(389).lower, 0.1);
}

TEST(DsrTest, SingleBandEqualsCrudeRate) {
  auto r = DirectlyStandardise({{1000, 10, 5000}});
  ASSERT_TRUE(r.has_value());
  EXPECT_DOUBLE_EQ(r->rate, 200);
  // One band: CI = crude rate limits = O limits / n * 1e5.
  EXPECT_NEAR(r->ci95.lower, 4.795389 / 5000 * 1e5, 1e-2);
  EXPECT_NEAR(r->ci95.upper, 18.39036 / 5000 * 1e5, 1e-2);
}

TEST(DsrTest, WeightsAndZeroPopulationCells) {
  auto r = DirectlyStandardise({{5500, 2, 1000}, {1000, 3, 500}, {1500, 1, 0}});
  ASSERT_TRUE(r.has_value());
  EXPECT_NEAR(r->rate, (5500 * 0.002 + 1000 * 0.006) / 6500 * 1e5, 1e-9);
  EXPECT_LT(r->ci95.lower, r->rate);
  EXPECT_GT(r->ci95.upper, r->rate);
  EXPECT_FALSE(DirectlyStandardise({{1, 0, 0}}).has_value());
}

TEST(WilsonTest, PublishedValues) {
  // Newcombe (1998) table I: 8/10 -> 0.4902-0.9433; 0/10 -> 0-0.2775; 81/263 -> 0.2553-0.3662.
  Interval a = WilsonInterval95(8, 10);
  EXPECT_NEAR(a.lower, 0.4902, 5e-4);
  EXPECT_NEAR(a.upper, 0.9433, 5e-4);
  Interval b = WilsonInterval95(0, 10);
  EXPECT_NEAR(b.lower, 0.0, 1e-12);
  EXPECT_NEAR(b.upper, 0.2775, 5e-4);
  Interval c = WilsonInterval95(81, 263);
  EXPECT_NEAR(c.lower, 0.2553, 5e-4);
  EXPECT_NEAR(c.upper, 0.3662, 5e-4);
}

TEST(Esp2013Test, WeightsTotal100000) {
  double t = 0;
  for (double w : Esp2013Weights()) t += w;
  EXPECT_EQ(t, 100000);
  EXPECT_EQ(Esp2013Band(0), 0);
  EXPECT_EQ(Esp2013Band(64), 12);
  EXPECT_EQ(Esp2013Band(65), 13);
  EXPECT_EQ(Esp2013Band(89), 17);
  EXPECT_EQ(Esp2013Band(104), 18);
}

}  // namespace
}  // namespace pioneer::metrics
