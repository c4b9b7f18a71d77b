// The timeline snapshot beside a store, through the real binary: `pioneer ingest` and
// `pioneer link` write it; a reader maps it when current and rebuilds it (saying why) when an
// ingest or link run made it stale, or when the file is truncated, bit-flipped or foreign;
// a writer killed mid-write (SIGKILL) leaves the previous snapshot in use. The round trip is
// checked field by field against a fresh build on synthetic areas of several seeds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"
#include "testing/release_util.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;
using testing::ReadFile;
using testing::RunPioneer;
using testing::TempDir;
using testing::WriteFile;

std::string MakeArea(const TempDir& tmp, int seed, int population = 300) {
  synth::SynthOptions so;
  so.population = population;
  so.seed = static_cast<uint64_t>(seed);
  so.out_dir = tmp / "area";
  so.threads = 1;
  auto gen = synth::GenerateArea(so);
  EXPECT_TRUE(gen.ok()) << gen.status().ToString();
  return so.out_dir;
}

bool Ingested(const testing::CommandResult& r) { return r.exit_code == 0 || r.exit_code == 1; }

// The snapshot equals a fresh build with the same fields, field by field.
void ExpectSnapshotEqualsFreshBuild(const std::string& db) {
  std::string key;
  auto snap = timeline::OpenSnapshot(timeline::SnapshotPath(db), &key);
  ASSERT_TRUE(snap.ok()) << snap.status().ToString();
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  auto gen = (*store)->Generation();
  ASSERT_TRUE(gen.ok());
  EXPECT_EQ(key, gen->Key());
  auto fresh = timeline::Timeline::Build(**store, {}, snap->options());
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_GT(fresh->event_count(), 0u);
  EXPECT_EQ(timeline::FirstDifference(*fresh, *snap), "");
  EXPECT_TRUE(snap->CheckInvariants().ok()) << snap->CheckInvariants().ToString();
  // The snapshot holds every field the metrics read.
  auto sw = metrics::ResolveSwitches({});
  ASSERT_TRUE(sw.ok());
  for (const auto& [table, fields] :
       metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw)).attributes) {
    for (int s = 0; s < timeline::kSourceCount; ++s) {
      if (timeline::SourceTable(static_cast<timeline::Source>(s)) != table) continue;
      for (const auto& f : fields) {
        EXPECT_GE(snap->attributes(static_cast<timeline::Source>(s)).FieldIndex(f), 0)
            << table << "." << f;
      }
    }
  }
}

class SnapshotRoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(SnapshotRoundTrip, IngestAndLinkWriteASnapshotEqualToAFreshBuild) {
  TempDir tmp;
  const std::string area = MakeArea(tmp, GetParam());
  const std::string db = tmp / "a.db";
  auto r = RunPioneer("ingest --db " + db + " " + area, tmp);
  ASSERT_TRUE(Ingested(r)) << r.err;
  ASSERT_TRUE(fs::exists(timeline::SnapshotPath(db)));
  ExpectSnapshotEqualsFreshBuild(db);
  const std::string after_ingest = ReadFile(timeline::SnapshotPath(db));
  r = RunPioneer("link --quiet --db " + db, tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(ReadFile(timeline::SnapshotPath(db)), after_ingest);  // rewritten by the link run
  ExpectSnapshotEqualsFreshBuild(db);
  // A current snapshot is mapped, not rebuilt.
  r = RunPioneer("timeline --db " + db, tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("rebuilding"), std::string::npos) << r.err;
}

INSTANTIATE_TEST_SUITE_P(Seeds, SnapshotRoundTrip, ::testing::Values(3, 17, 2014));

class SnapshotLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    area_ = MakeArea(tmp_, 5);
    db_ = tmp_ / "s.db";
    snap_ = timeline::SnapshotPath(db_);
  }
  testing::CommandResult Timeline(const std::string& extra = "") {
    return RunPioneer("timeline --db " + db_ + extra, tmp_);
  }
  TempDir tmp_;
  std::string area_, db_, snap_;
};

