#include "pioneer/caretrak/estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <vector>

#include "pioneer/risk/logistic.h"

namespace pioneer::caretrak {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

struct Sums {
  double tpre = 0, tpre_x = 0, tpost = 0, tpost_x = 0, cpre = 0, cpre_x = 0, cpost = 0, cpost_x = 0,
         cpost_own = 0;
  // shift: the regression adjustment of the control's post-index rate (per person-year).
  void Add(const PersonOutcome& t, const PersonOutcome& c, double shift = 0) {
    cpost_own += c.post_after_own_enrolment;
    cpost += shift * c.post_exposure / 12;
    tpre += t.pre;
    tpre_x += t.pre_exposure;
    tpost += t.post;
    tpost_x += t.post_exposure;
    cpre += c.pre;
    cpre_x += c.pre_exposure;
    cpost += c.post;
    cpost_x += c.post_exposure;
  }
};

double Rate(double events, double months) { return months > 0 ? 12 * events / months : 0; }

// The DiD with the comparison group's events after their own enrolment divided by
// (1 + effect).
DidResult FromSums(const Sums& s, double effect) {
  DidResult r;
  r.treated_pre = Rate(s.tpre, s.tpre_x);
  r.treated_post = Rate(s.tpost, s.tpost_x);
  r.control_pre = Rate(s.cpre, s.cpre_x);
  r.control_post = Rate(s.cpost - s.cpost_own + s.cpost_own / (1 + effect), s.cpost_x);
  r.absolute = (r.treated_post - r.treated_pre) - (r.control_post - r.control_pre);
  r.counterfactual = r.treated_pre + (r.control_post - r.control_pre);
  r.relative = r.counterfactual > 0 ? r.absolute / r.counterfactual : kNan;
  r.relative_unadjusted = r.relative;
  r.naive_relative = r.treated_pre > 0 ? r.treated_post / r.treated_pre - 1 : kNan;
  return r;
}

constexpr double kMinEffect = -0.95;

DidResult FromSums(const Sums& s, bool adjust) {
  const DidResult unadjusted = FromSums(s, 0.0);
  if (!adjust || s.cpost_own <= 0 || std::isnan(unadjusted.relative)) return unadjusted;
  double e = std::max(kMinEffect, unadjusted.relative);
  DidResult r = unadjusted;
  for (int step = 0; step < 200; ++step) {
    r = FromSums(s, e);
    if (std::isnan(r.relative)) break;
    const double next = std::max(kMinEffect, r.relative);
    if (std::abs(next - e) < 1e-10) break;
    e = next;
  }
  r.relative_unadjusted = unadjusted.relative;
  return r;
}

Interval Percentiles(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  if (v.empty()) return {kNan, kNan};
  std::sort(v.begin(), v.end());
  return {Quantile(v, 0.025), Quantile(v, 0.975)};
}

// The regression adjustment: weighted least squares over the pairs `use` (with repeats, as a
// bootstrap draws them) of d = (T_post - T_pre) - (C_post - C_pre), per-person rates per
// person-year, on the covariate differences dx (standardised by `scale`; an intercept, not
// penalised, and a ridge of 1e-4 x pairs on the slopes, only to keep collinear columns (the
// condition count and its flags) solvable; the weights sum to the number of pairs).
// Returns each pair's shift beta'dx_i (0 for every pair when there is no covariate).
std::vector<double> RegressionShift(std::span<const PersonOutcome> t,
                                    std::span<const PersonOutcome> c, std::span<const double> dx,
                                    int p, std::span<const double> scale,
                                    std::span<const size_t> use) {
  const size_t n = std::min(t.size(), c.size());
  std::vector<double> shift(n, 0.0);
  if (p <= 0 || dx.size() < n * static_cast<size_t>(p) || use.empty()) return shift;
  auto rate = [](double events, double months) { return months > 0 ? 12 * events / months : 0; };
  const int k = p + 1;
  std::vector<double> a(static_cast<size_t>(k) * k, 0.0), g(k, 0.0), row(k);
  double wsum = 0;
  for (size_t i : use) wsum += std::min(t[i].post_exposure, c[i].post_exposure);
  if (wsum <= 0) return shift;
  const double wnorm = static_cast<double>(use.size()) / wsum;
  for (size_t i : use) {
    const double w = std::min(t[i].post_exposure, c[i].post_exposure) * wnorm;
    if (w <= 0) continue;
    const double d = (rate(t[i].post, t[i].post_exposure) - rate(t[i].pre, t[i].pre_exposure)) -
                     (rate(c[i].post, c[i].post_exposure) - rate(c[i].pre, c[i].pre_exposure));
    row[0] = 1;
    for (int j = 0; j < p; ++j) row[j + 1] = scale[j] > 0 ? dx[i * p + j] / scale[j] : 0.0;
    for (int j = 0; j < k; ++j) {
      g[j] += w * row[j] * d;
      for (int l = 0; l <= j; ++l) a[j * k + l] += w * row[j] * row[l];
    }
  }
  for (int j = 0; j < k; ++j) {
    for (int l = 0; l < j; ++l) a[l * k + j] = a[j * k + l];
    if (j > 0) a[j * k + j] += 1e-4 * static_cast<double>(use.size());
  }
  std::vector<double> beta;
  if (!risk::SolveSpd(a, g, k, beta)) return shift;
  for (size_t i = 0; i < n; ++i) {
    double s = 0;
    for (int j = 0; j < p; ++j) {
      if (scale[j] > 0) s += beta[j + 1] * dx[i * p + j] / scale[j];
    }
    shift[i] = s;
  }
  return shift;
}

// The standard deviation of each covariate difference over all pairs (0: constant, unused).
std::vector<double> Scales(std::span<const double> dx, int p, size_t n) {
  std::vector<double> sd(std::max(p, 0), 0.0);
  if (p <= 0 || n < 2 || dx.size() < n * static_cast<size_t>(p)) return sd;
  for (int j = 0; j < p; ++j) {
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; ++i) m += dx[i * p + j];
    m /= n;
    for (size_t i = 0; i < n; ++i) ss += (dx[i * p + j] - m) * (dx[i * p + j] - m);
    sd[j] = std::sqrt(ss / (n - 1));
    if (sd[j] < 1e-12) sd[j] = 0;
  }
  return sd;
}

