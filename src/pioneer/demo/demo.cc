#include "pioneer/demo/demo.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "pioneer/careplan/plan_import.h"
#include "pioneer/ingest/ingest.h"
#include "pioneer/link/store_link.h"
#include "pioneer/link/truth_evaluation.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan_reader.h"
#include "pioneer/quality/quality_dashboard.h"
#include "pioneer/quality/quality_report.h"
#include "pioneer/report/plan_report.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/model_store.h"
#include "pioneer/risk/national_condition.h"
#include "pioneer/risk/pipeline.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/summary.h"

namespace pioneer::demo {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

bool WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

Status StepFailed(const char* step, const Status& s) {
  return Status(s.code(), fmt::format("{} failed: {}", step, s.ToString()));
}

Status CannotWrite(const fs::path& what) {
  return UnavailableError("cannot write " + what.string());
}

// Step 6: both risk models trained at `train_date`, evaluated at `evaluate_date`, with the
// joint care plan coverage of the high-risk, whose strata are saved to the store (the
// catalogue's nc_* metrics count them). Writes OUT_DIR/model/ and risk-report.{html,json};
// returns the text summary.
StatusOr<std::string> RiskStep(const timeline::Timeline& t, store::Store& store, Date train_date,
                               Date evaluate_date, const std::string& out_dir,
                               DemoObserver& observer) {
  const auto start = Clock::now();
  auto stage = [&](const std::string& m) {
    observer.Note(fmt::format("risk: [{:6.1f} s] {}\n", Since(start), m));
  };
  PIONEER_ASSIGN_OR_RETURN(risk::RiskInputs inputs, risk::LoadRiskInputs(store));
  risk::BoostParams params;
  PIONEER_ASSIGN_OR_RETURN(risk::RiskModel model,
                           risk::Train(t, inputs, train_date, params, stage));
  PIONEER_RETURN_IF_ERROR(risk::SaveModel(model, out_dir + "/model"));
  PIONEER_RETURN_IF_ERROR(risk::CheckOutcomeYear(inputs, evaluate_date));
  stage("scoring the cohort at " + evaluate_date.ToIso());
  // The demo writes no score list, so no per-person contributions (reasons).
  risk::ScoreOptions so;
  so.contributions = false;
  PIONEER_ASSIGN_OR_RETURN(risk::Scores scores, risk::Score(t, inputs, model, evaluate_date, so));
  stage("evaluating both models against the outcome year");
  nlohmann::json eval = risk::Evaluate(scores, model, inputs);
  stage("measuring joint care plan coverage of the high-risk (national condition)");
  PIONEER_ASSIGN_OR_RETURN(nlohmann::json nc,
                           risk::MeasureNationalCondition(store, t, inputs, model, scores, 3,
                                                          /*save_strata=*/true));
  eval["national_condition"] = std::move(nc);
  stage("writing the report");
  PIONEER_RETURN_IF_ERROR(risk::WriteReport(eval, out_dir));
  stage("done");
  return risk::EvaluationSummary(eval);
}

// Step 1: the synthetic area's extracts.
Status SynthStep(const synth::SynthOptions& so, DemoObserver& observer) {
  observer.Say(fmt::format("[1/8] Generating a synthetic area of {} people (seed {}) into {}\n",
                           so.population, so.seed, so.out_dir));
  std::unique_ptr<Progress> bar = observer.Bar("synth");
  if (bar) bar->Start(0);
  auto synth = synth::GenerateArea(so, [&bar](const synth::SynthProgress& p) {
    if (bar) {
      bar->Update(
          p.bytes, p.rows,
          std::to_string(p.persons_done) + "/" + std::to_string(p.persons_total) + " people");
    }
  });
  if (bar) bar->Finish();
  if (!synth.ok()) return StepFailed("synth", synth.status());
  observer.Say(fmt::format(
      "      {} people lived in the area over the window; {} rows, {:.0f} MB in {:.1f} s\n",
      synth->persons, synth->total_rows, synth->total_bytes / 1e6, synth->seconds));
  return OkStatus();
}

// Step 2: ingest, and the area's joint care plans (`pioneer careplan import`; rows with a
// mistyped NHS Number are rejected and kept in care_plan_rejects). Returns the
// reconciliation text.
StatusOr<std::string> IngestStep(const fs::path& extracts, DemoRun& run, DemoObserver& observer) {
  observer.Say(fmt::format("[2/8] Ingesting into {}\n", run.db));
  auto store = store::Store::OpenSqlite(run.db);
  if (!store.ok()) return StepFailed("opening the store", store.status());
  run.store = std::move(*store);
  std::unique_ptr<Progress> bar = observer.Bar("ingest");
  auto report =
      ingest::IngestDirectory(*run.store, extracts.string(), ingest::IngestOptions{}, bar.get());
  if (!report.ok()) return StepFailed("ingest", report.status());
  std::string recon = ingest::FormatReconciliation(*report);
  observer.Say(recon);
  for (const auto& f : report->files) {
    if (!f.Reconciles()) run.not_reconciled.push_back(f.file_name);
  }
  auto plans = careplan::ImportPlans(
      *run.store, (extracts / "care_plans" / "care_plans.csv").string(), "pioneer demo");
  if (!plans.ok()) return StepFailed("care plan import", plans.status());
  observer.Say(
      fmt::format("      joint care plans: {} rows, {} plans stored, {} rejected (kept whole in "
                  "care_plan_rejects)\n",
                  plans->rows, plans->added, plans->rejected));
  return recon;
}

// Step 3: NHS Number tracing (`pioneer link`), measured against the area's truth files.
// Returns the tracing report's text.
StatusOr<std::string> TraceStep(store::Store& store, const fs::path& extracts,
                                DemoObserver& observer) {
  observer.Say("[3/8] Tracing missing and wrong NHS Numbers against the master person index\n");
  std::unique_ptr<Progress> bar = observer.Bar("link");
  auto linked = link::LinkStore(store, link::StoreLinkOptions{}, bar.get());
  if (bar) bar->Finish();
  if (!linked.ok()) return StepFailed("link", linked.status());
  auto accuracy = link::EvaluateTracingAgainstTruth(store, extracts.string());
  if (!accuracy.ok()) return StepFailed("link evaluation", accuracy.status());
  for (const link::SourceLinkCounts& sc : linked->sources) {
    if (sc.table != "social_care_events") continue;
    observer.Say(
        fmt::format("      social care NHS Number coverage {:.1f}% -> {:.1f}% ({} linked "
                    "automatically, {} for clerical review, {} unmatched) in {:.1f} s\n",
                    100 * sc.coverage_before(), 100 * sc.coverage_after(), sc.automatic, sc.review,
                    sc.unmatched, linked->seconds));
  }
  observer.Say(fmt::format(
      "      against the truth files: {:.2f}% of the {} records needing a trace now "
      "carry their true NHS Number; {} of {} links wrong (wrong-link rate {:.3f}%)\n",
      100 * accuracy->share_correctly_traced(), accuracy->needing_trace, accuracy->wrong_links,
      accuracy->usable_links, 100 * accuracy->wrong_link_rate()));
  return link::StoreLinkReportText(*linked);
}

// Step 5: data quality, and alongside it the metrics' reference data (SQL over the whole
// store, loaded once for the metrics and the plan report): two independent read-only passes
// over the store, each on its own connection and thread. `as_of` is the synthetic extract's
// end ("future" is judged against it). Writes the quality, reconciliation and tracing reports.
Status QualityStep(analysis::AnalysisContext& ctx, const DemoRun& run, Date as_of,
                   const fs::path& out, const std::string& title, const std::string& recon,
                   const std::string& link_text, DemoObserver& observer) {
  observer.Say("[5/8] Data quality (and the metrics' reference data alongside)\n");
  quality::QualityOptions qo;
  qo.as_of = as_of;
  StatusOr<quality::QualityReport> q = InternalError("quality not run");
  std::thread quality_thread([&] {
    auto reader = store::Store::OpenExistingSqlite(run.db);
    q = reader.ok() ? quality::BuildQualityReport(**reader, qo) : reader.status();
  });
  StatusOr<const metrics::ReferenceData*> reference = metrics::ContextReferenceData(ctx);
  quality_thread.join();
  if (!q.ok()) return StepFailed("quality", q.status());
  if (!reference.ok()) return StepFailed("metrics reference data", reference.status());
  const std::string table = quality::RenderQualityTable(*q, qo);
  observer.Say(table);
  if (!WriteText(out / "quality.json", quality::QualityReportToJson(*q).dump(2) + "\n") ||
      !WriteText(out / "quality.txt", table) ||
      !WriteText(out / "quality.html", quality::RenderQualityDashboard(*q, title)) ||
      !WriteText(out / "reconciliation.txt", recon) || !WriteText(out / "link.txt", link_text)) {
    return UnavailableError("cannot write the reports in " + out.string());
  }
  return OkStatus();
}

// Step 7: every BCF metric (metrics/run.h), summary by financial year on the terminal; months,
// quarters and years in OUT/metrics.json (switches at their defaults, listed there). The
// national-condition metrics read the strata step 6 has just saved, which the timeline (built
// before) does not hold: they are evaluated again on a timeline of those tables alone
// (metrics::ReevaluateDerived), as a fresh `pioneer metrics` would count them.
Status MetricsStep(analysis::AnalysisContext& ctx, const fs::path& out, DemoObserver& observer) {
  observer.Say("[7/8] BCF metrics 2013/14-2015/16 (fast engine, disclosure control on)\n");
  metrics::EvaluateStoreOptions mo;
  mo.range = *Period::Parse("2013-04..2016-03");
  mo.granularities = {metrics::Granularity::kMonth, metrics::Granularity::kQuarter,
                      metrics::Granularity::kYear};
  auto bcf = metrics::EvaluateStore(ctx, mo);
  if (!bcf.ok()) return StepFailed("metrics", bcf.status());
  if (Status st = metrics::ReevaluateDerived(ctx, mo, {"risk_strata"}, *bcf); !st.ok()) {
    return StepFailed("metrics (national condition)", st);
  }
  observer.Say(metrics::SummaryTable(*bcf));
  if (!WriteText(out / "metrics.json", metrics::ReportJson(*bcf).dump(1) + "\n")) {
    return CannotWrite(out / "metrics.json");
  }
  return OkStatus();
}

// Step 8: the BCF plan report, OUT/report/bcf-part2.xlsx and dashboard.html.
Status ReportStep(const DemoOptions& a, analysis::AnalysisContext& ctx, const fs::path& out,
                  DemoRun& run, DemoObserver& observer) {
  run.plan_file = a.plan_file;
  if (run.plan_file.empty()) {
    run.plan_file = (out / "demo-plan.toml").string();
    if (!WriteText(run.plan_file, a.builtin_plan)) return CannotWrite(run.plan_file);
  }
  observer.Say(
      fmt::format("[8/8] BCF plan report: {} against the measured metrics\n",
                  a.plan_file.empty() ? "the demo plan (Kirkholme, built in)" : run.plan_file));
  auto plan = plan::ReadPlanFile(run.plan_file);
  if (!plan.ok()) return StepFailed("reading the plan", plan.status());
  observer.Note(fmt::format("pioneer report: measuring {} against {} ...\n", plan->hwb, run.db));
  report::PlanReportInputs inputs;
  inputs.risk_report = (out / "risk" / "risk-report.json").string();
  auto files = report::WritePlanReport(*plan, ctx, (out / "report").string(), inputs);
  if (!files.ok()) return StepFailed("report", files.status());
  if (!files->findings.empty()) {
    const int errors = plan::CountErrors(files->findings);
    observer.Note(fmt::format(
        "pioneer report: the plan has {} error(s) and {} warning(s) (`pioneer plan validate "
        "{}`)\n",
        errors, files->findings.size() - errors, run.plan_file));
  }
  run.plan_xlsx = files->xlsx;
  run.plan_html = files->html;
  observer.Say(files->headline);
  return OkStatus();
}

}  // namespace

