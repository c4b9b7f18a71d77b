#include "pioneer/metrics/drill_down.h"

#include <algorithm>

namespace pioneer::metrics {

StatusOr<DrillDownResult> DrillDown(CountingEngine& engine, const SwitchValues& switches,
                                    const DrillDownRequest& request, AccessGate& gate) {
  PIONEER_RETURN_IF_ERROR(gate.Authorise(request));
  std::vector<MetricDefinition> catalogue = BuildCatalogue(switches);
  const MetricDefinition* d = FindMetric(catalogue, request.metric_id);
  if (!d) return NotFoundError("metrics: no metric '" + request.metric_id + "'");
  std::string group = request.group == "all" ? "" : request.group;
  DrillDownResult r;
  r.source_table = d->source;
  // Non-deduplicated composite: the union of component rows, each once per component.
  std::vector<const MetricDefinition*> parts;
  if (!d->components.empty() && !d->deduplicate_components) {
    for (const auto& c : d->components) {
      if (const MetricDefinition* cd = FindMetric(catalogue, c)) parts.push_back(cd);
    }
  } else {
    parts.push_back(d);
  }
  for (const MetricDefinition* p : parts) {
    PIONEER_ASSIGN_OR_RETURN(std::vector<int64_t> rows,
                             engine.NumeratorRows(*p, EffectivePredicate(catalogue, *p),
                                                  request.period, request.breakdown, group));
    r.row_ids.insert(r.row_ids.end(), rows.begin(), rows.end());
  }
  std::sort(r.row_ids.begin(), r.row_ids.end());
  return r;
}

}  // namespace pioneer::metrics
