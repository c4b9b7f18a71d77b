// Attacks the disclosure-controlled outputs (bcf-metrics.md 1.9; docs/metrics.md "Disclosure
// control") and fails if anything suppressed or rounded away can be recovered.
//
// 1. Indistinguishability (every published field, text / JSON / CSV): for every value of a
//    small synthetic area (breakdown none and practice; months, quarters and years), every
//    alternative true numerator in the same rounding bucket (and, for denominators that are
//    counts, every alternative true denominator) must publish exactly the same text, JSON and
//    CSV. If they all publish the same, no attacker -- whatever arithmetic they try on the
//    published rate, interval, standardised rate or denominator -- can tell them apart.
// 2. The attacks an analyst found (the real `pioneer metrics` JSON and CSV): rate x
//    denominator / unit, and proportion x denominator, never give back an exact numerator
//    that differs from the published (rounded) one; suppressed values publish no figure
//    derived from their numerator.
// 3. Workbook and dashboard: they read metric values only from the disclosure-controlled
//    report (report/measure.h evaluates with disclosure control on; their figures are the
//    published values put on the plan's footing), so (1) covers them. The money models' facts
//    (reablement starts and length, discharges by weekday) are catalogue metrics too
//    (report::MeasureFacts); how their published values become facts is checked here with
//    hand-made values, and report_outputs_test checks that a dashboard built from a store
//    shows no unprotected count.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "pioneer/ig/audit.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/run.h"
#include "pioneer/report/measure.h"
#include "pioneer/report/report_data.h"
#include "pioneer/store/store.h"
#include "testing/release_util.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::RunPioneerWithInput;
using testing::TempDir;

double Round5(double v) { return std::round(v / 5) * 5; }

class DisclosureAttack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    auto s = RunPioneer("synth --population 1500 --seed 11 --threads 1 --skip-calibration --out " +
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
  static std::string Db() { return *dir_ / "area.db"; }
  static TempDir* dir_;
};
TempDir* DisclosureAttack::dir_ = nullptr;

// Every published rendering of one value: its JSON object, its CSV row and its text row.
std::string Publish(const metrics::MetricsReport& exact, const metrics::MetricDefinition& d,
                    metrics::MetricValue v) {
  metrics::MetricsReport one;
  one.definitions = {d};
  one.switches = exact.switches;
  one.breakdown = exact.breakdown;
  one.engine = exact.engine;
  one.data_as_of = exact.data_as_of;
  one.values = {std::move(v)};
  metrics::ApplyDisclosureControl(one);
  return metrics::ReportJson(one)["metrics"][0]["values"].dump() + "\n" + metrics::ReportCsv(one) +
         metrics::ReportTable(one);
}

// The same value as it would be if the exact numerator were x and the exact denominator y
// (rates, standardised rates and intervals scale with them: a leak in any of them shows).
metrics::MetricValue Counterfactual(const metrics::MetricValue& v, double x,
                                    std::optional<int64_t> y) {
  metrics::MetricValue w = v;
  const double n = *v.numerator;
  const double f = (n > 0 ? x / n : 1.0) *
                   (y && v.denominator && *y > 0 ? static_cast<double>(*v.denominator) / *y : 1.0);
  w.numerator = x;
  if (y) w.denominator = y;
  for (auto* r : {&w.rate, &w.rate_ci_lower, &w.rate_ci_upper, &w.standardised_rate, &w.ci_lower,
                  &w.ci_upper}) {
    if (*r) *r = **r * f;
  }
  return w;
}

