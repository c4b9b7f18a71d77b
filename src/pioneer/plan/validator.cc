#include "pioneer/plan/validator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "pioneer/plan/range_checks.h"

namespace pioneer::plan {
namespace {

// "12,345" with up to `decimals` decimals (trailing zeros dropped).
std::string Grouped(double v, int decimals) {
  std::string s = fmt::format("{:.{}f}", std::fabs(v), decimals);
  std::string frac;
  if (size_t dot = s.find('.'); dot != std::string::npos) {
    frac = s.substr(dot);
    s = s.substr(0, dot);
    while (!frac.empty() && (frac.back() == '0' || frac.back() == '.')) frac.pop_back();
  }
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return (v < 0 ? "-" : "") + out + frac;
}

std::string Money(const Plan& p, double v) {
  switch (p.money_unit) {
    case MoneyUnit::kThousands:
      return "£" + Grouped(v, 3) + "k";
    case MoneyUnit::kMillions:
      return "£" + Grouped(v, 3) + "m";
    case MoneyUnit::kPounds:
      return "£" + Grouped(v, 0);
  }
  return "";
}

class Checker {
 public:
  explicit Checker(const Plan& p) : p_(p) {}

  void Add(Severity s, std::string code, std::string key, std::string msg) {
    int line = p_.LineOf(key);
    // Fall back to the nearest enclosing key with a known line.
    std::string k = key;
    while (line == 0 && !k.empty()) {
      size_t cut = k.find_last_of(".[");
      if (cut == std::string::npos) break;
      k = k.substr(0, cut);
      line = p_.LineOf(k);
    }
    out_.push_back({s, std::move(code), std::move(key), line, std::move(msg)});
  }

  void Run() {
    Pooled();
    Themes();
    SchemesVsPool();
    Schemes();
    Protected();
    Metrics();
    P4pChecks();
    Risk();
    RiskPlannedChange();
    AppendixSchemeRefs();
  }

  std::vector<Finding> Take() {
    std::stable_sort(out_.begin(), out_.end(), [](const Finding& a, const Finding& b) {
      return std::tie(a.line, a.code) < std::tie(b.line, b.code);
    });
    return std::move(out_);
  }

 private:
  void Pooled() {
    for (const auto& y : p_.years) {
      auto mi = p_.pooled_minimum.find(y);
      auto to = p_.pooled_total.find(y);
      if (mi == p_.pooled_minimum.end())
        Add(Severity::kWarning, "pooled.minimum_not_stated", "pooled_budget.minimum",
            fmt::format("the plan states no minimum required pooled budget for {}", y));
      if (to == p_.pooled_total.end())
        Add(Severity::kWarning, "pooled.total_not_stated", "pooled_budget.total",
            fmt::format("the plan states no total agreed pooled budget for {}", y));
      if (mi != p_.pooled_minimum.end() && to != p_.pooled_total.end() &&
          to->second + kMoneyTolerance < mi->second)
        Add(Severity::kError, "pooled.below_minimum", "pooled_budget.total." + y,
            fmt::format("total agreed pooled budget {} for {} is below the minimum required {}",
                        Money(p_, to->second), y, Money(p_, mi->second)));
    }
    // Implausible units: one year's total or minimum tiny next to another year's.
    for (const auto* amounts : {&p_.pooled_total, &p_.pooled_minimum}) {
      const char* name = amounts == &p_.pooled_total ? "total" : "minimum";
      double mx = 0;
      for (const auto& [y, v] : *amounts) mx = std::max(mx, v);
      for (const auto& [y, v] : *amounts) {
        if (v > 0 && v < kImplausibleRatio * mx)
          Add(Severity::kWarning, "pooled.implausible_unit",
              std::string("pooled_budget.") + name + "." + y,
              fmt::format("{} pooled budget for {} is {} next to {} in another year ({:.3g}% of "
                          "it): check the unit (e.g. £k written for £m)",
                          name, y, Money(p_, v), Money(p_, mx), 100.0 * v / mx));
      }
    }
  }

