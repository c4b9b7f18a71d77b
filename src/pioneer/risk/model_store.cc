#include "pioneer/risk/model_store.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "pioneer/base/sha256.h"
#include "pioneer/base/version.h"

namespace pioneer::risk {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kLogisticFormat = "pioneer-logistic";
constexpr int kLogisticFormatVersion = 1;

Status WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) return UnavailableError("cannot write " + path.string());
  return OkStatus();
}

StatusOr<std::string> ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("model file missing: " + path.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json RecalibrationJson(const Recalibration& r) { return {{"a", r.a}, {"b", r.b}}; }

json LogisticJson(const LogisticModel& m, Outcome o) {
  json terms = json::array();
  const auto& defs = BaselineTerms();
  for (size_t j = 0; j < defs.size(); ++j) {
    terms.push_back({{"name", defs[j].name},
                     {"definition", defs[j].definition},
                     {"coefficient", m.coefficients[j]}});
  }
  return {{"format", kLogisticFormat},
          {"format_version", kLogisticFormatVersion},
          {"outcome", OutcomeName(o)},
          {"model", "logistic regression, IRLS with ridge penalty 1 (intercept unpenalised)"},
          {"intercept", m.intercept},
          {"iterations", m.iterations},
          {"converged", m.converged},
          {"terms", terms}};
}

}  // namespace

Status SaveModel(const RiskModel& model, const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError(fmt::format("cannot create {}: {}", dir, ec.message()));
  json features = json::array();
  for (const auto& f : FeatureSpecs()) {
    features.push_back({{"name", f.name},
                        {"source", f.source},
                        {"look_back", f.look_back},
                        {"definition", f.definition}});
  }
  json outcomes = json::object();
  for (int o = 0; o < kOutcomeCount; ++o) {
    const auto& m = model.outcomes[o];
    const std::string name = OutcomeName(static_cast<Outcome>(o));
    const std::string logistic = LogisticJson(m.baseline, static_cast<Outcome>(o)).dump(2) + "\n";
    PIONEER_ASSIGN_OR_RETURN(std::string boosted, m.boosted.ToJson());
    const std::string lf = name + ".logistic.json", bf = name + ".xgb.json";
    PIONEER_RETURN_IF_ERROR(WriteText(fs::path(dir) / lf, logistic));
    PIONEER_RETURN_IF_ERROR(WriteText(fs::path(dir) / bf, boosted));
    outcomes[name] = {{"baseline",
                       {{"file", lf},
                        {"sha256", Sha256Hex(logistic)},
                        {"recalibration", RecalibrationJson(m.baseline_recalibration)}}},
                      {"boosted",
                       {{"file", bf},
                        {"sha256", Sha256Hex(boosted)},
                        {"recalibration", RecalibrationJson(m.boosted_recalibration)}}}};
  }
  json params = json::object();
  for (const auto& [k, v] : model.params.XgbParams()) params[k] = v;
  params["rounds"] = model.params.rounds;
  params["early_stopping_rounds"] = model.params.early_stopping_rounds;
  json manifest = {{"format", kModelFormat},
                   {"format_version", kModelFormatVersion},
                   {"pioneer_version", std::string(PioneerVersion())},
                   {"xgboost_version", BoostedModel::LibraryVersion()},
                   {"index_date", model.index_date.ToIso()},
                   {"outcome_window", "[index date, index date + 365 days)"},
                   {"data_sha256", model.data_sha256},
                   {"features", features},
                   {"boosted_parameters", params},
                   {"training", model.training},
                   {"outcomes", outcomes}};
  const std::string text = manifest.dump(2) + "\n";
  PIONEER_RETURN_IF_ERROR(WriteText(fs::path(dir) / "model.json", text));
  return WriteText(fs::path(dir) / "model.json.sha256", Sha256Hex(text) + "  model.json\n");
}

