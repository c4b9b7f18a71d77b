// `pioneer caretrak` end to end on a synthetic area with two planted interventions
// (`pioneer synth --intervention NAME:OUTCOME:EFFECT`): people are enrolled after an emergency
// admission, selected on recorded risk, so a naive before/after shows a spurious fall.
//  * validation against the planted truth, on two areas (seeds 42 and 43; effects 0, -0.2 on
//    one, -0.3, -0.15 on the other), for emergency admissions and A&E attendances: the 95% CI
//    contains the true effect, a zero effect claims no saving, the naive before/after lies
//    below the estimate (and, for emergency admissions, the outcome the crisis selects on,
//    below the whole interval: regression to the mean), the truth file is what synth was
//    asked for, matching balances prior emergency admissions. PIONEER_CARETRAK_SWEEP=1 adds
//    six more seeds and effect sizes (about 3 more minutes in the debug build);
//    docs/caretrak.md ("Validation against planted truth") gives the coverage measured;
//  * the long form (--cohort JSON) gives the short form's result;
//  * the entry events read from the extracts (reablement_start, case_management_start): the
//    cohort is each person's first such event, counted here from the extract file;
//  * bad input: unknown cohort field, empty cohort, cohort too small to match, follow-up past
//    the end of the data, bad enrolment rows (counted, never printed) exit 2 with the file,
//    line and field named;
//  * an effect of 0 leaves every extract byte-identical to a run without --intervention, and
//    `pioneer ingest` ignores interventions/;
//  * caretrak.html opens in headless Chromium without console errors, every chart drawn.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "testing/test_util.h"

namespace pioneer {
namespace {

using nlohmann::json;
using testing::ReadFile;
using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;

constexpr int kPopulation = 20000;

// One synthetic area with two schemes, each evaluated on its own outcome (thinning one
// outcome leaves the other's counts alone, so the two do not contaminate each other).
struct Scenario {
  uint64_t seed;
  double ne_effect;  // scheme "ne" on non_elective_admissions
  double ae_effect;  // scheme "ae" on ae_attendances
};

constexpr size_t kDefaultScenarios = 2;
std::vector<Scenario> Scenarios() {
  std::vector<Scenario> s = {{42, 0.0, -0.2}, {43, -0.3, -0.15}};
  if (std::getenv("PIONEER_CARETRAK_SWEEP") != nullptr) {
    s.push_back({41, -0.3, 0.0});
    s.push_back({44, -0.1, -0.3});
    s.push_back({45, 0.0, 0.0});
    s.push_back({46, -0.2, -0.1});
    s.push_back({47, -0.3, -0.3});
    s.push_back({48, 0.0, -0.2});
  }
  return s;
}

struct Area {
  std::unique_ptr<TempDir> dir;
  std::string db;
  std::string truth_csv;
  std::map<std::string, json> report;  // by scheme
  std::string err;
};

Area& AreaFor(const Scenario& sc) {
  static std::map<uint64_t, Area> areas;
  Area& a = areas[sc.seed];
  if (a.dir) return a;
  a.dir = std::make_unique<TempDir>();
  const TempDir& d = *a.dir;
  auto s = RunPioneer(
      fmt::format("synth --population {} --seed {} --threads 2 --skip-calibration --intervention "
                  "ne:non_elective_admissions:{} --intervention ae:ae_attendances:{} --out {}",
                  kPopulation, sc.seed, sc.ne_effect, sc.ae_effect, d / "extracts"),
      d);
  EXPECT_EQ(s.exit_code, 0) << s.err;
  a.db = d / "area.db";
  auto i = RunPioneer("ingest --progress never --db " + a.db + " " + (d / "extracts"), d);
  EXPECT_EQ(i.exit_code, 0) << i.err;
  EXPECT_NE(i.out.find("ignored: interventions/"), std::string::npos) << i.out;
  a.truth_csv = ReadFile(d / "extracts/truth/interventions.csv");
  for (const char* scheme : {"ne", "ae"}) {
    const std::string outcome =
        std::string(scheme) == "ne" ? "non_elective_admissions" : "ae_attendances";
    auto c =
        RunPioneer("caretrak --db " + a.db + " --enrolment " +
                       (d / ("extracts/interventions/" + std::string(scheme) + ".csv")) +
                       " --outcome " + outcome + " --out " + (d / ("out_" + std::string(scheme))),
                   d);
    EXPECT_EQ(c.exit_code, 0) << c.err << c.out;
    a.err += c.err;
    if (c.exit_code == 0) {
      a.report[scheme] =
          json::parse(ReadFile(d / ("out_" + std::string(scheme) + "/caretrak.json")));
    }
  }
  return a;
}

// The true effect of `scheme` as synth wrote it (not the test's own constant).
double TrueEffect(const Area& a, const std::string& scheme, std::string* outcome,
                  int64_t* enrolled) {
  std::istringstream in(a.truth_csv);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "intervention,outcome,true_relative_effect,enrolled,enrolment_from,enrolment_to");
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (f.size() == 6 && f[0] == scheme) {
      *outcome = f[1];
      *enrolled = std::stoll(f[3]);
      return std::stod(f[2]);
    }
  }
  ADD_FAILURE() << "no truth row for " << scheme;
  return 0;
}

