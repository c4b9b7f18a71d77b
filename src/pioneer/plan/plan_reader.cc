#include "pioneer/plan/plan_reader.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "pioneer/base/date.h"

namespace pioneer::plan {
namespace {

bool IsYearLabel(std::string_view s) {
  auto fy = FinancialYear::Parse(s);
  return fy.has_value() && fy->Label() == s;
}

class Reader {
 public:
  Reader(const std::string& file, Plan* plan) : file_(file), plan_(plan) {}

  const std::vector<std::string>& errors() const { return errors_; }

  void Error(const toml::node* n, const std::string& key, const std::string& why) {
    int line = n ? static_cast<int>(n->source().begin.line) : 0;
    errors_.push_back(fmt::format("{}:{}: key {}: {}", file_, line, key, why));
  }
  void Note(const std::string& key, const toml::node* n) {
    if (n) plan_->lines[key] = static_cast<int>(n->source().begin.line);
  }

  // Reports keys of `t` not in `allowed`.
  void CheckKeys(const toml::table& t, const std::string& path,
                 std::initializer_list<std::string_view> allowed) {
    for (auto&& [k, v] : t) {
      bool ok = false;
      for (auto a : allowed) ok = ok || k.str() == a;
      if (!ok) {
        std::string full = path.empty() ? std::string(k.str()) : path + "." + std::string(k.str());
        Error(&v, full, "unknown key (see docs/plan-format.md)");
      }
    }
  }

  static std::string Join(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
  }

  std::string Str(const toml::table& t, const std::string& path, std::string_view key,
                  bool required = false) {
    const toml::node* n = t.get(key);
    std::string full = Join(path, key);
    if (!n) {
      if (required) Error(&t, full, "required string is missing");
      return "";
    }
    Note(full, n);
    if (auto s = n->value<std::string>()) return *s;
    Error(n, full, "expected a string");
    return "";
  }

  std::optional<double> Num(const toml::table& t, const std::string& path, std::string_view key,
                            bool required = false) {
    const toml::node* n = t.get(key);
    std::string full = Join(path, key);
    if (!n) {
      if (required) Error(&t, full, "required number is missing");
      return std::nullopt;
    }
    Note(full, n);
    if (n->is_number()) return Finite(n, full);
    Error(n, full, "expected a number");
    return std::nullopt;
  }

  // The number at `n`, or an error for nan and inf (TOML allows them; no plan figure is one).
  std::optional<double> Finite(const toml::node* n, const std::string& full) {
    double v = *n->value<double>();
    if (std::isfinite(v)) return v;
    Error(n, full, fmt::format("{} is not a figure (a finite number is required)", v));
    return std::nullopt;
  }

