// Data-driven worked examples for the BCF metrics (tests/metrics/<metric_id>/, see the README
// there): every expectation is checked with both engines, disclosure control off.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "testing/release_util.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunPioneer;
using testing::SourceDir;
using testing::TempDir;
using testing::TestNhsNumber;
using testing::WriteFile;

// Drops comment lines and trailing " # ..." comments; replaces {Pn} with test NHS Numbers.
std::string Prepare(const std::string& text) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t c = line.find(" #");
    if (c != std::string::npos) line = line.substr(0, c);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    // {Pn} -> the n-th test NHS Number (plain scanning: std::regex trips -Werror under ASan).
    std::string replaced;
    for (size_t i = 0; i < line.size();) {
      if (line.compare(i, 2, "{P") == 0) {
        size_t j = i + 2;
        while (j < line.size() && line[j] >= '0' && line[j] <= '9') ++j;
        if (j > i + 2 && j < line.size() && line[j] == '}') {
          replaced += TestNhsNumber(std::stoi(line.substr(i + 2, j - i - 2)));
          i = j + 1;
          continue;
        }
      }
      replaced += line[i++];
    }
    out += replaced + "\n";
  }
  return out;
}

class MetricsWorkedExample : public ::testing::TestWithParam<std::string> {};

TEST_P(MetricsWorkedExample, BothEnginesMatchHandComputation) {
  fs::path dir = fs::path(SourceDir()) / "tests" / "metrics" / GetParam();
  TempDir tmp;
  std::string extracts = tmp / "extracts";
  // Not extracts: objections.csv is imported with `pioneer objections import`, care_plans.csv
  // with `pioneer careplan import`, and risk_strata.csv is inserted into the risk_strata table
  // (as `pioneer risk score --save-strata` writes it).
  const std::string objections = tmp / "objections.csv";
  const std::string care_plans = tmp / "care_plans.csv";
  std::string strata;
  bool has_objections = false, has_care_plans = false;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().filename() == "objections.csv") {
      WriteFile(objections, Prepare(ReadFile(f.path())));
      has_objections = true;
    } else if (f.path().filename() == "care_plans.csv") {
      WriteFile(care_plans, Prepare(ReadFile(f.path())));
      has_care_plans = true;
    } else if (f.path().filename() == "risk_strata.csv") {
      strata = Prepare(ReadFile(f.path()));
    } else if (f.path().extension() == ".csv") {
      WriteFile(extracts + "/" + f.path().filename().string(), Prepare(ReadFile(f.path())));
    }
  }
  std::string db = tmp / "m.db";
  auto r = RunPioneer("ingest --db " + db + " " + extracts, tmp);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  if (has_objections) {
    r = RunPioneer("objections import --db " + db + " " + objections, tmp);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  if (has_care_plans) {
    r = RunPioneer("careplan import --db " + db + " " + care_plans, tmp);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  if (!strata.empty()) {
    // Header: nhs_number,index_date,model_id,practice,age,top2_practice,top4_practice,loa_band
    std::istringstream in(strata);
    std::string row;
    std::getline(in, row);
    ASSERT_EQ(row,
              "nhs_number,index_date,model_id,practice,age,top2_practice,top4_practice,"
              "loa_band");
    while (std::getline(in, row)) {
      std::vector<std::string> f;
      std::istringstream fields(row);
      for (std::string v; std::getline(fields, v, ',');) f.push_back(v);
      ASSERT_EQ(f.size(), 8u) << row;
      const std::vector<store::Param> params = {store::Param::Of(f[0]),
                                                store::Param::Of(f[1]),
                                                store::Param::Of(f[2]),
                                                store::Param::Of(f[3]),
                                                store::Param::Of(int64_t{std::stoi(f[4])}),
                                                store::Param::Of(int64_t{std::stoi(f[5])}),
                                                store::Param::Of(int64_t{std::stoi(f[6])}),
                                                store::Param::Of(int64_t{std::stoi(f[7])})};
      auto ins = (*store)->Execute(
          "INSERT INTO risk_strata(nhs_number, index_date, model_id, practice, age, "
          "top2_practice, top4_practice, loa_band, saved_at) "
          "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '2014-04-02T00:00:00Z')",
          params);
      ASSERT_TRUE(ins.ok()) << ins.status().ToString();
    }
  }
  // Nothing may be quarantined: a worked example's rows must all be read as written.
  int64_t quarantined = -1;
  ASSERT_TRUE((*store)
                  ->Query("SELECT count(*) FROM quarantine", {},
                          [&](const store::RowView& row) { quarantined = row.Int(0); })
                  .ok());
  EXPECT_EQ(quarantined, 0) << "fixture rows were quarantined";
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok());

  const ig::AggregateRelease exact_release = testing::ReconciliationRelease(**store);
  const ig::AggregateRelease include_release =
      testing::ReconciliationRelease(**store, /*include_objectors=*/true);
  metrics::SwitchValues overrides;
  metrics::Breakdown breakdown = metrics::Breakdown::kNone;
  std::istringstream expected(ReadFile((dir / "expected.txt").string()));
  std::string line;
  int checked = 0;
  std::unique_ptr<timeline::Timeline> t;
  std::unique_ptr<metrics::FastEngine> fast;
  metrics::SwitchValues built_for;
  metrics::SqlEngine sql(**store);
  while (std::getline(expected, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream ls(line);
    std::string verb;
    ls >> verb;
    if (verb == "switch") {
      std::string kv;
      ls >> kv;
      if (kv == "reset") {
        overrides.clear();
      } else {
        overrides[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
      }
      continue;
    }
    if (verb == "breakdown") {
      std::string name;
      ls >> name;
      auto b = metrics::ParseBreakdown(name);
      ASSERT_TRUE(b.has_value()) << line;
      breakdown = *b;
      continue;
    }
    ASSERT_EQ(verb, "expect") << line;
    std::string metric, period_text, group;
    ls >> metric >> period_text >> group;
    // key=number, key=none (the value must be absent), flags=a,b (or flags=none).
    std::map<std::string, double> want;
    std::set<std::string> want_absent;
    std::optional<std::string> want_flags;
    std::string kv;
    while (ls >> kv) {
      std::string key = kv.substr(0, kv.find('=')), val = kv.substr(kv.find('=') + 1);
      if (key == "flags") {
        want_flags = val == "none" ? "" : val;
      } else if (val == "none") {
        want_absent.insert(key);
      } else {
        want[key] = std::stod(val);
      }
    }
    auto period = Period::Parse(period_text);
    ASSERT_TRUE(period.has_value()) << period_text;
    // Exact figures, from the gate: a worked example checks the counts before disclosure
    // control. objections.secondary_use is gated too: `switch objections.secondary_use=include`
    // asks the gate to count objectors.
    auto o = overrides;
    const bool include_objectors =
        o.count("objections.secondary_use") && o.at("objections.secondary_use") == "include";
    o.erase("objections.secondary_use");
    auto sw = metrics::ResolveSwitches(o, include_objectors ? include_release : exact_release);
    ASSERT_TRUE(sw.ok()) << sw.status().ToString();
    // One timeline and fast engine per switch setting (built again only when a `switch` line
    // changed the values in force).
    if (!fast || *sw != built_for) {
      auto catalogue = metrics::BuildCatalogue(*sw);
      auto built =
          timeline::Timeline::Build(**store, {}, metrics::RequiredTimelineOptions(catalogue));
      ASSERT_TRUE(built.ok()) << built.status().ToString();
      fast.reset();
      t = std::make_unique<timeline::Timeline>(std::move(*built));
      fast = std::make_unique<metrics::FastEngine>(*t, *ref);
      built_for = *sw;
    }
    for (metrics::CountingEngine* engine : {static_cast<metrics::CountingEngine*>(fast.get()),
                                            static_cast<metrics::CountingEngine*>(&sql)}) {
      auto rep =
          metrics::Evaluate(*engine, *ref, *sw, {{period_text, *period}}, breakdown, {metric});
      ASSERT_TRUE(rep.ok()) << rep.status().ToString();
      const metrics::MetricValue* v = nullptr;
      for (const auto& x : rep->values) {
        if (x.group == group) v = &x;
      }
      ASSERT_NE(v, nullptr) << line;
      std::string where = engine->name() + ": " + line;
      auto check = [&](const char* key, std::optional<double> got) {
        if (want_absent.count(key)) {
          EXPECT_FALSE(got.has_value()) << key << " should be absent; " << where;
          return;
        }
        if (!want.count(key)) return;
        ASSERT_TRUE(got.has_value()) << key << " missing; " << where;
        EXPECT_NEAR(*got, want[key], 0.01) << key << "; " << where;
      };
      check("numerator", v->numerator);
      check("denominator", v->denominator
                               ? std::optional<double>(static_cast<double>(*v->denominator))
                               : std::nullopt);
      check("rate", v->rate);
      check("dsr", v->standardised_rate);
      check("ci_lower", v->ci_lower);
      check("ci_upper", v->ci_upper);
      if (want_flags) {
        std::string flags;
        for (const auto& f : v->flags) flags += (flags.empty() ? "" : ",") + f;
        EXPECT_EQ(flags, *want_flags) << where;
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 0);
}

std::vector<std::string> ExampleDirs() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(SourceDir()) / "tests" / "metrics")) {
    if (e.is_directory()) out.push_back(e.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

INSTANTIATE_TEST_SUITE_P(Metrics, MetricsWorkedExample, ::testing::ValuesIn(ExampleDirs()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pioneer
