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
// Thread safety: immutable after construction; Score() is const and allocation-free.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pioneer/base/status.h"
#include "pioneer/link/comparison.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

struct ComparisonParameters {
  std::vector<double> m, u;  // per level; index 0 (null) unused and kept 0
  double tf_minimum = 0;     // floor on the term frequency (0 = none)
};

class FellegiSunterModel {
 public:
  FellegiSunterModel() = default;
  // REQUIRES: params.size() == comparisons.size(), each with level_count entries;
  // 0 < lambda < 1; m and u > 0 on every non-null level.
  FellegiSunterModel(ComparisonSet comparisons, std::vector<ComparisonParameters> params,
                     double lambda);

  const ComparisonSet& comparisons() const { return comparisons_; }
  const std::vector<ComparisonParameters>& params() const { return params_; }
  double lambda() const { return lambda_; }
  double prior_weight() const { return prior_weight_; }
  // log2(m/u) of a level (0 for null).
  double weight(size_t c, int level) const { return weights_[c * kMaxLevels + static_cast<size_t>(level)]; }

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
};

}  // namespace pioneer::link
