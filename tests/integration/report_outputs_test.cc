// `pioneer report` end to end on a small synthetic store, for the demo plan and the three seed
// plans: the workbook is read back by exceljs (tests/report/workbook_check.js: every formula's
// cached result recomputed, key cells asserted, charts present) and the dashboard is opened in
// headless Chromium (tests/report/dashboard_check.js: no console errors, every chart drawn, no
// network, a data table per chart, no sideways scroll and every RAG cell in view at phone
// width), which saves desktop and phone screenshots as test artefacts in
// <build>/tests/artefacts/.
// Needs node, web/node_modules (scripts/install-deps.sh runs `npm ci`) and /usr/bin/chromium.
#include <gtest/gtest.h>

#include <filesystem>

#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;

class ReportOutputs : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto s = RunPioneer("synth --population 3000 --seed 7 --threads 1 --skip-calibration --out " +
                            (*dir_ / "extracts"),
                        *dir_);
    ASSERT_EQ(s.exit_code, 0) << s.err;
    auto i = RunPioneer(
        "ingest --progress never --db " + (*dir_ / "area.db") + " " + (*dir_ / "extracts"), *dir_);
    ASSERT_EQ(i.exit_code, 0) << i.err;
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }

  // Runs `pioneer report` for an example plan; returns the output folder.
  std::string Report(const std::string& plan) {
    std::string out = *dir_ / ("out-" + plan);
    auto r = RunPioneer("report --db " + (*dir_ / "area.db") + " --plan " + SourceDir() +
                            "/examples/plans/" + plan + ".toml --out " + out,
                        *dir_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find(out + "/bcf-part2.xlsx"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(out + "/dashboard.html"), std::string::npos) << r.out;
    return out;
  }

  static testing::CommandResult Node(const std::string& script_and_args) {
    std::string web = SourceDir() + "/web/node_modules";
    if (!std::filesystem::exists(web + "/exceljs")) {
      ADD_FAILURE() << web << " is missing: run scripts/install-deps.sh (npm ci in web/)";
      return {};
    }
    std::string cmd =
        "NODE_PATH=" + web + " node " + SourceDir() + "/tests/report/" + script_and_args + " 2>&1";
    testing::CommandResult r;
    FILE* f = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while (f && (n = fread(buf, 1, sizeof buf, f)) > 0) r.out.append(buf, n);
    int status = f ? pclose(f) : -1;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }

  // The demo plan's report with a Care Trak result; returns the output folder. The
  // caretrak.json is written here (the values are the test's own, so every cell can be checked
  // against them); the report reads it as it reads `pioneer caretrak` output.
  static std::string CareTrakReport() {
    const std::string ct = *dir_ / "caretrak.json";
    testing::WriteFile(ct, R"({"cohort": {"name": "virtual_ward", "scheme": "case_management",
                   "size": 412},
      "matched_group": {"size": 380}, "reliable": true, "warning": "",
      "outcomes": [
        {"outcome": "non_elective_admissions", "unit": "admissions",
         "effect": {"relative": -0.184, "relative_ci95": [-0.31, -0.05],
                    "absolute_per_person_year": -0.21,
                    "absolute_per_person_year_ci95": [-0.35, -0.07], "conclusion": "reduction"},
         "naive": {"relative": -0.52}},
        {"outcome": "total_cost", "unit": "GBP",
         "effect": {"relative": 0.02, "relative_ci95": [-0.1, 0.15],
                    "absolute_per_person_year": 35.5, "absolute_per_person_year_ci95": [-20, 90],
                    "conclusion": "no evidence of a change"},
         "naive": {"relative": null}}]})");
    const std::string out = *dir_ / "out-caretrak";
    auto rep = RunPioneer("report --db " + (*dir_ / "area.db") + " --plan " + SourceDir() +
                              "/examples/plans/demo.toml --caretrak " + ct + " --out " + out,
                          *dir_);
    EXPECT_EQ(rep.exit_code, 0) << rep.err;
    return out;
  }

  // `--caretrak`: the workbook's Care Trak sheets carry each scheme's results and its value
  // against the plan, read back by exceljs.
  static void CheckCareTrakSheet() {
    const std::string out = CareTrakReport();
    auto r = Node("workbook_check.js " + out +
                  "/bcf-part2.xlsx --min-charts 4 --care-trak"
                  " --expect 'Care Trak!A4=virtual_ward'"
                  " --expect 'Care Trak!B4=non_elective_admissions'"
                  " --expect 'Care Trak!C4=412' --expect 'Care Trak!D4=380'"
                  " --expect 'Care Trak!E4=-18.4' --expect 'Care Trak!F4=-31'"
                  " --expect 'Care Trak!G4=-5' --expect 'Care Trak!H4=-0.21'"
                  " --expect 'Care Trak!J4=-52' --expect 'Care Trak!K4=reduction'"
                  " --expect 'Care Trak!L4=yes'"
                  " --expect 'Care Trak!B5=total_cost' --expect 'Care Trak!H5=35.5'"
                  " --expect 'Care Trak!J5=no activity before'"
                  // The value against the plan (worked by hand): case_management invests
                  // 3,000 (£000s) in 2014/15, the assessment year; the cost DiD of +£35.5
                  // (-£20 to +£90) a person-year is a saving of -£35.5 x 380 = -£13,490
                  // (-£34,200 to +£7,600), net -£3,013,490; 0.21 (0.07 to 0.35) emergency
                  // admissions a person-year avoided x 380 = 79.8 (26.6 to 133) a year.
                  " --expect 'Care Trak value!A4=virtual_ward'"
                  " --expect 'Care Trak value!B4=case_management'"
                  " --expect 'Care Trak value!D4=380' --expect 'Care Trak value!E4=-35.5'"
                  " --expect 'Care Trak value!F4=-90' --expect 'Care Trak value!G4=20'"
                  " --expect 'Care Trak value!H4=-13490' --expect 'Care Trak value!I4=-34200'"
                  " --expect 'Care Trak value!J4=7600' --expect 'Care Trak value!K4=3000000'"
                  " --expect 'Care Trak value!L4=-3013490' --expect 'Care Trak value!N4=79.8'"
                  " --expect 'Care Trak value!O4=26.6' --expect 'Care Trak value!P4=133'");
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("\"failures\": []"), std::string::npos) << r.out;
  }

  // `--risk-report`: the workbook's National condition sheet carries the joint care planning
  // figures of a risk report: the area headline, each CCG and practice, then the area over
  // time; suppressed figures read "suppressed". The risk-report.json is the test's own.
  static void CheckNationalConditionSheet() {
    const std::string rr = *dir_ / "risk-report.json";
    testing::WriteFile(rr, R"json({"national_condition": {
      "date": "2015-04-01",
      "approaches": [{"approach": "top2_practice", "label": "Top 2% of each practice (Leeds)"}],
      "area": {"top2_practice": {"adults": 2390, "high_risk": 60,
        "high_risk_share_of_adults": 0.025, "with_plan": 15, "with_plan_share": 0.25,
        "with_joint_plan_and_lead": null, "with_joint_plan_and_lead_share": null}},
      "by_ccg": [{"ccg": "Z02", "top2_practice": {"adults": 1200, "high_risk": 30,
        "high_risk_share_of_adults": 0.025, "with_plan": 10, "with_plan_share": 0.3333,
        "with_joint_plan_and_lead": null, "with_joint_plan_and_lead_share": null}}],
      "by_practice": [{"practice": "Z10001", "top2_practice": {"adults": 600, "high_risk": 15,
        "high_risk_share_of_adults": 0.025, "with_plan": null, "with_plan_share": null,
        "with_joint_plan_and_lead": null, "with_joint_plan_and_lead_share": null}}],
      "over_time": [
        {"date": "2015-01-01", "area": {"top2_practice": {"adults": 2380, "high_risk": 60,
          "high_risk_share_of_adults": 0.0252, "with_plan": 20, "with_plan_share": 0.3333,
          "with_joint_plan_and_lead": 10, "with_joint_plan_and_lead_share": 0.1667}}},
        {"date": "2015-04-01", "area": {"top2_practice": {"adults": 2390, "high_risk": 60,
          "high_risk_share_of_adults": 0.025, "with_plan": 15, "with_plan_share": 0.25,
          "with_joint_plan_and_lead": null, "with_joint_plan_and_lead_share": null}}}]}})json");
    const std::string out = *dir_ / "out-national-condition";
    auto rep = RunPioneer("report --db " + (*dir_ / "area.db") + " --plan " + SourceDir() +
                              "/examples/plans/demo.toml --risk-report " + rr + " --out " + out,
                          *dir_);
    ASSERT_EQ(rep.exit_code, 0) << rep.err;
    const std::string nc = "National condition!";
    std::string expect;
    for (const auto& [cell, value] : std::vector<std::pair<std::string, std::string>>{
             {"A5", "area"},       {"C5", "2015-04-01"}, {"D5", "Top 2% of each practice (Leeds)"},
             {"E5", "2390"},       {"F5", "60"},         {"G5", "2.5"},
             {"H5", "15"},         {"I5", "25"},         {"J5", "suppressed"},
             {"K5", "suppressed"}, {"A6", "ccg"},        {"B6", "Z02"},
             {"E6", "1200"},       {"I6", "33.33"},      {"A7", "practice"},
             {"B7", "Z10001"},     {"H7", "suppressed"}, {"A8", "area"},
             {"C8", "2015-01-01"}, {"J8", "10"},         {"K8", "16.67"}}) {
      expect += " --expect '" + nc + cell + "=" + value + "'";
    }
    auto r = Node("workbook_check.js " + out +
                  "/bcf-part2.xlsx --min-charts 4 --extra-sheet 'National condition'" + expect);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    EXPECT_NE(r.out.find("\"failures\": []"), std::string::npos) << r.out;
  }

  static std::string Artefact(const std::string& name) {
    std::filesystem::path dir = std::filesystem::current_path() / "artefacts";
    std::filesystem::create_directories(dir);
    return (dir / name).string();
  }

  static TempDir* dir_;
};

