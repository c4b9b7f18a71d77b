// The comparison group: a propensity score from pre-index features, then greedy nearest-
// neighbour 1:1 (or 1:k) matching without replacement on the logit of the score, exact on a stratum
// (age band and sex), within a caliper of `caliper_sd` standard deviations of the logit
// (0.2 by default: Austin, Pharm Stat 2011;10:150-161).
//
// FitPropensity fits treated ~ features by logistic regression (iteratively reweighted least
// squares on standardised columns with a small ridge penalty, so that separation or constant
// columns cannot make it diverge) and returns each row's linear predictor (logit).
// Match processes treated rows from the highest score down (the hardest to match first) and
// takes, within the stratum, the unused candidate row with the nearest logit inside the
// caliper; ties go to the lower row number. Every candidate row is used at most once, and never
// for a treated row of its own person (group). With `reuse_groups` false a candidate person is
// also used at most once, however many candidate rows (index dates) it has; with it true a
// person may serve several treated rows at different index dates, as in a sequence of target
// trials (Hernan and Robins, Am J Epidemiol 2016;183:758-764), where everyone at risk at an
// index date is a candidate: limiting each person to one row under-represents people with many
// index dates (frequent attenders) in the comparison group (docs/caretrak.md, "Why comparison
// people may be used more than once"). Deterministic.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::caretrak {

// x: rows x cols, row-major. Errors: kInvalidArgument when no row or every row is treated or
// none is; kInternal when the normal equations cannot be solved.
StatusOr<std::vector<double>> FitPropensity(std::span<const double> x, int cols,
                                            std::span<const uint8_t> treated, double ridge = 1.0);

struct MatchResult {
  std::vector<int64_t> control_of;  // per row: the matched candidate row for treated rows, else -1
  double caliper = 0;               // on the logit scale
  int64_t matched = 0;
  int64_t unmatched = 0;     // treated rows without a candidate inside the caliper
  int64_t matched_fine = 0;  // first match inside their fine cell too
  // 1:k matching: controls_of[row * ratio + j] is the row's (j+1)-th control (-1 none); a
  // matched treated row may have fewer than `ratio` when the caliper runs out.
  int ratio = 1;
  std::vector<int64_t> controls_of;
  int64_t controls = 0;  // candidate rows used
};

// group: person id per row; stratum: exact-match cell. `fine` (empty, or one per row): a finer
// cell inside the stratum (e.g. the GP practice) tried first: a treated row takes the nearest
// candidate of its stratum and fine cell inside the caliper if there is one, else the nearest
// of its stratum; a negative fine cell (unknown) goes straight to the stratum.
// `ratio` k >= 1: 1:k matching in k passes (Austin, Stat Med 2010;29:2137-2148): pass j gives
// each treated row that found j controls the nearest usable candidate left, highest score
// first, so every treated row gets its first control before any gets its second.
MatchResult Match(std::span<const double> logit, std::span<const uint8_t> treated,
                  std::span<const int32_t> stratum, std::span<const uint32_t> group,
                  double caliper_sd, bool reuse_groups = false, std::span<const int32_t> fine = {},
                  int ratio = 1);

}  // namespace pioneer::caretrak
