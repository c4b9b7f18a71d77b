// Statistics for metric values: the chi-square quantile (via the regularised incomplete gamma
// function and its inverse), exact Poisson (Dobson) and Byar limits, the European Standard
// Population 2013 and directly standardised rates with 95% confidence intervals, all as
// docs/metrics.md describes (direct standardisation to the European Standard Population 2013).
//
// Accuracy: RegularizedGammaP to ~1e-14 relative (series below a+1, Lentz continued fraction
// above); GammaPInverse refines by Newton/Halley steps inside a bisection bracket to 1e-12.
// Pinned against published chi-square tables in statistics_test.cc.
// Thread safety: pure functions.
#pragma once

#include <array>
#include <optional>
#include <vector>

namespace pioneer::metrics {

// P(a, x) = γ(a, x) / Γ(a), a > 0, x >= 0.
double RegularizedGammaP(double a, double x);
// x such that P(a, x) = p, for 0 <= p < 1, a > 0.
double GammaPInverse(double a, double p);
// Lower-tail chi-square quantile Q(p; df).
double ChiSquareQuantile(double p, double df);

struct Interval {
  double lower = 0;
  double upper = 0;
};
// 95% limits for a Poisson count O: Dobson exact (chi-square) for O < 389, Byar otherwise.
Interval PoissonLimits95(double observed);

// 95% Wilson score interval of a proportion k / n (0 <= k <= n, n > 0), as fractions in
// [0, 1] (Newcombe 1998; the interval PHE and NHS Digital use for proportions).
Interval WilsonInterval95(double k, double n);

// ESP2013 weights for the 19 five-year bands 0-4 .. 85-89, 90+ (total 100,000).
const std::array<double, 19>& Esp2013Weights();
// Band index 0..18 of an age in years.
int Esp2013Band(int age);

// One standardisation cell: events and population in one (age band[, sex]) group.
struct StandardCell {
  double weight = 0;
  double events = 0;
  double population = 0;
};
struct DirectlyStandardisedRate {
  double rate = 0;  // per 100,000
  Interval ci95;
};
// DSR = Σ w·O/n / Σw × 100000 with the 1.8 CI. Cells with population 0 are dropped (their
// events cannot be standardised; the caller reports them). nullopt when no cell has
// population.
std::optional<DirectlyStandardisedRate> DirectlyStandardise(const std::vector<StandardCell>& c);

}  // namespace pioneer::metrics
