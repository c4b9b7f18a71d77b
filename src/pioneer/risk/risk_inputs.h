// Reference inputs of risk stratification read from the store: the IMD decile of each LSOA
// (lsoa extract), each practice's CCG (organisations extract), the unit costs used to cost next
// year's activity (unit_costs extract) and the last date the store's activity covers (to refuse an
// index date without a whole outcome year).
//
// Unit costs: one price year is used for every activity so that costs add up; it is the
// price year with the most activity types (the complete set; ties to the later year).
// Thread safety: values.
#pragma once

#include <map>
#include <string>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::risk {

struct RiskInputs {
  std::map<std::string, int> imd_decile_by_lsoa;
  std::string price_year;                   // e.g. "2014/15"; empty when no unit costs
  std::map<std::string, double> unit_cost;  // activity_type -> GBP at price_year
  Date last_activity_date;                  // latest event date in the activity extracts
  // GP practice ODS code -> its commissioner (CCG), from organisations.parent_code.
  std::map<std::string, std::string> ccg_of_practice;
  double Cost(const std::string& activity) const {
    auto it = unit_cost.find(activity);
    return it == unit_cost.end() ? 0.0 : it->second;
  }
};

// Errors: kFailedPrecondition when the store holds no activity (nothing ingested), or
// unit_costs lacks one of the activity types costing needs (named in the message).
StatusOr<RiskInputs> LoadRiskInputs(store::Store& store);

}  // namespace pioneer::risk
