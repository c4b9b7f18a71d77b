#include "pioneer/synth/demography.h"

#include <array>
#include <cmath>

namespace pioneer::synth {
namespace {

// England mid-2012 population estimates, thousands, by five-year band 0-4 .. 85-89 and 90+
// (ONS MYE, rounded). Within a band ages are equally likely; 90+ is spread over 90-104 with
// a 25% fall per year of age.
constexpr double kMales[19] = {1752, 1570, 1523, 1640, 1810, 1820, 1740, 1690, 1930, 1950,
                               1710, 1480, 1580, 1280, 1000, 780,  530,  290,  110};
constexpr double kFemales[19] = {1670, 1497, 1449, 1560, 1760, 1810, 1740, 1710, 1960, 1990,
                                 1740, 1510, 1640, 1370, 1110, 940,  750,  510,  300};

struct Pyramid {
  Discrete by_sex[2];
  double male_share;
  Discrete migrant_age;
};

std::array<double, kMaxAge + 1> SingleYears(const double* bands) {
  std::array<double, kMaxAge + 1> w{};
  for (int b = 0; b < 18; ++b) {
    for (int a = 0; a < 5; ++a) w[b * 5 + a] = bands[b] / 5;
  }
  double norm = 0, f = 1;
  for (int a = 90; a <= kMaxAge; ++a, f *= 0.75) norm += f;
  f = 1;
  for (int a = 90; a <= kMaxAge; ++a, f *= 0.75) w[a] = bands[18] * f / norm;
  return w;
}

const Pyramid& GetPyramid() {
  static const Pyramid p = [] {
    Pyramid out;
    const auto m = SingleYears(kMales);
    const auto f = SingleYears(kFemales);
    out.by_sex[0] = Discrete(m);
    out.by_sex[1] = Discrete(f);
    double tm = 0, tf = 0;
    for (double x : m) tm += x;
    for (double x : f) tf += x;
    out.male_share = tm / (tm + tf);
    // Migrants' ages: the pyramid weighted by the age profile of moving (so that inflows
    // roughly replace outflows age for age).
    std::array<double, kMaxAge + 1> mig{};
    for (int a = 0; a <= kMaxAge; ++a) mig[a] = (m[a] + f[a]) * OutMigrationHazard(a);
    out.migrant_age = Discrete(mig);
    return out;
  }();
  return p;
}

}  // namespace

int SampleResidentSex(Rng& rng) { return rng.Bernoulli(GetPyramid().male_share) ? 1 : 2; }

int SampleNewbornSex(Rng& rng) { return rng.Bernoulli(105.0 / 205.0) ? 1 : 2; }

int SampleResidentAge(Rng& rng, int sex) {
  return GetPyramid().by_sex[sex == 2 ? 1 : 0].Sample(rng);
}

int SampleInMigrantAge(Rng& rng) { return GetPyramid().migrant_age.Sample(rng); }

double DeathHazard(int age, int sex) {
  double q;
  if (age == 0) {
    q = sex == 1 ? 0.0045 : 0.0037;
  } else if (age < 15) {
    q = 0.00012;
  } else if (age < 30) {
    q = sex == 1 ? 0.0006 : 0.00025;
  } else if (sex == 1) {
    q = 0.0004 + std::exp(-10.9 + 0.0985 * age);
  } else {
    q = 0.0003 + std::exp(-11.35 + 0.1015 * age);
  }
  if (q > 0.6) q = 0.6;
  return -std::log(1 - q);
}

double OutMigrationHazard(int age) {
  if (age < 5) return 0.05;
  if (age < 16) return 0.035;
  if (age < 18) return 0.03;
  if (age < 20) return 0.12;
  if (age < 25) return 0.11;
  if (age < 30) return 0.09;
  if (age < 35) return 0.065;
  if (age < 45) return 0.04;
  if (age < 55) return 0.025;
  if (age < 65) return 0.02;
  if (age < 85) return 0.015;
  return 0.02;
}

double LocalMoveHazard(int age) {
  if (age < 18) return 0.07;
  if (age < 25) return 0.15;
  if (age < 35) return 0.12;
  if (age < 65) return 0.05;
  return 0.03;
}

double SurnameChangeHazard(int age, int sex) {
  if (age < 18 || age > 70) return 0;
  if (sex == 2) return age >= 20 && age < 45 ? 0.02 : 0.003;
  return 0.0005;
}

}  // namespace pioneer::synth
