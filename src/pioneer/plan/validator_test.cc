#include "pioneer/plan/validator.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "pioneer/plan/plan_reader.h"
#include "pioneer/plan/plan_test_util.h"

namespace pioneer::plan {
namespace {

using testing::MinimalPlan;
using testing::Replace;

// "severity code key" for each finding, for exact comparison.
std::vector<std::string> Summary(const std::vector<Finding>& fs) {
  std::vector<std::string> out;
  for (const auto& f : fs)
    out.push_back(std::string(SeverityName(f.severity)) + " " + f.code + " " + f.key);
  return out;
}

std::vector<Finding> Validate(const std::string& text) {
  auto p = ParsePlan(text, "t.toml");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? ValidatePlan(*p) : std::vector<Finding>{};
}

std::vector<Finding> ValidateExample(const std::string& name) {
  auto p = ReadPlanFile(testing::ExamplePlanPath(name));
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? ValidatePlan(*p) : std::vector<Finding>{};
}

TEST(Validator, ConsistentPlanHasNoFindings) {
  EXPECT_THAT(Summary(Validate(MinimalPlan())), ::testing::IsEmpty());
}

TEST(Validator, LeicestershireFindings) {
  auto fs = ValidateExample("leicestershire.toml");
  EXPECT_THAT(Summary(fs),
              ::testing::ElementsAre(
                  "warning pooled.schemes_differ_from_total pooled_budget.total.2014/15",
                  "warning pooled.schemes_differ_from_total pooled_budget.total.2015/16",
                  "warning scheme.no_metric schemes[6].metrics",   // Strengthening Autism Pathway
                  "warning scheme.no_metric schemes[8].metrics",   // AT replacement equipment
                  "warning scheme.no_metric schemes[30].metrics",  // HART Scheduling System
                  "warning scheme.no_metric schemes[39].metrics",  // SC cost pressures
                  "warning metric.no_trajectory metrics[4]",       // patient experience TBC
                  "warning metric.trajectory_worsens metrics[5].milestones[1].value",  // falls
                  // Scenarios (a), (c) and (d): the seed states no partner shares for any of
                  // them (shares derived by a reviewer are not the plan's); (d) also has no
                  // planned change in reablement.
                  "warning risk.no_shares risk_share.scenarios[0]",
                  "warning risk.no_shares risk_share.scenarios[2]",
                  "warning risk.no_shares risk_share.scenarios[3]",
                  "warning risk.planned_change_not_stated risk_share.scenarios[3]"));
  // The figures behind the first finding: schemes 18,002 vs stated 18,251 (£249k).
  EXPECT_NE(fs[0].message.find("£18,002k"), std::string::npos) << fs[0].message;
  EXPECT_NE(fs[0].message.find("£249k not allocated"), std::string::npos) << fs[0].message;
  EXPECT_GT(fs[0].line, 0);
}

TEST(Validator, LeedsFindings) {
  auto fs = ValidateExample("leeds.toml");
  EXPECT_THAT(
      Summary(fs),
      ::testing::ElementsAre(
          "warning pooled.minimum_not_stated pooled_budget.minimum",
          "warning pooled.implausible_unit pooled_budget.total.2014/15",  // "£2.759k"
          "warning scheme.investment_not_stated schemes", "warning metric.no_trajectory metrics[0]",
          "warning metric.no_trajectory metrics[1]", "warning metric.no_trajectory metrics[2]",
          "warning metric.no_trajectory metrics[3]", "warning metric.no_trajectory metrics[4]",
          "warning metric.no_trajectory metrics[5]", "warning metric.no_trajectory metrics[6]"));
  EXPECT_NE(fs[1].message.find("£2.759k next to £54,900k"), std::string::npos) << fs[1].message;
}

TEST(Validator, TriboroughFindings) {
  auto fs = ValidateExample("triborough.toml");
  EXPECT_THAT(
      Summary(fs),
      ::testing::ElementsAre(
          "warning plan.local_metric_not_chosen plan",
          "warning scheme.investment_not_stated schemes", "warning metric.no_trajectory metrics[0]",
          "warning metric.no_trajectory metrics[1]", "warning metric.no_trajectory metrics[2]",
          "warning metric.no_trajectory metrics[3]", "warning metric.no_trajectory metrics[4]",
          "warning metric.no_trajectory metrics[5]", "warning metric.no_trajectory metrics[6]",
          "warning metric.no_trajectory metrics[7]",
          // Appendix B against the scheme table ("BCF01 & BCF15", "BCF07", no BCF14/19):
          "warning appendix.scheme_split cost_assumptions[0].ref",     // BCF01/11
          "warning appendix.scheme_split cost_assumptions[5].ref",     // BCF07a
          "warning appendix.scheme_split cost_assumptions[6].ref",     // BCF07b
          "warning appendix.scheme_split cost_assumptions[7].ref",     // BCF07c
          "warning appendix.scheme_split cost_assumptions[8].ref",     // BCF07d
          "warning appendix.scheme_split cost_assumptions[9].ref",     // BCF07e
          "warning appendix.scheme_split cost_assumptions[14].ref",    // BCF15 alone
          "error appendix.unknown_scheme cost_assumptions[18].ref",    // BCF14
          "error appendix.unknown_scheme cost_assumptions[18].ref"));  // BCF19
  EXPECT_EQ(CountErrors(fs), 2);
}

TEST(Validator, DemoPlanFindings) {
  // Every trajectory checks out; the £1,490 is unverified.
  auto fs = ValidateExample("demo.toml");
  EXPECT_THAT(Summary(fs),
              ::testing::ElementsAre("warning p4p.value_unverified p4p.value_per_admission_gbp"));
  ASSERT_EQ(fs.size(), 1u);
  EXPECT_NE(fs[0].message.find("£1,490"), std::string::npos) << fs[0].message;
}

// --- Deliberately broken plans ---------------------------------------------------------

TEST(Validator, ThemeSubtotalMismatch) {
  auto fs = Validate(Replace(MinimalPlan(), "stated_scheme_total = { \"2014/15\" = 50",
                             "stated_scheme_total = { \"2014/15\" = 55"));
  ASSERT_THAT(Summary(fs), ::testing::ElementsAre(
                               "error theme.total_mismatch themes[0].stated_scheme_total.2014/15"));
  EXPECT_NE(fs[0].message.find("add up to £50k (difference £-5k)"), std::string::npos)
      << fs[0].message;
}

TEST(Validator, ThemeTotalAndPoolMismatchWhenASchemeChanges) {
  // Scheme s3 2015/16 from 100 to 90: its theme total and the pool both disagree.
  std::string t = MinimalPlan();
  size_t at = t.find("id = \"s3\"");
  t.replace(t.find("\"2015/16\" = 100", at), 15, "\"2015/16\" = 90");
  EXPECT_THAT(
      Summary(Validate(t)),
      ::testing::ElementsAre("warning pooled.schemes_differ_from_total pooled_budget.total.2015/16",
                             "error theme.total_mismatch themes[1].stated_total.2015/16"));
}

TEST(Validator, ProtectedServicesTotalAndLine) {
  std::string t = Replace(MinimalPlan(),
                          "stated_total = { \"2014/15\" = 50, \"2015/16\" = 100 }\n\n[[protected",
                          "stated_total = { \"2014/15\" = 60, \"2015/16\" = 100 }\n\n[[protected");
  EXPECT_THAT(Summary(Validate(t)),
              ::testing::ElementsAre(
                  "error protected.total_mismatch protected_social_care.stated_total.2014/15"));
  std::string u =
      Replace(MinimalPlan(), "amount = { \"2014/15\" = 50", "amount = { \"2014/15\" = 40");
  EXPECT_THAT(Summary(Validate(u)),
              ::testing::ElementsAre(
                  "error protected.total_mismatch protected_social_care.stated_total.2014/15",
                  "error protected.scheme_mismatch protected_social_care.services[0].amount"));
}

TEST(Validator, AppendixSchemeReferencesAgainstTheSchemeTable) {
  // Scheme one is "BCF01 & BCF02", Discharge scheme "BCF03". Appendix lines: BCF01/02 and
  // BCF03 match whole lines; BCF01 alone splits a line; BCF03a is a sub-line the table does not
  // list; BCF09 does not exist; a line with no reference is not checked.
  std::string text = Replace(
      Replace(MinimalPlan(), "name = \"Scheme one\"", "name = \"BCF01 & BCF02 Scheme one\""),
      "name = \"Discharge scheme\"", "name = \"BCF03 Discharge scheme\"");
  text += R"(
[[cost_assumptions]]
ref = "BCF01/02"
name = "whole line"
[[cost_assumptions]]
ref = "BCF03"
name = "whole line"
[[cost_assumptions]]
ref = "BCF01"
name = "split"
[[cost_assumptions]]
ref = "BCF03a"
name = "sub-line"
[[cost_assumptions]]
ref = "BCF09"
name = "unknown"
[[cost_assumptions]]
name = "Disabled Facilities Grant"
)";
  EXPECT_THAT(Summary(Validate(text)),
              ::testing::ElementsAre("warning appendix.scheme_split cost_assumptions[2].ref",
                                     "warning appendix.scheme_split cost_assumptions[3].ref",
                                     "error appendix.unknown_scheme cost_assumptions[4].ref"));
}

TEST(Validator, MinimumAboveTotal) {
  EXPECT_THAT(Summary(Validate(Replace(MinimalPlan(), "minimum = { \"2014/15\" = 100",
                                       "minimum = { \"2014/15\" = 160"))),
              ::testing::ElementsAre("error pooled.below_minimum pooled_budget.total.2014/15"));
}

TEST(Validator, PercentageThatDoesNotMatchItsValues) {
  // 200 -> 190 is 5.00%; a plan printing 5.77% is caught, 5.004% is within rounding.
  auto fs = Validate(Replace(MinimalPlan(), "stated_change_pct = 5.0", "stated_change_pct = 5.77"));
  ASSERT_THAT(Summary(fs),
              ::testing::ElementsAre(
                  "error metric.pct_mismatch metrics[0].milestones[0].stated_change_pct"));
  EXPECT_NE(fs[0].message.find("change of 5.00%, but the plan states 5.77%"), std::string::npos)
      << fs[0].message;
  EXPECT_THAT(Summary(Validate(
                  Replace(MinimalPlan(), "stated_change_pct = 5.0", "stated_change_pct = 5.004"))),
              ::testing::IsEmpty());
}

TEST(Validator, SchemeMappedToUndefinedMetric) {
  auto fs =
      Validate(Replace(MinimalPlan(), "metrics = [\"falls\"]", "metrics = [\"falls\", \"dtoc\"]"));
  ASSERT_THAT(Summary(fs),
              ::testing::ElementsAre("error scheme.undefined_metric schemes[0].metrics"));
  EXPECT_EQ(fs[0].line, 41);  // the metrics line of scheme s1
}

TEST(Validator, ImplausibleUnit) {
  EXPECT_THAT(Summary(Validate(Replace(MinimalPlan(), "total = { \"2014/15\" = 150",
                                       "total = { \"2014/15\" = 1.5"))),
              ::testing::Contains("warning pooled.implausible_unit pooled_budget.total.2014/15"));
}

TEST(Validator, OrganisationSplitsAndShares) {
  EXPECT_THAT(Summary(Validate(
                  Replace(MinimalPlan(), "ccg = { \"2014/15\" = 30", "ccg = { \"2014/15\" = 31"))),
              ::testing::ElementsAre("error scheme.by_org_mismatch schemes[0].investment.2014/15"));
  EXPECT_THAT(
      Summary(Validate(Replace(MinimalPlan(), "shares = { la = 0.25", "shares = { la = 0.35"))),
      ::testing::ElementsAre("error risk.shares_do_not_sum risk_share.scenarios[0].shares"));
  EXPECT_THAT(Summary(Validate(Replace(MinimalPlan(), "lead = \"ccg\"", "lead = \"trust\""))),
              ::testing::ElementsAre("error scheme.unknown_organisation schemes[0].lead"));
}

TEST(Validator, P4pAmbitionAndUnverifiedValue) {
  std::string t =
      Replace(MinimalPlan(), "planned_reduction_pct = 3.5", "planned_reduction_pct = 2.8");
  t = Replace(t, "value_provenance = \"local tariff\"", "value_provenance = \"unverified\"");
  EXPECT_THAT(Summary(Validate(t)),
              ::testing::ElementsAre("warning p4p.below_minimum_ambition p4p.planned_reduction_pct",
                                     "warning p4p.value_unverified p4p.value_per_admission_gbp"));
}

TEST(Validator, WorseningTrajectoryAndOrder) {
  std::string t = Replace(MinimalPlan(), "value = 190.0\nstated_change_pct = 5.0",
                          "value = 210.0\nstated_change_pct = 5.0");
  EXPECT_THAT(
      Summary(Validate(t)),
      ::testing::ElementsAre("warning metric.trajectory_worsens metrics[0].milestones[0].value"));
}

}  // namespace
}  // namespace pioneer::plan
