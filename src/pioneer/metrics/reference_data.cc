#include "pioneer/metrics/reference_data.h"

#include <algorithm>

#include <fmt/format.h>

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

int64_t ReferenceData::Registered(int year, int sex, int lo, int hi) const {
  int64_t total = 0;
  for (int s = 1; s <= 2; ++s) {
    if (sex != 0 && s != sex) continue;
    for (int age = std::max(lo, 0); age <= std::min(hi, 90); ++age) {
      auto it = registered.find({year, s, age});
      if (it != registered.end()) total += it->second;
    }
  }
  return total;
}

int64_t ReferenceData::AreaPopulation(const std::string& area, int year, int sex, int lo,
                                      int hi) const {
  int64_t total = 0;
  for (int s = 1; s <= 2; ++s) {
    if (sex != 0 && s != sex) continue;
    for (int age = std::max(lo, 0); age <= std::min(hi, 90); ++age) {
      auto it = area_population.find({area, year, s, age});
      if (it != area_population.end()) total += it->second;
    }
  }
  return total;
}

StatusOr<ReferenceData> LoadReferenceData(store::Store& store) {
  ReferenceData r;
  if (store.HasTable("population")) {
    Status st = store.Query(
        "SELECT year, CAST(sex AS INTEGER), age, SUM(population), area_code FROM population "
        "GROUP BY 1, 2, 3, 5",
        {}, [&](const store::RowView& row) {
          int year = static_cast<int>(row.Int(0));
          int age = static_cast<int>(std::min<int64_t>(row.Int(2), 90));
          r.population[{year, static_cast<int>(row.Int(1)), age}] += row.Int(3);
          r.area_population[{std::string(row.Text(4)), year, static_cast<int>(row.Int(1)),
                             age}] += row.Int(3);
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
    Status st = store.Query("SELECT lsoa_code, imd_decile, la_code FROM lsoa ORDER BY rowid",
                            {}, [&](const store::RowView& row) {
                              r.lsoa_imd[std::string(row.Text(0))] =
                                  static_cast<int>(row.Int(1));
                              r.lsoa_la[std::string(row.Text(0))] = std::string(row.Text(2));
                            });
    if (!st.ok()) return st;
  }
  if (store.HasTable("gp_registrations") && store.HasTable("pds") && r.max_year) {
    // One PDS current row per valid NHS Number (the first, as the timeline takes it).
    for (int year = r.min_year; year <= r.max_year; ++year) {
      std::vector<store::Param> params = {store::Param::Of(fmt::format("{:04d}-04-01", year))};
      Status st = store.Query(
          "WITH person AS (SELECT nhs_number, sex, birth_date, death_date, "
          "row_number() OVER (PARTITION BY nhs_number ORDER BY rowid) AS rn FROM pds "
          "WHERE nhs_number_status = 'valid' AND record_type = 'current'), "
          "reg AS (SELECT DISTINCT nhs_number FROM gp_registrations WHERE nhs_number_status = "
          "'valid' AND registration_start_date <= ?1 AND (registration_end_date IS NULL OR "
          "registration_end_date = '' OR registration_end_date > ?1)) "
          "SELECT CAST(p.sex AS INTEGER), (CAST(strftime('%Y', ?1) AS INTEGER) - "
          "CAST(strftime('%Y', p.birth_date) AS INTEGER)) - (strftime('%m-%d', ?1) < "
          "strftime('%m-%d', p.birth_date)) AS age, count(*) FROM person p JOIN reg USING "
          "(nhs_number) WHERE p.rn = 1 AND p.birth_date IS NOT NULL AND p.birth_date <= ?1 AND "
          "(p.death_date IS NULL OR p.death_date = '' OR p.death_date > ?1) GROUP BY 1, 2",
          params, [&](const store::RowView& row) {
            int sex = static_cast<int>(row.Int(0));
            if (sex != 1 && sex != 2) return;
            int age = static_cast<int>(std::min<int64_t>(row.Int(1), 90));
            r.registered[{year, sex, age}] += row.Int(2);
          });
      if (!st.ok()) return st;
    }
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
