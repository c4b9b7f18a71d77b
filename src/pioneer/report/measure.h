// Measures what a plan report needs from a store, through the public metrics API
// (src/pioneer/metrics: BuildCatalogue, FastEngine over the person timeline of an
// analysis::AnalysisContext with its reference data, Evaluate) and one read of the unit-cost
// reference table. Every count about people is a catalogue metric, evaluated with the
// catalogue's default switches as a published release (ig::AggregateRelease::Published: small
// numbers suppressed, the rest rounded to 5, objectors left out), because a Health and
// Wellbeing Board report is a published aggregate. Ids the catalogue does not have are listed
// in Observations::not_in_catalogue, never an error.
// Thread safety: uses the context from one thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/report/observations.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::report {

// The context's timeline (metrics::MetricsTimeline, default switches) and reference data
// (metrics::ContextReferenceData), each opened or loaded once per context.
StatusOr<Observations> MeasureMetrics(analysis::AnalysisContext& ctx,
                                      const std::vector<std::string>& catalogue_ids,
                                      const std::vector<NamedPeriod>& periods);
// The money models' facts: unit costs at `price_year` (falling back to the latest price year
// of each activity) from the unit_costs table, and, from catalogue metrics (published as
// above): reablement_starts per period, the mean of reablement_mean_days over the span of
// `periods` (first start to last end) in weeks, and seven_day_discharges_all_providers over
// `weekday_period` (skipped when that period is empty). A source table the store lacks leaves
// its facts unmeasured.
StatusOr<StoreFacts> MeasureFacts(analysis::AnalysisContext& ctx,
                                  const std::vector<NamedPeriod>& periods,
                                  const std::string& price_year, const Period& weekday_period);

// Copies published metric values into the facts (pure; tested with hand-made values): a
// suppressed reablement count leaves its period out, a suppressed weekday is -1, a suppressed
// mean leaves the mean unmeasured. `span_label` names the period of the mean.
void PutActivityFacts(const std::vector<metrics::MetricValue>& published,
                      const std::vector<NamedPeriod>& periods, const std::string& span_label,
                      StoreFacts& facts);

}  // namespace pioneer::report
