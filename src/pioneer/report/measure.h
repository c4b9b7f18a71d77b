// Measures what a plan report needs from a store, through the public metrics API
// (src/pioneer/metrics: BuildCatalogue, FastEngine over the person timeline of an
// analysis::AnalysisContext with its reference data, Evaluate) and
// narrow read-only queries (unit costs, reablement starts, discharges by weekday).
// Metrics are evaluated with the catalogue's default switches and disclosure control on (a
// Health and Wellbeing Board report is a published aggregate); ids the catalogue does not
// have are listed in Observations::not_in_catalogue, never an error.
// Thread safety: uses the store from one thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/status.h"
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
// Unit costs at `price_year` (falling back to the latest price year of each activity),
// reablement starts per period, mean reablement weeks, discharges by weekday over
// `weekday_period`.
StatusOr<StoreFacts> MeasureFacts(store::Store& store, const std::vector<NamedPeriod>& periods,
                                  const std::string& price_year, const Period& weekday_period);

}  // namespace pioneer::report
