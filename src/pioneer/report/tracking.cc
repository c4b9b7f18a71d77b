#include "pioneer/report/tracking.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace pioneer::report {
namespace {

int WindowMonths(const plan::PlanMetric& m) {
  if (m.measure_months > 0) return m.measure_months;
  return m.rate_basis == "month" ? 3 : 12;
}

Period WindowEndingOn(Date last_day, int months) {
  Date end = last_day.AddDays(1);
  return {end.AddMonths(-months), end};
}

struct BaselineWindow {
  Period period;
  bool assumed = false;
};

std::optional<BaselineWindow> BaselineOf(const plan::Plan& plan, const plan::PlanMetric& m) {
  if (!m.baseline_period.empty()) {
    if (auto p = Period::Parse(m.baseline_period)) return BaselineWindow{*p, false};
  }
  if (plan.years.empty()) return std::nullopt;
  auto fy = FinancialYear::Parse(plan.years.front());
  if (!fy) return std::nullopt;
  return BaselineWindow{FinancialYear{fy->start_year - 1}.period(), true};
}

double MonthsIn(const Period& p) {
  if (p.start.day() == 1 && p.end_exclusive.day() == 1)
    return (p.end_exclusive.year() * 12 + p.end_exclusive.month()) -
           (p.start.year() * 12 + p.start.month());
  return p.length_days() / 30.4375;
}

bool Tracked(const plan::PlanMetric& m) { return !m.milestones.empty() || m.baseline; }

}  // namespace

const char* RagName(Rag r) {
  switch (r) {
    case Rag::kGreen:
      return "green";
    case Rag::kAmber:
      return "amber";
    case Rag::kRed:
      return "red";
    case Rag::kNoData:
      return "no data";
  }
  return "no data";
}

Rag RagFor(double baseline, double planned, std::optional<double> actual, bool lower_is_better) {
  if (!actual) return Rag::kNoData;
  double a = *actual;
  bool met = lower_is_better ? a <= planned : a >= planned;
  if (met) return Rag::kGreen;
  double planned_improvement = lower_is_better ? baseline - planned : planned - baseline;
  if (planned_improvement > 0) {
    double achieved = lower_is_better ? baseline - a : a - baseline;
    return achieved >= kAmberShareOfImprovement * planned_improvement ? Rag::kAmber : Rag::kRed;
  }
  double gap_pct = planned == 0 ? INFINITY : 100.0 * std::fabs(a - planned) / std::fabs(planned);
  return gap_pct <= kAmberTolerancePct ? Rag::kAmber : Rag::kRed;
}

std::optional<double> PlanValue(const plan::PlanMetric& m, const Observation& o, double months) {
  if (m.unit == "count") return o.numerator;
  if (!o.rate) return std::nullopt;
  if (m.catalogue_value == "as_is" || m.unit == "percent") return o.rate;
  if (m.rate_basis == "month") return *o.rate / months;
  if (m.rate_basis == "year") return *o.rate * 12.0 / months;
  return o.rate;
}

std::vector<NamedPeriod> TrackingPeriods(const plan::Plan& plan) {
  std::vector<NamedPeriod> out;
  std::set<std::string> seen;
  auto add = [&](std::string label, Period p) {
    if (seen.insert(label).second) out.push_back({std::move(label), p});
  };
  std::optional<Date> first, last;
  for (const auto& m : plan.metrics) {
    if (!Tracked(m)) continue;
    if (auto b = BaselineOf(plan, m)) {
      add(b->period.ToString(), b->period);
      if (!first || b->period.start < *first) first = b->period.start;
    }
    for (const auto& ms : m.milestones) {
      auto d = Date::ParseIso(ms.date);
      if (!d) continue;
      Period w = WindowEndingOn(*d, WindowMonths(m));
      add(w.ToString(), w);
      if (!last || *d > *last) last = *d;
    }
  }
  // The quarterly series is bounded by the plan's own years (a baseline up to three years
  // before them): a milestone dated far away, which the validator reports, adds its own
  // window above but cannot stretch the series over centuries.
  if (first && last && !plan.years.empty()) {
    auto fy0 = FinancialYear::Parse(plan.years.front());
    auto fy1 = FinancialYear::Parse(plan.years.back());
    if (fy0 && fy1) {
      first = std::max(*first, FinancialYear{fy0->start_year - 3}.period().start);
      last = std::min(*last, fy1->period().last_day());
    }
  }
  if (first && last) {
    if (*last > first->AddMonths(12 * 20)) last = first->AddMonths(12 * 20);  // no plan years
    for (FiscalQuarter q = FiscalQuarter::Containing(*first); q.period().start <= *last;) {
      add(q.Label(), q.period());
      Period w = WindowEndingOn(q.period().last_day(), 12);
      add(w.ToString(), w);
      q = FiscalQuarter::Containing(q.period().end_exclusive);
    }
  }
  for (const auto& y : plan.years) {
    if (auto fy = FinancialYear::Parse(y)) add(fy->Label(), fy->period());
  }
  return out;
}

