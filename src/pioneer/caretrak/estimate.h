// The arithmetic of a matched evaluation: difference-in-differences with a bootstrap
// confidence interval over matched pairs, the naive before/after, and standardised mean
// differences. Pure functions of their inputs, no timeline, so they have worked examples
// (estimate_test.cc).
//
// Rates are events per person-year: the sum of events over the sum of exposure (alive
// person-months / 12) in a group and period. With treated (T) and matched control (C) rates
// before (pre) and after (post) the index date:
//   absolute DiD   = (T_post - T_pre) - (C_post - C_pre)             per person-year
//   counterfactual = T_pre + (C_post - C_pre)      what the treated would have had
//   relative       = absolute / counterfactual     e.g. -0.2: 20% fewer than without
//   naive relative = T_post / T_pre - 1            the cohort alone: regression to the mean
// The 95% intervals are bootstrap percentiles (2.5th, 97.5th) over matched pairs resampled
// with replacement (a deterministic generator seeded by the caller).
// Standardised mean difference (Austin 2009): (mean_t - mean_c) / sqrt((var_t + var_c) / 2),
// sample variances (n - 1); 0 when both variances are 0 and the means are equal.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>

namespace pioneer::caretrak {

struct PersonOutcome {
  double pre = 0;            // events in the look-back
  double pre_exposure = 0;   // alive person-months in the look-back
  double post = 0;           // events in the follow-up
  double post_exposure = 0;  // alive person-months in the follow-up
};

struct DidResult {
  double treated_pre = 0, treated_post = 0, control_pre = 0, control_post = 0;  // per p-year
  double absolute = 0;                                                          // per person-year
  double counterfactual = 0;                                                    // per person-year
  double relative = 0;        // NaN when the counterfactual rate is not positive
  double naive_relative = 0;  // NaN when the treated pre rate is 0
};

// treated[i] is matched to controls[i]. REQUIRES: equal sizes.
DidResult DifferenceInDifferences(std::span<const PersonOutcome> treated,
                                  std::span<const PersonOutcome> controls);

struct Interval {
  double low = 0, high = 0;
  bool Contains(double x) const { return x >= low && x <= high; }
};

struct DidEstimate {
  DidResult point;
  Interval relative_ci95, absolute_ci95, naive_relative_ci95;
  int replicates = 0;
};

// Point estimate plus bootstrap intervals over pairs. REQUIRES: equal sizes, replicates > 0.
DidEstimate BootstrapDid(std::span<const PersonOutcome> treated,
                         std::span<const PersonOutcome> controls, int replicates, uint64_t seed);

double StandardisedMeanDifference(std::span<const double> treated,
                                  std::span<const double> controls);

// The p-th quantile (0..1) by linear interpolation between order statistics (type 7).
double Quantile(std::span<const double> sorted, double p);

}  // namespace pioneer::caretrak
