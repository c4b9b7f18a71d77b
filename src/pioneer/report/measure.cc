#include "pioneer/report/measure.h"

#include <set>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::report {

StatusOr<Observations> MeasureMetrics(analysis::AnalysisContext& ctx,
                                      const std::vector<std::string>& catalogue_ids,
                                      const std::vector<NamedPeriod>& periods) {
  Observations obs;
  auto sw = metrics::ResolveSwitches({});
  if (!sw.ok()) return sw.status();
  auto catalogue = metrics::BuildCatalogue(*sw);
  std::vector<std::string> ids;
  for (const auto& id : std::set<std::string>(catalogue_ids.begin(), catalogue_ids.end())) {
    if (id.empty()) continue;
    if (metrics::FindMetric(catalogue, id))
      ids.push_back(id);
    else
      obs.not_in_catalogue.insert(id);
  }
  if (ids.empty() || periods.empty()) return obs;
  auto ref = metrics::ContextReferenceData(ctx);
  if (!ref.ok()) return ref.status();
  auto timeline = metrics::MetricsTimeline(ctx);
  if (!timeline.ok()) return timeline.status();
  metrics::FastEngine engine(**timeline, **ref);
  std::vector<metrics::LabelledPeriod> lp;
  for (const auto& p : periods) lp.push_back({p.label, p.period});
  auto report = metrics::Evaluate(engine, **ref, *sw, lp, metrics::Breakdown::kNone, ids);
  if (!report.ok()) return report.status();
  obs.engine = report->engine;
  obs.data_as_of = report->data_as_of;
  obs.disclosure_applied = report->disclosure_applied;
  for (const auto& id : ids) obs.measured.insert(id);
  for (const auto& v : report->values) {
    if (v.group != "all") continue;
    Observation o;
    o.numerator = v.numerator;
    o.rate = v.rate;  // crude rate: the plans state crude figures
    o.suppressed = v.suppressed;
    obs.Put(v.metric_id, v.period_label, o);
  }
  return obs;
}

StatusOr<StoreFacts> MeasureFacts(store::Store& store, const std::vector<NamedPeriod>& periods,
                                  const std::string& price_year, const Period& weekday_period) {
  StoreFacts f;
  if (store.HasTable("unit_costs")) {
    // activity -> best (price year match wins, else the latest year).
    Status s = store.Query(
        "SELECT activity_type, price_year, cost_gbp, source FROM unit_costs "
        "ORDER BY activity_type, price_year",
        {}, [&](const store::RowView& r) {
          std::string activity(r.Text(0));
          std::string year(r.Text(1));
          auto it = f.unit_costs.find(activity);
          bool take = it == f.unit_costs.end() || it->second.price_year != price_year;
          if (take) f.unit_costs[activity] = {r.Real(2), year, std::string(r.Text(3))};
        });
    if (!s.ok()) return s;
  }
  if (store.HasTable("social_care_events")) {
    for (const auto& p : periods) {
      std::vector<store::Param> params = {store::Param::Of(p.period.start.ToIso()),
                                          store::Param::Of(p.period.end_exclusive.ToIso())};
      double n = 0;
      Status s = store.Query(
          "SELECT COUNT(*) FROM social_care_events WHERE event_type = 'service' AND "
          "service_type = 'reablement' AND event_start_date >= ?1 AND event_start_date < ?2",
          params, [&](const store::RowView& r) { n = static_cast<double>(r.Int(0)); });
      if (!s.ok()) return s;
      f.reablement_starts[p.label] = n;
    }
    Status s = store.Query(
        "SELECT AVG(julianday(event_end_date) - julianday(event_start_date)) / 7.0, COUNT(*) "
        "FROM social_care_events WHERE event_type = 'service' AND service_type = 'reablement' "
        "AND event_end_date IS NOT NULL AND event_end_date <> ''",
        {}, [&](const store::RowView& r) {
          if (!r.IsNull(0) && r.Int(1) > 0) f.mean_reablement_weeks = r.Real(0);
        });
    if (!s.ok()) return s;
  }
  if (store.HasTable("apc_episodes")) {
    f.weekday_period = weekday_period.ToString();
    std::vector<store::Param> params = {store::Param::Of(weekday_period.start.ToIso()),
                                        store::Param::Of(weekday_period.end_exclusive.ToIso())};
    Status s = store.Query(
        "SELECT CAST(strftime('%w', discharge_date) AS INTEGER), COUNT(*) FROM apc_episodes "
        "WHERE discharge_date >= ?1 AND discharge_date < ?2 GROUP BY 1",
        params, [&](const store::RowView& r) {
          int w = static_cast<int>(r.Int(0));  // 0 = Sunday
          int iso = w == 0 ? 7 : w;
          if (iso >= 1 && iso <= 7) f.discharges_by_weekday[iso - 1] += r.Int(1);
        });
    if (!s.ok()) return s;
  }
  return f;
}

}  // namespace pioneer::report
