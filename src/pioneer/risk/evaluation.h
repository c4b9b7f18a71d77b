// Performance measures of a risk score against an observed binary outcome, as OHDSI
// PatientLevelPrediction and SPARRA report them:
//   AUROC with its DeLong variance (DeLong, DeLong & Clarke-Pearson, Biometrics 1988; the
//   fast midrank algorithm of Sun & Xu, IEEE Signal Process Lett 2014) and a paired DeLong
//   test between two scores of the same people; AUPRC (average precision); Brier score and
//   scaled Brier (1 - Brier / (prevalence x (1 - prevalence))); calibration-in-the-large
//   (intercept with logit(p) as offset) and calibration slope (logistic regression of the
//   outcome on logit(p)); observed vs predicted by decile of predicted risk; and, for the
//   top k% by score, PPV, sensitivity, specificity and the share of next year's emergency
//   admissions and cost in the flagged group.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pioneer::risk {

struct AucResult {
  double auc = 0.5;
  double variance = 0;             // DeLong
  double ci_low = 0, ci_high = 0;  // 95%, auc +/- 1.96 sqrt(variance), clipped to [0, 1]
  int64_t positives = 0, negatives = 0;
};
AucResult Auroc(std::span<const double> score, std::span<const uint8_t> y);

struct PairedAucTest {
  AucResult a, b;
  double difference = 0;  // a.auc - b.auc
  double se = 0;          // DeLong standard error of the difference
  double z = 0;
  double p_value = 1;  // two-sided
};
PairedAucTest DeLongPaired(std::span<const double> a, std::span<const double> b,
                           std::span<const uint8_t> y);

double AveragePrecision(std::span<const double> score, std::span<const uint8_t> y);
double Brier(std::span<const double> p, std::span<const uint8_t> y);

struct CalibrationFit {
  double intercept = 0;  // calibration-in-the-large (0 is perfect)
  double slope = 1;      // 1 is perfect
};
CalibrationFit Calibration(std::span<const double> p, std::span<const uint8_t> y);

struct DecileRow {
  int decile = 0;  // 1 = lowest predicted risk
  int64_t n = 0;
  double mean_predicted = 0;
  double observed = 0;
};
std::vector<DecileRow> Deciles(std::span<const double> p, std::span<const uint8_t> y);

struct TopShare {
  double percent = 0;  // e.g. 2 for the top 2%
  int64_t flagged = 0;
  double ppv = 0, sensitivity = 0, specificity = 0;
  double admissions_share = 0;  // share of next year's emergency admissions in the flagged
  double cost_share = 0;        // share of next year's cost
};
// Flags the ceil(percent% x n) highest scores (ties broken by row order).
TopShare TopPercent(std::span<const double> score, std::span<const uint8_t> y,
                    std::span<const int32_t> admissions, std::span<const double> cost,
                    double percent);
// The same for several percents at once: `order` is the rows by descending score, ties in
// row order (what TopPercent sorts by; see ByDescendingScore), so the scores are sorted once.
std::vector<TopShare> TopPercents(std::span<const size_t> order, std::span<const uint8_t> y,
                                  std::span<const int32_t> admissions, std::span<const double> cost,
                                  std::span<const double> percents);
// Row indices by descending score, ties in row order (a stable sort).
std::vector<size_t> ByDescendingScore(std::span<const double> score);

double NormalTwoSidedP(double z);

}  // namespace pioneer::risk
