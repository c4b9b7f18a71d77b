// `pioneer ingest` end to end: the real binary (PIONEER_BINARY) on files in a temp folder.
// Every malformed input must give a clear message (file, line, column/field) and leave the
// store exactly as it was; row-level problems are quarantined, not file errors.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "pioneer/ingest/testing/run_pioneer.h"
#include "pioneer/ingest/testing/sample_extracts.h"
#include "pioneer/store/store.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;
using ingest::testing::RunPioneer;
using ingest::testing::RunResult;
using ingest::testing::WriteFile;

class IngestCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("pioneer_ingest_cli_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    db_ = (root_ / "store.db").string();
  }
  void TearDown() override { fs::remove_all(root_); }

  RunResult Ingest(const fs::path& dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"ingest", "--db", db_, dir.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunPioneer(args);
  }

  // Rows of a query on the store (opened through the Store interface, then closed).
  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    auto store = store::Store::OpenSqlite(db_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    if (!store.ok()) return out;
    Status s = (*store)->Query(sql, {}, [&](const store::RowView& r) {
      std::vector<std::string> row;
      for (int i = 0; i < r.size(); ++i) row.emplace_back(r.IsNull(i) ? "NULL" : r.Text(i));
      out.push_back(row);
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // Every table's row count plus the ingest history: equal snapshots = unchanged store.
  std::map<std::string, std::string> Snapshot() {
    std::map<std::string, std::string> m;
    auto store = store::Store::OpenSqlite(db_);
    EXPECT_TRUE(store.ok());
    if (!store.ok()) return m;
    std::vector<std::string> tables = {"ingest_runs", "ingest_files", "quarantine", "meta"};
    for (const auto& spec : formats::AllExtracts()) tables.emplace_back(spec.table);
    for (const auto& t : tables) m[t] = std::to_string(*(*store)->CountRows(t));
    Status s = (*store)->Query(
        "SELECT group_concat(run_id || ':' || file_name || ':' || sha256, ';') FROM ingest_files",
        {}, [&](const store::RowView& r) { m["files"] = r.Text(0); });
    EXPECT_TRUE(s.ok());
    return m;
  }

  // A store holding one committed run, so "unchanged" has something to protect.
  void SeedStore() {
    ingest::testing::WriteValidArea(root_ / "seed", 5, 11);
    RunResult r = Ingest(root_ / "seed");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  fs::path root_;
  std::string db_;
};

const char* kPdsHeader = "nhs_number,record_type,family_name,given_name,sex,birth_date\n";

struct FileErrorCase {
  const char* name;
  const char* file;
  std::string content;
  std::vector<std::string> expect;  // substrings of stderr
};

void PrintTo(const FileErrorCase& c, std::ostream* os) { *os << c.name; }

class IngestFileErrorTest : public IngestCliTest,
                            public ::testing::WithParamInterface<FileErrorCase> {};

TEST_P(IngestFileErrorTest, ClearErrorExitTwoAndUnchangedStore) {
  const FileErrorCase& c = GetParam();
  SeedStore();
  auto before = Snapshot();
  // Valid files that come before the bad one are parsed and inserted first: the whole run
  // must still roll back.
  ingest::testing::WriteValidArea(root_ / "area", 20, 12);
  WriteFile(root_ / "area" / c.file, c.content);
  RunResult r = Ingest(root_ / "area");
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  for (const std::string& e : c.expect) {
    EXPECT_NE(r.err.find(e), std::string::npos) << "missing '" << e << "' in:\n" << r.err;
  }
  EXPECT_NE(r.err.find("nothing was stored"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(Snapshot(), before);
}

std::string ManyPdsRowsThen(const std::string& last) {
  std::string s = kPdsHeader;
  for (int i = 0; i < 500; ++i) s += "9434765919,current,Smith,Jo,1,1950-01-01\n";
  return s + last;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, IngestFileErrorTest,
    ::testing::Values(
        FileErrorCase{"MissingColumn",
                      "pds.csv",
                      "nhs_number,record_type,family_name,given_name,sex\n",
                      {"pds.csv: line 1", "required column 'birth_date' is missing"}},
        FileErrorCase{"ExtraColumn",
                      "pds.csv",
                      "nhs_number,record_type,family_name,given_name,sex,birth_date,shoe_size\n",
                      {"pds.csv: line 1, column 7 ('shoe_size'): unknown column"}},
        FileErrorCase{"DuplicateColumn",
                      "pds.csv",
                      "nhs_number,record_type,family_name,sex,given_name,sex,birth_date\n",
                      {"pds.csv: line 1, column 6 ('sex'): repeated column name (also column 4)"}},
        FileErrorCase{"EmptyFile", "pds.csv", "", {"pds.csv: line 1: the file is empty"}},
        FileErrorCase{
            "Latin1",
            "pds.csv",
            ManyPdsRowsThen("9434765919,current,M\xFCller,Jo,1,1950-01-01\n"),
            {"pds.csv: line 502, column 3 ('family_name')", "invalid UTF-8", "must be UTF-8"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IngestCliTest, BadValuesAreQuarantinedWithLineAndField) {
  WriteFile(root_ / "area" / "pds.csv",
            std::string(kPdsHeader) +
                "9434765919,current,Smith,Jo,1,1950-01-01\n"
                "9434765919,current,\"Smith\nJones\",Jo,1,1950-01-01\n"  // lines 3-4
                "9434765919,current,Smith,Jo,1,1950-02-30\n"             // line 5: bad date
                "9434765919,current,Smith,Jo,7,1950-01-01\n"             // line 6: bad code
                "9434765918,current,Smith,Jo,1,1950-01-01\n"             // line 7: kept
                ",current,Smith,Jo,1,1950-01-01\n");                     // line 8: kept
  RunResult r = Ingest(root_ / "area");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pds.csv"), std::string::npos);
  EXPECT_NE(r.out.find("ok (bad_code 1, bad_date 1)"), std::string::npos) << r.out;
  EXPECT_EQ(Rows("SELECT line_no, field, raw_value, reason_code FROM quarantine ORDER BY line_no"),
            (std::vector<std::vector<std::string>>{{"5", "birth_date", "1950-02-30", "bad_date"},
                                                   {"6", "sex", "7", "bad_code"}}));
  EXPECT_EQ(
      Rows("SELECT _line, family_name, nhs_number, nhs_number_status FROM pds ORDER BY _line"),
      (std::vector<std::vector<std::string>>{{"2", "Smith", "9434765919", "valid"},
                                             {"3", "Smith\nJones", "9434765919", "valid"},
                                             {"7", "Smith", "9434765918", "check_digit_wrong"},
                                             {"8", "Smith", "NULL", "missing"}}));
  EXPECT_EQ(Rows("SELECT rows_read, rows_accepted, rows_quarantined FROM ingest_files"),
            (std::vector<std::vector<std::string>>{{"6", "4", "2"}}));
  // Identifiable values never reach the terminal.
  EXPECT_EQ(r.out.find("9434765919"), std::string::npos);
  EXPECT_EQ(r.err.find("9434765919"), std::string::npos);
}

TEST_F(IngestCliTest, SecondIngestOfSameFilesChangesNothing) {
  ingest::testing::WriteValidArea(root_ / "area", 15, 13);
  RunResult first = Ingest(root_ / "area");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_NE(first.out.find("Ingest run 1"), std::string::npos);
  auto before = Snapshot();
  RunResult second = Ingest(root_ / "area");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  for (const auto& spec : formats::AllExtracts()) {
    EXPECT_NE(second.out.find(std::string(spec.file_name)), std::string::npos);
  }
  size_t skipped = 0;
  for (size_t p = 0; (p = second.out.find("already ingested in run 1", p)) != std::string::npos;
       ++p) {
    ++skipped;
  }
  EXPECT_EQ(skipped, formats::AllExtracts().size()) << second.out;
  EXPECT_EQ(Snapshot(), before);
}

TEST_F(IngestCliTest, UnknownFilesAreListedAndTruthIgnored) {
  ingest::testing::WriteValidArea(root_ / "area", 3, 14);
  WriteFile(root_ / "area" / "notes.txt", "x");
  WriteFile(root_ / "area" / "truth" / "people.csv", "x");
  RunResult r = Ingest(root_ / "area");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("skipped (not a known extract): notes.txt"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("ignored: truth/"), std::string::npos) << r.out;
}

TEST_F(IngestCliTest, ProgressOnlyWhenAskedOrOnATerminal) {
  ingest::testing::WriteValidArea(root_ / "area", 3, 15);
  RunResult quiet = Ingest(root_ / "area");  // stderr is a file, not a terminal
  ASSERT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(quiet.err, "");
  fs::remove(db_);
  RunResult shown = Ingest(root_ / "area", {"--progress", "always"});
  ASSERT_EQ(shown.exit_code, 0);
  EXPECT_NE(shown.err.find("MB/s"), std::string::npos) << shown.err;
  EXPECT_NE(shown.err.find("rows/s"), std::string::npos);
}

TEST_F(IngestCliTest, NewerStoreVersionIsAClearError) {
  SeedStore();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  RunResult r = Ingest(root_ / "seed");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("schema version 99, newer than this Pioneer supports"), std::string::npos)
      << r.err;
}

TEST_F(IngestCliTest, NonPioneerDatabaseIsAClearErrorAndUntouched) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance REAL)", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::string before = ingest::testing::Slurp(db_);
  ingest::testing::WriteValidArea(root_ / "area", 3, 16);
  RunResult r = Ingest(root_ / "area");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a Pioneer store"), std::string::npos) << r.err;
  EXPECT_EQ(ingest::testing::Slurp(db_), before);
}

TEST_F(IngestCliTest, MissingFolderOrArgumentsFail) {
  RunResult r = Ingest(root_ / "nowhere");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is not a folder"), std::string::npos) << r.err;
  RunResult usage = RunPioneer({"ingest", (root_ / "x").string()});
  EXPECT_NE(usage.exit_code, 0);
  EXPECT_NE(usage.err.find("--db"), std::string::npos) << usage.err;
}

}  // namespace
}  // namespace pioneer
