#include "pioneer/synth/conditions.h"

#include <algorithm>
#include <cmath>

namespace pioneer::synth {
namespace {

// Prevalence at ages 0, 10, 20, ..., 90 (linear in between, flat after 90).
constexpr double kCurve[kConditionCount][10] = {
    /* hypertension */ {0, 0, 0.01, 0.03, 0.07, 0.15, 0.28, 0.42, 0.55, 0.60},
    /* diabetes     */ {0, 0.002, 0.004, 0.012, 0.035, 0.07, 0.12, 0.16, 0.17, 0.14},
    /* asthma       */ {0.06, 0.09, 0.08, 0.065, 0.06, 0.06, 0.065, 0.07, 0.07, 0.06},
    /* chd          */ {0, 0, 0, 0.001, 0.006, 0.02, 0.06, 0.11, 0.16, 0.18},
    /* copd         */ {0, 0, 0, 0.001, 0.004, 0.014, 0.04, 0.065, 0.075, 0.065},
    /* ckd (3-5)    */ {0, 0, 0.001, 0.003, 0.008, 0.02, 0.06, 0.15, 0.28, 0.33},
    /* depression   */ {0, 0.005, 0.06, 0.09, 0.10, 0.10, 0.09, 0.08, 0.08, 0.08},
    /* af           */ {0, 0, 0, 0.001, 0.003, 0.008, 0.025, 0.065, 0.12, 0.16},
    /* stroke/tia   */ {0, 0, 0, 0.001, 0.004, 0.01, 0.025, 0.05, 0.08, 0.09},
    /* heart failure*/ {0, 0, 0, 0, 0.001, 0.003, 0.01, 0.03, 0.06, 0.09},
    /* cancer       */ {0, 0.001, 0.002, 0.005, 0.01, 0.02, 0.045, 0.07, 0.09, 0.09},
    /* epilepsy     */ {0.004, 0.006, 0.008, 0.008, 0.008, 0.008, 0.008, 0.008, 0.008, 0.008},
    /* dementia     */ {0, 0, 0, 0, 0, 0.001, 0.005, 0.025, 0.10, 0.25},
};

// Relative prevalence in the most deprived decile versus the least (log-linear between).
constexpr double kDeprivationGradient[kConditionCount] = {1.2, 1.6, 1.3, 1.7, 2.5, 1.3, 1.7,
                                                          1.0, 1.6, 1.6, 1.0, 1.5, 1.2};

constexpr double kMortality[kConditionCount] = {1.0, 1.25, 1.0, 1.4, 1.7, 1.2, 1.1,
                                                1.3, 1.3,  2.2, 2.0, 1.2, 2.2};

constexpr int kOnsetAge[kConditionCount] = {30, 20, 2, 40, 45, 50, 16, 50, 45, 50, 30, 1, 60};

constexpr const char* kSnomed[kConditionCount] = {
    "38341003", "73211009",  "195967001", "53741008",  "13645005", "709044004", "35489007",
    "49436004", "230690007", "84114007",  "363346000", "84757009", "52448006"};

constexpr const char* kIcd10[kConditionCount] = {"I10X", "E119", "J459", "I251", "J449",
                                                 "N183", "F329", "I489", "Z867", "I509",
                                                 "Z859", "G409", "F03X"};

constexpr const char* kNames[kConditionCount] = {
    "hypertension", "diabetes", "asthma",        "chd",    "copd",     "ckd",     "depression",
    "af",           "stroke",   "heart_failure", "cancer", "epilepsy", "dementia"};

}  // namespace

double Prevalence(Condition c, double age) {
  if (age <= 0) return kCurve[c][0];
  if (age >= 90) return kCurve[c][9];
  const int i = static_cast<int>(age / 10);
  const double f = age / 10 - i;
  return kCurve[c][i] * (1 - f) + kCurve[c][i + 1] * f;
}

double DeprivationMultiplier(Condition c, int imd_decile) {
  // Geometric interpolation from gradient^0.5 (decile 1) to gradient^-0.5 (decile 10).
  const double g = kDeprivationGradient[c];
  const double t = 0.5 - (std::clamp(imd_decile, 1, 10) - 1) / 9.0;
  return std::exp(t * std::log(g));
}

double MortalityMultiplier(Condition c) { return kMortality[c]; }
int TypicalOnsetAge(Condition c) { return kOnsetAge[c]; }
const char* ConditionSnomed(Condition c) { return kSnomed[c]; }
const char* ConditionIcd10(Condition c) { return kIcd10[c]; }
const char* ConditionName(Condition c) { return kNames[c]; }

}  // namespace pioneer::synth
