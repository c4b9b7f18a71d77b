#include "pioneer/risk/evaluation.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "pioneer/risk/logistic.h"

namespace pioneer::risk {
namespace {

// DeLong structural components of one score: V10 for positives, V01 for negatives.
struct Components {
  double auc = 0.5;
  std::vector<double> v10, v01;
};

Components DeLong(std::span<const double> score, std::span<const uint8_t> y) {
  std::vector<double> pos, neg;
  for (size_t i = 0; i < score.size(); ++i) (y[i] ? pos : neg).push_back(score[i]);
  Components c;
  const double m = pos.size(), n = neg.size();
  if (m == 0 || n == 0) return c;
  std::vector<double> all = pos;
  all.insert(all.end(), neg.begin(), neg.end());
  // Midranks (1-based, ties averaged) of every score among all (tz), among the positives
  // (tx) and among the negatives (ty), from one sort of all: the positives' scores in that
  // order are theirs sorted, and a run of equal scores holds every positive (negative) with
  // that score, so each run gives the same midranks as sorting each group on its own.
  const size_t total = all.size();
  std::vector<size_t> order(total);
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return all[a] < all[b]; });
  std::vector<double> tz(total), tx(pos.size()), ty(neg.size());
  size_t i = 0, seen_pos = 0, seen_neg = 0;
  while (i < total) {
    size_t j = i;
    while (j + 1 < total && all[order[j + 1]] == all[order[i]]) ++j;
    size_t run_pos = 0;
    for (size_t k = i; k <= j; ++k) run_pos += order[k] < pos.size();
    const size_t run_neg = j - i + 1 - run_pos;
    const double mid = 0.5 * (i + j) + 1;
    // 0.5 * (first + last) + 1 over the run's 0-based positions within all, the positives
    // and the negatives.
    const double mid_pos = run_pos ? 0.5 * (seen_pos + (seen_pos + run_pos - 1)) + 1 : 0;
    const double mid_neg = run_neg ? 0.5 * (seen_neg + (seen_neg + run_neg - 1)) + 1 : 0;
    for (size_t k = i; k <= j; ++k) {
      const size_t r = order[k];
      tz[r] = mid;
      if (r < pos.size()) {
        tx[r] = mid_pos;
      } else {
        ty[r - pos.size()] = mid_neg;
      }
    }
    seen_pos += run_pos;
    seen_neg += run_neg;
    i = j + 1;
  }
  double sum = 0;
  c.v10.resize(pos.size());
  c.v01.resize(neg.size());
  for (size_t i = 0; i < pos.size(); ++i) {
    sum += tz[i];
    c.v10[i] = (tz[i] - tx[i]) / n;
  }
  for (size_t j = 0; j < neg.size(); ++j) c.v01[j] = 1 - (tz[pos.size() + j] - ty[j]) / m;
  c.auc = (sum - m * (m + 1) / 2) / (m * n);
  return c;
}

double Cov(const std::vector<double>& a, const std::vector<double>& b) {
  const size_t n = a.size();
  if (n < 2) return 0;
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / n;
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / n;
  double s = 0;
  for (size_t i = 0; i < n; ++i) s += (a[i] - ma) * (b[i] - mb);
  return s / (n - 1);
}

AucResult FromComponents(const Components& c) {
  AucResult r;
  r.auc = c.auc;
  r.positives = c.v10.size();
  r.negatives = c.v01.size();
  if (r.positives > 0 && r.negatives > 0) {
    r.variance = Cov(c.v10, c.v10) / r.positives + Cov(c.v01, c.v01) / r.negatives;
  }
  const double h = 1.959964 * std::sqrt(r.variance);
  r.ci_low = std::max(0.0, r.auc - h);
  r.ci_high = std::min(1.0, r.auc + h);
  return r;
}

}  // namespace

double NormalTwoSidedP(double z) { return std::erfc(std::abs(z) / std::sqrt(2.0)); }

AucResult Auroc(std::span<const double> score, std::span<const uint8_t> y) {
  return FromComponents(DeLong(score, y));
}

PairedAucTest DeLongPaired(std::span<const double> a, std::span<const double> b,
                           std::span<const uint8_t> y) {
  const Components ca = DeLong(a, y), cb = DeLong(b, y);
  PairedAucTest t;
  t.a = FromComponents(ca);
  t.b = FromComponents(cb);
  t.difference = t.a.auc - t.b.auc;
  if (t.a.positives > 0 && t.a.negatives > 0) {
    const double cov = Cov(ca.v10, cb.v10) / t.a.positives + Cov(ca.v01, cb.v01) / t.a.negatives;
    const double var = t.a.variance + t.b.variance - 2 * cov;
    t.se = std::sqrt(std::max(0.0, var));
    t.z = t.se > 0 ? t.difference / t.se : 0;
    t.p_value = NormalTwoSidedP(t.z);
  }
  return t;
}

