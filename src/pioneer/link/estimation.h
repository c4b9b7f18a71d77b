// Unsupervised estimation of a Fellegi-Sunter model (no labels), following Splink:
//
// 1. u from random pairs. The sample size is u_max_pairs, or by default (0) five pairs per
//    record, at least 1,000,000 and at most 10,000,000. If the job has no more possible pairs
//    than that, every pair is enumerated (exact); otherwise that many pairs are drawn with a
//    seeded generator (SplitMix64; chunk k uses seed + k, so the sample does not depend on
//    the thread count). Nearly all random pairs are non-matches, so level frequencies
//    estimate u. A level never seen in the sample gets u = 0.5 / (non-null pairs sampled).
// 2. m by expectation-maximisation on blocked pairs, one session per training rule, u held
//    fixed (Splink's default). Comparisons on fields used by a session's rule are left out
//    of that session (their levels are biased by the blocking) - and so is sex when the rule
//    uses given names, which imply sex - and each comparison's m is the mean over the
//    sessions that estimated it. EM runs over the distinct comparison patterns with their
//    counts (as fastLink), so an iteration costs microseconds. Capped blocks (blocking.h) are
//    sampled in a random, hashed order rather than by similarity, so training pairs are not
//    pre-selected for agreement. m starts from generic values (exact 0.8 ...) and is smoothed with
//    a pseudo-count of one match spread by those starting values, so a level absent from training
//    keeps a small m instead of log2(0).
//    Household strata (location_strata, when postcode and address are compared jointly):
//    a household session over the pairs sharing an address or a postcode estimates, by EM
//    with m fixed and u free per stratum, u of every other comparison given "same address" /
//    "same postcode" (model.h, LocationStrata); the training sessions then run again with
//    those u in their E-step, and the household session once more (two rounds).
//    Relatives' class (relatives_class): a session that compares both names (e.g. blocked
//    on date of birth) fits three classes - match (m), non-match (u) and relatives, whose
//    likelihood is m for every comparison except given name and sex, which take u (twins:
//    one date of birth, family name and address, other given names). Its share is free and
//    its m tied to the match class, so twins do not inflate m of "given name differs".
// 3. lambda (prior match probability) from deterministic rules: the number of pairs that
//    satisfy any rule (strict, e.g. same names and date of birth), divided by the rules'
//    recall and by the number of possible pairs. The recall is implied by the model itself
//    (P(all fields of a rule agree exactly | match) from the m of each exact level and
//    each field's non-null rate, combined over rules by inclusion-exclusion; for a rule on
//    both names, their joint P(both non-null and exact | match) is taken from the match
//    posterior of the session that compares both names, since names agree or disagree
//    together) unless deterministic_recall is given, as Splink's `recall` argument is.
//
// Determinism: sampling, blocking, pattern order and arithmetic order are fixed, so the
// same records and options give bit-identical parameters on any thread count.
// Thread safety: EstimateModel reads `records` only; run one at a time per RecordSet.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/link/blocking.h"
#include "pioneer/link/comparison.h"
#include "pioneer/link/model.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

struct EstimationOptions {
  int64_t u_max_pairs = 0;  // 0 = clamp(5 x records, 1e6, 1e7)
  uint64_t seed = 42;
  std::vector<BlockingRule> training_rules;       // empty = DefaultTrainingRules
  std::vector<BlockingRule> deterministic_rules;  // empty = DefaultDeterministicRules
  double deterministic_recall = 0;                // 0 = implied by the model; else in (0, 1]
  int em_max_iterations = 100;
  double em_tolerance = 1e-6;
  double m_pseudo_count = 1.0;
  int window = 100;  // blocking cap for training sessions (blocking.h)
  // Household-aware u (model.h, LocationStrata): when the postcode and address are compared
  // jointly, estimate u of every other comparison given "same address" / "same postcode".
  bool location_strata = true;
  double strata_u_pseudo_count = 10;  // prior weight (in pairs) of the overall u
  // Relatives' class in training sessions that compare both names (estimation.h, step 2).
  bool relatives_class = true;
  int threads = 2;
};

struct EmSession {
  std::string rule;
  int64_t pairs = 0;
  int64_t patterns = 0;
  int iterations = 0;
  bool converged = false;
  double match_share = 0;       // estimated share of matches among the session's pairs
  std::vector<bool> estimated;  // per comparison
};

struct EstimationReport {
  int64_t possible_pairs = 0;
  int64_t u_pairs = 0;
  bool u_exhaustive = false;
  std::vector<double> null_share;  // per comparison: share of sampled pairs at level null
  std::vector<EmSession> sessions;
  std::vector<std::string> deterministic_rules;
  int64_t deterministic_pairs = 0;
  double deterministic_recall = 0;
  double lambda = 0;
  std::vector<std::string> warnings;  // e.g. a comparison no session could estimate
  double seconds = 0;
};

// The u sample size EstimateModel uses for `records` with these options.
int64_t USamplePairs(const RecordSet& records, const EstimationOptions& options);

std::vector<BlockingRule> DefaultTrainingRules(const RecordSet& records);
std::vector<BlockingRule> DefaultDeterministicRules(const RecordSet& records);

// The strata of the location comparison (the joint postcode + address one): "same address"
// (exact+address, address) and "same postcode" (exact: an address missing); u left empty.
// comparison = -1 when there is no such comparison.
LocationStrata PlanLocationStrata(const ComparisonSet& comparisons);

// Number of possible pairs: n(n-1)/2 for dedupe, n0 * n1 for link-only.
int64_t PossiblePairs(const RecordSet& records, LinkType type);

StatusOr<FellegiSunterModel> EstimateModel(const RecordSet& records, LinkType type,
                                           const ComparisonSet& comparisons,
                                           const EstimationOptions& options,
                                           EstimationReport* report, Progress* progress = nullptr);

}  // namespace pioneer::link