  double SchemeSum(const std::string& theme, bool with_protection, const std::string& y,
                   bool* any) const {
    double s = 0;
    for (const auto& sc : p_.schemes) {
      if (sc.theme != theme) continue;
      if (sc.protection && !with_protection) continue;
      auto it = sc.investment.find(y);
      if (it != sc.investment.end()) {
        s += it->second;
        *any = true;
      }
    }
    return s;
  }

  void Themes() {
    for (size_t i = 0; i < p_.themes.size(); ++i) {
      const Theme& t = p_.themes[i];
      for (bool withp : {false, true}) {
        const YearAmounts& stated = withp ? t.stated_total : t.stated_scheme_total;
        const char* key = withp ? "stated_total" : "stated_scheme_total";
        for (const auto& [y, v] : stated) {
          bool any = false;
          double sum = SchemeSum(t.id, withp, y, &any);
          if (std::fabs(sum - v) > kMoneyTolerance)
            Add(Severity::kError, "theme.total_mismatch",
                fmt::format("themes[{}].{}.{}", i, key, y),
                fmt::format("theme '{}' states {} {} for {} but its {}schemes add up to {} "
                            "(difference {})",
                            t.name, withp ? "a total of" : "a scheme subtotal of", Money(p_, v), y,
                            withp ? "" : "non-protection ", Money(p_, sum), Money(p_, sum - v)));
        }
      }
    }
  }

  void SchemesVsPool() {
    if (p_.schemes.empty()) {
      Add(Severity::kWarning, "plan.no_schemes", "plan",
          "the plan lists no schemes, so investment cannot be checked against the pooled "
          "budget");
      return;
    }
    int without = 0;
    for (const auto& s : p_.schemes) without += s.investment.empty();
    if (without > 0)
      Add(Severity::kWarning, "scheme.investment_not_stated", "schemes",
          fmt::format("{} of {} schemes have no investment figure in the plan", without,
                      p_.schemes.size()));
    for (const auto& [y, total] : p_.pooled_total) {
      double sum = 0;
      bool any = false;
      for (const auto& s : p_.schemes) {
        auto it = s.investment.find(y);
        if (it != s.investment.end()) {
          sum += it->second;
          any = true;
        }
      }
      if (!any) continue;
      if (std::fabs(sum - total) > kMoneyTolerance)
        Add(Severity::kWarning, "pooled.schemes_differ_from_total", "pooled_budget.total." + y,
            fmt::format("schemes add up to {} for {} but the total agreed pooled budget is {} "
                        "({} {}): say where the difference goes",
                        Money(p_, sum), y, Money(p_, total), Money(p_, std::fabs(total - sum)),
                        sum < total ? "not allocated to a scheme" : "over-allocated"));
    }
  }

  void Schemes() {
    std::set<std::string> ids;
    for (size_t i = 0; i < p_.schemes.size(); ++i) {
      const Scheme& s = p_.schemes[i];
      std::string base = fmt::format("schemes[{}]", i);
      if (!ids.insert(s.id).second)
        Add(Severity::kError, "scheme.duplicate_id", base + ".id",
            fmt::format("scheme id '{}' is used twice", s.id));
      for (const auto& m : s.metrics)
        if (!p_.FindMetric(m))
          Add(Severity::kError, "scheme.undefined_metric", base + ".metrics",
              fmt::format("scheme '{}' is expected to move metric '{}', which the plan does not "
                          "define in [[metrics]]",
                          s.name, m));
      if (s.metrics.empty() && s.conditions.empty())
        Add(Severity::kWarning, "scheme.no_metric", base + ".metrics",
            fmt::format("scheme '{}' is mapped to no metric and no national condition: how will "
                        "its effect be seen?",
                        s.name));
      if (!s.lead.empty() && !p_.FindOrganisation(s.lead))
        Add(Severity::kError, "scheme.unknown_organisation", base + ".lead",
            fmt::format("lead '{}' is not declared in [[organisations]]", s.lead));
      for (const auto& [org, years] : s.investment_by_org) {
        if (!p_.FindOrganisation(org))
          Add(Severity::kError, "scheme.unknown_organisation", base + ".investment_by_org." + org,
              fmt::format("organisation '{}' is not declared in [[organisations]]", org));
      }
      if (!s.investment_by_org.empty()) {
        for (const auto& [y, v] : s.investment) {
          double sum = 0;
          for (const auto& [org, years] : s.investment_by_org) {
            auto it = years.find(y);
            if (it != years.end()) sum += it->second;
          }
          if (std::fabs(sum - v) > kMoneyTolerance)
            Add(Severity::kError, "scheme.by_org_mismatch", base + ".investment." + y,
                fmt::format("scheme '{}' invests {} in {} but its contributions by organisation "
                            "add up to {}",
                            s.name, Money(p_, v), y, Money(p_, sum)));
        }
      }
    }
  }

