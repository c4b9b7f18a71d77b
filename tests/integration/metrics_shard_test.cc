// Sharded metrics: n processes each count one person shard, the counts merge by addition and
// one evaluation of the sum gives the unsharded report, value for value (rates, intervals,
// standardisation and disclosure control included). Checked on synthetic areas with two
// seeds and shard counts 2 and 3, by breakdown none and practice, through the library and
// through the command line (`--shard I/N --counts-out`, `--merge-counts`).
#include <gtest/gtest.h>

#include <fstream>

#include "pioneer/analysis/person_shard.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/shard_counts.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/snapshot.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;

class MetricsShard : public ::testing::TestWithParam<int> {};

// A synthetic area of 300 people ingested into tmp/m.db; returns the store's path.
std::string MakeArea(TempDir& tmp, int seed) {
  synth::SynthOptions so;
  so.population = 300;
  so.seed = static_cast<uint64_t>(seed);
  so.out_dir = tmp / "area";
  so.threads = 1;
  EXPECT_TRUE(synth::GenerateArea(so).ok());
  const std::string db = tmp / "m.db";
  auto r = RunPioneer("ingest --db " + db + " " + so.out_dir, tmp);
  EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;  // 1: rows quarantined (faults)
  return db;
}

TEST_P(MetricsShard, MergedShardCountsGiveTheWholeReport) {
  TempDir tmp;
  const std::string db = MakeArea(tmp, GetParam());
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok());
  auto sw = metrics::ResolveSwitches({});
  ASSERT_TRUE(sw.ok());
  timeline::OpenOptions oo;
  oo.timeline = metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw));
  oo.note = [](const std::string&) {};
  auto t = timeline::OpenOrBuild(**store, db, oo, nullptr);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  auto range = Period::Parse("2013-04..2016-03");
  std::vector<metrics::LabelledPeriod> periods =
      metrics::MakePeriods(*range, metrics::Granularity::kQuarter);
  for (auto& y : metrics::MakePeriods(*range, metrics::Granularity::kYear)) periods.push_back(y);

  for (metrics::Breakdown b : {metrics::Breakdown::kNone, metrics::Breakdown::kPractice}) {
    metrics::FastEngine whole_engine(*t, *ref);
    auto whole = metrics::Evaluate(whole_engine, *ref, *sw, periods, b);
    ASSERT_TRUE(whole.ok()) << whole.status().ToString();
    metrics::FastEngine counting(*t, *ref);
    auto whole_counts = metrics::CountMetrics(counting, *sw, periods, b);
    ASSERT_TRUE(whole_counts.ok());
    for (int n : {2, 3}) {
      metrics::MetricCounts merged;
      int64_t whole_total = 0, largest_share = 0;
      for (const auto& [id, c] : *whole_counts) {
        for (const auto& [k, v] : c) whole_total += v;
      }
      for (int i = 0; i < n; ++i) {
        metrics::FastEngine shard_engine(*t, *ref);
        shard_engine.SetShard(analysis::PersonShard{i, n});
        auto counts = metrics::CountMetrics(shard_engine, *sw, periods, b);
        ASSERT_TRUE(counts.ok()) << counts.status().ToString();
        int64_t share = 0;
        for (const auto& [id, c] : *counts) {
          for (const auto& [k, v] : c) share += v;
        }
        largest_share = std::max(largest_share, share);
        metrics::MergeCounts(merged, *counts);
      }
      // Each shard saw only part of the area, and together all of it.
      EXPECT_GT(whole_total, 0);
      EXPECT_LT(largest_share, whole_total) << n << " shards";
      EXPECT_EQ(merged, *whole_counts) << n << " shards";
      auto from_counts =
          metrics::EvaluateCounts(merged, whole_engine.name(), *ref, *sw, periods, b);
      ASSERT_TRUE(from_counts.ok()) << from_counts.status().ToString();
      EXPECT_EQ(metrics::ReportJson(*from_counts), metrics::ReportJson(*whole))
          << n << " shards, by " << metrics::BreakdownName(b);
    }
  }
}

