// The audit trail in its own file beside the store (store/audit_file.h): the chain continues
// across the two files, an older store's trail moves there intact (also when an earlier move
// was interrupted), and a missing or foreign audit file is an error naming the file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "pioneer/ig/audit.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {
namespace {

namespace fs = std::filesystem;

constexpr const char* kNhs = "9434765919";

class AuditFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_audit_file_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
    audit_path_ = path_ + ".audit";
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<store::Store> Open() {
    auto s = store::Store::OpenSqlite(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(*s) : nullptr;
  }
  static AuditEntry Entry(int n) {
    AuditEntry e;
    e.user_id = n;
    e.username = "user" + std::to_string(n);
    e.role = "gp";
    e.org_code = "B86001";
    e.purpose = "direct-care";
    e.action = "Patient.read";
    e.basis = "registered-practice";
    e.nhs_number = NhsNumber::Parse(kNhs);
    e.outcome = "permitted";
    e.returned = "Patient:1";
    return e;
  }
  void Append(store::Store& s, int from, int to) {
    AuditLog log(s);
    for (int i = from; i <= to; ++i) ASSERT_TRUE(log.Append(Entry(i)).ok());
  }
  // Runs statements on the store (a connection of its own, through Store::Execute); ?1 is
  // the audit file's path.
  void Sql(const std::vector<std::string>& statements) {
    auto s = Open();
    ASSERT_TRUE(s);
    for (const std::string& sql : statements) {
      store::Param p[] = {store::Param::Of(audit_path_)};
      std::span<const store::Param> params(p, sql.find("?1") == std::string::npos ? 0 : 1);
      auto r = s->Execute(sql, params);
      ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
    }
  }
  // Binds the audit file to another creation time (as another store's file is).
  void Rebind() {
    auto s = Open();
    ASSERT_TRUE(s);
    auto file = s->OpenAuditFile();
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)
                    ->Execute("UPDATE meta SET value = '2001-01-01T00:00:00Z' WHERE key = "
                              "'store_created_at'",
                              {})
                    .ok());
  }
  // Turns the store back into a schema 7 store whose ig_audit holds the audit file's rows
  // (as `pioneer` before the audit file wrote them), after `extra` statements on it; removes
  // the audit file unless `keep`.
  void MakeVersion7(bool keep, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> sql = {"ATTACH ?1 AS a",
                                    "CREATE TABLE main.ig_audit AS SELECT * FROM a.ig_audit"};
    sql.insert(sql.end(), extra.begin(), extra.end());
    sql.push_back("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
    sql.push_back("PRAGMA user_version = 7");
    Sql(sql);
    if (!keep) {
      for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(audit_path_ + suffix);
    }
  }
  static std::string Head(store::Store& s) {
    auto v = AuditLog(s).Verify();
    EXPECT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_TRUE(v->ok) << v->problem;
    return std::to_string(v->entries) + ":" + v->head_hash;
  }

  fs::path dir_;
  std::string path_, audit_path_;
};

TEST_F(AuditFileTest, NewStoreKeepsItsTrailInTheAuditFileOnly) {
  auto s = Open();
  ASSERT_TRUE(s);
  EXPECT_TRUE(fs::exists(audit_path_));
  EXPECT_FALSE(s->HasTable("ig_audit"));
  Append(*s, 1, 3);
  auto file = s->OpenAuditFile();
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(*(*file)->CountRows("ig_audit"), 3);
  EXPECT_EQ(Head(*s).substr(0, 2), "3:");
}

TEST_F(AuditFileTest, Schema7TrailMovesToTheAuditFileWithItsChainIntact) {
  std::string head;
  {
    auto s = Open();
    Append(*s, 1, 4);
    head = Head(*s);
  }
  MakeVersion7(/*keep=*/false);
  auto s = Open();  // migrates
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->HasTable("ig_audit"));
  EXPECT_EQ(Head(*s), head);
  Append(*s, 5, 6);  // the chain goes on from the moved entries
  EXPECT_EQ(Head(*s).substr(0, 2), "6:");
}

