#include "pioneer/metrics/statistics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pioneer::metrics {
namespace {

double GammaSeries(double a, double x) {
  double ap = a, sum = 1.0 / a, del = sum;
  for (int n = 0; n < 10000; ++n) {
    ap += 1;
    del *= x / ap;
    sum += del;
    if (std::fabs(del) < std::fabs(sum) * 1e-16) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Q(a, x) by the modified Lentz continued fraction.
double GammaContinuedFraction(double a, double x) {
  const double tiny = 1e-300;
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::fabs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::fabs(c) < tiny) c = tiny;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < 1e-16) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double RegularizedGammaP(double a, double x) {
  if (x <= 0) return 0;
  if (x < a + 1) return GammaSeries(a, x);
  return 1 - GammaContinuedFraction(a, x);
}

double GammaPInverse(double a, double p) {
  if (p <= 0) return 0;
  // Bracket: P is increasing in x.
  double lo = 0, hi = std::max(1.0, a);
  while (RegularizedGammaP(a, hi) < p) hi *= 2;
  // Initial guess (Wilson-Hilferty), clamped into the bracket.
  double x = 0.5 * (lo + hi);
  for (int it = 0; it < 200; ++it) {
    double f = RegularizedGammaP(a, x) - p;
    if (f < 0) {
      lo = x;
    } else {
      hi = x;
    }
    // Newton step with the density; fall back to bisection when it leaves the bracket.
    double logpdf = (a - 1) * std::log(x) - x - std::lgamma(a);
    double pdf = std::exp(logpdf);
    double next = pdf > 0 ? x - f / pdf : 0.5 * (lo + hi);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (std::fabs(next - x) <= 1e-14 * x || hi - lo <= 1e-15 * hi) {
      return next;
    }
    x = next;
  }
  return x;
}

double ChiSquareQuantile(double p, double df) { return 2 * GammaPInverse(df / 2, p); }

Interval PoissonLimits95(double o) {
  if (o < 389) {
    double lower = o <= 0 ? 0 : ChiSquareQuantile(0.025, 2 * o) / 2;
    double upper = ChiSquareQuantile(0.975, 2 * o + 2) / 2;
    return {lower, upper};
  }
  const double z = 1.96;
  double lower = o * std::pow(1 - 1 / (9 * o) - z / (3 * std::sqrt(o)), 3);
  double o1 = o + 1;
  double upper = o1 * std::pow(1 - 1 / (9 * o1) + z / (3 * std::sqrt(o1)), 3);
  return {lower, upper};
}

Interval WilsonInterval95(double k, double n) {
  if (n <= 0) return {0, 0};
  const double z = 1.959963984540054;
  const double p = k / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

const std::array<double, 19>& Esp2013Weights() {
  static const std::array<double, 19> kWeights = {5000, 5500, 5500, 5500, 6000, 6000, 6500,
                                                  7000, 7000, 7000, 7000, 6500, 6000, 5500,
                                                  5000, 4000, 2500, 1500, 1000};
  return kWeights;
}

int Esp2013Band(int age) { return std::clamp(age / 5, 0, 18); }

std::optional<DirectlyStandardisedRate> DirectlyStandardise(const std::vector<StandardCell>& c) {
  double sum_w = 0, sum_rate = 0, sum_var = 0, observed = 0;
  bool any = false;
  for (const auto& cell : c) {
    if (cell.population <= 0) continue;
    any = true;
    sum_w += cell.weight;
    sum_rate += cell.weight * cell.events / cell.population;
    sum_var += cell.weight * cell.weight * cell.events / (cell.population * cell.population);
    observed += cell.events;
  }
  if (!any || sum_w <= 0) return std::nullopt;
  DirectlyStandardisedRate r;
  r.rate = sum_rate / sum_w * 100000;
  double var_dsr = sum_var / (sum_w * sum_w) * 1e10;  // per 100,000 squared
  Interval o = PoissonLimits95(observed);
  if (observed > 0) {
    double k = std::sqrt(var_dsr / observed);
    r.ci95 = {r.rate + k * (o.lower - observed), r.rate + k * (o.upper - observed)};
  } else {
    // No events: the spec's formula degenerates (Var(O) = 0); report [0, 0] conservatively
    // as the lower bound and leave the upper undefined as 0.
    r.ci95 = {0, 0};
  }
  return r;
}

}  // namespace pioneer::metrics
