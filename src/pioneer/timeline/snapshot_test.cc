// The snapshot file format on a hand-made timeline: round trip field by field, and every way
// a file can be damaged (truncated, bit-flipped, foreign, another format version) rejected
// with an error naming the file. Stores, staleness and rebuilds: tests/integration.
#include "pioneer/timeline/snapshot.h"

#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

#include "pioneer/timeline/checksum.h"
#include "testing/test_util.h"

namespace pioneer::timeline {
namespace {

using pioneer::testing::ReadFile;
using pioneer::testing::TempDir;
using pioneer::testing::WriteFile;

TEST(Checksum64Test, MatchesTheXxh64ReferenceValues) {
  // Published XXH64 (seed 0) values.
  EXPECT_EQ(Checksum64("", 0), 0xEF46DB3751D8E999ULL);
  EXPECT_EQ(Checksum64("a", 1), 0xD24EC4F1A98C6E5BULL);
  EXPECT_EQ(Checksum64("abc", 3), 0x44BC2CF5AD770999ULL);
  // Long inputs take the four-lane path; a single flipped bit changes the value.
  std::string long_text(1000, 'x');
  uint64_t before = Checksum64(long_text.data(), long_text.size());
  long_text[517] ^= 0x04;
  EXPECT_NE(Checksum64(long_text.data(), long_text.size()), before);
}

TEST(StringPoolTest, FrozenPoolFindsEveryStringAndNothingElse) {
  StringPoolBuilder b;
  const uint32_t z = b.Intern("Z99"), a = b.Intern("A01"), m = b.Intern("M5");
  EXPECT_EQ(b.Intern("A01"), a);
  StringPoolColumns c = b.Freeze();
  StringPool pool = c.View();
  ASSERT_EQ(pool.size(), 4u);
  EXPECT_EQ(pool.Get(0), "");
  EXPECT_EQ(pool.Get(z), "Z99");
  EXPECT_EQ(pool.Find("A01"), a);
  EXPECT_EQ(pool.Find("M5"), m);
  EXPECT_EQ(pool.Find("Z99"), z);
  EXPECT_EQ(pool.Find(""), 0);
  EXPECT_EQ(pool.Find("B"), -1);
  EXPECT_EQ(pool.Find("Z999"), -1);
}

// Two people, three events (one APC episode with two attribute fields), built by hand.
struct HandMade {
  std::vector<char> nhs;
  std::vector<uint8_t> sex{2, 1}, in_pds{1, 0};
  std::vector<int32_t> birth{-5000, kNoDate}, death{kNoDate, kNoDate};
  std::vector<uint32_t> lsoa{1, 0}, practice{2, 0};
  std::vector<uint32_t> order{1, 0};
  std::vector<uint64_t> offsets{0, 2, 3};
  std::vector<int32_t> start{16000, 16100, 16050}, end{16000, 16105, 16050};
  std::vector<Source> source{Source::kGpEvent, Source::kApcEpisode, Source::kSocialCareEvent};
  std::vector<uint32_t> code{3, 4, 5}, detail{0, 6, 0}, attr_row{0, 0, 0};
  std::vector<int64_t> row_id{7, 3, 11};
  std::vector<int32_t> discharge{16105}, admission_source{6};
  StringPoolColumns strings;

