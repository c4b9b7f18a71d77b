// Risk stratification end to end: train both models at an index date, score a cohort at any
// index date, and evaluate scores against the observed outcome year (the calls behind
// `pioneer risk train|score|report`, docs/risk.md).
//
// Training (temporal design): the cohort at the training index date D0 with outcomes over
// [D0, D0 + 365). People are split deterministically by a hash of their NHS Number: 80% fit
// the models, 20% fit each model's Platt recalibration and give a held-out AUROC. Evaluation
// uses a later index date D1 (>= D0 + 365 for a fully temporal validation) whose outcome year
// the models never saw.
// Information governance: ScoreRows holds identifiers (NHS Number); only WriteScoresCsv
// writes them, for direct care. Summaries and reports are aggregate.
// Thread safety: functions are independent; a Timeline is read-only.
#pragma once

#include <array>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/model_store.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::risk {

// OK when the store holds the whole outcome year [index, index + 365); otherwise
// kFailedPrecondition naming the last date the store holds.
Status CheckOutcomeYear(const RiskInputs& inputs, Date index_date);

// True for the ~20% of people whose NHS Number hashes into the recalibration split.
bool InRecalibrationSplit(std::string_view nhs_number);
// True for about a fifth of people, by a hash independent of the recalibration split's: among
// the training people, these choose the boosted model's number of rounds (early stopping).
bool InEarlyStoppingSplit(std::string_view nhs_number);
// A number in [0, 1) from a third hash of the NHS Number, independent of both splits: a person
// without the outcome grows the trees when it is below the sampling fraction
// (BoostParams::training_negatives).
double NegativeSampleDraw(std::string_view nhs_number);

// Trains both models for all three outcomes, the outcomes side by side on params.threads
// threads (the result does not depend on the thread count).
// REQUIRES: CheckOutcomeYear(inputs, index) ok.
// Errors: from the fits (e.g. an outcome that never occurs).
// `stage` (optional) is told each step ("fitting baseline for emergency_admission", ...),
// from any of the threads, one call at a time.
StatusOr<RiskModel> Train(const timeline::Timeline& t, const RiskInputs& inputs, Date index_date,
                          const BoostParams& params,
                          const std::function<void(const std::string&)>& stage = {});

// Recalibrated probabilities of both models for every cohort row.
struct Scores {
  Cohort cohort;
  std::array<std::vector<double>, kOutcomeCount> baseline;
  std::array<std::vector<double>, kOutcomeCount> boosted;
  std::vector<float> emergency_contributions;  // boosted SHAP, rows x (kFeatureCount + 1)
};
// What to compute beyond the emergency-admission and any-admission probabilities.
struct ScoreOptions {
  bool top_cost = true;       // the top-5%-cost outcome (Resource Utilisation Bands)
  bool contributions = true;  // per-person SHAP contributions (scores.csv reasons)
};
// Outcomes left out keep empty vectors (and no contributions when not asked for). The
// outcomes are scored side by side on up to DefaultThreads() threads (base/parallel.h); each model
// must then allow prediction from several threads at once on different boosters (BoostedModel: one
// booster per outcome, so it does).
StatusOr<Scores> Score(const timeline::Timeline& t, const RiskInputs& inputs,
                       const RiskModel& model, Date index_date, const ScoreOptions& options = {});
// The same for a cohort already built (BuildCohort, BuildCohorts).
StatusOr<Scores> Score(Cohort cohort, const RiskModel& model, const ScoreOptions& options = {});
// The cohorts at several index dates, built side by side on up to DefaultThreads() threads.
StatusOr<std::vector<Cohort>> BuildCohorts(const timeline::Timeline& t, const RiskInputs& inputs,
                                           std::span<const Date> index_dates);

// Likelihood of Admission band (West Leicestershire): 5 = p >= 50%, 4 = 40-49%, 3 = 30-39%,
// 2 = 20-29%, 1 = below 20%.
int LoaBand(double p_any_admission);
// Resource Utilisation Band from the probability of being in next year's top 5% by cost:
// 5 = p >= 50%, 4 = 30-49%, 3 = 15-29%, 2 = 5-14%, 1 = below 5%.
int RubBand(double p_top_cost);

// Writes one row per cohort person (columns in docs/risk.md). IDENTIFIABLE: for direct care.
// `contributions_path` (optional) receives the baseline's term contributions, one row per
// person and non-zero term. People in `leave_out` (NHS Numbers sorted ascending: those who
// objected to their records being used beyond their own care, store::ObjectingNhsNumbers)
// get no row in either file; they still rank, so everyone else's centiles and top-2%/4%
// flags are those of the whole list. `*left_out` (when given) receives how many were left
// out. Errors: kUnavailable when a file cannot be written.
Status WriteScoresCsv(const timeline::Timeline& t, const RiskModel& model, const Scores& s,
                      const std::string& path, const std::string& contributions_path = "",
                      std::span<const std::string> leave_out = {}, size_t* left_out = nullptr);

// The evaluation (risk-report.json content; the outcomes measured on DefaultThreads() threads):
// REQUIRES CheckOutcomeYear ok for the scores' index date.
nlohmann::json Evaluate(const Scores& s, const RiskModel& model, const RiskInputs& inputs);

// Writes DIR/risk-report.json and DIR/risk-report.html (self-contained, chart.js embedded).
Status WriteReport(const nlohmann::json& evaluation, const std::string& dir);

// A short text summary of an evaluation (for the terminal and `pioneer demo`).
std::string EvaluationSummary(const nlohmann::json& evaluation);

}  // namespace pioneer::risk
