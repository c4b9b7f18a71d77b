#include "pioneer/caretrak/cohort.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace pioneer::caretrak {
namespace {

TEST(ParseCohort, ReadsEveryField) {
  auto c = ParseCohort(R"({
    "name": "vw", "scheme": "virtual_ward_2015",
    "entry": {"type": "enrolment_list", "file": "list.csv"},
    "index_date": "enrolment_date", "eligibility": {"min_age": 50, "max_age": 99},
    "look_back_months": 6, "follow_up_months": 9,
    "outcomes": ["ae_attendances", "total_cost"],
    "comparison": {"control_index": "enrolment_dates", "caliper_sd": 0.1, "bootstrap": 200,
                   "seed": 7, "min_cohort": 5, "reliable_cohort": 50, "reuse_controls": false,
                   "adjust_for_later_enrolment": false, "exact_practice": true,
                   "controls_per_case": 3, "regression_adjustment": false}})",
                       "c.json", "/data");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->name, "vw");
  EXPECT_EQ(c->enrolment_csv, "/data/list.csv");
  EXPECT_EQ(c->min_age, 50);
  EXPECT_EQ(c->max_age, 99);
  EXPECT_EQ(c->look_back_months, 6);
  EXPECT_EQ(c->follow_up_months, 9);
  ASSERT_EQ(c->outcomes.size(), 2u);
  EXPECT_EQ(c->outcomes[0], kAeAttendances);
  EXPECT_EQ(c->outcomes[1], kTotalCost);
  EXPECT_EQ(c->control_index, ControlIndex::kEnrolmentDates);
  EXPECT_DOUBLE_EQ(c->caliper_sd, 0.1);
  EXPECT_EQ(c->bootstrap, 200);
  EXPECT_EQ(c->seed, 7u);
  EXPECT_EQ(c->min_cohort, 5);
  EXPECT_EQ(c->reliable_cohort, 50);
  EXPECT_FALSE(c->reuse_controls);
  EXPECT_FALSE(c->adjust_for_later_enrolment);
  EXPECT_TRUE(c->exact_practice);
  EXPECT_EQ(c->scheme, "virtual_ward_2015");
  EXPECT_EQ(c->controls_per_case, 3);
  EXPECT_FALSE(c->regression_adjustment);
  const auto defaults = ParseCohort(R"({"entry": {"type": "care_plan_created"},
      "outcomes": ["bed_days"]})",
                                    "d.json", "");
  ASSERT_TRUE(defaults.ok()) << defaults.status().ToString();
  EXPECT_TRUE(defaults->reuse_controls);
  EXPECT_TRUE(defaults->adjust_for_later_enrolment);
  EXPECT_FALSE(defaults->exact_practice);
  EXPECT_EQ(defaults->controls_per_case, 1);
  EXPECT_TRUE(defaults->regression_adjustment);
  EXPECT_EQ(defaults->scheme, "");
}

TEST(ParseCohort, UnknownFieldsAreErrorsNamingThePath) {
  auto c = ParseCohort(R"({"entry": {"type": "enrolment_list", "file": "a.csv"},
    "outcomes": ["bed_days"], "comparison": {"calipr_sd": 0.2}})",
                       "c.json", "");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("c.json"), std::string::npos);
  EXPECT_NE(c.status().message().find("comparison.calipr_sd"), std::string::npos);
  auto top = ParseCohort(R"({"entry": {"type": "enrolment_list", "file": "a.csv"},
    "outcomes": ["bed_days"], "folow_up_months": 12})",
                         "c.json", "");
  ASSERT_FALSE(top.ok());
  EXPECT_NE(top.status().message().find("'folow_up_months'"), std::string::npos);
}

TEST(ParseCohort, RejectsBadValues) {
  for (
      const char* text : {
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": []})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": ["beds"]})",
          R"({"entry": {"type": "care_plan_created", "file": "a.csv"}, "outcomes": ["bed_days"]})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv", "joint_only": true},
               "outcomes": ["bed_days"]})",
          R"({"entry": {"type": "virtual_ward_start", "file": "a.csv"}, "outcomes": ["bed_days"]})",
          R"({"entry": {"type": "reablement_start", "joint_only": true}, "outcomes": ["bed_days"]})",
          R"({"entry": {"type": "reablement_begins"}, "outcomes": ["bed_days"]})",
          R"({"entry": {"type": "enrolment_list"}, "outcomes": ["bed_days"]})",
          R"({"outcomes": ["bed_days"]})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": ["bed_days"],
               "comparison": {"controls_per_case": 0}})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": ["bed_days"],
               "comparison": {"controls_per_case": 11}})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": ["bed_days"],
               "follow_up_months": 0})",
          R"({"entry": {"type": "enrolment_list", "file": "a.csv"}, "outcomes": ["bed_days"],
               "follow_up_months": "twelve"})",
          R"({"entry": )",
      }) {
    EXPECT_FALSE(ParseCohort(text, "c.json", "").ok()) << text;
  }
}

TEST(ParseCohort, CarePlanCreatedNeedsNoFile) {
  auto c = ParseCohort(
      R"({"entry": {"type": "care_plan_created", "joint_only": true}, "outcomes": ["bed_days"]})",
      "cohort.json", "");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->entry, EntryType::kCarePlanCreated);
  EXPECT_TRUE(c->joint_only);
  EXPECT_TRUE(c->enrolment_csv.empty());
}

// The entry events read from the extracts need no file.
TEST(ParseCohort, EntryEventsFromTheExtracts) {
  const std::pair<const char*, EntryType> kinds[] = {
      {"reablement_start", EntryType::kReablementStart},
      {"virtual_ward_start", EntryType::kVirtualWardStart},
      {"case_management_start", EntryType::kCaseManagementStart}};
  for (const auto& [name, type] : kinds) {
    const auto c =
        ParseCohort(fmt::format(R"({{"entry": {{"type": "{}"}}, "outcomes": ["bed_days"]}})", name),
                    "c.json", "");
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    EXPECT_EQ(c->entry, type);
    EXPECT_STREQ(EntryTypeName(c->entry), name);
    EXPECT_TRUE(c->enrolment_csv.empty());
  }
}

}  // namespace
}  // namespace pioneer::caretrak
