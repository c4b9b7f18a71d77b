#include "pioneer/caretrak/matching.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_set>

#include "pioneer/risk/logistic.h"

namespace pioneer::caretrak {

StatusOr<std::vector<double>> FitPropensity(std::span<const double> x, int cols,
                                            std::span<const uint8_t> treated, double ridge) {
  const size_t n = treated.size();
  size_t n1 = 0;
  for (uint8_t t : treated) n1 += t != 0;
  if (n == 0 || n1 == 0 || n1 == n) {
    return InvalidArgumentError("the propensity model needs both enrolled and candidate people");
  }
  // Standardise the columns.
  std::vector<double> mean(cols, 0), sd(cols, 0);
  for (size_t i = 0; i < n; ++i)
    for (int j = 0; j < cols; ++j) mean[j] += x[i * cols + j];
  for (int j = 0; j < cols; ++j) mean[j] /= n;
  for (size_t i = 0; i < n; ++i)
    for (int j = 0; j < cols; ++j) sd[j] += std::pow(x[i * cols + j] - mean[j], 2);
  for (int j = 0; j < cols; ++j) sd[j] = std::sqrt(sd[j] / n);
  const int k = cols + 1;  // intercept first
  auto z = [&](size_t i, int j) -> double {
    if (j == 0) return 1.0;
    return sd[j - 1] > 0 ? (x[i * cols + j - 1] - mean[j - 1]) / sd[j - 1] : 0.0;
  };
  std::vector<double> beta(k, 0.0), eta(n, 0.0);
  beta[0] = std::log(static_cast<double>(n1) / (n - n1));
  for (int iter = 0; iter < 30; ++iter) {
    std::vector<double> a(k * k, 0.0), g(k, 0.0);
    std::vector<double> row(k);
    for (size_t i = 0; i < n; ++i) {
      double e = 0;
      for (int j = 0; j < k; ++j) {
        row[j] = z(i, j);
        e += beta[j] * row[j];
      }
      const double p = 1 / (1 + std::exp(-e));
      const double w = std::max(p * (1 - p), 1e-10);
      const double r = (treated[i] ? 1.0 : 0.0) - p;
      for (int j = 0; j < k; ++j) {
        g[j] += row[j] * r;
        for (int l = 0; l <= j; ++l) a[j * k + l] += w * row[j] * row[l];
      }
    }
    for (int j = 0; j < k; ++j) {
      for (int l = 0; l < j; ++l) a[l * k + j] = a[j * k + l];
      if (j > 0) {
        a[j * k + j] += ridge;
        g[j] -= ridge * beta[j];
      }
    }
    std::vector<double> step;
    if (!risk::SolveSpd(a, g, k, step)) {
      return InternalError("the propensity model's normal equations are singular");
    }
    double change = 0;
    for (int j = 0; j < k; ++j) {
      beta[j] += step[j];
      change = std::max(change, std::abs(step[j]));
    }
    if (change < 1e-8) break;
  }
  for (size_t i = 0; i < n; ++i) {
    double e = 0;
    for (int j = 0; j < k; ++j) e += beta[j] * z(i, j);
    eta[i] = e;
  }
  return eta;
}

MatchResult Match(std::span<const double> logit, std::span<const uint8_t> treated,
                  std::span<const int32_t> stratum, std::span<const uint32_t> group,
                  double caliper_sd, bool reuse_groups, std::span<const int32_t> fine, int ratio) {
  const size_t n = logit.size();
  ratio = std::max(1, ratio);
  MatchResult out;
  out.ratio = ratio;
  out.control_of.assign(n, -1);
  out.controls_of.assign(n * static_cast<size_t>(ratio), -1);
  double mean = 0, ss = 0;
  for (double v : logit) mean += v;
  mean /= std::max<size_t>(1, n);
  for (double v : logit) ss += (v - mean) * (v - mean);
  out.caliper = caliper_sd * std::sqrt(ss / std::max<size_t>(1, n - 1));

  // Candidates per stratum, and per (stratum, fine cell), sorted by logit (then row).
  using Cell = std::pair<int32_t, int32_t>;
  std::map<Cell, std::vector<int64_t>> pool;  // fine cell -1: the whole stratum
  std::vector<int64_t> order;
  auto fine_of = [&](size_t i) { return fine.empty() ? -1 : std::max(-1, fine[i]); };
  for (size_t i = 0; i < n; ++i) {
    if (treated[i]) {
      order.push_back(static_cast<int64_t>(i));
    } else {
      pool[{stratum[i], -1}].push_back(static_cast<int64_t>(i));
      if (fine_of(i) >= 0) pool[{stratum[i], fine_of(i)}].push_back(static_cast<int64_t>(i));
    }
  }
  for (auto& [cell, rows] : pool) {
    std::sort(rows.begin(), rows.end(), [&](int64_t a, int64_t b) {
      return logit[a] != logit[b] ? logit[a] < logit[b] : a < b;
    });
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int64_t a, int64_t b) { return logit[a] > logit[b]; });
  std::unordered_set<uint32_t> used_groups;
  std::vector<uint8_t> used(n, 0);
  // The nearest usable candidate of one cell inside the caliper, or -1.
  auto nearest = [&](int64_t t, const Cell& cell) -> int64_t {
    auto it = pool.find(cell);
    if (it == pool.end()) return -1;
    const auto& rows = it->second;
    const double v = logit[t];
    auto pos = std::lower_bound(rows.begin(), rows.end(), v,
                                [&](int64_t r, double x) { return logit[r] < x; }) -
               rows.begin();
    int64_t best = -1;
    double best_d = out.caliper;
    auto usable = [&](int64_t r) {
      return !used[r] && group[r] != group[t] && !used_groups.count(group[r]);
    };
    for (int64_t j = pos - 1; j >= 0; --j) {  // left
      const double d = v - logit[rows[j]];
      if (d > best_d) break;
      if (usable(rows[j])) {
        best = rows[j];
        best_d = d;
        break;
      }
    }
    for (int64_t j = pos; j < static_cast<int64_t>(rows.size()); ++j) {  // right
      const double d = logit[rows[j]] - v;
      if (d > best_d) break;
      if (usable(rows[j])) {
        if (best < 0 || d < best_d || (d == best_d && rows[j] < best)) best = rows[j];
        break;
      }
    }
    return best;
  };
  // Pass j gives every treated row that found j controls its (j+1)-th, highest score first
  // (Austin, Stat Med 2010;29:2137-2148: 1:k greedy matching in passes).
  for (int pass = 0; pass < ratio; ++pass) {
    for (int64_t t : order) {
      if (pass > 0 && out.controls_of[t * ratio + pass - 1] < 0) continue;
      const int32_t f = fine_of(static_cast<size_t>(t));
      int64_t best = f >= 0 ? nearest(t, {stratum[t], f}) : -1;
      if (best >= 0) {
        if (pass == 0) ++out.matched_fine;
      } else {
        best = nearest(t, {stratum[t], -1});
      }
      if (best < 0) {
        if (pass == 0) ++out.unmatched;
        continue;
      }
      used[best] = 1;
      if (!reuse_groups) used_groups.insert(group[best]);
      out.controls_of[t * ratio + pass] = best;
      if (pass == 0) {
        out.control_of[t] = best;
        ++out.matched;
      }
      ++out.controls;
    }
  }
  return out;
}

}  // namespace pioneer::caretrak
