// `pioneer link` on a synthetic area, through the library: NHS Number coverage of social care
// before -> after, accuracy against the area's truth files (the acceptance bar: coverage
// above 98%, wrong-link rate below 0.1%), idempotent re-runs, and the timeline using the links.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "pioneer/ingest/ingest.h"
#include "pioneer/link/store_link.h"
#include "pioneer/link/truth_evaluation.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::TempDir;

// (link_id, row_id, traced number, decision) of every record_links row.
std::vector<std::tuple<int64_t, int64_t, std::string, std::string>> Links(store::Store& s) {
  std::vector<std::tuple<int64_t, int64_t, std::string, std::string>> out;
  EXPECT_TRUE(s.Query("SELECT link_id, row_id, coalesce(traced_nhs_number, ''), decision "
                      "FROM record_links ORDER BY link_id",
                      {},
                      [&](const store::RowView& r) {
                        out.emplace_back(r.Int(0), r.Int(1), std::string(r.Text(2)),
                                         std::string(r.Text(3)));
                      })
                  .ok());
  return out;
}

class LinkStoreSyntheticTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    synth::SynthOptions o;
    o.population = 6000;
    o.seed = 7;
    o.out_dir = *tmp_ / "area";
    auto summary = synth::GenerateArea(o);
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    auto st = store::Store::OpenSqlite(*tmp_ / "pioneer.db");
    ASSERT_TRUE(st.ok()) << st.status().ToString();
    auto ing = ingest::IngestDirectory(**st, o.out_dir, {}, nullptr);
    ASSERT_TRUE(ing.ok()) << ing.status().ToString();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static std::string Area() { return *tmp_ / "area"; }
  static std::string Db() { return *tmp_ / "pioneer.db"; }
  static TempDir* tmp_;
};
TempDir* LinkStoreSyntheticTest::tmp_ = nullptr;

TEST_F(LinkStoreSyntheticTest, SocialCareCoverageRisesWithFewWrongLinks) {
  auto st = store::Store::OpenSqlite(Db());
  ASSERT_TRUE(st.ok());
  auto before = link::EvaluateTracingAgainstTruth(**st, Area());
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->usable_links, 0);

  auto rep = link::LinkStore(**st, {});
  ASSERT_TRUE(rep.ok()) << rep.status().ToString();
  const link::SourceLinkCounts* sc = nullptr;
  for (const auto& s : rep->sources) {
    if (s.table == "social_care_events") sc = &s;
  }
  ASSERT_NE(sc, nullptr);
  EXPECT_TRUE(sc->traceable);
  EXPECT_EQ(sc->missing + sc->invalid + sc->valid_before, sc->rows);

  auto acc = link::EvaluateTracingAgainstTruth(**st, Area());
  ASSERT_TRUE(acc.ok()) << acc.status().ToString();
  std::printf(
      "social care: %lld records; coverage %.2f%% -> %.2f%%; needing a trace %lld, "
      "correctly traced %.2f%%; usable links %lld, wrong %lld (%.3f%%)\n",
      static_cast<long long>(acc->records), 100 * acc->coverage_before(),
      100 * acc->coverage_after(), static_cast<long long>(acc->needing_trace),
      100 * acc->share_correctly_traced(), static_cast<long long>(acc->usable_links),
      static_cast<long long>(acc->wrong_links), 100 * acc->wrong_link_rate());
  ASSERT_GT(acc->records, 1000);
  // The evaluation and the run agree on what they both count.
  EXPECT_EQ(acc->records, sc->rows);
  EXPECT_EQ(acc->valid_before, sc->valid_before);
  EXPECT_EQ(acc->covered_after, sc->covered_after);
  EXPECT_EQ(acc->usable_links, sc->automatic + sc->accepted);
  // Issue 6 acceptance: ~88% -> above 98%, wrong-link rate below 0.1%.
  EXPECT_GT(acc->coverage_before(), 0.80);
  EXPECT_LT(acc->coverage_before(), 0.92);
  EXPECT_GT(acc->coverage_after(), 0.98);
  EXPECT_LT(acc->wrong_link_rate(), 0.001);
  EXPECT_GT(acc->share_correctly_traced(), 0.85);

  // Idempotent: a second run makes the same decisions under the same link ids.
  const auto first = Links(**st);
  auto again = link::LinkStore(**st, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Links(**st), first);
  EXPECT_EQ(again->run_id, rep->run_id + 1);

  // The timeline places every usable link, and its counts add up.
  auto t = timeline::Timeline::Build(**st);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(t->CheckInvariants().ok());
  const auto& lc = t->linkage(timeline::Source::kSocialCareEvent);
  EXPECT_EQ(lc.rows, lc.linked + lc.missing_number + lc.invalid_number + lc.undated);
  EXPECT_EQ(lc.traced, acc->usable_links);
  EXPECT_EQ(lc.linked, acc->covered_after);
  EXPECT_EQ(lc.missing_number + lc.invalid_number, acc->records - acc->covered_after);
}

