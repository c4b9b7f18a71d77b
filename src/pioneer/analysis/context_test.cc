// The analysis context on a small store file: the store error for a missing file, the
// timeline opened lazily and once, the union of the fields its users require (the snapshot
// grows), a stale snapshot rebuilt through it, and slots made once.
#include "pioneer/analysis/context.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pioneer/timeline/snapshot.h"
#include "testing/test_util.h"

namespace pioneer::analysis {
namespace {

using pioneer::testing::TempDir;

timeline::TimelineOptions Apc(std::vector<std::string> fields) {
  timeline::TimelineOptions o;
  o.attributes["apc_episodes"] = std::move(fields);
  return o;
}

// Creates an (empty) Pioneer store at `path`, as `pioneer ingest` would before its first run.
void CreateStore(const std::string& path) {
  auto created = AnalysisContext::Open(path, AnalysisContext::Mode::kCreate);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
}

// A context whose notes (why the snapshot was rebuilt) are collected instead of printed.
std::unique_ptr<AnalysisContext> OpenQuiet(const std::string& path,
                                           std::vector<std::string>* notes) {
  auto ctx = AnalysisContext::Open(path);
  EXPECT_TRUE(ctx.ok()) << ctx.status().ToString();
  if (!ctx.ok()) return nullptr;
  timeline::OpenOptions oo;
  oo.note = [notes](const std::string& line) { notes->push_back(line); };
  oo.threads = 1;
  (*ctx)->SetOpenOptions(oo);
  return std::move(*ctx);
}

bool HoldsField(const timeline::Timeline& t, const std::string& field) {
  return t.attributes(timeline::Source::kApcEpisode).FieldIndex(field) >= 0;
}

TEST(AnalysisContextTest, AMissingStoreIsNotFoundNamingTheFileAndNothingIsCreated) {
  TempDir dir;
  const std::string db = dir / "absent.db";
  auto ctx = AnalysisContext::Open(db);
  ASSERT_FALSE(ctx.ok());
  EXPECT_EQ(ctx.status().code(), StatusCode::kNotFound);
  EXPECT_NE(ctx.status().message().find(db), std::string::npos) << ctx.status().message();
  EXPECT_FALSE(std::filesystem::exists(db));
  EXPECT_FALSE(std::filesystem::exists(timeline::SnapshotPath(db)));
}

// kReading reads a current store through a read-only connection (a write is refused), and
// opens an older store for writing so that it is migrated, as kExisting does.
TEST(AnalysisContextTest, ReadingModeIsReadOnlyOnACurrentStoreAndMigratesAnOlderOne) {
  TempDir dir;
  const std::string db = dir / "s.db";
  CreateStore(db);
  const std::string write = "INSERT INTO ig_keys(name, key_hex) VALUES('probe', '00')";
  {
    auto ctx = AnalysisContext::Open(db, AnalysisContext::Mode::kReading);
    ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
    auto w = (*ctx)->store().Execute(write, {});
    EXPECT_EQ(w.status().code(), StatusCode::kFailedPrecondition) << w.status().ToString();
  }
  {
    // Rewind the recorded version: the store needs a migration again.
    auto general = AnalysisContext::Open(db);
    ASSERT_TRUE(general.ok());
    ASSERT_TRUE((*general)
                    ->store()
                    .Execute("UPDATE meta SET value = '8' WHERE key = 'schema_version'", {})
                    .ok());
  }
  auto ctx = AnalysisContext::Open(db, AnalysisContext::Mode::kReading);
  ASSERT_TRUE(ctx.ok()) << ctx.status().ToString();
  std::string version;
  ASSERT_TRUE((*ctx)
                  ->store()
                  .Query("SELECT value FROM meta WHERE key = 'schema_version'", {},
                         [&](const store::RowView& r) { version = r.Text(0); })
                  .ok());
  EXPECT_EQ(version, std::to_string(store::Store::kSchemaVersion));
  EXPECT_TRUE((*ctx)->store().Execute(write, {}).ok());
  // A missing store is still kNotFound, and nothing is created.
  auto missing = AnalysisContext::Open(dir / "absent.db", AnalysisContext::Mode::kReading);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(std::filesystem::exists(dir / "absent.db"));
}

TEST(AnalysisContextTest, OpensTheTimelineLazilyOnceAndWritesTheSnapshot) {
  TempDir dir;
  const std::string db = dir / "area.db";
  CreateStore(db);
  std::vector<std::string> notes;
  auto ctx = OpenQuiet(db, &notes);
  ASSERT_NE(ctx, nullptr);
  EXPECT_EQ(ctx->db_path(), db);
  ctx->Require(Apc({"admission_source"}));
  EXPECT_EQ(ctx->timeline_opens(), 0);
  EXPECT_FALSE(std::filesystem::exists(timeline::SnapshotPath(db)));  // nothing opened yet

  timeline::OpenReport first;
  auto t1 = ctx->Timeline(&first);
  ASSERT_TRUE(t1.ok()) << t1.status().ToString();
  EXPECT_TRUE(first.rebuilt);
  EXPECT_TRUE(first.written);
  EXPECT_TRUE(std::filesystem::exists(timeline::SnapshotPath(db)));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("no timeline snapshot"), std::string::npos) << notes[0];

