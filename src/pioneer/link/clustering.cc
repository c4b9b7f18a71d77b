#include "pioneer/link/clustering.h"

#include <algorithm>
#include <numeric>

namespace pioneer::link {

Clustering ClusterPairs(uint32_t n, std::span<const ScoredPair> pairs, const ClusterOptions& opt,
                        std::span<const uint8_t> source) {
  Clustering out;
  std::vector<uint32_t> edges;  // indices into pairs
  for (uint32_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].weight >= opt.threshold_weight) edges.push_back(i);
  }
  out.edges = static_cast<int64_t>(edges.size());
  std::sort(edges.begin(), edges.end(), [&](uint32_t x, uint32_t y) {
    const ScoredPair& p = pairs[x];
    const ScoredPair& q = pairs[y];
    if (p.weight != q.weight) return p.weight > q.weight;
    if (p.a != q.a) return p.a < q.a;
    return p.b < q.b;
  });
  // Adjacency of match edges (for the bridge guard).
  std::vector<uint32_t> adj_start(n + 1, 0), adj;
  if (opt.min_bridge_share > 0) {
    for (uint32_t e : edges) {
      ++adj_start[pairs[e].a + 1];
      ++adj_start[pairs[e].b + 1];
    }
    for (uint32_t i = 0; i < n; ++i) adj_start[i + 1] += adj_start[i];
    adj.resize(adj_start[n]);
    std::vector<uint32_t> fill(adj_start.begin(), adj_start.end() - 1);
    for (uint32_t e : edges) {
      adj[fill[pairs[e].a]++] = pairs[e].b;
      adj[fill[pairs[e].b]++] = pairs[e].a;
    }
  }
  std::vector<uint32_t> parent(n), size(n, 1), left_count(n, 0);
  std::iota(parent.begin(), parent.end(), 0u);
  std::vector<std::vector<uint32_t>> members;
  if (opt.min_bridge_share > 0 || opt.conflict) {
    members.resize(n);
    for (uint32_t i = 0; i < n; ++i) members[i] = {i};
  }
  const bool link = !source.empty();
  for (uint32_t i = 0; i < n; ++i) left_count[i] = link && source[i] == 0 ? 1 : 0;
  auto find = [&](uint32_t x) {
    while (parent[x] != x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  for (uint32_t e : edges) {
    uint32_t x = find(pairs[e].a), y = find(pairs[e].b);
    if (x == y) continue;
    if (size[x] + size[y] > static_cast<uint32_t>(opt.max_cluster_size)) {
      ++out.rejected_size;
      continue;
    }
    if (opt.min_bridge_share > 0 && size[x] >= 2 && size[y] >= 2) {
      if (size[x] > size[y]) std::swap(x, y);
      int64_t cross = 0;
      for (uint32_t r : members[x]) {
        for (uint32_t k = adj_start[r]; k < adj_start[r + 1]; ++k) {
          if (find(adj[k]) == y) ++cross;
        }
      }
      const int64_t possible =
          link ? static_cast<int64_t>(left_count[x]) * (size[y] - left_count[y]) +
                     static_cast<int64_t>(size[x] - left_count[x]) * left_count[y]
               : static_cast<int64_t>(size[x]) * size[y];
      if (possible > 0 &&
          static_cast<double>(cross) < opt.min_bridge_share * static_cast<double>(possible)) {
        ++out.rejected_bridge;
        continue;
      }
    }
    if (opt.conflict) {
      bool conflict = false;
      for (uint32_t r : members[x]) {
        for (uint32_t q : members[y]) {
          if (opt.conflict(r, q)) {
            conflict = true;
            break;
          }
        }
        if (conflict) break;
      }
      if (conflict) {
        ++out.rejected_conflict;
        continue;
      }
    }
    if (size[x] < size[y]) std::swap(x, y);
    parent[y] = x;
    size[x] += size[y];
    left_count[x] += left_count[y];
    if (!members.empty()) {
      members[x].insert(members[x].end(), members[y].begin(), members[y].end());
      members[y].clear();
      members[y].shrink_to_fit();
    }
    ++out.merges;
  }
  out.cluster_of.assign(n, 0);
  std::vector<uint32_t> id_of_root(n, UINT32_MAX);
  for (uint32_t i = 0; i < n; ++i) {
    const uint32_t r = find(i);
    if (id_of_root[r] == UINT32_MAX) id_of_root[r] = out.clusters++;
    out.cluster_of[i] = id_of_root[r];
    out.largest = std::max(out.largest, size[r]);
  }
  return out;
}

}  // namespace pioneer::link
