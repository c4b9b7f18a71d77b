// `pioneer demo [--population N] [--out DIR] [--seed S]`: the README's main command.
//
// Runs the whole chain on the embedded default, so a newcomer sees Pioneer working end to end
// in one command: synthetic area -> ingest into DIR/pioneer.db -> NHS Number tracing -> person
// timeline -> data-quality report (terminal, DIR/quality.json, DIR/quality.html) -> risk
// stratification (saving the strata) -> every BCF metric (DIR/metrics.json, the national-
// condition figures from those strata included) -> the BCF plan report. Nothing is done twice:
// one timeline and one load of the metrics' reference data serve every step, and the data
// quality scan runs alongside that load. The demo owns
// DIR/extracts and DIR/pioneer.db and recreates them on each run, so repeated runs never mix
// two areas in one store.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>
#include <utility>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/progress.h"
#include "pioneer/careplan/plan_import.h"
#include "pioneer/ingest/ingest.h"
#include "pioneer/link/store_link.h"
#include "pioneer/link/truth_evaluation.h"
#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/quality/quality_dashboard.h"
#include "pioneer/quality/quality_report.h"
#include "pioneer/risk/features.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/area.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::embedded {
extern const unsigned char kDemoPlanToml[];
extern const std::size_t kDemoPlanToml_size;
}  // namespace pioneer::embedded

namespace pioneer::tools {
namespace {

namespace fs = std::filesystem;

struct DemoArgs {
  int64_t population = 800000;
  std::string out = "demo-out";
  uint64_t seed = 2014;
  std::string plan;    // --plan: a plan file instead of the demo plan built into the program
  bool serve = false;  // --serve: then serve the shared care record with demo accounts
  std::string listen = "127.0.0.1:8080";
};

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

bool WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

int Fail(const char* step, const Status& s) {
  std::fprintf(stderr, "pioneer demo: %s failed: %s\n", step, s.ToString().c_str());
  return ExitCodeFor(s);  // exit_codes.h
}

// The plan the demo reports against: --plan FILE, or the demo plan built into the program
// (examples/plans/demo.toml at build time), written to DIR/demo-plan.toml so that the demo
// works from any directory. "" when it cannot be written.
std::string DemoPlanFile(const DemoArgs& a, const fs::path& out) {
  if (!a.plan.empty()) return a.plan;
  fs::path file = out / "demo-plan.toml";
  std::string text(reinterpret_cast<const char*>(embedded::kDemoPlanToml),
                   embedded::kDemoPlanToml_size);
  return WriteText(file, text) ? file.string() : std::string();
}

int RunDemo(const DemoArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const fs::path out = a.out, extracts = out / "extracts", db = out / "pioneer.db";
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) {
    std::fprintf(stderr, "pioneer demo: cannot create %s: %s\n", out.c_str(), ec.message().c_str());
    return 2;
  }
  fs::remove_all(extracts, ec);
  for (const char* suffix :
       {"", "-wal", "-shm", ".timeline", ".audit", ".audit-wal", ".audit-shm"}) {
    fs::remove(db.string() + suffix, ec);
  }

  // Wall time of each step, printed at the end (bench/README.md records them).
  std::vector<std::pair<std::string, double>> steps;
  auto step_start = std::chrono::steady_clock::now();
  auto step_done = [&](const char* name) {
    steps.emplace_back(name, Since(step_start));
    step_start = std::chrono::steady_clock::now();
  };

  // 1. Synthetic area.
  std::printf("[1/8] Generating a synthetic area of %lld people (seed %llu) into %s\n",
              static_cast<long long>(a.population), static_cast<unsigned long long>(a.seed),
              extracts.c_str());
  std::fflush(stdout);
  synth::SynthOptions so;
  so.population = a.population;
  so.seed = a.seed;
  so.out_dir = extracts.string();
  std::unique_ptr<Progress> bar = MakeStderrProgress();
  if (bar) bar->Start(0);
  auto synth = synth::GenerateArea(so, [&bar](const synth::SynthProgress& p) {
    if (bar) {
      bar->Update(
          p.bytes, p.rows,
          std::to_string(p.persons_done) + "/" + std::to_string(p.persons_total) + " people");
    }
  });
  if (bar) bar->Finish();
  if (!synth.ok()) return Fail("synth", synth.status());
  std::printf("      %lld people lived in the area over the window; %lld rows, %.0f MB in %.1f s\n",
              static_cast<long long>(synth->persons), static_cast<long long>(synth->total_rows),
              synth->total_bytes / 1e6, synth->seconds);

