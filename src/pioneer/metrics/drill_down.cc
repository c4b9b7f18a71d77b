#include "pioneer/metrics/drill_down.h"

#include <algorithm>

namespace pioneer::metrics {

StatusOr<DrillDownResult> NumeratorRows(CountingEngine& engine, const SwitchValues& switches,
                                        const DrillDownRequest& request) {
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

StatusOr<DrillDownResult> DrillDown(CountingEngine& engine, const SwitchValues& switches,
                                    const DrillDownRequest& request, ig::Gate& gate,
                                    const ig::Principal& who) {
  PIONEER_ASSIGN_OR_RETURN(DrillDownResult all, NumeratorRows(engine, switches, request));
  PIONEER_ASSIGN_OR_RETURN(
      std::vector<ig::Gate::RecordOwner> owners,
      gate.OpenRecordOwners(who, all.source_table, all.row_ids, "metrics.drill-down"));
  DrillDownResult shown;
  shown.source_table = all.source_table;
  for (ig::Gate::RecordOwner& owner : owners) {
    if (owner.access.own_org_only()) {
      // The person objects: their records here are not the user's organisation's own.
      PIONEER_RETURN_IF_ERROR(gate.Release(owner.access));
      continue;
    }
    // A composite counts a row once per component: show it as often as it is counted.
    int64_t n = 0;
    for (int64_t row : owner.rows) {
      auto [lo, hi] = std::equal_range(all.row_ids.begin(), all.row_ids.end(), row);
      shown.row_ids.insert(shown.row_ids.end(), lo, hi);
      n += hi - lo;
    }
    owner.access.NoteReturned(all.source_table, n);
    PIONEER_RETURN_IF_ERROR(gate.Audit(owner.access));
  }
  std::sort(shown.row_ids.begin(), shown.row_ids.end());
  return shown;
}

}  // namespace pioneer::metrics
