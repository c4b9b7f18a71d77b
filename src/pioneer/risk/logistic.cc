#include "pioneer/risk/logistic.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace pioneer::risk {
namespace {

double Log1p(float v) { return std::log1p(std::max(0.0f, v)); }

struct TermDef {
  const char* name;
  Feature feature;  // the feature the term is derived from
  const char* definition;
};

// Age bands (reference 18-44), deprivation quintiles (reference quintile 3 and unknown).
constexpr TermDef kTermDefs[] = {
    {"age_0_4", kAge, "age 0-4"},
    {"age_5_17", kAge, "age 5-17"},
    {"age_45_64", kAge, "age 45-64"},
    {"age_65_74", kAge, "age 65-74"},
    {"age_75_84", kAge, "age 75-84"},
    {"age_85_plus", kAge, "age 85+"},
    {"male", kMale, "sex male"},
    {"imd_q1", kImdDecile, "IMD deciles 1-2 (most deprived)"},
    {"imd_q2", kImdDecile, "IMD deciles 3-4"},
    {"imd_q4", kImdDecile, "IMD deciles 7-8"},
    {"imd_q5", kImdDecile, "IMD deciles 9-10 (least deprived)"},
    {"ltc_hypertension", kHypertension, "hypertension"},
    {"ltc_diabetes", kDiabetes, "diabetes"},
    {"ltc_asthma", kAsthma, "asthma"},
    {"ltc_chd", kChd, "coronary heart disease"},
    {"ltc_copd", kCopd, "COPD"},
    {"ltc_ckd", kCkd, "chronic kidney disease"},
    {"ltc_depression", kDepression, "depression"},
    {"ltc_atrial_fibrillation", kAtrialFibrillation, "atrial fibrillation"},
    {"ltc_stroke", kStroke, "stroke"},
    {"ltc_heart_failure", kHeartFailure, "heart failure"},
    {"ltc_cancer", kCancer, "cancer"},
    {"ltc_epilepsy", kEpilepsy, "epilepsy"},
    {"ltc_dementia", kDementia, "dementia"},
    {"falls_coded", kFallsCoded, "GP-coded fall in 12 months (any)"},
    {"incontinence", kIncontinence, "incontinence coded"},
    {"impaired_mobility", kImpairedMobility, "impaired mobility coded"},
    {"malnutrition", kMalnutrition, "malnutrition coded"},
    {"memory_impairment", kMemoryImpairment, "memory impairment coded"},
    {"frailty_score", kFrailtyScore, "latest frailty index (0 when never recorded)"},
    {"frailty_recorded", kFrailtyScore, "a frailty index has been recorded"},
    {"emergency_1", kEmergencyAdmissions, "1 emergency admission in 12 months"},
    {"emergency_2", kEmergencyAdmissions, "2 emergency admissions in 12 months"},
    {"emergency_3_plus", kEmergencyAdmissions, "3+ emergency admissions in 12 months"},
    {"log_bed_days", kEmergencyBedDays, "log(1 + emergency bed days in 12 months)"},
    {"emergency_last_90d", kDaysSinceEmergency, "an emergency admission in the last 90 days"},
    {"log_elective", kElectiveAdmissions, "log(1 + elective admissions in 12 months)"},
    {"log_ae", kAeAttendances, "log(1 + A&E attendances in 12 months)"},
    {"log_outpatient", kOutpatientAttendances, "log(1 + outpatient attendances in 12 months)"},
    {"log_outpatient_dna", kOutpatientDna, "log(1 + outpatient DNAs in 12 months)"},
    {"log_gp", kGpContacts, "log(1 + GP contacts in 12 months)"},
    {"log_gp_home", kGpHomeVisits, "log(1 + GP home visits in 12 months)"},
    {"log_community", kCommunityContacts, "log(1 + community contacts in 12 months)"},
    {"log_mental_health", kMentalHealthContacts, "log(1 + mental health contacts in 12 months)"},
    {"mh_crisis", kCrisisContacts, "crisis or liaison psychiatry contact in 12 months"},
    {"care_home", kCareHome, "in a care home on the index date"},
    {"home_care", kHomeCare, "home care in 12 months"},
    {"reablement", kReablement, "reablement in 12 months"},
    {"direct_payment_or_day_care", kDirectPaymentOrDayCare,
     "direct payment or day care in 12 months"},
    {"respite", kRespite, "respite in 12 months"},
    {"log_sc_assessments", kSocialCareAssessments,
     "log(1 + social care requests/assessments in 12 months)"},
    {"log_fall_admissions", kFallAdmissions, "log(1 + fall admissions in 12 months)"},
    {"log_ae_falls", kAeFalls, "log(1 + A&E fall attendances in 12 months)"},
    {"delayed_discharge", kDelayedDischarges, "a delayed discharge in 12 months"},
};
constexpr int kTerms = sizeof(kTermDefs) / sizeof(kTermDefs[0]);

}  // namespace

