// Hospital activity model: emergency admission causes with their hazards and ICD-10 code
// lists, elective procedures, lengths of stay and specialties.
//
// Emergency admissions are cause-specific competing hazards. Each cause has a baseline hazard
// per person-year by age band (for chronic causes, given the condition), a seasonal profile
// and weighted primary-diagnosis codes. The code lists are written so that the BCF
// avoidable-admission components (bcf-metrics.md 5.2-5.5) and the falls indicator (6.1) are
// hit, near-missed and missed in realistic proportions: e.g. most pneumonia is J18.9, which
// is *not* in the 3a list, while J18.1 is; COPD admissions include J20 acute bronchitis with a
// COPD secondary diagnosis (rule e); angina admissions with a cardiac procedure are excluded
// by rule f; some elderly injuries carry an unspecific X59 cause rather than a fall code.
// Codes are HES style (4 characters, no dot, X filler).
//
// Thread safety: constant tables and pure functions.
#pragma once

#include <cstdint>

#include "pioneer/synth/rng.h"

namespace pioneer::synth {

enum EmergencyCause : int {
  kCauseFall = 0,     // injury S00-T98 with a fall cause W00-W19
  kCauseOtherInjury,  // injuries, poisonings with other causes (V, W20+, X, Y)
  kCauseCopd,         // chronic ACSC (2.3.i) causes need the matching condition ...
  kCauseHeartFailure,
  kCauseDiabetes,
  kCauseAngina,
  kCauseAf,
  kCauseEpilepsy,
  kCauseDementia,
  kCauseAsthma,
  kCauseHypertension,
  kCauseAnaemia,  // ... except anaemia
  kCauseUti,      // acute ACSC (3a) causes
  kCausePneumonia,
  kCauseCellulitis,
  kCauseGastro,
  kCauseEnt,
  kCauseConvulsions,
  kCauseChildLrti,  // bronchiolitis and pneumonia in children (3.2)
  kCauseFlu,
  kCauseOtherMedical,   // everything else: chest pain, syncope, MI, stroke, sepsis, ...
  kCauseOtherSurgical,  // abdominal pain, appendicitis, gallstones, renal colic, ...
  kCauseCount
};

// Groups for the tuning scales in model_parameters.h.
enum CauseGroup { kGroupFall, kGroupChronicAcsc, kGroupAcuteAcsc, kGroupChildLrti, kGroupOther };
CauseGroup GroupOf(EmergencyCause c);

// The condition a chronic cause requires (a Condition value), or -1.
int RequiredCondition(EmergencyCause c);
// Baseline hazard per person-year at `age` (given the required condition, if any), before
// the person's multipliers and the season.
double BaseEmergencyHazard(EmergencyCause c, int age, int sex);
// Seasonal multiplier for calendar month 1..12 (mean 1 over the year).
double SeasonalMultiplier(EmergencyCause c, int month);
const char* CauseName(EmergencyCause c);

// Primary diagnosis for an admission with this cause.
const char* SampleEmergencyDiagnosis(EmergencyCause c, int age, Rng& rng);
// External cause (HES CAUSE) for injuries: W00-W19 for falls (4th character = place:
// 0 home, 1 residential institution, 9 unspecified), other V/W/X/Y codes otherwise.
const char* SampleFallCauseCode(bool in_care_home, Rng& rng);
const char* SampleOtherInjuryCauseCode(int age, const char* diagnosis, Rng& rng);
// Main procedure for an emergency admission, or nullptr.
const char* SampleEmergencyProcedure(EmergencyCause c, const char* diagnosis, Rng& rng);
// Treatment specialty of the first episode.
const char* EmergencySpecialty(EmergencyCause c, int age, int los, Rng& rng);
// Clinical length of stay in days (before any delayed-discharge days).
int SampleEmergencyLos(EmergencyCause c, const char* diagnosis, int age, Rng& rng);
// Primary diagnosis of an admission that ends in death.
const char* SampleTerminalDiagnosis(bool cancer, bool heart_failure, bool copd, bool dementia,
                                    Rng& rng);
// A&E chief complaint for an admission or attendance with this cause.
const char* ChiefComplaint(EmergencyCause c, Rng& rng);

struct ElectiveProcedure {
  const char* diagnosis;
  const char* procedure;  // OPCS-4
  const char* specialty;
  bool day_case;
  double median_los;  // ordinary admissions
};
// An elective procedure suitable for age and sex.
const ElectiveProcedure& SampleElective(int age, int sex, Rng& rng);
// Baseline elective admission hazard per person-year (day cases + ordinary).
double BaseElectiveHazard(int age);

// Outpatient treatment specialty for a referral, given age, sex and conditions bitmask.
const char* SampleOutpatientSpecialty(int age, int sex, uint32_t conditions, Rng& rng);

}  // namespace pioneer::synth
