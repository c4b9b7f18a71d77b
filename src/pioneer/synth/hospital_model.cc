#include "pioneer/synth/hospital_model.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <span>

#include "pioneer/synth/conditions.h"

namespace pioneer::synth {
namespace {

struct Coded {
  const char* code;
  double weight;
};

// Samples a code from a short weighted list.
const char* Pick(std::span<const Coded> list, Rng& rng) {
  double total = 0;
  for (const Coded& c : list) total += c.weight;
  double u = rng.Uniform() * total;
  for (const Coded& c : list) {
    if (u < c.weight) return c.code;
    u -= c.weight;
  }
  return list.back().code;
}

// Age bands: 0, 1-4, 5-14, 15-17, 18-44, 45-64, 65-74, 75-84, 85+.
int Band(int age) {
  if (age < 1) return 0;
  if (age < 5) return 1;
  if (age < 15) return 2;
  if (age < 18) return 3;
  if (age < 45) return 4;
  if (age < 65) return 5;
  if (age < 75) return 6;
  if (age < 85) return 7;
  return 8;
}

enum Season { kGeneral, kRespiratory, kBronchiolitis, kFluSeason, kFalls };

struct CauseDef {
  const char* name;
  int condition;     // required Condition or -1
  double hazard[9];  // per person-year by age band
  Season season;
  double female;  // multiplier for women
  CauseGroup group;
};

constexpr CauseDef kCauses[kCauseCount] = {
    {"fall",
     -1,
     {0.002, 0.003, 0.002, 0.002, 0.0012, 0.0018, 0.006, 0.016, 0.045},
     kFalls,
     1.25,
     kGroupFall},
    {"other_injury",
     -1,
     {0.006, 0.006, 0.005, 0.008, 0.007, 0.004, 0.003, 0.004, 0.006},
     kGeneral,
     0.75,
     kGroupOther},
    {"copd",
     kCopd,
     {0, 0, 0, 0, 0.10, 0.10, 0.11, 0.12, 0.13},
     kRespiratory,
     1.0,
     kGroupChronicAcsc},
    {"heart_failure",
     kHeartFailure,
     {0, 0, 0, 0, 0.10, 0.10, 0.12, 0.13, 0.14},
     kRespiratory,
     0.9,
     kGroupChronicAcsc},
    {"diabetes",
     kDiabetes,
     {0.08, 0.08, 0.08, 0.08, 0.03, 0.015, 0.015, 0.018, 0.02},
     kGeneral,
     1.0,
     kGroupChronicAcsc},
    {"angina", kChd, {0, 0, 0, 0, 0.04, 0.05, 0.05, 0.05, 0.04}, kGeneral, 0.8, kGroupChronicAcsc},
    {"af",
     kAtrialFibrillation,
     {0, 0, 0, 0, 0.04, 0.04, 0.04, 0.04, 0.04},
     kGeneral,
     1.0,
     kGroupChronicAcsc},
    {"epilepsy",
     kEpilepsy,
     {0.08, 0.08, 0.08, 0.08, 0.07, 0.07, 0.07, 0.07, 0.07},
     kGeneral,
     1.0,
     kGroupChronicAcsc},
    {"dementia",
     kDementia,
     {0, 0, 0, 0, 0.035, 0.035, 0.035, 0.035, 0.035},
     kGeneral,
     1.0,
     kGroupChronicAcsc},
    {"asthma",
     kAsthma,
     {0.02, 0.03, 0.015, 0.01, 0.006, 0.006, 0.008, 0.01, 0.01},
     kRespiratory,
     1.2,
     kGroupChronicAcsc},
    {"hypertension",
     kHypertension,
     {0, 0, 0, 0, 0.0015, 0.0015, 0.0015, 0.0015, 0.0015},
     kGeneral,
     1.0,
     kGroupChronicAcsc},
    {"anaemia",
     -1,
     {0, 0, 0, 0, 0.0001, 0.0002, 0.0006, 0.0012, 0.002},
     kGeneral,
     1.2,
     kGroupChronicAcsc},
    {"uti",
     -1,
     {0.0018, 0.0007, 0.0004, 0.0007, 0.0007, 0.001, 0.0026, 0.007, 0.017},
     kGeneral,
     1.6,
     kGroupAcuteAcsc},
    {"pneumonia",
     -1,
     {0, 0, 0, 0, 0.0008, 0.0015, 0.005, 0.012, 0.028},
     kRespiratory,
     0.9,
     kGroupAcuteAcsc},
    {"cellulitis",
     -1,
     {0.0005, 0.0005, 0.0004, 0.0005, 0.0008, 0.0012, 0.002, 0.003, 0.004},
     kGeneral,
     0.9,
     kGroupAcuteAcsc},
    {"gastro",
     -1,
     {0.012, 0.005, 0.0015, 0.001, 0.0008, 0.0008, 0.0015, 0.003, 0.006},
     kGeneral,
     1.1,
     kGroupAcuteAcsc},
    {"ent_dental",
     -1,
     {0.006, 0.004, 0.002, 0.0015, 0.0006, 0.0003, 0.0003, 0.0003, 0.0003},
     kRespiratory,
     1.0,
     kGroupAcuteAcsc},
    {"convulsions",
     -1,
     {0.004, 0.005, 0.001, 0.0008, 0.0006, 0.0005, 0.0005, 0.0006, 0.0008},
     kGeneral,
     0.9,
     kGroupAcuteAcsc},
    {"child_lrti",
     -1,
     {0.05, 0.012, 0.002, 0.002, 0, 0, 0, 0, 0},
     kBronchiolitis,
     0.8,
     kGroupChildLrti},
    {"flu",
     -1,
     {0.0008, 0.0005, 0.0002, 0.0002, 0.0002, 0.0003, 0.0006, 0.001, 0.0015},
     kFluSeason,
     1.0,
     kGroupAcuteAcsc},
    {"other_medical",
     -1,
     {0.12, 0.04, 0.018, 0.028, 0.04, 0.05, 0.085, 0.15, 0.26},
     kGeneral,
     1.05,
     kGroupOther},
    {"other_surgical",
     -1,
     {0.006, 0.004, 0.007, 0.01, 0.012, 0.012, 0.013, 0.015, 0.018},
     kGeneral,
     1.0,
     kGroupOther},
};

// Monthly profiles (January first), normalised to mean 1 on use.
constexpr double kSeason[5][12] = {
    /* general       */ {1.10, 1.04, 1.02, 0.97, 0.97, 0.94, 0.96, 0.92, 0.95, 1.00, 1.03, 1.10},
    /* respiratory   */ {1.45, 1.30, 1.15, 0.95, 0.85, 0.70, 0.65, 0.65, 0.80, 0.95, 1.15, 1.40},
    /* bronchiolitis */ {1.60, 1.00, 0.60, 0.30, 0.20, 0.15, 0.15, 0.15, 0.30, 1.00, 2.60, 3.00},
    /* flu           */ {3.00, 2.50, 1.00, 0.20, 0.05, 0.02, 0.02, 0.02, 0.05, 0.20, 1.50, 3.50},
    /* falls         */ {1.12, 1.08, 1.00, 0.97, 0.97, 0.96, 0.98, 0.96, 0.96, 0.98, 1.00, 1.10},
};

// --- Primary diagnosis lists --------------------------------------------------------------

constexpr Coded kFallInjuryOld[] = {
    {"S720", 16}, {"S721", 8}, {"S722", 2}, {"S065", 3}, {"S060", 6}, {"S099", 8}, {"S010", 6},
    {"S525", 6},  {"S422", 6}, {"S424", 2}, {"S324", 2}, {"S325", 5}, {"S223", 3}, {"S320", 3},
    {"T141", 2},  {"S700", 6}, {"S800", 2}, {"S828", 4}, {"S826", 2}, {"S018", 2}, {"T140", 3}};
constexpr Coded kFallInjuryYoung[] = {{"S525", 10}, {"S828", 8}, {"S099", 6}, {"S422", 4},
                                      {"S823", 3},  {"S720", 1}, {"S626", 3}, {"S934", 3},
                                      {"S060", 4},  {"S420", 3}, {"S529", 3}};
constexpr Coded kOtherInjury[] = {{"S099", 8},  {"S525", 6}, {"S626", 5}, {"S934", 4}, {"S610", 6},
                                  {"T391", 10}, {"T424", 5}, {"T509", 4}, {"S060", 5}, {"S828", 5},
                                  {"S822", 3},  {"S022", 3}, {"T203", 2}, {"S510", 3}, {"S223", 2},
                                  {"T784", 3},  {"S700", 2}};
constexpr Coded kCopdCodes[] = {{"J440", 35}, {"J441", 45}, {"J449", 10}, {"J439", 3},
                                {"J42X", 2},  {"J47X", 3},  {"J209", 5}};
constexpr Coded kHeartFailureCodes[] = {
    {"I500", 60}, {"I509", 25}, {"I110", 8}, {"J81X", 5}, {"I130", 2}};
constexpr Coded kDiabetesAdult[] = {{"E110", 3},  {"E111", 5},  {"E115", 15}, {"E116", 5},
                                    {"E119", 10}, {"E149", 10}, {"E141", 3},  {"E105", 5},
                                    {"E101", 10}, {"E107", 5},  {"E100", 4}};
constexpr Coded kDiabetesChild[] = {{"E101", 60}, {"E109", 20}, {"E100", 10}, {"E106", 10}};
constexpr Coded kAnginaCodes[] = {
    {"I200", 30}, {"I209", 35}, {"I208", 5}, {"I251", 25}, {"I259", 5}};
constexpr Coded kAfCodes[] = {{"I480", 40}, {"I489", 45}, {"I481", 10}, {"I482", 5}};
constexpr Coded kEpilepsyCodes[] = {{"G403", 15}, {"G409", 45}, {"G408", 10},
                                    {"G410", 5},  {"G419", 5},  {"G404", 20}};
constexpr Coded kDementiaCodes[] = {
    {"F03X", 50}, {"F019", 15}, {"F009", 10}, {"F001", 10}, {"F002", 15}};
constexpr Coded kAsthmaCodes[] = {{"J459", 70}, {"J450", 10}, {"J451", 5}, {"J46X", 15}};
constexpr Coded kHypertensionCodes[] = {{"I10X", 90}, {"I119", 10}};
constexpr Coded kAnaemiaCodes[] = {
    {"D509", 60}, {"D508", 10}, {"D501", 5}, {"D519", 15}, {"D529", 10}};
constexpr Coded kUtiCodes[] = {{"N390", 70}, {"N10X", 15}, {"N12X", 10}, {"N136", 2}, {"N300", 10}};
constexpr Coded kPneumoniaCodes[] = {{"J189", 55}, {"J181", 15}, {"J188", 3}, {"J180", 10},
                                     {"J159", 4},  {"J13X", 3},  {"J22X", 10}};
constexpr Coded kCellulitisCodes[] = {{"L039", 40}, {"L031", 45}, {"L030", 5}, {"L089", 3},
                                      {"L980", 1},  {"R02X", 2},  {"L88X", 2}};
constexpr Coded kGastroCodes[] = {
    {"A099", 40}, {"K529", 30}, {"K528", 5}, {"K522", 3}, {"E86X", 22}};
constexpr Coded kEntCodes[] = {{"J039", 25}, {"J069", 25}, {"H669", 20}, {"J029", 10}, {"J038", 5},
                               {"K047", 5},  {"K041", 3},  {"K122", 2},  {"J312", 1}};
constexpr Coded kConvulsionCodes[] = {{"R568", 85}, {"R560", 15}};
constexpr Coded kInfantLrti[] = {{"J219", 80}, {"J210", 10}, {"J189", 10}};
constexpr Coded kChildLrti[] = {{"J189", 50}, {"J181", 15}, {"J180", 15},
                                {"J159", 5},  {"J120", 5},  {"J129", 10}};
constexpr Coded kFluCodes[] = {{"J111", 50}, {"J118", 20}, {"J101", 15}, {"J100", 5}, {"J110", 10}};
constexpr Coded kOtherMedicalAdult[] = {
    {"R074", 7}, {"R073", 2}, {"R55X", 3}, {"I214", 1.5}, {"I219", 1}, {"I639", 3.5}, {"I64X", 2},
    {"G459", 3}, {"A419", 3}, {"N179", 3}, {"K922", 3},   {"R51X", 3}, {"J22X", 3},   {"F059", 2},
    {"E876", 1}, {"D649", 2}, {"I269", 2}, {"I802", 2},   {"F100", 2}, {"R060", 3},   {"J90X", 1},
    {"R296", 3}, {"R410", 2}, {"K297", 2}, {"F329", 2},   {"F209", 1}, {"F419", 1},   {"O210", 1},
    {"O209", 1}, {"R11X", 2}, {"K590", 1}, {"B349", 2},   {"R509", 2}};
constexpr Coded kOtherMedicalChild[] = {{"R509", 20}, {"R11X", 10}, {"J22X", 10}, {"B349", 25},
                                        {"R104", 10}, {"R062", 10}, {"L509", 5},  {"R55X", 5},
                                        {"K590", 5},  {"J069", 8}};
constexpr Coded kOtherSurgical[] = {
    {"R104", 30}, {"K358", 15}, {"K802", 10}, {"K810", 5}, {"K566", 5}, {"N23X", 10}, {"K922", 5},
    {"L022", 10}, {"N459", 3},  {"K409", 4},  {"K259", 3}, {"K610", 3}, {"K859", 3}};

constexpr Coded kFallCausesHome[] = {{"W010", 25}, {"W060", 8},  {"W070", 5}, {"W100", 12},
                                     {"W180", 10}, {"W190", 25}, {"W199", 15}};
constexpr Coded kFallCausesCareHome[] = {{"W011", 20}, {"W061", 15}, {"W071", 10},
                                         {"W181", 10}, {"W191", 30}, {"W199", 15}};
constexpr Coded kOtherCausesYoung[] = {{"V892", 15}, {"W220", 10}, {"W259", 8}, {"W540", 5},
                                       {"X599", 10}, {"X609", 8},  {"X619", 6}, {"Y049", 10},
                                       {"W509", 8},  {"V439", 5},  {"X500", 5}, {"W219", 10}};
constexpr Coded kOtherCausesOld[] = {{"X599", 55}, {"V892", 10}, {"W220", 10}, {"X609", 5},
                                     {"W540", 5},  {"Y049", 5},  {"W259", 10}};

constexpr Coded kTerminalCodes[] = {
    {"J189", 20}, {"A419", 10}, {"I639", 8}, {"I219", 6}, {"N179", 4}, {"S720", 3}, {"K922", 2},
    {"R54X", 3},  {"J690", 5},  {"J440", 4}, {"I509", 5}, {"C349", 3}, {"C809", 2}};

bool StartsWith(const char* s, const char* prefix) {
  return std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

// --- Electives -----------------------------------------------------------------------------

struct ElectiveDef {
  ElectiveProcedure p;
  double weight[3];  // 0-17, 18-64, 65+
  int sex;           // 0 any, 1 male, 2 female
};
constexpr ElectiveDef kElectives[] = {
    {{"H259", "C751", "130", true, 0}, {0, 0.02, 0.22}, 0},
    {{"K573", "H221", "301", true, 0}, {0, 0.12, 0.14}, 0},
    {{"K219", "G451", "301", true, 0}, {0.01, 0.12, 0.10}, 0},
    {{"M169", "W371", "110", false, 4}, {0, 0.02, 0.05}, 0},
    {{"M179", "W401", "110", false, 4}, {0, 0.03, 0.06}, 0},
    {{"K409", "T201", "100", true, 0}, {0.03, 0.05, 0.04}, 1},
    {{"R31X", "M459", "101", true, 0}, {0, 0.05, 0.08}, 0},
    {{"D229", "S062", "330", true, 0}, {0.03, 0.08, 0.07}, 0},
    {{"N920", "Q189", "502", true, 0}, {0, 0.08, 0.01}, 2},
    {{"J350", "F341", "120", false, 1}, {0.15, 0.02, 0}, 0},
    {{"K021", "F091", "120", true, 0}, {0.15, 0.02, 0}, 0},
    {{"H653", "D151", "120", true, 0}, {0.15, 0, 0}, 0},
    {{"I251", "K634", "320", true, 0}, {0, 0.04, 0.06}, 0},
    {{"K802", "J183", "100", false, 1}, {0.002, 0.06, 0.03}, 0},
    {{"G560", "A651", "110", true, 0}, {0, 0.04, 0.03}, 0},
    {{"D649", "X332", "300", true, 0}, {0, 0.02, 0.04}, 0},
    {{"N40X", "M651", "101", false, 2}, {0, 0.01, 0.04}, 1},
    {{"N63X", "B281", "100", true, 0}, {0, 0.03, 0.02}, 2},
    {{"K590", "H251", "420", true, 0}, {0.10, 0, 0}, 0},
};

}  // namespace

CauseGroup GroupOf(EmergencyCause c) { return kCauses[c].group; }
int RequiredCondition(EmergencyCause c) { return kCauses[c].condition; }
const char* CauseName(EmergencyCause c) { return kCauses[c].name; }

double BaseEmergencyHazard(EmergencyCause c, int age, int sex) {
  // The cause tables give hazards for a person of average health; the person's multipliers
  // (conditions, frailty, deprivation, readmission) raise the average above that, so each age
  // band is scaled to bring the simulated all-cause rates back to HES 2014/15 age-specific
  // emergency admission rates (docs/synthetic-data.md).
  constexpr double kBandScale[9] = {1.3, 0.86, 1.0, 0.71, 0.82, 0.75, 0.6, 0.56, 0.53};
  double h = kCauses[c].hazard[Band(age)] * kBandScale[Band(age)];
  if (sex == 2) h *= kCauses[c].female;
  return h;
}

double SeasonalMultiplier(EmergencyCause c, int month) {
  static const auto norm = [] {
    std::array<double, 5> n{};
    for (int s = 0; s < 5; ++s) {
      double sum = 0;
      for (double v : kSeason[s]) sum += v;
      n[s] = 12.0 / sum;
    }
    return n;
  }();
  const Season s = kCauses[c].season;
  return kSeason[s][month - 1] * norm[s];
}

const char* SampleEmergencyDiagnosis(EmergencyCause c, int age, Rng& rng) {
  switch (c) {
    case kCauseFall:
      return age >= 65 ? Pick(kFallInjuryOld, rng) : Pick(kFallInjuryYoung, rng);
    case kCauseOtherInjury:
      return Pick(kOtherInjury, rng);
    case kCauseCopd:
      return Pick(kCopdCodes, rng);
    case kCauseHeartFailure:
      return Pick(kHeartFailureCodes, rng);
    case kCauseDiabetes:
      return age < 19 ? Pick(kDiabetesChild, rng) : Pick(kDiabetesAdult, rng);
    case kCauseAngina:
      return Pick(kAnginaCodes, rng);
    case kCauseAf:
      return Pick(kAfCodes, rng);
    case kCauseEpilepsy:
      return Pick(kEpilepsyCodes, rng);
    case kCauseDementia:
      return Pick(kDementiaCodes, rng);
    case kCauseAsthma:
      return Pick(kAsthmaCodes, rng);
    case kCauseHypertension:
      return Pick(kHypertensionCodes, rng);
    case kCauseAnaemia:
      return Pick(kAnaemiaCodes, rng);
    case kCauseUti:
      return Pick(kUtiCodes, rng);
    case kCausePneumonia:
      return Pick(kPneumoniaCodes, rng);
    case kCauseCellulitis:
      return Pick(kCellulitisCodes, rng);
    case kCauseGastro:
      return Pick(kGastroCodes, rng);
    case kCauseEnt:
      return Pick(kEntCodes, rng);
    case kCauseConvulsions:
      return Pick(kConvulsionCodes, rng);
    case kCauseChildLrti:
      return age < 2 ? Pick(kInfantLrti, rng) : Pick(kChildLrti, rng);
    case kCauseFlu:
      return Pick(kFluCodes, rng);
    case kCauseOtherMedical:
      return age < 16 ? Pick(kOtherMedicalChild, rng) : Pick(kOtherMedicalAdult, rng);
    case kCauseOtherSurgical:
      return Pick(kOtherSurgical, rng);
    case kCauseCount:
      break;
  }
  return "R69X";
}

const char* SampleFallCauseCode(bool in_care_home, Rng& rng) {
  return in_care_home ? Pick(kFallCausesCareHome, rng) : Pick(kFallCausesHome, rng);
}

const char* SampleOtherInjuryCauseCode(int age, const char* diagnosis, Rng& rng) {
  if (StartsWith(diagnosis, "T39") || StartsWith(diagnosis, "T42") ||
      StartsWith(diagnosis, "T50")) {
    return rng.Bernoulli(0.7) ? "X609" : "X619";  // intentional self-poisoning
  }
  return age >= 65 ? Pick(kOtherCausesOld, rng) : Pick(kOtherCausesYoung, rng);
}

const char* SampleEmergencyProcedure(EmergencyCause c, const char* diagnosis, Rng& rng) {
  switch (c) {
    case kCauseFall:
    case kCauseOtherInjury:
      if (StartsWith(diagnosis, "S720") || StartsWith(diagnosis, "S721")) {
        return rng.Bernoulli(0.55) ? "W461" : "W241";  // hemiarthroplasty / fixation
      }
      if (StartsWith(diagnosis, "S52") || StartsWith(diagnosis, "S82")) {
        return rng.Bernoulli(0.5) ? "W191" : "W262";  // fixation / manipulation
      }
      return nullptr;
    case kCauseHeartFailure:
      return rng.Bernoulli(0.04) ? "K601" : nullptr;  // pacemaker (rule c)
    case kCauseAngina:
      if (rng.Bernoulli(0.22)) return "K634";         // angiography (rule f)
      return rng.Bernoulli(0.08) ? "K751" : nullptr;  // PCI
    case kCauseOtherMedical:
      if (StartsWith(diagnosis, "I21")) return rng.Bernoulli(0.6) ? "K751" : "K634";
      if (StartsWith(diagnosis, "K92")) return rng.Bernoulli(0.5) ? "G451" : nullptr;
      return nullptr;
    case kCauseOtherSurgical:
      if (StartsWith(diagnosis, "K35")) return "H011";  // appendicectomy
      if (StartsWith(diagnosis, "K80") || StartsWith(diagnosis, "K81")) {
        return rng.Bernoulli(0.3) ? "J183" : nullptr;
      }
      if (StartsWith(diagnosis, "L02")) return "S471";  // drainage of abscess
      return nullptr;
    default:
      return nullptr;
  }
}

const char* EmergencySpecialty(EmergencyCause c, int age, int los, Rng& rng) {
  if (age < 16) return c == kCauseFall || c == kCauseOtherInjury ? "110" : "420";
  if (los == 0 && rng.Bernoulli(0.4)) return "180";
  switch (c) {
    case kCauseFall:
      return age >= 80 && rng.Bernoulli(0.3) ? "430" : "110";
    case kCauseOtherInjury:
      return rng.Bernoulli(0.7) ? "110" : "300";
    case kCauseCopd:
    case kCauseAsthma:
    case kCausePneumonia:
    case kCauseFlu:
      return rng.Bernoulli(0.45) ? "340" : (age >= 80 ? "430" : "300");
    case kCauseHeartFailure:
    case kCauseAngina:
    case kCauseAf:
    case kCauseHypertension:
      return rng.Bernoulli(0.45) ? "320" : (age >= 80 ? "430" : "300");
    case kCauseEpilepsy:
    case kCauseConvulsions:
      return rng.Bernoulli(0.25) ? "400" : "300";
    case kCauseDementia:
      return rng.Bernoulli(0.7) ? "430" : "715";
    case kCauseUti:
      return age >= 75 && rng.Bernoulli(0.5) ? "430" : (rng.Bernoulli(0.15) ? "101" : "300");
    case kCauseOtherSurgical:
      return rng.Bernoulli(0.15) ? "101" : "100";
    case kCauseEnt:
      return rng.Bernoulli(0.5) ? "120" : "300";
    case kCauseGastro:
      return rng.Bernoulli(0.3) ? "301" : "300";
    default:
      return age >= 80 && rng.Bernoulli(0.4) ? "430" : "300";
  }
}

int SampleEmergencyLos(EmergencyCause c, const char* diagnosis, int age, Rng& rng) {
  double p_zero, median;
  if (age < 18) {
    p_zero = 0.45, median = 1.5;
  } else if (age < 65) {
    p_zero = 0.35, median = 2.5;
  } else if (age < 75) {
    p_zero = 0.25, median = 4;
  } else if (age < 85) {
    p_zero = 0.18, median = 5.5;
  } else {
    p_zero = 0.12, median = 7;
  }
  double factor = 1;
  const bool hip = StartsWith(diagnosis, "S720") || StartsWith(diagnosis, "S721") ||
                   StartsWith(diagnosis, "S722");
  if (hip) {
    factor = 2.6, p_zero = 0;
  } else if (StartsWith(diagnosis, "I63") || StartsWith(diagnosis, "I64")) {
    factor = 2.0, p_zero = 0.03;
  } else if (StartsWith(diagnosis, "R07")) {
    factor = 0.4, p_zero *= 1.8;
  } else {
    switch (c) {
      case kCauseHeartFailure:
        factor = 1.6, p_zero *= 0.3;
        break;
      case kCauseCopd:
        factor = 1.1, p_zero *= 0.6;
        break;
      case kCausePneumonia:
        factor = 1.4, p_zero *= 0.4;
        break;
      case kCauseDementia:
        factor = 1.8, p_zero *= 0.5;
        break;
      case kCauseEnt:
        factor = 0.5;
        break;
      case kCauseOtherInjury:
        factor = 0.8;
        break;
      default:
        break;
    }
  }
  if (rng.Bernoulli(std::min(p_zero, 0.9))) return 0;
  const double los = rng.LogNormal(std::log(median * factor), 0.85);
  return std::clamp(static_cast<int>(std::lround(los)), 1, 150);
}

const char* SampleTerminalDiagnosis(bool cancer, bool heart_failure, bool copd, bool dementia,
                                    Rng& rng) {
  if (cancer && rng.Bernoulli(0.6)) {
    constexpr Coded kCancers[] = {{"C349", 25}, {"C189", 10}, {"C259", 8}, {"C509", 8},
                                  {"C61X", 8},  {"C159", 5},  {"C169", 5}, {"C679", 4},
                                  {"C809", 10}, {"C859", 5},  {"C719", 3}, {"C649", 3}};
    return Pick(kCancers, rng);
  }
  if (heart_failure && rng.Bernoulli(0.4)) return rng.Bernoulli(0.7) ? "I500" : "I509";
  if (copd && rng.Bernoulli(0.4)) return rng.Bernoulli(0.6) ? "J441" : "J440";
  if (dementia && rng.Bernoulli(0.3)) return rng.Bernoulli(0.5) ? "J690" : "F03X";
  return Pick(kTerminalCodes, rng);
}

const char* ChiefComplaint(EmergencyCause c, Rng& rng) {
  switch (c) {
    case kCauseFall:
      return "fall";
    case kCauseOtherInjury:
      return rng.Bernoulli(0.2) ? "mental_health" : "injury";
    case kCauseCopd:
    case kCauseAsthma:
    case kCausePneumonia:
    case kCauseChildLrti:
    case kCauseFlu:
    case kCauseHeartFailure:
      return "breathlessness";
    case kCauseAngina:
    case kCauseAf:
      return "chest_pain";
    case kCauseDementia:
      return "confusion";
    case kCauseUti:
      return rng.Bernoulli(0.4) ? "confusion" : "fever";
    case kCauseCellulitis:
    case kCauseEnt:
      return "fever";
    case kCauseGastro:
    case kCauseOtherSurgical:
      return "abdominal_pain";
    case kCauseOtherMedical: {
      const double u = rng.Uniform();
      if (u < 0.25) return "chest_pain";
      if (u < 0.35) return "breathlessness";
      if (u < 0.45) return "abdominal_pain";
      if (u < 0.5) return "mental_health";
      return "other";
    }
    default:
      return "other";
  }
}

const ElectiveProcedure& SampleElective(int age, int sex, Rng& rng) {
  const int band = age < 18 ? 0 : (age < 65 ? 1 : 2);
  double w[std::size(kElectives)];
  for (size_t i = 0; i < std::size(kElectives); ++i) {
    const ElectiveDef& e = kElectives[i];
    w[i] = (e.sex == 0 || e.sex == sex) ? e.weight[band] : 0;
  }
  int i = SampleIndex(rng, w);
  if (i < 0) i = 1;
  return kElectives[i].p;
}

double BaseElectiveHazard(int age) {
  constexpr double kByBand[9] = {0.04, 0.04, 0.035, 0.035, 0.05, 0.12, 0.24, 0.28, 0.2};
  return kByBand[Band(age)];
}

const char* SampleOutpatientSpecialty(int age, int sex, uint32_t conditions, Rng& rng) {
  if (age < 16) return rng.Bernoulli(0.6) ? "420" : (rng.Bernoulli(0.5) ? "120" : "110");
  struct Opt {
    const char* specialty;
    double weight;
  };
  Opt opts[] = {
      {"110", 14},
      {"130", age >= 60 ? 14.0 : 5.0},
      {"100", 8},
      {"101", sex == 1 && age >= 50 ? 8.0 : 3.0},
      {"120", 6},
      {"330", 6},
      {"301", 7},
      {"300", 5},
      {"502", sex == 2 && age < 65 ? 10.0 : 0.0},
      {"501", sex == 2 && age >= 18 && age < 45 ? 10.0 : 0.0},
      {"320", Has(conditions, kChd) || Has(conditions, kHeartFailure) ||
                      Has(conditions, kAtrialFibrillation)
                  ? 20.0
                  : 3.0},
      {"340", Has(conditions, kCopd) || Has(conditions, kAsthma) ? 15.0 : 2.0},
      {"361", Has(conditions, kCkd) ? 8.0 : 0.5},
      {"400", Has(conditions, kEpilepsy) || Has(conditions, kStroke) ? 10.0 : 2.0},
      {"800", Has(conditions, kCancer) ? 30.0 : 0.0},
      {"430", age >= 75 ? 5.0 : 0.0},
      {"710", Has(conditions, kDepression) ? 3.0 : 0.3},
  };
  double w[std::size(opts)];
  for (size_t i = 0; i < std::size(opts); ++i) w[i] = opts[i].weight;
  return opts[SampleIndex(rng, w)].specialty;
}

}  // namespace pioneer::synth
