// Predict: score every candidate pair of a BlockIndex with a model.
//
// The hot loop computes each comparison's level straight from the prepared columns of the
// RecordSet (interned values, pre-parsed dates, pre-computed term frequencies and Soundex
// codes), adds the level weights and TF adjustments, and keeps the pair only if its match
// probability is at least keep_probability. Nothing is allocated per pair. Tasks (runs of
// blocks) are spread over `threads` workers; each task writes its own slot and the slots
// are concatenated in task order, then sorted by (a, b), so results do not depend on
// timing or thread count.
//
// Every scored pair (kept or not) is counted in a match-weight histogram (1-bit bins) and
// in the count of the rule that generated it.
// Thread safety: reads records, model and index only.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "pioneer/base/progress.h"
#include "pioneer/link/blocking.h"
#include "pioneer/link/model.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

struct ScoredPair {
  uint32_t a = 0, b = 0;  // record indices (a < b in dedupe; a left, b right in link-only)
  float weight = 0;       // match weight (log2 Bayes factor including the prior)
};

// Match-weight histogram: bin i counts weights in [kMin + i, kMin + i + 1); the first and
// last bins also take everything below / above.
struct WeightHistogram {
  static constexpr int kMin = -64;
  static constexpr int kBins = 128;
  std::vector<int64_t> counts = std::vector<int64_t>(kBins, 0);
  void Add(double w) {
    int bin = static_cast<int>(std::floor(w)) - kMin;
    bin = bin < 0 ? 0 : (bin >= kBins ? kBins - 1 : bin);
    ++counts[static_cast<size_t>(bin)];
  }
};

struct PredictOptions {
  double keep_probability = 0.05;  // pairs below are scored and counted but not kept
  int threads = 2;
};

struct PredictResult {
  std::vector<ScoredPair> pairs;  // kept pairs, sorted by (a, b)
  int64_t scored_pairs = 0;
  std::vector<int64_t> pairs_per_rule;
  WeightHistogram histogram;
  double seconds = 0;
};

PredictResult Predict(const RecordSet& records, const FellegiSunterModel& model,
                      const BlockIndex& index, const PredictOptions& options,
                      Progress* progress = nullptr);

}  // namespace pioneer::link