// The linkage write path: a failed transaction leaves nothing behind; statements are cached
// and rebound; read-only Query still refuses writes.
TEST(LinkStoreWriteTest, TransactionsCommitOrRollBack) {
  TempDir tmp;
  auto st = store::Store::OpenSqlite(tmp / "w.db");
  ASSERT_TRUE(st.ok());
  store::Store& s = **st;
  const char* insert = "INSERT INTO link_runs(started_at, pioneer_version) VALUES(?1, ?2)";
  Status failed = s.InTransaction([&]() -> Status {
    const store::Param p[] = {store::Param::Of("t0"), store::Param::Of("v")};
    auto n = s.Execute(insert, p);
    EXPECT_TRUE(n.ok());
    return InternalError("stop");
  });
  EXPECT_EQ(failed.code(), StatusCode::kInternal);
  EXPECT_EQ(*s.CountRows("link_runs"), 0);
  Status ok = s.InTransaction([&]() -> Status {
    for (const char* v : {"a", "b"}) {
      const store::Param p[] = {store::Param::Of("t1"), store::Param::Of(v)};
      auto n = s.Execute(insert, p);
      if (!n.ok()) return n.status();
      EXPECT_EQ(*n, 1);
    }
    return OkStatus();
  });
  EXPECT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_EQ(*s.CountRows("link_runs"), 2);
  EXPECT_EQ(s.LastInsertId(), 2);
  const store::Param bad[] = {store::Param::Null(), store::Param::Of("v")};
  EXPECT_FALSE(s.Execute(insert, bad).ok());  // started_at NOT NULL
  EXPECT_FALSE(s.Query("DELETE FROM link_runs", {}, [](const store::RowView&) {}).ok());
  EXPECT_EQ(*s.CountRows("link_runs"), 2);
}

// A version-1 store (before the linkage tables) gains them when next opened, keeping its data.
TEST(LinkStoreMigrationTest, Version1StoreGainsLinkTables) {
  TempDir tmp;
  const std::string db = tmp / "old.db";
  {
    auto st = store::Store::OpenSqlite(db);
    ASSERT_TRUE(st.ok());
  }
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "DROP TABLE fhir_directory; DROP TABLE fhir_document_history; "
                           "DROP TABLE fhir_documents; "
                           "DROP TABLE ig_objection_history; DROP TABLE risk_strata; "
                           "DROP TABLE care_plan_rejects; DROP TABLE care_plan_imports; "
                           "DROP TABLE care_plan_history; DROP TABLE care_plans; "
                           "DROP TABLE ig_keys; DROP TABLE ig_caseloads; "
                           "DROP TABLE ig_objections; DROP TABLE ig_tokens; "
                           "DROP TABLE ig_break_glass; DROP TABLE ig_users; "
                           "DROP TABLE link_reviews; DROP TABLE record_links; "
                           "DROP TABLE link_runs; UPDATE meta SET value = '1' WHERE key = "
                           "'schema_version'; PRAGMA user_version = 1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  auto st = store::Store::OpenSqlite(db);
  ASSERT_TRUE(st.ok()) << st.status().ToString();
  for (const char* t :
       {"link_runs", "record_links", "link_reviews", "care_plans", "care_plan_history",
        "care_plan_imports", "care_plan_rejects", "risk_strata", "ig_objection_history",
        "fhir_documents", "fhir_document_history", "fhir_directory"}) {
    EXPECT_TRUE((*st)->HasTable(t)) << t;
  }
  std::string version;
  ASSERT_TRUE((*st)
                  ->Query("SELECT value FROM meta WHERE key = 'schema_version'", {},
                          [&](const store::RowView& r) { version = std::string(r.Text(0)); })
                  .ok());
  EXPECT_EQ(version, std::to_string(store::Store::kSchemaVersion));
  EXPECT_GE(store::Store::kSchemaVersion, 2);
  // Linking a store without a master person index is a clear error.
  auto rep = link::LinkStore(**st, {});
  ASSERT_FALSE(rep.ok());
  EXPECT_NE(rep.status().message().find("pds"), std::string::npos);
}

}  // namespace
}  // namespace pioneer
