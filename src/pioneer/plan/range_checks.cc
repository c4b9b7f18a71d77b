#include "pioneer/plan/range_checks.h"

#include <fmt/format.h>

#include <functional>
#include <limits>
#include <string_view>

#include "pioneer/base/date.h"

namespace pioneer::plan {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// What a number in a plan measures.
enum class Quantity { kMoney, kShare, kPercentValue, kRateOrCount, kReductionPct, kChangePct };

struct RangeRule {
  Quantity quantity;
  double min, max;
  std::string_view code;
  std::string_view why;
};

// The rules, one per kind of quantity.
constexpr RangeRule kRules[] = {
    {Quantity::kMoney, 0, kInf, "range.negative_money",
     "the BCF planning template's amounts (budgets, investment, costs) are never negative"},
    {Quantity::kShare, 0, 1, "range.share",
     "a partner's share of a risk is a fraction from 0 to 1"},
    {Quantity::kPercentValue, 0, 100, "range.percent", "a percentage lies from 0 to 100"},
    {Quantity::kRateOrCount, 0, kInf, "range.negative_value",
     "a rate or a count cannot be negative"},
    {Quantity::kReductionPct, 0, 100, "range.percent", "a planned reduction lies from 0% to 100%"},
    {Quantity::kChangePct, -100, kInf, "range.change_pct",
     "an activity cannot fall by more than 100%"},
};

const RangeRule& RuleFor(Quantity q) {
  for (const RangeRule& r : kRules)
    if (r.quantity == q) return r;
  return kRules[0];
}

using Visit = std::function<void(Quantity, const std::string& key, double value)>;

void Years(const YearAmounts& y, const std::string& key, const Visit& fn) {
  for (const auto& [year, v] : y) fn(Quantity::kMoney, key + "." + year, v);
}

// Every number of the plan with its key path (the keys of Plan::lines).
void ForEachNumber(const Plan& p, const Visit& fn) {
  Years(p.pooled_minimum, "pooled_budget.minimum", fn);
  Years(p.pooled_total, "pooled_budget.total", fn);
  for (size_t i = 0; i < p.themes.size(); ++i) {
    const std::string k = fmt::format("themes[{}]", i);
    Years(p.themes[i].stated_scheme_total, k + ".stated_scheme_total", fn);
    Years(p.themes[i].stated_total, k + ".stated_total", fn);
  }
  for (size_t i = 0; i < p.schemes.size(); ++i) {
    const std::string k = fmt::format("schemes[{}]", i);
    Years(p.schemes[i].investment, k + ".investment", fn);
    for (const auto& [org, y] : p.schemes[i].investment_by_org)
      Years(y, k + ".investment_by_org." + org, fn);
  }
  Years(p.protected_stated_total, "protected_social_care.stated_total", fn);
  for (size_t i = 0; i < p.protected_services.size(); ++i) {
    const std::string k = fmt::format("protected_social_care.services[{}]", i);
    Years(p.protected_services[i].amount, k + ".amount", fn);
    for (double v : p.protected_services[i].amount_range)
      fn(Quantity::kMoney, k + ".amount_range", v);
  }
  for (size_t i = 0; i < p.metrics.size(); ++i) {
    const PlanMetric& m = p.metrics[i];
    const std::string k = fmt::format("metrics[{}]", i);
    const Quantity q = m.unit == "percent" ? Quantity::kPercentValue : Quantity::kRateOrCount;
    if (m.baseline) fn(q, k + ".baseline", *m.baseline);
    for (size_t j = 0; j < m.milestones.size(); ++j)
      fn(q, fmt::format("{}.milestones[{}].value", k, j), m.milestones[j].value);
  }
  if (p.p4p.present) {
    fn(Quantity::kReductionPct, "p4p.planned_reduction_pct", p.p4p.planned_reduction_pct);
    fn(Quantity::kMoney, "p4p.value_per_admission_gbp", p.p4p.value_per_admission_gbp);
  }
  if (p.risk_share.contingency)
    fn(Quantity::kMoney, "risk_share.contingency", *p.risk_share.contingency);
  for (size_t i = 0; i < p.risk_share.scenarios.size(); ++i) {
    const Scenario& s = p.risk_share.scenarios[i];
    const std::string k = fmt::format("risk_share.scenarios[{}]", i);
    if (s.unit_cost_gbp) fn(Quantity::kMoney, k + ".unit_cost_gbp", *s.unit_cost_gbp);
    if (s.planned_change_pct)
      fn(Quantity::kChangePct, k + ".planned_change_pct", *s.planned_change_pct);
    for (const auto& [org, share] : s.shares) fn(Quantity::kShare, k + ".shares." + org, share);
  }
}

// "2014/15 Q3": a financial year label and a quarter 1..4.
bool IsQuarterLabel(std::string_view s) {
  if (s.size() != 10 || s.substr(7, 2) != " Q" || s[9] < '1' || s[9] > '4') return false;
  auto fy = FinancialYear::Parse(s.substr(0, 7));
  return fy && fy->Label() == s.substr(0, 7);
}

}  // namespace