StatusOr<RiskModel> LoadModel(const std::string& dir, int threads) {
  if (!fs::is_directory(dir)) return NotFoundError("model directory not found: " + dir);
  const fs::path manifest_path = fs::path(dir) / "model.json";
  auto text = ReadText(manifest_path);
  if (!text.ok()) return text.status();
  auto sum = ReadText(fs::path(dir) / "model.json.sha256");
  if (!sum.ok()) return sum.status();
  if (sum->substr(0, 64) != Sha256Hex(*text)) {
    return DataLossError(fmt::format(
        "{} is damaged or was edited: its SHA-256 does not match model.json.sha256 (retrain "
        "with `pioneer risk train`)",
        manifest_path.string()));
  }
  json m = json::parse(*text, nullptr, false);
  if (m.is_discarded() || !m.is_object()) {
    return DataLossError(manifest_path.string() + " is not valid JSON");
  }
  if (m.value("format", "") != kModelFormat) {
    return FailedPreconditionError(fmt::format("{} is not a Pioneer risk model (format '{}')",
                                               manifest_path.string(), m.value("format", "")));
  }
  const int version = m.value("format_version", -1);
  if (version != kModelFormatVersion) {
    return FailedPreconditionError(fmt::format(
        "{} has model format version {}; this build reads version {}: retrain with `pioneer "
        "risk train`",
        manifest_path.string(), version, kModelFormatVersion));
  }
  try {
    const auto& features = m.at("features");
    const auto specs = FeatureSpecs();
    bool same = features.size() == specs.size();
    for (size_t i = 0; same && i < specs.size(); ++i) {
      same = features[i].at("name").get<std::string>() == specs[i].name;
    }
    if (!same) {
      return FailedPreconditionError(fmt::format(
          "{} was trained on a different feature list than this build computes: retrain with "
          "`pioneer risk train`",
          manifest_path.string()));
    }
    RiskModel model;
    auto d = Date::ParseIso(m.at("index_date").get<std::string>());
    if (!d) return DataLossError(manifest_path.string() + ": bad index_date");
    model.index_date = *d;
    model.data_sha256 = m.value("data_sha256", "");
    model.training = m.value("training", json::object());
    model.params.rounds = m.at("boosted_parameters").value("rounds", 0);
    model.params.early_stopping_rounds =
        m.at("boosted_parameters").value("early_stopping_rounds", 0);
    for (int o = 0; o < kOutcomeCount; ++o) {
      const std::string name = OutcomeName(static_cast<Outcome>(o));
      const auto& entry = m.at("outcomes").at(name);
      auto& om = model.outcomes[o];
      for (const char* kind : {"baseline", "boosted"}) {
        const auto& e = entry.at(kind);
        const fs::path path = fs::path(dir) / e.at("file").get<std::string>();
        PIONEER_ASSIGN_OR_RETURN(std::string content, ReadText(path));
        if (Sha256Hex(content) != e.at("sha256").get<std::string>()) {
          return DataLossError(fmt::format(
              "{} is damaged or was edited: its SHA-256 differs from the one in model.json "
              "(retrain with `pioneer risk train`)",
              path.string()));
        }
        Recalibration r{e.at("recalibration").at("a").get<double>(),
                        e.at("recalibration").at("b").get<double>()};
        if (std::string(kind) == "baseline") {
          json lj = json::parse(content, nullptr, false);
          if (lj.is_discarded() || lj.value("format", "") != kLogisticFormat ||
              lj.value("format_version", -1) != kLogisticFormatVersion) {
            return FailedPreconditionError(
                fmt::format("{} is not a logistic model of format version {}", path.string(),
                            kLogisticFormatVersion));
          }
          const auto& terms = lj.at("terms");
          const auto& defs = BaselineTerms();
          if (terms.size() != defs.size()) {
            return FailedPreconditionError(path.string() +
                                           " has a different term list than this build");
          }
          om.baseline.intercept = lj.at("intercept").get<double>();
          for (size_t j = 0; j < defs.size(); ++j) {
            if (terms[j].at("name").get<std::string>() != defs[j].name) {
              return FailedPreconditionError(
                  fmt::format("{}: term {} is '{}', this build expects '{}'", path.string(), j + 1,
                              terms[j].at("name").get<std::string>(), defs[j].name));
            }
            om.baseline.coefficients.push_back(terms[j].at("coefficient").get<double>());
          }
          om.baseline.converged = lj.value("converged", false);
          om.baseline.iterations = lj.value("iterations", 0);
          om.baseline_recalibration = r;
        } else {
          auto b = BoostedModel::FromJson(content, threads);
          if (!b.ok()) return DataLossError(path.string() + ": " + b.status().message());
          om.boosted = std::move(*b);
          om.boosted_recalibration = r;
        }
      }
    }
    return model;
  } catch (const json::exception& e) {
    return DataLossError(
        fmt::format("{}: missing or malformed field ({})", manifest_path.string(), e.what()));
  }
}

}  // namespace pioneer::risk
