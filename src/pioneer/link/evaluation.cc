#include "pioneer/link/evaluation.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace pioneer::link {

PairwiseMetrics EvaluatePairs(std::span<const RecordPair> predicted,
                              std::span<const int64_t> truth, std::span<const uint8_t> source) {
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
  m.precision = m.predicted_pairs > 0 ? static_cast<double>(m.true_positives) /
                                            static_cast<double>(m.predicted_pairs)
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
