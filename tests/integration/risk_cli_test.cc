// `pioneer risk train|score|report` end to end on a small synthetic area (temporal
// validation: trained at 2013-04-01, evaluated at 2014-04-01):
//  * both models discriminate (AUROC 0.65-0.85) and are calibrated (slope 0.9-1.1);
//  * the AUROC recomputed here from scores.csv and an outcome computed independently by SQL
//    on the store's extract tables equals the report's;
//  * an index date without a full outcome year is refused by report, allowed by score;
//  * a damaged model is refused;
//  * the report opens in headless Chromium without console errors, every chart drawn;
//  * the catalogue metrics nc_* on the saved strata equal the report's national-condition figures.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "testing/release_util.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using nlohmann::json;
using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;

class RiskCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto s = RunPioneer("synth --population 12000 --seed 21 --threads 2 --skip-calibration --out " +
                            (*dir_ / "extracts"),
                        *dir_);
    ASSERT_EQ(s.exit_code, 0) << s.err;
    auto i = RunPioneer(
        "ingest --progress never --db " + (*dir_ / "area.db") + " " + (*dir_ / "extracts"), *dir_);
    ASSERT_EQ(i.exit_code, 0) << i.err;
    // The area's joint care plans (exit 1: the few rows with a mistyped NHS Number are
    // rejected and kept).
    auto c = RunPioneer("careplan import --db " + (*dir_ / "area.db") + " " +
                            (*dir_ / "extracts/care_plans/care_plans.csv"),
                        *dir_);
    ASSERT_LE(c.exit_code, 1) << c.err;
    auto t = RunPioneer("risk train --db " + (*dir_ / "area.db") +
                            " --index-date 2013-04-01 --threads 1 --out " + (*dir_ / "model"),
                        *dir_);
    ASSERT_EQ(t.exit_code, 0) << t.err;
    auto r = RunPioneer(
        "risk report --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
            " --index-date 2014-04-01 --threads 1 --save-strata --out " + (*dir_ / "report"),
        *dir_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    report_ = new json(json::parse(testing::ReadFile(*dir_ / "report/risk-report.json")));
  }
  static void TearDownTestSuite() {
    delete report_;
    delete dir_;
    report_ = nullptr;
    dir_ = nullptr;
  }
  static const json& Emergency() { return (*report_)["outcomes"]["emergency_admission"]; }

  static TempDir* dir_;
  static json* report_;
};

TempDir* RiskCli::dir_ = nullptr;
json* RiskCli::report_ = nullptr;

TEST_F(RiskCli, BothModelsDiscriminateAndAreCalibratedAtALaterIndexDate) {
  ASSERT_NE(report_, nullptr);
  const json& e = Emergency();
  for (const char* m : {"baseline", "boosted"}) {
    SCOPED_TRACE(m);
    // Near 1.0 would mean the generator leaks the outcome into the features, near 0.6 that
    // the features carry too little of the latent risk.
    EXPECT_GE(e[m]["auroc"].get<double>(), 0.65);
    EXPECT_LE(e[m]["auroc"].get<double>(), 0.85);
    EXPECT_GE(e[m]["calibration_slope"].get<double>(), 0.9);
    EXPECT_LE(e[m]["calibration_slope"].get<double>(), 1.1);
    EXPECT_LT(std::abs(e[m]["calibration_intercept"].get<double>()), 0.2);
  }
  // The paired DeLong test is reported. At 12,000 people the trees cannot add significantly
  // (the learnable interactions need about 100,000: RiskLarge, opt-in), but early stopping
  // must keep them from doing significantly worse than the baseline they start from (100
  // fixed rounds did: z = -3.1 on this area).
  EXPECT_GT(e["paired_delong"]["se"].get<double>(), 0.0);
  EXPECT_GT(e["paired_delong"]["z"].get<double>(), -1.96);
  EXPECT_TRUE((*report_)["temporal_validation"].get<bool>());
  EXPECT_NE((*report_)["statement"].get<std::string>().find("synthetic"), std::string::npos);
  EXPECT_EQ((*report_)["anchors"].size(), 3u);
}