std::vector<MetricTrack> TrackPlan(const plan::Plan& plan, const Observations& obs) {
  std::vector<MetricTrack> out;
  std::vector<NamedPeriod> quarters;
  for (const auto& np : TrackingPeriods(plan))
    if (np.label.find(" Q") != std::string::npos) quarters.push_back(np);
  for (const auto& m : plan.metrics) {
    MetricTrack t;
    t.id = m.id;
    t.name = m.name;
    t.kind = m.kind;
    t.catalogue_id = m.catalogue_id;
    t.unit = m.unit;
    t.rate_basis = m.rate_basis;
    t.polarity = m.polarity;
    t.status = m.status;
    t.baseline_planned = m.baseline;
    t.measured = !m.catalogue_id.empty() && obs.measured.count(m.catalogue_id) > 0;
    if (m.catalogue_id.empty())
      t.note = "Pioneer does not measure this metric";
    else if (!t.measured)
      t.note = "metric '" + m.catalogue_id + "' is not in this build's catalogue yet";
    if (!Tracked(m)) {
      t.note = (m.status == "tbc" ? "trajectory TBC in the plan" : "the plan states no figures") +
               (t.note.empty() ? std::string() : "; " + t.note);
    }
    bool lower = m.polarity != "higher_is_better";
    auto base = BaselineOf(plan, m);
    if (base && Tracked(m)) {
      t.baseline_window = base->period.ToString();
      t.baseline_window_assumed = base->assumed;
      if (const Observation* o = obs.Get(m.catalogue_id, t.baseline_window))
        t.baseline_actual = PlanValue(m, *o, MonthsIn(base->period));
    }
    // Trajectory points for interpolation.
    std::vector<std::pair<Date, double>> points;
    if (base && m.baseline) points.push_back({base->period.last_day(), *m.baseline});
    for (const auto& ms : m.milestones) {
      MilestoneTrack mt;
      mt.date = ms.date;
      mt.planned = ms.value;
      auto d = Date::ParseIso(ms.date);
      if (d) {
        int months = WindowMonths(m);
        Period w = WindowEndingOn(*d, months);
        mt.window = w.ToString();
        if (const Observation* o = obs.Get(m.catalogue_id, mt.window))
          mt.actual = PlanValue(m, *o, months);
        points.push_back({*d, ms.value});
      }
      if (mt.actual) {
        mt.variance = *mt.actual - mt.planned;
        if (mt.planned != 0) mt.variance_pct = 100.0 * *mt.variance / mt.planned;
      }
      mt.rag = RagFor(m.baseline.value_or(ms.value), ms.value, mt.actual, lower);
      if (mt.rag != Rag::kNoData) t.overall = mt.rag;
      t.milestones.push_back(mt);
    }
    if (Tracked(m)) {
      for (const auto& q : quarters) {
        SeriesPoint sp;
        sp.label = q.label;
        Date qend = q.period.last_day();
        sp.end_date = qend.ToIso();
        if (const Observation* o = obs.Get(m.catalogue_id, q.label))
          sp.actual = PlanValue(m, *o, 3);
        const std::string rolling = WindowEndingOn(qend, 12).ToString();
        if (const Observation* o = obs.Get(m.catalogue_id, rolling)) {
          sp.rolling12 = PlanValue(m, *o, 12);
          if (sp.rolling12 && m.unit == "count") *sp.rolling12 /= 4.0;  // per quarter
        }
        if (!points.empty() && qend >= points.front().first) {
          double v = points.back().second;
          for (size_t i = 1; i < points.size(); ++i) {
            if (qend <= points[i].first) {
              double span = points[i - 1].first.DaysUntil(points[i].first);
              double f = span <= 0 ? 1.0 : points[i - 1].first.DaysUntil(qend) / span;
              v = points[i - 1].second + f * (points[i].second - points[i - 1].second);
              break;
            }
          }
          sp.planned = v;
        }
        t.series.push_back(sp);
      }
    }
    if (t.measured) {
      for (const auto& y : plan.years) {
        YearActual ya;
        ya.year = y;
        if (const Observation* o = obs.Get(m.catalogue_id, y)) {
          ya.actual = PlanValue(m, *o, 12);
          ya.suppressed = o->suppressed;
        }
        t.year_actuals.push_back(ya);
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string RagHeadline(const std::vector<MetricTrack>& tracks) {
  int counts[4] = {0, 0, 0, 0};
  std::string lines;
  for (const auto& t : tracks) {
    const MilestoneTrack* latest = nullptr;
    for (const auto& m : t.milestones)
      if (m.actual) latest = &m;
    std::string name = t.name.size() > 64 ? t.name.substr(0, 61) + "..." : t.name;
    if (t.milestones.empty()) {
      lines += fmt::format("        {:<64}  no trajectory\n", name);
      continue;
    }
    const Rag rag = latest ? latest->rag : Rag::kNoData;
    ++counts[static_cast<int>(rag)];
    if (latest)
      lines += fmt::format("        {:<64}  {:<6} {} planned {:.1f}, actual {:.1f}\n", name,
                           RagName(rag), latest->date, latest->planned, *latest->actual);
    else
      lines += fmt::format("        {:<64}  no data\n", name);
  }
  return fmt::format(
             "      Plan tracking (latest milestone with data): {} red, {} amber, {} green, "
             "{} without data\n",
             counts[static_cast<int>(Rag::kRed)], counts[static_cast<int>(Rag::kAmber)],
             counts[static_cast<int>(Rag::kGreen)], counts[static_cast<int>(Rag::kNoData)]) +
         lines;
}

}  // namespace pioneer::report
