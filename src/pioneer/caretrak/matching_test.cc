#include "pioneer/caretrak/matching.h"

#include <gtest/gtest.h>

#include <vector>

namespace pioneer::caretrak {
namespace {

TEST(Match, NearestInsideStratumAndCaliperOncePerPerson) {
  //               row:  0     1     2      3     4     5
  const std::vector<double> logit = {0.0, 0.1, -0.05, 0.0, 0.02, 3.0};
  const std::vector<uint8_t> treated = {1, 0, 0, 0, 1, 1};
  const std::vector<int32_t> stratum = {1, 1, 1, 2, 1, 1};
  const std::vector<uint32_t> group = {10, 11, 12, 13, 14, 15};
  const MatchResult m = Match(logit, treated, stratum, group, 100.0);
  // Highest score first: row 5 (3.0) takes the nearest, row 1 (0.1); then row 4 (0.02) takes
  // row 2 (-0.05, the only one left in stratum 1); row 0 finds none (row 3 is stratum 2).
  EXPECT_EQ(m.control_of[5], 1);
  EXPECT_EQ(m.control_of[4], 2);
  EXPECT_EQ(m.control_of[0], -1);
  EXPECT_EQ(m.matched, 2);
  EXPECT_EQ(m.unmatched, 1);
}

TEST(Match, CaliperExcludesDistantCandidates) {
  const std::vector<double> logit = {0.0, 1.0, 5.0, 5.1};
  const std::vector<uint8_t> treated = {1, 0, 1, 0};
  const std::vector<int32_t> stratum = {0, 0, 0, 0};
  const std::vector<uint32_t> group = {0, 1, 2, 3};
  // SD of the logits = 2.659; caliper 0.2 SD = 0.532: row 2 matches row 3, row 0 none.
  const MatchResult m = Match(logit, treated, stratum, group, 0.2);
  EXPECT_NEAR(m.caliper, 0.2 * 2.6587904518, 1e-6);
  EXPECT_EQ(m.control_of[2], 3);
  EXPECT_EQ(m.control_of[0], -1);
}

TEST(Match, APersonWithSeveralIndexDatesIsUsedOnce) {
  const std::vector<double> logit = {0.0, 0.01, 0.0, 0.5};
  const std::vector<uint8_t> treated = {1, 1, 0, 0};
  const std::vector<int32_t> stratum = {0, 0, 0, 0};
  const std::vector<uint32_t> group = {1, 2, 7, 7};  // rows 2 and 3: the same person
  const MatchResult m = Match(logit, treated, stratum, group, 100.0);
  EXPECT_EQ(m.matched, 1);
}

// With reuse a person may serve at several index dates (rows), each row once, never for their
// own treated row: row 0 (treated person 1) takes row 2 (person 7), row 1 (person 2) takes row
// 3 (person 7 again), and row 4 (treated person 9) cannot take row 5 (its own earlier row).
TEST(Match, WithReuseAPersonServesAtSeveralIndexDatesButEachRowOnce) {
  const std::vector<double> logit = {0.02, 0.01, 0.0, 0.5, -1.0, -1.0};
  const std::vector<uint8_t> treated = {1, 1, 0, 0, 1, 0};
  const std::vector<int32_t> stratum = {0, 0, 0, 0, 0, 0};
  const std::vector<uint32_t> group = {1, 2, 7, 7, 9, 9};
  const MatchResult m = Match(logit, treated, stratum, group, 100.0, /*reuse_groups=*/true);
  EXPECT_EQ(m.control_of[0], 2);
  EXPECT_EQ(m.control_of[1], 3);
  EXPECT_EQ(m.control_of[4], -1);
  EXPECT_EQ(m.matched, 2);
  EXPECT_EQ(m.unmatched, 1);
}

// The fine cell (e.g. the practice) first, the stratum as the fall-back: row 0 (practice 5)
// takes row 3 (practice 5) although row 2 is nearer; row 1 (practice 6, none left there)
// falls back to row 2; row 4 (practice unknown) takes the nearest left, row 5.
TEST(Match, FineCellFirstThenTheWholeStratum) {
  const std::vector<double> logit = {0.3, 0.2, 0.25, 0.6, 0.1, 0.0};
  const std::vector<uint8_t> treated = {1, 1, 0, 0, 1, 0};
  const std::vector<int32_t> stratum = {0, 0, 0, 0, 0, 0};
  const std::vector<uint32_t> group = {1, 2, 3, 4, 5, 6};
  const std::vector<int32_t> practice = {5, 6, 7, 5, -1, 5};
  const MatchResult m = Match(logit, treated, stratum, group, 100.0, false, practice);
  EXPECT_EQ(m.control_of[0], 3);
  EXPECT_EQ(m.control_of[1], 2);
  EXPECT_EQ(m.control_of[4], 5);
  EXPECT_EQ(m.matched, 3);
  EXPECT_EQ(m.matched_fine, 1);
  // Without the fine cells row 0 takes the nearest, row 2.
  EXPECT_EQ(Match(logit, treated, stratum, group, 100.0).control_of[0], 2);
}

// 1:2 matching in passes: row 1 (1.0) then row 0 (0.0) take their nearest (rows 3 and 6);
// then, in the second pass, the nearest left: row 1 takes row 5 (1.2; row 2 at 0.05 is
// further), row 0 takes row 2 (0.05, nearer than row 4 at -0.1). Row 4 is left over.
TEST(Match, OneToTwoMatchingTakesTheFirstControlsBeforeTheSecond) {
  //               row:  0    1    2     3    4     5    6
  const std::vector<double> logit = {0.0, 1.0, 0.05, 0.9, -0.1, 1.2, 0.02};
  const std::vector<uint8_t> treated = {1, 1, 0, 0, 0, 0, 0};
  const std::vector<int32_t> stratum(7, 0);
  const std::vector<uint32_t> group = {0, 1, 2, 3, 4, 5, 6};
  const MatchResult m = Match(logit, treated, stratum, group, 100.0, true, {}, 2);
  ASSERT_EQ(m.controls_of.size(), 14u);
  EXPECT_EQ(m.controls_of[1 * 2 + 0], 3);
  EXPECT_EQ(m.controls_of[0 * 2 + 0], 6);
  EXPECT_EQ(m.controls_of[1 * 2 + 1], 5);
  EXPECT_EQ(m.controls_of[0 * 2 + 1], 2);
  EXPECT_EQ(m.control_of[1], 3);
  EXPECT_EQ(m.matched, 2);
  EXPECT_EQ(m.controls, 4);
  // Greedy 1:2 without passes would have given row 1 both 3 and 5 and row 0 both 6 and 2 too;
  // with only three candidates the passes decide: row 1 gets 3, row 0 gets 6, then row 1 the
  // one left (2 is nearer row 0 but row 1 has the higher score).
  const std::vector<double> l3 = {0.0, 1.0, 0.05, 0.9, 0.02};
  const std::vector<uint8_t> t3 = {1, 1, 0, 0, 0};
  const MatchResult m3 = Match(l3, t3, std::vector<int32_t>(5, 0),
                               std::vector<uint32_t>{0, 1, 2, 3, 4}, 100.0, true, {}, 2);
  EXPECT_EQ(m3.controls_of[1 * 2 + 1], 2);
  EXPECT_EQ(m3.controls_of[0 * 2 + 1], -1);
  EXPECT_EQ(m3.controls, 3);
}

TEST(FitPropensity, ScoresTheTreatedHigherWhenAFeatureSeparatesThem) {
  std::vector<double> x;
  std::vector<uint8_t> t;
  for (int i = 0; i < 200; ++i) {
    const bool treated = i % 4 == 0;
    x.push_back(treated ? 2.0 + (i % 7) * 0.1 : (i % 9) * 0.2);  // informative
    x.push_back(i % 5);                                          // noise
    x.push_back(1.0);                                            // constant column
    t.push_back(treated);
  }
  auto logit = FitPropensity(x, 3, t);
  ASSERT_TRUE(logit.ok()) << logit.status().ToString();
  double mt = 0, mc = 0;
  for (size_t i = 0; i < t.size(); ++i) (t[i] ? mt : mc) += (*logit)[i];
  EXPECT_GT(mt / 50, mc / 150 + 1);
  EXPECT_FALSE(FitPropensity(x, 3, std::vector<uint8_t>(200, 0)).ok());
}

}  // namespace
}  // namespace pioneer::caretrak