TEST_F(DisclosureAttack, PublishedFieldsDependOnlyOnProtectedNumbers) {
  int64_t checked = 0, alternatives = 0;
  for (metrics::Breakdown b : {metrics::Breakdown::kNone, metrics::Breakdown::kPractice}) {
    auto store = store::Store::OpenSqlite(Db());
    ASSERT_TRUE(store.ok());
    metrics::EvaluateStoreOptions o;
    o.range = *Period::Parse("2013-04..2016-03");
    o.granularities = {metrics::Granularity::kMonth, metrics::Granularity::kQuarter,
                       metrics::Granularity::kYear};
    o.breakdown = b;
    o.release = testing::ReconciliationRelease(**store);
    auto exact = metrics::EvaluateStore(**store, o);
    ASSERT_TRUE(exact.ok()) << exact.status().ToString();
    for (const auto& v : exact->values) {
      if (!v.numerator || v.group.find('|') != std::string::npos) continue;  // profiles: below
      const metrics::MetricDefinition* d = metrics::FindMetric(exact->definitions, v.metric_id);
      ASSERT_NE(d, nullptr);
      const double n = *v.numerator;
      const bool count_den = d->denominator_kind == metrics::DenominatorKind::kMetric;
      const std::string real = Publish(*exact, *d, v);
      ++checked;
      // Alternative true numerators that publish the same rounded count.
      std::vector<double> xs;
      if (n >= 1 && n <= 7) {
        for (int x = 1; x <= 7; ++x) xs.push_back(x);  // suppressed: all of 1-7 look alike
      } else if (n >= 8) {
        for (double x = n - 4; x <= n + 4; ++x) {
          if (x >= 8 && Round5(x) == Round5(n) &&
              (!v.denominator || !count_den || x <= static_cast<double>(*v.denominator)))
            xs.push_back(x);
        }
      }
      for (double x : xs) {
        ++alternatives;
        ASSERT_EQ(Publish(*exact, *d, Counterfactual(v, x, std::nullopt)), real)
            << v.metric_id << " " << v.period_label << " " << v.group << ": numerator " << n
            << " is distinguishable from " << x;
      }
      // Alternative true denominators (counts of records or people) in the same bucket.
      if (count_den && v.denominator && *v.denominator >= 8) {
        const int64_t den = *v.denominator;
        for (int64_t y = den - 4; y <= den + 4; ++y) {
          if (y < 8 || y < n || Round5(static_cast<double>(y)) != Round5(static_cast<double>(den)))
            continue;
          ++alternatives;
          ASSERT_EQ(Publish(*exact, *d, Counterfactual(v, n, y)), real)
              << v.metric_id << " " << v.period_label << " " << v.group << ": denominator " << den
              << " is distinguishable from " << y;
        }
      }
    }
  }
  EXPECT_GT(checked, 1000);  // the attack ran on a real report, not on nothing
  EXPECT_GT(alternatives, 1000);
}

// The analyst's attacks on the real command's JSON and CSV.
TEST_F(DisclosureAttack, RatesAndProportionsDoNotGiveBackRoundedAwayNumerators) {
  {
    auto store = store::Store::OpenSqlite(Db());
    ASSERT_TRUE(store.ok());
    testing::AddTestIgOfficer(**store);
  }
  auto exact = RunPioneerWithInput(
      "metrics --db " + Db() +
          " --period 2013-04..2016-03 --every quarter --by practice --json --reconcile "
          "'reconciling the attack figures' --password-stdin --as " +
          testing::kTestIgOfficer,
      testing::kTestIgOfficerPassword, *dir_);
  auto pub = RunPioneer(
      "metrics --db " + Db() + " --period 2013-04..2016-03 --every quarter --by practice --json",
      *dir_);
  ASSERT_EQ(exact.exit_code, 0) << exact.err;
  ASSERT_EQ(pub.exit_code, 0) << pub.err;
  auto je = nlohmann::json::parse(exact.out), jp = nlohmann::json::parse(pub.out);
  ASSERT_EQ(je["metrics"].size(), jp["metrics"].size());
  int attacked = 0, suppressed = 0;
  for (size_t m = 0; m < je["metrics"].size(); ++m) {
    const auto& em = je["metrics"][m];
    const auto& pm = jp["metrics"][m];
    const std::string unit = pm["unit"];
    const double scale = unit == "per 100,000" ? 1e5
                         : unit == "per 1,000" ? 1e3
                         : unit == "%"         ? 100
                                               : 0;
    ASSERT_EQ(em["values"].size(), pm["values"].size()) << em["id"];
    for (size_t i = 0; i < pm["values"].size(); ++i) {
      const auto& e = em["values"][i];
      const auto& p = pm["values"][i];
      if (e["numerator"].is_null() || std::string(p["group"]).find('|') != std::string::npos)
        continue;
      const double n = e["numerator"];
      if (p["suppressed"].get<bool>()) {
        ++suppressed;
        for (const char* k : {"numerator", "rate", "rate_ci95_lower", "rate_ci95_upper",
                              "standardised_rate", "ci95_lower", "ci95_upper"})
          EXPECT_TRUE(p[k].is_null()) << em["id"] << " publishes " << k << " of a suppressed value";
        continue;
      }
      if (p["rate"].is_null() || p["denominator"].is_null() || scale == 0 || n < 8) continue;
      const double published = p["numerator"];
      if (published == n) continue;  // nothing was rounded away
      ++attacked;
      // rate x denominator / unit (per month: x months is at most 3 for a quarter).
      for (double months : {1.0, 3.0}) {
        double back = p["rate"].get<double>() * p["denominator"].get<double>() / scale * months;
        EXPECT_NE(std::llround(back), std::llround(n))
            << em["id"] << " " << p["period"] << " " << p["group"] << ": rate " << p["rate"]
            << " x denominator " << p["denominator"] << " gives back the exact numerator " << n;
      }
    }
  }
  EXPECT_GT(attacked, 20);
  EXPECT_GT(suppressed, 20);
}

