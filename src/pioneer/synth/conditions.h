// Long-term conditions: prevalence by age and deprivation, their SNOMED CT codes in GP data
// and their ICD-10 codes as secondary diagnoses in hospital data.
//
// Prevalence curves are piecewise linear in age, shaped after QOF 2013/14 registers and the
// Health Survey for England (docs/synthetic-data.md, "Long-term conditions"). A person's
// chance of having a condition is prevalence(age) x deprivation multiplier x exp(0.35 z) /
// 1.06, where z is the person's latent risk, so conditions cluster (multimorbidity) and
// follow the social gradient.
// Thread safety: constant tables.
#pragma once

#include <cstdint>

namespace pioneer::synth {

enum Condition : int {
  kHypertension = 0,
  kDiabetes,
  kAsthma,
  kChd,
  kCopd,
  kCkd,
  kDepression,
  kAtrialFibrillation,
  kStroke,
  kHeartFailure,
  kCancer,
  kEpilepsy,
  kDementia,
  kConditionCount
};

using ConditionSet = uint32_t;
inline bool Has(ConditionSet s, Condition c) { return (s >> c) & 1u; }
inline int CountConditions(ConditionSet s) { return __builtin_popcount(s); }

// Prevalence (probability of having been diagnosed) at `age`.
double Prevalence(Condition c, double age);
// Multiplier for the LSOA's IMD decile (1 most deprived .. 10 least).
double DeprivationMultiplier(Condition c, int imd_decile);
// Youngest age at which the condition is usually diagnosed (for back-dating onsets).
int TypicalOnsetAge(Condition c);
// Death hazard multiplier for people with the condition (the simulator multiplies these;
// cancer is higher in the first five years after diagnosis, see simulator.cc).
double MortalityMultiplier(Condition c);
// SNOMED CT concept id of the diagnosis (code set gp_snomed).
const char* ConditionSnomed(Condition c);
// ICD-10 code used when the condition is a secondary diagnosis (HES style, no dot).
const char* ConditionIcd10(Condition c);
const char* ConditionName(Condition c);

}  // namespace pioneer::synth