// AUROC by the Mann-Whitney statistic, written independently of risk/evaluation.cc:
// count of (positive, negative) pairs ordered correctly, ties half, by a sort and a sweep.
double MannWhitney(std::vector<std::pair<double, int>> v) {
  std::sort(v.begin(), v.end());
  double pos = 0, neg = 0, rank_sum = 0;
  size_t i = 0;
  while (i < v.size()) {
    size_t j = i;
    while (j < v.size() && v[j].first == v[i].first) ++j;
    const double mid = (i + 1 + j) / 2.0;  // average of ranks i+1..j
    for (size_t k = i; k < j; ++k) {
      if (v[k].second) {
        rank_sum += mid;
        ++pos;
      } else {
        ++neg;
      }
    }
    i = j;
  }
  return (rank_sum - pos * (pos + 1) / 2) / (pos * neg);
}

TEST_F(RiskCli, AurocFromScoresAndSqlOutcomeMatchesTheReport) {
  ASSERT_NE(report_, nullptr);
  const std::string csv = *dir_ / "scores.csv";
  auto s = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                          " --index-date 2014-04-01 --threads 1 --out " + csv,
                      *dir_);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // Outcome by SQL: NHS Numbers with an emergency admission (first episode, ADMIMETH 21-28 or
  // 2A-2D) admitted 2014-04-01 .. 2015-03-31.
  std::set<std::string> admitted;
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2((*dir_ / "area.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
            SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT DISTINCT nhs_number FROM apc_episodes WHERE "
                               "nhs_number_status = 'valid' AND episode_number = 1 AND "
                               "admission_method IN ('21','22','23','24','25','28','2A','2B',"
                               "'2C','2D') AND admission_date >= '2014-04-01' AND "
                               "admission_date < '2015-04-01'",
                               -1, &st, nullptr),
            SQLITE_OK)
      << sqlite3_errmsg(db);
  while (sqlite3_step(st) == SQLITE_ROW) {
    admitted.insert(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  ASSERT_GT(admitted.size(), 100u);

  std::istringstream in(testing::ReadFile(csv));
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line.rfind("nhs_number,practice,age,sex,p_emergency,", 0), 0u) << line;
  std::vector<std::pair<double, int>> v;
  std::vector<std::pair<double, int>> v_baseline;
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ls(line);
    std::string cell;
    while (std::getline(ls, cell, ',')) f.push_back(cell);
    ASSERT_GE(f.size(), 18u) << line;
    const int y = admitted.count(f[0]) > 0;
    v.push_back({std::stod(f[4]), y});
    v_baseline.push_back({std::stod(f[5]), y});
    const int loa = std::stoi(f[8]);
    EXPECT_TRUE(loa >= 1 && loa <= 5) << line;
  }
  EXPECT_EQ(static_cast<int64_t>(v.size()), (*report_)["cohort"]["people"].get<int64_t>());
  // Scores are written with 6 decimals, so ties may differ from the report's doubles by a hair.
  EXPECT_NEAR(MannWhitney(v), Emergency()["boosted"]["auroc"].get<double>(), 2e-4);
  EXPECT_NEAR(MannWhitney(v_baseline), Emergency()["baseline"]["auroc"].get<double>(), 2e-4);
}

// Above --training-negatives non-cases, all cases and a sample of the non-cases grow the trees
// from an offset margin (docs/risk.md, "Threads and training size"); here forced to about a
// fifth of the non-cases, with the outcomes trained side by side on two threads. The held-out
// people are never sampled, so the held-out AUROCs compare the two models honestly: the
// sampled trees stay within 0.02 of the unsampled ones and no worse than the baseline.
TEST_F(RiskCli, SampledNonCasesGrowTreesAsGoodAsAllOfThem) {
  ASSERT_NE(report_, nullptr);
  auto t = RunPioneer("risk train --db " + (*dir_ / "area.db") +
                          " --index-date 2013-04-01 --threads 2 --training-negatives 1500 --out " +
                          (*dir_ / "model-sampled"),
                      *dir_);
  ASSERT_EQ(t.exit_code, 0) << t.err;
  const json all = json::parse(testing::ReadFile(*dir_ / "model/model.json"));
  const json sampled = json::parse(testing::ReadFile(*dir_ / "model-sampled/model.json"));
  for (const char* outcome : {"emergency_admission", "any_admission", "top5_cost"}) {
    SCOPED_TRACE(outcome);
    const json& a = all["training"]["outcomes"][outcome];
    const json& s = sampled["training"]["outcomes"][outcome];
    EXPECT_EQ(a["boosted_negative_fraction"].get<double>(), 1.0);
    EXPECT_GT(s["boosted_negative_fraction"].get<double>(), 0.1);
    EXPECT_LT(s["boosted_negative_fraction"].get<double>(), 0.3);
    // Sampling touches the trees only: the baseline is the same fit.
    EXPECT_EQ(s["held_out_auroc_baseline"], a["held_out_auroc_baseline"]);
    EXPECT_NEAR(s["held_out_auroc_boosted"].get<double>(),
                a["held_out_auroc_boosted"].get<double>(), 0.02);
    EXPECT_GT(s["held_out_auroc_boosted"].get<double>(),
              s["held_out_auroc_baseline"].get<double>() - 0.01);
  }
}