  void Protected() {
    for (const auto& [y, v] : p_.protected_stated_total) {
      double sum = 0;
      for (const auto& s : p_.protected_services) {
        auto it = s.amount.find(y);
        if (it != s.amount.end()) sum += it->second;
      }
      if (std::fabs(sum - v) > kMoneyTolerance)
        Add(Severity::kError, "protected.total_mismatch", "protected_social_care.stated_total." + y,
            fmt::format("protected social care services add up to {} for {} but the stated total "
                        "is {}",
                        Money(p_, sum), y, Money(p_, v)));
    }
    for (size_t i = 0; i < p_.protected_services.size(); ++i) {
      const ProtectedService& ps = p_.protected_services[i];
      std::string base = fmt::format("protected_social_care.services[{}]", i);
      if (ps.scheme.empty()) continue;
      const Scheme* sc = nullptr;
      for (const auto& s : p_.schemes)
        if (s.id == ps.scheme) sc = &s;
      if (!sc) {
        Add(Severity::kError, "protected.unknown_scheme", base + ".scheme",
            fmt::format("protected service '{}' refers to scheme '{}', which is not in "
                        "[[schemes]]",
                        ps.name, ps.scheme));
        continue;
      }
      for (const auto& y : p_.years) {
        auto a = ps.amount.find(y);
        auto b = sc->investment.find(y);
        double va = a == ps.amount.end() ? 0 : a->second;
        double vb = b == sc->investment.end() ? 0 : b->second;
        if (std::fabs(va - vb) > kMoneyTolerance)
          Add(Severity::kError, "protected.scheme_mismatch", base + ".amount",
              fmt::format("protected service '{}' is {} in {} but its line in the theme table "
                          "('{}') is {}",
                          ps.name, Money(p_, va), y, sc->name, Money(p_, vb)));
      }
    }
  }

