// `pioneer risk train|score|report`: risk of emergency admission (docs/risk.md).
//   train   --db FILE --index-date D --out MODEL_DIR   both models for the year after D
//   score   --db FILE --model DIR --index-date D --out scores.csv   IDENTIFIABLE, direct care
//   report  --db FILE --model DIR --index-date D --out DIR   risk-report.html + .json
//   score/report --save-strata: also write the strata to the store (risk_strata)
// Exit codes: 0 ok, 2 usage or input error (bad date, no outcome year, bad model), 3 internal.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>

#include "pioneer/analysis/context.h"
#include "pioneer/base/progress.h"
#include "pioneer/risk/national_condition.h"
#include "pioneer/risk/pipeline.h"
#include "pioneer/risk/saved_strata.h"
#include "pioneer/store/objections.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"

namespace pioneer::tools {
namespace {

struct RiskArgs {
  std::string db, model, index_date, out, contributions;
  int rounds = risk::BoostParams{}.rounds;
  int64_t training_negatives = risk::BoostParams{}.training_negatives;
  int threads = 2;
  bool save_strata = false;
};

int Fail(const char* cmd, const Status& s) {
  std::fprintf(stderr, "pioneer risk %s: %s\n", cmd, s.ToString().c_str());
  return s.code() == StatusCode::kInternal ? 3 : 2;
}

// Each stage with the seconds since the first one (where a long run spends its time).
void Stage(const std::string& m) {
  static const auto start = std::chrono::steady_clock::now();
  std::fprintf(stderr, "risk: [%6.1f s] %s\n",
               std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
               m.c_str());
}

bool SamePath(const std::string& a, const std::string& b) {
  std::error_code ec;
  return std::filesystem::weakly_canonical(a, ec) == std::filesystem::weakly_canonical(b, ec);
}

}  // namespace

// What a risk command reads: the store's analysis context (which owns the store), the person
// timeline with the fields risk needs, opened through the snapshot beside the store (mapped
// when current, else rebuilt and written back, said on stderr), and the reference inputs.
struct RiskArea {
  std::unique_ptr<analysis::AnalysisContext> context;
  const timeline::Timeline* timeline = nullptr;
  risk::RiskInputs inputs;
};

StatusOr<RiskArea> LoadRiskArea(const std::string& db) {
  RiskArea area;
  PIONEER_ASSIGN_OR_RETURN(area.context, analysis::AnalysisContext::Open(db));
  Stage("opening the person timeline of " + db);
  std::shared_ptr<Progress> progress = MakeStderrProgress();
  timeline::OpenOptions oo;
  if (progress) {
    progress->Start(0);
    oo.progress = [progress](const timeline::BuildProgress& p) {
      progress->Update(0, p.rows_done, p.stage);
    };
  }
  area.context->SetOpenOptions(oo);
  StatusOr<const timeline::Timeline*> t = area.context->Timeline(risk::RiskTimelineOptions());
  if (progress) progress->Finish();
  if (!t.ok()) return t.status();
  area.timeline = *t;
  PIONEER_ASSIGN_OR_RETURN(area.inputs, risk::LoadRiskInputs(area.context->store()));
  return area;
}

namespace {

int RunTrain(const RiskArgs& a) {
  auto d = Date::ParseIso(a.index_date);
  if (!d) return Fail("train", InvalidArgumentError("--index-date must be YYYY-MM-DD"));
  if (SamePath(a.out, a.db)) {
    return Fail("train", InvalidArgumentError("--out must not be the store"));
  }
  StatusOr<RiskArea> area = LoadRiskArea(a.db);
  if (!area.ok()) return Fail("train", area.status());
  const timeline::Timeline* t = area->timeline;
  const risk::RiskInputs& inputs = area->inputs;
  if (Status s = risk::CheckOutcomeYear(inputs, *d); !s.ok()) return Fail("train", s);
  risk::BoostParams params;
  params.rounds = a.rounds;
  params.training_negatives = a.training_negatives;
  params.threads = a.threads;
  const auto start = std::chrono::steady_clock::now();
  auto model = risk::Train(*t, inputs, *d, params, Stage);
  if (!model.ok()) return Fail("train", model.status());
  model->training["train_seconds"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (Status s = risk::SaveModel(*model, a.out); !s.ok()) return Fail("train", s);
  const auto& tr = model->training;
  std::printf("Trained risk models at index date %s on %lld people; model written to %s\n",
              a.index_date.c_str(), static_cast<long long>(tr["people"].get<int64_t>()),
              a.out.c_str());
  for (const auto& [outcome, o] : tr["outcomes"].items()) {
    std::printf("  %-20s prevalence %5.1f%%  held-out AUROC baseline %.3f, boosted %.3f\n",
                outcome.c_str(), 100 * o["prevalence"].get<double>(),
                o["held_out_auroc_baseline"].get<double>(),
                o["held_out_auroc_boosted"].get<double>());
  }
  return 0;
}

int RunScore(const RiskArgs& a) {
  auto d = Date::ParseIso(a.index_date);
  if (!d) return Fail("score", InvalidArgumentError("--index-date must be YYYY-MM-DD"));
  if (SamePath(a.out, a.db) || (!a.contributions.empty() && SamePath(a.contributions, a.db))) {
    return Fail("score", InvalidArgumentError("an output must not be the store"));
  }
  auto model = risk::LoadModel(a.model, a.threads);
  if (!model.ok()) return Fail("score", model.status());
  StatusOr<RiskArea> area = LoadRiskArea(a.db);
  if (!area.ok()) return Fail("score", area.status());
  const timeline::Timeline* t = area->timeline;
  const risk::RiskInputs& inputs = area->inputs;
  store::Store& store = area->context->store();
  auto scores = risk::Score(*t, inputs, *model, *d);
  if (!scores.ok()) return Fail("score", scores.status());
  // People who objected to their records being used beyond their own care are left out of
  // the case-finding list (a list built from every organisation's records).
  auto objecting = store::ObjectingNhsNumbers(store);
  if (!objecting.ok()) return Fail("score", objecting.status());
  const std::vector<std::string>& objectors = *objecting;
  size_t left_out = 0;
  if (Status s =
          risk::WriteScoresCsv(*t, *model, *scores, a.out, a.contributions, objectors, &left_out);
      !s.ok()) {
    return Fail("score", s);
  }
  std::printf("Scored %zu people at index date %s: %s (IDENTIFIABLE: for direct care only)\n",
              scores->cohort.rows() - left_out, a.index_date.c_str(), a.out.c_str());
  if (a.save_strata) {
    auto saved = risk::SaveStrata(store, *t, *model, *scores, objectors);
    if (!saved.ok()) return Fail("score", saved.status());
    std::printf("  saved the strata of %lld people at %s to the store (risk_strata)\n",
                static_cast<long long>(*saved), a.index_date.c_str());
  }
  if (left_out > 0) {
    std::printf(
        "  %zu people who objected to the use of their records beyond their own care "
        "are ranked but not listed\n",
        left_out);
  }
  if (risk::CheckOutcomeYear(inputs, *d).ok() == false) {
    std::printf(
        "  (the store does not hold the whole year after %s: scores only, no "
        "evaluation)\n",
        a.index_date.c_str());
  }
  return 0;
}

int RunReport(const RiskArgs& a) {
  auto d = Date::ParseIso(a.index_date);
  if (!d) return Fail("report", InvalidArgumentError("--index-date must be YYYY-MM-DD"));
  auto model = risk::LoadModel(a.model, a.threads);
  if (!model.ok()) return Fail("report", model.status());
  StatusOr<RiskArea> area = LoadRiskArea(a.db);
  if (!area.ok()) return Fail("report", area.status());
  const timeline::Timeline* t = area->timeline;
  const risk::RiskInputs& inputs = area->inputs;
  if (Status s = risk::CheckOutcomeYear(inputs, *d); !s.ok()) return Fail("report", s);
  risk::ScoreOptions so;  // an aggregate report: no per-person contributions
  so.contributions = false;
  auto scores = risk::Score(*t, inputs, *model, *d, so);
  if (!scores.ok()) return Fail("report", scores.status());
  auto eval = risk::Evaluate(*scores, *model, inputs);
  {
    Stage("measuring joint care plan coverage of the high-risk (national condition)");
    auto nc = risk::MeasureNationalCondition(area->context->store(), *t, inputs, *model, *scores, 3,
                                             a.save_strata);
    if (!nc.ok()) return Fail("report", nc.status());
    if (a.save_strata) {
      std::printf(
          "Saved the strata at the %zu dates of the national-condition series to the "
          "store (risk_strata)\n",
          (*nc)["over_time"].size());
    }
    eval["national_condition"] = std::move(*nc);
  }
  if (Status s = risk::WriteReport(eval, a.out); !s.ok()) return Fail("report", s);
  std::fputs(risk::EvaluationSummary(eval).c_str(), stdout);
  std::printf("Wrote %s/risk-report.html and %s/risk-report.json\n", a.out.c_str(), a.out.c_str());
  return 0;
}

}  // namespace

void RegisterRiskCommand(CLI::App& app, int& exit_code) {
  auto* risk = app.add_subcommand(
      "risk",
      "Risk of emergency admission in the next 12 months: train a transparent logistic "
      "baseline and an XGBoost model, score people, and report performance (docs/risk.md).\n"
      "Exit codes: 0 ok, 2 usage or input error (bad date, no full outcome year for report, "
      "damaged or other-version model), 3 internal error.");
  risk->require_subcommand(1);
  auto args = std::make_shared<RiskArgs>();

  auto* train = risk->add_subcommand(
      "train",
      "Train both models on features at --index-date and outcomes in the following 365 days "
      "(the store must hold that whole year). Writes MODEL_DIR: model.json (features, training "
      "summary, hash of the training data), coefficients and the XGBoost model, each hashed.");
  AddDbOption(train, args->db, "Store (SQLite)")->required()->check(CLI::ExistingFile);
  train->add_option("--index-date", args->index_date, "Index date YYYY-MM-DD")->required();
  train->add_option("--out", args->out, "Model directory to write")->required();
  train
      ->add_option("--rounds", args->rounds,
                   "Most boosting rounds (the number used is chosen by early stopping on a "
                   "held-out fifth of the training people)")
      ->capture_default_str()
      ->check(CLI::Range(1, 5000));
  train
      ->add_option("--training-negatives", args->training_negatives,
                   "At most this many people without the outcome grow each boosted model: "
                   "above it, a random sample of them, weighted up (0: all; docs/risk.md)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  train
      ->add_option("--threads", args->threads,
                   "Threads (the three outcomes are fitted side by side)")
      ->capture_default_str();
  train->callback([args, &exit_code] { exit_code = RunTrain(*args); });

  auto* score = risk->add_subcommand(
      "score",
      "Score everyone registered and alive at --index-date. IDENTIFIABLE OUTPUT FOR DIRECT "
      "CARE ONLY: scores.csv holds NHS Numbers with each person's risk, bands, centiles, "
      "top 2%/4% flags, segments and the three reasons contributing most; share it only with "
      "the clinicians and care coordinators caring for these people. An index date without a "
      "full outcome year is allowed.");
  AddDbOption(score, args->db, "Store (SQLite)")->required()->check(CLI::ExistingFile);
  score->add_option("--model", args->model, "Model directory from `risk train`")->required();
  score->add_option("--index-date", args->index_date, "Index date YYYY-MM-DD")->required();
  score->add_option("--out", args->out, "scores.csv to write (identifiable)")->required();
  score->add_option("--contributions", args->contributions,
                    "Also write each person's baseline term contributions (identifiable)");
  score->add_option("--threads", args->threads, "XGBoost threads")->capture_default_str();
  score->add_flag("--save-strata", args->save_strata,
                  "Also save everyone's strata (top 2%/4% of the practice, LoA and RUB bands) "
                  "at --index-date to the store's risk_strata table, replacing that date's "
                  "strata; the metrics nc_* count them (docs/risk.md \"Saved strata\")");
  score->callback([args, &exit_code] { exit_code = RunScore(*args); });

  auto* report = risk->add_subcommand(
      "report",
      "Evaluate both models at --index-date against the following year (refused when the "
      "store does not hold that whole year): DIR/risk-report.html (self-contained, charts) and "
      "DIR/risk-report.json. Aggregate output only.");
  AddDbOption(report, args->db, "Store (SQLite)")->required()->check(CLI::ExistingFile);
  report->add_option("--model", args->model, "Model directory from `risk train`")->required();
  report->add_option("--index-date", args->index_date, "Index date YYYY-MM-DD")->required();
  report->add_option("--out", args->out, "Output directory")->required();
  report->add_option("--threads", args->threads, "XGBoost threads")->capture_default_str();
  report->add_flag("--save-strata", args->save_strata,
                   "Also save the strata at every date of the national-condition series "
                   "(--index-date and the three quarters before it) to the store's "
                   "risk_strata table, for the metrics nc_* (docs/risk.md \"Saved strata\")");
  report->callback([args, &exit_code] { exit_code = RunReport(*args); });
}

}  // namespace pioneer::tools