  // A whole number in [lo, hi] at `key` (absent: nullopt), else an error naming the range.
  std::optional<int> Int(const toml::table& t, const std::string& path, std::string_view key,
                         int lo, int hi, const char* what) {
    auto v = Num(t, path, key);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || *v < lo || *v > hi) {
      Error(t.get(key), Join(path, key),
            fmt::format("{} must be a whole number from {} to {}", what, lo, hi));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  std::optional<bool> Bool(const toml::table& t, const std::string& path, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    std::string full = Join(path, key);
    Note(full, n);
    if (auto b = n->value<bool>()) return *b;
    Error(n, full, "expected true or false");
    return std::nullopt;
  }

  std::vector<std::string> StrList(const toml::table& t, const std::string& path,
                                   std::string_view key) {
    std::vector<std::string> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    std::string full = Join(path, key);
    Note(full, n);
    const toml::array* a = n->as_array();
    if (!a) {
      Error(n, full, "expected an array of strings");
      return out;
    }
    for (const auto& e : *a) {
      if (auto s = e.value<std::string>())
        out.push_back(*s);
      else
        Error(&e, full, "expected an array of strings");
    }
    return out;
  }

  std::vector<double> NumList(const toml::table& t, const std::string& path, std::string_view key) {
    std::vector<double> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    std::string full = Join(path, key);
    Note(full, n);
    const toml::array* a = n->as_array();
    if (!a) {
      Error(n, full, "expected an array of numbers");
      return out;
    }
    for (const auto& e : *a) {
      if (!e.is_number()) {
        Error(&e, full, "expected an array of numbers");
      } else if (auto v = Finite(&e, full)) {
        out.push_back(*v);
      }
    }
    return out;
  }

  YearAmounts Years(const toml::table& t, const std::string& path, std::string_view key) {
    YearAmounts out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    std::string full = Join(path, key);
    Note(full, n);
    const toml::table* yt = n->as_table();
    if (!yt) {
      Error(n, full, "expected a table of financial year = amount, e.g. { \"2014/15\" = 159 }");
      return out;
    }
    for (auto&& [k, v] : *yt) {
      std::string yk = full + "." + std::string(k.str());
      if (!IsYearLabel(k.str())) {
        Error(&v, yk, "not a financial year label like \"2014/15\"");
        continue;
      }
      if (!v.is_number()) {
        Error(&v, yk, "expected a number");
        continue;
      }
      Note(yk, &v);
      if (auto x = Finite(&v, yk)) out[std::string(k.str())] = *x;
    }
    return out;
  }

  std::map<std::string, double> NumMap(const toml::table& t, const std::string& path,
                                       std::string_view key) {
    std::map<std::string, double> out;
    const toml::node* n = t.get(key);
    if (!n) return out;
    std::string full = Join(path, key);
    Note(full, n);
    const toml::table* mt = n->as_table();
    if (!mt) {
      Error(n, full, "expected a table of key = number");
      return out;
    }
    for (auto&& [k, v] : *mt) {
      const std::string mk = full + "." + std::string(k.str());
      if (!v.is_number()) {
        Error(&v, mk, "expected a number");
        continue;
      }
      Note(mk, &v);
      if (auto x = Finite(&v, mk)) out[std::string(k.str())] = *x;
    }
    return out;
  }

  // Calls fn(table, path) for each table of the array of tables `key`.
  template <typename Fn>
  void Each(const toml::table& t, const std::string& path, std::string_view key, Fn fn) {
    const toml::node* n = t.get(key);
    if (!n) return;
    std::string full = Join(path, key);
    Note(full, n);
    const toml::array* a = n->as_array();
    if (!a) {
      Error(n, full, "expected an array of tables ([[" + full + "]])");
      return;
    }
    int i = 0;
    for (const auto& e : *a) {
      std::string ip = fmt::format("{}[{}]", full, i++);
      if (const toml::table* et = e.as_table()) {
        Note(ip, &e);
        fn(*et, ip);
      } else {
        Error(&e, ip, "expected a table");
      }
    }
  }

  const toml::table* Sub(const toml::table& t, std::string_view key) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    Note(std::string(key), n);
    if (const toml::table* s = n->as_table()) return s;
    Error(n, std::string(key), "expected a table");
    return nullptr;
  }

  void ReadAll(const toml::table& root);
  Scheme ReadScheme(const toml::table& t, const std::string& path);
  PlanMetric ReadMetric(const toml::table& t, const std::string& path);
  Scenario ReadScenario(const toml::table& st, const std::string& path);

