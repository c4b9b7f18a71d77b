#include "pioneer/link/model.h"

#include <algorithm>
#include <limits>

namespace pioneer::link {

FellegiSunterModel::FellegiSunterModel(ComparisonSet comparisons,
                                       std::vector<ComparisonParameters> params, double lambda,
                                       LocationStrata strata)
    : comparisons_(std::move(comparisons)),
      params_(std::move(params)),
      lambda_(lambda),
      strata_(std::move(strata)) {
  prior_weight_ = std::log2(lambda_ / (1.0 - lambda_));
  const size_t n = comparisons_.size();
  weights_.assign(n * kMaxLevels, 0.0);
  log2_u_exact_.assign(n, 0.0);
  log2_tf_minimum_.assign(n, -std::numeric_limits<float>::infinity());
  tf_.assign(n, 0);
  for (size_t c = 0; c < n; ++c) {
    const ComparisonParameters& p = params_[c];
    for (int l = 1; l < comparisons_.level_count(c); ++l) {
      weights_[c * kMaxLevels + static_cast<size_t>(l)] =
          std::log2(p.m[static_cast<size_t>(l)] / p.u[static_cast<size_t>(l)]);
    }
    log2_u_exact_[c] = std::log2(p.u[kExactLevel]);
    if (p.tf_minimum > 0) log2_tf_minimum_[c] = static_cast<float>(std::log2(p.tf_minimum));
    tf_[c] = comparisons_.spec(c).term_frequency ? 1 : 0;
  }
  if (strata_.active()) {
    strata_loc_ = static_cast<size_t>(strata_.comparison);
    for (size_t s = 0; s < strata_.u.size(); ++s) {
      std::vector<double> w = weights_;
      for (size_t c = 0; c < n; ++c) {
        if (c == strata_loc_) continue;
        for (int l = 1; l < comparisons_.level_count(c); ++l) {
          const auto li = static_cast<size_t>(l);
          w[c * kMaxLevels + li] = std::log2(params_[c].m[li] / strata_.u[s][c][li]);
        }
      }
      strata_weights_.push_back(std::move(w));
    }
  }
}

double FellegiSunterModel::Contribution(size_t c, const uint8_t* levels, const RecordSet& A,
                                        uint32_t a, const RecordSet& B, uint32_t b) const {
  const int s = StratumOf(levels);
  const int l = levels[c];
  double w = stratum_weight(s, c, l);
  if (s == 0) w += TermFrequencyAdjustment(c, l, A, a, B, b);
  return w;
}

double FellegiSunterModel::TermFrequencyAdjustment(size_t c, int level, const RecordSet& A,
                                                   uint32_t a, const RecordSet& B,
                                                   uint32_t b) const {
  if (!tf_[c] || level != kExactLevel) return 0.0;
  const Field f = comparisons_.spec(c).field;
  const float ta = A.value(f, A.value_id(f, a)).log2_tf;
  const float tb = B.value(f, B.value_id(f, b)).log2_tf;
  return log2_u_exact_[c] - static_cast<double>(std::max({ta, tb, log2_tf_minimum_[c]}));
}

double FellegiSunterModel::Score(const RecordSet& A, uint32_t a, const RecordSet& B, uint32_t b,
                                 uint8_t* levels) const {
  double w = prior_weight_;
  const size_t n = comparisons_.size();
  if (strata_loc_ == kNoStrata) {
    for (size_t c = 0; c < n; ++c) {
      const uint8_t l = comparisons_.Level(c, A, a, B, b);
      levels[c] = l;
      w += weights_[c * kMaxLevels + l];
      if (l == kExactLevel && tf_[c]) w += TermFrequencyAdjustment(c, l, A, a, B, b);
    }
    return w;
  }
  // The location level first: it picks the weight table (and whether TF applies).
  const uint8_t loc = comparisons_.Level(strata_loc_, A, a, B, b);
  const uint8_t s = strata_.stratum_of_level[loc];
  const double* table = s == 0 ? weights_.data() : strata_weights_[s - 1u].data();
  for (size_t c = 0; c < n; ++c) {
    const uint8_t l = c == strata_loc_ ? loc : comparisons_.Level(c, A, a, B, b);
    levels[c] = l;
    w += table[c * kMaxLevels + l];
    if (s == 0 && l == kExactLevel && tf_[c]) w += TermFrequencyAdjustment(c, l, A, a, B, b);
  }
  return w;
}

nlohmann::json FellegiSunterModel::ToJson() const {
  nlohmann::json j;
  j["lambda"] = lambda_;
  j["prior_weight"] = prior_weight_;
  auto& comps = j["comparisons"] = nlohmann::json::array();
  for (size_t c = 0; c < comparisons_.size(); ++c) {
    const ComparisonSpec& s = comparisons_.spec(c);
    nlohmann::json cj;
    cj["name"] = s.name;
    cj["field"] = std::string(FieldName(s.field));
    cj["kind"] = static_cast<int>(s.kind);
    cj["swapped_level"] = s.swapped_level;
    cj["term_frequency"] = s.term_frequency;
    cj["with_address"] = s.with_address;
    cj["nickname_level"] = s.nickname_level;
    cj["null_with_uk_postcodes"] = s.null_with_uk_postcodes;
    cj["thresholds"] = s.thresholds;
    cj["tf_minimum"] = params_[c].tf_minimum;
    auto& levels = cj["levels"] = nlohmann::json::array();
    for (int l = 1; l < comparisons_.level_count(c); ++l) {
      levels.push_back({{"label", comparisons_.labels(c)[static_cast<size_t>(l)]},
                        {"m", params_[c].m[static_cast<size_t>(l)]},
                        {"u", params_[c].u[static_cast<size_t>(l)]},
                        {"weight", weight(c, l)}});
    }
    comps.push_back(std::move(cj));
  }
  if (strata_.active()) {
    nlohmann::json sj;
    sj["comparison"] = strata_.comparison;
    sj["stratum_of_level"] = strata_.stratum_of_level;
    sj["names"] = strata_.names;
    sj["u"] = strata_.u;
    j["location_strata"] = std::move(sj);
  }
  return j;
}

StatusOr<FellegiSunterModel> FellegiSunterModel::FromJson(const nlohmann::json& j) {
  try {
    std::vector<ComparisonSpec> specs;
    std::vector<ComparisonParameters> params;
    for (const auto& cj : j.at("comparisons")) {
      ComparisonSpec s;
      s.name = cj.at("name").get<std::string>();
      auto f = FieldFromName(cj.at("field").get<std::string>());
      if (!f) return InvalidArgumentError("model JSON: unknown field in comparison " + s.name);
      s.field = *f;
      const int kind = cj.at("kind").get<int>();
      if (kind < 0 || kind > static_cast<int>(ComparisonKind::kSex)) {
        return InvalidArgumentError("model JSON: unknown comparison kind in " + s.name);
      }
      s.kind = static_cast<ComparisonKind>(kind);
      s.swapped_level = cj.at("swapped_level").get<bool>();
      s.term_frequency = cj.at("term_frequency").get<bool>();
      s.with_address = cj.value("with_address", false);
      s.nickname_level = cj.value("nickname_level", false);
      s.null_with_uk_postcodes = cj.value("null_with_uk_postcodes", false);
      s.thresholds = cj.at("thresholds").get<std::vector<double>>();
      ComparisonParameters p;
      p.tf_minimum = cj.at("tf_minimum").get<double>();
      p.m.push_back(0);
      p.u.push_back(0);
      for (const auto& lj : cj.at("levels")) {
        p.m.push_back(lj.at("m").get<double>());
        p.u.push_back(lj.at("u").get<double>());
      }
      if (p.m.size() != LevelLabels(s).size()) {
        return InvalidArgumentError("model JSON: wrong number of levels in " + s.name);
      }
      for (size_t l = 1; l < p.m.size(); ++l) {
        if (!(p.m[l] > 0) || !(p.u[l] > 0)) {
          return InvalidArgumentError("model JSON: m and u must be > 0 in " + s.name);
        }
      }
      specs.push_back(std::move(s));
      params.push_back(std::move(p));
    }
    const double lambda = j.at("lambda").get<double>();
    if (!(lambda > 0 && lambda < 1)) return InvalidArgumentError("model JSON: lambda not in (0,1)");
    LocationStrata strata;
    if (j.contains("location_strata")) {
      const auto& sj = j.at("location_strata");
      strata.comparison = sj.at("comparison").get<int>();
      strata.stratum_of_level = sj.at("stratum_of_level").get<std::vector<uint8_t>>();
      strata.names = sj.at("names").get<std::vector<std::string>>();
      strata.u = sj.at("u").get<std::vector<std::vector<std::vector<double>>>>();
      const auto loc = static_cast<size_t>(strata.comparison);
      if (strata.comparison < 0 || loc >= specs.size() ||
          strata.stratum_of_level.size() != params[loc].m.size() ||
          strata.u.size() != strata.names.size()) {
        return InvalidArgumentError("model JSON: malformed location_strata");
      }
      for (uint8_t st : strata.stratum_of_level) {
        if (st > strata.u.size()) return InvalidArgumentError("model JSON: unknown stratum");
      }
      for (const auto& us : strata.u) {
        if (us.size() != specs.size()) {
          return InvalidArgumentError("model JSON: malformed location_strata u");
        }
        for (size_t c = 0; c < specs.size(); ++c) {
          if (c == loc) continue;
          if (us[c].size() != params[c].m.size()) {
            return InvalidArgumentError("model JSON: malformed location_strata u");
          }
          for (size_t l = 1; l < us[c].size(); ++l) {
            if (!(us[c][l] > 0)) return InvalidArgumentError("model JSON: stratum u must be > 0");
          }
        }
      }
    }
    return FellegiSunterModel(ComparisonSet(std::move(specs)), std::move(params), lambda,
                              std::move(strata));
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("model JSON: ") + e.what());
  }
}

}  // namespace pioneer::link
