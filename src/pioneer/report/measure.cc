#include "pioneer/report/measure.h"

#include <algorithm>
#include <memory>
#include <set>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::report {
namespace {

// One engine over the context's timeline and reference data, under the default switches.
struct Measurer {
  metrics::SwitchValues switches;
  std::vector<metrics::MetricDefinition> catalogue;
  const metrics::ReferenceData* reference = nullptr;
  std::unique_ptr<metrics::FastEngine> engine;

  static StatusOr<Measurer> Open(analysis::AnalysisContext& ctx) {
    Measurer m;
    PIONEER_ASSIGN_OR_RETURN(m.switches, metrics::ResolveSwitches({}));
    m.catalogue = metrics::BuildCatalogue(m.switches);
    PIONEER_ASSIGN_OR_RETURN(m.reference, metrics::ContextReferenceData(ctx));
    PIONEER_ASSIGN_OR_RETURN(const timeline::Timeline* t, metrics::MetricsTimeline(ctx));
    m.engine = std::make_unique<metrics::FastEngine>(*t, *m.reference);
    return m;
  }
  StatusOr<metrics::MetricsReport> Evaluate(const std::vector<NamedPeriod>& periods,
                                            const std::vector<std::string>& ids) {
    std::vector<metrics::LabelledPeriod> lp;
    for (const auto& p : periods) lp.push_back({p.label, p.period});
    return metrics::Evaluate(*engine, *reference, switches, lp, metrics::Breakdown::kNone, ids);
  }
};

constexpr const char* kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

}  // namespace

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
  PIONEER_ASSIGN_OR_RETURN(Measurer m, Measurer::Open(ctx));
  auto report = m.Evaluate(periods, ids);
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

void PutActivityFacts(const std::vector<metrics::MetricValue>& published,
                      const std::vector<NamedPeriod>& periods, const std::string& span_label,
                      StoreFacts& f) {
  std::set<std::string> labels;
  for (const auto& p : periods) labels.insert(p.label);
  for (const auto& v : published) {
    if (v.metric_id == "reablement_starts" && v.group == "all" && labels.count(v.period_label)) {
      if (v.numerator && !v.suppressed) f.reablement_starts[v.period_label] = *v.numerator;
    } else if (v.metric_id == "reablement_mean_days" && v.group == "all" &&
               v.period_label == span_label) {
      if (v.rate && !v.suppressed) f.mean_reablement_weeks = *v.rate / 7.0;
    } else if (v.metric_id == "seven_day_discharges_all_providers") {
      for (int k = 0; k < 7; ++k) {
        if (v.group != std::string("all|") + kWeekdays[k]) continue;
        f.discharges_by_weekday[k] =
            v.numerator && !v.suppressed ? static_cast<int64_t>(*v.numerator) : -1;
      }
    }
  }
}

StatusOr<StoreFacts> MeasureFacts(analysis::AnalysisContext& ctx,
                                  const std::vector<NamedPeriod>& periods,
                                  const std::string& price_year, const Period& weekday_period) {
  StoreFacts f;
  store::Store& store = ctx.store();
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
  const bool social_care = store.HasTable("social_care_events") && !periods.empty();
  const bool weekdays = store.HasTable("apc_episodes") && weekday_period.length_days() > 0;
  if (!social_care && !weekdays) return f;
  PIONEER_ASSIGN_OR_RETURN(Measurer m, Measurer::Open(ctx));
  std::vector<metrics::MetricValue> published;
  auto take = [&](StatusOr<metrics::MetricsReport> r) -> Status {
    if (!r.ok()) return r.status();
    for (auto& v : r->values) published.push_back(std::move(v));
    return OkStatus();
  };
  std::string span_label;
  if (social_care) {
    PIONEER_RETURN_IF_ERROR(take(m.Evaluate(periods, {"reablement_starts"})));
    Period span = periods.front().period;
    for (const auto& p : periods) {
      span.start = std::min(span.start, p.period.start);
      span.end_exclusive = std::max(span.end_exclusive, p.period.end_exclusive);
    }
    span_label = span.ToString();
    PIONEER_RETURN_IF_ERROR(take(m.Evaluate({{span_label, span}}, {"reablement_mean_days"})));
  }
  if (weekdays) {
    f.weekday_period = weekday_period.ToString();
    PIONEER_RETURN_IF_ERROR(take(
        m.Evaluate({{f.weekday_period, weekday_period}}, {"seven_day_discharges_all_providers"})));
  }
  PutActivityFacts(published, periods, span_label, f);
  return f;
}

}  // namespace pioneer::report
