#include "pioneer/careplan/plan_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pioneer::careplan {
namespace {

namespace fs = std::filesystem;

class PlanStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::path(::testing::TempDir()) /
            ("plan_store_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    fs::remove(path_);
    auto s = store::Store::OpenSqlite(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove(path_);
  }
  CarePlan Plan(const std::string& ref) {
    CarePlan p;
    p.nhs_number = NhsNumber::Parse("9434765919");
    p.organisations = {"B86001", "E08000035"};
    p.start_date = *Date::ParseIso("2024-01-05");
    p.source = "fhir";
    p.source_ref = ref;
    p.recorded_by = "gp_a";
    return p;
  }
  fs::path path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(PlanStoreTest, UpdateWritesTheNextVersionOnlyFromTheExpectedOne) {
  auto id = AddPlan(*store_, Plan("https://a.example/plans|1"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  CarePlan change = Plan("");
  change.plan_id = *id;
  change.status = PlanStatus::kOnHold;
  change.recorded_by = "nurse_n";
  auto v2 = UpdatePlan(*store_, change, 1);
  ASSERT_TRUE(v2.ok()) << v2.status().message();
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->source_ref, "https://a.example/plans|1");  // kept when not given
  auto stale = UpdatePlan(*store_, change, 1);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  change.plan_id = 99;
  EXPECT_EQ(UpdatePlan(*store_, change, 1).status().code(), StatusCode::kNotFound);
  change.plan_id = *id;
  change.end_date = Date::ParseIso("2023-01-01");  // before the start, and not ended
  EXPECT_EQ(UpdatePlan(*store_, change, 2).status().code(), StatusCode::kInvalidArgument);
  auto history = PlanHistory(*store_, *id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[1].action, "updated");
  EXPECT_EQ((*history)[1].plan.recorded_by, "nurse_n");
  EXPECT_EQ((*history)[1].plan.status, PlanStatus::kOnHold);
}

TEST_F(PlanStoreTest, ListPlansBySourceReferenceExactlyOrByItsEnd) {
  ASSERT_TRUE(AddPlan(*store_, Plan("https://a.example/plans|17")).ok());
  ASSERT_TRUE(AddPlan(*store_, Plan("https://b.example/plans|17")).ok());
  ASSERT_TRUE(AddPlan(*store_, Plan("https://a.example/plans|170")).ok());
  PlanFilter exact;
  exact.source = "fhir";
  exact.source_ref = "https://a.example/plans|17";
  EXPECT_EQ(ListPlans(*store_, exact)->size(), 1u);
  PlanFilter any_system;
  any_system.source = "fhir";
  any_system.source_ref_suffix = "|17";
  EXPECT_EQ(ListPlans(*store_, any_system)->size(), 2u);
  any_system.source = "import";
  EXPECT_EQ(ListPlans(*store_, any_system)->size(), 0u);
}

TEST_F(PlanStoreTest, APlanWithoutAValidNumberIsNeitherWrittenNorReadBack) {
  CarePlan nobody = Plan("https://a.example/plans|2");
  nobody.nhs_number.reset();
  auto refused = AddPlan(*store_, nobody);
  ASSERT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("nhs_number"), std::string::npos);

  auto id = AddPlan(*store_, Plan("https://a.example/plans|3"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  // A row damaged outside Pioneer: reading it is data loss that names the plan, not the value.
  const std::array<store::Param, 1> params = {store::Param::Of(*id)};
  ASSERT_TRUE(
      store_->Execute("UPDATE care_plans SET nhs_number = '9434765918' WHERE plan_id = ?1", params)
          .ok());
  auto read = GetPlan(*store_, *id);
  ASSERT_EQ(read.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(read.status().message().find("care plan " + std::to_string(*id)), std::string::npos);
  EXPECT_EQ(read.status().message().find("9434765918"), std::string::npos);
  EXPECT_EQ(ListPlans(*store_, {}).status().code(), StatusCode::kDataLoss);
}

}  // namespace
}  // namespace pioneer::careplan
