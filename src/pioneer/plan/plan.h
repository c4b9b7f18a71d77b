// The BCF plan model: what a Health and Wellbeing Board agreed, as plain values.
//
// A plan is read from a TOML file (plan_reader.h, format in docs/plan-format.md), checked by
// the validator (validator.h) and tracked against measured metrics by the report module.
// Money values keep the unit the file states (`money_unit`: pounds, £000s or £m) so that a
// plan round-trips exactly; ToPounds() converts. Absent figures are std::nullopt and mean
// "the plan gives no figure" — never zero.
// Every value remembers the line it came from (Plan::lines, keyed by its TOML key path,
// e.g. "schemes[3].investment.2015/16") so that findings can point into the file.
// Thread safety: plain values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pioneer::plan {

// Financial year label ("2014/15") -> amount in the plan's money unit.
using YearAmounts = std::map<std::string, double>;

enum class MoneyUnit { kPounds, kThousands, kMillions };
const char* MoneyUnitName(MoneyUnit u);  // "gbp", "gbp_thousands", "gbp_millions"
std::optional<MoneyUnit> ParseMoneyUnit(std::string_view s);
double UnitFactor(MoneyUnit u);  // 1, 1e3, 1e6

struct Organisation {
  std::string id;  // short key used elsewhere in the file ("elr_ccg")
  std::string name;
  std::string kind;  // local_authority | ccg | nhs_provider | other
  std::string ods;   // ODS code; "" when the plan does not state it
  friend bool operator==(const Organisation&, const Organisation&) = default;
};

struct Theme {
  std::string id;
  std::string name;
  YearAmounts stated_scheme_total;  // subtotal of the theme's schemes (excl. protection lines)
  YearAmounts stated_total;         // total including "protection of services" lines
  friend bool operator==(const Theme&, const Theme&) = default;
};

struct Scheme {
  std::string id;
  std::string name;
  std::string theme;              // Theme::id
  std::string status;             // new | existing | expanding | existing_and_new | "" not stated
  bool protection = false;        // a "protection of services" line of the theme table
  std::string lead;               // lead commissioner (Organisation::id), "" not stated
  std::optional<bool> recurrent;  // nullopt: not stated
  std::vector<std::string> metrics;     // PlanMetric::id the scheme is expected to move
  std::vector<std::string> conditions;  // national conditions it serves (free text keys)
  YearAmounts investment;               // total per year; empty when not stated
  std::map<std::string, YearAmounts> investment_by_org;  // org id -> year -> amount
  std::string savings;  // savings assumption as the plan states it ("" none)
  friend bool operator==(const Scheme&, const Scheme&) = default;
};

struct ProtectedService {
  std::string name;
  std::string benefit;
  std::string theme;   // Theme::id ("" when the plan does not say)
  std::string scheme;  // Scheme::id of the matching theme-table line ("" none)
  YearAmounts amount;
  std::vector<double> amount_range;  // [low, high] when the plan gives a range, not a figure
  friend bool operator==(const ProtectedService&, const ProtectedService&) = default;
};

struct Milestone {
  std::string date;  // ISO date the value is to be reached by
  double value = 0;
  std::optional<double> stated_change_pct;  // as printed, change from the previous point
  friend bool operator==(const Milestone&, const Milestone&) = default;
};

struct PlanMetric {
  std::string id;  // key used by schemes ("avoidable_emergency_admissions")
  std::string name;
  std::string kind;          // national | local | supporting
  std::string catalogue_id;  // Pioneer metric id (docs/metrics.md), "" when not measured yet
  std::string unit;          // per_100k | percent | count
  std::string rate_basis;    // year | month: the plan's figures are per year / per month
  std::string polarity;      // lower_is_better | higher_is_better
  std::string status;        // set | tbc | not_stated
  std::optional<double> baseline;
  std::string baseline_period;  // "2013/14" or "2013-04..2014-03" ("" not stated)
  int measure_months = 0;       // window ending at a milestone date (0: 12 for year, 3 month)
  // How the catalogue value relates to the plan's figures: "rate_over_period" (default: the
  // engine's rate over the window, scaled to rate_basis) or "as_is" (already per month, or a
  // percentage).
  std::string catalogue_value;
  std::vector<Milestone> milestones;
  friend bool operator==(const PlanMetric&, const PlanMetric&) = default;
};

