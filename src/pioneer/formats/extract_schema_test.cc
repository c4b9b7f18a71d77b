#include "pioneer/formats/extract_schema.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/formats/derived_tables.h"
#include "pioneer/model/code_sets.h"

namespace pioneer::formats {
namespace {

TEST(ExtractSchemaTest, EveryCodeFieldNamesAnExistingCodeSet) {
  for (const ExtractSpec& e : AllExtracts()) {
    for (const FieldSpec& f : e.fields) {
      if (f.type == FieldType::kCode) {
        EXPECT_NE(model::FindCodeSet(f.code_set), nullptr) << e.file_name << "." << f.name;
      } else {
        EXPECT_TRUE(f.code_set.empty()) << e.file_name << "." << f.name;
      }
    }
  }
}

TEST(ExtractSchemaTest, FieldNamesAreUniqueAndRecordIdsExist) {
  std::set<std::string> tables;
  for (const ExtractSpec& e : AllExtracts()) {
    EXPECT_TRUE(tables.insert(std::string(e.table)).second) << e.table;
    EXPECT_EQ(std::string(e.table) + ".csv", std::string(e.file_name));
    std::set<std::string> names;
    for (const FieldSpec& f : e.fields) {
      EXPECT_TRUE(names.insert(std::string(f.name)).second) << e.file_name << "." << f.name;
      EXPECT_FALSE(f.description.empty()) << e.file_name << "." << f.name;
    }
    if (!e.record_id_field.empty()) {
      EXPECT_GE(e.FieldIndex(e.record_id_field), 0) << e.file_name;
    }
    if (e.person_level) {
      EXPECT_GE(e.FieldIndex("nhs_number"), 0) << e.file_name;
    }
  }
  EXPECT_EQ(FindExtract("apc_episodes.csv")->table, "apc_episodes");
  EXPECT_EQ(FindExtract("nonsense.csv"), nullptr);
}

// The roles, date rules and events each source declares name fields of the right type, and
// every person-level field of a role's meaning carries the role.
TEST(ExtractSchemaTest, RolesDateRulesAndEventsNameTheirFields) {
  std::vector<ExtractSpec> all(AllExtracts().begin(), AllExtracts().end());
  all.insert(all.end(), DerivedTables().begin(), DerivedTables().end());
  for (const ExtractSpec& e : all) {
    for (const FieldSpec& f : e.fields) {
      // Roles describe people: reference data (population counts by sex) has none.
      if (!e.person_level) {
        EXPECT_EQ(f.role, FieldRole::kNone) << e.table << "." << f.name;
        continue;
      }
      // In person-level sources the names whose meaning is a role carry it, wherever they stand.
      if (f.name == "birth_date") {
        EXPECT_EQ(f.role, FieldRole::kBirthDate) << e.table;
      }
      if (f.name == "death_date") {
        EXPECT_EQ(f.role, FieldRole::kDeathDate) << e.table;
      }
      if (f.name == "family_name") {
        EXPECT_EQ(f.role, FieldRole::kFamilyName) << e.table;
      }
      if (f.name == "given_name") {
        EXPECT_EQ(f.role, FieldRole::kGivenName) << e.table;
      }
      if (f.name == "sex") {
        EXPECT_EQ(f.role, FieldRole::kSex) << e.table;
      }
      const bool date_role = f.role == FieldRole::kBirthDate || f.role == FieldRole::kDeathDate ||
                             f.role == FieldRole::kValidFrom || f.role == FieldRole::kValidTo;
      if (date_role) {
        EXPECT_EQ(f.type, FieldType::kDate) << e.table << "." << f.name;
      }
      if (f.role != FieldRole::kNone) {
        EXPECT_NE(std::string(FieldRoleName(f.role)), "");
      }
    }
    for (const DateOrder& d : e.date_order) {
      const int a = e.FieldIndex(d.earlier), b = e.FieldIndex(d.later);
      ASSERT_GE(a, 0) << e.table << "." << d.earlier;
      ASSERT_GE(b, 0) << e.table << "." << d.later;
      EXPECT_EQ(e.fields[static_cast<size_t>(a)].type, FieldType::kDate);
      EXPECT_EQ(e.fields[static_cast<size_t>(b)].type, FieldType::kDate);
    }
    if (!e.event.start.empty()) {
      EXPECT_TRUE(e.person_level) << e.table;
      for (std::string_view f : {e.event.start, e.event.end}) {
        if (f.empty()) continue;
        ASSERT_GE(e.FieldIndex(f), 0) << e.table << "." << f;
        EXPECT_EQ(e.fields[static_cast<size_t>(e.FieldIndex(f))].type, FieldType::kDate);
      }
      EXPECT_GE(e.FieldIndex(e.event.code), 0) << e.table << "." << e.event.code;
      if (!e.event.detail.empty()) {
        EXPECT_GE(e.FieldIndex(e.event.detail), 0) << e.table;
      }
    } else {
      EXPECT_TRUE(e.event.end.empty() && e.event.code.empty() && e.event.detail.empty());
    }
  }
  // The person timeline reads every person-level source but the master index as events.
  for (const ExtractSpec& e : all) {
    EXPECT_EQ(!e.event.start.empty(), e.person_level && e.table != kMasterIndexTable) << e.table;
  }
  EXPECT_EQ(FindExtract("apc_episodes.csv")->FieldNameWithRole(FieldRole::kStartAge),
            "age_on_admission");
  EXPECT_EQ(FindExtract("apc_episodes.csv")->FieldWithRole(FieldRole::kFamilyName), -1);
}

// Ranges are data: only on numeric fields, each with min <= max and a reason.
TEST(ExtractSchemaTest, ValueRangesSitOnNumericFieldsOnly) {
  int with_ranges = 0;
  for (const ExtractSpec& e : AllExtracts()) {
    for (const FieldSpec& f : e.fields) {
      if (f.ranges.empty()) continue;
      ++with_ranges;
      EXPECT_TRUE(f.type == FieldType::kInteger || f.type == FieldType::kDecimal)
          << e.table << "." << f.name;
      for (const ValueRange& r : f.ranges) {
        EXPECT_LE(r.min, r.max) << e.table << "." << f.name;
        EXPECT_FALSE(r.why.empty()) << e.table << "." << f.name;
      }
    }
  }
  EXPECT_GE(with_ranges, 9);
}

TEST(ExtractSchemaTest, ValueRangesDescribeOneOrSeveralRanges) {
  auto ranges_of = [](std::string_view table, std::string_view field) {
    for (const ExtractSpec& e : AllExtracts()) {
      if (e.table == table) return e.fields[static_cast<size_t>(e.FieldIndex(field))].ranges;
    }
    ADD_FAILURE() << table;
    return std::span<const ValueRange>();
  };
  EXPECT_EQ(DescribeRanges(ranges_of("population", "population")),
            "out of range: must be >= 0 (a population cannot be negative)");
  EXPECT_EQ(DescribeRanges(ranges_of("apc_episodes", "age_on_admission")),
            "out of range: must be within 0..120 (STARTAGE: years of age) or within 7001..7007 "
            "(STARTAGE: 7001-7007 for infants)");
  EXPECT_TRUE(ranges_of("pds", "nhs_number").empty());
}

}  // namespace
}  // namespace pioneer::formats
