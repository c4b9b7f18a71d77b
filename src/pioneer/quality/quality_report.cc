#include "pioneer/quality/quality_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/master_index.h"

namespace pioneer::quality {
namespace {

using formats::ExtractSpec;
using formats::FieldSpec;
using formats::FieldType;

using formats::FieldRole;

// A date of activity: any date field whose role is not a date of the person (birth, death) or
// of the row's validity (formats::FieldRole).
bool IsActivityDate(const FieldSpec& f) {
  return f.type == FieldType::kDate && f.role != FieldRole::kBirthDate &&
         f.role != FieldRole::kDeathDate && f.role != FieldRole::kValidFrom &&
         f.role != FieldRole::kValidTo;
}

// Sorts 64-bit hashes: least significant digit first, 16 bits a pass (a comparison sort
// was an eighth of the report's time on large tables).
void SortHashes(std::vector<uint64_t>& v) {
  std::vector<uint64_t> tmp(v.size());
  std::vector<size_t> count(size_t{1} << 16);
  for (int shift = 0; shift < 64; shift += 16) {
    std::fill(count.begin(), count.end(), 0);
    for (const uint64_t x : v) ++count[(x >> shift) & 0xFFFF];
    size_t sum = 0;
    for (size_t& c : count) sum += std::exchange(c, sum);
    for (const uint64_t x : v) tmp[count[(x >> shift) & 0xFFFF]++] = x;
    v.swap(tmp);
  }
}

// Surplus copies: for each value seen k > 1 times, k - 1.
int64_t CountSurplus(std::vector<uint64_t>& hashes) {
  SortHashes(hashes);
  int64_t surplus = 0;
  for (size_t i = 1; i < hashes.size(); ++i) {
    if (hashes[i] == hashes[i - 1]) ++surplus;
  }
  return surplus;
}

// Valid current NHS Numbers and their death day (kNoDeath: none recorded). Numbers are keyed
// as integers (a valid number is ten digits as ingest stores it); any other text, which a
// store written by ingest never holds, is kept by its text.
struct PdsIndex {
  static constexpr int32_t kNoDeath = INT32_MIN;
  std::unordered_map<uint64_t, int32_t> death_of;
  std::unordered_map<std::string, int32_t> death_of_text;

  static std::optional<uint64_t> Key(std::string_view nhs) {
    if (nhs.size() != 10) return std::nullopt;
    uint64_t k = 0;
    for (const char c : nhs) {
      if (c < '0' || c > '9') return std::nullopt;
      k = k * 10 + static_cast<uint64_t>(c - '0');
    }
    return k;
  }
  // The number's entry (created with no death day when absent).
  int32_t& Add(std::string_view nhs) {
    if (auto k = Key(nhs)) return death_of.try_emplace(*k, kNoDeath).first->second;
    return death_of_text.try_emplace(std::string(nhs), kNoDeath).first->second;
  }
  // nullptr when the number is not a valid current PDS number.
  const int32_t* Find(std::string_view nhs) const {
    if (auto k = Key(nhs)) {
      auto it = death_of.find(*k);
      return it == death_of.end() ? nullptr : &it->second;
    }
    auto it = death_of_text.find(std::string(nhs));
    return it == death_of_text.end() ? nullptr : &it->second;
  }
};

Status ReadPds(store::Store& store, const QualityOptions& opt, PdsIndex& pds,
               QualityReport& report) {
  const std::string pds_table(formats::kMasterIndexTable);
  if (!store.HasTable(pds_table)) return OkStatus();
  const std::vector<std::string> cols = {"nhs_number", "nhs_number_status", "record_type",
                                         "birth_date", "death_date"};
  Figure over115{"consistency",
                 "age_over_115",
                 pds_table,
                 "birth_date",
                 0,
                 0,
                 "People whose recorded date of birth makes them older than 115"};
  PIONEER_RETURN_IF_ERROR(store.Scan(pds_table, cols, [&](const store::RowView& r) {
    if (r.Text(2) != "current") return;
    ++over115.denominator;
    auto birth = Date::ParseIso(r.Text(3));
    auto death = Date::ParseIso(r.Text(4));
    if (birth) {
      Date on = death && *death < opt.as_of ? *death : opt.as_of;
      if (birth->AgeOn(on) > 115) ++over115.numerator;
    }
    if (!store::IsCurrentPersonRow(r.Text(1), r.Text(2))) return;
    int32_t& death_day = pds.Add(r.Text(0));  // the first death day recorded for the number
    if (death && death_day == PdsIndex::kNoDeath) death_day = death->days_since_epoch();
  }));
  report.figures.push_back(over115);
  return OkStatus();
}

Status ScanExtract(store::Store& store, const ExtractSpec& spec, const QualityOptions& opt,
                   const PdsIndex& pds, QualityReport& report) {
  std::vector<std::string> cols;
  for (const FieldSpec& f : spec.fields) cols.emplace_back(f.name);
  const int nhs_col = spec.FieldIndex("nhs_number");
  const int status_col = nhs_col >= 0 ? static_cast<int>(cols.size()) : -1;
  if (nhs_col >= 0) cols.emplace_back("nhs_number_status");
  const int id_col = spec.record_id_field.empty() ? -1 : spec.FieldIndex(spec.record_id_field);
  int activity_col = -1;
  std::vector<int> date_cols;
  std::vector<int> optional_cols;
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    const FieldSpec& f = spec.fields[i];
    if (IsActivityDate(f)) {
      date_cols.push_back(static_cast<int>(i));
      if (activity_col < 0) activity_col = static_cast<int>(i);
    }
    if (!f.required) optional_cols.push_back(static_cast<int>(i));
  }
  const bool is_pds = spec.table == formats::kMasterIndexTable;
  const int record_type_col = is_pds ? spec.FieldIndex("record_type") : -1;
  int64_t completeness_rows = 0;
  const int age_col = spec.FieldWithRole(FieldRole::kStartAge);
  const std::string as_of = opt.as_of.ToIso();