TempDir* ReportOutputs::dir_ = nullptr;

TEST_F(ReportOutputs, DemoPlanWorkbookReadsBackWithCorrectFormulaResults) {
  std::string out = Report("demo");
  // Money figures of examples/plans/demo.toml (in £000s there), in pounds here.
  auto r =
      Node("workbook_check.js " + out +
           "/bcf-part2.xlsx --min-charts 4"
           " --expect 'Summary!A1=BCF Part 2: Kirkholme (synthetic demo area)'"
           " --expect 'Schemes and finance!I14=12000000'"   // all schemes 2014/15 (SUM)
           " --expect 'Schemes and finance!J14=42000000'"   // all schemes 2015/16
           " --expect 'Schemes and finance!I10=2000000'"    // theme Prevention (SUMIF)
           " --expect 'Schemes and finance!J11=21000000'"   // theme LTC 2015/16 incl. protection
           " --expect 'Schemes and finance!I16=0'"          // pool - schemes
           " --expect 'Protected social care!F5=14000000'"  // SUM of services 2015/16
           " --expect 'Protected social care!F7=0'"         // sum - stated
           " --expect 'Payment for performance!B4=1490'"
           " --expect 'Summary!B10=12000000'");  // live link to the schemes total
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("\"failures\": []"), std::string::npos) << r.out;
  // The seven sheets only (checked above); with --caretrak the two Care Trak sheets; with
  // --risk-report the National condition sheet.
  CheckCareTrakSheet();
  CheckNationalConditionSheet();
}

