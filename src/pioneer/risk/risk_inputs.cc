#include "pioneer/risk/risk_inputs.h"

#include <fmt/format.h>

#include <vector>

namespace pioneer::risk {
namespace {

// Activity types the costing of features.cc uses.
constexpr const char* kNeededCosts[] = {
    "gp_consultation",    "gp_telephone",       "gp_home_visit", "ae_attendance",
    "op_attendance",      "apc_elective_spell", "apc_day_case",  "apc_non_elective_spell",
    "apc_excess_bed_day", "community_contact",  "mh_contact",    "assessment"};

}  // namespace

StatusOr<RiskInputs> LoadRiskInputs(store::Store& store) {
  RiskInputs in;
  if (store.HasTable("lsoa")) {
    const std::vector<std::string> cols = {"lsoa_code", "imd_decile"};
    PIONEER_RETURN_IF_ERROR(store.Scan("lsoa", cols, [&](const store::RowView& r) {
      in.imd_decile_by_lsoa[std::string(r.Text(0))] = static_cast<int>(r.Int(1));
    }));
  }
  if (store.HasTable("organisations")) {
    const std::vector<std::string> cols = {"ods_code", "organisation_type", "parent_code"};
    PIONEER_RETURN_IF_ERROR(store.Scan("organisations", cols, [&](const store::RowView& r) {
      if (r.Text(1) == "gp_practice" && !r.IsNull(2)) {
        in.ccg_of_practice[std::string(r.Text(0))] = std::string(r.Text(2));
      }
    }));
  }
  if (store.HasTable("unit_costs")) {
    std::map<std::string, std::map<std::string, double>> by_year;
    const std::vector<std::string> cols = {"activity_type", "price_year", "cost_gbp"};
    PIONEER_RETURN_IF_ERROR(store.Scan("unit_costs", cols, [&](const store::RowView& r) {
      by_year[std::string(r.Text(1))][std::string(r.Text(0))] = r.Real(2);
    }));
    size_t best = 0;
    for (const auto& [year, costs] : by_year) {
      if (costs.size() >= best) {
        best = costs.size();
        in.price_year = year;
        in.unit_cost = costs;
      }
    }
  }
  for (const char* needed : kNeededCosts) {
    if (!in.unit_cost.count(needed)) {
      return FailedPreconditionError(
          fmt::format("unit_costs has no '{}' cost{}: next-year cost cannot be computed (ingest a "
                      "unit_costs.csv with a complete price year)",
                      needed, in.price_year.empty() ? "" : " for price year " + in.price_year));
    }
  }
  // The latest activity date: the end of what the extracts cover.
  std::string last;
  const char* queries[] = {"SELECT MAX(admission_date) FROM apc_episodes",
                           "SELECT MAX(arrival_date) FROM ae_attendances",
                           "SELECT MAX(appointment_date) FROM op_appointments",
                           "SELECT MAX(event_date) FROM gp_events"};
  const char* tables[] = {"apc_episodes", "ae_attendances", "op_appointments", "gp_events"};
  for (int i = 0; i < 4; ++i) {
    if (!store.HasTable(tables[i])) continue;
    PIONEER_RETURN_IF_ERROR(store.Query(queries[i], {}, [&](const store::RowView& r) {
      if (!r.IsNull(0) && std::string(r.Text(0)) > last) last = std::string(r.Text(0));
    }));
  }
  auto d = Date::ParseIso(last);
  if (!d) {
    return FailedPreconditionError(
        "the store holds no dated activity (apc_episodes, ae_attendances, op_appointments, "
        "gp_events): ingest extracts first");
  }
  in.last_activity_date = *d;
  return in;
}

}  // namespace pioneer::risk