  int64_t rows = 0, valid = 0, missing = 0, invalid = 0, not_in_pds = 0, future = 0,
          after_death = 0, linked_with_death_known = 0, age_over = 0;
  std::vector<int64_t> empty(spec.fields.size(), 0);
  std::vector<uint64_t> row_hashes, id_hashes;
  std::string buf;
  std::hash<std::string_view> hasher;
  PIONEER_RETURN_IF_ERROR(store.Scan(spec.table, cols, [&](const store::RowView& r) {
    ++rows;
    buf.clear();
    for (size_t i = 0; i < spec.fields.size(); ++i) {
      std::string_view v = r.Text(static_cast<int>(i));
      buf.append(v);
      buf.push_back('\x1f');
    }
    row_hashes.push_back(hasher(buf));
    if (id_col >= 0) id_hashes.push_back(hasher(r.Text(id_col)));
    // PDS history rows carry only the earlier name/address: judge completeness on the
    // current rows.
    const bool counts_for_completeness = !is_pds || r.Text(record_type_col) == "current";
    if (counts_for_completeness) {
      ++completeness_rows;
      for (int c : optional_cols) {
        if (r.IsNull(c) || r.Text(c).empty()) ++empty[c];
      }
    }
    for (int c : date_cols) {
      std::string_view d = r.Text(c);
      if (!d.empty() && d > as_of) {
        ++future;
        break;
      }
    }
    if (age_col >= 0) {
      int64_t age = r.Int(age_col);
      if (age > 115 && age < 7001) ++age_over;
    }
    if (status_col < 0) return;
    std::string_view status = r.Text(status_col);
    if (status == "valid") {
      ++valid;
      if (is_pds) return;
      const int32_t* death_day = pds.Find(r.Text(nhs_col));
      if (death_day == nullptr) {
        ++not_in_pds;
        return;
      }
      if (*death_day == PdsIndex::kNoDeath || activity_col < 0) return;
      ++linked_with_death_known;
      auto d = Date::ParseIso(r.Text(activity_col));
      if (d && d->days_since_epoch() > *death_day) ++after_death;
    } else if (status == "missing" || status == "empty") {
      ++missing;
    } else {
      ++invalid;
    }
  }));

