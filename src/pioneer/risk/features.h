// Risk features and outcomes from the linked person timeline at an index date.
//
// The cohort at an index date D is every person on the timeline who is alive on D (no death
// date before D), born before D, and registered with a GP practice on D (a GP registration
// event covering D): the registered-population denominator of Billings et al. (BMJ Open
// 2013). Features look back from D (a window [D - 365 days, D) unless the feature says
// "ever" or "on D"); outcomes look forward over [D, D + 365 days). Every feature is declared
// once in kFeatureSpecs (name, source, look-back, definition); docs/risk.md is the same table.
//
// Costs of the outcome year use the store's unit_costs extract (risk_inputs.h).
//
// Information governance: a Cohort holds person indexes into the timeline, not identifiers;
// the caller decides what to print (scores are identifiable, for direct care only).
// Thread safety: pure functions of their inputs; a Cohort is a value.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::risk {

// Feature columns, in matrix order. kFeatureSpecs[i] documents feature i.
enum Feature : int {
  kAge = 0,
  kMale,
  kImdDecile,
  kHypertension,
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
  kLtcCount,
  kFallsCoded,
  kIncontinence,
  kImpairedMobility,
  kMalnutrition,
  kMemoryImpairment,
  kFrailtyScore,
  kEmergencyAdmissions,
  kEmergencyBedDays,
  kDaysSinceEmergency,
  kElectiveAdmissions,
  kAeAttendances,
  kOutpatientAttendances,
  kOutpatientDna,
  kGpContacts,
  kGpHomeVisits,
  kCommunityContacts,
  kMentalHealthContacts,
  kCrisisContacts,
  kCareHome,
  kHomeCare,
  kReablement,
  kDirectPaymentOrDayCare,
  kRespite,
  kSocialCareAssessments,
  kFallAdmissions,
  kAeFalls,
  kDelayedDischarges,
  kFeatureCount
};

struct FeatureSpec {
  const char* name;        // column name in model files and docs
  const char* source;      // extract table(s)
  const char* look_back;   // "12 months", "ever", "on index date"
  const char* definition;  // what is counted or flagged
};

std::span<const FeatureSpec> FeatureSpecs();  // kFeatureCount entries, in Feature order

// The three outcomes over [D, D + 365).
enum Outcome : int { kEmergency = 0, kAnyAdmission, kTopCost, kOutcomeCount };
const char* OutcomeName(Outcome o);  // "emergency_admission", "any_admission", "top5_cost"

struct Cohort {
  Date index_date;
  std::vector<timeline::PersonIndex> person;  // timeline person of each row
  std::vector<float> x;                       // rows x kFeatureCount, row-major
  std::vector<std::string> practice;          // practice registered with on D
  // Outcomes (only meaningful when the store holds the whole outcome year).
  std::vector<uint8_t> emergency;        // >= 1 emergency admission in [D, D+365)
  std::vector<uint8_t> any_admission;    // >= 1 admission of any kind
  std::vector<uint8_t> top_cost;         // in the top 5% of next-year cost (ties in)
  std::vector<int32_t> emergency_count;  // emergency admissions in the outcome year
  std::vector<double> cost;              // next-year cost, all settings, GBP
  std::vector<uint8_t> died;             // died in the outcome year
  size_t rows() const { return person.size(); }
  float at(size_t row, int feature) const { return x[row * kFeatureCount + feature]; }
  const std::vector<uint8_t>& label(Outcome o) const {
    return o == kEmergency ? emergency : o == kAnyAdmission ? any_admission : top_cost;
  }
};

// The timeline attributes the features need (pass to timeline::Timeline::Build).
timeline::TimelineOptions RiskTimelineOptions();

// Builds the cohort, features and outcomes at `index_date`.
// Errors: kFailedPrecondition when the timeline lacks the attributes of RiskTimelineOptions().
StatusOr<Cohort> BuildCohort(const timeline::Timeline& t, const RiskInputs& inputs,
                             Date index_date);

}  // namespace pioneer::risk
