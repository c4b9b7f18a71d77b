#include "pioneer/risk/evaluation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "pioneer/risk/logistic.h"

namespace pioneer::risk {
namespace {

// Six people worked by hand: positives score 0.9, 0.8, 0.6; negatives 0.7, 0.5, 0.4.
const std::vector<double> kScore = {0.9, 0.8, 0.7, 0.6, 0.5, 0.4};
const std::vector<uint8_t> kY = {1, 1, 0, 1, 0, 0};

TEST(Evaluation, AurocIsTheShareOfCorrectlyOrderedPairs) {
  // 9 positive-negative pairs; 0.6 < 0.7 is the only wrong one: 8/9.
  const AucResult r = Auroc(kScore, kY);
  EXPECT_NEAR(r.auc, 8.0 / 9.0, 1e-12);
  EXPECT_EQ(r.positives, 3);
  EXPECT_EQ(r.negatives, 3);
  // DeLong: V10 = (1, 1, 2/3), V01 = (2/3, 1, 1); each sample variance 1/27;
  // var = (1/27)/3 + (1/27)/3 = 2/81.
  EXPECT_NEAR(r.variance, 2.0 / 81.0, 1e-12);
}

TEST(Evaluation, TiesCountHalf) {
  const std::vector<double> s = {0.5, 0.5, 0.2};
  const std::vector<uint8_t> y = {1, 0, 0};
  EXPECT_NEAR(Auroc(s, y).auc, 0.75, 1e-12);  // (0.5 + 1) / 2
}

TEST(Evaluation, AveragePrecisionAndBrierByHand) {
  // Precision at each positive: 1, 1, 3/4; AP = (1 + 1 + 0.75) / 3.
  EXPECT_NEAR(AveragePrecision(kScore, kY), 2.75 / 3, 1e-12);
  // (0.01 + 0.04 + 0.49 + 0.16 + 0.25 + 0.16) / 6.
  EXPECT_NEAR(Brier(kScore, kY), 1.11 / 6, 1e-12);
}

TEST(Evaluation, TopPercentFlagsTheHighestScores) {
  const std::vector<int32_t> admissions = {2, 1, 0, 1, 0, 0};
  const std::vector<double> cost = {5000, 2000, 100, 1500, 0, 400};
  const TopShare t = TopPercent(kScore, kY, admissions, cost, 50);
  EXPECT_EQ(t.flagged, 3);
  EXPECT_NEAR(t.ppv, 2.0 / 3, 1e-12);
  EXPECT_NEAR(t.sensitivity, 2.0 / 3, 1e-12);
  EXPECT_NEAR(t.specificity, 2.0 / 3, 1e-12);
  EXPECT_NEAR(t.admissions_share, 3.0 / 4, 1e-12);
  EXPECT_NEAR(t.cost_share, 7100.0 / 9000, 1e-12);
}

TEST(Evaluation, PairedDeLongSeesABetterScore) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> n01;
  std::vector<double> good, weak;
  std::vector<uint8_t> y;
  for (int i = 0; i < 4000; ++i) {
    const double signal = n01(rng);
    y.push_back(std::bernoulli_distribution(Sigmoid(-2 + 1.5 * signal))(rng));
    good.push_back(signal + 0.3 * n01(rng));
    weak.push_back(signal + 1.5 * n01(rng));
  }
  const PairedAucTest t = DeLongPaired(good, weak, y);
  EXPECT_GT(t.difference, 0.05);
  EXPECT_LT(t.p_value, 1e-6);
  // A score against itself: no difference.
  const PairedAucTest same = DeLongPaired(good, good, y);
  EXPECT_NEAR(same.difference, 0, 1e-12);
  EXPECT_NEAR(same.se, 0, 1e-9);
}

TEST(Evaluation, CalibrationSlopeAndInterceptRecoverAMiscalibration) {
  // y is drawn from sigmoid(0.4 + 0.5 logit(p)): the slope is 0.5 and predictions too extreme.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0.01, 0.6);
  std::vector<double> p;
  std::vector<uint8_t> y;
  for (int i = 0; i < 40000; ++i) {
    p.push_back(u(rng));
    y.push_back(std::bernoulli_distribution(Sigmoid(0.4 + 0.5 * Logit(p.back())))(rng));
  }
  const CalibrationFit c = Calibration(p, y);
  EXPECT_NEAR(c.slope, 0.5, 0.05);
  auto r = FitRecalibration(p, y);
  ASSERT_TRUE(r.ok());
  EXPECT_NEAR(r->a, 0.4, 0.08);
  EXPECT_NEAR(r->b, 0.5, 0.05);
  // After recalibration the slope is 1 and the intercept 0.
  std::vector<double> q;
  for (double v : p) q.push_back(r->Apply(v));
  const CalibrationFit after = Calibration(q, y);
  EXPECT_NEAR(after.slope, 1.0, 1e-6);
  EXPECT_NEAR(after.intercept, 0.0, 1e-6);
}

TEST(Evaluation, DecilesSplitByPredictedRisk) {
  std::vector<double> p;
  std::vector<uint8_t> y;
  for (int i = 0; i < 100; ++i) {
    p.push_back(i / 100.0);
    y.push_back(i >= 90);
  }
  const auto d = Deciles(p, y);
  ASSERT_EQ(d.size(), 10u);
  EXPECT_EQ(d[0].n, 10);
  EXPECT_NEAR(d[0].mean_predicted, 0.045, 1e-12);
  EXPECT_NEAR(d[9].observed, 1.0, 1e-12);
  EXPECT_NEAR(d[8].observed, 0.0, 1e-12);
}

}  // namespace
}  // namespace pioneer::risk
