#include "pioneer/ingest/ingest.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "pioneer/ingest/testing/sample_extracts.h"
#include "pioneer/model/clinical_codes.h"
#include "pioneer/store/store.h"

namespace pioneer::ingest {
namespace {

namespace fs = std::filesystem;
using testing::Row;

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ("pioneer_ingest_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(root_);
    fs::create_directories(root_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(root_);
  }
  void Reopen() {
    store_.reset();
    auto s = store::Store::OpenSqlite((root_ / "store.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }

  StatusOr<IngestReport> Ingest(const fs::path& dir, bool threaded = true) {
    IngestOptions opt;
    opt.threaded = threaded;
    opt.batch_rows = 7;  // many batches, even for small files
    opt.cache_mb = 1;
    return IngestDirectory(*store_, dir.string(), opt, nullptr);
  }

  int64_t Count(const std::string& table) { return *store_->CountRows(table); }

  std::vector<std::vector<std::string>> Rows(const std::string& sql) {
    std::vector<std::vector<std::string>> out;
    Status s = store_->Query(sql, {}, [&](const store::RowView& r) {
      std::vector<std::string> row;
      for (int i = 0; i < r.size(); ++i) row.emplace_back(r.IsNull(i) ? "NULL" : r.Text(i));
      out.push_back(row);
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  // Row counts of every table: equal snapshots = unchanged store.
  std::map<std::string, int64_t> Snapshot() {
    std::map<std::string, int64_t> m;
    for (const char* t : {"ingest_runs", "ingest_files", "quarantine", "meta"}) m[t] = Count(t);
    for (const auto& spec : formats::AllExtracts()) {
      m[std::string(spec.table)] = Count(std::string(spec.table));
    }
    return m;
  }

  fs::path root_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IngestTest, ValidAreaIsStoredCanonicallyAndReconciled) {
  testing::WriteValidArea(root_ / "area", 40, 1);
  testing::WriteFile(root_ / "area" / "notes.txt", "hello");
  testing::WriteFile(root_ / "area" / "truth" / "people.csv", "x");
  auto report = Ingest(root_ / "area");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->run_id, 1);
  EXPECT_EQ(report->files.size(), formats::AllExtracts().size());
  EXPECT_EQ(report->unknown_files, std::vector<std::string>{"notes.txt"});
  EXPECT_EQ(report->ignored.size(), 1u);
  for (const FileReport& f : report->files) {
    EXPECT_EQ(f.rows_read, 40) << f.file_name;
    EXPECT_EQ(f.rows_accepted, 40) << f.file_name;
    EXPECT_EQ(f.rows_quarantined, 0) << f.file_name;
    EXPECT_EQ(Count(f.table), 40);
    EXPECT_EQ(f.sha256.size(), 64u);
  }
  EXPECT_EQ(Count("ingest_files"), static_cast<int64_t>(formats::AllExtracts().size()));
  EXPECT_EQ(Rows("SELECT run_id, files_ingested, rows_read, rows_accepted, rows_quarantined, "
                 "finished_at IS NOT NULL FROM ingest_runs"),
            (std::vector<std::vector<std::string>>{
                {"1", "13", std::to_string(40 * 13), std::to_string(40 * 13), "0", "1"}}));
  // Canonical forms.
  for (const auto& r : Rows("SELECT provider_code, diag_01, opertn_01 FROM apc_episodes")) {
    EXPECT_TRUE(model::IsValidOdsCode(r[0])) << r[0];
    EXPECT_EQ(r[1].size(), 4u) << r[1];
    EXPECT_NE(r[2], "-");
  }
  for (const auto& r : Rows("SELECT postcode FROM pds WHERE postcode IS NOT NULL")) {
    EXPECT_EQ(model::NormalisePostcode(r[0]), r[0]);
  }
  for (const auto& r : Rows("SELECT nhs_number, nhs_number_status FROM gp_events")) {
    if (r[1] == "valid") {
      EXPECT_EQ(r[0].size(), 10u);
    } else {
      EXPECT_TRUE(r[1] == "missing" ? r[0] == "NULL" : r[0] != "NULL") << r[0] << r[1];
    }
  }
  EXPECT_EQ(Rows("SELECT count(DISTINCT nhs_number_status) > 2 FROM gp_events")[0][0], "1");
  // _line: the header is line 1, rows follow (no embedded newlines in generated data).
  EXPECT_EQ(Rows("SELECT min(_line), max(_line), min(_run_id) FROM lsoa")[0],
            (std::vector<std::string>{"2", "41", "1"}));
}

TEST_F(IngestTest, SameFilesAgainAreSkippedByChecksum) {
  testing::WriteValidArea(root_ / "area", 10, 2);
  ASSERT_TRUE(Ingest(root_ / "area").ok());
  auto before = Snapshot();
  auto again = Ingest(root_ / "area");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->run_id, 0);
  for (const FileReport& f : again->files) {
    EXPECT_EQ(f.outcome, FileOutcome::kAlreadyIngested);
    EXPECT_EQ(f.previous_run_id, 1);
  }
  EXPECT_NE(FormatReconciliation(*again).find("already ingested in run 1"), std::string::npos);
  EXPECT_EQ(Snapshot(), before);
  // A changed file is new content: only it goes into run 2.
  testing::WriteFile(root_ / "area" / "lsoa.csv",
                     "lsoa_code,lsoa_name,la_code,imd_decile\nE01000009,X,E08000035,4\n");
  auto third = Ingest(root_ / "area");
  ASSERT_TRUE(third.ok());
  EXPECT_EQ(third->run_id, 2);
  EXPECT_EQ(third->files_ingested(), 1);
  EXPECT_EQ(Count("lsoa"), 11);
}

TEST_F(IngestTest, QuarantineNamesLineFieldAndReasonAndEmbeddedNewlinesKeepLines) {
  testing::WriteFile(root_ / "area" / "lsoa.csv",
                     "lsoa_code,lsoa_name,la_code,imd_decile\n"
                     "E01000001,\"Leeds\n001A\",E08000035,3\n"  // lines 2-3
                     "E01000002,Leeds 002A,E08000035,ten\n"     // line 4: bad_integer
                     "E01000003,Leeds 003A,E08000035\n"         // line 5: column_count
                     "E01000004,Leeds 004A,E08000035,5\n");     // line 6
  testing::WriteFile(root_ / "area" / "organisations.csv",
                     "ods_code,name,organisation_type,open_date\n"
                     "B86001,Practice,gp_practice,2014-13-01\n"  // bad_date
                     "B86002,Practice,surgery,\n"                // bad_code
                     "B8,Practice,gp_practice,\n");              // bad_ods_code
  auto report = Ingest(root_ / "area");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(Rows("SELECT file_name, line_no, field, raw_value, reason_code FROM quarantine "
                 "ORDER BY file_name, line_no"),
            (std::vector<std::vector<std::string>>{
                {"lsoa.csv", "4", "imd_decile", "ten", "bad_integer"},
                {"lsoa.csv", "5", "", "", "column_count"},
                {"organisations.csv", "2", "open_date", "2014-13-01", "bad_date"},
                {"organisations.csv", "3", "organisation_type", "surgery", "bad_code"},
                {"organisations.csv", "4", "ods_code", "B8", "bad_ods_code"},
            }));
  EXPECT_EQ(Rows("SELECT lsoa_code, _line, lsoa_name FROM lsoa ORDER BY _line"),
            (std::vector<std::vector<std::string>>{{"E01000001", "2", "Leeds\n001A"},
                                                   {"E01000004", "6", "Leeds 004A"}}));
  EXPECT_EQ(
      report->files[0].quarantined_by_reason,
      (std::map<std::string, int64_t>{{"bad_code", 1}, {"bad_date", 1}, {"bad_ods_code", 1}}));
}

// Regression: a stray quote on line 3 used to swallow every line up to the next quote (here
// line 6) into one quarantined row, or reject the run as a "truncated file"; out-of-range
// numbers were "not an integer" or accepted (a negative population).
TEST_F(IngestTest, StrayQuotesAndOutOfRangeNumbersQuarantineOnlyTheirOwnLine) {
  testing::WriteFile(root_ / "area" / "population.csv",
                     "area_code,year,sex,age,population\n"
                     "E08000035,2014,1,0,4123\n"                  // line 2
                     "\"E08\"000035,2014,1,1,4000\n"              // line 3: stray quote
                     "E08000035,2014,1,2,-9200\n"                 // line 4: negative
                     "E08000035,99999999999999999999,1,3,4001\n"  // line 5: beyond 64 bits
                     "\"E08,000035\",2014,1,4,4002\n"             // line 6: quoted, fine
                     "E08000035,2014,1,130,4003\n"                // line 7: age > 120
                     "E08000035,2014,1,\"5\n");                   // line 8: never closed
  auto report = Ingest(root_ / "area");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(Rows("SELECT line_no, field, raw_value, reason_code FROM quarantine ORDER BY line_no"),
            (std::vector<std::vector<std::string>>{
                {"3", "area_code", "", "malformed_record"},
                {"4", "population", "-9200", "out_of_range"},
                {"5", "year", "99999999999999999999", "out_of_range"},
                {"7", "age", "130", "out_of_range"},
                {"8", "age", "", "malformed_record"},
            }));
  EXPECT_EQ(Rows("SELECT detail FROM quarantine WHERE line_no IN (4, 5) ORDER BY line_no"),
            (std::vector<std::vector<std::string>>{
                {"out of range: must be >= 0 (a population cannot be negative)"},
                {"out of range: must be within 1800..2199 (the years Pioneer's dates cover)"}}));
  EXPECT_EQ(Rows("SELECT raw_record FROM quarantine WHERE line_no = 3"),
            (std::vector<std::vector<std::string>>{{"\"E08\"000035,2014,1,1,4000"}}));
  EXPECT_EQ(Rows("SELECT _line, area_code FROM population ORDER BY _line"),
            (std::vector<std::vector<std::string>>{{"2", "E08000035"}, {"6", "E08,000035"}}));
  EXPECT_EQ(report->files[0].rows_read, 7);
  EXPECT_EQ(report->files[0].rows_quarantined, 5);
}

// Regression: with CR-only line endings every record was reported on line 1.
TEST_F(IngestTest, CarriageReturnLineEndingsKeepLineNumbers) {
  testing::WriteFile(root_ / "area" / "lsoa.csv",
                     "lsoa_code,lsoa_name,la_code,imd_decile\r"
                     "E01000001,Leeds 001A,E08000035,3\r"
                     "E01000002,Leeds 002A,E08000035,ten\r"
                     "E01000003,Leeds 003A,E08000035,0\r");
  auto report = Ingest(root_ / "area");
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(Rows("SELECT line_no, reason_code FROM quarantine ORDER BY line_no"),
            (std::vector<std::vector<std::string>>{{"3", "bad_integer"}, {"4", "out_of_range"}}));
}

struct BadFileCase {
  const char* name;
  const char* file;
  std::string content;
  std::vector<std::string> expect;  // substrings of the error
};

void PrintTo(const BadFileCase& c, std::ostream* os) { *os << c.name; }

class FileLevelErrorTest : public IngestTest, public ::testing::WithParamInterface<BadFileCase> {};

TEST_P(FileLevelErrorTest, ErrorNamesFileLineColumnAndStoreIsUnchanged) {
  const BadFileCase& c = GetParam();
  testing::WriteValidArea(root_ / "first", 5, 3);
  ASSERT_TRUE(Ingest(root_ / "first").ok());
  auto before = Snapshot();
  // A new, valid organisations file is parsed and inserted before the bad file is reached.
  testing::WriteValidArea(root_ / "second", 30, 4);
  testing::WriteFile(root_ / "second" / c.file, c.content);
  for (bool threaded : {true, false}) {
    auto report = Ingest(root_ / "second", threaded);
    ASSERT_FALSE(report.ok());
    EXPECT_EQ(report.status().code(), StatusCode::kInvalidArgument);
    for (const std::string& e : c.expect) {
      EXPECT_NE(report.status().message().find(e), std::string::npos)
          << "missing '" << e << "' in: " << report.status().message();
    }
    EXPECT_EQ(Snapshot(), before);
  }
  Reopen();
  EXPECT_EQ(Snapshot(), before);
}

std::string BigValidLsoaWith(const std::string& bad_row, int at_row) {
  std::string s = "lsoa_code,lsoa_name,la_code,imd_decile\n";
  for (int i = 0; i < 200; ++i) {
    s += i == at_row ? bad_row : "E0100" + std::to_string(1000 + i) + ",Area,E08000035,3\n";
  }
  return s;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, FileLevelErrorTest,
    ::testing::Values(
        BadFileCase{"MissingColumn",
                    "lsoa.csv",
                    "lsoa_code,lsoa_name,imd_decile\nE01,x,3\n",
                    {"lsoa.csv: line 1", "required column 'la_code' is missing"}},
        BadFileCase{"ExtraColumn",
                    "lsoa.csv",
                    "lsoa_code,lsoa_name,la_code,imd_decile,colour\nE01,x,E08,3,red\n",
                    {"lsoa.csv: line 1, column 5 ('colour'): unknown column"}},
        BadFileCase{"DuplicateColumn",
                    "lsoa.csv",
                    "lsoa_code,lsoa_name,la_code,lsoa_code,imd_decile\n",
                    {"lsoa.csv: line 1, column 4 ('lsoa_code'): repeated column name"}},
        BadFileCase{"EmptyFile", "lsoa.csv", "", {"lsoa.csv: line 1: the file is empty"}},
        BadFileCase{"Latin1MidFile",
                    "pds.csv",
                    "nhs_number,record_type,family_name,given_name,sex,birth_date\n"
                    "9434765919,current,Smith,Jo,1,1950-01-01\n"
                    "9434765919,current,Br\xF6n,Jo,1,1950-01-01\n",
                    {"pds.csv: line 3, column 3 ('family_name')", "invalid UTF-8 byte 0xF6"}},
        BadFileCase{"LateLatin1InBigFile",
                    "lsoa.csv",
                    BigValidLsoaWith("E01009999,Caf\xE9,E08000035,3\n", 150),
                    {"lsoa.csv: line 152, column 2 ('lsoa_name')", "UTF-8"}}),
    [](const auto& info) { return std::string(info.param.name); });

TEST_F(IngestTest, FolderWithoutExtractsIsAnError) {
  testing::WriteFile(root_ / "area" / "readme.md", "x");
  auto report = Ingest(root_ / "area");
  EXPECT_EQ(report.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Ingest(root_ / "missing").status().code(), StatusCode::kNotFound);
}

// Property: whatever fields are corrupted, every row is either stored or quarantined (never
// both, never dropped), per-file reconciliation holds, only corrupted rows are quarantined,
// and every quarantined row names the line its record starts on.
TEST_F(IngestTest, PropertyCorruptedFieldsAreReconciled) {
  const std::vector<std::string> kGarbage = {"",
                                             " ",
                                             "not-a-date",
                                             "2014-02-30",
                                             "abc",
                                             "X",
                                             "-",
                                             "12.5.1",
                                             "99999999999999999999",
                                             "a,b",
                                             "say \"hi\"",
                                             "two\nlines",
                                             "\xC3\xA9t\xC3\xA9",
                                             "0",
                                             "ZZ9 9ZZ",
                                             "J45.9"};
  std::mt19937_64 rng(20150401);
  for (int iter = 0; iter < 25; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    fs::path area = root_ / ("p" + std::to_string(iter));
    struct Expect {
      std::vector<int64_t> lines;
      std::set<int64_t> corrupted;
    };
    std::map<std::string, Expect> expect;
    for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
      if (rng() % 3 == 0) continue;  // a random subset of the extracts
      int n = static_cast<int>(rng() % 25);
      std::vector<Row> rows;
      std::vector<bool> bad(static_cast<size_t>(n));
      for (int i = 0; i < n; ++i) {
        Row r = testing::ValidRow(spec, rng, i);
        if (rng() % 3 == 0) {
          bad[static_cast<size_t>(i)] = true;
          int k = static_cast<int>(rng() % 3) + 1;
          for (int j = 0; j < k; ++j) {
            size_t f = rng() % r.size();
            switch (rng() % 8) {
              case 0:
                r.push_back("extra");
                break;
              case 1:
                r.pop_back();
                break;
              default:
                r[f] = kGarbage[rng() % kGarbage.size()];
            }
            if (r.empty()) r.push_back("");
          }
        }
        rows.push_back(std::move(r));
      }
      Expect& e = expect[std::string(spec.file_name)];
      testing::WriteFile(area / std::string(spec.file_name),
                         testing::ToCsv(testing::Header(spec), rows, &e.lines));
      for (int i = 0; i < n; ++i) {
        if (bad[static_cast<size_t>(i)]) e.corrupted.insert(e.lines[static_cast<size_t>(i)]);
      }
    }
    if (expect.empty()) continue;
    auto before = Snapshot();
    auto report = Ingest(area, iter % 2 == 0);
    ASSERT_TRUE(report.ok()) << report.status().ToString();
    for (const FileReport& f : report->files) {
      if (f.outcome != FileOutcome::kIngested) continue;  // an identical file from earlier
      const Expect& e = expect[f.file_name];
      EXPECT_EQ(f.rows_read, static_cast<int64_t>(e.lines.size())) << f.file_name;
      EXPECT_EQ(f.rows_read, f.rows_accepted + f.rows_quarantined) << f.file_name;
      EXPECT_EQ(Count(f.table) - before[f.table], f.rows_accepted) << f.file_name;
      std::string run = std::to_string(report->run_id);
      auto q = Rows("SELECT line_no FROM quarantine WHERE run_id = " + run + " AND file_name = '" +
                    f.file_name + "'");
      auto stored = Rows("SELECT _line FROM " + f.table + " WHERE _run_id = " + run);
      EXPECT_EQ(static_cast<int64_t>(q.size()), f.rows_quarantined);
      std::set<int64_t> seen;
      for (const auto& r : q) {
        int64_t line = std::stoll(r[0]);
        EXPECT_TRUE(e.corrupted.contains(line)) << f.file_name << " line " << line;
        EXPECT_TRUE(seen.insert(line).second) << "quarantined twice: " << line;
      }
      for (const auto& r : stored) {
        EXPECT_TRUE(seen.insert(std::stoll(r[0])).second) << "stored and quarantined: " << r[0];
      }
      EXPECT_EQ(seen, std::set<int64_t>(e.lines.begin(), e.lines.end())) << f.file_name;
    }
  }
}

}  // namespace
}  // namespace pioneer::ingest
