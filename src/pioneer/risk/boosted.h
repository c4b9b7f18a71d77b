// The gradient-boosted model: XGBoost (C API, Debian libxgboost-dev) trees with a binary
// logistic objective on the raw risk features (missing values as NaN).
//
// Training is deterministic for a given matrix, parameters and thread count (hist tree
// method, fixed seed, no row or column sampling). The model is exchanged as XGBoost's own
// JSON model text, which the model directory stores and hashes (model_store.h).
// Thread safety: a BoostedModel may be used for prediction from one thread at a time.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/risk/features.h"

namespace pioneer::risk {

struct BoostParams {
  int rounds = 100;
  int max_depth = 4;
  double eta = 0.05;
  double min_child_weight = 20;
  double lambda = 5;
  int threads = 2;
  // The key=value parameters given to XGBoost (for the model file and the CLI comparison).
  std::vector<std::pair<std::string, std::string>> XgbParams() const;
};

class BoostedModel {
 public:
  BoostedModel();
  ~BoostedModel();
  BoostedModel(BoostedModel&&) noexcept;
  BoostedModel& operator=(BoostedModel&&) noexcept;

  // Trains on the cohort rows where `use[i]` (all when empty). `base_margin` (optional, one
  // log-odds per cohort row) is where boosting starts: with the baseline's log-odds, the trees
  // learn what the baseline misses (interactions, thresholds). Errors: kInvalidArgument for
  // no rows; kInternal with XGBoost's message.
  static StatusOr<BoostedModel> Train(const Cohort& cohort, Outcome outcome,
                                      const std::vector<uint8_t>& use, const BoostParams& params,
                                      std::span<const double> base_margin = {});
  // Loads a model from XGBoost JSON text. Errors: kDataLoss with XGBoost's message.
  static StatusOr<BoostedModel> FromJson(const std::string& json, int threads);

  // XGBoost JSON model text.
  StatusOr<std::string> ToJson() const;

  // Raw (uncalibrated) probabilities for every row of the cohort; `base_margin` as in Train
  // (the same starting log-odds the model was trained with).
  StatusOr<std::vector<double>> Predict(const Cohort& cohort,
                                        std::span<const double> base_margin = {}) const;
  // Per-row feature contributions of the trees to the log-odds (SHAP values, XGBoost
  // pred_contribs): rows x (kFeatureCount + 1), the last column the bias.
  StatusOr<std::vector<float>> Contributions(const Cohort& cohort) const;

  // "1.7.4": the linked XGBoost library's version.
  static std::string LibraryVersion();

 private:
  void* booster_ = nullptr;
};

}  // namespace pioneer::risk