  std::string t(spec.table);
  auto add = [&](std::string section, std::string measure, std::string field, int64_t num,
                 int64_t den, std::string description) {
    report.figures.push_back({std::move(section), std::move(measure), t, std::move(field), num, den,
                              std::move(description)});
  };
  if (nhs_col >= 0) {
    add("nhs_number", "nhs_number_coverage", "nhs_number", valid, rows,
        "Rows carrying a valid NHS Number");
    add("nhs_number", "nhs_number_missing", "nhs_number", missing, rows, "Rows with no NHS Number");
    add("nhs_number", "nhs_number_invalid", "nhs_number", invalid, valid + invalid,
        "NHS Numbers present but failing the format or Modulus 11 check");
    if (!is_pds) {
      add("linkage", "unlinkable", "nhs_number", missing + invalid + not_in_pds, rows,
          "Rows that cannot be linked yet: no valid NHS Number, or a number unknown to PDS");
      add("linkage", "not_in_pds", "nhs_number", not_in_pds, valid,
          "Valid NHS Numbers with no current PDS record");
      add("consistency", "activity_after_death",
          activity_col >= 0 ? std::string(spec.fields[activity_col].name) : std::string(),
          after_death, linked_with_death_known,
          "Activity dated after the person's PDS date of death (of rows for people who died)");
    }
  }
  add("duplicates", "duplicate_rows", "", CountSurplus(row_hashes), rows,
      "Rows that repeat another row exactly (surplus copies)");
  if (id_col >= 0) {
    add("duplicates", "duplicate_record_ids", std::string(spec.record_id_field),
        CountSurplus(id_hashes), rows, "Record ids used by more than one row (surplus uses)");
  }
  if (!date_cols.empty()) {
    add("consistency", "future_dated", "", future, rows,
        "Rows with a date after the as-of date " + as_of);
  }
  if (age_col >= 0) {
    add("consistency", "age_over_115", "age_on_admission", age_over, rows,
        "Admissions recording an age over 115");
  }
  for (int c : optional_cols) {
    add("completeness", "field_completeness", std::string(spec.fields[c].name),
        completeness_rows - empty[c], completeness_rows,
        is_pds ? "Current PDS rows where this optional field is filled in"
               : "Rows where this optional field is filled in");
  }
  return OkStatus();
}

std::string ReasonSection(std::string_view reason) {
  if (reason == "date_order") return "consistency";
  return "quarantine";
}

Status ReadQuarantine(store::Store& store, QualityReport& report) {
  std::map<std::string, int64_t> rows_read;  // file -> rows read over all runs
  int64_t total_read = 0;
  if (store.HasTable("ingest_files")) {
    PIONEER_RETURN_IF_ERROR(store.Query(
        "SELECT file_name, SUM(rows_read) FROM ingest_files GROUP BY file_name ORDER BY file_name",
        {}, [&](const store::RowView& r) {
          rows_read[std::string(r.Text(0))] = r.Int(1);
          total_read += r.Int(1);
        }));
  }
  if (!store.HasTable("quarantine")) return OkStatus();
  std::map<std::string, int64_t> by_reason;
  PIONEER_RETURN_IF_ERROR(store.Query(
      "SELECT file_name, field, reason_code, COUNT(*) FROM quarantine "
      "GROUP BY file_name, field, reason_code ORDER BY file_name, field, reason_code",
      {}, [&](const store::RowView& r) {
        std::string file(r.Text(0)), reason(r.Text(2));
        std::string table = file.size() > 4 ? file.substr(0, file.size() - 4) : file;
        by_reason[reason] += r.Int(3);
        std::string description =
            reason == "missing_required" ? "Mandatory field left empty (row quarantined)"
            : reason == "date_order"     ? "Dates in the wrong order, e.g. discharge before "
                                           "admission (row quarantined)"
            : reason.rfind("bad_", 0) == 0
                ? "Value not valid for the field (code outside its code set, bad date, ...)"
                : "Row quarantined at ingest";
        report.figures.push_back({ReasonSection(reason), "quarantined_" + reason, table,
                                  std::string(r.Text(1)), r.Int(3), rows_read[file], description});
      }));
  for (const auto& [reason, n] : by_reason) {
    report.figures.push_back({"quarantine", "quarantine_by_reason", "all", reason, n, total_read,
                              "Quarantined rows with this reason, all files"});
  }
  return OkStatus();
}

}  // namespace

const Figure* QualityReport::Find(std::string_view measure, std::string_view source,
                                  std::string_view field) const {
  for (const Figure& f : figures) {
    if (f.measure == measure && f.source == source && (field.empty() || f.field == field)) {
      return &f;
    }
  }
  return nullptr;
}

