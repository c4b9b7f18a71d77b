// Differential test: the fast timeline engine and the SQL reference engine must count exactly
// the same records for every metric, period, breakdown and switch setting, on random
// synthetic areas (small populations so CI stays fast).
#include <gtest/gtest.h>

#include "pioneer/metrics/drill_down.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;

class MetricsDifferential : public ::testing::TestWithParam<int> {};

TEST_P(MetricsDifferential, FastAndReferenceEnginesAgree) {
  TempDir tmp;
  synth::SynthOptions so;
  so.population = 500;
  so.seed = static_cast<uint64_t>(GetParam());
  so.out_dir = tmp / "area";
  so.threads = 1;
  auto gen = synth::GenerateArea(so);
  ASSERT_TRUE(gen.ok()) << gen.status().ToString();
  std::string db = tmp / "m.db";
  auto r = RunPioneer("ingest --db " + db + " " + so.out_dir, tmp);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;  // 1: rows quarantined (faults)
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok());

  auto range = Period::Parse("2012-04..2016-03");
  std::vector<metrics::LabelledPeriod> periods =
      metrics::MakePeriods(*range, metrics::Granularity::kMonth);
  for (auto& y : metrics::MakePeriods(*range, metrics::Granularity::kYear)) periods.push_back(y);

  const std::vector<metrics::SwitchValues> variants = {
      {},
      {{"composite.deduplicate_spells", "true"},
       {"nel.method_set", "mar"},
       {"falls.exclude_transfers", "true"},
       {"falls.cause_positions", "any_secondary"},
       {"lrti.include_optional_codes", "true"}},
  };
  int64_t total_counted = 0;
  for (const auto& v : variants) {
    auto sw = metrics::ResolveSwitches(v);
    ASSERT_TRUE(sw.ok());
    auto catalogue = metrics::BuildCatalogue(*sw);
    auto t = timeline::Timeline::Build(**store, {}, metrics::RequiredTimelineOptions(catalogue));
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    metrics::FastEngine fast(*t, *ref);
    metrics::SqlEngine sql(**store);
    for (const auto& d : catalogue) {
      metrics::Expr pred = metrics::EffectivePredicate(catalogue, d);
      for (metrics::Breakdown b : d.breakdowns) {
        metrics::CountRequest req{periods, b};
        auto a = fast.Count(d, pred, req);
        auto s = sql.Count(d, pred, req);
        ASSERT_TRUE(a.ok()) << a.status().ToString();
        ASSERT_TRUE(s.ok()) << s.status().ToString();
        EXPECT_EQ(*a, *s) << d.id << " by " << metrics::BreakdownName(b);
        if (b == metrics::Breakdown::kNone) {
          for (const auto& [k, n] : *a) total_counted += n;
        }
      }
      // Drill-down rows agree too (one financial year, all groups).
      metrics::DrillDownRequest dr{d.id, periods.back(), metrics::Breakdown::kNone, "all",
                                   "test", "differential test"};
      metrics::UngatedForDevelopment gate;
      auto fa = metrics::DrillDown(fast, *sw, dr, gate);
      auto sa = metrics::DrillDown(sql, *sw, dr, gate);
      ASSERT_TRUE(fa.ok() && sa.ok());
      EXPECT_EQ(fa->row_ids, sa->row_ids) << d.id;
    }
    // Whole reports (rates, DSRs, CIs) agree once counts do.
    auto ra = metrics::Evaluate(fast, *ref, *sw, periods, metrics::Breakdown::kNone);
    auto rs = metrics::Evaluate(sql, *ref, *sw, periods, metrics::Breakdown::kNone);
    ASSERT_TRUE(ra.ok() && rs.ok());
    nlohmann::json ja = metrics::ReportJson(*ra), js = metrics::ReportJson(*rs);
    ja.erase("engine");
    js.erase("engine");
    EXPECT_EQ(ja, js);
  }
  EXPECT_GT(total_counted, 0) << "the synthetic area produced no metric events at all";
}

INSTANTIATE_TEST_SUITE_P(Seeds, MetricsDifferential, ::testing::Values(1, 2, 3, 4, 5));

}  // namespace
}  // namespace pioneer