TEST_F(RiskCli, IndexDateWithoutAFullOutcomeYearIsRefusedForReportOnly) {
  auto r = RunPioneer("risk report --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                          " --index-date 2015-06-01 --out " + (*dir_ / "late-report"),
                      *dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("2016-03-31"), std::string::npos) << r.err;  // the store's last date
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "late-report/risk-report.json"));
  auto s = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                          " --index-date 2015-06-01 --threads 1 --out " + (*dir_ / "late.csv"),
                      *dir_);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  EXPECT_TRUE(std::filesystem::exists(*dir_ / "late.csv"));
}

TEST_F(RiskCli, DamagedModelIsRefused) {
  std::filesystem::copy(*dir_ / "model", *dir_ / "damaged",
                        std::filesystem::copy_options::recursive);
  const std::string f = *dir_ / "damaged/any_admission.logistic.json";
  std::string s = testing::ReadFile(f);
  s.replace(s.find("coefficient"), 11, "coefficienT");
  testing::WriteFile(f, s);
  auto r = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "damaged") +
                          " --index-date 2014-04-01 --out " + (*dir_ / "x.csv"),
                      *dir_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("damaged"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(*dir_ / "x.csv"));
}

TEST_F(RiskCli, ReportOpensInHeadlessChromiumWithoutErrors) {
  if (!testing::HasPageChecker()) {
    GTEST_SKIP() << testing::WebModules()
                 << "/playwright-core is missing: run scripts/install-deps.sh";
  }
  const auto page =
      testing::CheckPageInChromium(*dir_ / "report/risk-report.html", "risk-report.png");
  const std::string& out = page.out;
  EXPECT_EQ(page.exit_code, 0) << out;
  for (const char* id : {"roc", "calibration", "capture", "agesex"}) {
    EXPECT_NE(out.find(std::string("\"id\": \"") + id + "\""), std::string::npos) << out;
  }
}

std::vector<std::string> SplitCsvLine(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') {
      quoted = !quoted;
    } else if (ch == ',' && !quoted) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

json PublishedOrNull(int64_t exact) {
  if (exact > 0 && exact < 8) return nullptr;
  return static_cast<int64_t>(std::llround(exact / 5.0) * 5);
}