TEST_F(AuditFileTest, InterruptedMoveIsCompletedWithoutDuplicates) {
  std::string head;
  {
    auto s = Open();
    Append(*s, 1, 3);
    head = Head(*s);
  }
  MakeVersion7(/*keep=*/true);  // the audit file committed, the store did not
  auto s = Open();
  ASSERT_TRUE(s);
  EXPECT_FALSE(s->HasTable("ig_audit"));
  EXPECT_EQ(Head(*s), head);
}

TEST_F(AuditFileTest, DifferingTrailsInBothFilesRefuseTheMigration) {
  {
    auto s = Open();
    Append(*s, 1, 3);
  }
  MakeVersion7(/*keep=*/true);
  {
    auto s = Open();  // finishes the move: the store is version 8 again
    Append(*s, 4, 4);
  }
  // The store's copy gets the file's 4 entries less the last: they differ.
  MakeVersion7(/*keep=*/true, {"DELETE FROM main.ig_audit WHERE seq = 4"});
  auto s = store::Store::OpenSqlite(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find(audit_path_), std::string::npos) << s.status().message();
}

TEST_F(AuditFileTest, MissingAuditFileIsAnErrorNamingTheFile) {
  auto s = Open();
  Append(*s, 1, 2);
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(audit_path_ + suffix);
  AuditLog log(*s);
  for (const Status& st : {log.Open(), log.Append(Entry(3)), log.Verify().status()}) {
    EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
    EXPECT_NE(st.message().find(audit_path_), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("missing"), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find(kNhs), std::string::npos) << st.message();
  }
  EXPECT_FALSE(fs::exists(audit_path_));  // not silently re-created empty
}

TEST_F(AuditFileTest, ForeignOrNonAuditFileIsAnError) {
  auto s = Open();
  Append(*s, 1, 1);
  // Another store's creation time in the audit file: it is not this store's trail.
  Rebind();
  Status st = AuditLog(*s).Open();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("another store"), std::string::npos) << st.message();
  EXPECT_EQ(st.message().find("2001"), std::string::npos) << st.message();
  // A file that is not an audit file at all.
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(audit_path_ + suffix);
  std::ofstream(audit_path_) << "not a database, but long enough to be read as one......\n";
  st = AuditLog(*s).Open();
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("not a Pioneer audit file"), std::string::npos) << st.message();
}

TEST_F(AuditFileTest, NhsNumbersAreReadBackTypedAndAnInvalidOneIsDataLossNamingNoValue) {
  auto s = Open();
  Append(*s, 1, 2);
  AuditLog log(*s);
  AuditQuery mine;
  mine.nhs_number = NhsNumber::Parse(kNhs);
  int64_t total = 0;
  auto found = log.Search(mine, &total);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(total, 2);
  ASSERT_TRUE(found->front().nhs_number.has_value());
  EXPECT_EQ(found->front().nhs_number->digits(), kNhs);
  // An edit around the triggers leaves a number that is not valid in entry 2.
  constexpr const char* kBad = "9434765918";
  {
    auto file = s->OpenAuditFile();
    ASSERT_TRUE(file.ok()) << file.status().ToString();
    ASSERT_TRUE((*file)->Execute("DROP TRIGGER ig_audit_no_update", {}).ok());
    ASSERT_TRUE(
        (*file)
            ->Execute(std::string("UPDATE ig_audit SET nhs_number = '") + kBad + "' WHERE seq = 2",
                      {})
            .ok());
  }
  auto all = log.Search(AuditQuery{}, &total);
  ASSERT_FALSE(all.ok());
  EXPECT_EQ(all.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(all.status().message().find("audit entry 2"), std::string::npos)
      << all.status().message();
  EXPECT_EQ(all.status().message().find(kBad), std::string::npos) << all.status().message();
  auto verified = log.Verify();
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_FALSE(verified->ok);
  EXPECT_EQ(verified->first_bad_seq, 2);
  EXPECT_NE(verified->problem.find("edited"), std::string::npos) << verified->problem;
}

TEST_F(AuditFileTest, NewStoreDoesNotAdoptALeftOverTrail) {
  {
    auto s = Open();
    Append(*s, 1, 2);
  }
  // The store is replaced; the old store's trail is still beside it.
  Rebind();
  for (const char* suffix : {"", "-wal", "-shm"}) fs::remove(path_ + suffix);
  auto s = store::Store::OpenSqlite(path_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("another store"), std::string::npos) << s.status().message();
}

}  // namespace
}  // namespace pioneer::ig
