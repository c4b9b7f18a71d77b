#include "pioneer/caretrak/activity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "pioneer/model/code_sets.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/unit_costs.h"

namespace pioneer::caretrak {
namespace {

using timeline::kNoDate;
using timeline::Source;

constexpr MeasureSpec kSpecs[kMeasureCount] = {
    {"ae_attendances", "attendances", "A&E attendances (arrival date)"},
    {"non_elective_admissions", "admissions",
     "emergency admissions (admission method 21-28, 2A-2D), counted once per spell"},
    {"elective_admissions", "admissions",
     "elective admissions (admission method 11-13), day cases included"},
    {"bed_days", "days", "days in hospital (any admission), spread over the days of each episode"},
    {"outpatient_attendances", "attendances", "attended outpatient appointments (attended 5, 6)"},
    {"gp_contacts", "contacts", "GP consultations, telephone consultations and home visits"},
    {"community_contacts", "contacts", "community health service contacts"},
    {"mental_health_contacts", "contacts", "mental health service contacts"},
    {"home_care_weeks", "weeks", "weeks of home care (social care service events)"},
    {"care_home_weeks", "weeks", "weeks of residential or nursing care"},
    {"total_cost", "GBP",
     "cost of all the above at the unit-cost extract's price year (plus day cases, excess bed "
     "days, reablement, direct payments, day care, respite and assessments)"},
};

constexpr const char* kLtcSnomed[ActivityContext::kConditionCount] = {
    "38341003", "73211009",  "195967001", "53741008",  "13645005", "709044004", "35489007",
    "49436004", "230690007", "84114007",  "363346000", "84757009", "52448006"};

}  // namespace

std::span<const MeasureSpec> MeasureSpecs() { return kSpecs; }

std::optional<Measure> MeasureByName(std::string_view name) {
  for (int m = 0; m < kMeasureCount; ++m) {
    if (name == kSpecs[m].name) return static_cast<Measure>(m);
  }
  return std::nullopt;
}

std::string MeasureNames() {
  std::string s;
  for (const MeasureSpec& m : kSpecs) s += (s.empty() ? "" : ", ") + std::string(m.name);
  return s;
}

StatusOr<ActivityContext> ActivityContext::Create(const timeline::Timeline& t,
                                                  const risk::RiskInputs& inputs) {
  ActivityContext c;
  c.t_ = &t;
  const auto& apc = t.attributes(Source::kApcEpisode);
  const auto& sca = t.attributes(Source::kSocialCareEvent);
  c.apc_episode_ = apc.FieldIndex("episode_number");
  c.apc_admission_ = apc.FieldIndex("admission_date");
  c.apc_discharge_ = apc.FieldIndex("discharge_date");
  c.apc_classpat_ = apc.FieldIndex("patient_classification");
  c.sc_weekly_cost_ = sca.FieldIndex("weekly_cost");
  if (c.apc_episode_ < 0 || c.apc_admission_ < 0 || c.apc_discharge_ < 0 || c.apc_classpat_ < 0 ||
      c.sc_weekly_cost_ < 0) {
    return FailedPreconditionError(
        "the timeline was built without the attributes Care Trak needs "
        "(use risk::RiskTimelineOptions())");
  }
  const timeline::StringPool& pool = t.strings();
  const size_t n = pool.size();
  c.ltc_.assign(n, -1);
  for (auto* v : {&c.emergency_, &c.elective_, &c.attended_, &c.service_event_, &c.day_case_,
                  &c.assessment_}) {
    v->assign(n, 0);
  }
  c.service_.assign(n, risk::CareService::kNone);
  c.gp_.assign(n, risk::GpContact::kNone);
  c.weekly_.assign(n, std::nullopt);
  for (size_t id = 0; id < n; ++id) {
    const std::string_view s = pool.Get(static_cast<uint32_t>(id));
    c.emergency_[id] = model::IsEmergencyAdmissionMethod(s);
    c.elective_[id] = s == "11" || s == "12" || s == "13";
    c.attended_[id] = risk::IsAttended(s);
    c.day_case_[id] = risk::IsDayCaseClassification(s);
    c.service_event_[id] = s == "service";
    c.assessment_[id] = s == "request" || s == "assessment";
    for (int k = 0; k < kConditionCount; ++k) {
      if (s == kLtcSnomed[k]) c.ltc_[id] = static_cast<int8_t>(k);
    }
    c.gp_[id] = risk::GpContactOf(s);
    c.service_[id] = risk::CareServiceOf(s);
    c.weekly_[id] = risk::ParseWeeklyCost(s);
  }
  c.costs_ = risk::UnitCosts::From(inputs);
  return c;
}

void ActivityContext::PersonMonths(timeline::PersonIndex p, int32_t index_day, int lookback,
                                   int followup, std::span<double> values,
                                   std::span<double> exposure, int32_t censor_day) const {
  const int months = lookback + followup;
  std::fill(values.begin(), values.end(), 0.0);
  const double origin = index_day - lookback * kDaysPerMonth;  // first day of month -lookback
  double horizon = index_day + followup * kDaysPerMonth;
  if (censor_day != kNoDate) horizon = std::min<double>(horizon, std::max(censor_day, index_day));
  auto month_of = [&](double day) -> int {
    if (day < origin || day >= horizon) return -1;
    return std::min(months - 1, static_cast<int>((day - origin) / kDaysPerMonth));
  };
  auto add = [&](double day, int m, double v, double cost) {  // m < 0: cost only
    const int k = month_of(day);
    if (k < 0) return;
    if (m >= 0) values[k * kMeasureCount + m] += v;
    values[k * kMeasureCount + kTotalCost] += cost;
  };
  // Spreads [from, to) (days) over the months: `per_day` of measure m and `cost_per_day`.
  auto spread = [&](double from, double to, int m, double per_day, double cost_per_day) {
    from = std::max(from, origin);
    to = std::min(to, horizon);
    while (from < to) {
      const int k = month_of(from);
      const double month_end = origin + (k + 1) * kDaysPerMonth;
      const double until = std::min(to, month_end);
      if (m >= 0) values[k * kMeasureCount + m] += per_day * (until - from);
      values[k * kMeasureCount + kTotalCost] += cost_per_day * (until - from);
      from = until;
    }
  };
  const timeline::Timeline& t = *t_;
  const auto& E = t.events();
  const auto& apc = t.attributes(Source::kApcEpisode);
  const auto& sca = t.attributes(Source::kSocialCareEvent);
  auto [first, last] = t.EventRange(p);
  for (uint64_t i = first; i < last; ++i) {
    const int32_t s = E.start_day[i];
    const int32_t e = E.end_day[i];
    if (s >= horizon) break;  // events are sorted by start day
    const uint32_t code = E.code[i], detail = E.detail[i];
    switch (E.source[i]) {
      case Source::kGpEvent:
        if (gp_[code] != risk::GpContact::kNone) add(s, kGpContacts, 1, costs_.Gp(gp_[code]));
        break;
      case Source::kApcEpisode: {
        const uint32_t row = E.attr_row[i];
        if (e != kNoDate && e > s) spread(s, e, kBedDays, 1, 0);
        const int32_t adm = apc.Value(apc_admission_, row);
        if (apc.Value(apc_episode_, row) != 1 || adm == kNoDate) break;
        const bool day_case = day_case_[static_cast<uint32_t>(apc.Value(apc_classpat_, row))];
        const int32_t dis = apc.Value(apc_discharge_, row);
        const int32_t stay = dis == kNoDate ? 0 : dis - adm;
        if (emergency_[detail]) {
          add(adm, kNonElectiveAdmissions, 1,
              costs_.Spell(risk::UnitCosts::Admission::kEmergency, day_case, stay));
        } else if (elective_[detail]) {
          add(adm, kElectiveAdmissions, 1,
              costs_.Spell(risk::UnitCosts::Admission::kElective, day_case, stay));
        } else {  // other methods: cost only
          add(adm, -1, 0, costs_.Spell(risk::UnitCosts::Admission::kOther, day_case, stay));
        }
        break;
      }
      case Source::kAeAttendance:
        add(s, kAeAttendances, 1, costs_.ae_attendance);
        break;
      case Source::kOpAppointment:
        if (attended_[detail]) add(s, kOutpatientAttendances, 1, costs_.op_attendance);
        break;
      case Source::kCommunityContact:
        add(s, kCommunityContacts, 1, costs_.community_contact);
        break;
      case Source::kMhContact:
        // Every contact counts; attended ones cost (unit_costs.h).
        add(s, kMentalHealthContacts, 1, attended_[detail] ? costs_.mh_contact : 0.0);
        break;
      case Source::kSocialCareEvent: {
        if (assessment_[code]) {
          add(s, -1, 0, costs_.assessment);
          break;
        }
        const risk::CareService sv = service_[detail];
        if (!service_event_[code] || sv == risk::CareService::kNone) break;
        const double weekly = costs_.Weekly(
            sv, weekly_[static_cast<uint32_t>(sca.Value(sc_weekly_cost_, E.attr_row[i]))]);
        const int m = risk::IsCareHome(sv)                 ? kCareHomeWeeks
                      : sv == risk::CareService::kHomeCare ? kHomeCareWeeks
                                                           : -1;
        spread(s, e == kNoDate ? horizon : e, m, 1.0 / 7, weekly / 7);
        break;
      }
      case Source::kGpRegistration:
      case Source::kCarePlan:     // not activity
      case Source::kRiskStratum:  // not activity
        break;
    }
  }
  // Exposure: the alive fraction of each month.
  const int32_t death = t.persons().death_day[p];
  double end = death == kNoDate ? horizon : std::min<double>(death, horizon);
  end = std::max(end, static_cast<double>(index_day));  // the look-back is always whole
  for (int k = 0; k < months; ++k) {
    const double from = origin + k * kDaysPerMonth, to = from + kDaysPerMonth;
    exposure[k] = k < lookback || end >= to ? 1.0
                  : end <= from             ? 0.0
                                            : (end - from) / kDaysPerMonth;
  }
}

std::vector<ActivityContext::Spell> ActivityContext::EmergencySpells(
    timeline::PersonIndex p) const {
  std::vector<Spell> out;
  const auto& E = t_->events();
  const auto& apc = t_->attributes(Source::kApcEpisode);
  auto [first, last] = t_->EventRange(p);
  for (uint64_t i = first; i < last; ++i) {
    if (E.source[i] != Source::kApcEpisode || !emergency_[E.detail[i]]) continue;
    const int32_t dis = apc.Value(apc_discharge_, E.attr_row[i]);
    const int32_t adm = apc.Value(apc_admission_, E.attr_row[i]);
    if (dis != kNoDate && adm != kNoDate) out.push_back({adm, dis});
  }
  auto key = [](const Spell& s) { return std::pair(s.discharge, s.admission); };
  std::sort(out.begin(), out.end(),
            [&](const Spell& a, const Spell& b) { return key(a) < key(b); });
  out.erase(std::unique(out.begin(), out.end(),
                        [&](const Spell& a, const Spell& b) { return key(a) == key(b); }),
            out.end());
  return out;
}

bool ActivityContext::InHospital(timeline::PersonIndex p, int32_t from, int32_t to) const {
  const auto& E = t_->events();
  auto [first, last] = t_->EventRange(p);
  for (uint64_t i = first; i < last && E.start_day[i] <= to; ++i) {
    if (E.source[i] != Source::kApcEpisode) continue;
    if (E.end_day[i] == kNoDate || E.end_day[i] > from) return true;
  }
  return false;
}

int32_t ActivityContext::PracticeOn(timeline::PersonIndex p, int32_t day) const {
  const auto& E = t_->events();
  auto [first, last] = t_->EventRange(p);
  for (uint64_t i = first; i < last && E.start_day[i] <= day; ++i) {
    if (E.source[i] != Source::kGpRegistration || E.code[i] == 0) continue;
    if (E.end_day[i] == kNoDate || E.end_day[i] >= day) return static_cast<int32_t>(E.code[i]);
  }
  const uint32_t current = t_->persons().practice[p];
  return current == 0 ? -1 : static_cast<int32_t>(current);
}

uint32_t ActivityContext::ConditionsBefore(timeline::PersonIndex p, int32_t day) const {
  const auto& E = t_->events();
  auto [first, last] = t_->EventRange(p);
  uint32_t bits = 0;
  for (uint64_t i = first; i < last && E.start_day[i] < day; ++i) {
    if (E.source[i] == Source::kGpEvent && ltc_[E.code[i]] >= 0) bits |= 1u << ltc_[E.code[i]];
  }
  return bits;
}

}  // namespace pioneer::caretrak
