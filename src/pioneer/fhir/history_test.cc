#include "pioneer/fhir/history.h"

#include <gtest/gtest.h>

namespace pioneer::fhir {
namespace {

careplan::PlanVersion Version(int v, careplan::PlanStatus status, const std::string& action) {
  careplan::PlanVersion out;
  out.action = action;
  out.plan.plan_id = 4;
  out.plan.nhs_number = NhsNumber::Parse("9434765919");
  out.plan.status = status;
  out.plan.organisations = {"B86001"};
  out.plan.start_date = *Date::ParseIso("2024-01-05");
  out.plan.version = v;
  out.plan.recorded_at = "2024-01-0" + std::to_string(v) + "T09:00:00Z";
  return out;
}

TEST(HistoryTest, NewestFirstWithTheRequestThatMadeEachVersion) {
  std::vector<careplan::PlanVersion> versions = {
      Version(1, careplan::PlanStatus::kDraft, "created"),
      Version(2, careplan::PlanStatus::kActive, "updated")};
  nlohmann::json b = CarePlanHistoryBundle("http://h/fhir", versions, 9);
  EXPECT_EQ(b["type"], "history");
  EXPECT_EQ(b["total"], 2);
  ASSERT_EQ(b["entry"].size(), 2u);
  EXPECT_EQ(b["entry"][0]["fullUrl"], "http://h/fhir/CarePlan/cp-4/_history/2");
  EXPECT_EQ(b["entry"][0]["resource"]["status"], "active");
  EXPECT_EQ(b["entry"][0]["request"]["method"], "PUT");
  EXPECT_EQ(b["entry"][0]["request"]["url"], "CarePlan/cp-4");
  EXPECT_EQ(b["entry"][0]["response"]["etag"], "W/\"2\"");
  EXPECT_EQ(b["entry"][1]["request"]["method"], "POST");
  EXPECT_EQ(b["entry"][1]["response"]["status"], "201");
  EXPECT_EQ(b["entry"][1]["response"]["lastModified"], "2024-01-01T09:00:00Z");
  EXPECT_EQ(b["entry"][1]["resource"]["subject"]["reference"], "Patient/9");
}

TEST(HistoryTest, NoVersionsNoEntries) {
  nlohmann::json b = CarePlanHistoryBundle("http://h/fhir", {}, 9);
  EXPECT_EQ(b["total"], 0);
  EXPECT_TRUE(b["entry"].empty());
}

}  // namespace
}  // namespace pioneer::fhir