Sums SumPairs(std::span<const PersonOutcome> t, std::span<const PersonOutcome> c,
              std::span<const size_t> use, std::span<const double> shift) {
  Sums s;
  for (size_t i : use) s.Add(t[i], c[i], shift.empty() ? 0.0 : shift[i]);
  return s;
}

}  // namespace

double Quantile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return kNan;
  const double h = (sorted.size() - 1) * p;
  const size_t lo = static_cast<size_t>(std::floor(h));
  const size_t hi = std::min(sorted.size() - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

DidResult DifferenceInDifferences(std::span<const PersonOutcome> treated,
                                  std::span<const PersonOutcome> controls, bool adjust,
                                  std::span<const double> dx, int p) {
  const size_t n = std::min(treated.size(), controls.size());
  std::vector<size_t> all(n);
  for (size_t i = 0; i < n; ++i) all[i] = i;
  const Sums plain = SumPairs(treated, controls, all, {});
  DidResult r = FromSums(plain, adjust);
  r.relative_unregressed = r.relative;
  if (p > 0) {
    const std::vector<double> scale = Scales(dx, p, n);
    const std::vector<double> shift = RegressionShift(treated, controls, dx, p, scale, all);
    const double unregressed = r.relative;
    r = FromSums(SumPairs(treated, controls, all, shift), adjust);
    r.relative_unregressed = unregressed;
  }
  return r;
}

std::vector<int32_t> PairClusters(std::span<const uint32_t> a, std::span<const uint32_t> b) {
  const size_t n = std::min(a.size(), b.size());
  std::unordered_map<uint32_t, size_t> node;  // person -> union-find node
  std::vector<size_t> parent;
  auto id = [&](uint32_t person) {
    auto [it, inserted] = node.try_emplace(person, parent.size());
    if (inserted) parent.push_back(parent.size());
    return it->second;
  };
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  for (size_t i = 0; i < n; ++i) {
    const size_t x = find(id(a[i])), y = find(id(b[i]));
    if (x != y) parent[std::max(x, y)] = std::min(x, y);
  }
  std::unordered_map<size_t, int32_t> number;
  std::vector<int32_t> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i] =
        number.try_emplace(find(node[a[i]]), static_cast<int32_t>(number.size())).first->second;
  }
  return out;
}