// Recomputes "top 2% of each practice" coverage on 2014-04-01 from scores.csv (who is in the
// top 2%, who is an adult) and the care plans file the area was given (which plans are in
// force, joint, with a named lead), independently of risk/national_condition.cc.
TEST_F(RiskCli, JointCarePlanCoverageMatchesARecomputationFromTheFiles) {
  ASSERT_NE(report_, nullptr);
  const json& nc = (*report_)["national_condition"];
  ASSERT_TRUE(nc.contains("area")) << nc.dump();
  const std::string csv = *dir_ / "scores-nc.csv";
  auto s = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                          " --index-date 2014-04-01 --threads 1 --out " + csv,
                      *dir_);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  // Plans in force on the day: status not draft / entered-in-error, start <= day < end.
  std::map<std::string, std::pair<bool, bool>> plan;  // nhs -> (in force, joint with lead)
  {
    std::istringstream in(testing::ReadFile(*dir_ / "extracts/care_plans/care_plans.csv"));
    std::string line;
    std::getline(in, line);
    const std::vector<std::string> head = SplitCsvLine(line);
    auto col = [&](const char* name) {
      return static_cast<size_t>(std::find(head.begin(), head.end(), name) - head.begin());
    };
    while (std::getline(in, line)) {
      const auto f = SplitCsvLine(line);
      const std::string day = "2014-04-01";
      if (f[col("status")] == "draft" || f[col("status")] == "entered-in-error") continue;
      if (f[col("start_date")] > day) continue;
      if (!f[col("end_date")].empty() && f[col("end_date")] <= day) continue;
      const bool joint = f[col("organisations")].find(';') != std::string::npos;
      const bool lead = !f[col("accountable_gp")].empty() && !f[col("care_coordinator")].empty();
      auto& p = plan[f[col("nhs_number")]];
      p.first = true;
      p.second = p.second || (joint && lead);
    }
  }
  int64_t adults = 0, high = 0, with_plan = 0, with_joint = 0;
  std::istringstream in(testing::ReadFile(csv));
  std::string line;
  std::getline(in, line);
  const std::vector<std::string> head = SplitCsvLine(line);
  const size_t c_nhs = 0;
  const size_t c_age = std::find(head.begin(), head.end(), "age") - head.begin();
  const size_t c_top2 = std::find(head.begin(), head.end(), "top2_practice") - head.begin();
  while (std::getline(in, line)) {
    const auto f = SplitCsvLine(line);
    if (std::stoi(f[c_age]) < 18) continue;
    ++adults;
    if (f[c_top2] != "1") continue;
    ++high;
    auto it = plan.find(f[c_nhs]);
    if (it == plan.end()) continue;
    with_plan += it->second.first;
    with_joint += it->second.second;
  }
  ASSERT_GT(high, 50);
  const json& top2 = nc["area"]["top2_practice"];
  EXPECT_EQ(top2["adults"], PublishedOrNull(adults));
  EXPECT_EQ(top2["high_risk"], PublishedOrNull(high));
  EXPECT_EQ(top2["with_plan"], PublishedOrNull(with_plan));
  EXPECT_EQ(top2["with_joint_plan_and_lead"], PublishedOrNull(with_joint));
  // The synthetic programme starts 18 months into the window (2013-10-01): no coverage a
  // quarter before it, partial coverage (neither 0% nor 100%) on the day.
  ASSERT_EQ(nc["over_time"].size(), 4u);
  EXPECT_EQ(nc["over_time"][0]["area"]["top2_practice"]["with_plan"], 0);
  const double share = top2["with_plan_share"].get<double>();
  EXPECT_GT(share, 0.05);
  EXPECT_LT(share, 0.95);
  EXPECT_LT(top2["with_joint_plan_and_lead_share"].get<double>(), share);
}

// The catalogue metrics nc_* (docs/metrics.md), evaluated on the strata that
// `risk report --save-strata` saved, give exactly the report's national-condition figures:
// every approach, for the area at each date of the series and by practice and CCG on the
// index date (the report's counts are disclosure-controlled; the metrics are evaluated without
// control and the same rule applied here). Fast engine only, to keep the suite quick: the
// engines' agreement on these definitions is asserted by the worked example
// (tests/metrics/national_condition) and the differential test.
TEST_F(RiskCli, CatalogueMetricsEqualTheNationalConditionFigures) {
  ASSERT_NE(report_, nullptr);
  const json& nc = (*report_)["national_condition"];
  ASSERT_TRUE(nc.contains("area")) << nc.dump();
  EXPECT_GT(nc.value("strata_saved", 0), 1000);
  const std::string db = *dir_ / "area.db";
  auto store = store::Store::OpenExistingSqlite(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  auto sw = metrics::ResolveSwitches({}, testing::ReconciliationRelease(**store));
  ASSERT_TRUE(sw.ok());
  timeline::OpenOptions oo;
  oo.timeline = metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw));
  oo.note = [](const std::string&) {};
  auto t = timeline::OpenOrBuild(**store, db, oo);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  metrics::FastEngine fast(*t, *ref);
  std::vector<std::string> ids = {"nc_adults_stratified"};
  for (const char* a : {"top2_practice", "top4_practice", "loa_4_5"}) {
    for (const char* m : {"nc_high_risk_", "nc_with_plan_", "nc_joint_plan_"}) {
      ids.push_back(std::string(m) + a);
    }
  }
  const auto periods =
      metrics::MakePeriods(*Period::Parse("2013-07..2014-06"), metrics::Granularity::kQuarter);
  for (const auto& [b, key] : std::vector<std::pair<metrics::Breakdown, std::string>>{
           {metrics::Breakdown::kNone, ""},
           {metrics::Breakdown::kPractice, "practice"},
           {metrics::Breakdown::kCcg, "ccg"}}) {
    auto rep = metrics::Evaluate(fast, *ref, *sw, periods, b, ids);
    ASSERT_TRUE(rep.ok()) << rep.status().ToString();
    // (metric, period first day, group) -> exact numerator.
    std::map<std::tuple<std::string, std::string, std::string>, int64_t> cells;
    for (const auto& v : rep->values) {
      if (v.numerator) {
        cells[{v.metric_id, v.period.start.ToIso(), v.group}] = std::llround(*v.numerator);
      }
    }
    ASSERT_FALSE(cells.empty()) << key;
    auto cell = [&](const std::string& metric, const std::string& day, const std::string& group) {
      auto it = cells.find({metric, day, group});
      return PublishedOrNull(it == cells.end() ? 0 : it->second);
    };
    auto check = [&](const json& figures, const std::string& day, const std::string& group) {
      for (const char* a : {"top2_practice", "top4_practice", "loa_4_5"}) {
        const json& f = figures[a];
        const std::string where = std::string(a) + " " + day + " " + group;
        EXPECT_EQ(f["adults"], cell("nc_adults_stratified", day, group)) << where;
        EXPECT_EQ(f["high_risk"], cell(std::string("nc_high_risk_") + a, day, group)) << where;
        EXPECT_EQ(f["with_plan"], cell(std::string("nc_with_plan_") + a, day, group)) << where;
        EXPECT_EQ(f["with_joint_plan_and_lead"],
                  cell(std::string("nc_joint_plan_") + a, day, group))
            << where;
      }
    };
    if (key.empty()) {
      ASSERT_EQ(nc["over_time"].size(), 4u);
      for (const json& point : nc["over_time"]) {
        check(point["area"], point["date"].get<std::string>(), "all");
      }
      continue;
    }
    const json& rows = nc[key == "practice" ? "by_practice" : "by_ccg"];
    ASSERT_GT(rows.size(), 1u) << key;
    for (const json& row : rows) {
      check(row, nc["date"].get<std::string>(), row[key].get<std::string>());
    }
  }
}

