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
// Comparison people enrolled later receive the scheme for part of their follow-up, which
// pulls the estimate towards zero. The adjusted estimate removes that by iterative parameter
// estimation (Branson and Whitehead, Stat Med 2002;21:2449-2463; NICE DSU TSD 16): with the
// current relative effect e, a comparison person's events after their own enrolment count as
// events / (1 + e), what they would have had without the scheme; the DiD is recomputed and
// iterated to a fixed point (at most 200 steps, e kept above -0.95). It assumes the scheme
// has the same relative effect on those enrolled later. relative_unadjusted is the DiD
// without it; absolute and counterfactual use the adjusted comparison rate.
// The 95% intervals are bootstrap percentiles (2.5th, 97.5th) over matched pairs resampled
// with replacement (a deterministic generator seeded by the caller); when pairs share a person
// (a comparison person matched at several index dates), the pairs of one cluster are resampled
// together, so that the interval is not made narrower by counting one person's admissions as
// independent draws (a cluster bootstrap; Field and Welsh, J R Stat Soc B 2007;69:369-390).
// Regression adjustment of the matched DiD (doubly robust: unbiased when either the matching
// or the outcome regression removes the confounding; Rubin, J Am Stat Assoc 1979;74:318-328;
// Abadie and Imbens, J Bus Econ Stat 2011;29:1-11): matching leaves differences inside the
// caliper, and the change in an activity rate depends strongly on its level before (regression
// to the mean), so a small difference in prior activity becomes a difference in the change.
// Over the pairs, a weighted least-squares regression of the pair's difference in per-person
// rate changes, d_i = (T_post,i - T_pre,i) - (C_post,i - C_pre,i), on its covariate
// differences dx_i (standardised; intercept unpenalised, a ridge of 1e-4 per pair on the slopes
// only to keep collinear columns solvable; weights the
// shorter follow-up exposure of the pair, normalised to sum to the number of pairs) gives
// beta; each control's post-index rate is then moved by beta'dx_i (events + beta'dx_i x
// exposure / 12), what the control would have had with the treated member's covariates, and
// the DiD is computed as above. The bootstrap refits beta in every replicate.
// Standardised mean difference (Austin 2009): (mean_t - mean_c) / sqrt((var_t + var_c) / 2),
// sample variances (n - 1); 0 when both variances are 0 and the means are equal.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pioneer::caretrak {

struct PersonOutcome {
  double pre = 0;            // events in the look-back
  double pre_exposure = 0;   // alive person-months in the look-back
  double post = 0;           // events in the follow-up
  double post_exposure = 0;  // alive person-months in the follow-up
  // Comparison people enrolled in the scheme during their follow-up: the part of `post` on or
  // after their own enrolment (0 for everyone else).
  double post_after_own_enrolment = 0;
};

struct DidResult {
  double treated_pre = 0, treated_post = 0, control_pre = 0, control_post = 0;  // per p-year
  double absolute = 0;                                                          // per person-year
  double counterfactual = 0;                                                    // per person-year
  double relative = 0;              // NaN when the counterfactual rate is not positive
  double relative_unadjusted = 0;   // without the later-enrolment adjustment
  double naive_relative = 0;        // NaN when the treated pre rate is 0
  double relative_unregressed = 0;  // without the regression adjustment (== relative when off)
};

// treated[i] is matched to controls[i] (with 1:k matching, controls[i] is the mean of the k
// comparison people's outcomes: events and exposures averaged). REQUIRES: equal sizes.
// `adjust`: the later-enrolment adjustment above (without it, relative ==
// relative_unadjusted). `dx` (empty, or pairs x p, row-major): the regression adjustment
// below, on the covariate differences treated minus matched controls.
DidResult DifferenceInDifferences(std::span<const PersonOutcome> treated,
                                  std::span<const PersonOutcome> controls, bool adjust = true,
                                  std::span<const double> dx = {}, int p = 0);

struct Interval {
  double low = 0, high = 0;
  bool Contains(double x) const { return x >= low && x <= high; }
};

struct DidEstimate {
  DidResult point;
  Interval relative_ci95, absolute_ci95, naive_relative_ci95;
  int replicates = 0;
};

// Point estimate plus bootstrap intervals over pairs. `cluster` (empty, or one id per pair,
// ids 0..k-1): pairs with the same id are drawn together; empty means every pair is its own
// cluster (the same draws as ids 0..n-1). REQUIRES: equal sizes, replicates > 0.
DidEstimate BootstrapDid(std::span<const PersonOutcome> treated,
                         std::span<const PersonOutcome> controls, int replicates, uint64_t seed,
                         std::span<const int32_t> cluster = {}, bool adjust = true,
                         std::span<const double> dx = {}, int p = 0);

// Cluster ids (0..k-1, in order of first appearance) for pairs (a[i], b[i]) of person ids:
// two pairs are in one cluster when they share a person, directly or through other pairs
// (connected components).
std::vector<int32_t> PairClusters(std::span<const uint32_t> a, std::span<const uint32_t> b);

// `control_weights` (empty: all 1): weighted mean and reliability-weighted variance of the
// controls (sum w (x - m)^2 / (V1 - V2 / V1)), as for 1:k matched sets weighted 1/k.
double StandardisedMeanDifference(std::span<const double> treated, std::span<const double> controls,
                                  std::span<const double> control_weights = {});

// The p-th quantile (0..1) by linear interpolation between order statistics (type 7).
double Quantile(std::span<const double> sorted, double p);

}  // namespace pioneer::caretrak
