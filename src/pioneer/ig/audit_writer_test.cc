#include "pioneer/ig/audit_writer.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "pioneer/ig/audit.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {
namespace {

namespace fs = std::filesystem;

class AuditWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_audit_writer_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<store::Store> Open() {
    auto s = store::Store::OpenSqlite(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return std::move(*s);
  }
  static AuditEntry Entry(int user, int n) {
    AuditEntry e;
    e.user_id = user;
    e.username = "user" + std::to_string(user);
    e.role = "gp";
    e.org_code = "B86001";
    e.purpose = "direct-care";
    e.action = "Patient.read";
    e.basis = "registered-practice";
    e.outcome = "permitted";
    e.returned = std::to_string(n);
    return e;
  }

  fs::path dir_;
  std::string path_;
};

// Eight threads append 40 entries each through one writer: every entry is stored once, the
// chain verifies, each thread's entries keep their order, and commits carry several entries
// (group commit) or at most one each.
TEST_F(AuditWriterTest, ConcurrentAppendsFormOneIntactChain) {
  constexpr int kThreads = 8, kEach = 40;
  int64_t commits = 0;
  {
    AuditWriter writer(Open());
    std::vector<std::thread> threads;
    std::vector<int> failures(kThreads, 0);
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int n = 0; n < kEach; ++n) {
          if (!writer.Append(Entry(t + 1, n)).ok()) ++failures[t];
        }
      });
    }
    for (std::thread& th : threads) th.join();
    for (int f : failures) EXPECT_EQ(f, 0);
    commits = writer.commits();
  }
  EXPECT_GE(commits, 1);
  EXPECT_LE(commits, kThreads * kEach);
  auto store = Open();
  AuditLog log(*store);
  auto v = log.Verify();
  ASSERT_TRUE(v.ok()) << v.status().ToString();
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, kThreads * kEach);
  AuditQuery q;
  q.limit = 1000;
  int64_t total = 0;
  auto all = log.Search(q, &total);
  ASSERT_TRUE(all.ok());
  std::map<int64_t, int> next;  // user -> the entry number expected next
  for (const AuditEntry& e : *all) {
    EXPECT_EQ(e.returned, std::to_string(next[e.user_id]));
    ++next[e.user_id];
  }
  for (int t = 1; t <= kThreads; ++t) EXPECT_EQ(next[t], kEach);
}

// A commit that fails answers its caller with the error and stores nothing of it; the
// writer goes on, and the chain stays intact.
TEST_F(AuditWriterTest, FailedCommitIsReportedAndStoresNothing) {
  {
    auto records = Open();
    auto setup = records->OpenAuditFile();
    ASSERT_TRUE(setup.ok()) << setup.status().ToString();
    ASSERT_TRUE((*setup)
                    ->Execute("CREATE TRIGGER poison BEFORE INSERT ON ig_audit "
                              "WHEN NEW.returned = 'poison' BEGIN SELECT RAISE(ABORT, 'no'); END",
                              {})
                    .ok());
  }
  AuditWriter writer(Open());
  ASSERT_TRUE(writer.Append(Entry(1, 0)).ok());
  AuditEntry bad = Entry(1, 1);
  bad.returned = "poison";
  EXPECT_FALSE(writer.Append(bad).ok());
  ASSERT_TRUE(writer.Append(Entry(1, 2)).ok());
  auto store = Open();
  auto v = AuditLog(*store).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 2);
}

// The writer's commits do not checkpoint; the checkpoint thread does, every
// kCheckpointEvery commits, beside the writer, and the chain stays intact.
TEST_F(AuditWriterTest, CheckpointsRunOffTheCommitPath) {
  {
    AuditWriter writer(Open());
    for (int i = 0; i < 3 * AuditWriter::kCheckpointEvery; ++i) {
      ASSERT_TRUE(writer.Append(Entry(1, i)).ok());  // one at a time: one commit each
    }
    EXPECT_EQ(writer.commits(), 3 * AuditWriter::kCheckpointEvery);
    for (int wait = 0; wait < 200 && writer.checkpoints() == 0; ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    EXPECT_GE(writer.checkpoints(), 1);
  }
  auto store = Open();
  auto v = AuditLog(*store).Verify();
  ASSERT_TRUE(v.ok());
  EXPECT_TRUE(v->ok) << v->problem;
  EXPECT_EQ(v->entries, 3 * AuditWriter::kCheckpointEvery);
}

}  // namespace
}  // namespace pioneer::ig
