#include "pioneer/plan/plan.h"

namespace pioneer::plan {

const char* MoneyUnitName(MoneyUnit u) {
  switch (u) {
    case MoneyUnit::kPounds:
      return "gbp";
    case MoneyUnit::kThousands:
      return "gbp_thousands";
    case MoneyUnit::kMillions:
      return "gbp_millions";
  }
  return "gbp";
}

std::optional<MoneyUnit> ParseMoneyUnit(std::string_view s) {
  if (s == "gbp") return MoneyUnit::kPounds;
  if (s == "gbp_thousands") return MoneyUnit::kThousands;
  if (s == "gbp_millions") return MoneyUnit::kMillions;
  return std::nullopt;
}

double UnitFactor(MoneyUnit u) {
  switch (u) {
    case MoneyUnit::kPounds:
      return 1;
    case MoneyUnit::kThousands:
      return 1e3;
    case MoneyUnit::kMillions:
      return 1e6;
  }
  return 1;
}

int Plan::LineOf(const std::string& key) const {
  auto it = lines.find(key);
  return it == lines.end() ? 0 : it->second;
}

const PlanMetric* Plan::FindMetric(std::string_view id) const {
  for (const auto& m : metrics)
    if (m.id == id) return &m;
  return nullptr;
}

const Theme* Plan::FindTheme(std::string_view id) const {
  for (const auto& t : themes)
    if (t.id == id) return &t;
  return nullptr;
}

const Organisation* Plan::FindOrganisation(std::string_view id) const {
  for (const auto& o : organisations)
    if (o.id == id) return &o;
  return nullptr;
}

bool Plan::SameContent(const Plan& o) const {
  return format_version == o.format_version && id == o.id && hwb == o.hwb && title == o.title &&
         source == o.source && years == o.years && money_unit == o.money_unit &&
         local_metric == o.local_metric && hwb_agreed == o.hwb_agreed && submitted == o.submitted &&
         organisations == o.organisations && pooled_minimum == o.pooled_minimum &&
         pooled_total == o.pooled_total && themes == o.themes && schemes == o.schemes &&
         protected_stated_total == o.protected_stated_total &&
         protected_services == o.protected_services && metrics == o.metrics && p4p == o.p4p &&
         risk_share == o.risk_share;
}

}  // namespace pioneer::plan
