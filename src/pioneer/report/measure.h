// Measures what a plan report needs from a store, through the public metrics API
// (src/pioneer/metrics: BuildCatalogue, FastEngine over the person timeline, Evaluate) and
// narrow read-only queries (unit costs, reablement starts, discharges by weekday).
// Metrics are evaluated with the catalogue's default switches and disclosure control on (a
// Health and Wellbeing Board report is a published aggregate); ids the catalogue does not
// have are listed in Observations::not_in_catalogue, never an error.
// Thread safety: uses the store from one thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/report/observations.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::report {

// `timeline`, when given, is reused instead of building one: it must come from `store`, built
// with metrics::RequiredTimelineOptions of the default catalogue (or a superset).
// `reference`, when given, is reused instead of loading it (metrics::LoadReferenceData of
// the same store).
StatusOr<Observations> MeasureMetrics(store::Store& store,
                                      const std::vector<std::string>& catalogue_ids,
                                      const std::vector<NamedPeriod>& periods,
                                      const timeline::Timeline* timeline = nullptr,
                                      const metrics::ReferenceData* reference = nullptr);

// Unit costs at `price_year` (falling back to the latest price year of each activity),
// reablement starts per period, mean reablement weeks, discharges by weekday over
// `weekday_period`.
StatusOr<StoreFacts> MeasureFacts(store::Store& store, const std::vector<NamedPeriod>& periods,
                                  const std::string& price_year, const Period& weekday_period);

}  // namespace pioneer::report
