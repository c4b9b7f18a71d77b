#include "pioneer/link/model.h"

#include <algorithm>
#include <limits>

namespace pioneer::link {

FellegiSunterModel::FellegiSunterModel(ComparisonSet comparisons,
                                       std::vector<ComparisonParameters> params, double lambda)
    : comparisons_(std::move(comparisons)), params_(std::move(params)), lambda_(lambda) {
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
  for (size_t c = 0; c < n; ++c) {
    const uint8_t l = comparisons_.Level(c, A, a, B, b);
    levels[c] = l;
    w += weights_[c * kMaxLevels + l];
    if (l == kExactLevel && tf_[c]) w += TermFrequencyAdjustment(c, l, A, a, B, b);
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
    return FellegiSunterModel(ComparisonSet(std::move(specs)), std::move(params), lambda);
  } catch (const nlohmann::json::exception& e) {
    return InvalidArgumentError(std::string("model JSON: ") + e.what());
  }
}

}  // namespace pioneer::link