  void Metrics() {
    if (p_.local_metric.empty()) {
      Add(Severity::kWarning, "plan.local_metric_not_chosen", "plan",
          "the plan has not chosen its local metric");
    } else if (!p_.FindMetric(p_.local_metric)) {
      Add(Severity::kError, "plan.local_metric_undefined", "plan.local_metric",
          fmt::format("local metric '{}' is not defined in [[metrics]]", p_.local_metric));
    }
    for (size_t i = 0; i < p_.metrics.size(); ++i) {
      const PlanMetric& m = p_.metrics[i];
      std::string base = fmt::format("metrics[{}]", i);
      if (m.milestones.empty()) {
        Add(Severity::kWarning, "metric.no_trajectory", base,
            fmt::format(
                "metric '{}' has no trajectory{}", m.name,
                m.status == "tbc" ? " (the plan says TBC)" : " (the plan states no figures)"));
        continue;
      }
      if (!m.baseline) {
        Add(Severity::kWarning, "metric.no_baseline", base,
            fmt::format("metric '{}' has milestones but no baseline", m.name));
      }
      double prev = m.baseline.value_or(NAN);
      std::string prev_date;
      bool lower_better = m.polarity != "higher_is_better";
      for (size_t j = 0; j < m.milestones.size(); ++j) {
        const Milestone& ms = m.milestones[j];
        std::string mk = fmt::format("{}.milestones[{}]", base, j);
        if (!prev_date.empty() && ms.date <= prev_date)
          Add(Severity::kError, "metric.milestone_order", mk + ".date",
              fmt::format("milestone date {} is not after the previous one ({})", ms.date,
                          prev_date));
        if (!std::isnan(prev)) {
          double change = prev == 0 ? NAN : 100.0 * (ms.value - prev) / prev;
          if (ms.stated_change_pct && !std::isnan(change) &&
              std::fabs(std::fabs(change) - std::fabs(*ms.stated_change_pct)) > kPercentTolerance)
            Add(Severity::kError, "metric.pct_mismatch", mk + ".stated_change_pct",
                fmt::format("'{}': {:.2f} -> {:.2f} is a change of {:.2f}%, but the plan states "
                            "{:.2f}%",
                            m.name, prev, ms.value, std::fabs(change),
                            std::fabs(*ms.stated_change_pct)));
          bool worse = lower_better ? ms.value > prev : ms.value < prev;
          if (worse)
            Add(Severity::kWarning, "metric.trajectory_worsens", mk + ".value",
                fmt::format("'{}' milestone {} ({:.2f}) is worse than the previous point "
                            "({:.2f}) for a metric where {} is better",
                            m.name, ms.date, ms.value, prev, lower_better ? "lower" : "higher"));
        }
        prev = ms.value;
        prev_date = ms.date;
      }
    }
  }

  void P4pChecks() {
    if (!p_.p4p.present) return;
    if (p_.p4p.value_provenance == "unverified")
      Add(Severity::kWarning, "p4p.value_unverified", "p4p.value_per_admission_gbp",
          fmt::format("the value per avoided admission (£{}) is unverified: no source text "
                      "was found for it (bcf-metrics.md 9.3); state the local tariff used",
                      Grouped(p_.p4p.value_per_admission_gbp, 2)));
    if (p_.p4p.value_per_admission_gbp <= 0)
      Add(Severity::kError, "p4p.no_value", "p4p.value_per_admission_gbp",
          "the value per avoided admission must be positive");
    if (p_.p4p.planned_reduction_pct < kP4pMinimumAmbitionPct)
      Add(Severity::kWarning, "p4p.below_minimum_ambition", "p4p.planned_reduction_pct",
          fmt::format("planned reduction in non-elective admissions ({:.2f}%) is below the "
                      "expected minimum ambition of {:.1f}%: the plan needs a credible case",
                      p_.p4p.planned_reduction_pct, kP4pMinimumAmbitionPct));
    if (p_.p4p.baseline_quarters.size() != p_.p4p.plan_quarters.size())
      Add(Severity::kError, "p4p.quarters_mismatch", "p4p.plan_quarters",
          "baseline and plan quarters must pair up one to one");
  }

  void Risk() {
    for (size_t i = 0; i < p_.risk_share.scenarios.size(); ++i) {
      const Scenario& s = p_.risk_share.scenarios[i];
      std::string base = fmt::format("risk_share.scenarios[{}]", i);
      double sum = 0;
      for (const auto& [org, share] : s.shares) {
        sum += share;
        if (!p_.FindOrganisation(org))
          Add(Severity::kError, "risk.unknown_organisation", base + ".shares",
              fmt::format("scenario ({}) gives a share to '{}', which is not in "
                          "[[organisations]]",
                          s.id, org));
      }
      if (!s.shares.empty() && std::fabs(sum - 1.0) > 1e-6)
        Add(Severity::kError, "risk.shares_do_not_sum", base + ".shares",
            fmt::format("scenario ({}) partner shares add up to {:.4f}, not 1", s.id, sum));
      if (s.shares.empty() && s.kind != "exempt" && s.kind != "not_modelled")
        Add(Severity::kWarning, "risk.no_shares", base,
            fmt::format("scenario ({}) says nothing about who bears costs beyond the "
                        "contingency",
                        s.id));
    }
  }

