#include "pioneer/link/evaluation.h"

#include <gtest/gtest.h>

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
  const std::vector<RecordPair> pred = {{0, 4}, {2, 5}, {0, 1} /* same source: ignored */,
                                        {3, 5}};
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

}  // namespace
}  // namespace pioneer::link
