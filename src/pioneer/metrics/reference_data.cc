#include "pioneer/metrics/reference_data.h"

#include <algorithm>

namespace pioneer::metrics {

int64_t ReferenceData::Population(int year, int sex, int lo, int hi) const {
  int64_t total = 0;
  for (int s : {1, 2}) {
    if (sex != 0 && s != sex) continue;
    for (int age = std::max(lo, 0); age <= std::min(hi, 90); ++age) {
      auto it = population.find({year, s, age});
      if (it != population.end()) total += it->second;
    }
  }
  return total;
}

StatusOr<ReferenceData> LoadReferenceData(store::Store& store) {
  ReferenceData r;
  if (store.HasTable("population")) {
    Status st = store.Query(
        "SELECT year, CAST(sex AS INTEGER), age, SUM(population) FROM population "
        "GROUP BY 1, 2, 3",
        {}, [&](const store::RowView& row) {
          int year = static_cast<int>(row.Int(0));
          int age = static_cast<int>(std::min<int64_t>(row.Int(2), 90));
          r.population[{year, static_cast<int>(row.Int(1)), age}] += row.Int(3);
          r.min_year = r.min_year == 0 ? year : std::min(r.min_year, year);
          r.max_year = std::max(r.max_year, year);
        });
    if (!st.ok()) return st;
  }
  if (store.HasTable("organisations")) {
    Status st = store.Query(
        "SELECT ods_code, parent_code FROM organisations WHERE organisation_type = 'gp_practice' "
        "AND parent_code IS NOT NULL AND parent_code <> '' ORDER BY rowid",
        {}, [&](const store::RowView& row) {
          r.practice_ccg[std::string(row.Text(0))] = std::string(row.Text(1));
        });
    if (!st.ok()) return st;
  }
  if (store.HasTable("lsoa")) {
    Status st = store.Query("SELECT lsoa_code, imd_decile FROM lsoa ORDER BY rowid", {},
                            [&](const store::RowView& row) {
                              r.lsoa_imd[std::string(row.Text(0))] =
                                  static_cast<int>(row.Int(1));
                            });
    if (!st.ok()) return st;
  }
  if (store.HasTable("apc_episodes")) {
    Status st = store.Query(
        "SELECT max(max(coalesce(episode_end_date, '')), max(admission_date)) FROM apc_episodes",
        {}, [&](const store::RowView& row) { r.data_as_of = std::string(row.Text(0)); });
    if (!st.ok()) return st;
  }
  return r;
}

}  // namespace pioneer::metrics
