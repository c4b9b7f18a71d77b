#include "pioneer/plan/plan_writer.h"

#include <toml++/toml.h>

#include <sstream>

namespace pioneer::plan {
namespace {

toml::table YearsTable(const YearAmounts& y) {
  toml::table t;
  for (const auto& [k, v] : y) t.insert(k, v);
  return t;
}

toml::array StrArray(const std::vector<std::string>& v) {
  toml::array a;
  for (const auto& s : v) a.push_back(s);
  return a;
}

void PutStr(toml::table& t, std::string_view k, const std::string& v) {
  if (!v.empty()) t.insert(k, v);
}
void PutYears(toml::table& t, std::string_view k, const YearAmounts& v) {
  if (!v.empty()) t.insert(k, YearsTable(v));
}
void PutList(toml::table& t, std::string_view k, const std::vector<std::string>& v) {
  if (!v.empty()) t.insert(k, StrArray(v));
}

toml::table SchemeTable(const Scheme& s) {
  toml::table t;
  t.insert("id", s.id);
  t.insert("name", s.name);
  PutStr(t, "theme", s.theme);
  PutStr(t, "status", s.status);
  if (s.protection) t.insert("protection", true);
  PutStr(t, "lead", s.lead);
  if (s.recurrent) t.insert("recurrent", *s.recurrent);
  PutList(t, "metrics", s.metrics);
  PutList(t, "conditions", s.conditions);
  PutYears(t, "investment", s.investment);
  if (!s.investment_by_org.empty()) {
    toml::table by;
    for (const auto& [org, y] : s.investment_by_org) by.insert(org, YearsTable(y));
    t.insert("investment_by_org", std::move(by));
  }
  PutStr(t, "savings", s.savings);
  return t;
}

toml::table ProtectedServiceTable(const ProtectedService& s) {
  toml::table t;
  t.insert("name", s.name);
  PutStr(t, "benefit", s.benefit);
  PutStr(t, "theme", s.theme);
  PutStr(t, "scheme", s.scheme);
  PutYears(t, "amount", s.amount);
  if (!s.amount_range.empty()) {
    toml::array r;
    for (double d : s.amount_range) r.push_back(d);
    t.insert("amount_range", std::move(r));
  }
  return t;
}

toml::table MetricTable(const PlanMetric& m) {
  toml::table t;
  t.insert("id", m.id);
  t.insert("name", m.name);
  t.insert("kind", m.kind);
  PutStr(t, "catalogue_id", m.catalogue_id);
  PutStr(t, "unit", m.unit);
  PutStr(t, "rate_basis", m.rate_basis);
  PutStr(t, "polarity", m.polarity);
  t.insert("status", m.status);
  if (m.baseline) t.insert("baseline", *m.baseline);
  PutStr(t, "baseline_period", m.baseline_period);
  if (m.measure_months) t.insert("measure_months", m.measure_months);
  PutStr(t, "catalogue_value", m.catalogue_value);
  if (!m.milestones.empty()) {
    toml::array ms;
    for (const auto& x : m.milestones) {
      toml::table mt;
      mt.insert("date", x.date);
      mt.insert("value", x.value);
      if (x.stated_change_pct) mt.insert("stated_change_pct", *x.stated_change_pct);
      ms.push_back(std::move(mt));
    }
    t.insert("milestones", std::move(ms));
  }
  return t;
}

toml::table ScenarioTable(const Scenario& s) {
  toml::table t;
  t.insert("id", s.id);
  t.insert("description", s.description);
  t.insert("kind", s.kind);
  PutStr(t, "metric", s.metric);
  PutStr(t, "unit_cost_activity", s.unit_cost_activity);
  if (s.unit_cost_gbp) t.insert("unit_cost_gbp", *s.unit_cost_gbp);
  if (s.planned_change_pct) t.insert("planned_change_pct", *s.planned_change_pct);
  if (!s.shares.empty()) {
    toml::table sh;
    for (const auto& [k, v] : s.shares) sh.insert(k, v);
    t.insert("shares", std::move(sh));
  }
  PutStr(t, "shares_basis", s.shares_basis);
  return t;
}

}  // namespace

std::string WritePlanToml(const Plan& p) {
  toml::table root;
  root.insert("format_version", p.format_version);
  toml::table plan;
  plan.insert("id", p.id);
  plan.insert("hwb", p.hwb);
  PutStr(plan, "title", p.title);
  PutStr(plan, "source", p.source);
  PutList(plan, "years", p.years);
  plan.insert("money_unit", MoneyUnitName(p.money_unit));
  PutStr(plan, "local_metric", p.local_metric);
  root.insert("plan", std::move(plan));
  if (!p.hwb_agreed.empty() || !p.submitted.empty()) {
    toml::table so;
    PutList(so, "hwb_agreed", p.hwb_agreed);
    PutList(so, "submitted", p.submitted);
    root.insert("sign_off", std::move(so));
  }
  if (!p.organisations.empty()) {
    toml::array orgs;
    for (const auto& o : p.organisations) {
      toml::table t;
      t.insert("id", o.id);
      t.insert("name", o.name);
      t.insert("kind", o.kind);
      PutStr(t, "ods", o.ods);
      orgs.push_back(std::move(t));
    }
    root.insert("organisations", std::move(orgs));
  }
  if (!p.pooled_minimum.empty() || !p.pooled_total.empty()) {
    toml::table pb;
    PutYears(pb, "minimum", p.pooled_minimum);
    PutYears(pb, "total", p.pooled_total);
    root.insert("pooled_budget", std::move(pb));
  }
  if (!p.themes.empty()) {
    toml::array a;
    for (const auto& th : p.themes) {
      toml::table t;
      t.insert("id", th.id);
      t.insert("name", th.name);
      PutYears(t, "stated_scheme_total", th.stated_scheme_total);
      PutYears(t, "stated_total", th.stated_total);
      a.push_back(std::move(t));
    }
    root.insert("themes", std::move(a));
  }
  if (!p.schemes.empty()) {
    toml::array a;
    for (const auto& s : p.schemes) {
      a.push_back(SchemeTable(s));
    }
    root.insert("schemes", std::move(a));
  }
  if (!p.protected_stated_total.empty() || !p.protected_services.empty()) {
    toml::table pc;
    PutYears(pc, "stated_total", p.protected_stated_total);
    toml::array a;
    for (const auto& s : p.protected_services) {
      a.push_back(ProtectedServiceTable(s));
    }
    if (!a.empty()) pc.insert("services", std::move(a));
    root.insert("protected_social_care", std::move(pc));
  }
  if (!p.metrics.empty()) {
    toml::array a;
    for (const auto& m : p.metrics) {
      a.push_back(MetricTable(m));
    }
    root.insert("metrics", std::move(a));
  }
  if (p.p4p.present) {
    toml::table t;
    t.insert("metric", p.p4p.metric);
    t.insert("planned_reduction_pct", p.p4p.planned_reduction_pct);
    t.insert("value_per_admission_gbp", p.p4p.value_per_admission_gbp);
    t.insert("value_provenance", p.p4p.value_provenance);
    PutList(t, "baseline_quarters", p.p4p.baseline_quarters);
    PutList(t, "plan_quarters", p.p4p.plan_quarters);
    t.insert("assessment", p.p4p.assessment);
    PutStr(t, "withheld_to", p.p4p.withheld_to);
    root.insert("p4p", std::move(t));
  }
  if (p.risk_share.contingency || !p.risk_share.scenarios.empty()) {
    toml::table rs;
    if (p.risk_share.contingency) rs.insert("contingency", *p.risk_share.contingency);
    toml::array a;
    for (const auto& s : p.risk_share.scenarios) {
      a.push_back(ScenarioTable(s));
    }
    if (!a.empty()) rs.insert("scenarios", std::move(a));
    root.insert("risk_share", std::move(rs));
  }
  if (!p.cost_assumptions.empty()) {
    toml::array a;
    for (const auto& c : p.cost_assumptions) {
      toml::table t;
      PutStr(t, "ref", c.ref);
      t.insert("name", c.name);
      PutStr(t, "costing", c.costing);
      PutStr(t, "savings", c.savings);
      a.push_back(std::move(t));
    }
    root.insert("cost_assumptions", std::move(a));
  }
  std::ostringstream os;
  os << root << "\n";
  return os.str();
}

}  // namespace pioneer::plan