 private:
  std::string file_;
  Plan* plan_;
  std::vector<std::string> errors_;
};

Scheme Reader::ReadScheme(const toml::table& t, const std::string& path) {
  const Plan& p = *plan_;
  CheckKeys(t, path,
            {"id", "name", "theme", "status", "protection", "lead", "recurrent", "metrics",
             "conditions", "investment", "investment_by_org", "savings"});
  Scheme s;
  s.id = Str(t, path, "id", true);
  s.name = Str(t, path, "name", true);
  s.theme = Str(t, path, "theme");
  if (!s.theme.empty() && !p.FindTheme(s.theme))
    Error(t.get("theme"), path + ".theme", "theme '" + s.theme + "' is not declared in [[themes]]");
  s.status = Str(t, path, "status");
  if (!s.status.empty() && s.status != "new" && s.status != "existing" && s.status != "expanding" &&
      s.status != "existing_and_new")
    Error(t.get("status"), path + ".status",
          "expected new, existing, expanding or existing_and_new");
  s.protection = Bool(t, path, "protection").value_or(false);
  s.lead = Str(t, path, "lead");
  s.recurrent = Bool(t, path, "recurrent");
  s.metrics = StrList(t, path, "metrics");
  s.conditions = StrList(t, path, "conditions");
  s.investment = Years(t, path, "investment");
  if (const toml::node* n = t.get("investment_by_org")) {
    if (const toml::table* bt = n->as_table()) {
      for (auto&& [k, v] : *bt) {
        std::string okey(k.str());
        if (!v.as_table()) {
          Error(&v, path + ".investment_by_org." + okey, "expected a table of year = amount");
          continue;
        }
        s.investment_by_org[okey] = Years(*bt, path + ".investment_by_org", okey);
      }
    } else {
      Error(n, path + ".investment_by_org", "expected a table org = { year = amount }");
    }
  }
  s.savings = Str(t, path, "savings");
  return s;
}

PlanMetric Reader::ReadMetric(const toml::table& t, const std::string& path) {
  CheckKeys(t, path,
            {"id", "name", "kind", "catalogue_id", "unit", "rate_basis", "polarity", "status",
             "baseline", "baseline_period", "measure_months", "catalogue_value", "milestones"});
  PlanMetric m;
  m.id = Str(t, path, "id", true);
  m.name = Str(t, path, "name", true);
  m.kind = Str(t, path, "kind", true);
  m.catalogue_id = Str(t, path, "catalogue_id");
  m.unit = Str(t, path, "unit");
  m.rate_basis = Str(t, path, "rate_basis");
  m.polarity = Str(t, path, "polarity");
  m.status = Str(t, path, "status", true);
  if (m.kind != "national" && m.kind != "local" && m.kind != "supporting")
    Error(t.get("kind"), path + ".kind", "expected national, local or supporting");
  if (m.status != "set" && m.status != "tbc" && m.status != "not_stated")
    Error(t.get("status"), path + ".status", "expected set, tbc or not_stated");
  if (!m.unit.empty() && m.unit != "per_100k" && m.unit != "per_1000" && m.unit != "percent" &&
      m.unit != "count")
    Error(t.get("unit"), path + ".unit", "expected per_100k, per_1000, percent or count");
  if (!m.rate_basis.empty() && m.rate_basis != "year" && m.rate_basis != "month")
    Error(t.get("rate_basis"), path + ".rate_basis", "expected year or month");
  if (!m.polarity.empty() && m.polarity != "lower_is_better" && m.polarity != "higher_is_better")
    Error(t.get("polarity"), path + ".polarity", "expected lower_is_better or higher_is_better");
  m.baseline = Num(t, path, "baseline");
  m.baseline_period = Str(t, path, "baseline_period");
  m.catalogue_value = Str(t, path, "catalogue_value");
  if (!m.catalogue_value.empty() && m.catalogue_value != "rate_over_period" &&
      m.catalogue_value != "as_is")
    Error(t.get("catalogue_value"), path + ".catalogue_value",
          "expected rate_over_period or as_is");
  if (auto mm = Int(t, path, "measure_months", 1, 120, "measure_months (the window in months)"))
    m.measure_months = *mm;
  Each(t, path, "milestones", [&](const toml::table& mt, const std::string& mp) {
    CheckKeys(mt, mp, {"date", "value", "stated_change_pct"});
    Milestone ms;
    ms.date = Str(mt, mp, "date", true);
    if (!ms.date.empty() && !Date::ParseIso(ms.date))
      Error(mt.get("date"), mp + ".date", "not an ISO date (YYYY-MM-DD)");
    ms.value = Num(mt, mp, "value", true).value_or(0);
    ms.stated_change_pct = Num(mt, mp, "stated_change_pct");
    m.milestones.push_back(ms);
  });
  return m;
}

Scenario Reader::ReadScenario(const toml::table& st, const std::string& path) {
  CheckKeys(st, path,
            {"id", "description", "kind", "metric", "unit_cost_activity", "unit_cost_gbp",
             "planned_change_pct", "shares", "shares_basis"});
  Scenario s;
  s.id = Str(st, path, "id", true);
  s.description = Str(st, path, "description", true);
  s.kind = Str(st, path, "kind", true);
  if (s.kind != "avoidable_admissions_missed" && s.kind != "acute_demand_outstrips" &&
      s.kind != "community_demand_higher" && s.kind != "exempt" && s.kind != "not_modelled")
    Error(st.get("kind"), path + ".kind",
          "expected avoidable_admissions_missed, acute_demand_outstrips, "
          "community_demand_higher, exempt or not_modelled");
  s.metric = Str(st, path, "metric");
  s.unit_cost_activity = Str(st, path, "unit_cost_activity");
  s.unit_cost_gbp = Num(st, path, "unit_cost_gbp");
  s.planned_change_pct = Num(st, path, "planned_change_pct");
  s.shares = NumMap(st, path, "shares");
  s.shares_basis = Str(st, path, "shares_basis");
  return s;
}

void Reader::ReadAll(const toml::table& root) {
  Plan& p = *plan_;
  CheckKeys(
      root, "",
      {"format_version", "plan", "sign_off", "organisations", "pooled_budget", "themes", "schemes",
       "protected_social_care", "metrics", "p4p", "risk_share", "cost_assumptions"});
  Each(root, "", "cost_assumptions", [&](const toml::table& t, const std::string& path) {
    CheckKeys(t, path, {"ref", "name", "costing", "savings"});
    CostAssumption c;
    c.ref = Str(t, path, "ref");
    c.name = Str(t, path, "name", true);
    c.costing = Str(t, path, "costing");
    c.savings = Str(t, path, "savings");
    p.cost_assumptions.push_back(std::move(c));
  });
  if (auto v = Num(root, "", "format_version", true)) {
    if (*v != 1) {
      Error(root.get("format_version"), "format_version", "only version 1 is known");
    } else {
      p.format_version = 1;
    }
  }
  if (const toml::table* t = Sub(root, "plan")) {
    CheckKeys(*t, "plan", {"id", "hwb", "title", "source", "years", "money_unit", "local_metric"});
    p.id = Str(*t, "plan", "id", true);
    p.hwb = Str(*t, "plan", "hwb", true);
    p.title = Str(*t, "plan", "title");
    p.source = Str(*t, "plan", "source");
    p.years = StrList(*t, "plan", "years");
    for (const auto& y : p.years)
      if (!IsYearLabel(y))
        Error(t->get("years"), "plan.years", "'" + y + "' is not a financial year like 2014/15");
    std::string mu = Str(*t, "plan", "money_unit", true);
    if (auto u = ParseMoneyUnit(mu))
      p.money_unit = *u;
    else if (!mu.empty())
      Error(t->get("money_unit"), "plan.money_unit", "expected gbp, gbp_thousands or gbp_millions");
    p.local_metric = Str(*t, "plan", "local_metric");
  } else {
    Error(&root, "plan", "the [plan] table is required");
  }
  if (const toml::table* t = Sub(root, "sign_off")) {
    CheckKeys(*t, "sign_off", {"hwb_agreed", "submitted"});
    p.hwb_agreed = StrList(*t, "sign_off", "hwb_agreed");
    p.submitted = StrList(*t, "sign_off", "submitted");
    for (const auto* list : {&p.hwb_agreed, &p.submitted})
      for (const auto& d : *list)
        if (!Date::ParseIso(d)) Error(t, "sign_off", "'" + d + "' is not an ISO date (YYYY-MM-DD)");
  }
  Each(root, "", "organisations", [&](const toml::table& t, const std::string& path) {
    CheckKeys(t, path, {"id", "name", "kind", "ods"});
    Organisation o;
    o.id = Str(t, path, "id", true);
    o.name = Str(t, path, "name", true);
    o.kind = Str(t, path, "kind", true);
    o.ods = Str(t, path, "ods");
    if (o.kind != "local_authority" && o.kind != "ccg" && o.kind != "nhs_provider" &&
        o.kind != "other")
      Error(t.get("kind"), path + ".kind", "expected local_authority, ccg, nhs_provider or other");
    p.organisations.push_back(std::move(o));
  });
  if (const toml::table* t = Sub(root, "pooled_budget")) {
    CheckKeys(*t, "pooled_budget", {"minimum", "total"});
    p.pooled_minimum = Years(*t, "pooled_budget", "minimum");
    p.pooled_total = Years(*t, "pooled_budget", "total");
  }
  Each(root, "", "themes", [&](const toml::table& t, const std::string& path) {
    CheckKeys(t, path, {"id", "name", "stated_scheme_total", "stated_total"});
    Theme th;
    th.id = Str(t, path, "id", true);
    th.name = Str(t, path, "name", true);
    th.stated_scheme_total = Years(t, path, "stated_scheme_total");
    th.stated_total = Years(t, path, "stated_total");
    p.themes.push_back(std::move(th));
  });
  Each(root, "", "schemes", [&](const toml::table& t, const std::string& path) {
    p.schemes.push_back(ReadScheme(t, path));
  });
  if (const toml::table* t = Sub(root, "protected_social_care")) {
    CheckKeys(*t, "protected_social_care", {"stated_total", "services"});
    p.protected_stated_total = Years(*t, "protected_social_care", "stated_total");
    Each(*t, "protected_social_care", "services",
         [&](const toml::table& st, const std::string& path) {
           CheckKeys(st, path, {"name", "benefit", "theme", "scheme", "amount", "amount_range"});
           ProtectedService ps;
           ps.name = Str(st, path, "name", true);
           ps.benefit = Str(st, path, "benefit");
           ps.theme = Str(st, path, "theme");
           ps.scheme = Str(st, path, "scheme");
           ps.amount = Years(st, path, "amount");
           ps.amount_range = NumList(st, path, "amount_range");
           if (!ps.amount_range.empty() && ps.amount_range.size() != 2)
             Error(st.get("amount_range"), path + ".amount_range", "expected [low, high]");
           p.protected_services.push_back(std::move(ps));
         });
  }
  Each(root, "", "metrics", [&](const toml::table& t, const std::string& path) {
    p.metrics.push_back(ReadMetric(t, path));
  });
  if (const toml::table* t = Sub(root, "p4p")) {
    CheckKeys(*t, "p4p",
              {"metric", "planned_reduction_pct", "value_per_admission_gbp", "value_provenance",
               "baseline_quarters", "plan_quarters", "assessment", "withheld_to"});
    p.p4p.present = true;
    p.p4p.metric = Str(*t, "p4p", "metric", true);
    p.p4p.planned_reduction_pct = Num(*t, "p4p", "planned_reduction_pct", true).value_or(0);
    p.p4p.value_per_admission_gbp = Num(*t, "p4p", "value_per_admission_gbp", true).value_or(0);
    p.p4p.value_provenance = Str(*t, "p4p", "value_provenance", true);
    p.p4p.baseline_quarters = StrList(*t, "p4p", "baseline_quarters");
    p.p4p.plan_quarters = StrList(*t, "p4p", "plan_quarters");
    std::string as = Str(*t, "p4p", "assessment");
    if (!as.empty()) p.p4p.assessment = as;
    if (p.p4p.assessment != "per_quarter" && p.p4p.assessment != "cumulative")
      Error(t->get("assessment"), "p4p.assessment", "expected per_quarter or cumulative");
    p.p4p.withheld_to = Str(*t, "p4p", "withheld_to");
  }
  if (const toml::table* t = Sub(root, "risk_share")) {
    CheckKeys(*t, "risk_share", {"contingency", "scenarios"});
    p.risk_share.contingency = Num(*t, "risk_share", "contingency");
    Each(*t, "risk_share", "scenarios", [&](const toml::table& st, const std::string& path) {
      p.risk_share.scenarios.push_back(ReadScenario(st, path));
    });
  }
}

}  // namespace

StatusOr<Plan> ParsePlan(std::string_view text, const std::string& file) {
  toml::table root;
  try {
    root = toml::parse(text, file);
  } catch (const toml::parse_error& e) {
    return InvalidArgumentError(
        fmt::format("{}:{}: TOML syntax: {}", file, e.source().begin.line, e.description()));
  }
  Plan p;
  p.file = file;
  Reader r(file, &p);
  r.ReadAll(root);
  if (!r.errors().empty()) {
    std::string msg;
    for (const auto& e : r.errors()) msg += (msg.empty() ? "" : "\n") + e;
    return InvalidArgumentError(msg);
  }
  return p;
}

StatusOr<Plan> ReadPlanFile(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return InvalidArgumentError(path + " is a folder, not a plan file (give the .toml file)");
  }
  if (!std::filesystem::exists(path, ec)) return NotFoundError("no plan file at " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read plan file " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ParsePlan(ss.str(), path);
}

}  // namespace pioneer::plan