struct P4p {
  bool present = false;
  std::string metric;  // catalogue id of the P4P metric (total_non_elective)
  double planned_reduction_pct = 0;
  double value_per_admission_gbp = 0;
  std::string value_provenance;                // "unverified" or a source
  std::vector<std::string> baseline_quarters;  // "2013/14 Q4", ...
  std::vector<std::string> plan_quarters;
  std::string assessment = "per_quarter";  // per_quarter | cumulative
  std::string withheld_to;
  friend bool operator==(const P4p&, const P4p&) = default;
};

struct Scenario {
  std::string id;  // "a", "c", "d"
  std::string description;
  // avoidable_admissions_missed | acute_demand_outstrips | community_demand_higher | exempt
  std::string kind;
  std::string metric;                   // PlanMetric::id or catalogue id the scenario reads
  std::string unit_cost_activity;       // unit_costs.activity_type in the store
  std::optional<double> unit_cost_gbp;  // override of the store's unit cost
  // Planned change in the activity (e.g. -3.0); absent = the plan states none (never 0).
  std::optional<double> planned_change_pct;
  std::map<std::string, double> shares;  // partner org id -> share of costs beyond contingency
  std::string shares_basis;
  friend bool operator==(const Scenario&, const Scenario&) = default;
};

// A line of a plan's costs-and-benefits appendix (Tri-borough's "Appendix B"): the scheme
// reference exactly as printed ("BCF01/11", "BCF07a", "BCF14/19"; empty for lines that are not
// schemes, e.g. Disabled Facilities Grants) and the assumptions behind its figures. The
// validator checks the references against the scheme table (scheme numbers in scheme names).
struct CostAssumption {
  std::string ref;
  std::string name;
  std::string costing;
  std::string savings;
  friend bool operator==(const CostAssumption&, const CostAssumption&) = default;
};

struct RiskShare {
  std::optional<double> contingency;  // in money unit
  std::vector<Scenario> scenarios;
  friend bool operator==(const RiskShare&, const RiskShare&) = default;
};

struct Plan {
  int format_version = 1;
  std::string id;
  std::string hwb;
  std::string title;
  std::string source;
  std::vector<std::string> years;
  MoneyUnit money_unit = MoneyUnit::kThousands;
  std::string local_metric;             // PlanMetric::id, "" not chosen
  std::vector<std::string> hwb_agreed;  // ISO dates
  std::vector<std::string> submitted;
  std::vector<Organisation> organisations;
  YearAmounts pooled_minimum;
  YearAmounts pooled_total;
  std::vector<Theme> themes;
  std::vector<Scheme> schemes;
  YearAmounts protected_stated_total;
  std::vector<ProtectedService> protected_services;
  std::vector<PlanMetric> metrics;
  P4p p4p;
  RiskShare risk_share;
  std::vector<CostAssumption> cost_assumptions;
  // Key path -> 1-based line in the source file (not part of equality).
  std::map<std::string, int> lines;
  std::string file;  // the file it was read from ("" when built in code)

  double ToPounds(double amount) const { return amount * UnitFactor(money_unit); }
  int LineOf(const std::string& key) const;  // 0 when unknown
  const PlanMetric* FindMetric(std::string_view id) const;
  const Theme* FindTheme(std::string_view id) const;
  const Organisation* FindOrganisation(std::string_view id) const;
  // Values equal, ignoring lines and file.
  bool SameContent(const Plan& other) const;
};

}  // namespace pioneer::plan