// Checks one scheme. The interval's coverage of the truth (and, for a zero effect, that no
// saving is claimed) is asserted here when `require_truth`; otherwise it is returned for the
// sweep's tally (a 95% interval misses about 1 time in 20).
struct Coverage {
  int checked = 0, covered = 0;
};
void CheckScheme(const Scenario& sc, const std::string& scheme, bool require_truth,
                 Coverage* coverage) {
  {
    Area& a = AreaFor(sc);
    ASSERT_TRUE(a.report.count(scheme)) << a.err;
    std::string outcome;
    int64_t enrolled = 0;
    const double truth = TrueEffect(a, scheme, &outcome, &enrolled);
    EXPECT_DOUBLE_EQ(truth, scheme == "ne" ? sc.ne_effect : sc.ae_effect);
    const json& r = a.report[scheme];
    EXPECT_EQ(r["outcome"], outcome);
    EXPECT_EQ(r["cohort"]["enrolment_rows"].get<int64_t>(), enrolled);
    EXPECT_EQ(r["cohort"]["unknown_nhs_numbers"].get<int64_t>(), 0);
    EXPECT_EQ(r["comparison"]["control_index"], "emergency_discharge");
    const int64_t matched = r["matched_group"]["size"].get<int64_t>();
    // Comparison people may serve at several index dates; the bootstrap resamples the
    // clusters of pairs that share a person.
    EXPECT_LE(r["matched_group"]["distinct_people"].get<int64_t>(), matched);
    EXPECT_GT(r["matched_group"]["distinct_people"].get<int64_t>(), matched / 2);
    EXPECT_LE(r["matched_group"]["bootstrap_clusters"].get<int64_t>(), matched);
    EXPECT_TRUE(r["effect"].contains("relative_unadjusted"));
    EXPECT_GE(matched, 200);
    EXPECT_TRUE(r["reliable"].get<bool>());
    EXPECT_GE(matched, r["cohort"]["size"].get<int64_t>() * 3 / 4);  // most of the cohort
    const double rel = r["effect"]["relative"].get<double>();
    const double lo = r["effect"]["relative_ci95"][0].get<double>();
    const double hi = r["effect"]["relative_ci95"][1].get<double>();
    const double naive = r["naive"]["relative"].get<double>();
    auto Trace = [&] {
      return fmt::format("seed {} {} true {} estimate {:.3f} ({:.3f} to {:.3f}) naive {:.3f}",
                         sc.seed, outcome, truth, rel, lo, hi, naive);
    };
    SCOPED_TRACE(Trace());
    EXPECT_LE(lo, rel);
    EXPECT_GE(hi, rel);
    const bool covered = lo <= truth && truth <= hi;
    ++coverage->checked;
    coverage->covered += covered;
    if (!covered) std::fprintf(stderr, "interval misses the truth: %s\n", Trace().c_str());
    if (require_truth) {
      EXPECT_TRUE(covered) << "the 95% interval should contain the true effect";
      if (truth == 0) {
        EXPECT_GE(hi, 0.0) << "a scheme that does nothing must not show a saving";
        EXPECT_EQ(r["effect"]["conclusion"].get<std::string>().rfind("reduction", 0),
                  std::string::npos);
      }
    }
    EXPECT_LT(naive, rel) << "the naive before/after should show a larger fall";
    if (outcome == "non_elective_admissions") {
      EXPECT_LT(naive, lo) << "the naive before/after should lie below the interval";
    }
    EXPECT_LT(naive, -0.3);
    EXPECT_LE(r["effect"]["absolute_per_person_year_ci95"][0].get<double>(),
              r["effect"]["absolute_per_person_year"].get<double>());
    bool found = false;
    for (const json& b : r["balance"]) {
      if (b["feature"] != "non_elective_admissions_12m") continue;
      found = true;
      EXPECT_LT(std::abs(b["smd_after"].get<double>()), 0.1);
      EXPECT_LT(std::abs(b["smd_after"].get<double>()), std::abs(b["smd_before"].get<double>()));
    }
    EXPECT_TRUE(found);
    ASSERT_EQ(r["outcomes"].size(), 2u);
    EXPECT_EQ(r["outcomes"][1]["outcome"], "total_cost");
  }
}