const std::vector<BaselineTerm>& BaselineTerms() {
  static const std::vector<BaselineTerm> terms = [] {
    std::vector<BaselineTerm> t;
    for (const auto& d : kTermDefs) t.push_back({d.name, d.definition, d.feature});
    return t;
  }();
  return terms;
}

void DesignRow(std::span<const float> f, std::vector<double>& o) {
  o.assign(kTerms, 0.0);
  const float age = f[kAge];
  int k = 0;
  o[k++] = age < 5;
  o[k++] = age >= 5 && age < 18;
  o[k++] = age >= 45 && age < 65;
  o[k++] = age >= 65 && age < 75;
  o[k++] = age >= 75 && age < 85;
  o[k++] = age >= 85;
  o[k++] = f[kMale];
  const float imd = f[kImdDecile];
  const bool known = !std::isnan(imd);
  o[k++] = known && imd <= 2;
  o[k++] = known && imd >= 3 && imd <= 4;
  o[k++] = known && imd >= 7 && imd <= 8;
  o[k++] = known && imd >= 9;
  for (int c = kHypertension; c <= kDementia; ++c) o[k++] = f[c];
  o[k++] = f[kFallsCoded] > 0;
  o[k++] = f[kIncontinence];
  o[k++] = f[kImpairedMobility];
  o[k++] = f[kMalnutrition];
  o[k++] = f[kMemoryImpairment];
  const bool frail = !std::isnan(f[kFrailtyScore]);
  o[k++] = frail ? f[kFrailtyScore] : 0.0;
  o[k++] = frail;
  o[k++] = f[kEmergencyAdmissions] == 1;
  o[k++] = f[kEmergencyAdmissions] == 2;
  o[k++] = f[kEmergencyAdmissions] >= 3;
  o[k++] = Log1p(f[kEmergencyBedDays]);
  o[k++] = f[kDaysSinceEmergency] <= 90;
  o[k++] = Log1p(f[kElectiveAdmissions]);
  o[k++] = Log1p(f[kAeAttendances]);
  o[k++] = Log1p(f[kOutpatientAttendances]);
  o[k++] = Log1p(f[kOutpatientDna]);
  o[k++] = Log1p(f[kGpContacts]);
  o[k++] = Log1p(f[kGpHomeVisits]);
  o[k++] = Log1p(f[kCommunityContacts]);
  o[k++] = Log1p(f[kMentalHealthContacts]);
  o[k++] = f[kCrisisContacts] > 0;
  o[k++] = f[kCareHome];
  o[k++] = f[kHomeCare];
  o[k++] = f[kReablement];
  o[k++] = f[kDirectPaymentOrDayCare];
  o[k++] = f[kRespite];
  o[k++] = Log1p(f[kSocialCareAssessments]);
  o[k++] = Log1p(f[kFallAdmissions]);
  o[k++] = Log1p(f[kAeFalls]);
  o[k++] = f[kDelayedDischarges] > 0;
}

double Logit(double p) {
  p = std::clamp(p, 1e-9, 1 - 1e-9);
  return std::log(p / (1 - p));
}

double Sigmoid(double z) { return 1 / (1 + std::exp(-z)); }