std::vector<Finding> CheckRanges(const Plan& plan) {
  std::vector<Finding> out;
  auto add = [&](std::string_view code, const std::string& key, std::string msg) {
    out.push_back({Severity::kError, std::string(code), key, 0, std::move(msg)});
  };
  ForEachNumber(plan, [&](Quantity q, const std::string& key, double v) {
    const RangeRule& r = RuleFor(q);
    if (v >= r.min && v <= r.max) return;
    const std::string range = r.max == kInf ? fmt::format("at least {}", r.min)
                                            : fmt::format("from {} to {}", r.min, r.max);
    add(r.code, key, fmt::format("{} is out of range: it must be {} ({})", v, range, r.why));
  });
  for (size_t i = 0; i < plan.protected_services.size(); ++i) {
    const auto& ar = plan.protected_services[i].amount_range;
    if (ar.size() == 2 && ar[0] > ar[1]) {
      add("range.amount_range", fmt::format("protected_social_care.services[{}].amount_range", i),
          fmt::format("the low end {} is above the high end {}", ar[0], ar[1]));
    }
  }
  for (const auto* list : {&plan.p4p.baseline_quarters, &plan.p4p.plan_quarters}) {
    const char* key =
        list == &plan.p4p.baseline_quarters ? "p4p.baseline_quarters" : "p4p.plan_quarters";
    for (const std::string& q : *list) {
      if (!IsQuarterLabel(q)) {
        add("range.quarter", key,
            fmt::format("'{}' is not a quarter: write the financial year and Q1-Q4, e.g. "
                        "\"2014/15 Q3\"",
                        q.substr(0, 40)));
      }
    }
  }
  // Milestones within the plan's financial years.
  std::optional<Period> years;
  if (!plan.years.empty()) {
    auto first = FinancialYear::Parse(plan.years.front());
    auto last = FinancialYear::Parse(plan.years.back());
    if (first && last && *first <= *last)
      years = Period{first->period().start, last->period().end_exclusive};
  }
  for (size_t i = 0; i < plan.metrics.size(); ++i) {
    const PlanMetric& m = plan.metrics[i];
    if (!m.baseline_period.empty() && !Period::Parse(m.baseline_period)) {
      auto p = Period::ParseChecked(m.baseline_period);
      add("range.baseline_period", fmt::format("metrics[{}].baseline_period", i),
          p.ok() ? "not a period" : p.status().message());
    }
    if (!years) continue;
    for (size_t j = 0; j < m.milestones.size(); ++j) {
      auto d = Date::ParseIso(m.milestones[j].date);
      if (d && !years->Contains(*d)) {
        add("range.milestone_date", fmt::format("metrics[{}].milestones[{}].date", i, j),
            fmt::format("{} is outside the plan's years {} ({} to {})", m.milestones[j].date,
                        plan.years.front() + (plan.years.size() > 1 ? "-" + plan.years.back() : ""),
                        years->start.ToIso(), years->last_day().ToIso()));
      }
    }
  }
  return out;
}

}  // namespace pioneer::plan
