// The dashboard's optional sections read from other commands' outputs: the national condition
// (risk-report.json) and Care Trak (caretrak.json), from files written here by hand.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "pioneer/report/care_trak.h"
#include "pioneer/report/dashboard.h"
#include "pioneer/report/national_condition.h"

namespace pioneer::report {
namespace {

std::string Write(const std::string& name, const std::string& content) {
  const std::string path =
      (std::filesystem::path(::testing::TempDir()) / ("pioneer_dash_" + name)).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

constexpr const char* kRiskReport = R"json({"national_condition": {
  "date": "2015-04-01",
  "approaches": [{"approach": "top2_practice", "label": "Top 2% of each practice's list (Leeds)"
}],
  "area": {"top2_practice": {"adults": 2390, "high_risk": 60, "high_risk_share_of_adults": 0.025,
           "with_plan": 15, "with_plan_share": 0.25, "with_joint_plan_and_lead": null,
           "with_joint_plan_and_lead_share": null}},
  "over_time": [{"date": "2015-01-01", "area": {"top2_practice": {"with_joint_plan_and_lead_share": 0.1}}},
                {"date": "2015-04-01", "area": {"top2_practice": {"with_joint_plan_and_lead_share": null}}}]
}})json";

constexpr const char* kCareTrak = R"({"cohort": {"name": "virtual_ward", "size": 240},
  "matched_group": {"size": 200}, "reliable": true,
  "outcomes": [{"outcome": "non_elective_admissions", "definition": "Emergency admissions",
                "effect": {"relative": -0.2, "relative_ci95": [-0.35, -0.05],
                           "absolute_per_person_year": -0.12, "conclusion": "a fall"},
                "naive": {"relative": -0.55}}]})";

TEST(DashboardSections, NationalConditionIsReadWithSuppressedFiguresKeptApart) {
  auto nc = ReadNationalCondition(Write("risk.json", kRiskReport));
  ASSERT_TRUE(nc.ok()) << nc.status().ToString();
  ASSERT_EQ(nc->approaches.size(), 1u);
  EXPECT_EQ(nc->approaches[0].high_risk, 60);
  EXPECT_FALSE(nc->approaches[0].with_joint_plan_and_lead.has_value());  // suppressed, not 0
  ASSERT_EQ(nc->approaches[0].series.size(), 2u);
  EXPECT_DOUBLE_EQ(*nc->approaches[0].series[0], 0.1);
  EXPECT_FALSE(nc->approaches[0].series[1].has_value());
  ReportData d;
  d.national_condition = *nc;
  const std::string html = DashboardHtml(d);
  EXPECT_NE(html.find("Joint care planning for people at high risk"), std::string::npos);
  EXPECT_NE(html.find("id=\"national-condition\""), std::string::npos);
  EXPECT_NE(html.find("suppressed"), std::string::npos);
  EXPECT_EQ(DashboardHtml(ReportData{}).find("id=\"national-condition\""), std::string::npos);
}

TEST(DashboardSections, CareTrakShowsTheEffectBesideTheNaiveFigure) {
  auto s = ReadCareTrak(Write("ct.json", kCareTrak));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "virtual_ward");
  EXPECT_EQ(s->matched, 200);
  ASSERT_EQ(s->outcomes.size(), 1u);
  EXPECT_DOUBLE_EQ(s->outcomes[0].relative_low, -0.35);
  ReportData d;
  d.care_trak.push_back(*s);
  const std::string html = DashboardHtml(d);
  EXPECT_NE(html.find("-20.0% (-35.0% to -5.0%)"), std::string::npos);
  EXPECT_NE(html.find("-55.0%"), std::string::npos);  // the naive before/after beside it
}

TEST(DashboardSections, FilesThatAreNotResultsAreRefusedByName) {
  const std::string bad = Write("bad.json", R"({"cohort": {}})");
  auto s = ReadCareTrak(bad);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(bad), std::string::npos);
  auto nc = ReadNationalCondition(Write("nonc.json", "{}"));
  ASSERT_FALSE(nc.ok());
  EXPECT_NE(nc.status().message().find("pioneer risk report"), std::string::npos);
  EXPECT_EQ(ReadCareTrak("/nonexistent/caretrak.json").status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::report
