// Clustering: turns pairwise match decisions into entities (one cluster id per record).
//
// Edges are the scored pairs with match weight >= threshold_weight. Clusters are the
// connected components of those edges, built strongest edge first (Kruskal order: weight
// descending, then (a, b) ascending for ties) with an over-merge guard:
//
//  * size cap: an edge that would join two components into one larger than
//    max_cluster_size records is not used (it is counted in rejected_edges). Because
//    edges arrive strongest first, the links that are dropped are the weakest ones that
//    would chain separate people together ("split on weakest edges").
//  * bridge guard: when both components already hold two or more records, the merge also
//    needs enough direct support - at least min_bridge_share of the record pairs across
//    the two components must themselves be match edges (counted over all match edges, not
//    just those processed so far). A single chance link between two established people
//    therefore does not merge them. min_bridge_share = 0 disables the guard (plain
//    connected components up to the size cap).
//  * conflict guard (optional): a merge is refused when any record of one component and
//    any record of the other are known to be different people (ClusterOptions::conflict;
//    the linker passes dates of birth the model says conflict - see linker.h). Counted in
//    rejected_conflict.
//
// Cluster ids are dense, numbered in order of each cluster's lowest record index, so the
// result is deterministic. Records with no edge are singleton clusters.
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "pioneer/link/predict.h"

namespace pioneer::link {

struct ClusterOptions {
  double threshold_weight = 0;  // probability 0.5
  int max_cluster_size = 1000;
  double min_bridge_share = 0;
  // Optional cannot-link test: true when records a and b cannot be one person. Empty =
  // no conflict guard.
  std::function<bool(uint32_t, uint32_t)> conflict;
};

struct Clustering {
  std::vector<uint32_t> cluster_of;  // per record
  uint32_t clusters = 0;
  int64_t edges = 0;              // match edges considered
  int64_t merges = 0;             // edges that joined two components
  int64_t rejected_size = 0;      // edges refused by the size cap
  int64_t rejected_bridge = 0;    // edges refused by the bridge guard
  int64_t rejected_conflict = 0;  // edges refused by the conflict guard
  uint32_t largest = 0;
};

// source: per-record source (link-only jobs: only cross-source record pairs count as
// possible pairs for the bridge guard); empty for dedupe.
Clustering ClusterPairs(uint32_t records, std::span<const ScoredPair> pairs,
                        const ClusterOptions& options, std::span<const uint8_t> source = {});

}  // namespace pioneer::link
