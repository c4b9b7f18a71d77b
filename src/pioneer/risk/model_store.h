// A trained risk model set and its directory on disk.
//
// MODEL_DIR/
//   model.json               manifest: format "pioneer-risk-model", format_version, Pioneer
//                            and XGBoost versions, index date, the feature list (name,
//                            source, look-back, definition), the training summary, the
//                            SHA-256 of the training data, and for each outcome the files
//                            below with their SHA-256 and the recalibration of each model
//   model.json.sha256        SHA-256 of model.json (so any edit to the manifest is found)
//   <outcome>.logistic.json  the baseline's coefficients (format "pioneer-logistic", version,
//                            each term's name, definition and coefficient)
//   <outcome>.xgb.json       the boosted model (XGBoost JSON model text)
//
// Load refuses, with a message saying what and why: a missing directory or file, a file
// whose SHA-256 differs from the manifest (damaged or edited), a manifest of another format
// or format version, or a feature list that differs from this build's.
// Thread safety: values; Save/Load touch only MODEL_DIR.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/risk/boosted.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/logistic.h"

namespace pioneer::risk {

inline constexpr const char* kModelFormat = "pioneer-risk-model";
inline constexpr int kModelFormatVersion = 1;

struct OutcomeModels {
  LogisticModel baseline;
  Recalibration baseline_recalibration;
  BoostedModel boosted;
  Recalibration boosted_recalibration;
};

struct RiskModel {
  Date index_date;
  std::string data_sha256;  // of the training matrix and labels
  nlohmann::json training;  // summary written by Train (sizes, prevalence, held-out AUROC)
  BoostParams params;
  std::array<OutcomeModels, kOutcomeCount> outcomes;
};

// Writes the directory (created if absent; existing model files are replaced).
// Errors: kUnavailable when a file cannot be written.
Status SaveModel(const RiskModel& model, const std::string& dir);

// Errors: kNotFound (no directory or manifest), kDataLoss (hash mismatch, unreadable JSON or
// XGBoost model), kFailedPrecondition (other format, format version or feature list).
StatusOr<RiskModel> LoadModel(const std::string& dir, int threads = 2);

}  // namespace pioneer::risk
