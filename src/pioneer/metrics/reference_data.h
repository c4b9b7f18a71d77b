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
  std::string data_as_of;  // latest activity date in apc_episodes (ISO), "" when none

  // Residents of ages [lo, hi] (hi >= 90 includes 90+), sex 0 = both, in `year`.
  int64_t Population(int year, int sex, int lo, int hi) const;
};

StatusOr<ReferenceData> LoadReferenceData(store::Store& store);

}  // namespace pioneer::metrics