DidEstimate BootstrapDid(std::span<const PersonOutcome> treated,
                         std::span<const PersonOutcome> controls, int replicates, uint64_t seed,
                         std::span<const int32_t> cluster, bool adjust, std::span<const double> dx,
                         int p) {
  DidEstimate out;
  out.point = DifferenceInDifferences(treated, controls, adjust, dx, p);
  out.replicates = replicates;
  const size_t n = std::min(treated.size(), controls.size());
  if (n == 0) return out;
  // The pairs of each cluster (every pair alone when no clusters are given).
  std::vector<std::vector<size_t>> members;
  if (cluster.empty()) {
    members.resize(n);
    for (size_t i = 0; i < n; ++i) members[i] = {i};
  } else {
    for (size_t i = 0; i < n; ++i) {
      const size_t c = static_cast<size_t>(cluster[i]);
      if (c >= members.size()) members.resize(c + 1);
      members[c].push_back(i);
    }
    std::erase_if(members, [](const std::vector<size_t>& m) { return m.empty(); });
  }
  const size_t k_clusters = members.size();
  uint64_t state = seed;
  auto next = [&state] {  // SplitMix64: fixed, portable sequence
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  };
  std::vector<double> rel, abs, naive;
  rel.reserve(replicates);
  abs.reserve(replicates);
  naive.reserve(replicates);
  const std::vector<double> scale = Scales(dx, p, n);
  std::vector<size_t> use;
  for (int b = 0; b < replicates; ++b) {
    use.clear();
    for (size_t k = 0; k < k_clusters; ++k) {
      for (size_t i : members[static_cast<size_t>(next() % k_clusters)]) use.push_back(i);
    }
    // The regression is refitted in every replicate, so that its uncertainty is in the interval.
    const std::vector<double> shift =
        p > 0 ? RegressionShift(treated, controls, dx, p, scale, use) : std::vector<double>{};
    const DidResult r = FromSums(SumPairs(treated, controls, use, shift), adjust);
    rel.push_back(r.relative);
    abs.push_back(r.absolute);
    naive.push_back(r.naive_relative);
  }
  out.relative_ci95 = Percentiles(std::move(rel));
  out.absolute_ci95 = Percentiles(std::move(abs));
  out.naive_relative_ci95 = Percentiles(std::move(naive));
  return out;
}

double StandardisedMeanDifference(std::span<const double> t, std::span<const double> c,
                                  std::span<const double> cw) {
  auto moments = [](std::span<const double> v, std::span<const double> w, double* mean,
                    double* var) {
    double s = 0, v1 = 0, v2 = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const double wi = w.empty() ? 1.0 : w[i];
      s += wi * v[i];
      v1 += wi;
      v2 += wi * wi;
    }
    *mean = v1 > 0 ? s / v1 : 0;
    double ss = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      ss += (w.empty() ? 1.0 : w[i]) * (v[i] - *mean) * (v[i] - *mean);
    }
    const double denom = v1 > 0 ? v1 - v2 / v1 : 0;
    *var = denom > 1e-12 ? ss / denom : 0;
  };
  double mt, vt, mc, vc;
  moments(t, {}, &mt, &vt);
  moments(c, cw, &mc, &vc);
  const double sd = std::sqrt((vt + vc) / 2);
  if (sd == 0) return mt == mc ? 0 : (mt > mc ? 1 : -1) * std::numeric_limits<double>::infinity();
  return (mt - mc) / sd;
}

}  // namespace pioneer::caretrak