// Rule R23 (docs/ig.md): exact figures only for an IG officer the gate signed in, with a
// reason; no switch or flag turns disclosure control or the objection rule off; grants and
// refusals are in the audit trail.
TEST_F(DisclosureAttack, OnlyTheGateReleasesExactFiguresToAnIgOfficer) {
  const std::string base =
      "metrics --db " + Db() + " --period 2014-04..2015-03 --every year --json";
  for (const char* forced :
       {" --set disclosure.apply=false", " --set objections.secondary_use=include"}) {
    auto r = RunPioneer(base + forced, *dir_);
    EXPECT_EQ(r.exit_code, 2) << forced;
    EXPECT_NE(r.err.find("decided by the IG gate"), std::string::npos) << r.err;
  }
  EXPECT_EQ(RunPioneer(base + " --no-disclosure-control", *dir_).exit_code, 2);
  auto add = RunPioneerWithInput("users add --db " + Db() +
                                     " --username analyst-a --role analyst --org B86001 "
                                     "--password-stdin",
                                 "analyst-password-1", *dir_);
  ASSERT_EQ(add.exit_code, 0) << add.err;
  const std::string reconcile = " --reconcile 'checking the SUS extract' --password-stdin --as ";
  auto analyst = RunPioneerWithInput(base + reconcile + "analyst-a", "analyst-password-1", *dir_);
  EXPECT_EQ(analyst.exit_code, 2);
  EXPECT_NE(analyst.err.find("only an IG officer"), std::string::npos) << analyst.err;
  EXPECT_TRUE(analyst.out.empty());
  {
    auto store = store::Store::OpenSqlite(Db());
    ASSERT_TRUE(store.ok());
    testing::AddTestIgOfficer(**store);
  }
  auto wrong =
      RunPioneerWithInput(base + reconcile + testing::kTestIgOfficer, "not-the-password", *dir_);
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("sign-in failed"), std::string::npos) << wrong.err;
  EXPECT_EQ(wrong.err.find("not-the-password"), std::string::npos) << "password echoed";
  auto terse = RunPioneerWithInput(
      base + " --reconcile why --password-stdin --as " + testing::kTestIgOfficer,
      testing::kTestIgOfficerPassword, *dir_);
  EXPECT_EQ(terse.exit_code, 2);
  EXPECT_NE(terse.err.find("at least 10 characters"), std::string::npos) << terse.err;
  auto published = RunPioneer(base, *dir_);
  auto granted =
      RunPioneerWithInput(base + reconcile + testing::kTestIgOfficer + " --include-objectors",
                          testing::kTestIgOfficerPassword, *dir_);
  ASSERT_EQ(published.exit_code, 0) << published.err;
  ASSERT_EQ(granted.exit_code, 0) << granted.err;
  auto jp = nlohmann::json::parse(published.out), jg = nlohmann::json::parse(granted.out);
  EXPECT_EQ(jp["release"], "published");
  EXPECT_TRUE(jp["disclosure_control"].get<bool>());
  EXPECT_FALSE(jg["disclosure_control"].get<bool>());
  EXPECT_NE(jg["release"].get<std::string>().find("reconciliation granted"), std::string::npos);
  EXPECT_NE(jg["release"].get<std::string>().find("objectors included"), std::string::npos);
  for (const auto& sw : jg["switches"]) {
    if (sw["name"] == "objections.secondary_use") {
      EXPECT_EQ(sw["value"], "include");
    }
    if (sw["name"] == "disclosure.apply") {
      EXPECT_EQ(sw["value"], "false");
    }
  }
  // The audit trail holds the refusal and the grant, with the reasons, and no figures.
  auto store = store::Store::OpenExistingSqlite(Db());
  ASSERT_TRUE(store.ok());
  std::vector<std::string> seen;
  ig::AuditQuery q;
  q.limit = 1000;
  int64_t total = 0;
  auto entries = ig::AuditLog(**store).Search(q, &total);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  for (const ig::AuditEntry& e : *entries) {
    if (e.action == "aggregates.release") {
      seen.push_back(e.role + "|" + e.outcome + "|" + e.reason + "|" + e.returned);
    }
  }
  // (ctest runs each test on its own; other tests of the suite ask the gate with other reasons.)
  const std::vector<std::string> want = {
      "analyst|denied|checking the SUS extract|pioneer metrics: small numbers shown",
      "ig_officer|granted|checking the SUS extract|pioneer metrics: small numbers shown, "
      "objectors included"};
  std::vector<std::string> ours;
  for (const auto& e : seen) {
    if (e.find("checking the SUS extract") != std::string::npos) ours.push_back(e);
  }
  EXPECT_EQ(ours, want);
}

