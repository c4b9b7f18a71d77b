#include "pioneer/link/clustering.h"

#include <gtest/gtest.h>

namespace pioneer::link {
namespace {

TEST(ClusteringTest, ConnectedComponentsOverMatchEdges) {
  const std::vector<ScoredPair> pairs = {
      {0, 1, 10.0f}, {1, 2, 3.0f}, {3, 4, -2.0f} /* below threshold */, {5, 6, 0.0f}};
  ClusterOptions o;
  const Clustering c = ClusterPairs(7, pairs, o);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 0, 0, 1, 2, 3, 3}));
  EXPECT_EQ(c.clusters, 4u);
  EXPECT_EQ(c.edges, 3);
  EXPECT_EQ(c.merges, 3);
  EXPECT_EQ(c.largest, 3u);
}

TEST(ClusteringTest, SizeCapDropsWeakestChainingEdges) {
  // Two strong pairs joined by a weak edge; cap 2 keeps them apart.
  const std::vector<ScoredPair> pairs = {{0, 1, 20.0f}, {2, 3, 18.0f}, {1, 2, 1.0f}};
  ClusterOptions o;
  o.max_cluster_size = 2;
  const Clustering c = ClusterPairs(4, pairs, o);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 0, 1, 1}));
  EXPECT_EQ(c.rejected_size, 1);
}

TEST(ClusteringTest, BridgeGuardNeedsSupportBetweenGroups) {
  // {0,1,2} and {3,4} are tight; one edge 2-3 bridges them (1 of 6 cross pairs).
  std::vector<ScoredPair> pairs = {{0, 1, 20}, {0, 2, 20}, {1, 2, 20}, {3, 4, 20}, {2, 3, 5}};
  ClusterOptions o;
  o.min_bridge_share = 0.2;
  Clustering c = ClusterPairs(5, pairs, o);
  EXPECT_EQ(c.clusters, 2u);
  EXPECT_EQ(c.rejected_bridge, 1);
  // With two of six cross pairs matching (share 0.33 >= 0.2) they merge.
  pairs.push_back({1, 4, 4});
  c = ClusterPairs(5, pairs, o);
  EXPECT_EQ(c.clusters, 1u);
  // A singleton joins a group on one edge (the guard is for two established groups).
  pairs = {{0, 1, 20}, {1, 2, 3}};
  c = ClusterPairs(3, pairs, o);
  EXPECT_EQ(c.clusters, 1u);
  // Disabled guard: plain connected components.
  o.min_bridge_share = 0;
  pairs = {{0, 1, 20}, {0, 2, 20}, {1, 2, 20}, {3, 4, 20}, {2, 3, 5}};
  EXPECT_EQ(ClusterPairs(5, pairs, o).clusters, 1u);
}

TEST(ClusteringTest, ConflictGuardKeepsCannotLinkRecordsApart) {
  // 0-1 and 1-2 match, but 0 and 2 cannot be one person: 2 stays apart; 3 joins freely.
  const std::vector<ScoredPair> pairs = {{0, 1, 20}, {1, 2, 10}, {1, 3, 5}};
  ClusterOptions o;
  o.conflict = [](uint32_t a, uint32_t b) { return (a == 0 && b == 2) || (a == 2 && b == 0); };
  const Clustering c = ClusterPairs(4, pairs, o);
  EXPECT_EQ(c.cluster_of, (std::vector<uint32_t>{0, 0, 1, 0}));
  EXPECT_EQ(c.rejected_conflict, 1);
  o.conflict = nullptr;
  EXPECT_EQ(ClusterPairs(4, pairs, o).clusters, 1u);
}

TEST(ClusteringTest, LinkOnlyBridgeCountsCrossSourcePairs) {
  // Left {0,1} linked to right {2}, left {3} to right {4}. Between {0,1,2} and {3,4} the
  // possible cross-source pairs are 0-4, 1-4 and 2-3; the bridge 1-4 is one of three.
  const std::vector<uint8_t> source = {0, 0, 1, 0, 1};
  const std::vector<ScoredPair> pairs = {{0, 2, 20}, {1, 2, 20}, {3, 4, 20}, {1, 4, 2}};
  ClusterOptions o;
  o.min_bridge_share = 0.5;
  EXPECT_EQ(ClusterPairs(5, pairs, o, source).clusters, 2u);
  o.min_bridge_share = 0.3;
  EXPECT_EQ(ClusterPairs(5, pairs, o, source).clusters, 1u);
}

TEST(ClusteringTest, DeterministicWhateverTheInputOrder) {
  std::vector<ScoredPair> pairs = {{0, 1, 5}, {2, 3, 5}, {1, 2, 5}, {4, 5, 7}, {3, 4, 5}};
  ClusterOptions o;
  o.max_cluster_size = 3;
  const Clustering a = ClusterPairs(6, pairs, o);
  std::reverse(pairs.begin(), pairs.end());
  const Clustering b = ClusterPairs(6, pairs, o);
  EXPECT_EQ(a.cluster_of, b.cluster_of);
  EXPECT_LE(a.largest, 3u);
}

}  // namespace
}  // namespace pioneer::link
