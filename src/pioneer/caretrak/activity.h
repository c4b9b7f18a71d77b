// Per-person-per-month activity and cost around an index date, in every setting the person
// timeline holds: the measures Care Trak follows and matches on.
//
// Month k of a person (k = -lookback .. followup-1) is the days [index + 30.4375 k,
// index + 30.4375 (k + 1)): month 0 starts on the index date. Counts are placed on the day
// they happen (admissions on the admission date, from the first episode of the spell); bed
// days and social care weeks are spread over the days they cover. Cost uses the unit_costs
// extract at one price year, priced by the rule risk's next-year cost also uses
// (risk/unit_costs.h): a spell's tariff plus excess bed days beyond five for non-elective
// spells, attended outpatient and mental health contacts, GP, community contacts, A&E
// attendances, assessments, and social care services at their own weekly cost (else the unit
// cost).
// Months after the person's death are not exposure: `exposure` holds each month's alive
// fraction, so rates are events per person-month alive.
// Thread safety: pure functions; the ActivityContext is read-only after Create.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/risk/unit_costs.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::caretrak {

enum Measure : int {
  kAeAttendances = 0,
  kNonElectiveAdmissions,
  kElectiveAdmissions,
  kBedDays,
  kOutpatientAttendances,
  kGpContacts,
  kCommunityContacts,
  kMentalHealthContacts,
  kHomeCareWeeks,
  kCareHomeWeeks,
  kTotalCost,
  kMeasureCount
};

struct MeasureSpec {
  const char* name;        // e.g. "non_elective_admissions": the --outcome value
  const char* unit;        // "admissions", "days", "GBP", ...
  const char* definition;  // for docs and the report
};
std::span<const MeasureSpec> MeasureSpecs();  // kMeasureCount entries, Measure order
std::optional<Measure> MeasureByName(std::string_view name);
std::string MeasureNames();  // "ae_attendances, non_elective_admissions, ..."

inline constexpr double kDaysPerMonth = 30.4375;

// What classifying the timeline's codes and reading the attributes needs, once per run.
class ActivityContext {
 public:
  // Errors: kFailedPrecondition when the timeline lacks the apc_episodes / social_care_events
  // attributes of risk::RiskTimelineOptions().
  static StatusOr<ActivityContext> Create(const timeline::Timeline& t,
                                          const risk::RiskInputs& inputs);

  // Fills `values` (months x kMeasureCount, row-major, month -lookback first) and `exposure`
  // (months) for person p around index_day. REQUIRES: sizes = lookback + followup (x measures).
  // `censor_day` (if not kNoDate) ends the follow-up like a death: nothing on or after it
  // counts (a comparison person enrolled later is followed only until then).
  void PersonMonths(timeline::PersonIndex p, int32_t index_day, int lookback, int followup,
                    std::span<double> values, std::span<double> exposure,
                    int32_t censor_day = timeline::kNoDate) const;

  // Emergency spells of person p that have ended, ascending by discharge, one per spell.
  struct Spell {
    int32_t admission;
    int32_t discharge;
  };
  std::vector<Spell> EmergencySpells(timeline::PersonIndex p) const;

  // Whether person p was in hospital (any admitted patient care episode, any admission method,
  // e.g. a transfer to another hospital) at any time in the days (from, to].
  bool InHospital(timeline::PersonIndex p, int32_t from, int32_t to) const;

  // The long-term conditions (QOF registers, kLtcSnomed order: hypertension, diabetes,
  // asthma, CHD, COPD, CKD, depression, AF, stroke, heart failure, cancer, epilepsy,
  // dementia) coded in GP events before `day`, as bits.
  // The GP practice (an id in timeline().strings()) person p was registered with on `day`:
  // the registration covering it, else the practice on the person's current PDS record; -1
  // when neither is known.
  int32_t PracticeOn(timeline::PersonIndex p, int32_t day) const;

  static constexpr int kConditionCount = 13;
  uint32_t ConditionsBefore(timeline::PersonIndex p, int32_t day) const;

  const timeline::Timeline& timeline() const { return *t_; }

 private:
  const timeline::Timeline* t_ = nullptr;
  int apc_episode_ = -1, apc_admission_ = -1, apc_discharge_ = -1, apc_classpat_ = -1,
      sc_weekly_cost_ = -1;
  std::vector<uint8_t> emergency_, elective_, attended_, service_event_, day_case_, assessment_;
  std::vector<int8_t> ltc_;  // condition index, -1 none
  std::vector<risk::CareService> service_;
  std::vector<risk::GpContact> gp_;
  std::vector<std::optional<double>> weekly_;  // parsed weekly_cost strings
  risk::UnitCosts costs_;
};

}  // namespace pioneer::caretrak
