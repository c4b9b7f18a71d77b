// `pioneer plan validate` end to end: exit status, finding lines with file and line number,
// and a parse failure naming file, line and key.
#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;

std::string Example(const std::string& name) { return SourceDir() + "/examples/plans/" + name; }

TEST(PlanValidateCli, LeicestershireHasWarningsOnlyAndExitsZero) {
  TempDir tmp;
  auto r = RunPioneer("plan validate " + Example("leicestershire.toml"), tmp);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("leicestershire.toml:54: warning [pooled.schemes_differ_from_total] "
                       "pooled_budget.total.2014/15: schemes add up to £18,002k"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("0 errors, 12 warnings"), std::string::npos) << r.out;
}

TEST(PlanValidateCli, TriboroughHasAnErrorAndExitsOne) {
  TempDir tmp;
  auto r = RunPioneer("plan validate --errors-only " + Example("triborough.toml"), tmp);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  // Appendix B names schemes BCF14 and BCF19, which the scheme table does not have.
  EXPECT_NE(r.out.find("error [appendix.unknown_scheme] cost_assumptions[18].ref"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("warning ["), std::string::npos) << r.out;  // --errors-only
}

TEST(PlanValidateCli, EveryExamplePlanParses) {
  TempDir tmp;
  for (const char* name : {"leeds.toml", "demo.toml"}) {
    auto r = RunPioneer(std::string("plan validate ") + Example(name), tmp);
    EXPECT_EQ(r.exit_code, 0) << name << r.out << r.err;
  }
}

TEST(PlanValidateCli, BrokenFileNamesFileLineAndKey) {
  TempDir tmp;
  testing::WriteFile(
      tmp / "bad.toml",
      "format_version = 1\n[plan]\nid = \"x\"\nhwb = \"X\"\nmoney_unit = \"euro\"\n");
  auto r = RunPioneer("plan validate " + (tmp / "bad.toml"), tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("bad.toml:5: key plan.money_unit: expected gbp, gbp_thousands or "
                       "gbp_millions"),
            std::string::npos)
      << r.err;
}

TEST(PlanValidateCli, ShowPrintsCanonicalTomlThatValidatesTheSame) {
  TempDir tmp;
  auto shown = RunPioneer("plan show " + Example("leicestershire.toml"), tmp);
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  testing::WriteFile(tmp / "canonical.toml", shown.out);
  auto r = RunPioneer("plan validate " + (tmp / "canonical.toml"), tmp);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("0 errors, 12 warnings"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace pioneer
