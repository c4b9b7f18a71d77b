#include "pioneer/link/linker.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <chrono>

namespace pioneer::link {

const char* PairDecisionName(PairDecision d) {
  switch (d) {
    case PairDecision::kMatch:
      return "match";
    case PairDecision::kReview:
      return "review";
    case PairDecision::kNonMatch:
      break;
  }
  return "non-match";
}

PairDecision LinkResult::Decide(const ScoredPair& p, const LinkSettings& s) const {
  const double prob = FellegiSunterModel::Probability(p.weight);
  if (prob >= s.match_probability) return PairDecision::kMatch;
  if (prob >= s.review_probability) return PairDecision::kReview;
  return PairDecision::kNonMatch;
}

std::vector<uint8_t> SourcesOf(const RecordSet& records, LinkType type) {
  std::vector<uint8_t> out;
  if (type == LinkType::kDedupe) return out;
  out.reserve(records.size());
  for (uint32_t r = 0; r < records.size(); ++r) out.push_back(records.source(r));
  return out;
}

StatusOr<LinkResult> LinkRecords(RecordSet& records, const LinkSettings& s, Progress* progress) {
  const auto t0 = std::chrono::steady_clock::now();
  if (!(s.match_probability > 0 && s.match_probability < 1)) {
    return InvalidArgumentError("match probability threshold must be in (0, 1)");
  }
  if (!(s.review_probability > 0 && s.review_probability <= s.match_probability)) {
    return InvalidArgumentError("review threshold must be in (0, match threshold]");
  }
  if (s.type == LinkType::kLinkOnly) {
    bool has[2] = {false, false};
    for (uint32_t r = 0; r < records.size(); ++r) has[records.source(r) & 1] = true;
    if (!has[0] || !has[1])
      return InvalidArgumentError("link-only job needs records in both sources");
  }
  records.ComputeTermFrequencies();
  ComparisonSet comps(s.comparisons.empty()
                          ? DefaultComparisons(records, s.type == LinkType::kLinkOnly)
                          : s.comparisons);
  LinkResult out;
  EstimationOptions eo = s.estimation;
  eo.window = s.window;
  eo.threads = s.threads;
  PIONEER_ASSIGN_OR_RETURN(out.model,
                           EstimateModel(records, s.type, comps, eo, &out.estimation, progress));
  out.prediction_rules =
      s.prediction_rules.empty() ? DefaultPredictionRules(records) : s.prediction_rules;
  if (out.prediction_rules.empty()) {
    return InvalidArgumentError("no blocking rule can be used with the mapped fields");
  }
  BlockIndex index(records, out.prediction_rules, s.type, s.window, std::max(1, s.threads) * 32);
  for (size_t r = 0; r < out.prediction_rules.size(); ++r) {
    out.blocking.push_back(index.stats(static_cast<int>(r)));
  }
  out.candidate_pairs_estimate = index.estimated_pairs();
  if (progress) {
    progress->Update(0, 0,
                     fmt::format("scoring ~{} candidate pairs", out.candidate_pairs_estimate));
  }
  PredictOptions po;
  po.keep_probability = s.review_probability;
  po.threads = s.threads;
  out.prediction = Predict(records, out.model, index, po, progress);
  {
    double expected = 0;
    const auto& h = out.prediction.histogram.counts;
    for (int i = 0; i < WeightHistogram::kBins; ++i) {
      if (h[static_cast<size_t>(i)] == 0) continue;
      expected += static_cast<double>(h[static_cast<size_t>(i)]) *
                  FellegiSunterModel::Probability(WeightHistogram::kMin + i + 0.5);
    }
    const double all = out.model.lambda() * static_cast<double>(out.estimation.possible_pairs);
    out.estimated_recall_ceiling = all > 0 ? std::min(1.0, expected / all) : 0.0;
  }
  ClusterOptions co;
  co.threshold_weight = FellegiSunterModel::WeightForProbability(s.match_probability);
  co.max_cluster_size = s.max_cluster_size;
  co.min_bridge_share = s.min_bridge_share;
  const ComparisonSet& model_comps = out.model.comparisons();
  const int dob = model_comps.IndexOf(Field::kBirthDate);
  if (s.birth_date_conflict_bits > 0 && dob >= 0) {
    std::array<bool, kMaxLevels> conflicting{};
    for (int l = 1; l < model_comps.level_count(static_cast<size_t>(dob)); ++l) {
      conflicting[static_cast<size_t>(l)] =
          out.model.weight(static_cast<size_t>(dob), l) <= -s.birth_date_conflict_bits;
    }
    // Only two real calendar dates conflict: an impossible date is a keying error whose
    // distance to the other date says little.
    co.conflict = [&records, &model_comps, dob, conflicting](uint32_t a, uint32_t b) {
      if (!records.has_birth_date(a) || !records.has_birth_date(b) ||
          !records.birth_date(a).valid || !records.birth_date(b).valid) {
        return false;
      }
      return conflicting[model_comps.Level(static_cast<size_t>(dob), records, a, records, b)];
    };
  }
  const std::vector<uint8_t> sources = SourcesOf(records, s.type);
  out.clustering = ClusterPairs(records.size(), out.prediction.pairs, co, sources);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace pioneer::link
