// Property test through the real binary: random fields of a valid extract set are corrupted
// (seeded RNG); whatever the damage, every file reconciles (read = accepted + quarantined),
// nothing is both stored and quarantined or neither, only corrupted rows are quarantined,
// and every quarantined row names the line its record starts on.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "pioneer/ingest/testing/run_pioneer.h"
#include "pioneer/ingest/testing/sample_extracts.h"
#include "pioneer/store/store.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;
using ingest::testing::Row;

TEST(IngestPropertyTest, CorruptedFieldsAlwaysReconcile) {
  fs::path root = fs::path(::testing::TempDir()) / "pioneer_ingest_property";
  fs::remove_all(root);
  const std::vector<std::string> kGarbage = {
      "",    "   ", "2014-02-30",  "14/02/2014",   "abc", "Q",  "-1.5e3", "99999999999999999999",
      "x,y", "\"",  "line\nbreak", "\xE2\x82\xAC", "J4",  "K4", "b86001", "LS1",
      "2E"};
  std::mt19937_64 rng(0x5EED);
  for (int iter = 0; iter < 8; ++iter) {
    SCOPED_TRACE("iteration " + std::to_string(iter));
    fs::path area = root / ("area" + std::to_string(iter));
    std::string db = (root / ("store" + std::to_string(iter) + ".db")).string();
    std::map<std::string, std::pair<std::vector<int64_t>, std::set<int64_t>>> expect;
    for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
      int n = static_cast<int>(rng() % 40) + 1;
      std::vector<Row> rows;
      std::vector<bool> bad;
      for (int i = 0; i < n; ++i) {
        Row r = ingest::testing::ValidRow(spec, rng, i);
        bool corrupt = rng() % 4 == 0;
        if (corrupt) {
          for (int k = static_cast<int>(rng() % 3); k >= 0; --k) {
            int what = static_cast<int>(rng() % 10);
            if (what == 0) {
              r.push_back("surplus");
            } else if (what == 1 && r.size() > 1) {
              r.pop_back();
            } else {
              r[rng() % r.size()] = kGarbage[rng() % kGarbage.size()];
            }
          }
        }
        rows.push_back(std::move(r));
        bad.push_back(corrupt);
      }
      auto& [lines, corrupted] = expect[std::string(spec.file_name)];
      ingest::testing::WriteFile(
          area / std::string(spec.file_name),
          ingest::testing::ToCsv(ingest::testing::Header(spec), rows, &lines));
      for (int i = 0; i < n; ++i) {
        if (bad[static_cast<size_t>(i)]) corrupted.insert(lines[static_cast<size_t>(i)]);
      }
    }
    auto r = ingest::testing::RunPioneer({"ingest", "--db", db, area.string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto store = store::Store::OpenSqlite(db);
    ASSERT_TRUE(store.ok());
    store::Store& s = **store;
    for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
      const std::string file(spec.file_name);
      const auto& [lines, corrupted] = expect[file];
      std::vector<store::Param> p = {store::Param::Of(std::string_view(file))};
      int64_t read = -1, accepted = -1, quarantined = -1;
      ASSERT_TRUE(s.Query("SELECT rows_read, rows_accepted, rows_quarantined FROM ingest_files "
                          "WHERE file_name = ?1",
                          p,
                          [&](const store::RowView& v) {
                            read = v.Int(0);
                            accepted = v.Int(1);
                            quarantined = v.Int(2);
                          })
                      .ok());
      EXPECT_EQ(read, static_cast<int64_t>(lines.size())) << file;
      EXPECT_EQ(read, accepted + quarantined) << file;
      EXPECT_EQ(*s.CountRows(spec.table), accepted) << file;
      std::set<int64_t> seen;
      int64_t q_rows = 0;
      ASSERT_TRUE(s.Query("SELECT line_no FROM quarantine WHERE file_name = ?1", p,
                          [&](const store::RowView& v) {
                            ++q_rows;
                            EXPECT_TRUE(corrupted.contains(v.Int(0))) << file << ":" << v.Int(0);
                            EXPECT_TRUE(seen.insert(v.Int(0)).second) << file << ":" << v.Int(0);
                          })
                      .ok());
      EXPECT_EQ(q_rows, quarantined) << file;
      std::vector<std::string> cols = {"_line"};
      ASSERT_TRUE(s.Scan(spec.table, cols, [&](const store::RowView& v) {
                     EXPECT_TRUE(seen.insert(v.Int(0)).second) << file << ":" << v.Int(0);
                   }).ok());
      EXPECT_EQ(seen, std::set<int64_t>(lines.begin(), lines.end())) << file;
    }
  }
  fs::remove_all(root);
}

}  // namespace
}  // namespace pioneer
