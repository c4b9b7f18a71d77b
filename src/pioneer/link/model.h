// FellegiSunterModel: the parameters of a probabilistic linkage model and pair scoring.
//
// For every comparison c and level l > 0 the model holds m = P(level | match) and
// u = P(level | non-match) (each summing to 1 over the non-null levels), plus lambda, the
// prior probability that two random records match. The match weight of a pair is
//   w = log2(lambda / (1 - lambda)) + sum_c log2(m_c[l_c] / u_c[l_c]) + sum_c tf_c
// where null levels contribute 0, and the match probability is 2^w / (1 + 2^w).
//
// Term-frequency adjustment (as Splink): on the exact level of a comparison with
// term_frequency, tf_c = log2(u_c[exact]) - log2(max(tf_a, tf_b, tf_minimum)), tf being the
// share of records holding the value (record_set.h). Common values ("smith") lose weight,
// rare ones gain; the net exact-level weight is log2(m_exact / tf).
//
// Location strata (household-aware u). Within a household, family name, postcode, address and
// town agree together, so for a pair that shares an address the agreements of those fields are
// not independent evidence. A model may carry strata of the location comparison's levels
// (e.g. "same address", "same postcode"): for a pair whose location level falls in stratum s,
// every other comparison uses u_s = P(level | non-match, location in s) instead of u, and no
// TF adjustment (the frequency of a name says little once the address is shared):
//   w = prior + log2(m_loc / u_loc) + sum_{c != loc} log2(m_c / u_s,c)
// which is the Fellegi-Sunter weight with the non-match likelihood factored as
// P(location | U) x P(rest | location, U) (estimation.h says how u_s is estimated).
//
// Thread safety: immutable after construction; Score() is const and allocation-free.
#pragma once

#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/link/comparison.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

struct ComparisonParameters {
  std::vector<double> m, u;  // per level; index 0 (null) unused and kept 0
  double tf_minimum = 0;     // floor on the term frequency (0 = none)
};

struct LocationStrata {
  int comparison = -1;                    // the location comparison; -1 = no strata
  std::vector<uint8_t> stratum_of_level;  // per level of it: 0 = none, s = stratum s
  std::vector<std::string> names;         // per stratum s - 1 ("same address", ...)
  // u[s - 1][c][level]: u of comparison c given the location level is in stratum s (the
  // location comparison's own entry is unused and may be empty).
  std::vector<std::vector<std::vector<double>>> u;
  bool active() const { return comparison >= 0 && !u.empty(); }
};

class FellegiSunterModel {
 public:
  FellegiSunterModel() = default;
  // REQUIRES: params.size() == comparisons.size(), each with level_count entries;
  // 0 < lambda < 1; m and u > 0 on every non-null level.
  // strata: optional (see above); REQUIRES when active: u > 0 on every non-null level of
  // every comparison other than the location one.
  FellegiSunterModel(ComparisonSet comparisons, std::vector<ComparisonParameters> params,
                     double lambda, LocationStrata strata = {});

  const ComparisonSet& comparisons() const { return comparisons_; }
  const std::vector<ComparisonParameters>& params() const { return params_; }
  double lambda() const { return lambda_; }
  double prior_weight() const { return prior_weight_; }
  // log2(m/u) of a level (0 for null).
  double weight(size_t c, int level) const {
    return weights_[c * kMaxLevels + static_cast<size_t>(level)];
  }
  const LocationStrata& strata() const { return strata_; }
  // log2(m / u_s) of a level in stratum s (s = 0: the plain weight).
  double stratum_weight(int s, size_t c, int level) const {
    return s == 0 ? weight(c, level)
                  : strata_weights_[static_cast<size_t>(s - 1)]
                                   [c * kMaxLevels + static_cast<size_t>(level)];
  }
  // The stratum of a pair with these levels (0 = none).
  int StratumOf(const uint8_t* levels) const {
    return strata_loc_ == kNoStrata ? 0 : strata_.stratum_of_level[levels[strata_loc_]];
  }
  // What comparison c adds to the pair's weight (level weight, stratum and TF included), so
  // that prior + the sum over c equals Score(). levels as filled by Score().
  double Contribution(size_t c, const uint8_t* levels, const RecordSet& A, uint32_t a,
                      const RecordSet& B, uint32_t b) const;

  // Total match weight of a pair; fills levels[c] (size comparisons().size()).
  double Score(const RecordSet& A, uint32_t a, const RecordSet& B, uint32_t b,
               uint8_t* levels) const;
  // The term-frequency adjustment comparison c contributes for this pair at `level`.
  double TermFrequencyAdjustment(size_t c, int level, const RecordSet& A, uint32_t a,
                                 const RecordSet& B, uint32_t b) const;

  static double Probability(double weight) {
    return weight > 60 ? 1.0 : std::exp2(weight) / (1.0 + std::exp2(weight));
  }
  static double WeightForProbability(double p) { return std::log2(p / (1.0 - p)); }

  // Model parameters as JSON (comparisons, labels, m, u, weights, lambda) and back.
  nlohmann::json ToJson() const;
  static StatusOr<FellegiSunterModel> FromJson(const nlohmann::json& j);

 private:
  ComparisonSet comparisons_;
  std::vector<ComparisonParameters> params_;
  double lambda_ = 0.5;
  double prior_weight_ = 0;
  std::vector<double> weights_;         // [c * kMaxLevels + level]
  std::vector<double> log2_u_exact_;    // per comparison
  std::vector<float> log2_tf_minimum_;  // per comparison (-inf when no floor)
  std::vector<uint8_t> tf_;             // per comparison: TF on exact level
  static constexpr size_t kNoStrata = static_cast<size_t>(-1);
  LocationStrata strata_;
  size_t strata_loc_ = kNoStrata;
  std::vector<std::vector<double>> strata_weights_;  // [s - 1][c * kMaxLevels + level]
};

}  // namespace pioneer::link
