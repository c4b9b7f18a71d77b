#include "pioneer/metrics/run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::metrics {

namespace {

constexpr char kReferenceSlot[] = "metrics.reference";

StatusOr<MetricsReport> Released(StatusOr<MetricsReport> r, const ig::AggregateRelease& release) {
  if (r.ok()) r->release_basis = release.basis();
  return r;
}

}  // namespace

StatusOr<timeline::TimelineOptions> MetricsTimelineFields(const SwitchValues& switch_overrides) {
  PIONEER_ASSIGN_OR_RETURN(SwitchValues sw, ResolveSwitches(switch_overrides));
  return RequiredTimelineOptions(BuildCatalogue(sw));
}

StatusOr<const ReferenceData*> ContextReferenceData(analysis::AnalysisContext& ctx,
                                                    const std::string& rate_tables_csv) {
  PIONEER_ASSIGN_OR_RETURN(
      const ReferenceData* loaded,
      ctx.Slot<ReferenceData>(kReferenceSlot, [&ctx] { return LoadReferenceData(ctx.store()); }));
  if (rate_tables_csv.empty()) return loaded;
  return ctx.Slot<ReferenceData>(std::string(kReferenceSlot) + ":" + rate_tables_csv,
                                 [&]() -> StatusOr<ReferenceData> {
                                   ReferenceData with_rates = *loaded;
                                   Status st = LoadRateTablesCsv(rate_tables_csv, with_rates);
                                   if (!st.ok()) return st;
                                   return with_rates;
                                 });
}

void UseReferenceData(analysis::AnalysisContext& ctx, const ReferenceData& reference) {
  ctx.Adopt<ReferenceData>(kReferenceSlot, reference);
}

StatusOr<const timeline::Timeline*> MetricsTimeline(analysis::AnalysisContext& ctx,
                                                    const SwitchValues& switch_overrides,
                                                    timeline::OpenReport* report) {
  PIONEER_ASSIGN_OR_RETURN(timeline::TimelineOptions fields,
                           MetricsTimelineFields(switch_overrides));
  return ctx.Timeline(fields, report);
}

StatusOr<MetricsReport> EvaluateStore(analysis::AnalysisContext& ctx,
                                      const EvaluateStoreOptions& o) {
  PIONEER_ASSIGN_OR_RETURN(SwitchValues sw, ResolveSwitches(o.switch_overrides, o.release));
  PIONEER_ASSIGN_OR_RETURN(const ReferenceData* ref, ContextReferenceData(ctx, o.rate_tables_csv));
  std::vector<LabelledPeriod> periods;
  for (Granularity g : o.granularities) {
    for (auto& p : MakePeriods(o.range, g)) periods.push_back(std::move(p));
  }
  if (o.reference_engine) {
    SqlEngine engine(ctx.store());
    return Released(Evaluate(engine, *ref, sw, periods, o.breakdown, o.metric_ids), o.release);
  }
  PIONEER_ASSIGN_OR_RETURN(const timeline::Timeline* t, MetricsTimeline(ctx, o.switch_overrides));
  FastEngine engine(*t, *ref);
  return Released(Evaluate(engine, *ref, sw, periods, o.breakdown, o.metric_ids), o.release);
}

StatusOr<ShardCounts> CountStoreShard(analysis::AnalysisContext& ctx, const EvaluateStoreOptions& o,
                                      const analysis::PersonShard& shard) {
  if (o.reference_engine) {
    return InvalidArgumentError("a sharded count runs on the fast engine only");
  }
  ShardCounts c;
  c.shard = shard;
  PIONEER_ASSIGN_OR_RETURN(store::StoreGeneration generation, ctx.Generation());
  c.generation = generation.Key();
  c.release = o.release.basis();
  c.breakdown = o.breakdown;
  c.metric_ids = o.metric_ids;
  PIONEER_ASSIGN_OR_RETURN(c.switches, ResolveSwitches(o.switch_overrides, o.release));
  for (Granularity g : o.granularities) {
    for (auto& p : MakePeriods(o.range, g)) c.periods.push_back(std::move(p));
  }
  PIONEER_ASSIGN_OR_RETURN(const ReferenceData* ref, ContextReferenceData(ctx, o.rate_tables_csv));
  PIONEER_ASSIGN_OR_RETURN(const timeline::Timeline* t, MetricsTimeline(ctx, o.switch_overrides));
  FastEngine engine(*t, *ref);
  engine.SetShard(shard);
  c.engine = engine.name();
  PIONEER_ASSIGN_OR_RETURN(c.counts,
                           CountMetrics(engine, c.switches, c.periods, c.breakdown, c.metric_ids));
  return c;
}

