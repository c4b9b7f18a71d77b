#include "pioneer/link/csv_input.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace pioneer::link {
namespace {

using pioneer::testing::TempDir;
using pioneer::testing::WriteFile;

TEST(ColumnMapTest, Parses) {
  auto m = ParseColumnMap("given_name=first_name, family_name = surname,address=no+street,sex=");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->fields.size(), 4u);
  EXPECT_EQ(m->fields[0].field, Field::kGivenName);
  EXPECT_EQ(m->fields[0].columns, std::vector<std::string>{"first_name"});
  EXPECT_EQ(m->fields[1].columns, std::vector<std::string>{"surname"});
  EXPECT_EQ(m->fields[2].columns, (std::vector<std::string>{"no", "street"}));
  EXPECT_TRUE(m->fields[3].columns.empty());
  EXPECT_TRUE(ParseColumnMap("").ok());
  for (const char* bad : {"given_name", "nosuch=x", "given_name=a,given_name=b", "address=a+"}) {
    EXPECT_FALSE(ParseColumnMap(bad).ok()) << bad;
  }
}

TEST(CsvInputTest, FebrlStyleFileWithMapAndAutoColumns) {
  TempDir tmp;
  // FEBRL quirks: ", " separators, CRLF, no final newline.
  WriteFile(tmp / "a.csv",
            "rec_id, given_name, surname, street_number, address_1, date_of_birth, soc_sec_id\r\n"
            "rec-1-org, michaela, neumann, 8, stanley street, 19151111, 5304218\r\n"
            "rec-2-org, courtney, , 12, pinkerton circuit, 19161314, 4066625");
  auto map = ParseColumnMap("address=street_number+address_1,identifier=soc_sec_id");
  ASSERT_TRUE(map.ok());
  RecordSet rs;
  LoadedInput info;
  ASSERT_TRUE(LoadCsvRecords(tmp / "a.csv", *map, 0, &rs, &info).ok());
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(info.rows, 2);
  EXPECT_EQ(info.id_column, "rec_id");
  EXPECT_EQ(rs.id(0), "rec-1-org");
  EXPECT_EQ(rs.text_of(Field::kGivenName, 0), "michaela");
  EXPECT_EQ(rs.text_of(Field::kFamilyName, 0), "neumann");  // surname auto-mapped
  EXPECT_EQ(rs.text_of(Field::kAddress, 0), "8 stanley street");
  EXPECT_EQ(rs.text_of(Field::kIdentifier, 1), "4066625");
  EXPECT_EQ(rs.value_id(Field::kFamilyName, 1), 0u);  // empty = missing
  EXPECT_TRUE(rs.birth_date(0).valid);
  EXPECT_FALSE(rs.birth_date(1).valid);  // month 13 kept as digits
  EXPECT_TRUE(rs.has_birth_date(1));
  EXPECT_TRUE(info.unparsed.empty());
}

TEST(CsvInputTest, CountsValuesItCannotInterpret) {
  TempDir tmp;
  WriteFile(tmp / "a.csv",
            "id,dob,nhs_number\n1,1970-01-01,9434765919\n2,not a date,9434765918\n3,,\n"
            "4,31/02/19x0,943 476 5919\n");
  RecordSet rs;
  LoadedInput info;
  ASSERT_TRUE(LoadCsvRecords(tmp / "a.csv", ColumnMap{}, 0, &rs, &info).ok());
  ASSERT_EQ(info.unparsed.size(), 2u);
  EXPECT_EQ(info.unparsed[0].field, Field::kBirthDate);
  EXPECT_EQ(info.unparsed[0].count, 2);
  EXPECT_EQ(info.unparsed[0].first_line, 3);
  EXPECT_EQ(info.unparsed[0].first_column, 2);
  EXPECT_EQ(info.unparsed[1].field, Field::kNhsNumber);
  EXPECT_EQ(info.unparsed[1].count, 1);
  EXPECT_EQ(info.unparsed[1].first_line, 3);
  EXPECT_EQ(info.unparsed[1].first_column, 3);
  EXPECT_EQ(rs.text_of(Field::kNhsNumber, 3), "9434765919");
}

