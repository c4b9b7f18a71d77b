// The behavioural parameters of the person simulator that are not tables of demography or
// clinical codes: risk multipliers, care pathways, delays, community and social care
// activity, and the calibration scales. Each value and its source or reasoning is listed in
// docs/synthetic-data.md ("Parameters"); the five scales marked CALIBRATED were tuned so that
// the default 800,000-person area reproduces the Leicestershire BCF baselines (see
// calibration.h) and should be re-tuned, not edited in isolation.
#pragma once

namespace pioneer::synth::params {

// --- Latent risk and multipliers ----------------------------------------------------------
// Person-level latent risk z ~ N(0, 1): emergency hazards are multiplied by
// exp(kLatentSd * z - kLatentSd^2 / 2) (mean 1), so part of each person's risk is
// unobserved - as in real risk prediction, where c-statistics are ~0.75-0.8, not 1.
inline constexpr double kLatentSd = 0.6;
// Emergency hazard per extra long-term condition (for non-condition-specific causes).
inline constexpr double kPerConditionMultiplier = 0.22;
// Deprivation: emergency hazard multiplier 1.30 in IMD decile 1 falling 0.06 per decile.
inline constexpr double kDeprivationTop = 1.30;
inline constexpr double kDeprivationStep = 0.06;
// Readmission: hazard multiplier in the 30 days and 31-90 days after an emergency discharge.
inline constexpr double kReadmit30 = 2.5;
inline constexpr double kReadmit90 = 1.5;
// Death hazard multiplier after an emergency discharge of someone aged 65+.
inline constexpr double kPostDischargeDeath30 = 3.0;
inline constexpr double kPostDischargeDeath90 = 1.8;
// Effect of a GP care plan (2014/15 avoiding unplanned admissions enhanced service) on the
// emergency hazard: the ground-truth intervention effect for evaluations (-8%).
inline constexpr double kCarePlanEffect = 0.92;

// --- Calibration scales (CALIBRATED) --------------------------------------------------------
inline constexpr double kFallScale = 1.45;            // falls with injury, all ages
inline constexpr double kChronicAcscScale = 0.8;      // 2.3.i causes
inline constexpr double kAcuteAcscScale = 0.8;        // 3a causes
inline constexpr double kChildLrtiScale = 0.6;        // 3.2 causes
inline constexpr double kOtherEmergencyScale = 0.95;  // everything else
// Death hazard scale after health multipliers, by age (<45, 45-64, 65-74, 75-84, 85-89,
// 90+): the multipliers grow with age, so the scale falls with it to bring age-specific
// death rates back to ONS 2014 (England) levels. CALIBRATED.
inline constexpr double kMortalityScaleByAge[6] = {0.8, 0.88, 0.55, 0.43, 0.39, 0.42};
inline constexpr double MortalityScale(int age) {
  return kMortalityScaleByAge[age < 45   ? 0
                              : age < 65 ? 1
                              : age < 75 ? 2
                              : age < 85 ? 3
                              : age < 90 ? 4
                                         : 5];
}
inline constexpr double kElectiveScale = 1.0;

// --- Care homes (65+) -----------------------------------------------------------------------
// Share of residents in a care home at the window start, by age 65-74, 75-84, 85-89, 90+.
inline constexpr double kCareHomeAtStart[4] = {0.006, 0.03, 0.10, 0.20};
// Probability that an emergency discharge of someone 65+ from home is to a permanent
// care-home placement (before dementia, frailty and age multipliers). CALIBRATED.
inline constexpr double kCareHomeFromHospital = 0.0138;
// Hazard per year of a community-route permanent admission at 65-74, 75-84, 85+. CALIBRATED.
inline constexpr double kCareHomeCommunity[3] = {0.00071, 0.0034, 0.0125};
// Funding of new placements: self-funders are commoner in affluent LSOAs.
inline constexpr double kSelfFunderBase = 0.25;       // IMD decile 1
inline constexpr double kSelfFunderPerDecile = 0.03;  // + per decile
inline constexpr double kNhsFundedNursing = 0.08;     // CHC share of nursing placements
inline constexpr double kJointFunded = 0.05;
// Share of self-funders the council records at all (assessment or advice).
inline constexpr double kSelfFunderRecorded = 0.5;
// Hazards per year while in a care home.
inline constexpr double kResidentialToNursing = 0.06;
inline constexpr double kSelfFunderDepletion = 0.12;

// --- Discharge pathways (65+, discharged alive from home) ---------------------------------
inline constexpr double kReablementFromHospital = 0.055;  // CALIBRATED (ASCOF 2B denominator)
inline constexpr double kHomeCareFromHospital = 0.035;
inline constexpr double kIntermediateCare = 0.04;
inline constexpr double kTransferOut = 0.015;
// After discharge into reablement: extra multipliers for 91 days on death, readmission and
// community care-home admission (these people are frailer than their conditions show).
// CALIBRATED to the ASCOF 2B baseline.
inline constexpr double kReablementDeathMultiplier = 4.0;
inline constexpr double kReablementReadmitMultiplier = 2.6;
inline constexpr double kReablementCareHomeMultiplier = 10.0;
// Outcomes at the planned end of reablement: moves on to long-term support at home, or to a
// permanent care-home placement (SALT STS002a sequels). CALIBRATED (ASCOF 2B).
inline constexpr double kReablementOngoing = 0.25;
inline constexpr double kReablementToCareHome = 0.07;

// --- Delayed transfers of care ------------------------------------------------------------
// Probability that a discharge of an adult is delayed, by pathway. CALIBRATED overall by
// kDelayScale.
inline constexpr double kDelayScale = 0.92;
inline constexpr double kDelayCareHome = 0.50;
inline constexpr double kDelayHomeCare = 0.35;
inline constexpr double kDelayReablement = 0.25;
inline constexpr double kDelayIntermediate = 0.30;
inline constexpr double kDelayReturnCareHome = 0.06;
inline constexpr double kDelayHome65 = 0.025;
inline constexpr double kDelayHomeUnder65 = 0.006;
// Weekend discharges: probability that a Saturday or Sunday discharge happens on the day,
// giving weekend days ~50% of a weekday. Otherwise it is brought forward to the Friday before
// with probability kWeekendDischargeToFriday when the patient is ready by then, or else waits
// for a weekday ward round Monday-Thursday (uniform): Friday is the peak, Monday an ordinary
// weekday (NHS England seven-day services audits; sending every wait to Monday made Monday
// ~1.7x any other weekday).
inline constexpr double kWeekendDischargeKept = 0.55;
inline constexpr double kWeekendDischargeToFriday = 0.6;
// Share of people with dementia whose GP record carries the diagnosis: real dementia is
// under-diagnosed (England's estimated 65+ diagnosis rate was ~60% in 2014/15, the national
// ambition 66.7%, CCGs ~40-80%; NHS Digital Recorded Dementia Diagnoses). CALIBRATED so that
// the default area's dementia diagnosis rate lies in 55-75%.
inline constexpr double kDementiaDiagnosedShare = 0.64;

// --- Community and primary care -----------------------------------------------------------
inline constexpr double kGpScale = 1.0;
inline constexpr double kAeScale = 1.0;
inline constexpr double kOpScale = 1.0;

}  // namespace pioneer::synth::params
