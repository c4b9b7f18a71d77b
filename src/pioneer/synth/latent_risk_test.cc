#include "pioneer/synth/latent_risk.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pioneer::synth {
namespace {

ConditionSet Of(std::initializer_list<Condition> cs) {
  ConditionSet s = 0;
  for (Condition c : cs) s |= 1u << c;
  return s;
}

TEST(LatentRisk, NoTermsForAHealthyYoungWoman) {
  InteractionInputs in;
  in.age = 30;
  in.sex = 2;
  EXPECT_DOUBLE_EQ(InteractionLogTerms(in), 0.0);
}

TEST(LatentRisk, TermsAddOnTheLogScale) {
  // A man of 50 with diabetes and CKD: two conditions at 18-64 (+0.42 for the second),
  // men 45-64 (+0.42), diabetes with CKD (+0.7).
  InteractionInputs in;
  in.age = 50;
  in.sex = 1;
  in.conditions = Of({kDiabetes, kCkd});
  EXPECT_NEAR(InteractionLogTerms(in), 1.54, 1e-12);
  // The same conditions at 82 in a woman: -0.084 x 2 conditions at 80+, diabetes with CKD.
  in.age = 82;
  in.sex = 2;
  EXPECT_NEAR(InteractionLogTerms(in), 0.7 - 0.168, 1e-12);
}

TEST(LatentRisk, CopdMattersMoreInDeprivedAreas) {
  InteractionInputs in;
  in.age = 70;
  in.conditions = Of({kCopd});
  in.imd_decile = 2;
  const double deprived = InteractionLogTerms(in);
  in.imd_decile = 8;
  EXPECT_NEAR(deprived - InteractionLogTerms(in), 0.77, 1e-12);
}

TEST(LatentRisk, DementiaDependsOnSupportAndSetting) {
  InteractionInputs in;
  in.age = 75;
  in.conditions = Of({kDementia});
  EXPECT_NEAR(InteractionLogTerms(in), 0.77, 1e-12);  // at home, no support
  in.home_support = true;
  EXPECT_NEAR(InteractionLogTerms(in), 0.0, 1e-12);
  in.care_home = true;
  EXPECT_NEAR(InteractionLogTerms(in), -0.42, 1e-12);
}

TEST(LatentRisk, MultiplierIsNormalised) {
  InteractionInputs in;
  in.age = 30;
  EXPECT_NEAR(InteractionMultiplier(in, false) * InteractionNorm(30, false), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(InteractionNorm(10, true), 1.0);  // children: no terms, no normalisation
  EXPECT_GT(InteractionNorm(50, true), InteractionNorm(50, false));
}

}  // namespace
}  // namespace pioneer::synth