  timeline::OpenReport second;
  second.rebuilt = true;
  auto t2 = ctx->Timeline(&second);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(*t2, *t1);  // the same timeline, not a second open
  EXPECT_FALSE(second.rebuilt);
  EXPECT_EQ(ctx->timeline_opens(), 1);
  EXPECT_TRUE(HoldsField(**t2, "admission_source"));
}

TEST(AnalysisContextTest, RequiresTheUnionOfItsUsersFieldsAndTheSnapshotGrows) {
  TempDir dir;
  const std::string db = dir / "area.db";
  CreateStore(db);
  std::vector<std::string> notes;
  auto ctx = OpenQuiet(db, &notes);
  ASSERT_NE(ctx, nullptr);
  auto narrow = ctx->Timeline(Apc({"admission_source"}));
  ASSERT_TRUE(narrow.ok()) << narrow.status().ToString();
  EXPECT_FALSE(HoldsField(**narrow, "discharge_date"));

  // A second user asks for another field: the timeline is opened again with both.
  auto wide = ctx->Timeline(Apc({"discharge_date"}));
  ASSERT_TRUE(wide.ok()) << wide.status().ToString();
  EXPECT_EQ(ctx->timeline_opens(), 2);
  EXPECT_TRUE(HoldsField(**wide, "admission_source"));
  EXPECT_TRUE(HoldsField(**wide, "discharge_date"));
  EXPECT_EQ(ctx->required().attributes.at("apc_episodes").size(), 2u);
  // The first user's timeline stays valid.
  EXPECT_FALSE(HoldsField(**narrow, "discharge_date"));
  // Asking again for a field it holds opens nothing.
  ASSERT_TRUE(ctx->Timeline(Apc({"admission_source"})).ok());
  EXPECT_EQ(ctx->timeline_opens(), 2);

  // A new context over the same store maps the grown snapshot: no rebuild.
  std::vector<std::string> later_notes;
  auto later = OpenQuiet(db, &later_notes);
  ASSERT_NE(later, nullptr);
  timeline::OpenReport rep;
  auto mapped = later->Timeline(Apc({"discharge_date"}), &rep);
  ASSERT_TRUE(mapped.ok()) << mapped.status().ToString();
  EXPECT_FALSE(rep.rebuilt) << rep.reason;
  EXPECT_TRUE(later_notes.empty());
  EXPECT_TRUE(HoldsField(**mapped, "admission_source"));
}

TEST(AnalysisContextTest, AStaleSnapshotIsRebuiltThroughTheContext) {
  TempDir dir;
  const std::string db = dir / "area.db";
  CreateStore(db);
  std::vector<std::string> notes;
  {
    auto ctx = OpenQuiet(db, &notes);
    ASSERT_NE(ctx, nullptr);
    ASSERT_TRUE(ctx->Timeline().ok());
    // Saving a risk stratum (a derived table) moves the store to another generation: the
    // snapshot just written is now stale.
    const std::vector<store::Param> row = {store::Param::Of("9434765919")};
    auto saved = ctx->store().Execute(
        "INSERT INTO risk_strata(nhs_number, index_date, model_id, practice, age, top2_practice, "
        "top4_practice, loa_band, saved_at) VALUES(?1, '2015-04-01', 'test', 'B86001', 70, 0, 0, "
        "1, '2016-01-01T00:00:00Z')",
        row);
    ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  }
  notes.clear();
  auto ctx = OpenQuiet(db, &notes);
  ASSERT_NE(ctx, nullptr);
  timeline::OpenReport rep;
  ASSERT_TRUE(ctx->Timeline(&rep).ok());
  EXPECT_TRUE(rep.rebuilt);
  EXPECT_NE(rep.reason.find("stale"), std::string::npos) << rep.reason;
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("rebuilding"), std::string::npos) << notes[0];
  // Written back: the next context maps it.
  auto again = OpenQuiet(db, &notes);
  ASSERT_NE(again, nullptr);
  timeline::OpenReport mapped;
  ASSERT_TRUE(again->Timeline(&mapped).ok());
  EXPECT_FALSE(mapped.rebuilt) << mapped.reason;
}

TEST(AnalysisContextTest, AnAdoptedTimelineIsUsedAsItIs) {
  TempDir dir;
  const std::string db = dir / "area.db";
  CreateStore(db);
  std::vector<std::string> notes;
  auto ctx = OpenQuiet(db, &notes);
  ASSERT_NE(ctx, nullptr);
  auto own = ctx->Timeline();
  ASSERT_TRUE(own.ok());
  AnalysisContext borrowed(ctx->store(), "");
  borrowed.UseTimeline(**own);
  auto t = borrowed.Timeline(Apc({"discharge_date"}));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, *own);
  EXPECT_EQ(borrowed.timeline_opens(), 0);
}

TEST(AnalysisContextTest, SlotsAreMadeOnceAndAnErrorIsNotKept) {
  TempDir dir;
  const std::string db = dir / "area.db";
  CreateStore(db);
  auto opened = AnalysisContext::Open(db);
  ASSERT_TRUE(opened.ok());
  AnalysisContext& ctx = **opened;
  int made = 0;
  auto make = [&made]() -> StatusOr<int> {
    ++made;
    if (made == 1) return InvalidArgumentError("first try fails");
    return 42;
  };
  EXPECT_FALSE(ctx.Slot<int>("test.value", make).ok());
  EXPECT_FALSE(ctx.HasSlot("test.value"));
  auto v = ctx.Slot<int>("test.value", make);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(**v, 42);
  auto again = ctx.Slot<int>("test.value", make);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *v);
  EXPECT_EQ(made, 2);
  // Another type under the same key is an internal error, not a reinterpretation.
  auto wrong = ctx.Slot<std::string>("test.value", [] { return StatusOr<std::string>("x"); });
  EXPECT_EQ(wrong.status().code(), StatusCode::kInternal);
  // An adopted value replaces it and is not copied.
  const int mine = 7;
  ctx.Adopt<int>("test.value", mine);
  auto adopted = ctx.Slot<int>("test.value", make);
  ASSERT_TRUE(adopted.ok());
  EXPECT_EQ(*adopted, &mine);
  EXPECT_EQ(made, 2);
}

}  // namespace
}  // namespace pioneer::analysis