// Last: it records objections in the shared store. People who objected to their records
// being used beyond their own care are left out of the case-finding list, but still rank:
// every other row (centiles and top-2%/4% flags included) is exactly as before.
TEST_F(RiskCli, ObjectorsAreRankedButNotListed) {
  const std::string before = *dir_ / "scores.csv";
  if (!std::filesystem::exists(before)) {
    auto s = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                            " --index-date 2014-04-01 --threads 1 --out " + before,
                        *dir_);
    ASSERT_EQ(s.exit_code, 0) << s.err;
  }
  std::vector<std::string> rows;
  {
    std::ifstream in(before);
    std::string line;
    while (std::getline(in, line)) rows.push_back(line);
  }
  ASSERT_GT(rows.size(), 100u);
  // Three objectors from the top of the list's order, one of them high in its practice.
  std::set<std::string> objectors;
  for (size_t i : {1ul, rows.size() / 2, rows.size() - 1}) {
    objectors.insert(rows[i].substr(0, rows[i].find(',')));
  }
  std::string file = "nhs_number\n";
  for (const auto& o : objectors) file += o + "\n";
  testing::WriteFile(*dir_ / "objections.csv", file);
  auto imp = RunPioneer(
      "objections import --db " + (*dir_ / "area.db") + " " + (*dir_ / "objections.csv"), *dir_);
  ASSERT_EQ(imp.exit_code, 0) << imp.err;
  const std::string after = *dir_ / "scores-after-objections.csv";
  auto s = RunPioneer("risk score --db " + (*dir_ / "area.db") + " --model " + (*dir_ / "model") +
                          " --index-date 2014-04-01 --threads 1 --out " + after,
                      *dir_);
  ASSERT_EQ(s.exit_code, 0) << s.err;
  EXPECT_NE(s.out.find("3 people who objected"), std::string::npos) << s.out;
  std::vector<std::string> expected;
  for (const auto& r : rows) {
    if (!objectors.count(r.substr(0, r.find(',')))) expected.push_back(r);
  }
  std::vector<std::string> got;
  {
    std::ifstream in(after);
    std::string line;
    while (std::getline(in, line)) got.push_back(line);
  }
  EXPECT_EQ(got.size(), rows.size() - 3);
  EXPECT_EQ(got, expected);
}

}  // namespace
}  // namespace pioneer
