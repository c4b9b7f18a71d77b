#include "pioneer/link/model.h"

#include <gtest/gtest.h>

#include <cmath>

#include "pioneer/link/link_test_util.h"

namespace pioneer::link {
namespace {

using testing::P;
using testing::Rec;

// A two-comparison model: family_name (with TF) and birth_date.
FellegiSunterModel TwoFieldModel(double lambda) {
  std::vector<ComparisonSpec> specs = {DefaultComparison(Field::kFamilyName, false),
                                       DefaultComparison(Field::kBirthDate, false)};
  ComparisonSet set(specs);
  std::vector<ComparisonParameters> params(2);
  // family_name levels: null exact jw92 jw88 jw70 else
  params[0].m = {0, 0.8, 0.1, 0.04, 0.03, 0.03};
  params[0].u = {0, 0.01, 0.01, 0.02, 0.06, 0.9};
  // birth_date levels: null exact dl1 dm <=31 <=365 <=3653 else
  params[1].m = {0, 0.9, 0.04, 0.01, 0.01, 0.01, 0.01, 0.02};
  params[1].u = {0, 0.001, 0.002, 0.0005, 0.005, 0.02, 0.15, 0.8215};
  return FellegiSunterModel(set, params, lambda);
}

TEST(ModelTest, WeightsAndProbability) {
  const FellegiSunterModel m = TwoFieldModel(0.001);
  EXPECT_NEAR(m.prior_weight(), std::log2(0.001 / 0.999), 1e-12);
  EXPECT_NEAR(m.weight(0, kExactLevel), std::log2(0.8 / 0.01), 1e-12);
  EXPECT_NEAR(m.weight(1, 7), std::log2(0.02 / 0.8215), 1e-12);
  EXPECT_EQ(m.weight(0, kNullLevel), 0.0);
  EXPECT_DOUBLE_EQ(FellegiSunterModel::Probability(0), 0.5);
  EXPECT_NEAR(FellegiSunterModel::Probability(3), 8.0 / 9.0, 1e-12);
  EXPECT_NEAR(FellegiSunterModel::WeightForProbability(0.5), 0, 1e-12);
  EXPECT_NEAR(FellegiSunterModel::Probability(FellegiSunterModel::WeightForProbability(0.95)), 0.95,
              1e-12);
  EXPECT_EQ(FellegiSunterModel::Probability(100), 1.0);
}

TEST(ModelTest, ScoreSumsLevelsAndTermFrequencies) {
  RecordSet rs;
  // "smith" held by 3 of 5 records (tf 0.6); "quist" by 2 (tf 0.4).
  rs.Add(Rec({.id = "0", .family = "Smith", .dob = "1970-01-01"}));
  rs.Add(Rec({.id = "1", .family = "Smith", .dob = "1970-01-01"}));
  rs.Add(Rec({.id = "2", .family = "Smith", .dob = ""}));
  rs.Add(Rec({.id = "3", .family = "Quist", .dob = "1970-01-01"}));
  rs.Add(Rec({.id = "4", .family = "Quist", .dob = "1970-01-02"}));
  rs.ComputeTermFrequencies();
  const FellegiSunterModel m = TwoFieldModel(0.01);
  uint8_t levels[2];
  // Exact smith + exact dob: prior + log2(m/u) + TF (log2 u_exact - log2 tf) + dob exact.
  double w = m.Score(rs, 0, rs, 1, levels);
  EXPECT_EQ(levels[0], kExactLevel);
  EXPECT_EQ(levels[1], kExactLevel);
  const double tf_smith = std::log2(0.01) - std::log2(0.6);
  EXPECT_NEAR(w, m.prior_weight() + m.weight(0, 1) + tf_smith + m.weight(1, 1), 1e-6);
  // Rarer name gets more weight than the common one.
  const double w_quist = m.Score(rs, 3, rs, 4, levels);
  EXPECT_EQ(levels[1], 2);  // dl<=1
  EXPECT_NEAR(w_quist,
              m.prior_weight() + m.weight(0, 1) + std::log2(0.01) - std::log2(0.4) + m.weight(1, 2),
              1e-6);
  EXPECT_GT(m.TermFrequencyAdjustment(0, 1, rs, 3, rs, 4),
            m.TermFrequencyAdjustment(0, 1, rs, 0, rs, 1));
  // A null level contributes nothing.
  w = m.Score(rs, 0, rs, 2, levels);
  EXPECT_EQ(levels[1], kNullLevel);
  EXPECT_NEAR(w, m.prior_weight() + m.weight(0, 1) + tf_smith, 1e-6);
}

TEST(ModelTest, JsonRoundTrip) {
  const FellegiSunterModel m = TwoFieldModel(0.002);
  auto back = FellegiSunterModel::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), m.ToJson());
  EXPECT_DOUBLE_EQ(back->lambda(), 0.002);
  nlohmann::json bad = m.ToJson();
  bad["lambda"] = 2;
  EXPECT_FALSE(FellegiSunterModel::FromJson(bad).ok());
  bad = m.ToJson();
  bad["comparisons"][0]["levels"][0]["u"] = 0;
  EXPECT_FALSE(FellegiSunterModel::FromJson(bad).ok());
  EXPECT_FALSE(FellegiSunterModel::FromJson(nlohmann::json::object()).ok());
}