StatusOr<QualityReport> BuildQualityReport(store::Store& store, const QualityOptions& options) {
  QualityReport report;
  report.as_of = options.as_of;
  bool any = false;
  for (const ExtractSpec& spec : formats::AllExtracts()) {
    if (spec.person_level && store.HasTable(spec.table)) {
      PIONEER_ASSIGN_OR_RETURN(int64_t n, store.CountRows(spec.table));
      any |= n > 0;
    }
  }
  if (!any) {
    return FailedPreconditionError(
        "the store holds no person-level data yet: run `pioneer ingest`");
  }
  PdsIndex pds;
  PIONEER_RETURN_IF_ERROR(ReadPds(store, options, pds, report));
  for (const ExtractSpec& spec : formats::AllExtracts()) {
    if (!spec.person_level || !store.HasTable(spec.table)) continue;
    PIONEER_RETURN_IF_ERROR(ScanExtract(store, spec, options, pds, report));
  }
  PIONEER_RETURN_IF_ERROR(ReadQuarantine(store, report));
  return report;
}

std::string RenderQualityTable(const QualityReport& report, const QualityOptions& options) {
  // Optional fields whose absence hurts linkage or analysis; the JSON lists every field.
  static const std::set<std::string_view> kKeyFields = {
      "nhs_number", "postcode",       "lsoa_code",  "gp_practice_code", "birth_date",
      "sex",        "family_name",    "given_name", "discharge_method", "discharge_destination",
      "funding",    "route_of_access"};
  std::string out = fmt::format("Data quality as of {}\n", report.as_of.ToIso());
  auto it = std::back_inserter(out);

  // NHS Number and linkage: one line per source.
  fmt::format_to(it, "\nNHS Number coverage and records that cannot be linked yet\n");
  fmt::format_to(it, "  {:<22} {:>11} {:>9} {:>10} {:>10} {:>11} {:>11}\n", "source", "rows",
                 "valid %", "missing", "invalid", "not in PDS", "unlinkable");
  for (const Figure& f : report.figures) {
    if (f.measure != "nhs_number_coverage") continue;
    auto count = [&](std::string_view m) {
      const Figure* g = report.Find(m, f.source);
      return g ? fmt::format("{}", g->numerator) : std::string("-");
    };
    const Figure* unlinkable = report.Find("unlinkable", f.source);
    fmt::format_to(it, "  {:<22} {:>11} {:>8.2f}% {:>10} {:>10} {:>11} {:>11}\n", f.source,
                   f.denominator, f.percent(), count("nhs_number_missing"),
                   count("nhs_number_invalid"), count("not_in_pds"),
                   unlinkable ? fmt::format("{:.2f}%", unlinkable->percent()) : std::string("-"));
  }

  static const std::pair<const char*, const char*> kSections[] = {
      {"duplicates", "Duplicates"},
      {"consistency", "Inconsistent records"},
      {"completeness", "Key fields often left empty"},
      {"quarantine",
       "Quarantined at ingest (missing mandatory fields, codes outside their set, ...)"},
  };
  for (const auto& [section, title] : kSections) {
    std::vector<const Figure*> rows;
    for (const Figure& f : report.figures) {
      if (f.section != section) continue;
      if (section == std::string_view("completeness") &&
          (f.percent() >= options.completeness_display_below || !kKeyFields.count(f.field))) {
        continue;
      }
      if ((section == std::string_view("duplicates") ||
           section == std::string_view("consistency")) &&
          f.numerator == 0) {
        continue;  // show problems, not clean bills
      }
      rows.push_back(&f);
    }
    fmt::format_to(it, "\n{}\n", title);
    if (rows.empty()) {
      out += "  (none found)\n";
      continue;
    }
    fmt::format_to(it, "  {:<26} {:<22} {:<24} {:>11} {:>11} {:>8}\n", "measure", "source", "field",
                   "numerator", "denominator", "%");
    for (const Figure* f : rows) {
      fmt::format_to(it, "  {:<26} {:<22} {:<24} {:>11} {:>11} {:>7.2f}%\n", f->measure, f->source,
                     f->field, f->numerator, f->denominator, f->percent());
    }
  }
  fmt::format_to(it,
                 "\nEvery figure with its numerator and denominator: `pioneer quality --json`.\n");
  return out;
}

nlohmann::json QualityReportToJson(const QualityReport& report) {
  nlohmann::json figures = nlohmann::json::array();
  for (const Figure& f : report.figures) {
    figures.push_back({{"section", f.section},
                       {"measure", f.measure},
                       {"source", f.source},
                       {"field", f.field},
                       {"numerator", f.numerator},
                       {"denominator", f.denominator},
                       {"percent", f.percent()},
                       {"description", f.description}});
  }
  return {{"as_of", report.as_of.ToIso()}, {"figures", figures}};
}

}  // namespace pioneer::quality
