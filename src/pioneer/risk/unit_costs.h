// What a unit of activity costs, and the one rule that prices each kind of activity. Risk's
// next-year cost (the top-5% cost outcome, features.h) and Care Trak's cost measure
// (caretrak/activity.h) both price through it, so a pound means the same in both.
//
// The rule (docs/risk.md "Next-year cost"):
//   hospital spell (its first episode)  emergency admission method: the non-elective spell
//                                       tariff plus the excess bed-day cost for each day of
//                                       stay beyond five; elective method (11-13): the day case
//                                       tariff for patient classification 2-4, else the
//                                       elective spell tariff; any other method: the day case
//                                       tariff for classification 2-4, else as an emergency
//   A&E attendance                      the attendance cost
//   outpatient appointment              the attendance cost, attended (5, 6) only
//   GP event                            consultation, telephone or home visit (SNOMED CT
//                                       11429006, 185317003, 439708006); other codes nothing
//   community contact                   the contact cost
//   mental health contact               the contact cost, attended (5, 6) only
//   social care request or assessment   the assessment cost
//   social care service                 per week: the event's own weekly_cost when it holds a
//                                       finite number, else the unit cost of its kind (nursing
//                                       care: nursing_care_week, else residential_care_week)
// Unit costs come from RiskInputs (one price year); a missing activity type costs 0 (but
// LoadRiskInputs refuses a store lacking the ones it needs).
// Thread safety: values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "pioneer/risk/risk_inputs.h"

namespace pioneer::risk {

// The kinds of social care service costed by the week (social_care_events.service_type).
enum class CareService : int8_t {
  kNone = -1,
  kResidential = 0,
  kNursing,
  kHomeCare,
  kReablement,
  kDirectPaymentOrDayCare,  // direct_payment, day_care
  kRespite,
};
inline constexpr int kCareServiceCount = 6;
CareService CareServiceOf(std::string_view service_type);
inline bool IsCareHome(CareService s) {
  return s == CareService::kResidential || s == CareService::kNursing;
}

// GP events that are contacts (gp_events.snomed_code).
enum class GpContact : int8_t { kNone = -1, kConsultation = 0, kTelephone, kHomeVisit };
GpContact GpContactOf(std::string_view snomed_code);

// Patient classification 2 (day case), 3 and 4 (regular day and night attenders).
bool IsDayCaseClassification(std::string_view patient_classification);
// Attendance status 5 or 6 (seen): outpatient and mental health contacts.
bool IsAttended(std::string_view attendance);
// A social care event's weekly_cost text: its value when a finite number, else nullopt.
std::optional<double> ParseWeeklyCost(std::string_view text);

struct UnitCosts {
  static UnitCosts From(const RiskInputs& inputs);

  // How a spell's admission method classes it.
  enum class Admission { kEmergency, kElective, kOther };
  // A spell's cost; `stay_days`: the days of stay the excess bed days count (the caller's
  // window: discharge minus admission, or up to a window's end), 0 when not discharged.
  double Spell(Admission method, bool day_case_classification, int32_t stay_days) const;
  double Gp(GpContact c) const { return c == GpContact::kNone ? 0.0 : gp[static_cast<int>(c)]; }
  // The weekly cost of a service: `own` (the event's weekly_cost) when given, else the kind's.
  double Weekly(CareService s, std::optional<double> own) const {
    if (own) return *own;
    return s == CareService::kNone ? 0.0 : weekly[static_cast<int>(s)];
  }

  std::array<double, 3> gp{};  // GpContact order
  double ae_attendance = 0, op_attendance = 0, community_contact = 0, mh_contact = 0,
         assessment = 0;
  double elective_spell = 0, day_case = 0, non_elective_spell = 0, excess_bed_day = 0;
  std::array<double, kCareServiceCount> weekly{};  // CareService order
};

}  // namespace pioneer::risk