class CaretrakCli : public ::testing::Test {
 protected:
  Area& area() { return AreaFor(Scenarios()[0]); }
  std::string List() { return *area().dir / "extracts/interventions/ae.csv"; }
  void LongForm();
  void CarePlanEntry();
  void ExtractEntryEvent(const std::string& type, const std::string& file,
                         const std::string& column, const std::string& value,
                         const std::string& column2, const std::string& value2);
  void BadInput();
  void Browser();
  TempDir scratch_;
};

// ctest runs every test in its own process, so everything that needs the (costly) area is one
// test: the schemes on every scenario, the long form, bad input and the browser check.
TEST_F(CaretrakCli, EndToEndOnAPlantedArea) {
  const std::vector<Scenario> scenarios = Scenarios();
  Coverage coverage;
  for (size_t k = 0; k < scenarios.size(); ++k) {
    for (const char* scheme : {"ne", "ae"}) {
      SCOPED_TRACE(fmt::format("seed {} scheme {}", scenarios[k].seed, scheme));
      CheckScheme(scenarios[k], scheme, /*require_truth=*/k < kDefaultScenarios, &coverage);
    }
  }
  // The sweep: most 95% intervals contain the truth (at least 80%; 13 of 16).
  std::fprintf(stderr, "95%% intervals containing the true effect: %d of %d\n", coverage.covered,
               coverage.checked);
  EXPECT_GE(coverage.covered * 5, coverage.checked * 4);
  {
    SCOPED_TRACE("long form");
    LongForm();
  }
  {
    SCOPED_TRACE("care plan entry event");
    CarePlanEntry();
  }
  {
    SCOPED_TRACE("entry event reablement_start");
    ExtractEntryEvent("reablement_start", "social_care_events.csv", "event_type", "service",
                      "service_type", "reablement");
  }
  {
    SCOPED_TRACE("entry event case_management_start");
    ExtractEntryEvent("case_management_start", "community_contacts.csv", "team_type",
                      "community_matron", "", "");
  }
  {
    SCOPED_TRACE("bad input");
    BadInput();
  }
  {
    SCOPED_TRACE("browser");
    Browser();
  }
}

