// Bad input to the real `pioneer` binary: every case gives a clear, specific error (or a
// correct result) and the documented exit code (0 ok, 1 findings, 2 usage or input error,
// 3 internal), never a hang, a new empty store or an overwritten input (docs/guarantees.md).
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "pioneer/ingest/testing/run_pioneer.h"
#include "pioneer/ingest/testing/sample_extracts.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFile;
using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;
using testing::WriteFile;

std::string Q(const std::string& s) { return "'" + s + "'"; }

int CountLines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

// One small store shared by the suite (ingested once).
class HardeningCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    ingest::testing::WriteValidArea(dir_->path() / "area", 20, 7);
    auto r = RunPioneer("ingest --db " + Q(*dir_ / "store.db") + " " + Q(*dir_ / "area"), *dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Store() { return *dir_ / "store.db"; }

  CommandResult Run(const std::string& args) { return RunPioneer(args, tmp_); }

  static TempDir* dir_;
  TempDir tmp_;
};

TempDir* HardeningCli::dir_ = nullptr;

// Regression: CLI11's own codes (105, 106) leaked out, and `pioneer bogus` said only "A
// subcommand is required".
TEST_F(HardeningCli, UsageErrorsExitTwoAndSayWhatIsWrong) {
  auto r = Run("bogus");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command 'bogus'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("ingest"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("metrics"), std::string::npos) << r.err;
  EXPECT_EQ(Run("").exit_code, 2);
  r = Run("ingest " + Q(tmp_ / "x"));  // --db missing
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
  EXPECT_EQ(Run("metrics --db " + Q(Store()) + " --every weekly").exit_code, 2);
  r = Run("match " + Q(tmp_ / "missing.csv") + " --dedupe --out " + Q(tmp_ / "o.csv"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing.csv"), std::string::npos) << r.err;
  r = Run("--help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("Exit codes"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("3 internal error"), std::string::npos) << r.out;
}

// Regression: `pioneer metrics --db typo.db` created an empty store and printed zeros.
TEST_F(HardeningCli, ReadersNeverCreateAStore) {
  const std::string typo = tmp_ / "typo.db";
  for (const std::string cmd : {"metrics", "quality", "timeline", "link", "link review"}) {
    auto r = Run(cmd + " --db " + Q(typo));
    EXPECT_EQ(r.exit_code, 2) << cmd << ": " << r.err;
    EXPECT_NE(r.err.find("no store at '" + typo + "'"), std::string::npos) << cmd << r.err;
    EXPECT_FALSE(fs::exists(typo)) << cmd;
  }
  auto r = Run("report --db " + Q(typo) + " --plan " +
               Q(SourceDir() + "/examples/plans/demo.toml") + " --out " + Q(tmp_ / "out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_FALSE(fs::exists(typo));
  // An empty file is not a store either, and stays empty.
  WriteFile(typo, "");
  r = Run("quality --db " + Q(typo));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is empty, not a Pioneer store"), std::string::npos) << r.err;
  EXPECT_EQ(fs::file_size(typo), 0u);
  r = Run("timeline --db " + Q(tmp_.path().string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a folder"), std::string::npos) << r.err;
}

// Regression: a ';'-separated extract got "is the header row missing?", and the failed
// ingest left an empty store file behind while saying the store was "unchanged".
TEST_F(HardeningCli, FailedIngestSaysWhyAndLeavesNoStore) {
  const std::string db = tmp_ / "new.db";
  WriteFile((tmp_.path() / "semi" / "lsoa.csv").string(),
            "lsoa_code;lsoa_name;la_code;imd_decile\nE01000001;Leeds 001A;E08000035;3\n");
  auto r = Run("ingest --db " + Q(db) + " " + Q(tmp_ / "semi"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("lsoa.csv: line 1, the header is one column whose name contains "
                       "semicolons (;)"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("no store was created"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(db));
  EXPECT_FALSE(fs::exists(db + "-wal"));
  // An existing store stays (and is said to be unchanged).
  r = Run("ingest --db " + Q(Store()) + " " + Q(tmp_ / "semi"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(Store() + " is unchanged"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(Store()));
}

// Regression: a header of 200,000 commas printed 200,008 error lines (14 MB).
TEST_F(HardeningCli, AHugeBadHeaderPrintsAFewLinesAndACount) {
  WriteFile((tmp_.path() / "wide" / "lsoa.csv").string(), std::string(200000, ',') + "\n");
  auto r = Run("ingest --db " + Q(tmp_ / "w.db") + " " + Q(tmp_ / "wide"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_LE(CountLines(r.err), 15) << r.err.substr(0, 2000);
  EXPECT_NE(r.err.find("more problems in this header (not listed)"), std::string::npos)
      << r.err.substr(0, 2000);
}

// Regression: `--period 2199-12-01..2199-12-31 --every month` hung; FY9999 gave 220 rows of
// the wrong years; FY0000, FY2199 and 2199-12..2199-12 an empty table with exit 0.
TEST_F(HardeningCli, PeriodsAtTheEdgesOfTheCalendar) {
  auto r = Run("metrics --db " + Q(Store()) +
               " --period 2199-12-01..2199-12-31 --every month "
               "--csv --metric total_non_elective");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("2199-12"), std::string::npos) << r.out;
  // The last month of the calendar is a period like any other: one row (no data, zero).
  r = Run("metrics --db " + Q(Store()) +
          " --period 2199-12..2199-12 --csv --metric total_non_elective");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(",2199-12,2199-12-01,2199-12-31,\"all\",0,"), std::string::npos) << r.out;
  for (const char* bad : {"FY9999", "FY0000", "FY2199", "2199-12..2200-01", "2015-03..2014-04"}) {
    r = Run("metrics --db " + Q(Store()) + " --period " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad;
    EXPECT_NE(r.err.find("--period: bad period '" + std::string(bad) + "'"), std::string::npos)
        << r.err;
    EXPECT_TRUE(r.out.empty()) << bad;
  }
}

// Regression: a milestone dated 2199-12-31 was accepted and `pioneer report` hung.
TEST_F(HardeningCli, AFarMilestoneIsAFindingAndTheReportFinishes) {
  std::string plan = ReadFile(SourceDir() + "/examples/plans/demo.toml");
  size_t at = plan.find("date = \"2015-03-31\"");
  ASSERT_NE(at, std::string::npos);
  plan.replace(at, 19, "date = \"2199-12-31\"");
  WriteFile(tmp_ / "far.toml", plan);
  auto r = Run("plan validate " + Q(tmp_ / "far.toml"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("error [range.milestone_date]"), std::string::npos) << r.out;
  r = Run("report --db " + Q(Store()) + " --plan " + Q(tmp_ / "far.toml") + " --out " +
          Q(tmp_ / "out"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(tmp_.path() / "out" / "bcf-part2.xlsx"));
}

// Regression: nan values and a folder given as a plan file.
TEST_F(HardeningCli, BadPlanFilesAreInputErrors) {
  std::string plan = ReadFile(SourceDir() + "/examples/plans/demo.toml");
  size_t at = plan.find("value = ");
  ASSERT_NE(at, std::string::npos);
  plan.replace(at, 8, "value = nan #");
  WriteFile(tmp_ / "nan.toml", plan);
  auto r = Run("plan validate " + Q(tmp_ / "nan.toml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("nan is not a figure"), std::string::npos) << r.err;
  r = Run("plan validate " + Q(tmp_.path().string()));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a folder, not a plan file"), std::string::npos) << r.err;
  r = Run("report --db " + Q(Store()) + " --plan " + Q(tmp_ / "nan.toml") + " --out " +
          Q(tmp_ / "o2"));
  EXPECT_EQ(r.exit_code, 2);
}

// Regression: `pioneer match a.csv --dedupe --out a.csv` overwrote its input (exit 0).
TEST_F(HardeningCli, MatchNeverOverwritesItsInputAndExplainsBadFiles) {
  const std::string in = tmp_ / "a.csv";
  const std::string content =
      "unique_id,first_name,surname,dob,city\n1,Ann,Smith,1980-01-02,Leeds\n"
      "2,Anne,Smith,1980-01-02,Leeds\n3,Bob,Jones,1975-05-05,York\n";
  WriteFile(in, content);
  auto r = Run("match " + Q(in) + " --dedupe --out " + Q(in));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is an input file"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(in), content);
  r = Run("match " + Q(in) + " --dedupe --out " + Q(tmp_ / "p.csv") + " --clusters " + Q(in));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(ReadFile(in), content);
  r = Run("match " + Q(in) + " --dedupe --out " + Q(tmp_ / "p.csv") + " --recall 5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--recall"), std::string::npos) << r.err;
  WriteFile(tmp_ / "semi.csv", "unique_id;first_name;surname\n1;Ann;Smith\n");
  r = Run("match " + Q(tmp_ / "semi.csv") + " --dedupe --out " + Q(tmp_ / "p.csv"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("separated by semicolons"), std::string::npos) << r.err;
  WriteFile(tmp_ / "none.csv", "unique_id,colour\n1,red\n2,blue\n");
  r = Run("match " + Q(tmp_ / "none.csv") + " --dedupe --out " + Q(tmp_ / "p.csv"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("is a field to compare"), std::string::npos) << r.err;
}

// Regression: in a read-only folder every command said "PRAGMA application_id: unable to open
// database file", without the path or a hint.
// The folder is made read-only with permissions; as root (CI, containers), where permissions
// do not apply, with the immutable attribute (chattr +i: not even root may create the
// journal files there). Skipped only when neither is possible (e.g. a filesystem without
// attributes).
TEST_F(HardeningCli, AStoreInAReadOnlyFolderIsNamedWithAHint) {
  const fs::path ro = tmp_.path() / "ro";
  fs::create_directories(ro);
  fs::copy_file(Store(), ro / "store.db");
  const bool root = geteuid() == 0;
  if (root) {
    const std::string chattr = "chattr +i " + Q(ro.string()) + " 2>/dev/null";
    if (std::system(chattr.c_str()) != 0) {
      GTEST_SKIP() << "running as root and chattr +i is not available: no read-only folder";
    }
  } else {
    fs::permissions(ro, fs::perms::owner_read | fs::perms::owner_exec);
  }
  auto r = Run("quality --db " + Q((ro / "store.db").string()));
  if (root) {
    const std::string undo = "chattr -i " + Q(ro.string());
    EXPECT_EQ(std::system(undo.c_str()), 0);
  } else {
    fs::permissions(ro, fs::perms::owner_all);
  }
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find((ro / "store.db").string()), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("read-only?"), std::string::npos) << r.err;
}

// Disk full, simulated with a file-size limit on the ingest process (writes beyond it fail
// with EFBIG, as they would with ENOSPC): the run fails with exit 2 and a message, and the
// store holds exactly what it held before.
TEST_F(HardeningCli, DiskFullDuringIngestLeavesTheStoreAsItWas) {
  const std::string db = tmp_ / "full.db";
  fs::copy_file(Store(), db);
  ingest::testing::WriteValidArea(tmp_.path() / "big", 3000, 11);
  auto before = Run("quality --json --as-of 2016-03-31 --db " + Q(db));
  ASSERT_EQ(before.exit_code, 0) << before.err;
  const rlim_t limit = fs::file_size(db) + 256 * 1024;
  const std::string binary = testing::PioneerBinary(), big = tmp_ / "big",
                    err_path = tmp_ / "err.txt";
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {  // the child: writes beyond `limit` bytes fail with EFBIG
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit rl{limit, limit};
    setrlimit(RLIMIT_FSIZE, &rl);
    std::FILE* e = std::freopen(err_path.c_str(), "w", stderr);
    (void)e;
    execl(binary.c_str(), binary.c_str(), "ingest", "--db", db.c_str(), big.c_str(),
          static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 2);
  const std::string err = ReadFile(tmp_ / "err.txt");
  EXPECT_NE(err.find("nothing was stored; " + db + " is unchanged"), std::string::npos) << err;
  auto after = Run("quality --json --as-of 2016-03-31 --db " + Q(db));
  ASSERT_EQ(after.exit_code, 0) << after.err;
  EXPECT_EQ(after.out, before.out);
}

// Concurrency: a reader running while an ingest commits sees the store before the run or
// after it, never part of it, and is never refused.
TEST_F(HardeningCli, ReadersDuringAnIngestSeeAWholeRunOrNone) {
  const std::string db = tmp_ / "busy.db";
  fs::copy_file(Store(), db);
  ingest::testing::WriteValidArea(tmp_.path() / "more", 2000, 13);
  const std::string q = "quality --json --as-of 2016-03-31 --db " + Q(db);
  auto before = Run(q);
  ASSERT_EQ(before.exit_code, 0) << before.err;
  pid_t pid =
      ingest::testing::SpawnPioneer({"ingest", "--db", db, (tmp_ / "more"), "--progress", "never"},
                                    tmp_ / "ingest.out", tmp_ / "ingest.err");
  ASSERT_GT(pid, 0);
  std::vector<std::string> seen;
  for (int i = 0; i < 4; ++i) {
    auto r = Run(q);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    seen.push_back(r.out);
  }
  ASSERT_EQ(ingest::testing::WaitExit(pid), 0) << ReadFile(tmp_ / "ingest.err");
  auto after = Run(q);
  ASSERT_EQ(after.exit_code, 0);
  ASSERT_NE(after.out, before.out);
  for (const std::string& out : seen) EXPECT_TRUE(out == before.out || out == after.out);
}

}  // namespace
}  // namespace pioneer