bool SolveSpd(std::vector<double> a, std::vector<double> b, int n, std::vector<double>& x) {
  // Cholesky A = L L^T in place (lower triangle).
  for (int j = 0; j < n; ++j) {
    double s = a[j * n + j];
    for (int k = 0; k < j; ++k) s -= a[j * n + k] * a[j * n + k];
    if (!(s > 1e-12)) return false;
    const double d = std::sqrt(s);
    a[j * n + j] = d;
    for (int i = j + 1; i < n; ++i) {
      double t = a[i * n + j];
      for (int k = 0; k < j; ++k) t -= a[i * n + k] * a[j * n + k];
      a[i * n + j] = t / d;
    }
  }
  for (int i = 0; i < n; ++i) {  // L y = b
    double t = b[i];
    for (int k = 0; k < i; ++k) t -= a[i * n + k] * b[k];
    b[i] = t / a[i * n + i];
  }
  for (int i = n - 1; i >= 0; --i) {  // L^T x = y
    double t = b[i];
    for (int k = i + 1; k < n; ++k) t -= a[k * n + i] * b[k];
    b[i] = t / a[i * n + i];
  }
  x = std::move(b);
  return true;
}

StatusOr<LogisticModel> FitLogistic(const Cohort& cohort, Outcome outcome,
                                    const std::vector<uint8_t>& use, double ridge) {
  const auto& y = cohort.label(outcome);
  const int p = kTerms + 1;  // intercept first
  // The design rows of the people used (intercept first), built once and held sparse: only
  // the non-zero terms, with their column, since most terms of most people are 0 (about a
  // fifth of the dense size). Every sum below adds the same non-zero products in the same
  // order as over the dense row (a zero term adds +-0, which changes no sum), so the fit is
  // the same to the last bit.
  std::vector<double> Y;
  std::vector<size_t> row_start = {0};
  std::vector<uint8_t> cols;
  std::vector<double> vals;
  {
    std::vector<double> dense;
    for (size_t i = 0; i < cohort.rows(); ++i) {
      if (!use.empty() && !use[i]) continue;
      Y.push_back(y[i]);
      DesignRow({&cohort.x[i * kFeatureCount], static_cast<size_t>(kFeatureCount)}, dense);
      cols.push_back(0);
      vals.push_back(1.0);
      for (int j = 0; j < kTerms; ++j) {
        if (dense[j] == 0) continue;
        cols.push_back(static_cast<uint8_t>(j + 1));
        vals.push_back(dense[j]);
      }
      row_start.push_back(cols.size());
    }
  }
  static_assert(kTerms + 1 <= 256, "design columns are held as bytes");
  const size_t n = Y.size();
  double positives = 0;
  for (double v : Y) positives += v;
  if (n == 0 || positives == 0 || positives == static_cast<double>(n)) {
    return InvalidArgumentError(
        fmt::format("cannot fit the baseline for {}: {} people, {} with the outcome",
                    OutcomeName(outcome), n, positives));
  }
  std::vector<double> beta(p, 0.0);
  beta[0] = Logit(positives / n);
  LogisticModel m;
  std::vector<double> H(p * p), g(p), step;
  auto linear = [&](size_t i, const std::vector<double>& b) {
    double eta = 0;
    for (size_t e = row_start[i]; e < row_start[i + 1]; ++e) eta += vals[e] * b[cols[e]];
    return eta;
  };
  auto penalised_loglik = [&](const std::vector<double>& b) {
    double ll = 0;
    for (size_t i = 0; i < n; ++i) {
      const double eta = linear(i, b);
      // y eta - log(1 + e^eta), computed without overflow.
      ll += Y[i] * eta - (eta > 0 ? eta + std::log1p(std::exp(-eta)) : std::log1p(std::exp(eta)));
    }
    for (int j = 1; j < p; ++j) ll -= 0.5 * ridge * b[j] * b[j];
    return ll;
  };
  for (int it = 1; it <= 50; ++it) {
    std::fill(H.begin(), H.end(), 0.0);
    std::fill(g.begin(), g.end(), 0.0);
    for (size_t i = 0; i < n; ++i) {
      const double eta = linear(i, beta);
      const double mu = Sigmoid(eta);
      const double w = std::max(mu * (1 - mu), 1e-10);
      const double r = Y[i] - mu;
      const size_t begin = row_start[i], end = row_start[i + 1];
      for (size_t e = begin; e < end; ++e) {
        const int j = cols[e];
        g[j] += vals[e] * r;
        const double wx = w * vals[e];
        double* hj = &H[j * p];
        for (size_t f = begin; f <= e; ++f) hj[cols[f]] += wx * vals[f];
      }
    }
    for (int j = 0; j < p; ++j) {
      for (int k = 0; k < j; ++k) H[k * p + j] = H[j * p + k];
      if (j > 0) {
        H[j * p + j] += ridge;
        g[j] -= ridge * beta[j];
      }
    }
    if (!SolveSpd(H, g, p, step)) {
      return InternalError("baseline logistic regression: singular information matrix");
    }
    // Step halving: accept the Newton step only if the penalised log-likelihood rises
    // (near-separable outcomes otherwise diverge).
    const double before = penalised_loglik(beta);
    std::vector<double> trial(p);
    double scale = 1;
    for (int half = 0; half < 30; ++half, scale /= 2) {
      for (int j = 0; j < p; ++j) trial[j] = beta[j] + scale * step[j];
      if (penalised_loglik(trial) >= before - 1e-9) break;
    }
    double max_step = 0;
    for (int j = 0; j < p; ++j) {
      max_step = std::max(max_step, std::abs(trial[j] - beta[j]));
      beta[j] = trial[j];
    }
    m.iterations = it;
    if (max_step < 1e-7) {
      m.converged = true;
      break;
    }
  }
  m.intercept = beta[0];
  m.coefficients.assign(beta.begin() + 1, beta.end());
  return m;
}