  // 2. Ingest.
  step_done("synth");
  std::printf("[2/8] Ingesting into %s\n", db.c_str());
  std::fflush(stdout);
  auto store = store::Store::OpenSqlite(db.string());
  if (!store.ok()) return Fail("opening the store", store.status());
  std::unique_ptr<Progress> ingest_bar = MakeStderrProgress();
  auto report = ingest::IngestDirectory(**store, extracts.string(), ingest::IngestOptions{},
                                        ingest_bar.get());
  if (!report.ok()) return Fail("ingest", report.status());
  std::string recon = ingest::FormatReconciliation(*report);
  std::fwrite(recon.data(), 1, recon.size(), stdout);
  // The area's joint care plans (`pioneer careplan import`; rows with a mistyped NHS Number
  // are rejected and kept in care_plan_rejects).
  auto plans = careplan::ImportPlans(**store, (extracts / "care_plans" / "care_plans.csv").string(),
                                     "pioneer demo");
  if (!plans.ok()) return Fail("care plan import", plans.status());
  std::printf(
      "      joint care plans: %lld rows, %lld plans stored, %lld rejected (kept whole in "
      "care_plan_rejects)\n",
      static_cast<long long>(plans->rows), static_cast<long long>(plans->added),
      static_cast<long long>(plans->rejected));

  // 2b. NHS Number tracing (`pioneer link`), measured against the area's truth files.
  step_done("ingest");
  std::printf("[3/8] Tracing missing and wrong NHS Numbers against the master person index\n");
  std::fflush(stdout);
  std::unique_ptr<Progress> link_bar = MakeLinkProgress();
  auto linked = link::LinkStore(**store, link::StoreLinkOptions{}, link_bar.get());
  if (link_bar) link_bar->Finish();
  if (!linked.ok()) return Fail("link", linked.status());
  auto accuracy = link::EvaluateTracingAgainstTruth(**store, extracts.string());
  if (!accuracy.ok()) return Fail("link evaluation", accuracy.status());
  for (const link::SourceLinkCounts& sc : linked->sources) {
    if (sc.table != "social_care_events") continue;
    std::printf(
        "      social care NHS Number coverage %.1f%% -> %.1f%% (%lld linked "
        "automatically, %lld for clerical review, %lld unmatched) in %.1f s\n",
        100 * sc.coverage_before(), 100 * sc.coverage_after(), static_cast<long long>(sc.automatic),
        static_cast<long long>(sc.review), static_cast<long long>(sc.unmatched), linked->seconds);
  }
  std::printf(
      "      against the truth files: %.2f%% of the %lld records needing a trace now "
      "carry their true NHS Number; %lld of %lld links wrong (wrong-link rate %.3f%%)\n",
      100 * accuracy->share_correctly_traced(), static_cast<long long>(accuracy->needing_trace),
      static_cast<long long>(accuracy->wrong_links), static_cast<long long>(accuracy->usable_links),
      100 * accuracy->wrong_link_rate());
  const std::string link_text = link::StoreLinkReportText(*linked);

  // 3. Person timeline.
  step_done("tracing");
  std::printf("[4/8] Building the person timeline\n");
  std::fflush(stdout);
  auto t_start = std::chrono::steady_clock::now();
  // Opened once through the store's analysis context with the attributes every metric and the
  // risk features read, written as the store's snapshot (DIR/pioneer.db.timeline,
  // docs/snapshot.md) for later commands, and reused by steps 6-8.
  analysis::AnalysisContext ctx(**store, db.string());
  auto metric_fields = metrics::MetricsTimelineFields();
  if (!metric_fields.ok()) return Fail("metrics", metric_fields.status());
  ctx.Require(*metric_fields);
  auto timeline = ctx.Timeline(risk::RiskTimelineOptions());
  if (!timeline.ok()) return Fail("timeline", timeline.status());
  std::string tl = TimelineSummaryText(**timeline, Since(t_start));
  std::fwrite(tl.data(), 1, tl.size(), stdout);

