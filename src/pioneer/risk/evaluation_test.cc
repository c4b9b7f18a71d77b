#include "pioneer/risk/evaluation.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <utility>
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

// DeLong's components by their definition (every positive against every negative, ties
// half), against Auroc's midranks from one sort of all scores, on scores with many ties.
TEST(Evaluation, DeLongVarianceMatchesPairwiseDefinitionWithTies) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> level(0, 12);
  std::vector<double> score;
  std::vector<uint8_t> y;
  for (int i = 0; i < 600; ++i) {
    const int l = level(rng);
    score.push_back(l / 10.0);
    y.push_back(std::bernoulli_distribution(0.15 + 0.05 * l)(rng));
  }
  std::vector<double> pos, neg;
  for (size_t i = 0; i < score.size(); ++i) (y[i] ? pos : neg).push_back(score[i]);
  auto psi = [](double a, double b) { return a > b ? 1.0 : a == b ? 0.5 : 0.0; };
  std::vector<double> v10(pos.size()), v01(neg.size());
  double auc = 0;
  for (size_t i = 0; i < pos.size(); ++i) {
    for (size_t j = 0; j < neg.size(); ++j) {
      const double s = psi(pos[i], neg[j]);
      v10[i] += s / neg.size();
      v01[j] += s / pos.size();
      auc += s;
    }
  }
  auc /= pos.size() * neg.size();
  auto var = [](const std::vector<double>& v) {
    double mean = 0, ss = 0;
    for (double x : v) mean += x / v.size();
    for (double x : v) ss += (x - mean) * (x - mean);
    return ss / (v.size() - 1);
  };
  const double variance = var(v10) / pos.size() + var(v01) / neg.size();
  const AucResult r = Auroc(score, y);
  EXPECT_NEAR(r.auc, auc, 1e-12);
  EXPECT_NEAR(r.variance, variance, 1e-12);
  EXPECT_GT(r.variance, 0);
  // The paired test carries each score's own AUROC, exactly as Auroc gives it.
  std::vector<double> other = score;
  for (double& v : other) v = 1.2 - v;
  const PairedAucTest t = DeLongPaired(score, other, y);
  EXPECT_EQ(t.a.auc, r.auc);
  EXPECT_EQ(t.a.variance, r.variance);
  EXPECT_EQ(t.b.auc, Auroc(other, y).auc);
  EXPECT_EQ(t.b.variance, Auroc(other, y).variance);
}

// Several top-k shares from one sort, against counting each top k% directly (ties broken by
// row order: the order of (-score, row) pairs).
TEST(Evaluation, TopPercentsFromOneSortCountTheTopRows) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> level(0, 20), count(0, 3);
  std::vector<double> score, cost;
  std::vector<uint8_t> y;
  std::vector<int32_t> admissions;
  const int n = 777;
  for (int i = 0; i < n; ++i) {
    score.push_back(level(rng) / 20.0);
    admissions.push_back(count(rng));
    y.push_back(admissions.back() > 1);
    cost.push_back(100.0 * count(rng) + i % 7);
  }
  std::vector<std::pair<double, int>> ranked;
  for (int i = 0; i < n; ++i) ranked.push_back({-score[i], i});
  std::sort(ranked.begin(), ranked.end());
  double pos = 0, adm = 0, cost_all = 0;
  for (const auto& [s, i] : ranked) {
    pos += y[i];
    adm += admissions[i];
    cost_all += cost[i];
  }
  const std::vector<double> percents = {0.5, 1, 2, 4, 5, 10, 100};
  const std::vector<TopShare> all =
      TopPercents(ByDescendingScore(score), y, admissions, cost, percents);
  ASSERT_EQ(all.size(), percents.size());
  for (size_t k = 0; k < percents.size(); ++k) {
    const int flagged = static_cast<int>(std::ceil(percents[k] / 100.0 * n));
    double tp = 0, adm_top = 0, cost_top = 0;
    for (int r = 0; r < flagged; ++r) {
      const int i = ranked[r].second;
      tp += y[i];
      adm_top += admissions[i];
      cost_top += cost[i];
    }
    EXPECT_EQ(all[k].percent, percents[k]);
    EXPECT_EQ(all[k].flagged, flagged);
    EXPECT_EQ(all[k].ppv, tp / flagged);
    EXPECT_EQ(all[k].sensitivity, tp / pos);
    EXPECT_EQ(all[k].specificity, (n - pos - (flagged - tp)) / (n - pos));
    EXPECT_EQ(all[k].admissions_share, adm_top / adm);
    EXPECT_EQ(all[k].cost_share, cost_top / cost_all);
    // One percent at a time gives the same.
    const TopShare one = TopPercent(score, y, admissions, cost, percents[k]);
    EXPECT_EQ(one.flagged, all[k].flagged);
    EXPECT_EQ(one.ppv, all[k].ppv);
    EXPECT_EQ(one.cost_share, all[k].cost_share);
  }
  EXPECT_EQ(all.back().flagged, n);
  EXPECT_GT(all[2].ppv, all.back().ppv);  // the top 2% hold more people with the outcome
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
