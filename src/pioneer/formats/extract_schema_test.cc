#include "pioneer/formats/extract_schema.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

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

}  // namespace
}  // namespace pioneer::formats