  // 4. Data quality, and alongside it the metrics' reference data (LoadReferenceData: SQL over
  // the whole store, loaded once for the metrics and the plan report): two independent
  // read-only passes over the store, each on its own connection and thread. The synthetic
  // extract ends on so.end: judge "future" against that.
  step_done("timeline");
  std::printf("[5/8] Data quality (and the metrics' reference data alongside)\n");
  std::fflush(stdout);
  quality::QualityOptions qo;
  qo.as_of = so.end;
  StatusOr<quality::QualityReport> q = InternalError("quality not run");
  std::thread quality_thread([&] {
    auto reader = store::Store::OpenExistingSqlite(db.string());
    q = reader.ok() ? quality::BuildQualityReport(**reader, qo) : reader.status();
  });
  StatusOr<const metrics::ReferenceData*> reference = metrics::ContextReferenceData(ctx);
  quality_thread.join();
  if (!q.ok()) return Fail("quality", q.status());
  if (!reference.ok()) return Fail("metrics reference data", reference.status());
  std::string table = quality::RenderQualityTable(*q, qo);
  std::fwrite(table.data(), 1, table.size(), stdout);
  if (!WriteText(out / "quality.json", quality::QualityReportToJson(*q).dump(2) + "\n") ||
      !WriteText(out / "quality.txt", table) ||
      !WriteText(out / "quality.html", quality::RenderQualityDashboard(
                                           *q, "Pioneer demo: synthetic area of " +
                                                   std::to_string(a.population) + " people")) ||
      !WriteText(out / "reconciliation.txt", recon) || !WriteText(out / "link.txt", link_text)) {
    std::fprintf(stderr, "pioneer demo: cannot write the reports in %s\n", out.c_str());
    return 2;
  }

  // Risk of emergency admission: trained one year before the last full outcome year and
  // evaluated on it (temporal validation), with the joint care plan coverage of the
  // high-risk, whose strata it saves to the store; the metrics then count them (nc_*) and the
  // BCF report shows that national condition.
  step_done("quality and reference data");
  std::printf("[6/8] Risk stratification: train at %s, evaluate at %s\n",
              so.start.AddMonths(24).ToIso().c_str(), so.start.AddMonths(36).ToIso().c_str());
  std::fflush(stdout);
  std::string risk_summary;
  if (int rc = WriteDemoRiskReport(**timeline, **store, so.start.AddMonths(24),
                                   so.start.AddMonths(36), (out / "risk").string(), &risk_summary);
      rc != 0)
    return rc;
  std::fwrite(risk_summary.data(), 1, risk_summary.size(), stdout);

  // Metrics: every BCF metric (metrics/run.h), summary by financial year on the terminal;
  // months, quarters and years in DIR/metrics.json (switches at their defaults, listed there).
  // The national-condition metrics read the strata the risk step has just saved, which the
  // timeline (built before) does not hold: they are evaluated again on a timeline of those
  // tables alone (metrics::ReevaluateDerived), as a fresh `pioneer metrics` would count them.
  step_done("risk");
  std::printf("[7/8] BCF metrics 2013/14-2015/16 (fast engine, disclosure control on)\n");
  std::fflush(stdout);
  metrics::EvaluateStoreOptions mo;
  mo.range = *Period::Parse("2013-04..2016-03");
  mo.granularities = {metrics::Granularity::kMonth, metrics::Granularity::kQuarter,
                      metrics::Granularity::kYear};
  auto bcf = metrics::EvaluateStore(ctx, mo);
  if (!bcf.ok()) return Fail("metrics", bcf.status());
  if (Status st = metrics::ReevaluateDerived(ctx, mo, {"risk_strata"}, *bcf); !st.ok()) {
    return Fail("metrics (national condition)", st);
  }
  std::string bcf_summary = metrics::SummaryTable(*bcf);
  std::fwrite(bcf_summary.data(), 1, bcf_summary.size(), stdout);
  if (!WriteText(out / "metrics.json", metrics::ReportJson(*bcf).dump(1) + "\n")) {
    std::fprintf(stderr, "pioneer demo: cannot write %s\n", (out / "metrics.json").c_str());
    return 2;
  }