TEST(CsvInputTest, ErrorsNameFileLineAndColumnNotValues) {
  TempDir tmp;
  RecordSet rs;
  LoadedInput info;
  auto load = [&](const std::string& content, const ColumnMap& map = {}) {
    WriteFile(tmp / "in.csv", content);
    return LoadCsvRecords(tmp / "in.csv", map, 0, &rs, &info);
  };
  ColumnMap map;
  map.fields.push_back({Field::kFamilyName, {"surname"}});
  Status s = load("id,last\n1,Smith\n", map);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), tmp / "in.csv" + ": line 1: no column 'surname' (mapped to family_name)");
  s = load("id,surname\n1,Smith\n2,Jones,extra\n");
  EXPECT_EQ(s.message(), tmp / "in.csv" + ": line 3: 3 fields, header has 2");
  s = load("id,surname\n1,Smith\n1,Jones\n");
  EXPECT_EQ(s.message(), tmp / "in.csv" + ": line 3, column 1: duplicate record id '1'");
  EXPECT_EQ(s.message().find("Jones"), std::string::npos);
  s = load("id,surname\n ,Smith\n");
  EXPECT_EQ(s.message(), tmp / "in.csv" + ": line 2, column 1: empty record id");
  ColumnMap idmap;
  idmap.id_column = "person";
  s = load("id,surname\n1,Smith\n", idmap);
  EXPECT_EQ(s.message(), tmp / "in.csv" + ": line 1: no id column 'person' (--id)");
  s = load(
      "id,surname\n1,Sm\xff"
      "th\n");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind(tmp / "in.csv" + ": line 2, column 2", 0), 0u) << s.message();
  s = load("");
  EXPECT_FALSE(s.ok());
  s = LoadCsvRecords(tmp / "missing.csv", {}, 0, &rs, &info);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("missing.csv"), std::string::npos);
}

// The in-memory reader (what the fuzz target drives) gives what the file reader gives.
TEST(CsvInputTest, BytesInMemoryLoadAsTheSameFileDoes) {
  TempDir tmp;
  const std::string path = tmp / "in.csv";
  for (const std::string content :
       {"id,surname,dob\n1,Smith,1970-01-01\n2,Jones,not a date\n",
        "id,surname\r\n1,\"Smith, jr\"\r\n", "id,surname\n1,Smith\n1,Jones\n",
        "id,surname\n1,Sm\"ith\n", "id,last\n1,Smith\n", ""}) {
    WriteFile(path, content);
    RecordSet from_file, from_bytes;
    LoadedInput file_info, bytes_info;
    Status a = LoadCsvRecords(path, ColumnMap{}, 0, &from_file, &file_info);
    Status b = LoadCsvBytes(content, path, ColumnMap{}, 0, &from_bytes, &bytes_info);
    EXPECT_EQ(a.ToString(), b.ToString()) << content;
    ASSERT_EQ(from_file.size(), from_bytes.size()) << content;
    for (size_t i = 0; i < from_file.size(); ++i) {
      EXPECT_EQ(from_file.id(i), from_bytes.id(i));
      EXPECT_EQ(from_file.text_of(Field::kFamilyName, i),
                from_bytes.text_of(Field::kFamilyName, i));
    }
    EXPECT_EQ(file_info.rows, bytes_info.rows) << content;
    EXPECT_EQ(file_info.unparsed.size(), bytes_info.unparsed.size()) << content;
  }
}

TEST(CsvInputTest, LineNumbersAsIdsAndTruthColumn) {
  TempDir tmp;
  WriteFile(tmp / "a.csv", "first_name,surname,cluster\nAnn,Smith,7\n\nBob,Jones,8\n");
  ColumnMap map;
  map.truth_column = "cluster";
  RecordSet rs;
  LoadedInput info;
  ASSERT_TRUE(LoadCsvRecords(tmp / "a.csv", map, 0, &rs, &info).ok());
  EXPECT_EQ(info.id_column, "");
  EXPECT_EQ(rs.id(0), "2");
  EXPECT_EQ(rs.id(1), "4");  // blank line 3 skipped
  EXPECT_EQ(info.truth, (std::vector<std::string>{"7", "8"}));
}

// Regression: a ';'-separated file, or one with no column to compare, used to run and find
// nothing (exit 0) or say only "no comparisons: map at least one field".
TEST(CsvInputTest, NoComparableColumnIsAnErrorWithADelimiterHint) {
  TempDir tmp;
  RecordSet rs;
  LoadedInput info;
  WriteFile(tmp / "semi.csv", "id;first_name;surname\n1;Ann;Smith\n");
  Status s = LoadCsvRecords(tmp / "semi.csv", {}, 0, &rs, &info);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("separated by semicolons (;)"), std::string::npos) << s.message();
  WriteFile(tmp / "tab.csv", "id\tfirst_name\n1\tAnn\n");
  s = LoadCsvRecords(tmp / "tab.csv", {}, 0, &rs, &info);
  EXPECT_NE(s.message().find("separated by tabs"), std::string::npos) << s.message();
  WriteFile(tmp / "none.csv", "id,colour,shoe_size\n1,red,9\n");
  s = LoadCsvRecords(tmp / "none.csv", {}, 0, &rs, &info);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("none of the 3 columns is a field to compare"), std::string::npos)
      << s.message();
}

}  // namespace
}  // namespace pioneer::link
