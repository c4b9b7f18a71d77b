#include "pioneer/risk/boosted.h"

#include <fmt/format.h>
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace pioneer::risk {
namespace {

Status XgbError(const char* what) {
  return InternalError(fmt::format("XGBoost {}: {}", what, XGBGetLastError()));
}

// A DMatrix freed on scope exit.
struct Matrix {
  DMatrixHandle h = nullptr;
  ~Matrix() {
    if (h) XGDMatrixFree(h);
  }
};

Status MakeMatrix(const Cohort& c, const std::vector<uint8_t>& use, const std::vector<uint8_t>* y,
                  std::span<const double> base_margin, Matrix& m, int threads = 1) {
  std::vector<float> data;
  std::vector<float> labels;
  std::vector<float> margin;
  size_t rows = 0;
  const bool all = use.empty();
  if (!all) data.reserve(std::count(use.begin(), use.end(), 1) * kFeatureCount);
  for (size_t i = 0; i < c.rows(); ++i) {
    if (!all && !use[i]) continue;
    if (!all) {
      data.insert(data.end(), c.x.begin() + i * kFeatureCount,
                  c.x.begin() + (i + 1) * kFeatureCount);
    }
    if (y) labels.push_back((*y)[i]);
    if (!base_margin.empty()) margin.push_back(static_cast<float>(base_margin[i]));
    ++rows;
  }
  if (rows == 0) return InvalidArgumentError("no people to train or score");
  // Every row: the cohort's own matrix, not a copy.
  const float* x = all ? c.x.data() : data.data();
  if (XGDMatrixCreateFromMat_omp(x, rows, kFeatureCount, NAN, &m.h, threads) != 0) {
    return XgbError("matrix");
  }
  if (y && XGDMatrixSetFloatInfo(m.h, "label", labels.data(), labels.size()) != 0) {
    return XgbError("labels");
  }
  if (!margin.empty() &&
      XGDMatrixSetFloatInfo(m.h, "base_margin", margin.data(), margin.size()) != 0) {
    return XgbError("base margin");
  }
  return OkStatus();
}

}  // namespace

std::vector<std::pair<std::string, std::string>> BoostParams::XgbParams() const {
  return {{"objective", "binary:logistic"},
          {"tree_method", "hist"},
          {"max_depth", std::to_string(max_depth)},
          {"eta", fmt::format("{}", eta)},
          {"min_child_weight", fmt::format("{}", min_child_weight)},
          {"lambda", fmt::format("{}", lambda)},
          {"seed", "1"},
          {"nthread", std::to_string(threads)},
          {"verbosity", "0"}};
}

BoostedModel::BoostedModel() = default;
BoostedModel::~BoostedModel() {
  if (booster_) XGBoosterFree(booster_);
}
BoostedModel::BoostedModel(BoostedModel&& o) noexcept : booster_(o.booster_) {
  o.booster_ = nullptr;
}
BoostedModel& BoostedModel::operator=(BoostedModel&& o) noexcept {
  if (this != &o) {
    if (booster_) XGBoosterFree(booster_);
    booster_ = o.booster_;
    o.booster_ = nullptr;
  }
  return *this;
}

std::string BoostedModel::LibraryVersion() {
  int major = 0, minor = 0, patch = 0;
  XGBoostVersion(&major, &minor, &patch);
  return fmt::format("{}.{}.{}", major, minor, patch);
}

StatusOr<BoostedModel> BoostedModel::Train(const Cohort& cohort, Outcome outcome,
                                           const std::vector<uint8_t>& use,
                                           const BoostParams& params,
                                           std::span<const double> base_margin,
                                           const std::vector<uint8_t>& stop_rows,
                                           int* rounds_used) {
  if (params.early_stopping_rounds > 0 && !stop_rows.empty()) {
    std::vector<uint8_t> grow(cohort.rows()), hold(cohort.rows());
    for (size_t i = 0; i < cohort.rows(); ++i) {
      const bool in = use.empty() || use[i];
      hold[i] = in && stop_rows[i];
      grow[i] = in && !stop_rows[i];
    }
    Matrix g, h;
    PIONEER_RETURN_IF_ERROR(MakeMatrix(cohort, grow, &cohort.label(outcome), base_margin, g));
    PIONEER_RETURN_IF_ERROR(MakeMatrix(cohort, hold, &cohort.label(outcome), base_margin, h));
    BoostedModel probe;
    if (XGBoosterCreate(&g.h, 1, &probe.booster_) != 0) return XgbError("create");
    for (const auto& [k, v] : params.XgbParams()) {
      if (XGBoosterSetParam(probe.booster_, k.c_str(), v.c_str()) != 0) return XgbError("param");
    }
    if (XGBoosterSetParam(probe.booster_, "eval_metric", "logloss") != 0) {
      return XgbError("param");
    }
    double best = INFINITY;
    int best_rounds = 0;
    const char* names[] = {"stop"};
    for (int it = 0; it < params.rounds; ++it) {
      if (XGBoosterUpdateOneIter(probe.booster_, it, g.h) != 0) return XgbError("training");
      const char* out = nullptr;
      if (XGBoosterEvalOneIter(probe.booster_, it, &h.h, names, 1, &out) != 0) {
        return XgbError("evaluation");
      }
      // "[it]\tstop-logloss:0.2345"
      const char* colon = out ? std::strrchr(out, ':') : nullptr;
      if (!colon) return InternalError("XGBoost evaluation gave no log-loss");
      const double loss = std::strtod(colon + 1, nullptr);
      if (loss < best - 1e-7) {
        best = loss;
        best_rounds = it + 1;
      } else if (it + 1 - best_rounds >= params.early_stopping_rounds) {
        break;
      }
    }
    // Never fewer than one round, so that every model has a tree to explain. The model is
    // the probe cut at its best round (no refit: the trees grown on four fifths of the
    // training people are kept, which halves the training time at scale).
    const int rounds = std::max(1, best_rounds);
    BoostedModel model;
    if (XGBoosterSlice(probe.booster_, 0, rounds, 1, &model.booster_) != 0) {
      return XgbError("slice");
    }
    if (rounds_used) *rounds_used = rounds;
    return model;
  }
  Matrix m;
  PIONEER_RETURN_IF_ERROR(MakeMatrix(cohort, use, &cohort.label(outcome), base_margin, m));
  BoostedModel model;
  if (XGBoosterCreate(&m.h, 1, &model.booster_) != 0) return XgbError("create");
  for (const auto& [k, v] : params.XgbParams()) {
    if (XGBoosterSetParam(model.booster_, k.c_str(), v.c_str()) != 0) return XgbError("param");
  }
  for (int it = 0; it < params.rounds; ++it) {
    if (XGBoosterUpdateOneIter(model.booster_, it, m.h) != 0) return XgbError("training");
  }
  if (rounds_used) *rounds_used = params.rounds;
  return model;
}

StatusOr<BoostedModel> BoostedModel::FromJson(const std::string& json, int threads) {
  BoostedModel model;
  if (XGBoosterCreate(nullptr, 0, &model.booster_) != 0) return XgbError("create");
  if (XGBoosterLoadModelFromBuffer(model.booster_, json.data(), json.size()) != 0) {
    return DataLossError(fmt::format("XGBoost cannot read the model: {}", XGBGetLastError()));
  }
  XGBoosterSetParam(model.booster_, "nthread", std::to_string(threads).c_str());
  return model;
}

StatusOr<std::string> BoostedModel::ToJson() const {
  bst_ulong len = 0;
  const char* data = nullptr;
  if (XGBoosterSaveModelToBuffer(booster_, "{\"format\": \"json\"}", &len, &data) != 0) {
    return XgbError("save");
  }
  return std::string(data, len);
}

StatusOr<std::vector<double>> BoostedModel::Predict(const Cohort& cohort,
                                                    std::span<const double> base_margin,
                                                    const std::vector<uint8_t>& use) const {
  // In-place prediction: XGBoost reads the dense rows where they are (the cohort's own
  // matrix, or a copy of the chosen rows) instead of converting them into a DMatrix first
  // (that conversion was most of the cost of scoring). The trees, the missing value (NaN),
  // the float base margin and the order in which each row's tree values are summed are those
  // of DMatrix prediction, so the scores are identical.
  const bool all = use.empty();
  std::vector<float> data;
  std::vector<float> margin;
  size_t rows = 0;
  if (!all) data.reserve(std::count(use.begin(), use.end(), 1) * kFeatureCount);
  if (!base_margin.empty()) margin.reserve(all ? cohort.rows() : data.capacity() / kFeatureCount);
  for (size_t i = 0; i < cohort.rows(); ++i) {
    if (!all && !use[i]) continue;
    if (!all) {
      data.insert(data.end(), cohort.x.begin() + i * kFeatureCount,
                  cohort.x.begin() + (i + 1) * kFeatureCount);
    }
    if (!base_margin.empty()) margin.push_back(static_cast<float>(base_margin[i]));
    ++rows;
  }
  if (rows == 0) return InvalidArgumentError("no people to train or score");
  const float* x = all ? cohort.x.data() : data.data();
  // The base margin travels in a proxy DMatrix that holds only meta information.
  Matrix meta;
  if (!margin.empty()) {
    if (XGProxyDMatrixCreate(&meta.h) != 0) return XgbError("proxy matrix");
    if (XGDMatrixSetFloatInfo(meta.h, "base_margin", margin.data(), margin.size()) != 0) {
      return XgbError("base margin");
    }
  }
  const std::string values =
      fmt::format(R"({{"data": [{}, true], "shape": [{}, {}], "typestr": "<f4", "version": 3}})",
                  reinterpret_cast<uintptr_t>(x), rows, static_cast<int>(kFeatureCount));
  const char* config =
      R"({"type": 0, "training": false, "iteration_begin": 0, "iteration_end": 0, )"
      R"("strict_shape": false, "missing": NaN, "cache_id": 0})";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* out = nullptr;
  if (XGBoosterPredictFromDense(booster_, values.c_str(), config, meta.h, &shape, &dim, &out) !=
      0) {
    return XgbError("predict");
  }
  bst_ulong len = 1;
  for (bst_ulong d = 0; d < dim; ++d) len *= shape[d];
  if (len != rows) return InternalError("XGBoost returned the wrong number of scores");
  return std::vector<double>(out, out + len);
}

StatusOr<std::vector<float>> BoostedModel::Contributions(const Cohort& cohort) const {
  Matrix m;
  PIONEER_RETURN_IF_ERROR(MakeMatrix(cohort, {}, nullptr, {}, m));
  bst_ulong len = 0;
  const float* out = nullptr;
  if (XGBoosterPredict(booster_, m.h, 4, 0, 0, &len, &out) != 0) return XgbError("contributions");
  if (len != cohort.rows() * (kFeatureCount + 1)) {
    return InternalError("XGBoost returned contributions of the wrong shape");
  }
  return std::vector<float>(out, out + len);
}

}  // namespace pioneer::risk
