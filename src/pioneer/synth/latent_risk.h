// Observable interaction risk: the part of a person's emergency-admission hazard that depends
// on what the records show (age, sex, deprivation, long-term conditions, frailty, care
// setting, a recent admission) non-linearly and through interactions.
//
// The simulator multiplies every emergency hazard by InteractionMultiplier(). Together with
// the unobserved latent risk z (model_parameters.h) this makes risk prediction a real test:
// a main-effects logistic regression on the recorded features misses the interactions
// (e.g. multimorbidity matters more in younger adults; COPD more in deprived areas; diabetes
// with CKD, heart failure with AF, dementia at home without support are worse than the sum
// of their parts), which tree ensembles can learn, while z keeps any model's discrimination
// well below 1. Every term and its size is listed in docs/synthetic-data.md ("Latent risk").
// Thread safety: pure function.
#pragma once

#include "pioneer/synth/conditions.h"

namespace pioneer::synth {

struct InteractionInputs {
  int age = 0;
  int sex = 1;                      // 1 male, 2 female
  int imd_decile = 5;               // 1 most deprived .. 10 least
  ConditionSet conditions = 0;      // diagnosed long-term conditions
  double frailty = 0;               // eFI-like index 0..0.8
  bool care_home = false;           // lives in a residential or nursing home
  bool home_support = false;        // receives long-term community social care (home care, ...)
  bool admitted_last_year = false;  // an emergency discharge in the previous 365 days
};

// exp(sum of the interaction terms) / InteractionNorm(age, group): about 1 on average over
// the emergency admissions of each age band and cause group, so the calibrated BCF figures
// keep their level. `chronic_acsc`: the cause is a chronic ambulatory-care-sensitive
// condition (BCF 2.3.i group), whose admissions come from people with conditions.
double InteractionMultiplier(const InteractionInputs& in, bool chronic_acsc);
double InteractionNorm(int age, bool chronic_acsc);

// The log-scale sum of the terms (before normalisation), for tests and documentation.
double InteractionLogTerms(const InteractionInputs& in);

}  // namespace pioneer::synth