TEST_F(SnapshotLifecycle, StaleAfterAnIngestRunOrALinkRunIsRebuiltAndSaysWhy) {
  // First run: PDS and hospital episodes only.
  const std::string part = tmp_ / "part";
  fs::create_directories(part);
  for (const char* f : {"pds.csv", "apc_episodes.csv"}) {
    fs::copy_file(fs::path(area_) / f, fs::path(part) / f);
  }
  auto r = RunPioneer("ingest --db " + db_ + " " + part, tmp_);
  ASSERT_TRUE(Ingested(r)) << r.err;
  const std::string after_first = ReadFile(snap_);
  ASSERT_FALSE(after_first.empty());
  // Second run: everything else; ingest rewrites the snapshot. An old copy is stale.
  r = RunPioneer("ingest --db " + db_ + " " + area_, tmp_);
  ASSERT_TRUE(Ingested(r)) << r.err;
  const std::string after_second = ReadFile(snap_);
  EXPECT_NE(after_second, after_first);
  WriteFile(snap_, after_first);
  r = Timeline();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("is stale: the store has had an ingest run since (ingest runs: 1 then, 2 "
                       "now); rebuilding"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find(snap_), std::string::npos);
  r = Timeline();
  EXPECT_EQ(r.err.find("rebuilding"), std::string::npos) << r.err;
  ExpectSnapshotEqualsFreshBuild(db_);

  // A link run: the snapshot from before it is stale.
  const std::string before_link = ReadFile(snap_);
  r = RunPioneer("link --quiet --db " + db_, tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  WriteFile(snap_, before_link);
  r = Timeline();
  EXPECT_NE(r.err.find("`pioneer link` run since"), std::string::npos) << r.err;
  ExpectSnapshotEqualsFreshBuild(db_);
}

TEST_F(SnapshotLifecycle, TruncatedBitFlippedOrForeignFilesAreNamedAndRebuilt) {
  auto r = RunPioneer("ingest --db " + db_ + " " + area_, tmp_);
  ASSERT_TRUE(Ingested(r)) << r.err;
  const std::string good = ReadFile(snap_);
  ASSERT_GT(good.size(), 4096u);
  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x20;
  struct Case {
    std::string bytes, expect;
  };
  for (const Case& c :
       {Case{good.substr(0, good.size() / 3), "is corrupt"}, Case{flipped, "checksum mismatch"},
        Case{std::string(4096, 'x'), "not a Pioneer timeline snapshot"}}) {
    WriteFile(snap_, c.bytes);
    r = Timeline();
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(snap_), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("rebuilding it from the store"), std::string::npos) << r.err;
    EXPECT_EQ(ReadFile(snap_), good) << c.expect;  // rebuilt byte for byte
  }
}

TEST_F(SnapshotLifecycle, KilledWriterLeavesThePreviousSnapshotInUse) {
  auto r = RunPioneer("ingest --db " + db_ + " " + area_, tmp_);
  ASSERT_TRUE(Ingested(r)) << r.err;
  const std::string good = ReadFile(snap_);
  ::setenv("PIONEER_SNAPSHOT_TEST_KILL_AFTER_BYTES", "20000", 1);
  r = Timeline(" --rebuild");
  ::unsetenv("PIONEER_SNAPSHOT_TEST_KILL_AFTER_BYTES");
  EXPECT_NE(r.exit_code, 0);  // killed by SIGKILL mid-write
  int temporaries = 0;
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    temporaries += e.path().filename().string().find(".timeline.tmp.") != std::string::npos;
  }
  EXPECT_EQ(temporaries, 1);  // the half-written file, under its temporary name
  EXPECT_EQ(ReadFile(snap_), good);
  r = Timeline();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("rebuilding"), std::string::npos) << r.err;
  // The next write clears the dead writer's temporary file.
  r = Timeline(" --rebuild");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  temporaries = 0;
  for (const auto& e : fs::directory_iterator(tmp_.path())) {
    temporaries += e.path().filename().string().find(".timeline.tmp.") != std::string::npos;
  }
  EXPECT_EQ(temporaries, 0);
  EXPECT_EQ(ReadFile(snap_), good);
}

TEST_F(SnapshotLifecycle, MetricsReadTheSnapshotAndAgreeWithTheReferenceEngine) {
  auto r = RunPioneer("ingest --db " + db_ + " " + area_, tmp_);
  ASSERT_TRUE(Ingested(r)) << r.err;
  {
    auto store = store::Store::OpenSqlite(db_);
    ASSERT_TRUE(store.ok());
    testing::AddTestIgOfficer(**store);  // exact figures: the engines must agree before rounding
  }
  const std::string args = " --db " + db_ +
                           " --every year --json --reconcile 'engines agree on exact figures' "
                           "--password-stdin --as " +
                           testing::kTestIgOfficer;
  const auto RunAsOfficer = [](const std::string& a, const TempDir& scratch) {
    return testing::RunPioneerWithInput(a, testing::kTestIgOfficerPassword, scratch);
  };
  auto fast = RunAsOfficer("metrics" + args, tmp_);
  ASSERT_EQ(fast.exit_code, 0) << fast.err;
  EXPECT_EQ(fast.err.find("rebuilding"), std::string::npos) << fast.err;
  auto ref = RunAsOfficer("metrics --engine reference" + args, tmp_);
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  auto a = nlohmann::json::parse(fast.out), b = nlohmann::json::parse(ref.out);
  a.erase("engine");
  b.erase("engine");
  EXPECT_EQ(a, b);
  // Switches that read more fields: the snapshot grows once, then is mapped.
  const std::string more = args + " --set falls.cause_positions=any_secondary";
  r = RunAsOfficer("metrics" + more, tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  r = RunAsOfficer("metrics" + more, tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("rebuilding"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pioneer
