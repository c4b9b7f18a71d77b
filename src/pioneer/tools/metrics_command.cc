// `pioneer metrics --db FILE [--period 2014-04..2015-03] [--every month|quarter|year|rolling12]
//   [--by none|sex|age_band|practice|ccg|deprivation|hwb] [--json|--csv] [--metric ID]...
//   [--set switch=value]... [--engine fast|reference]
//   [--reconcile REASON --as USERNAME --password-stdin [--include-objectors]]
//   [--shard I/N --counts-out FILE | --merge-counts FILE...]`
// Evaluates the BCF metric catalogue (src/pioneer/metrics) and prints a readable table by
// default, always listing the switches in force. `--update-docs FILE` rewrites the generated
// block of docs/metrics.md instead. Figures are published (small numbers suppressed, objectors
// left out) unless the IG gate grants an IG officer's --reconcile (reconcile_option.h).
// A sharded run (metrics/shard_counts.h): each of n processes counts one person shard into a
// counts file (--shard I/N --counts-out FILE), and --merge-counts adds them and evaluates once.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pioneer/analysis/context.h"
#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/docs.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"
#include "pioneer/tools/reconcile_option.h"
#include "pioneer/tools/same_file.h"

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
  ReconcileArgs reconcile;
  std::string update_docs;
  std::string emit_sql;  // postgres | duckdb | sqlite
  bool timing = false;
  std::string rates;  // --rates FILE
  std::string shard;  // --shard I/N
  std::string counts_out;
  std::vector<std::string> merge_counts;
};

int Fail(const std::string& m) {
  std::fprintf(stderr, "pioneer metrics: %s\n", m.c_str());
  return 2;
}

