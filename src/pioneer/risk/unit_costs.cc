#include "pioneer/risk/unit_costs.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <string>

namespace pioneer::risk {

CareService CareServiceOf(std::string_view s) {
  if (s == "residential") return CareService::kResidential;
  if (s == "nursing") return CareService::kNursing;
  if (s == "home_care") return CareService::kHomeCare;
  if (s == "reablement") return CareService::kReablement;
  if (s == "direct_payment" || s == "day_care") return CareService::kDirectPaymentOrDayCare;
  if (s == "respite") return CareService::kRespite;
  return CareService::kNone;
}

GpContact GpContactOf(std::string_view s) {
  if (s == "11429006") return GpContact::kConsultation;
  if (s == "185317003") return GpContact::kTelephone;
  if (s == "439708006") return GpContact::kHomeVisit;
  return GpContact::kNone;
}

bool IsDayCaseClassification(std::string_view s) { return s == "2" || s == "3" || s == "4"; }

bool IsAttended(std::string_view s) { return s == "5" || s == "6"; }

std::optional<double> ParseWeeklyCost(std::string_view text) {
  if (text.empty()) return std::nullopt;
  const std::string s(text);
  char* end = nullptr;
  const double x = std::strtod(s.c_str(), &end);
  if (end == s.c_str() || !std::isfinite(x)) return std::nullopt;
  return x;
}

UnitCosts UnitCosts::From(const RiskInputs& in) {
  UnitCosts c;
  c.gp = {in.Cost("gp_consultation"), in.Cost("gp_telephone"), in.Cost("gp_home_visit")};
  c.ae_attendance = in.Cost("ae_attendance");
  c.op_attendance = in.Cost("op_attendance");
  c.community_contact = in.Cost("community_contact");
  c.mh_contact = in.Cost("mh_contact");
  c.assessment = in.Cost("assessment");
  c.elective_spell = in.Cost("apc_elective_spell");
  c.day_case = in.Cost("apc_day_case");
  c.non_elective_spell = in.Cost("apc_non_elective_spell");
  c.excess_bed_day = in.Cost("apc_excess_bed_day");
  const double residential = in.Cost("residential_care_week");
  const double nursing = in.Cost("nursing_care_week");
  c.weekly = {residential,
              nursing != 0 ? nursing : residential,
              in.Cost("home_care_week"),
              in.Cost("reablement_week"),
              in.Cost("direct_payment_week"),
              in.Cost("respite_week")};
  return c;
}

double UnitCosts::Spell(Admission method, bool day_case_classification, int32_t stay_days) const {
  if (method == Admission::kElective) return day_case_classification ? day_case : elective_spell;
  if (method == Admission::kOther && day_case_classification) return day_case;
  return non_elective_spell + excess_bed_day * std::max(0, stay_days - 5);
}

}  // namespace pioneer::risk
