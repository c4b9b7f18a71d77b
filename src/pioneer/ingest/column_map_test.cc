#include "pioneer/ingest/column_map.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace pioneer::ingest {
namespace {

std::vector<std::string> Problems(const char* file, std::vector<std::string_view> header,
                                  ColumnMap* map = nullptr) {
  ColumnMap m;
  std::vector<std::string> out;
  for (auto& p : MapHeader(*formats::FindExtract(file), header, &m)) out.push_back(p.message);
  if (map) *map = m;
  return out;
}

TEST(ColumnMapTest, MapsByNameInAnyOrderWithOptionalColumnsAbsent) {
  ColumnMap m;
  EXPECT_TRUE(
      Problems("lsoa.csv", {"imd_decile", " la_code ", "lsoa_name", "lsoa_code"}, &m).empty());
  EXPECT_EQ(m.column_of_field, (std::vector<int>{3, 2, 1, 0}));
  EXPECT_EQ(m.header[1], "la_code");
  // organisations: only the required columns.
  EXPECT_TRUE(Problems("organisations.csv", {"ods_code", "name", "organisation_type"}, &m).empty());
  EXPECT_EQ(m.column_of_field[3], -1);
}

TEST(ColumnMapTest, ReportsEveryProblemWithItsColumn) {
  auto p = Problems("lsoa.csv", {"lsoa_code", "lsoa_name", "colour", "lsoa_name", ""});
  ASSERT_EQ(p.size(), 5u);
  EXPECT_EQ(p[0],
            "column 3 ('colour'): unknown column: lsoa.csv has no field of that name "
            "(see docs/data-formats.md)");
  EXPECT_EQ(p[1], "column 4 ('lsoa_name'): repeated column name (also column 2)");
  EXPECT_EQ(p[2], "column 5: empty column name");
  EXPECT_EQ(p[3], "required column 'la_code' is missing from the header");
  EXPECT_EQ(p[4], "required column 'imd_decile' is missing from the header");
}

TEST(ColumnMapTest, DataInTheHeaderIsNotEchoed) {
  auto p = Problems("lsoa.csv", {"E01000001", "Leeds 001A", "E08000035", "3"});
  ASSERT_FALSE(p.empty());
  for (const auto& m : p) {
    EXPECT_EQ(m.find("E01000001"), std::string::npos) << m;
    EXPECT_EQ(m.find("Leeds 001A"), std::string::npos) << m;
  }
  EXPECT_NE(p[0].find("is the header row missing?"), std::string::npos);
}

// Regression: a ';'- or tab-separated file and an upper-case header used to get only "is the
// header row missing?".
TEST(ColumnMapTest, OtherSeparatorsAndUpperCaseNamesGetAHint) {
  auto p = Problems("lsoa.csv", {"lsoa_code;lsoa_name;la_code;imd_decile"});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("separated by semicolons (;)"), std::string::npos) << p[0];
  p = Problems("lsoa.csv", {"lsoa_code\tlsoa_name\tla_code\timd_decile"});
  ASSERT_EQ(p.size(), 1u);
  EXPECT_NE(p[0].find("separated by tabs"), std::string::npos) << p[0];
  p = Problems("lsoa.csv", {"LSOA_CODE", "Lsoa_Name", "la_code", "imd_decile"});
  ASSERT_EQ(p.size(), 4u);  // two columns, and the two required fields they fail to supply
  EXPECT_EQ(p[0],
            "column 1 ('LSOA_CODE'): column names are lower case: did you mean "
            "'lsoa_code'?");
  EXPECT_EQ(p[1],
            "column 2 ('Lsoa_Name'): column names are lower case: did you mean "
            "'lsoa_name'?");
}

}  // namespace
}  // namespace pioneer::ingest
