// EvaluateStore: the one call that turns a store into a MetricsReport with the fast engine
// (reference data, timeline with exactly the attributes the catalogue reads, Evaluate), over
// an analysis::AnalysisContext (analysis/context.h): the context opens the store, the timeline
// through its snapshot and the reference data, each once, however many callers ask. Used by
// `pioneer metrics`, `pioneer report`, `pioneer demo` and readers of metric values such as the
// BCF report (report/measure.h); they should depend on this and on MetricsReport/ReportJson
// (evaluate.h), whose shape is stable: values carry metric_id, period_label, group, numerator,
// denominator, rate, standardised_rate, ci_lower/ci_upper, suppressed.
//
// SummaryTable renders one line per metric with its value in each period (for the demo).
// Errors: kInvalidArgument for bad switches or metric ids; store and timeline errors.
// Thread safety: uses the store from the calling thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/shard_counts.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::metrics {

struct EvaluateStoreOptions {
  Period range;  // e.g. Period::Parse("2013-04..2016-03")
  // Periods of each granularity, in this order (e.g. {kMonth, kQuarter, kYear}).
  std::vector<Granularity> granularities = {Granularity::kYear};
  Breakdown breakdown = Breakdown::kNone;
  SwitchValues switch_overrides;  // resolved against AllSwitches() (no gated switch)
  // What the output may contain (small numbers, objectors), as the IG gate decided it:
  // published unless Gate::ReleaseAggregates granted otherwise (docs/ig.md R23).
  ig::AggregateRelease release = ig::AggregateRelease::Published();
  std::vector<std::string> metric_ids;  // empty = every metric
  bool reference_engine = false;        // SQL on the store instead of the timeline
  std::string rate_tables_csv;          // non-empty: LoadRateTablesCsv (reference_data.h)
  // Reuse this timeline instead of building one (fast engine only). It must have been built
  // from `store` with RequiredTimelineOptions(catalogue) or a superset (a missing field is
  // a kInvalidArgument from the engine). Not owned; must outlive the call.
  const timeline::Timeline* timeline = nullptr;
  // Reuse this reference data instead of loading it (LoadReferenceData: SQL over the whole
  // store, the slowest part of a run). It must have been loaded from `store` since its last
  // ingest or link run; rate_tables_csv is then not applied (apply it to this copy). Not
  // owned; must outlive the call.
  const ReferenceData* reference = nullptr;
  // The store's file. Without `timeline`, the timeline is opened through its snapshot beside
  // this file (timeline::OpenOrBuild: mapped when current, else rebuilt, said on stderr, and
  // written back); "" builds it in memory.
  std::string db_path;
  // The three above (timeline, reference, db_path) are for EvaluateStore(store::Store&, ...):
  // it makes an AnalysisContext over the store from them. EvaluateStore(AnalysisContext&, ...)
  // ignores them and takes all three from the context.
};

// The attribute fields every metric with these switches reads (RequiredTimelineOptions of
// their catalogue). Errors: bad switches.
StatusOr<timeline::TimelineOptions> MetricsTimelineFields(
    const SwitchValues& switch_overrides = {});

// The context's metrics reference data: LoadReferenceData(ctx.store()) on the first call only,
// kept in the context (slot "metrics.reference"); with `rate_tables_csv`, a copy with
// LoadRateTablesCsv applied, also made once per file. Errors: LoadReferenceData's and
// LoadRateTablesCsv's (not kept: the next call tries again).
StatusOr<const ReferenceData*> ContextReferenceData(analysis::AnalysisContext& ctx,
                                                    const std::string& rate_tables_csv = "");
// Makes `reference` (loaded by the caller from ctx.store(); not owned, must outlive `ctx`) the
// context's reference data.
void UseReferenceData(analysis::AnalysisContext& ctx, const ReferenceData& reference);
// The context's timeline, holding at least MetricsTimelineFields(switch_overrides).
StatusOr<const timeline::Timeline*> MetricsTimeline(analysis::AnalysisContext& ctx,
                                                    const SwitchValues& switch_overrides = {},
                                                    timeline::OpenReport* report = nullptr);

// Brings the snapshot of the store at `db_path` up to date for every metric (default
// switches: the fields MetricsTimeline opens it with), writing it unless it is current (what
// `pioneer ingest` and `pioneer link` do at the end of a run); announces a rebuild on stderr as
// `command`
// ("": silently).
Status RefreshMetricsSnapshot(store::Store& store, const std::string& db_path,
                              const std::string& command);

// Evaluates over the context's reference data (ContextReferenceData with
// options.rate_tables_csv) and, for the fast engine, its timeline (MetricsTimeline).
StatusOr<MetricsReport> EvaluateStore(analysis::AnalysisContext& ctx,
                                      const EvaluateStoreOptions& options);
// The same over a context made from `store` and options.db_path, adopting options.timeline
// and options.reference when given (rate_tables_csv is then not applied).
StatusOr<MetricsReport> EvaluateStore(store::Store& store, const EvaluateStoreOptions& options);

// Sharded runs (shard_counts.h). CountStoreShard counts the persons of `shard` with the fast
// engine over the context's timeline, with options' switches, periods, breakdown, release and
// metric ids, and records the store's generation. EvaluateMergedCounts evaluates merged
// counts over the context's reference data: the store must be at the counts' generation
// (else kFailedPrecondition: count again), and the report carries the counts' release basis.
// options.reference_engine is kInvalidArgument for CountStoreShard (the fast engine only).
StatusOr<ShardCounts> CountStoreShard(analysis::AnalysisContext& ctx,
                                      const EvaluateStoreOptions& options,
                                      const analysis::PersonShard& shard);
StatusOr<MetricsReport> EvaluateMergedCounts(analysis::AnalysisContext& ctx,
                                             const ShardCounts& merged,
                                             const std::string& rate_tables_csv = "");

// The tables Pioneer derives after ingest (risk_strata) change without the extracts changing:
// re-evaluates the definitions of `report` that count one of `tables` (d.source), on a
// partial timeline of pds and the tables those definitions read (TimelineOptions::
// only_tables), and replaces their values in `report`. Gives the values a fresh EvaluateStore
// over the whole store would (those definitions read nothing else). `options` as given to
// the EvaluateStore that made `report` (its timeline is not used). Errors: as EvaluateStore.
// The context's reference data is used (the context's timeline is not).
Status ReevaluateDerived(analysis::AnalysisContext& ctx, const EvaluateStoreOptions& options,
                         const std::vector<std::string>& tables, MetricsReport& report);
Status ReevaluateDerived(store::Store& store, const EvaluateStoreOptions& options,
                         const std::vector<std::string>& tables, MetricsReport& report);

// One line per metric with its rate (or the count for count metrics) in each financial-year
// period of the report ("2014/15"; all periods when it has none), group "all" only; profile
// metrics show the mean CV across providers.
std::string SummaryTable(const MetricsReport& report);

}  // namespace pioneer::metrics
