#include "pioneer/caretrak/estimate.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace pioneer::caretrak {
namespace {

constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

struct Sums {
  double tpre = 0, tpre_x = 0, tpost = 0, tpost_x = 0, cpre = 0, cpre_x = 0, cpost = 0, cpost_x = 0;
  void Add(const PersonOutcome& t, const PersonOutcome& c) {
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

DidResult FromSums(const Sums& s) {
  DidResult r;
  r.treated_pre = Rate(s.tpre, s.tpre_x);
  r.treated_post = Rate(s.tpost, s.tpost_x);
  r.control_pre = Rate(s.cpre, s.cpre_x);
  r.control_post = Rate(s.cpost, s.cpost_x);
  r.absolute = (r.treated_post - r.treated_pre) - (r.control_post - r.control_pre);
  r.counterfactual = r.treated_pre + (r.control_post - r.control_pre);
  r.relative = r.counterfactual > 0 ? r.absolute / r.counterfactual : kNan;
  r.naive_relative = r.treated_pre > 0 ? r.treated_post / r.treated_pre - 1 : kNan;
  return r;
}

Interval Percentiles(std::vector<double> v) {
  std::erase_if(v, [](double x) { return std::isnan(x); });
  if (v.empty()) return {kNan, kNan};
  std::sort(v.begin(), v.end());
  return {Quantile(v, 0.025), Quantile(v, 0.975)};
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
                                  std::span<const PersonOutcome> controls) {
  Sums s;
  for (size_t i = 0; i < treated.size() && i < controls.size(); ++i) s.Add(treated[i], controls[i]);
  return FromSums(s);
}

DidEstimate BootstrapDid(std::span<const PersonOutcome> treated,
                         std::span<const PersonOutcome> controls, int replicates, uint64_t seed) {
  DidEstimate out;
  out.point = DifferenceInDifferences(treated, controls);
  out.replicates = replicates;
  const size_t n = std::min(treated.size(), controls.size());
  if (n == 0) return out;
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
  for (int b = 0; b < replicates; ++b) {
    Sums s;
    for (size_t k = 0; k < n; ++k) {
      const size_t i = static_cast<size_t>(next() % n);
      s.Add(treated[i], controls[i]);
    }
    const DidResult r = FromSums(s);
    rel.push_back(r.relative);
    abs.push_back(r.absolute);
    naive.push_back(r.naive_relative);
  }
  out.relative_ci95 = Percentiles(std::move(rel));
  out.absolute_ci95 = Percentiles(std::move(abs));
  out.naive_relative_ci95 = Percentiles(std::move(naive));
  return out;
}

double StandardisedMeanDifference(std::span<const double> t, std::span<const double> c) {
  auto moments = [](std::span<const double> v, double* mean, double* var) {
    double s = 0;
    for (double x : v) s += x;
    *mean = v.empty() ? 0 : s / v.size();
    double ss = 0;
    for (double x : v) ss += (x - *mean) * (x - *mean);
    *var = v.size() > 1 ? ss / (v.size() - 1) : 0;
  };
  double mt, vt, mc, vc;
  moments(t, &mt, &vt);
  moments(c, &mc, &vc);
  const double sd = std::sqrt((vt + vc) / 2);
  if (sd == 0) return mt == mc ? 0 : (mt > mc ? 1 : -1) * std::numeric_limits<double>::infinity();
  return (mt - mc) / sd;
}

}  // namespace pioneer::caretrak