// The demo plan with a Care Trak result (a superset of the page without one: the seed plans'
// dashboards below have none), so that one browser run checks both.
TEST_F(ReportOutputs, DemoDashboardRendersEveryChartOffline) {
  std::string out = CareTrakReport();
  auto r = Node("dashboard_check.js " + out + "/dashboard.html " + Artefact("dashboard-demo.png"));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  // The Care Trak section draws the saving against the investment, and the risk share with it.
  EXPECT_NE(r.out.find("\"id\": \"caretrak-value\""), std::string::npos) << r.out;
  EXPECT_NE(testing::ReadFile(out + "/dashboard.html").find("Risk share with the measured saving"),
            std::string::npos);
  EXPECT_NE(r.out.find("\"id\": \"p4p\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\": \"weekday\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"id\": \"metric-0\""), std::string::npos) << r.out;
  std::string html = testing::ReadFile(out + "/dashboard.html");
  EXPECT_NE(html.find("UNVERIFIED"), std::string::npos);  // the £1,490 is flagged
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);  // nothing fetched from the network
  // Disclosure control of the counts read from the store: discharges by weekday are rounded
  // to 5 (or suppressed, null), never exact.
  size_t at = html.find("\"weekday\":{\"labels\"");
  ASSERT_NE(at, std::string::npos);
  size_t values = html.find("\"values\":[", at);
  ASSERT_NE(values, std::string::npos);
  std::string list = html.substr(values + 10, html.find(']', values) - values - 10);
  int days = 0;
  for (size_t pos = 0; pos < list.size();) {
    size_t comma = list.find(',', pos);
    std::string item =
        list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item != "null") {
      EXPECT_EQ(std::stoll(item) % 5, 0) << item;
    }
    ++days;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  EXPECT_EQ(days, 7);
  // Suppressed quarters are gaps in the charts (null actuals), and the page offers each
  // chart's data as a table.
  EXPECT_NE(html.find("data table</summary>"), std::string::npos);
}

TEST_F(ReportOutputs, SeedPlansProduceBothOutputs) {
  for (const char* plan : {"leicestershire", "leeds", "triborough"}) {
    SCOPED_TRACE(plan);
    std::string out = Report(plan);
    // Leicestershire: five metric charts plus investment by theme, and its £1.3m contingency.
    std::string extra = std::string(plan) == "leicestershire"
                            ? " --min-charts 6 --expect 'Scenarios!B2=1300000'"
                        : std::string(plan) == "triborough"
                            // No scheme states a figure: totals say "not stated" (a missing
                            // figure is never zero), so there is nothing to sum.
                            ? " --min-charts 0 --min-formulas 0 --expect 'Summary!B10=not stated'"
                            : " --min-charts 0";
    auto w = Node("workbook_check.js " + out + "/bcf-part2.xlsx" + extra);
    EXPECT_EQ(w.exit_code, 0) << w.out;
    auto d = Node("dashboard_check.js " + out + "/dashboard.html " +
                  Artefact(std::string("dashboard-") + plan + ".png"));
    EXPECT_EQ(d.exit_code, 0) << d.out;
  }
}

}  // namespace
}  // namespace pioneer
