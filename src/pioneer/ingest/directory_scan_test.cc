#include "pioneer/ingest/directory_scan.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "pioneer/ingest/testing/sample_extracts.h"

namespace pioneer::ingest {
namespace {

namespace fs = std::filesystem;

TEST(DirectoryScanTest, KnownUnknownAndTruth) {
  fs::path dir = fs::path(::testing::TempDir()) / "pioneer_scan_test";
  fs::remove_all(dir);
  testing::WriteFile(dir / "pds.csv", "x");
  testing::WriteFile(dir / "organisations.csv", "x");
  testing::WriteFile(dir / "notes.txt", "x");
  testing::WriteFile(dir / "APC_EPISODES.CSV", "x");
  testing::WriteFile(dir / "truth" / "people.csv", "x");
  testing::WriteFile(dir / "old" / "pds.csv", "x");
  auto listing = ScanDirectory(dir.string());
  ASSERT_TRUE(listing.ok());
  ASSERT_EQ(listing->extracts.size(), 2u);
  // Reference data first, whatever the directory order.
  EXPECT_EQ(listing->extracts[0].spec->file_name, "organisations.csv");
  EXPECT_EQ(listing->extracts[1].spec->file_name, "pds.csv");
  EXPECT_EQ(listing->unknown, (std::vector<std::string>{"APC_EPISODES.CSV", "notes.txt", "old/"}));
  ASSERT_EQ(listing->ignored.size(), 1u);
  EXPECT_EQ(listing->ignored[0].rfind("truth/", 0), 0u);
  fs::remove_all(dir);
  EXPECT_EQ(ScanDirectory(dir.string()).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::ingest
