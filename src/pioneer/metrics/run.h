// EvaluateStore: the one call that turns a store into a MetricsReport with the fast engine
// (reference data, timeline with exactly the attributes the catalogue reads, Evaluate).
// Used by `pioneer metrics`, `pioneer demo` and readers of metric values such as the BCF
// report; they should depend on this and on MetricsReport/ReportJson (evaluate.h), whose
// shape is stable: values carry metric_id, period_label, group, numerator, denominator, rate,
// standardised_rate, ci_lower/ci_upper, suppressed.
//
// SummaryTable renders one line per metric with its value in each period (for the demo).
// Errors: kInvalidArgument for bad switches or metric ids; store and timeline errors.
// Thread safety: uses the store from the calling thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/reference_data.h"
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
};

// The timeline every metric with these switches reads (RequiredTimelineOptions of their
// catalogue), through timeline::OpenOrBuild: the one open call of `pioneer metrics`,
// `pioneer report`, `pioneer demo`, and the snapshot `pioneer ingest` and `pioneer link`
// write (RefreshMetricsSnapshot). Errors: the store's, Build's and bad switches.
StatusOr<timeline::Timeline> OpenMetricsTimeline(store::Store& store, const std::string& db_path,
                                                 const SwitchValues& switch_overrides = {},
                                                 timeline::OpenReport* report = nullptr);
// Brings the snapshot of the store at `db_path` up to date for every metric (default
// switches), writing it unless it is current; announces a rebuild on stderr as `command`
// ("": silently).
Status RefreshMetricsSnapshot(store::Store& store, const std::string& db_path,
                              const std::string& command);

StatusOr<MetricsReport> EvaluateStore(store::Store& store, const EvaluateStoreOptions& options);

// The tables Pioneer derives after ingest (risk_strata) change without the extracts changing:
// re-evaluates the definitions of `report` that count one of `tables` (d.source), on a
// partial timeline of pds and the tables those definitions read (TimelineOptions::
// only_tables), and replaces their values in `report`. Gives the values a fresh EvaluateStore
// over the whole store would (those definitions read nothing else). `options` as given to
// the EvaluateStore that made `report` (its timeline is not used). Errors: as EvaluateStore.
Status ReevaluateDerived(store::Store& store, const EvaluateStoreOptions& options,
                         const std::vector<std::string>& tables, MetricsReport& report);

// One line per metric with its rate (or the count for count metrics) in each financial-year
// period of the report ("2014/15"; all periods when it has none), group "all" only; profile
// metrics show the mean CV across providers.
std::string SummaryTable(const MetricsReport& report);

}  // namespace pioneer::metrics