// --emit-sql DIALECT: every counting statement the evaluation runs (composites summed from
// their components are not statements of their own), in the chosen SQL dialect, each with the
// cells the fast engine counted, as JSON for bench/metrics_bench.sh.
int EmitSql(const MetricsArgs& a, analysis::AnalysisContext& ctx,
            const metrics::SwitchValues& overrides, const metrics::SwitchValues& sw,
            const std::vector<metrics::LabelledPeriod>& periods, metrics::Breakdown by) {
  const store::SqlDialect* named = store::SqlDialect::ByName(a.emit_sql);
  const store::SqlDialect& dialect = named ? *named : store::SqlDialect::Sqlite();
  auto ref = metrics::ContextReferenceData(ctx);
  if (!ref.ok()) return Fail(ref.status().ToString());
  auto catalogue = metrics::BuildCatalogue(sw);
  auto t = metrics::MetricsTimeline(ctx, overrides);
  if (!t.ok()) return Fail(t.status().ToString());
  metrics::FastEngine fast(**t, **ref);
  metrics::CountRequest req{periods, by};
  store::Store& store = ctx.store();
  auto has = [&store](const std::string& table) { return store.HasTable(table); };
  nlohmann::json out = nlohmann::json::array();
  for (const auto& d : catalogue) {
    if (!d.components.empty() && !d.deduplicate_components) continue;
    metrics::Expr pred = metrics::EffectivePredicate(catalogue, d);
    auto counts = fast.Count(d, pred, req);
    if (!counts.ok()) return Fail(counts.status().ToString());
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& [k, n] : *counts) cells.push_back({k.period, k.group, k.esp_band, k.sex, n});
    out.push_back({{"metric", d.id},
                   {"sql", metrics::RenderCountSql(d, pred, req, dialect, has)},
                   {"expected", cells}});
  }
  std::string text = out.dump() + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int PrintReport(const MetricsArgs& a, const metrics::MetricsReport& report) {
  std::string out = a.json  ? metrics::ReportJson(report).dump(2) + "\n"
                    : a.csv ? metrics::ReportCsv(report)
                            : metrics::ReportTable(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

// --shard I/N --counts-out FILE: this shard's counts, for --merge-counts.
int CountShard(const MetricsArgs& a, analysis::AnalysisContext& ctx,
               const metrics::EvaluateStoreOptions& eo) {
  auto shard = analysis::PersonShard::Parse(a.shard);
  if (!shard.ok()) return Fail("--shard: " + shard.status().message());
  if (a.counts_out.empty()) return Fail("--shard needs --counts-out FILE");
  if (SameFile(a.counts_out, a.db)) return Fail("--counts-out must not be the store");
  auto counts = metrics::CountStoreShard(ctx, eo, *shard);
  if (!counts.ok()) return Fail(counts.status().ToString());
  const std::string tmp = a.counts_out + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << metrics::ShardCountsToJson(*counts).dump() << "\n";
    if (!out) return Fail("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, a.counts_out, ec);
  if (ec) return Fail("cannot write " + a.counts_out + ": " + ec.message());
  std::fprintf(stderr, "pioneer metrics: shard %s counted into %s\n", shard->ToString().c_str(),
               a.counts_out.c_str());
  return 0;
}

// --merge-counts FILE...: the shards' counts added, evaluated once. The run's settings
// (periods, breakdown, switches, metrics, release) come from the files.
int MergeCounts(const MetricsArgs& a, analysis::AnalysisContext& ctx) {
  std::vector<metrics::ShardCounts> parts;
  for (const std::string& f : a.merge_counts) {
    auto c = metrics::ReadShardCounts(f);
    if (!c.ok()) return Fail(c.status().message());
    parts.push_back(std::move(*c));
  }
  auto merged = metrics::MergeShardCounts(parts, a.merge_counts);
  if (!merged.ok()) return Fail(merged.status().message());
  auto report = metrics::EvaluateMergedCounts(ctx, *merged, a.rates);
  if (!report.ok()) return Fail(report.status().ToString());
  return PrintReport(a, *report);
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
  if (auto checked = metrics::ResolveSwitches(overrides); !checked.ok()) {
    return Fail(checked.status().message());  // before the store is opened
  }
  auto range = Period::ParseChecked(a.period);
  if (!range.ok()) return Fail("--period: " + range.status().message());
  metrics::Granularity g = a.every == "quarter"     ? metrics::Granularity::kQuarter
                           : a.every == "year"      ? metrics::Granularity::kYear
                           : a.every == "rolling12" ? metrics::Granularity::kRolling12
                                                    : metrics::Granularity::kMonth;
  auto by = metrics::ParseBreakdown(a.by);
  if (!by) return Fail("bad --by '" + a.by + "'");
  std::unique_ptr<analysis::AnalysisContext> ctx =
      OpenContextOrSay(a.db, "metrics", /*read_only=*/true);
  if (ctx == nullptr) return kExitUsage;
  auto release = ReleaseFor(a.reconcile, ctx->store(), "pioneer metrics");
  if (!release.ok()) return Fail(release.status().message());
  auto sw = metrics::ResolveSwitches(overrides, *release);
  if (!sw.ok()) return Fail(sw.status().message());
  if (!a.emit_sql.empty()) {
    return EmitSql(a, *ctx, overrides, *sw, metrics::MakePeriods(*range, g), *by);
  }
  if (!a.merge_counts.empty()) return MergeCounts(a, *ctx);
  metrics::EvaluateStoreOptions eo;
  eo.range = *range;
  eo.granularities = {g};
  eo.breakdown = *by;
  eo.switch_overrides = overrides;
  eo.release = *release;
  eo.metric_ids = a.metrics;
  eo.reference_engine = a.engine == "reference";
  eo.rate_tables_csv = a.rates;
  if (a.timing && a.engine == "fast") {
    // The same evaluation as below, timed in its two parts (for bench/metrics_bench.sh): the
    // context's reference data and timeline first, then EvaluateStore, which reuses them.
    auto t0 = std::chrono::steady_clock::now();
    if (auto ref = metrics::ContextReferenceData(*ctx); !ref.ok()) {
      return Fail(ref.status().ToString());
    }
    if (!a.rates.empty()) {
      auto ref = metrics::ContextReferenceData(*ctx, a.rates);
      if (!ref.ok()) return Fail(ref.status().message());
    }
    timeline::OpenReport opened;
    auto t = metrics::MetricsTimeline(*ctx, overrides, &opened);
    if (!t.ok()) return Fail(t.status().ToString());
    auto t1 = std::chrono::steady_clock::now();
    auto rep = metrics::EvaluateStore(*ctx, eo);
    if (!rep.ok()) return Fail(rep.status().ToString());
    auto t2 = std::chrono::steady_clock::now();
    std::fprintf(stderr,
                 "{\"load_seconds\": %.3f, \"timeline_open_seconds\": %.3f, "
                 "\"timeline_rebuilt\": %s, \"evaluate_seconds\": %.3f, \"values\": %zu}\n",
                 std::chrono::duration<double>(t1 - t0).count(), opened.seconds,
                 opened.rebuilt ? "true" : "false", std::chrono::duration<double>(t2 - t1).count(),
                 rep->values.size());
    return 0;
  }
  if (!a.shard.empty()) return CountShard(a, *ctx, eo);
  auto report = metrics::EvaluateStore(*ctx, eo);
  if (!report.ok()) return Fail(report.status().ToString());
  return PrintReport(a, *report);
}

}  // namespace

void RegisterMetricsCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<MetricsArgs>();
  CLI::App* cmd = app.add_subcommand("metrics", "Compute the BCF metrics from a store");
  AddDbOption(cmd, args->db, "Store file");
  cmd->add_option("--period", args->period, "Range: 2014-04..2015-03, dates, or 2014/15");
  cmd->add_option("--every", args->every, "month, quarter, year or rolling12")
      ->check(CLI::IsMember({"month", "quarter", "year", "rolling12"}));
  cmd->add_option("--by", args->by, "none, sex, age_band, practice, ccg, deprivation, hwb")
      ->check(CLI::IsMember({"none", "sex", "age_band", "practice", "ccg", "deprivation", "hwb"}));
  cmd->add_flag("--json", args->json, "JSON output");
  cmd->add_flag("--csv", args->csv, "CSV output");
  cmd->add_option("--metric", args->metrics, "Metric id (repeatable; default all)");
  cmd->add_option("--set", args->sets, "switch=value (repeatable)");
  cmd->add_option("--rates", args->rates,
                  "CSV of dementia prevalence rates replacing the embedded table(s): "
                  "table,sex,age_band,rate_per_100[,source] (docs/metrics.md)");
  cmd->add_option("--engine", args->engine, "fast (timeline) or reference (SQL)")
      ->check(CLI::IsMember({"fast", "reference"}));
  AddReconcileOptions(cmd, args->reconcile);
  cmd->add_option("--emit-sql", args->emit_sql,
                  "Print every counting statement in this SQL dialect with the fast engine's "
                  "cells, as JSON (for bench/metrics_bench.sh)")
      ->check(CLI::IsMember({"sqlite", "postgres", "duckdb"}));
  cmd->add_flag("--timing", args->timing,
                "Fast engine only: evaluate, print load and evaluation seconds on stderr, no "
                "report (for bench/metrics_bench.sh)");
  cmd->add_option("--shard", args->shard,
                  "Count only this person shard I/N (e.g. 0/4) into --counts-out, for "
                  "--merge-counts (fast engine)");
  cmd->add_option("--counts-out", args->counts_out,
                  "With --shard: the counts file to write (unsuppressed: a working file, never "
                  "for release)");
  cmd->add_option("--merge-counts", args->merge_counts,
                  "Add the counts files of every shard of one run and evaluate once (the "
                  "run's settings come from the files)")
      ->expected(1, -1);
  cmd->add_option("--update-docs", args->update_docs,
                  "Rewrite the generated block of this file (docs/metrics.md)");
  cmd->callback([args, &exit_code] { exit_code = RunMetrics(*args); });
}

}  // namespace pioneer::tools
