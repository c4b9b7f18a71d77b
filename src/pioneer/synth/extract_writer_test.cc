// Every generated file conforms to formats/extract_schema.cc, the cross-field rules hold
// except where the truth says a fault was injected, and the fault rates are as documented.
#include "pioneer/synth/extract_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/model/clinical_codes.h"
#include "pioneer/model/code_sets.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/synth/csv_reader.h"
#include "pioneer/synth/test_areas.h"

namespace pioneer::synth {
namespace {

using formats::FieldType;
using testing::Areas;

bool IsInteger(const std::string& s) {
  size_t i = s[0] == '-' ? 1 : 0;
  if (i >= s.size()) return false;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool IsDecimal(const std::string& s) {
  int dots = 0, digits = 0;
  for (char c : s) {
    if (c == '.') {
      ++dots;
    } else if (c >= '0' && c <= '9') {
      ++digits;
    } else {
      return false;
    }
  }
  return dots <= 1 && digits > 0;
}

// Why `value` is not valid for `field`, or empty.
std::string Problem(const formats::FieldSpec& field, const std::string& value) {
  if (value.empty()) return field.required ? "required field empty" : "";
  switch (field.type) {
    case FieldType::kText:
      return "";
    case FieldType::kInteger:
      return IsInteger(value) ? "" : "bad integer";
    case FieldType::kDecimal:
      return IsDecimal(value) ? "" : "bad decimal";
    case FieldType::kDate:
      return Date::ParseIso(value) ? "" : "bad date";
    case FieldType::kNhsNumber:
      return value.size() == 10 && IsInteger(value) ? "" : "NHS Number is not 10 digits";
    case FieldType::kCode: {
      const model::CodeSet* set = model::FindCodeSet(field.code_set);
      if (set == nullptr) return "unknown code set";
      return set->Contains(value) ? "" : "code not in " + std::string(field.code_set);
    }
    case FieldType::kIcd10:
      return model::NormaliseIcd10(value) ? "" : "bad ICD-10";
    case FieldType::kOpcs4:
      return model::NormaliseOpcs4(value) ? "" : "bad OPCS-4";
    case FieldType::kOdsCode:
      return model::IsValidOdsCode(value) ? "" : "bad ODS code";
    case FieldType::kPostcode:
      return model::NormalisePostcode(value) ? "" : "bad postcode";
  }
  return "unknown type";
}

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(const char* name) const {
    const int i = ColumnIndex(header, name);
    EXPECT_GE(i, 0) << name;
    return i;
  }
};

Table Load(const std::string& dir, const std::string& file) {
  Table t;
  Status s = ReadCsvFile(dir + "/" + file, &t.header,
                         [&](const std::vector<std::string>& row) { t.rows.push_back(row); });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return t;
}

// truth/record_truth.csv: (file, record id) -> faults.
std::map<std::pair<std::string, std::string>, std::string> LoadFaults(const std::string& dir) {
  std::map<std::pair<std::string, std::string>, std::string> out;
  const Table t = Load(dir, "truth/record_truth.csv");
  for (const auto& r : t.rows) out[{r[0], r[1]}] = r[3];
  return out;
}

bool HasFault(const std::map<std::pair<std::string, std::string>, std::string>& faults,
              const std::string& file, const std::string& id, const std::string& fault) {
  auto it = faults.find({file, id});
  return it != faults.end() && it->second.find(fault) != std::string::npos;
}

constexpr int64_t kConformancePopulation = 3000;
constexpr int64_t kFaultPopulation = 20000;

TEST(ExtractConformanceTest, EveryFileAndRowFollowsTheSchema) {
  const std::string& dir = Areas().Get(kConformancePopulation, 5, 1);
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    const Table t = Load(dir, std::string(spec.file_name));
    ASSERT_EQ(t.header.size(), spec.fields.size()) << spec.file_name;
    for (size_t i = 0; i < spec.fields.size(); ++i) EXPECT_EQ(t.header[i], spec.fields[i].name);
    EXPECT_FALSE(t.rows.empty()) << spec.file_name;
    std::map<std::string, int> problems;
    for (const auto& row : t.rows) {
      ASSERT_EQ(row.size(), spec.fields.size()) << spec.file_name;
      for (size_t i = 0; i < row.size(); ++i) {
        const std::string p = Problem(spec.fields[i], row[i]);
        if (!p.empty())
          ++problems[std::string(spec.fields[i].name) + ": " + p + " '" + row[i] + "'"];
      }
    }
    for (const auto& [p, count] : problems)
      ADD_FAILURE() << spec.file_name << " " << p << " x" << count;
  }
}

TEST(ExtractConformanceTest, CrossFieldRulesHoldExceptInjectedFaults) {
  const std::string& dir = Areas().Get(kConformancePopulation, 5, 1);
  const auto faults = LoadFaults(dir);
  auto day = [](const std::string& s) { return Date::ParseIso(s)->days_since_epoch(); };
  {
    const Table t = Load(dir, "apc_episodes.csv");
    const int id = t.Col("episode_id"), adm = t.Col("admission_date"),
              dis = t.Col("discharge_date");
    const int es = t.Col("episode_start_date"), ee = t.Col("episode_end_date");
    const int ready = t.Col("discharge_ready_date"), agency = t.Col("delay_agency");
    for (const auto& r : t.rows) {
      if (!r[dis].empty() && day(r[dis]) < day(r[adm])) {
        EXPECT_TRUE(HasFault(faults, "apc_episodes.csv", r[id], "discharge_before_admission"))
            << r[id];
      }
      EXPECT_GE(day(r[es]), day(r[adm])) << r[id];
      if (!r[ee].empty()) {
        EXPECT_GE(day(r[ee]), day(r[es])) << r[id];
      }
      if (!r[agency].empty()) {
        EXPECT_FALSE(r[ready].empty()) << r[id];  // a delay has a ready date
      }
      if (!r[ready].empty()) {
        EXPECT_GE(day(r[ready]), day(r[adm])) << r[id];
        if (!r[dis].empty() &&
            !HasFault(faults, "apc_episodes.csv", r[id], "discharge_before_admission")) {
          // A reportable delay ends after the ready date; otherwise discharge is on or after it.
          if (!r[agency].empty()) {
            EXPECT_LT(day(r[ready]), day(r[dis])) << r[id];
          } else {
            EXPECT_LE(day(r[ready]), day(r[dis])) << r[id];
          }
        }
      }
    }
  }
  {
    const Table t = Load(dir, "ae_attendances.csv");
    for (const auto& r : t.rows) {
      EXPECT_GE(day(r[t.Col("departure_date")]), day(r[t.Col("arrival_date")]));
    }
    const Table s = Load(dir, "social_care_events.csv");
    for (const auto& r : s.rows) {
      if (!r[s.Col("event_end_date")].empty()) {
        EXPECT_GE(day(r[s.Col("event_end_date")]), day(r[s.Col("event_start_date")]));
      }
    }
    const Table g = Load(dir, "gp_registrations.csv");
    for (const auto& r : g.rows) {
      if (!r[g.Col("registration_end_date")].empty()) {
        EXPECT_GT(day(r[g.Col("registration_end_date")]), day(r[g.Col("registration_start_date")]));
        EXPECT_FALSE(r[g.Col("deregistration_reason")].empty());
      }
    }
  }
  // PDS: one current row per person; history periods end before they start again; no
  // outpatient or community activity after death unless flagged.
  const Table pds = Load(dir, "pds.csv");
  std::unordered_map<std::string, int> current;
  std::unordered_map<std::string, int32_t> death;
  for (const auto& r : pds.rows) {
    if (r[pds.Col("record_type")] == "current") {
      ++current[r[pds.Col("nhs_number")]];
      if (!r[pds.Col("death_date")].empty())
        death[r[pds.Col("nhs_number")]] = day(r[pds.Col("death_date")]);
    } else {
      EXPECT_GE(day(r[pds.Col("effective_to")]), day(r[pds.Col("effective_from")]));
    }
  }
  for (const auto& [nhs, n] : current) {
    EXPECT_EQ(n, 1) << nhs;
  }
  const Table persons = Load(dir, "truth/persons.csv");
  EXPECT_EQ(current.size(), persons.rows.size());
  int after_death = 0;
  for (const char* file : {"op_appointments.csv", "community_contacts.csv"}) {
    const Table t = Load(dir, file);
    const int id = 0;
    const int date =
        t.Col(std::string(file) == "op_appointments.csv" ? "appointment_date" : "contact_date");
    for (const auto& r : t.rows) {
      auto d = death.find(r[t.Col("nhs_number")]);
      if (d != death.end() && day(r[date]) > d->second) {
        ++after_death;
        EXPECT_TRUE(HasFault(faults, file, r[id], "activity_after_death")) << file << " " << r[id];
      }
    }
  }
  EXPECT_GE(after_death, 0);
}

TEST(ExtractConformanceTest, RecordTruthExplainsEveryWrongNhsNumber) {
  const std::string& dir = Areas().Get(kConformancePopulation, 5, 1);
  const auto faults = LoadFaults(dir);
  const Table persons = Load(dir, "truth/persons.csv");
  std::unordered_map<std::string, std::string> client_nhs;
  for (const auto& r : persons.rows) {
    if (!r[persons.Col("la_person_id")].empty()) client_nhs[r[persons.Col("la_person_id")]] = r[1];
    if (!r[persons.Col("la_person_id_duplicate")].empty())
      client_nhs[r[persons.Col("la_person_id_duplicate")]] = r[1];
  }
  const Table sc = Load(dir, "social_care_events.csv");
  int checked = 0;
  for (const auto& r : sc.rows) {
    const std::string& id = r[sc.Col("event_id")];
    const std::string& nhs = r[sc.Col("nhs_number")];
    auto truth = client_nhs.find(r[sc.Col("la_person_id")]);
    ASSERT_NE(truth, client_nhs.end()) << "unknown client " << r[sc.Col("la_person_id")];
    if (nhs.empty()) {
      EXPECT_TRUE(HasFault(faults, "social_care_events.csv", id, "nhs_number_missing")) << id;
    } else if (nhs != truth->second) {
      EXPECT_TRUE(HasFault(faults, "social_care_events.csv", id, "nhs_number_")) << id;
    } else {
      EXPECT_FALSE(HasFault(faults, "social_care_events.csv", id, "nhs_number_")) << id;
    }
    ++checked;
  }
  EXPECT_GT(checked, 100);
  // Hospital rows: a missing number is always recorded; present numbers are the truth.
  std::unordered_set<std::string> known;
  for (const auto& r : persons.rows) known.insert(r[1]);
  const Table apc = Load(dir, "apc_episodes.csv");
  for (const auto& r : apc.rows) {
    const std::string& nhs = r[apc.Col("nhs_number")];
    if (nhs.empty()) {
      EXPECT_TRUE(HasFault(faults, "apc_episodes.csv", r[0], "nhs_number_missing"));
    } else {
      EXPECT_TRUE(known.count(nhs)) << nhs;
    }
  }
}

TEST(FaultRatesTest, RatesAreAsDocumented) {
  const std::string& dir = Areas().Get(kFaultPopulation, 7);
  const Table sc = Load(dir, "social_care_events.csv");
  const Table persons = Load(dir, "truth/persons.csv");
  std::unordered_map<std::string, std::string> client_nhs;
  for (const auto& r : persons.rows) {
    if (!r[persons.Col("la_person_id")].empty()) client_nhs[r[persons.Col("la_person_id")]] = r[1];
    if (!r[persons.Col("la_person_id_duplicate")].empty())
      client_nhs[r[persons.Col("la_person_id_duplicate")]] = r[1];
  }
  int rows = 0, with_number = 0, wrong = 0, wrong_valid = 0, very_old = 0;
  std::unordered_set<std::string> ids;
  int duplicates = 0;
  const Date extract_date = *Date::FromYmd(2016, 3, 31);
  for (const auto& r : sc.rows) {
    ++rows;
    if (!ids.insert(r[sc.Col("event_id")]).second) ++duplicates;
    const std::string& nhs = r[sc.Col("nhs_number")];
    if (!nhs.empty()) {
      ++with_number;
      if (nhs != client_nhs[r[sc.Col("la_person_id")]]) {
        ++wrong;
        wrong_valid += NhsNumber::Check(nhs) == NhsNumberProblem::kNone;
      }
    }
    const auto dob = Date::ParseIso(r[sc.Col("birth_date")]);
    if (dob && dob->AgeOn(extract_date) > 115) ++very_old;
  }
  ASSERT_GT(rows, 2000);
  const double coverage = 100.0 * with_number / rows;
  EXPECT_GE(coverage, 85) << "social care NHS Number coverage";
  EXPECT_LE(coverage, 91) << "social care NHS Number coverage";
  const double wrong_pct = 100.0 * wrong / with_number;
  EXPECT_GT(wrong_pct, 0.4);
  EXPECT_LT(wrong_pct, 1.8);
  EXPECT_GT(wrong_valid, 0) << "some mistyped numbers should pass Modulus 11";
  EXPECT_LT(wrong_valid, wrong * 0.6) << "most mistyped numbers should fail Modulus 11";
  EXPECT_GT(duplicates, 0);
  EXPECT_LT(duplicates, rows * 0.01);
  EXPECT_LT(very_old, rows * 0.002);

  auto missing_pct = [&](const char* file) {
    const Table t = Load(dir, file);
    const int col = t.Col("nhs_number");
    int missing = 0;
    for (const auto& r : t.rows) missing += r[col].empty();
    return 100.0 * missing / static_cast<double>(t.rows.size());
  };
  const double apc = missing_pct("apc_episodes.csv");
  EXPECT_GT(apc, 0.5);
  EXPECT_LT(apc, 2.5);
  const double ae = missing_pct("ae_attendances.csv");
  EXPECT_GT(ae, 2.0);
  EXPECT_LT(ae, 4.5);
  for (const char* f : {"op_appointments.csv", "community_contacts.csv", "mh_contacts.csv"}) {
    const double m = missing_pct(f);
    EXPECT_GT(m, 0.5) << f;
    EXPECT_LT(m, 3.5) << f;
  }
  EXPECT_EQ(missing_pct("gp_events.csv"), 0);
}

}  // namespace
}  // namespace pioneer::synth