StatusOr<DemoRun> RunDemo(const DemoOptions& a, DemoObserver& observer) {
  const auto t0 = Clock::now();
  const fs::path out = a.out_dir, extracts = out / "extracts", db = out / "pioneer.db";
  DemoRun run;
  run.extracts = extracts.string();
  run.db = db.string();
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) return UnavailableError("cannot create " + out.string() + ": " + ec.message());
  fs::remove_all(extracts, ec);
  for (const char* suffix :
       {"", "-wal", "-shm", ".timeline", ".audit", ".audit-wal", ".audit-shm"}) {
    fs::remove(db.string() + suffix, ec);
  }
  auto step_start = Clock::now();
  auto step_done = [&](const char* name) {
    run.steps.emplace_back(name, Since(step_start));
    step_start = Clock::now();
  };

  synth::SynthOptions so;
  so.population = a.population;
  so.seed = a.seed;
  so.out_dir = extracts.string();
  PIONEER_RETURN_IF_ERROR(SynthStep(so, observer));
  step_done("synth");
  PIONEER_ASSIGN_OR_RETURN(const std::string recon, IngestStep(extracts, run, observer));
  step_done("ingest");
  PIONEER_ASSIGN_OR_RETURN(const std::string link_text, TraceStep(*run.store, extracts, observer));
  step_done("tracing");

  // 4. The person timeline, opened once through the store's analysis context with the
  // attributes every metric and the risk features read, written as the store's snapshot
  // (docs/snapshot.md) for later commands, and reused by steps 5-8.
  observer.Say("[4/8] Building the person timeline\n");
  const auto t_start = Clock::now();
  run.context = std::make_unique<analysis::AnalysisContext>(*run.store, db.string());
  analysis::AnalysisContext& ctx = *run.context;
  auto metric_fields = metrics::MetricsTimelineFields();
  if (!metric_fields.ok()) return StepFailed("metrics", metric_fields.status());
  ctx.Require(*metric_fields);
  auto timeline = ctx.Timeline(risk::RiskTimelineOptions());
  if (!timeline.ok()) return StepFailed("timeline", timeline.status());
  observer.Say(timeline::SummaryText(**timeline, Since(t_start)));
  step_done("timeline");

  PIONEER_RETURN_IF_ERROR(
      QualityStep(ctx, run, so.end, out,
                  "Pioneer demo: synthetic area of " + std::to_string(a.population) + " people",
                  recon, link_text, observer));
  step_done("quality and reference data");

  // 6. Risk of emergency admission: trained one year before the last full outcome year and
  // evaluated on it (temporal validation).
  const Date train = so.start.AddMonths(24), evaluate = so.start.AddMonths(36);
  observer.Say(fmt::format("[6/8] Risk stratification: train at {}, evaluate at {}\n",
                           train.ToIso(), evaluate.ToIso()));
  auto risk_summary =
      RiskStep(**timeline, *run.store, train, evaluate, (out / "risk").string(), observer);
  if (!risk_summary.ok()) return StepFailed("risk", risk_summary.status());
  observer.Say(*risk_summary);
  step_done("risk");

  PIONEER_RETURN_IF_ERROR(MetricsStep(ctx, out, observer));
  step_done("metrics");
  PIONEER_RETURN_IF_ERROR(ReportStep(a, ctx, out, run, observer));
  step_done("report");
  run.seconds = Since(t0);
  return run;
}

}  // namespace pioneer::demo
