#include "pioneer/server/store_pool.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace pioneer::server {
namespace {

namespace fs = std::filesystem;

class StorePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test and process: ctest runs this suite's tests side by side.
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_store_pool_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + "_" +
            std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "s.db").string();
    ASSERT_TRUE(store::Store::OpenSqlite(path_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path dir_;
  std::string path_;
};

constexpr const char* kWrite = "INSERT INTO ig_keys(name, key_hex) VALUES('probe', '00')";

// The server's GET requests lease from a read-only pool: its connections read, never write.
TEST_F(StorePoolTest, ReadOnlyPoolReadsAndRefusesWrites) {
  auto pool = StorePool::Open(path_, 2, 1 << 20, StorePool::Access::kReadOnly);
  ASSERT_TRUE(pool.ok()) << pool.status().ToString();
  StorePool::Lease lease = (*pool)->Acquire();
  EXPECT_TRUE((*lease).HasTable("pds"));
  auto w = (*lease).Execute(kWrite, {});
  EXPECT_EQ(w.status().code(), StatusCode::kFailedPrecondition) << w.status().ToString();
  auto general = StorePool::Open(path_, 1);
  ASSERT_TRUE(general.ok());
  StorePool::Lease rw = (*general)->Acquire();
  EXPECT_TRUE((*rw).Execute(kWrite, {}).ok());
}

// A read-only pool cannot migrate: the server opens its general pool first.
TEST_F(StorePoolTest, ReadOnlyPoolNeedsACurrentStore) {
  {
    auto s = store::Store::OpenSqlite(path_);
    ASSERT_TRUE(s.ok());
    ASSERT_TRUE((*s)->Execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'", {}).ok());
  }
  auto ro = StorePool::Open(path_, 1, 0, StorePool::Access::kReadOnly);
  EXPECT_EQ(ro.status().code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(StorePool::Open(path_, 1).ok());  // migrates
  EXPECT_TRUE(StorePool::Open(path_, 1, 0, StorePool::Access::kReadOnly).ok());
}

}  // namespace
}  // namespace pioneer::server
