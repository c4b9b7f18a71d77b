#include "pioneer/link/evaluation.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace pioneer::link {

PairwiseMetrics EvaluatePairs(std::span<const RecordPair> predicted, std::span<const int64_t> truth,
                              std::span<const uint8_t> source) {
  PairwiseMetrics m;
  const bool link = !source.empty();
  // True pairs: per label, C(k, 2) (dedupe) or left x right (link).
  std::map<int64_t, std::pair<int64_t, int64_t>> sizes;  // label -> (source 0, source 1)
  for (size_t r = 0; r < truth.size(); ++r) {
    auto& s = sizes[truth[r]];
    if (link && source[r] == 1) {
      ++s.second;
    } else {
      ++s.first;
    }
  }
  for (const auto& [label, s] : sizes) {
    m.true_pairs += link ? s.first * s.second : s.first * (s.first - 1) / 2;
  }
  std::vector<RecordPair> pred(predicted.begin(), predicted.end());
  for (auto& p : pred) {
    if (p.first > p.second) std::swap(p.first, p.second);
  }
  std::sort(pred.begin(), pred.end());
  pred.erase(std::unique(pred.begin(), pred.end()), pred.end());
  m.predicted_pairs = static_cast<int64_t>(pred.size());
  for (const auto& [a, b] : pred) {
    const bool counts = !link || source[a] != source[b];
    if (counts && truth[a] == truth[b]) ++m.true_positives;
  }
  m.false_positives = m.predicted_pairs - m.true_positives;
  m.false_negatives = m.true_pairs - m.true_positives;
  m.precision = m.predicted_pairs > 0
                    ? static_cast<double>(m.true_positives) / static_cast<double>(m.predicted_pairs)
                    : 0.0;
  m.recall = m.true_pairs > 0
                 ? static_cast<double>(m.true_positives) / static_cast<double>(m.true_pairs)
                 : 0.0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
  return m;
}

std::vector<RecordPair> PairsFromClusters(std::span<const uint32_t> cluster_of,
                                          std::span<const uint8_t> source) {
  std::map<uint32_t, std::vector<uint32_t>> members;
  for (uint32_t r = 0; r < cluster_of.size(); ++r) members[cluster_of[r]].push_back(r);
  std::vector<RecordPair> out;
  for (const auto& [c, rs] : members) {
    for (size_t i = 0; i < rs.size(); ++i) {
      for (size_t j = i + 1; j < rs.size(); ++j) {
        if (!source.empty() && source[rs[i]] == source[rs[j]]) continue;
        out.emplace_back(rs[i], rs[j]);
      }
    }
  }
  return out;
}

BlockingCoverage EvaluateBlockingCoverage(const BlockIndex& index, std::span<const int64_t> truth,
                                          std::span<const uint8_t> source) {
  BlockingCoverage out;
  const bool link = !source.empty();
  std::unordered_map<int64_t, std::vector<uint32_t>> members;
  for (uint32_t r = 0; r < truth.size(); ++r) members[truth[r]].push_back(r);
  const int rules = static_cast<int>(index.rules().size());
  for (const auto& [label, rs] : members) {
    for (size_t i = 0; i < rs.size(); ++i) {
      for (size_t j = i + 1; j < rs.size(); ++j) {
        if (link && source[rs[i]] == source[rs[j]]) continue;
        ++out.true_pairs;
        for (int q = 0; q < rules; ++q) {
          if (index.Generates(q, rs[i], rs[j])) {
            ++out.generated;
            break;
          }
        }
      }
    }
  }
  out.recall_ceiling =
      out.true_pairs > 0 ? static_cast<double>(out.generated) / static_cast<double>(out.true_pairs)
                         : 0.0;
  return out;
}

ClusterMetrics EvaluateClusters(std::span<const uint32_t> cluster_of,
                                std::span<const int64_t> truth) {
  ClusterMetrics m;
  // Per predicted cluster: its size and the truth label of its records (or -1 if mixed);
  // per true label: its size. A match = a predicted cluster, not mixed, whose size equals
  // its label's size.
  std::unordered_map<uint32_t, std::pair<int64_t, int64_t>> pred;  // cluster -> (label, size)
  std::unordered_map<int64_t, int64_t> true_size;
  for (size_t r = 0; r < cluster_of.size(); ++r) {
    ++true_size[truth[r]];
    auto [it, inserted] = pred.emplace(cluster_of[r], std::make_pair(truth[r], int64_t{0}));
    if (it->second.first != truth[r]) it->second.first = -1;
    ++it->second.second;
  }
  for (const auto& [c, ls] : pred) {
    if (ls.first == -1) continue;
    if (true_size[ls.first] == ls.second) ++m.exact;
  }
  m.true_clusters = static_cast<int64_t>(true_size.size());
  m.predicted_clusters = static_cast<int64_t>(pred.size());
  auto ratio = [](int64_t a, int64_t b) {
    return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0.0;
  };
  m.exact_match_share = m.recall = ratio(m.exact, m.true_clusters);
  m.precision = ratio(m.exact, m.predicted_clusters);
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
  return m;
}

std::vector<int64_t> LabelsFromStrings(std::span<const std::string> values) {
  std::unordered_map<std::string, int64_t> ids;
  std::vector<int64_t> out;
  out.reserve(values.size());
  for (const auto& v : values) {
    auto [it, inserted] = ids.emplace(v, static_cast<int64_t>(ids.size()));
    out.push_back(it->second);
  }
  return out;
}

}  // namespace pioneer::link