  Timeline Make() {
    const std::string n = "94347659189434765918";  // two persons, unsorted on purpose
    nhs.assign(n.begin(), n.end());
    nhs[19] = '0';  // the second person's number sorts first: 9434765910 < ...918
    StringPoolBuilder b;
    for (const char* s : {"E01000001", "B86001", "X1", "S720", "22", "home_care"}) b.Intern(s);
    strings = b.Freeze();
    Timeline::Parts p;
    p.persons = {NhsNumberColumn(nhs), sex, birth, death, lsoa, practice, in_pds};
    p.events = {start, end, source, code, detail, row_id, attr_row};
    p.offsets = offsets;
    p.nhs_order = order;
    p.strings = strings.View();
    p.linkage[static_cast<int>(Source::kApcEpisode)] = {2, 1, 0, 0, 1, 0, 0, 0};
    const int apc = static_cast<int>(Source::kApcEpisode);
    p.attribute_fields[apc] = {"discharge_date", "admission_source"};
    p.attribute_columns[apc] = {discharge, admission_source};
    p.attribute_rows[apc] = 1;
    p.attribute_rows[static_cast<int>(Source::kGpEvent)] = 1;
    p.attribute_rows[static_cast<int>(Source::kSocialCareEvent)] = 1;
    return Timeline::FromParts(std::move(p));
  }
};

store::StoreGeneration Gen(int ingest_runs) {
  store::StoreGeneration g;
  g.created_at = "2026-01-01T00:00:00Z";
  g.ingest_runs = ingest_runs;
  g.last_ingest_run = ingest_runs;
  return g;
}

TEST(SnapshotTest, RoundTripEqualsTheTimelineFieldByField) {
  HandMade h;
  Timeline t = h.Make();
  ASSERT_TRUE(t.CheckInvariants().ok()) << t.CheckInvariants().ToString();
  TempDir tmp;
  const std::string path = tmp / "area.db.timeline";
  ASSERT_TRUE(WriteSnapshot(t, Gen(3), path).ok());
  std::string key;
  auto back = OpenSnapshot(path, &key);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(key, Gen(3).Key());
  EXPECT_EQ(FirstDifference(t, *back), "");
  EXPECT_TRUE(back->CheckInvariants().ok()) << back->CheckInvariants().ToString();
  EXPECT_EQ(back->FindPerson("9434765910"), 1u);
  EXPECT_EQ(back->FindPerson("9434765918"), 0u);
  EXPECT_FALSE(back->FindPerson("9434765919").has_value());
  EXPECT_EQ(back->strings().Find("S720"), 4);
  const AttributeTable& apc = back->attributes(Source::kApcEpisode);
  EXPECT_EQ(apc.Value(apc.FieldIndex("discharge_date"), 0), 16105);
  EXPECT_EQ(back->options().attributes.at("apc_episodes").size(), 2u);
  // The mapping outlives copies and the original file name (a rename replaces, not edits).
  Timeline copy = *back;
  back = StatusOr<Timeline>(Timeline());
  ASSERT_TRUE(WriteSnapshot(t, Gen(4), path).ok());
  EXPECT_EQ(FirstDifference(t, copy), "");
  // A differing timeline is reported.
  HandMade other;
  other.row_id[2] = 12;
  EXPECT_EQ(FirstDifference(t, other.Make()), "events.row_id differs at 2");
}

class DamagedSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = h_.Make();
    ASSERT_TRUE(WriteSnapshot(t_, Gen(1), path_).ok());
    bytes_ = ReadFile(path_);
  }
  Status Open() { return OpenSnapshot(path_).status(); }
  HandMade h_;
  Timeline t_;
  TempDir tmp_;
  std::string path_ = tmp_ / "s.db.timeline";
  std::string bytes_;
};

TEST_F(DamagedSnapshotTest, TruncatedFileIsCorruptAndNamed) {
  for (size_t keep : {bytes_.size() - 1, bytes_.size() / 2, size_t{100}, size_t{0}}) {
    WriteFile(path_, bytes_.substr(0, keep));
    Status s = Open();
    EXPECT_EQ(s.code(), StatusCode::kDataLoss) << keep << ": " << s.ToString();
    EXPECT_NE(s.message().find(path_), std::string::npos) << s.message();
  }
}

TEST_F(DamagedSnapshotTest, EveryFlippedBitIsDetected) {
  // One flipped bit at the start of each 64-byte block of the file. Sections start on
  // 64-byte boundaries, so every block start is in the header, the directory or a section
  // (padding only ever ends a block): each flip must be caught.
  int detected = 0, tried = 0;
  for (size_t at = 0; at < bytes_.size(); at += 64) {
    std::string damaged = bytes_;
    damaged[at] ^= 0x10;
    WriteFile(path_, damaged);
    Status s = Open();
    ++tried;
    if (!s.ok()) {
      ++detected;
      EXPECT_NE(s.message().find(path_), std::string::npos) << s.message();
    }
  }
  EXPECT_EQ(detected, tried);
  // A flip inside the event row ids specifically.
  std::string damaged = bytes_;
  // The section's offset from its directory entry (name 48 bytes, then the u64 offset), then
  // row id 11 inside it.
  const size_t entry = damaged.find(std::string("events.row_id\0", 14));
  ASSERT_NE(entry, std::string::npos);
  uint64_t section = 0;
  std::memcpy(&section, damaged.data() + entry + 48, 8);
  size_t at = damaged.find(std::string("\x0b\0\0\0\0\0\0\0", 8), section);  // row id 11
  ASSERT_NE(at, std::string::npos);
  damaged[at] ^= 0x01;
  WriteFile(path_, damaged);
  Status s = Open();
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("events.row_id"), std::string::npos) << s.message();
}

TEST_F(DamagedSnapshotTest, ForeignFileIsRejected) {
  WriteFile(path_,
            "SQLite format 3\0 this is not a snapshot at all, but long enough to have a "
            "header of 128 bytes................................................\n");
  Status s = Open();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("not a Pioneer timeline snapshot"), std::string::npos);
  EXPECT_NE(s.message().find(path_), std::string::npos);
  WriteFile(path_, "hello");
  EXPECT_EQ(Open().code(), StatusCode::kFailedPrecondition);
}

TEST_F(DamagedSnapshotTest, OtherFormatVersionIsRefusedNotRead) {
  std::string newer = bytes_;
  const uint32_t v = kSnapshotFormatVersion + 1;
  std::memcpy(newer.data() + 8, &v, 4);
  WriteFile(path_, newer);
  Status s = Open();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  EXPECT_NE(s.message().find("format version"), std::string::npos) << s.message();
}

TEST_F(DamagedSnapshotTest, MissingFileIsNotFound) {
  std::filesystem::remove(path_);
  EXPECT_EQ(Open().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::timeline