double LogOdds(const LogisticModel& m, std::span<const float> features) {
  thread_local std::vector<double> row;
  DesignRow(features, row);
  return LogOddsOfDesign(m, row);
}

double LogOddsOfDesign(const LogisticModel& m, std::span<const double> design) {
  double z = m.intercept;
  for (size_t j = 0; j < design.size(); ++j) z += m.coefficients[j] * design[j];
  return z;
}

std::vector<TermContribution> Contributions(const LogisticModel& m,
                                            std::span<const float> features) {
  std::vector<double> row;
  DesignRow(features, row);
  std::vector<TermContribution> out;
  for (size_t j = 0; j < row.size(); ++j) {
    if (row[j] == 0) continue;
    out.push_back({static_cast<int>(j), row[j], m.coefficients[j] * row[j]});
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.contribution > b.contribution; });
  return out;
}

double Recalibration::Apply(double p) const { return Sigmoid(a + b * Logit(p)); }

StatusOr<Recalibration> FitRecalibration(std::span<const double> p, std::span<const uint8_t> y) {
  double pos = 0;
  for (auto v : y) pos += v;
  if (pos == 0 || pos == static_cast<double>(y.size())) {
    return InvalidArgumentError("recalibration needs people with and without the outcome");
  }
  double a = 0, b = 1;
  for (int it = 0; it < 100; ++it) {
    double h00 = 0, h01 = 0, h11 = 0, g0 = 0, g1 = 0;
    for (size_t i = 0; i < p.size(); ++i) {
      const double x = Logit(p[i]);
      const double mu = Sigmoid(a + b * x);
      const double w = mu * (1 - mu);
      g0 += y[i] - mu;
      g1 += (y[i] - mu) * x;
      h00 += w;
      h01 += w * x;
      h11 += w * x * x;
    }
    const double det = h00 * h11 - h01 * h01;
    if (!(std::abs(det) > 1e-12)) break;
    const double da = (h11 * g0 - h01 * g1) / det;
    const double db = (h00 * g1 - h01 * g0) / det;
    a += da;
    b += db;
    if (std::abs(da) + std::abs(db) < 1e-10) break;
  }
  return Recalibration{a, b};
}

}  // namespace pioneer::risk