// family_name + the joint postcode/address comparison, with a "same address" stratum in which
// the family name agrees for most non-matches (household members).
FellegiSunterModel HouseholdModel() {
  ComparisonSpec loc = DefaultComparison(Field::kPostcode, false);
  loc.with_address = true;
  loc.term_frequency = false;
  std::vector<ComparisonSpec> specs = {DefaultComparison(Field::kFamilyName, false), loc};
  ComparisonSet set(specs);
  std::vector<ComparisonParameters> params(2);
  params[0].m = {0, 0.8, 0.1, 0.04, 0.03, 0.03};
  params[0].u = {0, 0.01, 0.01, 0.02, 0.06, 0.9};
  // null exact+address exact exact,other-address address sector district dl<=1 area
  // other-address else
  params[1].m = {0, 0.4, 0.2, 0.01, 0.2, 0.01, 0.01, 0.01, 0.01, 0.05, 0.1};
  params[1].u = {0, 1e-4, 1e-3, 1e-3, 1e-4, 1e-3, 1e-2, 1e-4, 0.1, 0.2, 0.6874};
  LocationStrata st;
  st.comparison = 1;
  st.names = {"same address"};
  st.stratum_of_level = {0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0};
  st.u = {{{0, 0.9, 0.02, 0.02, 0.02, 0.04}, params[1].u}};
  return FellegiSunterModel(set, params, 0.01, st);
}

TEST(ModelTest, LocationStratumReplacesUOfTheOtherComparisons) {
  RecordSet rs;
  rs.Add(Rec({.id = "0", .family = "Smith", .postcode = "LS1 4AP", .address = "1 High St"}));
  rs.Add(Rec({.id = "1", .family = "Smith", .postcode = "LS1 4AP", .address = "1 High St"}));
  rs.Add(Rec({.id = "2", .family = "Smith", .postcode = "LS1 4AP", .address = ""}));
  rs.Add(Rec({.id = "3", .family = "Jones", .postcode = "LS1 4AP", .address = "1 High St"}));
  rs.ComputeTermFrequencies();
  const FellegiSunterModel m = HouseholdModel();
  uint8_t levels[2];
  // Same address: family exact weighs log2(0.8 / 0.9) (no TF), not log2(0.8 / 0.01) + TF.
  double w = m.Score(rs, 0, rs, 1, levels);
  EXPECT_EQ(levels[1], 1);  // exact+address
  EXPECT_EQ(m.StratumOf(levels), 1);
  EXPECT_NEAR(w, m.prior_weight() + std::log2(0.8 / 0.9) + std::log2(0.4 / 1e-4), 1e-9);
  EXPECT_NEAR(w,
              m.prior_weight() + m.Contribution(0, levels, rs, 0, rs, 1) +
                  m.Contribution(1, levels, rs, 0, rs, 1),
              1e-9);
  // Same address, family names differ: log2(0.03 / 0.04).
  w = m.Score(rs, 0, rs, 3, levels);
  EXPECT_NEAR(w, m.prior_weight() + std::log2(0.03 / 0.04) + std::log2(0.4 / 1e-4), 1e-9);
  // Same postcode, an address missing: no stratum, the plain weights and TF
  // (smith held by 3 of 4 records).
  w = m.Score(rs, 0, rs, 2, levels);
  EXPECT_EQ(levels[1], 2);
  EXPECT_EQ(m.StratumOf(levels), 0);
  EXPECT_NEAR(w,
              m.prior_weight() + std::log2(0.8 / 0.01) + std::log2(0.01) - std::log2(0.75) +
                  std::log2(0.2 / 1e-3),
              1e-5);
}

TEST(ModelTest, JsonRoundTripWithStrata) {
  const FellegiSunterModel m = HouseholdModel();
  auto back = FellegiSunterModel::FromJson(m.ToJson());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->ToJson(), m.ToJson());
  EXPECT_TRUE(back->strata().active());
  nlohmann::json bad = m.ToJson();
  bad["location_strata"]["u"][0][0][1] = 0;
  EXPECT_FALSE(FellegiSunterModel::FromJson(bad).ok());
  bad = m.ToJson();
  bad["location_strata"]["stratum_of_level"][1] = 5;
  EXPECT_FALSE(FellegiSunterModel::FromJson(bad).ok());
}

}  // namespace
}  // namespace pioneer::link
