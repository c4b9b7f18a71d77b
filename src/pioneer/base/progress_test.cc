#include "pioneer/base/progress.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>

namespace pioneer {
namespace {

TEST(ProgressTest, RenderShowsPercentRatesAndLabel) {
  std::string s =
      TerminalProgressBar::Render(50'000'000, 100'000'000, 200'000, 2.0, "apc_episodes.csv", 10);
  EXPECT_EQ(s, "[#####.....]  50%  50.0 MB  25.0 MB/s  100000 rows/s  apc_episodes.csv");
  // Unknown total: no division by zero, empty bar.
  EXPECT_NE(TerminalProgressBar::Render(10, 0, 1, 0.0, "x", 4).find("[....]"), std::string::npos);
  // Bytes past the total are clamped to 100%.
  EXPECT_NE(TerminalProgressBar::Render(20, 10, 1, 1.0, "x", 4).find("[####] 100%"),
            std::string::npos);
}

TEST(ProgressTest, DrawsToStreamAndClearsOnFinish) {
  std::FILE* f = std::tmpfile();
  ASSERT_NE(f, nullptr);
  TerminalProgressBar bar(f, std::chrono::milliseconds(0));
  bar.Start(100);
  bar.Update(50, 5, "file.csv");
  bar.Finish();
  std::rewind(f);
  char buf[512] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string out(buf, n);
  EXPECT_EQ(out.front(), '\r');
  EXPECT_NE(out.find("file.csv"), std::string::npos);
  EXPECT_NE(out.find(" 50%"), std::string::npos);
  EXPECT_EQ(out.substr(out.size() - 4), "\r\x1b[K");
}

}  // namespace
}  // namespace pioneer
