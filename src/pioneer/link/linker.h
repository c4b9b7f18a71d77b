// LinkRecords: the whole unsupervised linkage pipeline - records in, decisions out.
//
//   term frequencies -> estimate the model (estimation.h: u by random sampling, m by EM,
//   lambda from deterministic rules) -> block (blocking.h) -> score every candidate pair
//   (predict.h) -> decide each pair -> cluster (clustering.h).
//
// Decisions (three outcomes per scored pair, on match probability p):
//   p >= match_probability                       -> match (an edge for clustering)
//   review_probability <= p < match_probability  -> clerical review
//   p < review_probability                       -> non-match (counted, not kept)
// Defaults: match 0.5 (fixed before looking at any labels), review 0.05.
//
// `pioneer match` (CSV files) and, in phase 2, `pioneer link --db` (stored records) are thin
// layers over this function. Works for dedupe (one source) and link-only (sources 0 and 1)
// jobs.
// Determinism: same records and settings -> identical model, pairs and clusters, whatever
// the thread count.
// Thread safety: computes term frequencies into `records` (so it takes it mutable); one
// call at a time per RecordSet.
#pragma once

#include <vector>

#include "pioneer/base/parallel.h"
#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/link/blocking.h"
#include "pioneer/link/clustering.h"
#include "pioneer/link/comparison.h"
#include "pioneer/link/estimation.h"
#include "pioneer/link/model.h"
#include "pioneer/link/predict.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

enum class PairDecision { kNonMatch, kReview, kMatch };
const char* PairDecisionName(PairDecision d);  // "non-match", "review", "match"

struct LinkSettings {
  LinkType type = LinkType::kDedupe;
  std::vector<ComparisonSpec> comparisons;     // empty = DefaultComparisons(records, ...)
  std::vector<BlockingRule> prediction_rules;  // empty = DefaultPredictionRules(records)
  EstimationOptions estimation;                // its window/threads are overridden below
  int window = 100;                            // blocking cap (blocking.h)
  int threads = DefaultThreads();
  double match_probability = 0.5;
  double review_probability = 0.05;
  int max_cluster_size = 1000;
  double min_bridge_share = 0;
  // Clustering's conflict guard: two records whose dates of birth compare at a level the
  // estimated model weighs at or below -birth_date_conflict_bits (log2 m/u: that much
  // likelier between different people than for one person) are never put in one cluster;
  // pairwise decisions are unchanged. The data decide which levels conflict: where dates
  // are rarely wrong for one person, "years apart" does; where they often are, nothing
  // does. 0 = off.
  double birth_date_conflict_bits = 0;
};

struct LinkResult {
  FellegiSunterModel model;
  EstimationReport estimation;
  std::vector<BlockingRule> prediction_rules;
  std::vector<BlockingStats> blocking;  // per prediction rule
  PredictResult prediction;             // pairs with p >= review_probability
  Clustering clustering;
  double seconds = 0;  // whole pipeline
  // Candidate pairs the blocking rules will generate, counted before scoring (pairs shared
  // by several rules counted once per rule, so an upper bound on the pairs scored).
  int64_t candidate_pairs_estimate = 0;
  // Unsupervised estimate of the blocking recall ceiling: the matches expected among the
  // scored pairs (sum of match probabilities, from the 1-bit weight histogram) over the
  // matches expected among all pairs (lambda x possible pairs), capped at 1. Needs no
  // labels; as good as the model's calibration and lambda (EvaluateBlockingCoverage
  // measures it when truth is known).
  double estimated_recall_ceiling = 0;

  PairDecision Decide(const ScoredPair& p, const LinkSettings& s) const;
};

StatusOr<LinkResult> LinkRecords(RecordSet& records, const LinkSettings& settings,
                                 Progress* progress = nullptr);

// Source tags of every record, for link-only evaluation and clustering (empty for dedupe).
std::vector<uint8_t> SourcesOf(const RecordSet& records, LinkType type);

}  // namespace pioneer::link