double AveragePrecision(std::span<const double> score, std::span<const uint8_t> y) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] > score[b]; });
  double total_pos = 0;
  for (auto v : y) total_pos += v;
  if (total_pos == 0) return 0;
  // Step-wise AP over distinct thresholds: sum of (recall change) x precision.
  double tp = 0, fp = 0, ap = 0, prev_recall = 0;
  size_t i = 0;
  while (i < order.size()) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) {
      (y[order[j]] ? tp : fp) += 1;
      ++j;
    }
    const double recall = tp / total_pos;
    ap += (recall - prev_recall) * (tp / (tp + fp));
    prev_recall = recall;
    i = j;
  }
  return ap;
}

double Brier(std::span<const double> p, std::span<const uint8_t> y) {
  if (p.empty()) return 0;
  double s = 0;
  for (size_t i = 0; i < p.size(); ++i) s += (p[i] - y[i]) * (p[i] - y[i]);
  return s / p.size();
}

CalibrationFit Calibration(std::span<const double> p, std::span<const uint8_t> y) {
  CalibrationFit c;
  auto slope = FitRecalibration(p, y);
  if (slope.ok()) c.slope = slope->b;
  // Intercept with logit(p) as an offset: Newton on one parameter.
  double a = 0;
  for (int it = 0; it < 100; ++it) {
    double g = 0, h = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      const double mu = Sigmoid(a + Logit(p[i]));
      g += y[i] - mu;
      h += mu * (1 - mu);
    }
    if (!(h > 0)) break;
    a += g / h;
    if (std::abs(g / h) < 1e-10) break;
  }
  c.intercept = a;
  return c;
}

std::vector<DecileRow> Deciles(std::span<const double> p, std::span<const uint8_t> y) {
  std::vector<size_t> order(p.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] < p[b]; });
  std::vector<DecileRow> rows(10);
  for (size_t k = 0; k < order.size(); ++k) {
    const int d = static_cast<int>(k * 10 / order.size());
    rows[d].n += 1;
    rows[d].mean_predicted += p[order[k]];
    rows[d].observed += y[order[k]];
  }
  for (int d = 0; d < 10; ++d) {
    rows[d].decile = d + 1;
    if (rows[d].n > 0) {
      rows[d].mean_predicted /= rows[d].n;
      rows[d].observed /= rows[d].n;
    }
  }
  return rows;
}

std::vector<size_t> ByDescendingScore(std::span<const double> score) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return score[a] > score[b]; });
  return order;
}

std::vector<TopShare> TopPercents(std::span<const size_t> order, std::span<const uint8_t> y,
                                  std::span<const int32_t> admissions, std::span<const double> cost,
                                  std::span<const double> percents) {
  const size_t n = order.size();
  // Totals over everyone, summed in the sorted order (as TopPercent always has).
  double pos = 0, adm = 0, cost_all = 0;
  for (size_t r = 0; r < n; ++r) {
    const size_t i = order[r];
    pos += y[i];
    adm += admissions[i];
    cost_all += cost[i];
  }
  std::vector<TopShare> out;
  out.reserve(percents.size());
  for (const double percent : percents) {
    TopShare t;
    t.percent = percent;
    const size_t k = std::min(n, static_cast<size_t>(std::ceil(percent / 100.0 * n)));
    t.flagged = k;
    double tp = 0, adm_top = 0, cost_top = 0;
    for (size_t r = 0; r < k; ++r) {
      const size_t i = order[r];
      tp += y[i];
      adm_top += admissions[i];
      cost_top += cost[i];
    }
    const double fp = k - tp, neg = n - pos;
    t.ppv = k ? tp / k : 0;
    t.sensitivity = pos ? tp / pos : 0;
    t.specificity = neg ? (neg - fp) / neg : 0;
    t.admissions_share = adm ? adm_top / adm : 0;
    t.cost_share = cost_all ? cost_top / cost_all : 0;
    out.push_back(t);
  }
  return out;
}

TopShare TopPercent(std::span<const double> score, std::span<const uint8_t> y,
                    std::span<const int32_t> admissions, std::span<const double> cost,
                    double percent) {
  const std::vector<size_t> order = ByDescendingScore(score);
  const double percents[] = {percent};
  return TopPercents(order, y, admissions, cost, percents).front();
}

}  // namespace pioneer::risk
