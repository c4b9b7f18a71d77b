// `pioneer audit verify` against a tampered audit trail: an edit, a deletion, a reordering
// and a truncation are each detected (exit 1, first bad entry named), and so are a missing
// audit file and one replaced by another store's; an intact trail exits 0. The tampering
// goes around the append-only triggers, as an attacker with write access to the audit file
// (PATH.audit beside the store) would.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

#include "pioneer/ig/audit.h"
#include "pioneer/store/store.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;

class AuditVerifyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = tmp_ / "store.db";
    auto store = store::Store::OpenSqlite(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ig::AuditLog log(**store);
    for (int i = 1; i <= 5; ++i) {
      ig::AuditEntry e;
      e.user_id = i;
      e.username = "user" + std::to_string(i);
      e.role = "gp";
      e.org_code = "B86001";
      e.purpose = "direct-care";
      e.action = "Patient.read";
      e.basis = "registered-practice";
      e.nhs_number = NhsNumber::Parse(testing::TestNhsNumber(i));
      e.outcome = "permitted";
      e.returned = "pds:1";
      ASSERT_TRUE(log.Append(e).ok());
    }
  }
  // Runs SQL on the audit file directly, with the append-only triggers dropped.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((db_ + ".audit").c_str(), &db), SQLITE_OK);
    std::string all = "DROP TRIGGER ig_audit_no_update; DROP TRIGGER ig_audit_no_delete; " + sql;
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db, all.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }
  TempDir tmp_;
  std::string db_;
};

TEST_F(AuditVerifyTest, IntactTrailPasses) {
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("intact: 5 entries"), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, TriggersRefuseEditsThroughSql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(db_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE ig_audit SET username = 'x' WHERE seq = 2", nullptr, nullptr,
                         nullptr),
            SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM ig_audit WHERE seq = 2", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(AuditVerifyTest, EditIsDetected) {
  Tamper("UPDATE ig_audit SET username = 'someone-else' WHERE seq = 3;");
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BROKEN at entry 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("edited"), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, DeletionIsDetected) {
  Tamper("DELETE FROM ig_audit WHERE seq = 2;");
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BROKEN at entry 2"), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, ReorderingIsDetected) {
  // Swap the contents of entries 2 and 4 (each keeps a valid hash of its own).
  Tamper(
      "UPDATE ig_audit SET seq = -2 WHERE seq = 2; UPDATE ig_audit SET seq = 2 WHERE seq = 4; "
      "UPDATE ig_audit SET seq = 4 WHERE seq = -2;");
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.out.find("BROKEN at entry 2"), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, TruncationIsDetectedAgainstARecordedHead) {
  auto first = RunPioneer("audit verify --db " + db_, tmp_);
  ASSERT_EQ(first.exit_code, 0);
  std::string head = first.out.substr(first.out.find("head ") + 5);
  head = head.substr(0, head.find('\n'));
  Tamper("DELETE FROM ig_audit WHERE seq = 5;");
  auto plain = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(plain.exit_code, 0);  // the table alone cannot show a cut end...
  auto r = RunPioneer("audit verify --db " + db_ + " --expect-head " + head, tmp_);
  EXPECT_EQ(r.exit_code, 1) << r.out;  // ...the recorded head can
}

TEST_F(AuditVerifyTest, MissingAuditFileIsBrokenNotEmpty) {
  std::filesystem::remove(db_ + ".audit");
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("BROKEN"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(db_ + ".audit"), std::string::npos) << r.out;  // names the file
  EXPECT_EQ(r.out.find(testing::TestNhsNumber(1)), std::string::npos) << r.out;
}

TEST_F(AuditVerifyTest, AnotherStoresAuditFileIsBroken) {
  // A second store with an intact trail of its own: its audit file put in place of ours.
  const std::string other = tmp_ / "other.db";
  {
    auto store = store::Store::OpenSqlite(other);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ig::AuditEntry e;
    e.username = "someone";
    e.role = "gp";
    e.org_code = "B86001";
    e.purpose = "direct-care";
    e.action = "Patient.read";
    e.basis = "registered-practice";
    e.outcome = "permitted";
    ASSERT_TRUE(ig::AuditLog(**store).Append(e).ok());
  }
  // Both created within the same second would share created_at: make ours differ.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE meta SET value = '1999-01-01T00:00:00Z' WHERE key = "
                           "'created_at'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
    ASSERT_EQ(sqlite3_open((other + ".audit").c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db,
                           "UPDATE meta SET value = '1999-01-01T00:00:00Z' WHERE key = "
                           "'store_created_at'",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  std::filesystem::copy_file(other + ".audit", db_ + ".audit",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(db_ + ".audit-wal");
  std::filesystem::remove(db_ + ".audit-shm");
  auto r = RunPioneer("audit verify --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("another store"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("1999"), std::string::npos) << r.out;  // no values echoed
}

}  // namespace
}  // namespace pioneer
