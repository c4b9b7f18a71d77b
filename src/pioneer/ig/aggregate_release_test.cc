#include "pioneer/ig/aggregate_release.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pioneer/ig/audit.h"
#include "pioneer/ig/gate.h"
#include "pioneer/ig/users.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {
namespace {

namespace fs = std::filesystem;

class AggregateReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_release_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto s = store::Store::OpenSqlite((dir_ / "store.db").string());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  Principal As(Role role, const std::string& name) {
    Principal p;
    p.user_id = 7;
    p.username = name;
    p.role = role;
    p.org_code = "B86001";
    return p;
  }
  // action|outcome|reason|returned of every aggregates.release entry, oldest first.
  std::vector<std::string> Audited() {
    AuditQuery q;
    q.limit = 100;
    int64_t total = 0;
    auto entries = AuditLog(*store_).Search(q, &total);
    EXPECT_TRUE(entries.ok()) << entries.status().ToString();
    std::vector<std::string> out;
    for (const AuditEntry& e : *entries) {
      out.push_back(e.action + "|" + e.role + "|" + e.outcome + "|" + e.reason + "|" + e.returned);
    }
    return out;
  }

  fs::path dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AggregateReleaseTest, PublishedKeepsBothProtections) {
  const AggregateRelease r = AggregateRelease::Published();
  EXPECT_TRUE(r.suppress_small_numbers());
  EXPECT_TRUE(r.exclude_objectors());
  EXPECT_TRUE(r.published());
  EXPECT_EQ(r.basis(), "published");
}

TEST_F(AggregateReleaseTest, AskingForNothingLessIsPublishedAndNotAudited) {
  Gate gate(*store_, 1'800'000'000);
  auto r = gate.ReleaseAggregates(As(Role::kAnalyst, "ana"), AggregateRequest{});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->published());
  EXPECT_TRUE(Audited().empty());
}

TEST_F(AggregateReleaseTest, OnlyAnIgOfficerIsGrantedAndEveryDecisionIsAudited) {
  Gate gate(*store_, 1'800'000'000);
  AggregateRequest ask;
  ask.show_small_numbers = true;
  ask.reason = "reconcile with the SUS extract";
  ask.output = "pioneer metrics";
  for (Role role : {Role::kAnalyst, Role::kGp, Role::kSocialWorker, Role::kPatient}) {
    auto r = gate.ReleaseAggregates(As(role, "someone"), ask);
    ASSERT_FALSE(r.ok()) << RoleName(role);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find("only an IG officer"), std::string::npos);
  }
  auto granted = gate.ReleaseAggregates(As(Role::kIgOfficer, "iris"), ask);
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  EXPECT_FALSE(granted->suppress_small_numbers());
  EXPECT_TRUE(granted->exclude_objectors());  // not asked for: still excluded
  EXPECT_FALSE(granted->published());
  EXPECT_NE(granted->basis().find("ig_officer 'iris'"), std::string::npos) << granted->basis();
  ask.show_small_numbers = false;
  ask.include_objectors = true;
  auto objectors = gate.ReleaseAggregates(As(Role::kIgOfficer, "iris"), ask);
  ASSERT_TRUE(objectors.ok());
  EXPECT_TRUE(objectors->suppress_small_numbers());
  EXPECT_FALSE(objectors->exclude_objectors());
  const std::vector<std::string> want = {
      "aggregates.release|analyst|denied|reconcile with the SUS extract|pioneer metrics: small "
      "numbers shown",
      "aggregates.release|gp|denied|reconcile with the SUS extract|pioneer metrics: small numbers "
      "shown",
      "aggregates.release|social_worker|denied|reconcile with the SUS extract|pioneer metrics: "
      "small numbers shown",
      "aggregates.release|patient|denied|reconcile with the SUS extract|pioneer metrics: small "
      "numbers shown",
      "aggregates.release|ig_officer|granted|reconcile with the SUS extract|pioneer metrics: "
      "small numbers shown",
      "aggregates.release|ig_officer|granted|reconcile with the SUS extract|pioneer metrics: "
      "objectors included",
  };
  EXPECT_EQ(Audited(), want);
  auto verified = AuditLog(*store_).Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_EQ(verified->entries, 6);
}

TEST_F(AggregateReleaseTest, AReasonAndANamedOutputAreRequired) {
  Gate gate(*store_, 1'800'000'000);
  AggregateRequest ask;
  ask.show_small_numbers = true;
  ask.reason = "because";  // under kMinReleaseReason
  ask.output = "pioneer metrics";
  auto r = gate.ReleaseAggregates(As(Role::kIgOfficer, "iris"), ask);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("at least 10 characters"), std::string::npos);
  ask.reason = "reconcile with the SUS extract";
  ask.output = "";
  EXPECT_FALSE(gate.ReleaseAggregates(As(Role::kIgOfficer, "iris"), ask).ok());
  EXPECT_TRUE(Audited().empty());
}

}  // namespace
}  // namespace pioneer::ig
