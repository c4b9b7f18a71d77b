// `pioneer metrics --db FILE [--period 2014-04..2015-03] [--every month|quarter|year|rolling12]
//   [--by none|sex|age_band|practice|ccg|deprivation|hwb] [--json|--csv] [--metric ID]...
//   [--set switch=value]... [--engine fast|reference] [--no-disclosure-control]`
// Evaluates the BCF metric catalogue (src/pioneer/metrics) and prints a readable table by
// default, always listing the switches in force. `--update-docs FILE` rewrites the generated
// block of docs/metrics.md instead.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/docs.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/run.h"
#include "pioneer/store/store.h"

namespace pioneer::tools {

// Declared in commands.h once the lead wires the subcommand in.
void RegisterMetricsCommand(CLI::App& app, int& exit_code);

namespace {

struct MetricsArgs {
  std::string db;
  std::string period = "2013-04..2016-03";
  std::string every = "month";
  std::string by = "none";
  bool json = false, csv = false;
  std::vector<std::string> metrics;
  std::vector<std::string> sets;
  std::string engine = "fast";
  bool no_disclosure = false;
  std::string update_docs;
};

int Fail(const std::string& m) {
  std::fprintf(stderr, "pioneer metrics: %s\n", m.c_str());
  return 2;
}

int RunMetrics(const MetricsArgs& a) {
  if (!a.update_docs.empty()) {
    std::ifstream in(a.update_docs);
    if (!in) return Fail("cannot read " + a.update_docs);
    std::stringstream ss;
    ss << in.rdbuf();
    std::ofstream(a.update_docs, std::ios::trunc) << metrics::UpdateGeneratedBlock(ss.str());
    return 0;
  }
  if (a.db.empty()) return Fail("--db is required");
  metrics::SwitchValues overrides;
  for (const auto& s : a.sets) {
    size_t eq = s.find('=');
    if (eq == std::string::npos) return Fail("--set expects switch=value, got '" + s + "'");
    overrides[s.substr(0, eq)] = s.substr(eq + 1);
  }
  if (a.no_disclosure) overrides["disclosure.apply"] = "false";
  auto sw = metrics::ResolveSwitches(overrides);
  if (!sw.ok()) return Fail(sw.status().message());
  auto range = Period::Parse(a.period);
  if (!range) return Fail("bad --period '" + a.period + "' (e.g. 2014-04..2015-03 or 2014/15)");
  metrics::Granularity g = a.every == "quarter"     ? metrics::Granularity::kQuarter
                           : a.every == "year"      ? metrics::Granularity::kYear
                           : a.every == "rolling12" ? metrics::Granularity::kRolling12
                                                    : metrics::Granularity::kMonth;
  auto by = metrics::ParseBreakdown(a.by);
  if (!by) return Fail("bad --by '" + a.by + "'");
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) return Fail(store.status().ToString());
  metrics::EvaluateStoreOptions eo;
  eo.range = *range;
  eo.granularities = {g};
  eo.breakdown = *by;
  eo.switch_overrides = overrides;
  eo.metric_ids = a.metrics;
  eo.reference_engine = a.engine == "reference";
  auto report = metrics::EvaluateStore(**store, eo);
  if (!report.ok()) return Fail(report.status().ToString());
  std::string out = a.json  ? metrics::ReportJson(*report).dump(2) + "\n"
                    : a.csv ? metrics::ReportCsv(*report)
                            : metrics::ReportTable(*report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void RegisterMetricsCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MetricsArgs>();
  CLI::App* cmd = app.add_subcommand("metrics", "Compute the BCF metrics from a store");
  cmd->add_option("--db", args->db, "Store file");
  cmd->add_option("--period", args->period, "Range: 2014-04..2015-03, dates, or 2014/15");
  cmd->add_option("--every", args->every, "month, quarter, year or rolling12")
      ->check(CLI::IsMember({"month", "quarter", "year", "rolling12"}));
  cmd->add_option("--by", args->by, "none, sex, age_band, practice, ccg, deprivation, hwb")
      ->check(CLI::IsMember({"none", "sex", "age_band", "practice", "ccg", "deprivation", "hwb"}));
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->add_flag("--csv", args->csv, "CSV output");
  cmd->add_option("--metric", args->metrics, "Metric id (repeatable; default all)");
  cmd->add_option("--set", args->sets, "switch=value (repeatable)");
  cmd->add_option("--engine", args->engine, "fast (timeline) or reference (SQL)")
      ->check(CLI::IsMember({"fast", "reference"}));
  cmd->add_flag("--no-disclosure-control", args->no_disclosure,
                "Direct-care use only: no suppression or rounding");
  cmd->add_option("--update-docs", args->update_docs,
                  "Rewrite the generated block of this file (docs/metrics.md)");
  cmd->callback([args, &exit_code] { exit_code = RunMetrics(*args); });
}

}  // namespace pioneer::tools