StatusOr<MetricsReport> EvaluateMergedCounts(analysis::AnalysisContext& ctx,
                                             const ShardCounts& merged,
                                             const std::string& rate_tables_csv) {
  PIONEER_ASSIGN_OR_RETURN(store::StoreGeneration generation, ctx.Generation());
  if (generation.Key() != merged.generation) {
    return FailedPreconditionError(
        "the store changed since these counts were made (another ingest, link run, review, "
        "care plan or risk strata): count the shards again");
  }
  PIONEER_ASSIGN_OR_RETURN(const ReferenceData* ref, ContextReferenceData(ctx, rate_tables_csv));
  PIONEER_ASSIGN_OR_RETURN(MetricsReport report,
                           EvaluateCounts(merged.counts, merged.engine, *ref, merged.switches,
                                          merged.periods, merged.breakdown, merged.metric_ids));
  report.release_basis = merged.release;
  return report;
}

namespace {

// A context over `store` from the legacy options: their db_path, timeline and reference.
EvaluateStoreOptions InContext(analysis::AnalysisContext& ctx, const EvaluateStoreOptions& o) {
  EvaluateStoreOptions in_ctx = o;
  if (o.reference != nullptr) {
    UseReferenceData(ctx, *o.reference);
    in_ctx.rate_tables_csv.clear();  // the caller's reference data is used as it is
  }
  if (o.timeline != nullptr) ctx.UseTimeline(*o.timeline);
  return in_ctx;
}

}  // namespace

StatusOr<MetricsReport> EvaluateStore(store::Store& store, const EvaluateStoreOptions& o) {
  analysis::AnalysisContext ctx(store, o.db_path);
  return EvaluateStore(ctx, InContext(ctx, o));
}

Status ReevaluateDerived(store::Store& store, const EvaluateStoreOptions& o,
                         const std::vector<std::string>& tables, MetricsReport& report) {
  analysis::AnalysisContext ctx(store, o.db_path);
  return ReevaluateDerived(ctx, InContext(ctx, o), tables, report);
}

Status ReevaluateDerived(analysis::AnalysisContext& ctx, const EvaluateStoreOptions& o,
                         const std::vector<std::string>& tables, MetricsReport& report) {
  std::vector<MetricDefinition> derived;
  std::vector<std::string> ids;
  for (const MetricDefinition& d : report.definitions) {
    if (std::find(tables.begin(), tables.end(), d.source) == tables.end()) continue;
    derived.push_back(d);
    ids.push_back(d.id);
  }
  if (ids.empty()) return OkStatus();
  timeline::TimelineOptions topt = RequiredTimelineOptions(derived);
  for (const auto& d : derived) topt.only_tables.push_back(d.source);
  for (const auto& [table, fields] : topt.attributes) topt.only_tables.push_back(table);
  PIONEER_ASSIGN_OR_RETURN(const ReferenceData* ref, ContextReferenceData(ctx, o.rate_tables_csv));
  PIONEER_ASSIGN_OR_RETURN(timeline::Timeline partial,
                           timeline::Timeline::Build(ctx.store(), {}, topt));
  // The partial timeline and the context's reference data, in a context of their own.
  analysis::AnalysisContext partial_ctx(ctx.store(), "");
  partial_ctx.UseTimeline(partial);
  UseReferenceData(partial_ctx, *ref);
  EvaluateStoreOptions again = o;
  again.rate_tables_csv.clear();
  again.reference_engine = false;
  again.metric_ids = ids;
  PIONEER_ASSIGN_OR_RETURN(MetricsReport fresh, EvaluateStore(partial_ctx, again));
  // Replace the values in place: the first old value of a derived definition is where the
  // fresh values go, in their own order.
  auto is_derived = [&](const MetricValue& v) {
    return std::find(ids.begin(), ids.end(), v.metric_id) != ids.end();
  };
  std::vector<MetricValue> merged;
  merged.reserve(report.values.size());
  bool placed = false;
  for (MetricValue& v : report.values) {
    if (!is_derived(v)) {
      merged.push_back(std::move(v));
      continue;
    }
    if (!placed) {
      for (MetricValue& f : fresh.values) merged.push_back(std::move(f));
      placed = true;
    }
  }
  if (!placed) {
    for (MetricValue& f : fresh.values) merged.push_back(std::move(f));
  }
  report.values = std::move(merged);
  return OkStatus();
}

