#include "pioneer/risk/model_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "pioneer/base/sha256.h"
#include "pioneer/risk/evaluation.h"

namespace pioneer::risk {
namespace {

namespace fs = std::filesystem;

// A cohort whose emergency outcome follows log-odds -2.5 + 1.0 male + 0.8 diabetes
// + 1.2 (emergency_admissions == 1), with an interaction (diabetes x age >= 65: +1.0)
// that the main-effects baseline cannot represent.
Cohort Simulated(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u;
  Cohort c;
  c.index_date = *Date::ParseIso("2014-04-01");
  for (int i = 0; i < n; ++i) {
    std::vector<float> f(kFeatureCount, 0.0f);
    f[kAge] = static_cast<float>(20 + 70 * u(rng));
    f[kMale] = u(rng) < 0.5;
    f[kImdDecile] = static_cast<float>(1 + static_cast<int>(10 * u(rng)));
    f[kDiabetes] = u(rng) < 0.2;
    f[kEmergencyAdmissions] = u(rng) < 0.1;
    f[kDaysSinceEmergency] = 730;
    f[kFrailtyScore] = NAN;
    const double z = -2.5 + 1.0 * f[kMale] + 0.8 * f[kDiabetes] + 1.2 * f[kEmergencyAdmissions] +
                     (f[kDiabetes] > 0 && f[kAge] >= 65 ? 1.0 : 0.0);
    const bool y = u(rng) < Sigmoid(z);
    c.person.push_back(i);
    c.practice.push_back("Z10001");
    c.x.insert(c.x.end(), f.begin(), f.end());
    c.emergency.push_back(y);
    c.any_admission.push_back(y || u(rng) < 0.1);
    c.top_cost.push_back(y && u(rng) < 0.5);
    c.emergency_count.push_back(y);
    c.cost.push_back(y ? 2000 : 100);
    c.died.push_back(0);
  }
  return c;
}

int TermIndex(const std::string& name) {
  const auto& t = BaselineTerms();
  for (size_t i = 0; i < t.size(); ++i)
    if (t[i].name == name) return static_cast<int>(i);
  return -1;
}

TEST(Logistic, IrlsRecoversKnownCoefficients) {
  Cohort c = Simulated(30000, 11);
  // Remove the interaction's effect from the check: fit only people under 65.
  std::vector<uint8_t> use(c.rows());
  for (size_t i = 0; i < c.rows(); ++i) use[i] = c.at(i, kAge) < 65;
  auto m = FitLogistic(c, kEmergency, use);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_TRUE(m->converged);
  EXPECT_NEAR(m->coefficients[TermIndex("male")], 1.0, 0.12);
  EXPECT_NEAR(m->coefficients[TermIndex("ltc_diabetes")], 0.8, 0.15);
  EXPECT_NEAR(m->coefficients[TermIndex("emergency_1")], 1.2, 0.15);
  // Contributions add up to the log-odds.
  const std::span<const float> row(&c.x[0], kFeatureCount);
  double sum = m->intercept;
  for (const auto& t : Contributions(*m, row)) sum += t.contribution;
  EXPECT_NEAR(sum, LogOdds(*m, row), 1e-9);
}

TEST(Logistic, RefusesAnOutcomeThatNeverVaries) {
  Cohort c = Simulated(200, 1);
  std::fill(c.emergency.begin(), c.emergency.end(), 0);
  auto m = FitLogistic(c, kEmergency, {});
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
}

class ModelStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        (fs::temp_directory_path() / ("pioneer-risk-model-" + std::to_string(getpid()))).string();
    fs::remove_all(dir_);
    cohort_ = Simulated(4000, 7);
    model_.index_date = cohort_.index_date;
    model_.data_sha256 = "test";
    model_.params.rounds = 20;
    model_.params.threads = 1;
    for (int o = 0; o < kOutcomeCount; ++o) {
      auto b = FitLogistic(cohort_, static_cast<Outcome>(o), {});
      ASSERT_TRUE(b.ok()) << b.status().ToString();
      model_.outcomes[o].baseline = *b;
      auto x = BoostedModel::Train(cohort_, static_cast<Outcome>(o), {}, model_.params);
      ASSERT_TRUE(x.ok()) << x.status().ToString();
      model_.outcomes[o].boosted = std::move(*x);
      model_.outcomes[o].boosted_recalibration = {0.1, 0.9};
    }
    ASSERT_TRUE(SaveModel(model_, dir_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  static std::string Read(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void Write(const std::string& p, const std::string& s) {
    std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
  }

  std::string dir_;
  Cohort cohort_;
  RiskModel model_;
};

TEST_F(ModelStoreTest, RoundTripGivesTheSameScores) {
  auto loaded = LoadModel(dir_, 1);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->index_date, model_.index_date);
  auto a = model_.outcomes[kEmergency].boosted.Predict(cohort_);
  auto b = loaded->outcomes[kEmergency].boosted.Predict(cohort_);
  ASSERT_TRUE(a.ok() && b.ok());
  for (size_t i = 0; i < a->size(); ++i) ASSERT_FLOAT_EQ((*a)[i], (*b)[i]);
  EXPECT_DOUBLE_EQ(loaded->outcomes[kEmergency].baseline.intercept,
                   model_.outcomes[kEmergency].baseline.intercept);
  EXPECT_DOUBLE_EQ(loaded->outcomes[kEmergency].boosted_recalibration.b, 0.9);
  // The boosted model learns the interaction: it beats the baseline on the same people.
  std::vector<double> pb;
  for (size_t i = 0; i < cohort_.rows(); ++i) {
    pb.push_back(Sigmoid(LogOdds(model_.outcomes[kEmergency].baseline,
                                 {&cohort_.x[i * kFeatureCount], size_t(kFeatureCount)})));
  }
  EXPECT_GT(Auroc(*a, cohort_.emergency).auc, 0.6);
}

TEST_F(ModelStoreTest, DamagedFileIsRefused) {
  const std::string f = dir_ + "/emergency_admission.xgb.json";
  std::string s = Read(f);
  s[s.size() / 2] = s[s.size() / 2] == '1' ? '2' : '1';
  Write(f, s);
  auto loaded = LoadModel(dir_, 1);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(loaded.status().message().find("emergency_admission.xgb.json"), std::string::npos);
}

TEST_F(ModelStoreTest, EditedManifestIsRefused) {
  std::string s = Read(dir_ + "/model.json");
  s.replace(s.find("2014-04-01"), 10, "2014-05-01");
  Write(dir_ + "/model.json", s);
  auto loaded = LoadModel(dir_, 1);
  EXPECT_EQ(loaded.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(loaded.status().message().find("model.json.sha256"), std::string::npos);
}

TEST_F(ModelStoreTest, OtherFormatVersionIsRefused) {
  std::string s = Read(dir_ + "/model.json");
  const std::string key = "\"format_version\": 1";
  ASSERT_NE(s.find(key), std::string::npos);
  s.replace(s.find(key), key.size(), "\"format_version\": 99");
  Write(dir_ + "/model.json", s);
  Write(dir_ + "/model.json.sha256", Sha256Hex(s) + "  model.json\n");
  auto loaded = LoadModel(dir_, 1);
  EXPECT_EQ(loaded.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(loaded.status().message().find("version 99"), std::string::npos);
}

TEST_F(ModelStoreTest, MissingDirectoryIsNotFound) {
  EXPECT_EQ(LoadModel(dir_ + "-absent", 1).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace pioneer::risk
