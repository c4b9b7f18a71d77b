// Reference data the metrics read from the store: ONS population (denominators), the
// practice -> CCG hierarchy and LSOA -> IMD decile (breakdowns), and the data's as-of date.
// Errors: whatever the store returns. Thread safety: plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <tuple>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::metrics {

struct ReferenceData {
  // (mid-year, sex 1/2, age 0..90 where 90 = 90+) -> residents, summed over area codes (the
  // store holds one HWB's data).
  std::map<std::tuple<int, int, int>, int64_t> population;
  int min_year = 0, max_year = 0;  // 0 when no population rows
  std::map<std::string, std::string> practice_ccg;  // practice ODS -> parent (CCG) code
  std::map<std::string, int> lsoa_imd;              // LSOA -> IMD decile
  std::map<std::string, std::string> lsoa_la;       // LSOA -> local authority (HWB) code
  // (area code, mid-year, sex, age) -> residents: the HWB breakdown's denominators.
  std::map<std::tuple<std::string, int, int, int>, int64_t> area_population;
  // (FY start year, sex 1/2, age 0..90) -> people registered with a GP practice on 1 April of
  // that financial year (gp_registrations open that day; age and sex from the PDS current
  // row; dead people excluded), for switch population.basis = registered.
  std::map<std::tuple<int, int, int>, int64_t> registered;
  std::string data_as_of;  // latest activity date in apc_episodes (ISO), "" when none

  // Residents of ages [lo, hi] (hi >= 90 includes 90+), sex 0 = both, in `year`.
  int64_t Population(int year, int sex, int lo, int hi) const;
  // The same from `registered` (year = FY start year) or for one area (HWB breakdown).
  int64_t Registered(int year, int sex, int lo, int hi) const;
  int64_t AreaPopulation(const std::string& area, int year, int sex, int lo, int hi) const;
};

StatusOr<ReferenceData> LoadReferenceData(store::Store& store);

}  // namespace pioneer::metrics