Status RefreshMetricsSnapshot(store::Store& store, const std::string& db_path,
                              const std::string& command) {
  timeline::OpenOptions oo;
  PIONEER_ASSIGN_OR_RETURN(oo.timeline, MetricsTimelineFields());
  const auto t0 = std::chrono::steady_clock::now();
  bool rebuilt = false;
  PIONEER_RETURN_IF_ERROR(timeline::RefreshSnapshot(store, db_path, oo, false, &rebuilt));
  if (rebuilt && !command.empty()) {
    std::fprintf(stderr, "%s: wrote the timeline snapshot %s in %.1f s\n", command.c_str(),
                 timeline::SnapshotPath(db_path).c_str(),
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return OkStatus();
}

std::string SummaryTable(const MetricsReport& r) {
  std::vector<std::string> labels, years;
  for (const auto& v : r.values) {
    if (std::find(labels.begin(), labels.end(), v.period_label) == labels.end()) {
      labels.push_back(v.period_label);
      if (v.period_label.size() == 7 && v.period_label[4] == '/') years.push_back(v.period_label);
    }
  }
  if (!years.empty()) labels = years;
  // Official titles (not internal ids), cut to one terminal column.
  auto name_of = [](const MetricDefinition& d) {
    return d.title.size() > 58 ? d.title.substr(0, 55) + "..." : d.title;
  };
  std::string out = fmt::format("  {:<58} {:<12}", "metric", "unit");
  for (const auto& l : labels) out += fmt::format(" {:>12}", l);
  out += "\n";
  for (const auto& d : r.definitions) {
    const char* unit = d.unit == Unit::kPer100k   ? "per 100k"
                       : d.unit == Unit::kPer1000 ? "per 1,000"
                       : d.unit == Unit::kPercent ? "%"
                       : d.unit == Unit::kDays    ? "mean days"
                                                  : "count";
    if (d.profile != Profile::kNone) unit = "CV % (mean)";
    out += fmt::format("  {:<58} {:<12}", name_of(d), unit);
    for (const auto& l : labels) {
      std::string cell = "-";
      if (d.profile != Profile::kNone) {
        double sum = 0;
        int n = 0;
        for (const auto& v : r.values) {
          if (v.metric_id == d.id && v.period_label == l && v.group.size() > 3 &&
              v.group.compare(v.group.size() - 3, 3, "|cv") == 0 && v.rate) {
            sum += *v.rate;
            ++n;
          }
        }
        if (n) cell = fmt::format("{:.1f}", sum / n);
      } else {
        for (const auto& v : r.values) {
          if (v.metric_id != d.id || v.period_label != l || v.group != "all") continue;
          if (v.suppressed) {
            cell = "*";
          } else if (d.unit == Unit::kCount) {
            if (v.numerator) cell = fmt::format("{:.0f}", *v.numerator);
          } else if (v.rate) {
            cell = fmt::format("{:.1f}", *v.rate);
          }
        }
      }
      out += fmt::format(" {:>12}", cell);
    }
    out += "\n";
  }
  return out;
}

}  // namespace pioneer::metrics
