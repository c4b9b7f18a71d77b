// `pioneer demo [--population N] [--out DIR] [--seed S] [--plan FILE] [--serve]`: the README's
// main command. The pipeline itself is library code (demo/demo.h); this file shows its text on
// stdout and its progress bars on stderr, lists the outputs, and with --serve serves the
// shared care record over the demo store.
#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "pioneer/base/progress.h"
#include "pioneer/demo/demo.h"
#include "pioneer/synth/area.h"
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

// stdout for the pipeline's text, stderr for its notes and progress bars.
class TerminalObserver : public demo::DemoObserver {
 public:
  void Say(const std::string& text) override {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  }
  void Note(const std::string& text) override { std::fwrite(text.data(), 1, text.size(), stderr); }
  std::unique_ptr<Progress> Bar(std::string_view kind) override {
    return kind == "link" ? MakeLinkProgress() : MakeStderrProgress();
  }
};

int RunDemo(const DemoArgs& a) {
  demo::DemoOptions o;
  o.population = a.population;
  o.seed = a.seed;
  o.out_dir = a.out;
  o.plan_file = a.plan;
  o.builtin_plan.assign(reinterpret_cast<const char*>(embedded::kDemoPlanToml),
                        embedded::kDemoPlanToml_size);
  TerminalObserver observer;
  auto run = demo::RunDemo(o, observer);
  if (!run.ok()) {
    std::fprintf(stderr, "pioneer demo: %s\n", run.status().message().c_str());
    return ExitCodeFor(run.status());  // exit_codes.h
  }
  const fs::path out = a.out;
  std::printf("\nDone in %.0f s (", run->seconds);
  for (size_t i = 0; i < run->steps.size(); ++i) {
    std::printf("%s%s %.1f s", i ? ", " : "", run->steps[i].first.c_str(), run->steps[i].second);
  }
  std::printf("). Outputs:\n");
  std::printf("  %-28s every BCF metric by month, quarter and year (`pioneer metrics`)\n",
              (out / "metrics.json").c_str());
  std::printf("  %-28s the synthetic extracts (ground truth in extracts/truth/)\n",
              (run->extracts + "/").c_str());
  std::printf("  %-28s the store (SQLite): `pioneer quality --db %s`\n", run->db.c_str(),
              run->db.c_str());
  std::printf("  %-28s data-quality dashboard (open in a browser)\n",
              (out / "quality.html").c_str());
  std::printf("  %-28s the same figures for machines\n", (out / "quality.json").c_str());
  std::printf("  %-28s rows read = accepted + quarantined, per file\n",
              (out / "reconciliation.txt").c_str());
  std::printf("  %-28s BCF Part 2 workbook for %s\n", run->plan_xlsx.c_str(),
              run->plan_file.c_str());
  std::printf("  %-28s BCF dashboard: metrics vs trajectory, P4P, risk share, care plans\n",
              run->plan_html.c_str());
  std::printf("  %-28s risk of emergency admission (both models) and joint care plan coverage\n",
              (out / "risk" / "risk-report.html").c_str());
  std::printf("  %-28s NHS Number tracing: coverage, decisions, model (`pioneer link`)\n",
              (out / "link.txt").c_str());
  for (const std::string& file : run->not_reconciled) {
    std::fprintf(stderr, "pioneer demo: %s does not reconcile\n", file.c_str());
  }
  if (!run->not_reconciled.empty()) return kExitFindings;
  if (a.serve) {
    // The shared care record over the demo store, with documented accounts (loopback only).
    std::printf("\n");
    auto timeline = run->context->Timeline();
    if (!timeline.ok()) {
      std::fprintf(stderr, "pioneer demo: %s\n", timeline.status().ToString().c_str());
      return ExitCodeFor(timeline.status());
    }
    if (int rc = AddDemoUsers(run->db, **timeline, synth::kCouncilCode); rc != 0) return rc;
    std::printf(
        "Sign in with POST /auth/token (grant_type=password), then GET /fhir/Patient?identifier="
        "... with the bearer token (docs/fhir.md). Ctrl-C stops the server.\n");
    std::fflush(stdout);
    ServeSettings serve;
    serve.db = run->db;
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
