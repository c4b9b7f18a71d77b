#include "pioneer/metrics/reference_data.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

#include "pioneer/base/csv_reader.h"
#include "pioneer/base/date.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/metrics/duplicate_rows.h"
#include "pioneer/store/master_index.h"
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

namespace {

// SQL's CAST(text AS INTEGER): optional leading spaces and sign, then the longest run of
// digits; 0 when there are none.
int64_t LeadingInteger(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  bool negative = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) negative = s[i++] == '-';
  int64_t v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9' && v < (int64_t{1} << 58); ++i) {
    v = v * 10 + (s[i] - '0');
  }
  return negative ? -v : v;
}

// ReferenceData::registered and registered_groups: for each FY start year, the people with a
// valid NHS Number's first PDS current row (by rowid) who were born on or before 1 April, not
// dead by then, and registered with a practice that day (the registration open on 1 April
// with the latest start, then the latest row). Equivalent to this SQL per year (?1 = 1 April),
// whose rows are summed per cell, but reads each table once in rowid order instead of
// sorting both per year (the SQL is kept in reference_data_test.cc, which checks the two
// agree):
//   WITH person AS (SELECT nhs_number, sex, birth_date, death_date, lsoa_code, row_number()
//     OVER (PARTITION BY nhs_number ORDER BY rowid) AS rn FROM pds WHERE nhs_number_status =
//     'valid' AND record_type = 'current'),
//   reg AS (SELECT nhs_number, gp_practice_code, row_number() OVER (PARTITION BY nhs_number
//     ORDER BY registration_start_date DESC, rowid DESC) AS rn FROM gp_registrations WHERE
//     nhs_number_status = 'valid' AND registration_start_date <= ?1 AND
//     (registration_end_date IS NULL OR registration_end_date = '' OR
//     registration_end_date > ?1))
//   SELECT CAST(p.sex AS INTEGER), (CAST(strftime('%Y', ?1) AS INTEGER) - CAST(strftime('%Y',
//     p.birth_date) AS INTEGER)) - (strftime('%m-%d', ?1) < strftime('%m-%d', p.birth_date)),
//     g.gp_practice_code, coalesce(p.lsoa_code, ''), count(*) FROM person p JOIN reg g ON
//     g.nhs_number = p.nhs_number AND g.rn = 1 WHERE p.rn = 1 AND p.birth_date IS NOT NULL AND
//     p.birth_date <= ?1 AND (p.death_date IS NULL OR p.death_date = '' OR p.death_date > ?1)
//     GROUP BY 1, 2, 3, 4
// The dates and the sex are parsed here, not by the database (no SQLite strftime, so any
// backend runs the two portable statements): a birth date is base/date's strict ISO date,
// which is what ingest stores (a value it cannot parse gives age 0, as strftime's NULL did);
// the sex is read as SQL's CAST(sex AS INTEGER) reads text (LeadingInteger; NULL is 0).
Status LoadRegistered(store::Store& store, ReferenceData& r) {
  const std::string rid(store.dialect().RowIdColumn());
  struct Person {
    int64_t sex = 0;            // CAST(sex AS INTEGER); 0 for NULL
    bool has_birth = false;     // birth_date IS NOT NULL
    std::string birth;          // birth_date text
    bool birth_parsed = false;  // birth_date is an ISO date
    int64_t birth_year = 0;
    int birth_md = 0;   // month * 100 + day of birth_date
    std::string death;  // "" for NULL or ''
    std::string lsoa;   // coalesce(lsoa_code, '')
  };
  std::unordered_map<std::string, Person> people;
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT nhs_number, sex, birth_date, coalesce(death_date, ''), "
                  "coalesce(lsoa_code, '') FROM {} WHERE {} AND nhs_number IS NOT NULL ORDER BY {}",
                  formats::kMasterIndexTable, store::CurrentPersonRowSql(""), rid),
      {}, [&](const store::RowView& row) {
        auto [it, added] = people.try_emplace(std::string(row.Text(0)));
        if (!added) return;  // the first current row (by row id) is the person's
        Person& p = it->second;
        p.sex = LeadingInteger(row.Text(1));
        p.has_birth = !row.IsNull(2);
        p.birth = std::string(row.Text(2));
        if (std::optional<Date> birth = Date::ParseIso(p.birth)) {
          p.birth_parsed = true;
          p.birth_year = birth->year();
          p.birth_md = birth->month() * 100 + birth->day();
        }
        p.death = std::string(row.Text(3));
        p.lsoa = std::string(row.Text(4));
      }));
  struct Registration {
    std::string nhs, practice, start, end;  // end "" for NULL or ''
    int64_t row_id = 0;
  };
  std::vector<Registration> regs;
  PIONEER_RETURN_IF_ERROR(store.Query(
      "SELECT nhs_number, coalesce(gp_practice_code, ''), registration_start_date, "
      "coalesce(registration_end_date, ''), " +
          rid +
          " FROM gp_registrations WHERE nhs_number_status = 'valid' AND nhs_number IS NOT NULL "
          "AND registration_start_date IS NOT NULL ORDER BY " +
          rid,
      {}, [&](const store::RowView& row) {
        regs.push_back({std::string(row.Text(0)), std::string(row.Text(1)),
                        std::string(row.Text(2)), std::string(row.Text(3)), row.Int(4)});
      }));
  // Each person's registrations together, in row-id order.
  std::stable_sort(regs.begin(), regs.end(),
                   [](const Registration& a, const Registration& b) { return a.nhs < b.nhs; });
  // Each person's registrations [first, last) and PDS row, found once for every year.
  struct Group {
    size_t first, last;
    const Person* person;
  };
  std::vector<Group> persons;
  for (size_t i = 0; i < regs.size();) {
    size_t j = i + 1;
    while (j < regs.size() && regs[j].nhs == regs[i].nhs) ++j;
    auto pit = people.find(regs[i].nhs);
    if (pit != people.end() && pit->second.has_birth) persons.push_back({i, j, &pit->second});
    i = j;
  }
  using Cells = std::array<int64_t, 182>;  // (sex - 1) * 91 + age
  for (int year = r.min_year; year <= r.max_year; ++year) {
    const std::string day = fmt::format("{:04d}-04-01", year);
    // Counted per practice and per LSOA first, then put into the breakdown groups.
    Cells all{};
    std::unordered_map<std::string_view, Cells> by_practice, by_lsoa;
    for (const Group& grp : persons) {
      const Registration* best = nullptr;
      for (size_t k = grp.first; k < grp.last; ++k) {
        const Registration& g = regs[k];
        if (!(g.start <= day) || !(g.end.empty() || g.end > day)) continue;
        if (!best || g.start > best->start || (g.start == best->start && g.row_id > best->row_id)) {
          best = &g;
        }
      }
      if (!best) continue;
      const Person& p = *grp.person;
      if (!(p.birth <= day) || !(p.death.empty() || p.death > day)) continue;
      const int sex = static_cast<int>(p.sex);
      if (sex != 1 && sex != 2) continue;
      // "04-01" < birth month-day: the birthday is still to come this year.
      const int64_t age64 = p.birth_parsed ? (year - p.birth_year) - (p.birth_md > 401) : 0;
      const int age = static_cast<int>(std::min<int64_t>(age64, 90));
      if (age < 0) continue;
      const size_t cell = static_cast<size_t>((sex - 1) * 91 + age);
      ++all[cell];
      if (!best->practice.empty())
        ++by_practice.try_emplace(best->practice, Cells{}).first->second[cell];
      ++by_lsoa.try_emplace(p.lsoa, Cells{}).first->second[cell];
    }
    for (size_t cell = 0; cell < all.size(); ++cell) {
      if (all[cell] > 0) {
        r.registered[{year, static_cast<int>(cell / 91) + 1, static_cast<int>(cell % 91)}] +=
            all[cell];
      }
    }
    auto add = [&](Breakdown b, const std::string& group, const Cells& n) {
      Cells& to = r.registered_groups[{b, group, year}];
      for (size_t cell = 0; cell < n.size(); ++cell) to[cell] += n[cell];
    };
    for (const auto& [practice, n] : by_practice) {
      const std::string code(practice);
      auto ccg = r.practice_ccg.find(code);
      if (ccg != r.practice_ccg.end()) add(Breakdown::kCcg, ccg->second, n);
      add(Breakdown::kPractice, code, n);
    }
    for (const auto& [lsoa, n] : by_lsoa) {
      auto imd = r.lsoa_imd.find(std::string(lsoa));
      if (imd != r.lsoa_imd.end()) add(Breakdown::kDeprivation, std::to_string(imd->second), n);
    }
  }
  return OkStatus();
}

}  // namespace

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
        "AND parent_code IS NOT NULL AND parent_code <> '' ORDER BY " +
            std::string(store.dialect().RowIdColumn()),
        {}, [&](const store::RowView& row) {
          r.practice_ccg[std::string(row.Text(0))] = std::string(row.Text(1));
        });
    if (!st.ok()) return st;
  }
  if (store.HasTable("lsoa")) {
    Status st = store.Query("SELECT lsoa_code, imd_decile, la_code FROM lsoa ORDER BY " +
                                std::string(store.dialect().RowIdColumn()),
                            {}, [&](const store::RowView& row) {
                              r.lsoa_imd[std::string(row.Text(0))] = static_cast<int>(row.Int(1));
                              r.lsoa_la[std::string(row.Text(0))] = std::string(row.Text(2));
                            });
    if (!st.ok()) return st;
  }
  if (store.HasTable("gp_registrations") && store.HasTable(formats::kMasterIndexTable) &&
      r.max_year) {
    PIONEER_RETURN_IF_ERROR(LoadRegistered(store, r));
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
