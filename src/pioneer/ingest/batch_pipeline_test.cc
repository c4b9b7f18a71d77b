#include "pioneer/ingest/batch_pipeline.h"

#include <gtest/gtest.h>

#include <vector>

namespace pioneer::ingest {
namespace {

const formats::ExtractSpec* Lsoa() { return formats::FindExtract("lsoa.csv"); }

void RunPipeline(bool threaded) {
  std::vector<int64_t> seen;
  BatchPipeline p(
      [&](RowBatch& b) {
        return b.ForEachRow([&](int64_t line, std::span<const store::Cell> cells) {
          EXPECT_EQ(cells[0].text, "x" + std::to_string(line));
          seen.push_back(line);
          return OkStatus();
        });
      },
      threaded, 2);
  int64_t line = 0;
  for (int b = 0; b < 50; ++b) {
    auto batch = p.Acquire();
    batch->Reset(Lsoa(), 1);
    for (int r = 0; r < 10; ++r) {
      batch->BeginRow(++line);
      batch->AddText("x" + std::to_string(line));
    }
    ASSERT_TRUE(p.Submit(std::move(batch)).ok());
  }
  ASSERT_TRUE(p.Finish().ok());
  ASSERT_EQ(seen.size(), 500u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], static_cast<int64_t>(i + 1));
}

TEST(BatchPipelineTest, KeepsOrderThreaded) { RunPipeline(true); }
TEST(BatchPipelineTest, KeepsOrderInline) { RunPipeline(false); }

TEST(BatchPipelineTest, ConsumerErrorStopsAndIsReported) {
  for (bool threaded : {true, false}) {
    int calls = 0;
    BatchPipeline p(
        [&](RowBatch&) { return ++calls == 3 ? UnavailableError("disk full") : OkStatus(); },
        threaded, 2);
    Status last;
    for (int b = 0; b < 20 && last.ok(); ++b) {
      auto batch = p.Acquire();
      batch->Reset(Lsoa(), 1);
      last = p.Submit(std::move(batch));
    }
    Status fin = p.Finish();
    EXPECT_EQ(fin.message(), "disk full");
    EXPECT_EQ(calls, 3);
  }
}

TEST(BatchPipelineTest, CancelRowDropsPartialRow) {
  RowBatch b;
  b.Reset(Lsoa(), 2);
  b.BeginRow(1);
  b.AddText("keep");
  b.AddInt(1);
  b.BeginRow(2);
  b.AddText("drop");
  b.CancelRow();
  EXPECT_EQ(b.rows(), 1u);
  int n = 0;
  ASSERT_TRUE(b.ForEachRow([&](int64_t, std::span<const store::Cell> c) {
                 EXPECT_EQ(c[0].text, "keep");
                 EXPECT_EQ(c[1].i, 1);
                 ++n;
                 return OkStatus();
               }).ok());
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace pioneer::ingest
