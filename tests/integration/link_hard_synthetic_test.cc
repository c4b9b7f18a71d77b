// Linkage accuracy on hard synthetic people (link/synthetic_people.h: nicknames, typos,
// day-month swaps, 25% missing dates of birth and postcodes, movers, swapped names, households
// and twins sharing family name, address and postcode), on several seeds, through the same
// pipeline as `pioneer match --dedupe` (unsupervised; truth read only to score).
//
// Asserted floors are the measured figures (docs/linkage.md, "Hard synthetic people") less a
// margin for seed-to-seed spread. Of the targets (pairwise F1 0.92, blocking recall ceiling
// 0.98, cluster exact-match share 0.85) the ceiling and the exact-match share are asserted
// above the target on this set size (measured 0.989-0.993 and 0.876-0.904 on seeds 1-5); F1
// measures 0.917-0.928 here (0.907-0.910 at 20,000 records) and its floor is below the
// target - the values are printed beside the targets.
#include <gtest/gtest.h>

#include <cstdio>

#include "pioneer/link/evaluation.h"
#include "pioneer/link/linker.h"
#include "pioneer/link/synthetic_people.h"

namespace pioneer::link {
namespace {

class HardSyntheticTest : public ::testing::TestWithParam<uint64_t> {};

TEST_P(HardSyntheticTest, AccuracyBlockingAndClusters) {
  SyntheticPeopleOptions o;
  o.records = 5000;
  o.seed = GetParam();
  auto people = GenerateSyntheticPeople(o);
  ASSERT_TRUE(people.ok());
  RecordSet rs;
  std::vector<int64_t> truth;
  for (const SyntheticRecord& r : people->records) {
    rs.Add(r.record, 0);
    truth.push_back(r.person);
  }
  LinkSettings s;
  s.type = LinkType::kDedupe;
  s.min_bridge_share = 0.5;        // as `pioneer match`
  s.birth_date_conflict_bits = 6;  // as `pioneer match`
  auto r = LinkRecords(rs, s);
  ASSERT_TRUE(r.ok()) << r.status().ToString();

  std::vector<RecordPair> predicted;
  const double threshold = FellegiSunterModel::WeightForProbability(0.5);
  for (const ScoredPair& p : r->prediction.pairs) {
    if (p.weight >= threshold) predicted.emplace_back(p.a, p.b);
  }
  const PairwiseMetrics pm = EvaluatePairs(predicted, truth);
  const BlockIndex index(rs, r->prediction_rules, s.type, s.window);
  const BlockingCoverage bc = EvaluateBlockingCoverage(index, truth);
  const ClusterMetrics cm = EvaluateClusters(r->clustering.cluster_of, truth);
  std::printf(
      "seed %llu: %zu records, %lld true pairs, %lld scored; F1 %.4f (P %.4f R %.4f; target "
      "0.92); recall ceiling %.4f (target 0.98; estimated without labels %.4f); cluster "
      "exact-match share %.4f (target 0.85), cluster precision %.4f\n",
      static_cast<unsigned long long>(GetParam()), people->records.size(),
      static_cast<long long>(pm.true_pairs), static_cast<long long>(r->prediction.scored_pairs),
      pm.f1, pm.precision, pm.recall, bc.recall_ceiling, r->estimated_recall_ceiling,
      cm.exact_match_share, cm.precision);
  EXPECT_EQ(bc.true_pairs, pm.true_pairs);
  // Recall can never exceed what blocking generates.
  EXPECT_LE(pm.recall, bc.recall_ceiling + 1e-12);
  EXPECT_GE(bc.recall_ceiling, 0.985);
  EXPECT_GE(pm.f1, 0.91);
  EXPECT_GE(pm.precision, 0.95);
  EXPECT_GE(pm.recall, 0.87);
  EXPECT_GE(cm.exact_match_share, 0.87);
}

INSTANTIATE_TEST_SUITE_P(Seeds, HardSyntheticTest, ::testing::Values(1u, 2u, 3u));

}  // namespace
}  // namespace pioneer::link