TEST(DisclosureFacts, TheReportsActivityFactsAreThePublishedMetricValues) {
  // Exact values as an engine would count them, published by the metrics' own disclosure
  // control, then copied into the report's facts.
  const auto catalogue = metrics::BuildCatalogue(*metrics::ResolveSwitches({}));
  metrics::MetricsReport r;
  for (const char* id :
       {"reablement_starts", "reablement_mean_days", "seven_day_discharges_all_providers"}) {
    r.definitions.push_back(*metrics::FindMetric(catalogue, id));
  }
  auto value = [&](const char* id, const char* label, const std::string& group, double n,
                   std::optional<int64_t> den = std::nullopt) {
    metrics::MetricValue v;
    v.metric_id = id;
    v.period_label = label;
    v.group = group;
    v.numerator = n;
    v.denominator = den;
    if (den) v.rate = n / static_cast<double>(*den);
    r.values.push_back(v);
  };
  value("reablement_starts", "2013/14", "all", 13);
  value("reablement_starts", "2014/15", "all", 6);
  value("reablement_starts", "2015/16", "all", 0);
  value("reablement_mean_days", "span", "all", 423, 9);  // 9 ended: 10 published, 425 days
  const int64_t days[] = {101, 3, 0, 12, 8, 7, 22};
  const char* names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (int k = 0; k < 7; ++k) {
    value("seven_day_discharges_all_providers", "2014/15", std::string("all|") + names[k],
          static_cast<double>(days[k]));
  }
  metrics::ApplyDisclosureControl(r);
  report::StoreFacts f;
  std::vector<report::NamedPeriod> periods;
  for (const char* label : {"2013/14", "2014/15", "2015/16"}) {
    periods.push_back({label, *Period::Parse(label)});
  }
  report::PutActivityFacts(r.values, periods, "span", f);
  EXPECT_EQ(f.reablement_starts.at("2013/14"), 15);
  EXPECT_EQ(f.reablement_starts.count("2014/15"), 0u);  // 6: suppressed, not shown
  EXPECT_EQ(f.reablement_starts.at("2015/16"), 0);
  EXPECT_EQ(f.discharges_by_weekday, (std::vector<int64_t>{100, -1, 0, 10, 10, -1, 20}));
  // 425 published days over 10 published episodes: 42.5 days, 6.07 weeks (from the published
  // figures, never the exact 47.0 days).
  ASSERT_TRUE(f.mean_reablement_weeks.has_value());
  EXPECT_NEAR(*f.mean_reablement_weeks, 42.5 / 7.0, 0.01);
}

}  // namespace
}  // namespace pioneer