  // Scenarios that compare activity with a planned change need the plan to state that change;
  // a missing figure is never treated as zero (the report does not model them).
  void RiskPlannedChange() {
    for (size_t i = 0; i < p_.risk_share.scenarios.size(); ++i) {
      const Scenario& s = p_.risk_share.scenarios[i];
      if ((s.kind == "acute_demand_outstrips" || s.kind == "community_demand_higher") &&
          !s.planned_change_pct)
        Add(Severity::kWarning, "risk.planned_change_not_stated",
            fmt::format("risk_share.scenarios[{}]", i),
            fmt::format("scenario ({}) compares activity with a planned change the plan does "
                        "not state: it cannot be costed",
                        s.id));
    }
  }

  // Scheme references ("BCF01 & BCF15", "BCF07a", "BCF01/11"): (number, sub-line letter).
  static std::vector<std::pair<int, std::string>> SchemeRefs(const std::string& text) {
    std::vector<std::pair<int, std::string>> out;
    for (size_t at = text.find("BCF"); at != std::string::npos; at = text.find("BCF", at + 3)) {
      size_t i = at + 3;
      while (i < text.size() && text[i] == ' ') ++i;
      while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
        int n = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
          n = n * 10 + (text[i++] - '0');
        std::string letter;
        if (i < text.size() && std::islower(static_cast<unsigned char>(text[i])) &&
            (i + 1 == text.size() || !std::isalpha(static_cast<unsigned char>(text[i + 1]))))
          letter = text[i++];
        out.push_back({n, letter});
        if (i < text.size() && text[i] == '/')
          ++i;  // "BCF01/11": more numbers follow
        else
          break;
      }
    }
    return out;
  }

  // A costs-and-benefits line must cover whole lines of the scheme table: every scheme number
  // it names exists, no sub-line the table does not list, and a table line that groups schemes
  // ("BCF01 & BCF15") is not split across appendix lines.
  void AppendixSchemeRefs() {
    std::map<int, size_t> line_of;  // scheme number -> schemes[] index
    for (size_t i = 0; i < p_.schemes.size(); ++i)
      for (const auto& [n, letter] : SchemeRefs(p_.schemes[i].name)) line_of[n] = i;
    if (line_of.empty()) return;
    for (size_t a = 0; a < p_.cost_assumptions.size(); ++a) {
      const CostAssumption& c = p_.cost_assumptions[a];
      auto refs = SchemeRefs(c.ref);
      if (refs.empty()) continue;
      const std::string key = fmt::format("cost_assumptions[{}].ref", a);
      std::set<int> named;
      std::set<size_t> lines;
      for (const auto& [n, letter] : refs) {
        named.insert(n);
        auto it = line_of.find(n);
        if (it == line_of.end()) {
          Add(Severity::kError, "appendix.unknown_scheme", key,
              fmt::format("'{}' refers to scheme BCF{:02d}, which is not in the scheme table",
                          c.ref, n));
          continue;
        }
        lines.insert(it->second);
        if (!letter.empty())
          Add(Severity::kWarning, "appendix.scheme_split", key,
              fmt::format("'{}' is a part of scheme BCF{:02d} ({}) that the scheme table does "
                          "not list: its figures cannot be matched to a scheme line",
                          c.ref, n, p_.schemes[it->second].name));
      }
      for (size_t li : lines) {
        for (const auto& [n, letter] : SchemeRefs(p_.schemes[li].name)) {
          if (named.count(n)) continue;
          Add(Severity::kWarning, "appendix.scheme_split", key,
              fmt::format("'{}' groups schemes differently from the scheme table: the table's "
                          "line '{}' also covers BCF{:02d}",
                          c.ref, p_.schemes[li].name, n));
          break;
        }
      }
    }
  }

  const Plan& p_;
  std::vector<Finding> out_;
};

}  // namespace

std::vector<Finding> ValidatePlan(const Plan& plan) {
  Checker c(plan);
  c.Run();
  for (Finding& f : CheckRanges(plan)) c.Add(f.severity, f.code, f.key, f.message);
  return c.Take();
}

}  // namespace pioneer::plan