TEST(MetricsShardCli, ShardsMergeToTheUnshardedOutput) {
  TempDir tmp;
  const std::string db = MakeArea(tmp, 1);
  const std::string opts = " --db " + db + " --by ccg --every year --json";
  std::string merge = "metrics --db " + db + " --json --merge-counts";
  for (int i = 0; i < 3; ++i) {
    const std::string file = tmp / ("c" + std::to_string(i) + ".json");
    auto r = RunPioneer(
        "metrics" + opts + " --shard " + std::to_string(i) + "/3 --counts-out " + file, tmp);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    merge += " " + file;
  }
  auto merged = RunPioneer(merge, tmp);
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  auto whole = RunPioneer("metrics" + opts, tmp);
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(merged.out, whole.out);
  EXPECT_GT(whole.out.size(), 1000u);

  // A missing shard, a repeated one and a store changed since counting are refused (exit 2).
  auto missing = RunPioneer(
      "metrics --db " + db + " --merge-counts " + (tmp / "c0.json") + " " + (tmp / "c1.json"), tmp);
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("shard 2/3 are missing"), std::string::npos) << missing.err;
  auto twice = RunPioneer("metrics --db " + db + " --merge-counts " + (tmp / "c0.json") + " " +
                              (tmp / "c1.json") + " " + (tmp / "c1.json"),
                          tmp);
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_NE(twice.err.find("is also in"), std::string::npos) << twice.err;
  auto bad =
      RunPioneer("metrics --db " + db + " --shard 3/3 --counts-out " + (tmp / "x.json"), tmp);
  EXPECT_EQ(bad.exit_code, 2);
  auto onto_store = RunPioneer("metrics --db " + db + " --shard 0/3 --counts-out " + db, tmp);
  EXPECT_EQ(onto_store.exit_code, 2);
  EXPECT_NE(onto_store.err.find("must not be the store"), std::string::npos) << onto_store.err;
  auto link = RunPioneer("link --db " + db, tmp);
  ASSERT_TRUE(link.exit_code == 0 || link.exit_code == 1) << link.err;
  auto stale = RunPioneer(merge, tmp);
  EXPECT_EQ(stale.exit_code, 2);
  EXPECT_NE(stale.err.find("count the shards again"), std::string::npos) << stale.err;
}

TEST(ShardCountsFile, RoundTripsAndNamesTheFileOfBadInput) {
  metrics::ShardCounts c;
  c.shard = {1, 4};
  c.generation = "g";
  c.breakdown = metrics::Breakdown::kSex;
  c.switches = {{"a", "b"}};
  c.periods = {{"2014/15", *Period::Parse("2014/15")}};
  c.metric_ids = {"x"};
  c.counts["x"][{0, "male", 3, 1}] = 7;
  auto back = metrics::ShardCountsFromJson(metrics::ShardCountsToJson(c), "f.json");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->shard, c.shard);
  EXPECT_EQ(back->counts, c.counts);
  EXPECT_EQ(back->periods[0].period, c.periods[0].period);
  EXPECT_EQ(back->switches, c.switches);
  nlohmann::json j = metrics::ShardCountsToJson(c);
  j["counts"]["x"][0][0] = 5;  // a period that does not exist
  auto bad = metrics::ShardCountsFromJson(j, "f.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("f.json"), std::string::npos);
  j = metrics::ShardCountsToJson(c);
  j["format"] = "something-else";
  EXPECT_FALSE(metrics::ShardCountsFromJson(j, "f.json").ok());
  // Shards of different runs do not merge.
  metrics::ShardCounts other = c;
  other.shard = {0, 4};
  other.switches["a"] = "c";
  auto merged = metrics::MergeShardCounts({c, other}, {"one.json", "two.json"});
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("two.json"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Seeds, MetricsShard, ::testing::Values(1, 2));

}  // namespace
}  // namespace pioneer
