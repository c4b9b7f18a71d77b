// Reference data the metrics read from the store: ONS population (denominators), the
// practice -> CCG hierarchy and LSOA -> IMD decile (breakdowns), GP-registered populations
// (whole area, and per practice, CCG and IMD decile: the denominators of those breakdowns),
// the first date of each activity source (ASCOF 2A look-back) and the data's as-of date.
// Errors: whatever the store returns. Thread safety: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/metrics/definition.h"
#include "pioneer/store/store.h"

namespace pioneer::metrics {

struct ReferenceData {
  // (mid-year, sex 1/2, age 0..90 where 90 = 90+) -> residents, summed over area codes (the
  // store holds one HWB's data).
  std::map<std::tuple<int, int, int>, int64_t> population;
  int min_year = 0, max_year = 0;                   // 0 when no population rows
  std::map<std::string, std::string> practice_ccg;  // practice ODS -> parent (CCG) code
  std::map<std::string, int> lsoa_imd;              // LSOA -> IMD decile
  std::map<std::string, std::string> lsoa_la;       // LSOA -> local authority (HWB) code
  // (area code, mid-year, sex, age) -> residents: the HWB breakdown's denominators.
  std::map<std::tuple<std::string, int, int, int>, int64_t> area_population;
  // (FY start year, sex 1/2, age 0..90) -> people registered with a GP practice on 1 April of
  // that financial year (gp_registrations open that day; age and sex from the PDS current
  // row; dead people excluded), for switch population.basis = registered.
  std::map<std::tuple<int, int, int>, int64_t> registered;
  // (breakdown, group, FY start year) -> registered people by sex and age, index
  // (sex - 1) * 91 + age (age 90 = 90+): the same 1 April count as `registered`, split by the
  // practice of the registration open that day (latest start wins), that practice's CCG
  // (parent_code), and the IMD decile of the person's PDS LSOA. Groups "unknown" /
  // "unallocated" are not kept (they have no denominator).
  std::map<std::tuple<Breakdown, std::string, int>, std::array<int64_t, 182>> registered_groups;
  // Where the social care history starts (ISO), "" when there is none: the first request,
  // assessment or review (services open at the extract start carry older start dates), or the
  // first service start when there are no such events. The ASCOF 2A look-back runs from here.
  std::string social_care_first_date;
  std::string data_as_of;  // latest activity date in apc_episodes (ISO), "" when none
  // Source table -> rowids of exact duplicate rows (surplus copies, duplicate_rows.h), for
  // every table a definition counts records of (persons-measured sources are unaffected by
  // duplicates and not scanned). FastEngine skips these rows.
  std::map<std::string, std::vector<int64_t>> duplicate_rows;
  // NHS Numbers of the people who objected to the use of their records beyond their own care
  // (ig_objections: `pioneer objections import`, a FHIR Consent with a deny provision),
  // sorted. Definitions with exclude_objections leave their records out of every count.
  // Information governance: identifiers, held in memory only, never printed.
  std::vector<std::string> objecting;
  // Expected-prevalence rate tables (dementia): the embedded ReferenceRates() unless a table
  // of the same name was loaded with LoadRateTablesCsv.
  std::vector<RateTable> rate_tables = ReferenceRates();
  const RateTable* RateTableNamed(std::string_view name) const;

  // Residents of ages [lo, hi] (hi >= 90 includes 90+), sex 0 = both, in `year`.
  int64_t Population(int year, int sex, int lo, int hi) const;
  // The same from `registered` (year = FY start year) or for one area (HWB breakdown).
  int64_t Registered(int year, int sex, int lo, int hi) const;
  int64_t AreaPopulation(const std::string& area, int year, int sex, int lo, int hi) const;
  // Registered people of one practice / CCG / IMD decile group (Breakdown kPractice, kCcg,
  // kDeprivation) on 1 April of FY `year`; nullopt when the group holds nobody that year.
  std::optional<int64_t> RegisteredIn(Breakdown b, const std::string& group, int year, int sex,
                                      int lo, int hi) const;
};

StatusOr<ReferenceData> LoadReferenceData(store::Store& store);

// Replaces rate tables from a CSV file with header `table,sex,age_band,rate_per_100[,source]`:
// table = a name the switch dementia.prevalence_rates allows (cfas2, dementia_uk_2007); sex 1
// or 2; age_band 65-69, 70-74, 75-79, 80-84, 85-89 or 90+; rate_per_100 a number in [0, 100];
// source free text (the first non-empty one becomes the table's source). Every table named in
// the file must have all 12 cells exactly once. Nothing changes unless the whole file is valid.
// Errors: kInvalidArgument naming the file, line and field; kUnavailable for I/O.
Status LoadRateTablesCsv(const std::string& path, ReferenceData& ref);

}  // namespace pioneer::metrics
