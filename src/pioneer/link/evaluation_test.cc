#include "pioneer/link/evaluation.h"

#include <gtest/gtest.h>

#include "pioneer/link/link_test_util.h"

namespace pioneer::link {
namespace {

TEST(EvaluationTest, DedupePrecisionRecallF1) {
  // Clusters {0,1,2} {3,4} {5}: true pairs 3 + 1 = 4.
  const std::vector<int64_t> truth = {7, 7, 7, 9, 9, 11};
  // Predicted: (0,1) TP, (2,1) TP (reversed order), (1,0) duplicate, (3,5) FP.
  const std::vector<RecordPair> pred = {{0, 1}, {2, 1}, {1, 0}, {3, 5}};
  const PairwiseMetrics m = EvaluatePairs(pred, truth);
  EXPECT_EQ(m.true_pairs, 4);
  EXPECT_EQ(m.predicted_pairs, 3);
  EXPECT_EQ(m.true_positives, 2);
  EXPECT_EQ(m.false_positives, 1);
  EXPECT_EQ(m.false_negatives, 2);
  EXPECT_DOUBLE_EQ(m.precision, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(m.recall, 0.5);
  EXPECT_DOUBLE_EQ(m.f1, 2 * (2.0 / 3.0) * 0.5 / (2.0 / 3.0 + 0.5));
}

TEST(EvaluationTest, LinkOnlyCountsCrossSourcePairsOnly) {
  // Person 1: two records on the left, one on the right -> 2 true cross pairs.
  // Person 2: one left, one right -> 1. Person 3: left only -> 0.
  const std::vector<int64_t> truth = {1, 1, 2, 3, 1, 2};
  const std::vector<uint8_t> source = {0, 0, 0, 0, 1, 1};
  const std::vector<RecordPair> pred = {{0, 4}, {2, 5}, {0, 1} /* same source: ignored */, {3, 5}};
  const PairwiseMetrics m = EvaluatePairs(pred, truth, source);
  EXPECT_EQ(m.true_pairs, 3);
  EXPECT_EQ(m.true_positives, 2);
  EXPECT_EQ(m.predicted_pairs, 4);
  EXPECT_EQ(m.false_negatives, 1);
}

TEST(EvaluationTest, EmptyInputsGiveZeros) {
  const PairwiseMetrics m = EvaluatePairs({}, std::vector<int64_t>{1, 2, 3});
  EXPECT_EQ(m.true_pairs, 0);
  EXPECT_EQ(m.precision, 0);
  EXPECT_EQ(m.recall, 0);
  EXPECT_EQ(m.f1, 0);
}

TEST(EvaluationTest, PairsFromClustersAndLabels) {
  const std::vector<uint32_t> clusters = {0, 0, 1, 0, 2, 1};
  auto pairs = PairsFromClusters(clusters);
  EXPECT_EQ(pairs, (std::vector<RecordPair>{{0, 1}, {0, 3}, {1, 3}, {2, 5}}));
  const std::vector<uint8_t> source = {0, 1, 0, 1, 0, 1};
  pairs = PairsFromClusters(clusters, source);
  EXPECT_EQ(pairs, (std::vector<RecordPair>{{0, 1}, {0, 3}, {2, 5}}));
  const std::vector<std::string> text = {"b", "a", "b", "c"};
  EXPECT_EQ(LabelsFromStrings(text), (std::vector<int64_t>{0, 1, 0, 2}));
  // Perfect prediction from clusters scores 1.
  const std::vector<int64_t> truth = {5, 5, 6, 5, 7, 6};
  const PairwiseMetrics m = EvaluatePairs(PairsFromClusters(clusters), truth);
  EXPECT_EQ(m.f1, 1.0);
}

TEST(EvaluationTest, ClusterMetricsWorkedExample) {
  // People: A = {0,1,2}, B = {3,4}, C = {5}, D = {6}.
  // Predicted: {0,1} {2} (A split), {3,4} (B exact), {5,6} (C and D merged).
  const std::vector<int64_t> truth = {0, 0, 0, 1, 1, 2, 3};
  const std::vector<uint32_t> clusters = {10, 10, 11, 12, 12, 13, 13};
  const ClusterMetrics m = EvaluateClusters(clusters, truth);
  EXPECT_EQ(m.true_clusters, 4);
  EXPECT_EQ(m.predicted_clusters, 4);
  EXPECT_EQ(m.exact, 1);  // only B
  EXPECT_DOUBLE_EQ(m.exact_match_share, 0.25);
  EXPECT_DOUBLE_EQ(m.precision, 0.25);
  EXPECT_DOUBLE_EQ(m.f1, 0.25);
  // Perfect clustering.
  const ClusterMetrics p = EvaluateClusters(std::vector<uint32_t>{0, 0, 0, 1, 1, 2, 3}, truth);
  EXPECT_EQ(p.exact, 4);
  EXPECT_DOUBLE_EQ(p.exact_match_share, 1.0);
}

TEST(EvaluationTest, BlockingCoverageCountsTruePairsAnyRuleGenerates) {
  using testing::P;
  using testing::Rec;
  RecordSet rs;
  rs.Add(Rec({.id = "0", .given = "ann", .family = "smith", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "1", .given = "ann", .family = "smyth", .dob = "1970-01-02"}));
  rs.Add(Rec({.id = "2", .given = "anne", .family = "smith", .dob = "1971-01-02"}));
  rs.Add(Rec({.id = "3", .given = "bob", .family = "jones", .dob = "1980-05-06"}));
  rs.Add(Rec({.id = "4", .given = "rob", .family = "jonse", .dob = "1981-05-06"}));
  auto rule = ParseBlockingRule("birth_date");
  ASSERT_TRUE(rule.ok());
  const BlockIndex index(rs, {*rule}, LinkType::kDedupe, 100);
  // True pairs: (0,1) (0,2) (1,2) (3,4) = 4; only (0,1) shares a birth date.
  const std::vector<int64_t> truth = {0, 0, 0, 1, 1};
  const BlockingCoverage c = EvaluateBlockingCoverage(index, truth);
  EXPECT_EQ(c.true_pairs, 4);
  EXPECT_EQ(c.generated, 1);
  EXPECT_DOUBLE_EQ(c.recall_ceiling, 0.25);
}

}  // namespace
}  // namespace pioneer::link
