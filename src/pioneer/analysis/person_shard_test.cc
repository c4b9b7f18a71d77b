#include "pioneer/analysis/person_shard.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "pioneer/model/nhs_number.h"

namespace pioneer::analysis {
namespace {

TEST(PersonShardTest, HashIsTheFirstEightBytesOfSha256BigEndian) {
  // Computed independently: int.from_bytes(hashlib.sha256(b"9434765919").digest()[:8], "big").
  EXPECT_EQ(PersonShardHash("9434765919"), 17156446807052923872ull);
  EXPECT_EQ(PersonShardHash("4010232137"), 3134799602551715141ull);
  PersonShard s{2, 3};
  EXPECT_TRUE(s.Contains("4010232137"));   // 3134799602551715141 % 3 == 2
  EXPECT_FALSE(s.Contains("9434765919"));  // ... % 3 == 0
  EXPECT_TRUE((PersonShard{0, 3}).Contains("9434765919"));
}

TEST(PersonShardTest, ShardsOfOneCountCoverEveryPersonOnce) {
  std::set<int> sizes;
  for (int n : {1, 2, 5}) {
    int covered = 0;
    for (int k = 0; k < 300; ++k) {
      const std::string nine = fmt::format("{:09d}", 400000000 + k * 7919);
      const int check = NhsNumber::CheckDigitFor(nine);
      if (check < 0) continue;
      const std::string nhs = nine + std::to_string(check);
      int in = 0;
      for (int i = 0; i < n; ++i) in += (PersonShard{i, n}).Contains(nhs) ? 1 : 0;
      EXPECT_EQ(in, 1) << "shard count " << n;
      ++covered;
    }
    EXPECT_GT(covered, 250);
  }
  EXPECT_TRUE((PersonShard{0, 4}).HoldsUnplaced());
  EXPECT_FALSE((PersonShard{1, 4}).HoldsUnplaced());
}

TEST(PersonShardTest, ParsesIOverNAndRejectsTheRest) {
  auto s = PersonShard::Parse("1/3");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->index, 1);
  EXPECT_EQ(s->count, 3);
  EXPECT_EQ(s->ToString(), "1/3");
  EXPECT_TRUE(PersonShard::Parse("0/1")->whole());
  for (const char* bad : {"", "3", "3/3", "-1/3", "1/0", "1/4097", "a/3", "1/3x", "1 /3", "/3"}) {
    auto p = PersonShard::Parse(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
  }
}

}  // namespace
}  // namespace pioneer::analysis
