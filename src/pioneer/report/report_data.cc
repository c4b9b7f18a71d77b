#include "pioneer/report/report_data.h"

#include <fmt/format.h>

#include <cmath>
#include <set>

#include "pioneer/metrics/run.h"
#include "pioneer/plan/validator.h"
#include "pioneer/report/measure.h"

namespace pioneer::report {
namespace {

std::optional<FinancialYear> FirstYear(const plan::Plan& plan) {
  if (plan.years.empty()) return std::nullopt;
  return FinancialYear::Parse(plan.years.front());
}

std::optional<Period> QuarterPeriod(const std::string& label) {
  // "2014/15 Q3"
  size_t sp = label.find(" Q");
  if (sp == std::string::npos || sp + 3 != label.size()) return std::nullopt;
  auto fy = FinancialYear::Parse(label.substr(0, sp));
  int q = label[sp + 2] - '0';
  if (!fy || q < 1 || q > 4) return std::nullopt;
  return FiscalQuarter{*fy, q}.period();
}

// The catalogue id a scenario or P4P names: a plan metric id maps to its catalogue id.
std::string CatalogueIdOf(const plan::Plan& plan, const std::string& name) {
  if (const plan::PlanMetric* m = plan.FindMetric(name)) return m->catalogue_id;
  return name;
}

// "+3.0% planned" or "planned change not stated" (a missing figure is never zero).
std::string ChangeText(const std::optional<double>& pct) {
  return pct ? fmt::format("{:+.1f}% planned", *pct) : std::string("planned change not stated");
}

std::optional<double> Numerator(const Observations& obs, const std::string& id,
                                const std::string& label) {
  const Observation* o = obs.Get(id, label);
  return o ? o->numerator : std::nullopt;
}

// Planned ratio (trajectory value / baseline) at the end of `year` for a plan metric.
std::optional<double> PlannedRatio(const plan::PlanMetric& m, const FinancialYear& year) {
  if (!m.baseline || *m.baseline == 0 || m.milestones.empty()) return std::nullopt;
  std::string end = year.period().last_day().ToIso();
  const plan::Milestone* chosen = &m.milestones.front();
  for (const auto& ms : m.milestones)
    if (ms.date <= end) chosen = &ms;
  return chosen->value / *m.baseline;
}

}  // namespace

std::vector<NamedPeriod> ReportPeriods(const plan::Plan& plan) {
  std::vector<NamedPeriod> out = TrackingPeriods(plan);
  std::set<std::string> seen;
  for (const auto& p : out) seen.insert(p.label);
  auto add = [&](const std::string& label, Period p) {
    if (seen.insert(label).second) out.push_back({label, p});
  };
  if (auto fy = FirstYear(plan)) {
    FinancialYear before{fy->start_year - 1};
    add(before.Label(), before.period());
  }
  for (const auto& y : plan.years)
    if (auto fy = FinancialYear::Parse(y)) add(fy->Label(), fy->period());
  for (const auto* list : {&plan.p4p.baseline_quarters, &plan.p4p.plan_quarters})
    for (const auto& q : *list)
      if (auto p = QuarterPeriod(q)) add(q, *p);
  return out;
}

std::vector<std::string> ReportMetricIds(const plan::Plan& plan) {
  std::set<std::string> ids;
  for (const auto& m : plan.metrics)
    if (!m.catalogue_id.empty()) ids.insert(m.catalogue_id);
  if (plan.p4p.present) ids.insert(CatalogueIdOf(plan, plan.p4p.metric));
  for (const auto& s : plan.risk_share.scenarios)
    if (!s.metric.empty() && s.kind != "community_demand_higher")
      ids.insert(CatalogueIdOf(plan, s.metric));
  ids.erase("");
  return {ids.begin(), ids.end()};
}

ReportData AssembleReport(const plan::Plan& plan, const Observations& obs,
                          const StoreFacts& facts) {
  ReportData r;
  r.plan = plan;
  r.findings = plan::ValidatePlan(plan);
  r.tracks = TrackPlan(plan, obs);
  r.facts = facts;
  r.data_as_of = obs.data_as_of;
  r.engine = obs.engine;
  r.disclosure_applied = obs.disclosure_applied;
  r.not_in_catalogue = {obs.not_in_catalogue.begin(), obs.not_in_catalogue.end()};
  // P4P.
  if (plan.p4p.present) {
    std::string id = CatalogueIdOf(plan, plan.p4p.metric);
    std::vector<std::optional<double>> base, act;
    for (const auto& q : plan.p4p.baseline_quarters) base.push_back(Numerator(obs, id, q));
    for (const auto& q : plan.p4p.plan_quarters) act.push_back(Numerator(obs, id, q));
    r.p4p = ComputeP4p(plan.p4p, base, act);
  }
  // Scenarios.
  std::map<std::string, ScenarioInput> inputs;
  auto fy = FirstYear(plan);
  if (fy) {
    FinancialYear before{fy->start_year - 1};
    r.assessment_year = fy->Label();
    r.baseline_year = before.Label();
    for (const auto& s : plan.risk_share.scenarios) {
      ScenarioInput in;
      auto cost = facts.unit_costs.find(s.unit_cost_activity);
      if (s.unit_cost_gbp) {
        in.unit_cost_gbp = s.unit_cost_gbp;
        in.unit_cost_basis = "the plan's own unit cost";
      } else if (cost != facts.unit_costs.end()) {
        in.unit_cost_gbp = cost->second.gbp;
        in.unit_cost_basis = fmt::format("unit_costs '{}' at {} prices: {}", s.unit_cost_activity,
                                         cost->second.price_year, cost->second.source);
      }
      if (s.kind == "avoidable_admissions_missed") {
        std::string id = CatalogueIdOf(plan, s.metric);
        in.activity = fmt::format("{} admissions in {} (planned from {} and the trajectory)",
                                  s.metric, r.assessment_year, r.baseline_year);
        auto b = Numerator(obs, id, r.baseline_year);
        in.baseline = b;
        const plan::PlanMetric* pm = plan.FindMetric(s.metric);
        auto ratio = pm ? PlannedRatio(*pm, *fy) : std::nullopt;
        if (b && ratio) in.planned = *b * *ratio;
        in.actual = Numerator(obs, id, r.assessment_year);
      } else if (s.kind == "acute_demand_outstrips") {
        std::string id = CatalogueIdOf(plan, s.metric);
        in.activity = fmt::format("{} admissions in {} ({} {})", id, r.assessment_year,
                                  r.baseline_year, ChangeText(s.planned_change_pct));
        auto b = Numerator(obs, id, r.baseline_year);
        in.baseline = b;
        if (b && s.planned_change_pct) in.planned = *b * (1.0 + *s.planned_change_pct / 100.0);
        in.actual = Numerator(obs, id, r.assessment_year);
      } else if (s.kind == "community_demand_higher") {
        in.activity = fmt::format("reablement starts in {} ({} {})", r.assessment_year,
                                  r.baseline_year, ChangeText(s.planned_change_pct));
        auto b = facts.reablement_starts.find(r.baseline_year);
        auto a = facts.reablement_starts.find(r.assessment_year);
        if (b != facts.reablement_starts.end() && s.planned_change_pct)
          in.planned = b->second * (1.0 + *s.planned_change_pct / 100.0);
        if (a != facts.reablement_starts.end()) in.actual = a->second;
        if (in.unit_cost_gbp && !s.unit_cost_gbp) {
          if (facts.mean_reablement_weeks) {
            in.unit_cost_basis += fmt::format(" x {:.1f} weeks (mean measured episode)",
                                              *facts.mean_reablement_weeks);
            *in.unit_cost_gbp *= *facts.mean_reablement_weeks;
          } else {
            in.unit_cost_gbp.reset();
          }
        }
      } else {
        continue;
      }
      inputs[s.id] = in;
    }
  }
  r.scenarios = ModelScenarios(plan, inputs);
  return r;
}

StatusOr<ReportData> BuildReport(const plan::Plan& plan, analysis::AnalysisContext& ctx) {
  auto periods = ReportPeriods(plan);
  auto obs = MeasureMetrics(ctx, ReportMetricIds(plan), periods);
  if (!obs.ok()) return obs.status();
  std::string price_year = plan.years.empty() ? "" : plan.years.front();
  Period weekday{};
  if (!plan.years.empty()) {
    if (auto fy = FinancialYear::Parse(plan.years.back())) weekday = fy->period();
  }
  auto facts = MeasureFacts(ctx, periods, price_year, weekday);
  if (!facts.ok()) return facts.status();
  return AssembleReport(plan, *obs, *facts);
}

}  // namespace pioneer::report
