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
  // The most boosting rounds; with early stopping, the number actually used is chosen on a
  // validation set (Train's `stop_rows`) and recorded per model.
  int rounds = 300;
  // Stop when the validation log-loss has not improved for this many rounds (0: no early
  // stopping, exactly `rounds` rounds).
  int early_stopping_rounds = 20;
  int max_depth = 4;
  double eta = 0.1;
  double min_child_weight = 20;
  double lambda = 5;
  // Threads: risk::Train grows the three outcomes' models side by side on this many threads,
  // each model on one (so the trees do not depend on the thread count, and no thread waits
  // at XGBoost's many short parallel sections); prediction uses this many.
  int threads = 2;
  // At most this many people without the outcome grow each outcome's trees (0: all). Above
  // it, risk::Train keeps every person with the outcome and a random sample of those without
  // (by a hash of the NHS Number, the same people for every outcome), and the growers start
  // from the baseline's log-odds plus log(1 / fraction): sampling the people without the
  // outcome at that fraction raises everyone's odds of it by 1 / fraction, so the trees
  // learn the same correction to the log-odds as on everyone (case-control sampling with an
  // offset). The early-stopping, recalibration and evaluation people are never sampled.
  int64_t training_negatives = 150000;
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
  // learn what the baseline misses (interactions, thresholds).
  //
  // Early stopping (params.early_stopping_rounds > 0 and `stop_rows` non-empty): the rows of
  // `use` that are also in `stop_rows` are held out; trees are grown on the rest until the
  // held-out log-loss has not improved for early_stopping_rounds rounds (or params.rounds);
  // the model is those trees cut at the best round, so a small area gets few rounds (no
  // over-fitting) and a large one many. `*rounds_used` (when given) receives the number of
  // rounds of the returned model.
  // Errors: kInvalidArgument for no rows; kInternal with XGBoost's message.
  static StatusOr<BoostedModel> Train(const Cohort& cohort, Outcome outcome,
                                      const std::vector<uint8_t>& use, const BoostParams& params,
                                      std::span<const double> base_margin = {},
                                      const std::vector<uint8_t>& stop_rows = {},
                                      int* rounds_used = nullptr);
  // Loads a model from XGBoost JSON text. Errors: kDataLoss with XGBoost's message.
  static StatusOr<BoostedModel> FromJson(const std::string& json, int threads);

  // XGBoost JSON model text.
  StatusOr<std::string> ToJson() const;

  // Raw (uncalibrated) probabilities for every row of the cohort (or only the rows where
  // `use[i]`, in row order, when `use` is not empty); `base_margin` as in Train (the same
  // starting log-odds the model was trained with, one per cohort row).
  StatusOr<std::vector<double>> Predict(const Cohort& cohort,
                                        std::span<const double> base_margin = {},
                                        const std::vector<uint8_t>& use = {}) const;
  // Per-row feature contributions of the trees to the log-odds (SHAP values, XGBoost
  // pred_contribs): rows x (kFeatureCount + 1), the last column the bias.
  StatusOr<std::vector<float>> Contributions(const Cohort& cohort) const;

  // "1.7.4": the linked XGBoost library's version.
  static std::string LibraryVersion();

 private:
  void* booster_ = nullptr;
};

}  // namespace pioneer::risk
