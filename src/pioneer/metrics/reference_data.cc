#include "pioneer/metrics/reference_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "pioneer/base/csv_reader.h"
#include "pioneer/metrics/duplicate_rows.h"
#include "pioneer/store/objections.h"

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

std::optional<int64_t> ReferenceData::RegisteredIn(Breakdown b, const std::string& group, int year,
                                                   int sex, int lo, int hi) const {
  auto it = registered_groups.find({b, group, year});
  if (it == registered_groups.end()) return std::nullopt;
  int64_t total = 0;
  for (int s = 1; s <= 2; ++s) {
    if (sex != 0 && s != sex) continue;
    for (int age = std::max(lo, 0); age <= std::min(hi, 90); ++age) {
      total += it->second[static_cast<size_t>((s - 1) * 91 + age)];
    }
  }
  return total;
}

const RateTable* ReferenceData::RateTableNamed(std::string_view name) const {
  for (const auto& t : rate_tables) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Status LoadRateTablesCsv(const std::string& path, ReferenceData& ref) {
  static const char* const kBands[] = {"65-69", "70-74", "75-79", "80-84", "85-89", "90+"};
  static const char* const kColumns[] = {"table", "sex", "age_band", "rate_per_100", "source"};
  std::map<std::string, RateTable> loaded;
  std::set<std::tuple<std::string, int, int>> seen;
  int col[5] = {-1, -1, -1, -1, -1};
  bool header = true;
  CsvReader reader;
  auto bad = [&](int64_t line, const std::string& field, const std::string& what) {
    return InvalidArgumentError(
        fmt::format("{}: line {}, field '{}': {}", path, line, field, what));
  };
  Status st = reader.ReadFile(path, [&](const CsvRecord& r) -> Status {
    if (header) {
      header = false;
      for (size_t i = 0; i < r.fields.size(); ++i) {
        for (int c = 0; c < 5; ++c) {
          if (r.fields[i] == kColumns[c]) col[c] = static_cast<int>(i);
        }
      }
      for (int c = 0; c < 4; ++c) {
        if (col[c] < 0) return bad(r.line, kColumns[c], "missing column (header must name it)");
      }
      return OkStatus();
    }
    auto field = [&](int c) -> std::string {
      if (col[c] < 0 || static_cast<size_t>(col[c]) >= r.fields.size()) return "";
      return std::string(r.fields[static_cast<size_t>(col[c])]);
    };
    std::string table = field(0);
    bool allowed = false;
    for (const auto& sw : AllSwitches()) {
      if (sw.name != "dementia.prevalence_rates") continue;
      allowed = std::find(sw.allowed.begin(), sw.allowed.end(), table) != sw.allowed.end();
    }
    if (!allowed) {
      return bad(r.line, "table",
                 "'" + table +
                     "' is not a table dementia.prevalence_rates can select "
                     "(cfas2, dementia_uk_2007)");
    }
    std::string sex_text = field(1);
    if (sex_text != "1" && sex_text != "2") {
      return bad(r.line, "sex", "'" + sex_text + "' is not 1 (male) or 2 (female)");
    }
    const int sex = sex_text[0] - '0';
    std::string band_text = field(2);
    int band = -1;
    for (int b = 0; b < 6; ++b) {
      if (band_text == kBands[b]) band = b;
    }
    if (band < 0) {
      return bad(r.line, "age_band",
                 "'" + band_text + "' is not one of 65-69, 70-74, 75-79, 80-84, 85-89, 90+");
    }
    std::string rate_text = field(3);
    double rate = 0;
    auto [end, ec] = std::from_chars(rate_text.data(), rate_text.data() + rate_text.size(), rate);
    if (rate_text.empty() || ec != std::errc() || end != rate_text.data() + rate_text.size() ||
        rate < 0 || rate > 100) {
      return bad(r.line, "rate_per_100", "'" + rate_text + "' is not a number from 0 to 100");
    }
    if (!seen.insert({table, sex, band}).second) {
      return bad(r.line, "age_band",
                 fmt::format("{} sex {} {} given twice", table, sex, band_text));
    }
    RateTable& t = loaded[table];
    if (t.name.empty()) {
      t.name = table;
      t.provenance = "loaded from " + path;
    }
    if (t.source.empty()) t.source = field(4);
    t.rate[sex][band] = rate;
    return OkStatus();
  });
  if (!st.ok()) {
    if (st.message().rfind(path, 0) == 0) return st;  // ours: already names the file
    return Status(st.code(), path + ": " + st.message());
  }
  if (header) return InvalidArgumentError(path + ": empty file (no header)");
  for (auto& [name, t] : loaded) {
    for (int sex = 1; sex <= 2; ++sex) {
      for (int b = 0; b < 6; ++b) {
        if (!seen.count({name, sex, b})) {
          return InvalidArgumentError(fmt::format(
              "{}: table {} has no row for sex {} age band {} (all 12 cells are required)", path,
              name, sex, kBands[b]));
        }
      }
    }
    if (t.source.empty()) t.source = "(no source given in " + path + ")";
  }
  for (auto& [name, t] : loaded) {
    bool replaced = false;
    for (auto& existing : ref.rate_tables) {
      if (existing.name == name) {
        existing = t;
        replaced = true;
      }
    }
    if (!replaced) ref.rate_tables.push_back(t);
  }
  return OkStatus();
}

StatusOr<ReferenceData> LoadReferenceData(store::Store& store) {
  ReferenceData r;
  {
    std::set<std::string> counted;
    for (const auto& d : BuildCatalogue({})) {
      if (d.components.empty() && d.measure != Measure::kPersons) counted.insert(d.source);
    }
    for (const auto& table : counted) {
      PIONEER_ASSIGN_OR_RETURN(r.duplicate_rows[table], DuplicateRowIds(store, table));
    }
  }
  if (store.HasTable("population")) {
    Status st = store.Query(
        "SELECT year, CAST(sex AS INTEGER), age, SUM(population), area_code FROM population "
        "GROUP BY 1, 2, 3, 5",
        {}, [&](const store::RowView& row) {
          int year = static_cast<int>(row.Int(0));
          int age = static_cast<int>(std::min<int64_t>(row.Int(2), 90));
          r.population[{year, static_cast<int>(row.Int(1)), age}] += row.Int(3);
          r.area_population[{std::string(row.Text(4)), year, static_cast<int>(row.Int(1)), age}] +=
              row.Int(3);
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
    Status st = store.Query("SELECT lsoa_code, imd_decile, la_code FROM lsoa ORDER BY rowid", {},
                            [&](const store::RowView& row) {
                              r.lsoa_imd[std::string(row.Text(0))] = static_cast<int>(row.Int(1));
                              r.lsoa_la[std::string(row.Text(0))] = std::string(row.Text(2));
                            });
    if (!st.ok()) return st;
  }
  if (store.HasTable("gp_registrations") && store.HasTable("pds") && r.max_year) {
    // One PDS current row per valid NHS Number (the first, as the timeline takes it), and the
    // registration open on 1 April (latest start, then latest row, when several are open).
    for (int year = r.min_year; year <= r.max_year; ++year) {
      std::vector<store::Param> params = {store::Param::Of(fmt::format("{:04d}-04-01", year))};
      Status st = store.Query(
          "WITH person AS (SELECT nhs_number, sex, birth_date, death_date, lsoa_code, "
          "row_number() OVER (PARTITION BY nhs_number ORDER BY rowid) AS rn FROM pds "
          "WHERE nhs_number_status = 'valid' AND record_type = 'current'), "
          "reg AS (SELECT nhs_number, gp_practice_code, row_number() OVER (PARTITION BY "
          "nhs_number ORDER BY registration_start_date DESC, rowid DESC) AS rn FROM "
          "gp_registrations WHERE nhs_number_status = 'valid' AND registration_start_date <= ?1 "
          "AND (registration_end_date IS NULL OR registration_end_date = '' OR "
          "registration_end_date > ?1)) "
          "SELECT CAST(p.sex AS INTEGER), (CAST(strftime('%Y', ?1) AS INTEGER) - "
          "CAST(strftime('%Y', p.birth_date) AS INTEGER)) - (strftime('%m-%d', ?1) < "
          "strftime('%m-%d', p.birth_date)) AS age, g.gp_practice_code, "
          "coalesce(p.lsoa_code, ''), count(*) FROM person p JOIN reg g ON g.nhs_number = "
          "p.nhs_number AND g.rn = 1 WHERE p.rn = 1 AND p.birth_date IS NOT NULL AND "
          "p.birth_date <= ?1 AND (p.death_date IS NULL OR p.death_date = '' OR p.death_date > "
          "?1) GROUP BY 1, 2, 3, 4",
          params, [&](const store::RowView& row) {
            int sex = static_cast<int>(row.Int(0));
            if (sex != 1 && sex != 2) return;
            int age = static_cast<int>(std::min<int64_t>(row.Int(1), 90));
            if (age < 0) return;
            const int64_t n = row.Int(4);
            r.registered[{year, sex, age}] += n;
            const size_t cell = static_cast<size_t>((sex - 1) * 91 + age);
            auto add = [&](Breakdown b, std::string group) {
              auto& counts = r.registered_groups[{b, std::move(group), year}];
              counts[cell] += n;
            };
            std::string practice(row.Text(2));
            if (!practice.empty()) {
              auto ccg = r.practice_ccg.find(practice);
              if (ccg != r.practice_ccg.end()) add(Breakdown::kCcg, ccg->second);
              add(Breakdown::kPractice, std::move(practice));
            }
            auto imd = r.lsoa_imd.find(std::string(row.Text(3)));
            if (imd != r.lsoa_imd.end()) add(Breakdown::kDeprivation, std::to_string(imd->second));
          });
      if (!st.ok()) return st;
    }
  }
  if (store.HasTable("social_care_events")) {
    // Requests, assessments and reviews are recorded when they happen, so the first of them is
    // where the extract's history starts; a long-term service open at the extract start keeps
    // its own (earlier) start date without the history before it being there. Only when there
    // are no such events does the first service start stand in.
    for (const char* where : {"event_type IN ('request', 'assessment', 'review') AND ", ""}) {
      Status st = store.Query(
          std::string("SELECT coalesce(min(event_start_date), '') FROM social_care_events WHERE ") +
              where + "event_start_date IS NOT NULL AND event_start_date <> ''",
          {},
          [&](const store::RowView& row) { r.social_care_first_date = std::string(row.Text(0)); });
      if (!st.ok()) return st;
      if (!r.social_care_first_date.empty()) break;
    }
  }
  PIONEER_ASSIGN_OR_RETURN(r.objecting, store::ObjectingNhsNumbers(store));
  if (store.HasTable("apc_episodes")) {
    Status st = store.Query(
        "SELECT max(max(coalesce(episode_end_date, '')), max(admission_date)) FROM apc_episodes",
        {}, [&](const store::RowView& row) { r.data_as_of = std::string(row.Text(0)); });
    if (!st.ok()) return st;
  }
  return r;
}

}  // namespace pioneer::metrics