  // BCF plan report for the demo plan: DIR/report/bcf-part2.xlsx and dashboard.html.
  step_done("metrics");
  std::string plan_xlsx, plan_html;
  const std::string plan_file = DemoPlanFile(a, out);
  if (plan_file.empty()) {
    std::fprintf(stderr, "pioneer demo: cannot write %s\n", (out / "demo-plan.toml").c_str());
    return 2;
  }
  std::printf("[8/8] BCF plan report: %s against the measured metrics\n",
              a.plan.empty() ? "the demo plan (Kirkholme, built in)" : plan_file.c_str());
  std::fflush(stdout);
  std::string headline;
  if (int rc =
          WritePlanReport(db.string(), plan_file, (out / "report").string(), &plan_xlsx, &plan_html,
                          &ctx, &headline, (out / "risk" / "risk-report.json").string(), {});
      rc != 0)
    return rc;
  std::fwrite(headline.data(), 1, headline.size(), stdout);
  step_done("report");

  std::printf("\nDone in %.0f s (", Since(t0));
  for (size_t i = 0; i < steps.size(); ++i) {
    std::printf("%s%s %.1f s", i ? ", " : "", steps[i].first.c_str(), steps[i].second);
  }
  std::printf("). Outputs:\n");
  std::printf("  %-28s every BCF metric by month, quarter and year (`pioneer metrics`)\n",
              (out / "metrics.json").c_str());
  std::printf("  %-28s the synthetic extracts (ground truth in extracts/truth/)\n",
              (extracts.string() + "/").c_str());
  std::printf("  %-28s the store (SQLite): `pioneer quality --db %s`\n", db.c_str(), db.c_str());
  std::printf("  %-28s data-quality dashboard (open in a browser)\n",
              (out / "quality.html").c_str());
  std::printf("  %-28s the same figures for machines\n", (out / "quality.json").c_str());
  std::printf("  %-28s rows read = accepted + quarantined, per file\n",
              (out / "reconciliation.txt").c_str());
  if (!plan_xlsx.empty()) {
    std::printf("  %-28s BCF Part 2 workbook for %s\n", plan_xlsx.c_str(),
                a.plan.empty() ? (out / "demo-plan.toml").c_str() : a.plan.c_str());
    std::printf("  %-28s BCF dashboard: metrics vs trajectory, P4P, risk share, care plans\n",
                plan_html.c_str());
  }
  std::printf("  %-28s risk of emergency admission (both models) and joint care plan coverage\n",
              (out / "risk" / "risk-report.html").c_str());
  std::printf("  %-28s NHS Number tracing: coverage, decisions, model (`pioneer link`)\n",
              (out / "link.txt").c_str());
  for (const auto& f : report->files) {
    if (!f.Reconciles()) {
      std::fprintf(stderr, "pioneer demo: %s does not reconcile\n", f.file_name.c_str());
      return 1;
    }
  }
  if (a.serve) {
    // The shared care record over the demo store, with documented accounts (loopback only).
    std::printf("\n");
    if (int rc = AddDemoUsers(db.string(), **timeline, synth::kCouncilCode); rc != 0) return rc;
    std::printf(
        "Sign in with POST /auth/token (grant_type=password), then GET /fhir/Patient?identifier="
        "... with the bearer token (docs/fhir.md). Ctrl-C stops the server.\n");
    std::fflush(stdout);
    ServeSettings serve;
    serve.db = db.string();
    serve.listen = a.listen;
    return ServeStore(serve, "demo");
  }
  return 0;
}

}  // namespace

void RegisterDemoCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<DemoArgs>();
  auto* cmd = app.add_subcommand(
      "demo", "Synthetic area -> ingest -> timeline -> data quality, end to end");
  cmd->add_option("--population", args->population, "People in the synthetic area")
      ->check(CLI::Range(int64_t{1000}, int64_t{2000000}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output folder")->capture_default_str();
  cmd->add_option("--seed", args->seed, "Random seed of the synthetic area")->capture_default_str();
  cmd->add_option("--plan", args->plan,
                  "BCF plan to report against (default: the demo plan built into the program)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--serve", args->serve,
                "Then serve the demo area's shared care record (FHIR R4 behind the IG gate) "
                "with documented demo accounts, until Ctrl-C (README.md, \"Trying the shared "
                "care record\")");
  cmd->add_option("--listen", args->listen, "With --serve: HOST:PORT (loopback only, plain HTTP)")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = RunDemo(*args); });
}

}  // namespace pioneer::tools