void CaretrakCli::LongForm() {
  Area& a = area();
  ASSERT_FALSE(!a.report.count("ae"));
  const std::string cohort = scratch_ / "cohort.json";
  testing::WriteFile(cohort, json{{"name", "scheme"},
                                  {"entry", {{"type", "enrolment_list"}, {"file", List()}}},
                                  {"outcomes", {"ae_attendances", "total_cost"}}}
                                 .dump());
  auto c = RunPioneer(
      "caretrak --db " + a.db + " --cohort " + cohort + " --out " + (scratch_ / "out"), scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const json r = json::parse(ReadFile(scratch_ / "out/caretrak.json"));
  EXPECT_EQ(r["effect"], a.report["ae"]["effect"]);
  EXPECT_EQ(r["balance"], a.report["ae"]["balance"]);
  EXPECT_EQ(r["matched_group"]["same_practice"], 0);
  // Exact matching on practice where possible: most pairs share a practice, the rest fall
  // back to the age-sex-admissions cell.
  testing::WriteFile(cohort, json{{"name", "scheme"},
                                  {"entry", {{"type", "enrolment_list"}, {"file", List()}}},
                                  {"outcomes", {"ae_attendances"}},
                                  {"comparison", {{"exact_practice", true}}}}
                                 .dump());
  c = RunPioneer(
      "caretrak --db " + a.db + " --cohort " + cohort + " --out " + (scratch_ / "out_practice"),
      scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const json p = json::parse(ReadFile(scratch_ / "out_practice/caretrak.json"));
  EXPECT_EQ(p["comparison"]["exact_practice"], true);
  const int64_t same = p["matched_group"]["same_practice"].get<int64_t>();
  const int64_t size = p["matched_group"]["size"].get<int64_t>();
  EXPECT_GT(same, size / 2);
  EXPECT_LE(same, size);
  // 1:2 matching without the regression adjustment: each cohort member gets one or two
  // comparison rows (the caliper runs out for some), and the estimate is the matched DiD.
  testing::WriteFile(
      cohort, json{{"name", "scheme"},
                   {"entry", {{"type", "enrolment_list"}, {"file", List()}}},
                   {"outcomes", {"ae_attendances"}},
                   {"comparison", {{"controls_per_case", 2}, {"regression_adjustment", false}}}}
                  .dump());
  c = RunPioneer(
      "caretrak --db " + a.db + " --cohort " + cohort + " --out " + (scratch_ / "out_k2"),
      scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const json k2 = json::parse(ReadFile(scratch_ / "out_k2/caretrak.json"));
  EXPECT_EQ(k2["comparison"]["controls_per_case"], 2);
  const int64_t pairs = k2["matched_group"]["size"].get<int64_t>();
  const int64_t rows = k2["matched_group"]["comparison_rows"].get<int64_t>();
  EXPECT_GT(rows, pairs * 3 / 2) << "most cohort members should find two comparison rows";
  EXPECT_LE(rows, 2 * pairs);
  EXPECT_EQ(k2["effect"]["relative"], k2["effect"]["relative_without_regression_adjustment"]);
  EXPECT_LT(std::abs(k2["balance_max_abs_smd_after"].get<double>()), 0.25);
  // The default (1:1, regression-adjusted) moved the matched estimate.
  EXPECT_EQ(r["comparison"]["regression_adjustment"], true);
  EXPECT_NE(r["effect"]["relative"], r["effect"]["relative_without_regression_adjustment"]);
}

// The entry event "care plan created": the cohort is each person's first plan of the store's
// register (imported from the area's synthetic care plans), counted here from the file.
void CaretrakCli::CarePlanEntry() {
  Area& a = area();
  const std::string plans_csv = *a.dir / "extracts/care_plans/care_plans.csv";
  auto imp = RunPioneer("careplan import --db " + a.db + " " + plans_csv, scratch_);
  ASSERT_LE(imp.exit_code, 1) << imp.err;
  // People with at least one valid plan (a valid NHS Number: the mistyped ones are rejected).
  std::set<std::string> people;
  std::istringstream in(ReadFile(plans_csv));
  std::string line;
  std::getline(in, line);
  while (std::getline(in, line)) {
    const std::string nhs = line.substr(line.find(',') + 1, 10);
    if (NhsNumber::Parse(nhs)) people.insert(nhs);
  }
  const std::string cohort = scratch_ / "plans.json";
  testing::WriteFile(cohort, json{{"name", "care_plans"},
                                  {"entry", {{"type", "care_plan_created"}}},
                                  {"outcomes", {"non_elective_admissions"}}}
                                 .dump());
  const std::string out = scratch_ / "out_plans";
  auto c = RunPioneer("caretrak --db " + a.db + " --cohort " + cohort + " --out " + out, scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const json r = json::parse(ReadFile(out + "/caretrak.json"));
  EXPECT_EQ(r["cohort"]["enrolment_rows"].get<size_t>() - r["cohort"]["duplicates"].get<size_t>() -
                r["cohort"]["unknown_nhs_numbers"].get<size_t>(),
            people.size());
  EXPECT_GT(r["matched_group"]["size"].get<int64_t>(), 20);
  EXPECT_TRUE(r["effect"].contains("relative_ci95"));
}

// An entry event read from an extract: each person's first event of the kind. The cohort is
// counted here from the extract file (rows with a valid NHS Number: the store refuses the
// others), and must be evaluated like any other.
void CaretrakCli::ExtractEntryEvent(const std::string& type, const std::string& file,
                                    const std::string& column, const std::string& value,
                                    const std::string& column2, const std::string& value2) {
  Area& a = area();
  std::istringstream in(ReadFile(*a.dir / ("extracts/" + file)));
  std::string line;
  std::getline(in, line);
  auto split = [](const std::string& l) {
    std::vector<std::string> f;
    std::stringstream ss(l);
    for (std::string x; std::getline(ss, x, ',');) f.push_back(x);
    if (!l.empty() && l.back() == ',') f.push_back("");
    return f;
  };
  const std::vector<std::string> header = split(line);
  auto col = [&](const std::string& name) {
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const size_t nhs = col("nhs_number"), c1 = col(column), c2 = column2.empty() ? 0 : col(column2);
  ASSERT_LT(nhs, header.size());
  ASSERT_LT(c1, header.size());
  int64_t rows = 0;
  std::set<std::string> people;
  while (std::getline(in, line)) {
    const std::vector<std::string> f = split(line);
    if (f.size() != header.size() || f[c1] != value) continue;
    if (!column2.empty() && f[c2] != value2) continue;
    if (!NhsNumber::Parse(f[nhs])) continue;
    ++rows;
    people.insert(f[nhs]);
  }
  ASSERT_GT(people.size(), 100u) << "too few " << type << " events to test on";
  const std::string cohort = scratch_ / (type + ".json");
  testing::WriteFile(cohort, json{{"name", type},
                                  {"entry", {{"type", type}}},
                                  {"outcomes", {"non_elective_admissions", "total_cost"}}}
                                 .dump());
  const std::string out = scratch_ / ("out_" + type);
  auto c = RunPioneer("caretrak --db " + a.db + " --cohort " + cohort + " --out " + out, scratch_);
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const json r = json::parse(ReadFile(out + "/caretrak.json"));
  EXPECT_EQ(r["cohort"]["entry"], type);
  EXPECT_EQ(r["cohort"]["enrolment_rows"].get<int64_t>(), rows);
  EXPECT_EQ(r["cohort"]["enrolment_rows"].get<int64_t>() - r["cohort"]["duplicates"].get<int64_t>(),
            static_cast<int64_t>(people.size()));
  EXPECT_EQ(r["cohort"]["unknown_nhs_numbers"].get<int64_t>(), 0);
  // First events too early for the look-back or too late for the follow-up are counted out.
  EXPECT_GT(r["cohort"]["excluded_outside_data_window"].get<int64_t>(), 0);
  EXPECT_LE(r["cohort"]["size"].get<int64_t>() +
                r["cohort"]["excluded_outside_data_window"].get<int64_t>(),
            static_cast<int64_t>(people.size()));
  EXPECT_GE(r["matched_group"]["size"].get<int64_t>(), 20);
  EXPECT_TRUE(r["effect"].contains("relative_ci95"));
}

void CaretrakCli::BadInput() {
  Area& a = area();
  const std::string out = scratch_ / "out";
  // Unknown cohort field.
  const std::string cohort = scratch_ / "c.json";
  testing::WriteFile(cohort, R"({"entry": {"type": "enrolment_list", "file": "x.csv"},
      "outcomes": ["bed_days"], "follow_up": 12})");
  auto c = RunPioneer("caretrak --db " + a.db + " --cohort " + cohort + " --out " + out, scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("unknown field 'follow_up'"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("c.json"), std::string::npos) << c.err;
  // Unknown outcome.
  c = RunPioneer(
      "caretrak --db " + a.db + " --enrolment " + List() + " --outcome beds --out " + out,
      scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("bed_days"), std::string::npos) << c.err;
  // Empty cohort: a header only.
  const std::string empty = scratch_ / "empty.csv";
  testing::WriteFile(empty, "nhs_number,enrolment_date\n");
  c = RunPioneer(
      "caretrak --db " + a.db + " --enrolment " + empty + " --outcome ae_attendances --out " + out,
      scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("empty.csv: the cohort is empty"), std::string::npos) << c.err;
  // Too small to match: the first five people of the list.
  std::istringstream in(ReadFile(List()));
  std::string line, small = "", first_number;
  for (int k = 0; k < 6 && std::getline(in, line); ++k) {
    small += line + "\n";
    if (k == 1) first_number = line.substr(0, 10);
  }
  const std::string small_csv = scratch_ / "small.csv";
  testing::WriteFile(small_csv, small);
  c = RunPioneer("caretrak --db " + a.db + " --enrolment " + small_csv +
                     " --outcome ae_attendances --out " + out,
                 scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("too small to match"), std::string::npos) << c.err;
  // Follow-up past the end of the data.
  c = RunPioneer("caretrak --db " + a.db + " --enrolment " + List() +
                     " --outcome ae_attendances --follow-up 30 --out " + out,
                 scratch_);
  EXPECT_EQ(c.exit_code, 2);
  EXPECT_NE(c.err.find("follow-up past the end of the data"), std::string::npos) << c.err;
  // Bad rows are counted and named by line and field; unknown numbers counted; no number is
  // printed.
  const std::string bad = scratch_ / "bad.csv";
  testing::WriteFile(bad, ReadFile(List()) + "1234567890,2015-01-01\n" + first_number +
                              ",2015-13-01\n" + std::string("9434765919") + ",2015-01-01\n");
  c = RunPioneer("caretrak --db " + a.db + " --enrolment " + bad +
                     " --outcome non_elective_admissions --out " + out,
                 scratch_);
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.err.find("field nhs_number: not a valid NHS Number"), std::string::npos) << c.err;
  EXPECT_NE(c.err.find("field enrolment_date: not a date"), std::string::npos) << c.err;
  EXPECT_EQ(c.err.find(first_number), std::string::npos) << "an NHS Number was printed";
  EXPECT_EQ(c.err.find("1234567890"), std::string::npos) << "an NHS Number was printed";
  const json r = json::parse(ReadFile(out + "/caretrak.json"));
  EXPECT_EQ(r["cohort"]["bad_rows"], 2);
  EXPECT_NE(r.dump().find("unknown_nhs_numbers\":1"), std::string::npos);
  // Outputs never overwrite inputs.
  c = RunPioneer("caretrak --db " + (scratch_ / "caretrak.json") + " --enrolment " + List() +
                     " --outcome ae_attendances --out " + scratch_.path().string(),
                 scratch_);
  EXPECT_EQ(c.exit_code, 2);
}

TEST_F(CaretrakCli, ZeroEffectLeavesEveryExtractByteIdentical) {
  auto plain = RunPioneer("synth --population 1500 --seed 5 --threads 2 --skip-calibration --out " +
                              (scratch_ / "plain"),
                          scratch_);
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  auto planted = RunPioneer(
      "synth --population 1500 --seed 5 --threads 2 --skip-calibration --intervention "
      "a:non_elective_admissions:0 --intervention b:ae_attendances:0 --out " +
          (scratch_ / "planted"),
      scratch_);
  ASSERT_EQ(planted.exit_code, 0) << planted.err;
  int compared = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(scratch_ / "plain")) {
    if (!e.is_regular_file()) continue;
    const auto rel = std::filesystem::relative(e.path(), scratch_ / "plain");
    EXPECT_EQ(ReadFile(e.path()), ReadFile(scratch_ / ("planted/" + rel.string()))) << rel;
    ++compared;
  }
  EXPECT_GT(compared, 10);
  EXPECT_TRUE(std::filesystem::exists(scratch_ / "planted/interventions/a.csv"));
  EXPECT_TRUE(std::filesystem::exists(scratch_ / "planted/interventions/b.csv"));
  EXPECT_FALSE(std::filesystem::exists(scratch_ / "plain/interventions"));
  // Bad specifications.
  for (const char* spec :
       {"x:beds:-0.2", "x:non_elective_admissions:0.5", "X:ae_attendances:0", "x:ae_attendances"}) {
    auto r = RunPioneer(std::string("synth --population 200 --skip-calibration --intervention ") +
                            spec + " --out " + (scratch_ / "bad"),
                        scratch_);
    EXPECT_EQ(r.exit_code, 2) << spec;
    EXPECT_NE(r.err.find("--intervention"), std::string::npos) << r.err;
  }
}

void CaretrakCli::Browser() {
  Area& a = area();
  ASSERT_FALSE(!a.report.count("ae"));
  if (!testing::HasPageChecker()) {
    GTEST_SKIP() << testing::WebModules()
                 << "/playwright-core is missing: run scripts/install-deps.sh";
  }
  const auto page = testing::CheckPageInChromium(*a.dir / "out_ae/caretrak.html", "caretrak.png");
  const std::string& out = page.out;
  EXPECT_EQ(page.exit_code, 0) << out;
  for (const char* id : {"monthly-0", "effect-0", "monthly-1", "balance"}) {
    EXPECT_NE(out.find(std::string("\"id\": \"") + id + "\""), std::string::npos) << out;
  }
}

}  // namespace
}  // namespace pioneer
