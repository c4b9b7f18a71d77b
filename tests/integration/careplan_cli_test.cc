// `pioneer careplan add|close|list|import` end to end with the real binary and store:
//  * a plan is added, listed, closed, and its history holds both versions (who and when);
//  * an invalid plan is refused naming the field, and the message holds no NHS Number;
//  * import is lossless: good rows stored, bad rows kept whole in care_plan_rejects with
//    line, field and reason (exit 1); the same file again changes nothing; a changed file
//    makes new versions only of the plans that changed;
//  * header problems (semicolons, unknown columns) are refused with nothing stored (exit 2);
//  * the history table is append-only.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>
#include <vector>

#include "pioneer/store/store.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;
using testing::TestNhsNumber;

class CarePlanCli : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_ / "area.db";
    ASSERT_TRUE(store::Store::OpenSqlite(db_).ok());
  }
  // Rows of a query on the store, each row's columns joined by '|'.
  std::vector<std::string> Rows(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(db_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql;
    while (st != nullptr && sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int i = 0; i < sqlite3_column_count(st); ++i) {
        if (i > 0) row += "|";
        const unsigned char* t = sqlite3_column_text(st, i);
        row += t ? reinterpret_cast<const char*>(t) : "NULL";
      }
      out.push_back(row);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out;
  }
  testing::CommandResult Run(const std::string& args) {
    return RunPioneer("careplan " + args + " --db " + db_, dir_);
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(CarePlanCli, AddListCloseAndHistory) {
  const std::string nhs = TestNhsNumber(1);
  auto add = Run("add --nhs-number " + nhs +
                 " --start-date 2015-01-05 --review-date 2015-04-05 --organisation Z11001 "
                 "--organisation Z00 --accountable-gp G1234567 --gp-practice Z11001 "
                 "--coordinator CM-004 --coordinator-role community_matron "
                 "--coordinator-org ZC1 --goals \"Stay at home\" --by nurse.a");
  ASSERT_EQ(add.exit_code, 0) << add.err;
  EXPECT_NE(add.out.find("care plan 1 added"), std::string::npos) << add.out;
  auto list = Run("list --format csv --in-force-on 2015-02-01");
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(nhs), std::string::npos);
  EXPECT_NE(list.out.find("Z11001;Z00"), std::string::npos);
  auto before = Run("list --format csv --in-force-on 2015-01-04");
  EXPECT_EQ(before.out.find(nhs), std::string::npos) << "not in force before its start";

  auto close = Run("close --plan-id 1 --end-date 2015-06-30 --by gp.b");
  ASSERT_EQ(close.exit_code, 0) << close.err;
  EXPECT_NE(close.out.find("completed on 2015-06-30 (version 2)"), std::string::npos);
  auto again = Run("close --plan-id 1 --end-date 2015-07-01");
  EXPECT_EQ(again.exit_code, 2);
  EXPECT_NE(again.err.find("already completed"), std::string::npos) << again.err;
  EXPECT_EQ(Run("close --plan-id 9 --end-date 2015-07-01").exit_code, 2);

  EXPECT_EQ(Rows("SELECT version, action, status, recorded_by FROM care_plan_history "
                 "ORDER BY version"),
            (std::vector<std::string>{"1|created|active|nurse.a", "2|closed|completed|gp.b"}));
  auto history = Run("list --history 1 --format csv");
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_NE(history.out.find("1,1,created,"), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("1,2,closed,"), std::string::npos) << history.out;
}

TEST_F(CarePlanCli, AnInvalidPlanIsRefusedByFieldWithoutItsValues) {
  const std::string nhs = TestNhsNumber(2);
  auto r = Run("add --nhs-number " + nhs +
               " --start-date 2015-03-01 --review-date 2015-02-01 --organisation Z11001");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("review_date is before start_date"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(nhs), std::string::npos);
  auto bad_org = Run("add --nhs-number " + nhs + " --start-date 2015-03-01 --organisation z-1");
  EXPECT_EQ(bad_org.exit_code, 2);
  EXPECT_NE(bad_org.err.find("organisations"), std::string::npos) << bad_org.err;
  auto bad_nhs = Run("add --nhs-number 9990000019 --start-date 2015-03-01 --organisation Z11001");
  EXPECT_EQ(bad_nhs.exit_code, 2);
  EXPECT_EQ(bad_nhs.err.find("9990000019"), std::string::npos) << bad_nhs.err;
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM care_plans"), std::vector<std::string>{"0"});
}

TEST_F(CarePlanCli, ImportIsLosslessIdempotentAndVersionsChanges) {
  const std::string a = TestNhsNumber(10), b = TestNhsNumber(11), c = TestNhsNumber(12);
  std::string bad_check = a;
  bad_check[9] = static_cast<char>('0' + (bad_check[9] - '0' + 1) % 10);
  const std::string header =
      "plan_ref,nhs_number,status,accountable_gp,care_coordinator,organisations,start_date,"
      "end_date,goals\n";
  const std::string file = dir_ / "plans.csv";
  testing::WriteFile(file, header + "R1," + a +
                               ",active,G1,CM-1,Z11001;Z00,2014-10-01,,\"Home, safe\"\n" + "R2," +
                               b + ",active,G2,,Z11002,2014-11-01,,\n" + "R3," + bad_check +
                               ",active,G3,CM-3,Z11001;Z00,2014-12-01,,\n" + "R4," + c +
                               ",active,G4,CM-4,Z11001;Z00,2014-13-01,,\n" + "R1," + c +
                               ",active,G5,CM-5,Z11001;Z00,2014-10-01,,\n" + "R6," + c +
                               ",completed,G6,CM-6,Z11001;Z00,2014-10-01,,\n");
  auto r = Run("import " + file);
  EXPECT_EQ(r.exit_code, 1) << r.err;  // findings: rows rejected
  EXPECT_NE(r.out.find("6 rows: 2 plans added, 0 updated, 0 unchanged, 4 rejected"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find(bad_check), std::string::npos) << "no NHS Number in messages";
  EXPECT_EQ(Rows("SELECT line_no, field FROM care_plan_rejects ORDER BY line_no"),
            (std::vector<std::string>{"4|nhs_number", "5|start_date", "6|plan_ref", "7|end_date"}));
  // The rejected row is kept whole, exactly as supplied.
  EXPECT_EQ(
      Rows("SELECT raw_record FROM care_plan_rejects WHERE line_no = 4"),
      std::vector<std::string>{"R3," + bad_check + ",active,G3,CM-3,Z11001;Z00,2014-12-01,,"});
  EXPECT_EQ(Rows("SELECT source_ref, goals FROM care_plans ORDER BY plan_id"),
            (std::vector<std::string>{"R1|Home, safe", "R2|NULL"}));

  auto same = Run("import " + file);
  EXPECT_EQ(same.exit_code, 0) << same.err;
  EXPECT_NE(same.out.find("already imported"), std::string::npos);

  const std::string changed = dir_ / "plans-2.csv";
  testing::WriteFile(changed, header + "R1," + a +
                                  ",active,G1,CM-1,Z11001;Z00,2014-10-01,,\"Home, safe\"\n" +
                                  "R2," + b + ",completed,G2,,Z11002,2014-11-01,2015-02-01,\n");
  auto upd = Run("import " + changed);
  EXPECT_EQ(upd.exit_code, 0) << upd.err;
  EXPECT_NE(upd.out.find("2 rows: 0 plans added, 1 updated, 1 unchanged, 0 rejected"),
            std::string::npos)
      << upd.out;
  EXPECT_EQ(Rows("SELECT source_ref, version, action FROM care_plan_history ORDER BY plan_id, "
                 "version"),
            (std::vector<std::string>{"R1|1|created", "R2|1|created", "R2|2|updated"}));
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM care_plan_imports"), std::vector<std::string>{"2"});
}

TEST_F(CarePlanCli, HeaderProblemsStoreNothing) {
  const std::string semi = dir_ / "semi.csv";
  testing::WriteFile(semi, "plan_ref;nhs_number;start_date;organisations\nR1;" + TestNhsNumber(3) +
                               ";2015-01-01;Z11001\n");
  auto r = Run("import " + semi);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("semicolons"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("line 1"), std::string::npos) << r.err;
  const std::string unknown = dir_ / "unknown.csv";
  testing::WriteFile(unknown, "plan_ref,nhs_number,start_date,organisations,colour\n");
  auto u = Run("import " + unknown);
  EXPECT_EQ(u.exit_code, 2);
  EXPECT_NE(u.err.find("unknown column 'colour'"), std::string::npos) << u.err;
  const std::string missing = dir_ / "missing.csv";
  testing::WriteFile(missing, "plan_ref,nhs_number,start_date\n");
  auto m = Run("import " + missing);
  EXPECT_EQ(m.exit_code, 2);
  EXPECT_NE(m.err.find("no 'organisations' column"), std::string::npos) << m.err;
  EXPECT_EQ(Run("import " + (dir_ / "absent.csv")).exit_code, 2);
  EXPECT_EQ(Rows("SELECT COUNT(*) FROM care_plan_imports"), std::vector<std::string>{"0"});
}

TEST_F(CarePlanCli, HistoryIsAppendOnly) {
  ASSERT_EQ(
      Run("add --nhs-number " + TestNhsNumber(4) + " --start-date 2015-01-05 --organisation Z11001")
          .exit_code,
      0);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  EXPECT_NE(
      sqlite3_exec(db, "UPDATE care_plan_history SET status = 'revoked'", nullptr, nullptr, &err),
      SQLITE_OK);
  EXPECT_NE(std::string(err ? err : "").find("append-only"), std::string::npos);
  sqlite3_free(err);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM care_plan_history", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace
}  // namespace pioneer
