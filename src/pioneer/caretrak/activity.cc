#include "pioneer/caretrak/activity.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "pioneer/model/code_sets.h"
#include "pioneer/risk/features.h"

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
  for (auto* v : {&c.emergency_, &c.elective_, &c.attended_, &c.service_event_, &c.day_case_}) {
    v->assign(n, 0);
  }
  c.service_.assign(n, -1);
  c.gp_.assign(n, -1);
  c.weekly_.assign(n, std::numeric_limits<double>::quiet_NaN());
  for (size_t id = 0; id < n; ++id) {
    const std::string_view s = pool.Get(static_cast<uint32_t>(id));
    c.emergency_[id] = model::IsEmergencyAdmissionMethod(s);
    c.elective_[id] = s == "11" || s == "12" || s == "13";
    c.attended_[id] = s == "5" || s == "6";
    c.day_case_[id] = s == "2" || s == "3" || s == "4";
    c.service_event_[id] = s == "service";
    for (int k = 0; k < kConditionCount; ++k) {
      if (s == kLtcSnomed[k]) c.ltc_[id] = static_cast<int8_t>(k);
    }
    if (s == "11429006") c.gp_[id] = 0;
    if (s == "185317003") c.gp_[id] = 1;
    if (s == "439708006") c.gp_[id] = 2;
    if (s == "residential") c.service_[id] = 0;
    if (s == "nursing") c.service_[id] = 1;
    if (s == "home_care") c.service_[id] = 2;
    if (s == "reablement") c.service_[id] = 3;
    if (s == "direct_payment" || s == "day_care") c.service_[id] = 4;
    if (s == "respite") c.service_[id] = 5;
    double x = 0;
    if (!s.empty() && std::sscanf(std::string(s).c_str(), "%lf", &x) == 1 && std::isfinite(x)) {
      c.weekly_[id] = x;
    }
  }
  c.c_gp_[0] = inputs.Cost("gp_consultation");
  c.c_gp_[1] = inputs.Cost("gp_telephone");
  c.c_gp_[2] = inputs.Cost("gp_home_visit");
  c.c_ae_ = inputs.Cost("ae_attendance");
  c.c_op_ = inputs.Cost("op_attendance");
  c.c_el_ = inputs.Cost("apc_elective_spell");
  c.c_dc_ = inputs.Cost("apc_day_case");
  c.c_ne_ = inputs.Cost("apc_non_elective_spell");
  c.c_xbd_ = inputs.Cost("apc_excess_bed_day");
  c.c_comm_ = inputs.Cost("community_contact");
  c.c_mh_ = inputs.Cost("mh_contact");
  c.c_assess_ = inputs.Cost("assessment");
  c.c_week_ = {inputs.Cost("residential_care_week"), inputs.Cost("nursing_care_week"),
               inputs.Cost("home_care_week"),        inputs.Cost("reablement_week"),
               inputs.Cost("direct_payment_week"),   inputs.Cost("respite_week")};
  if (c.c_week_[1] == 0) c.c_week_[1] = c.c_week_[0];
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
        if (gp_[code] >= 0) add(s, kGpContacts, 1, c_gp_[gp_[code]]);
        break;
      case Source::kApcEpisode: {
        const uint32_t row = E.attr_row[i];
        if (e != kNoDate && e > s) spread(s, e, kBedDays, 1, 0);
        const int32_t adm = apc.Value(apc_admission_, row);
        if (apc.Value(apc_episode_, row) != 1 || adm == kNoDate) break;
        const bool day_case = day_case_[static_cast<uint32_t>(apc.Value(apc_classpat_, row))];
        if (emergency_[detail]) {
          const int32_t dis = apc.Value(apc_discharge_, row);
          const double excess = dis == kNoDate ? 0 : c_xbd_ * std::max(0, dis - adm - 5);
          add(adm, kNonElectiveAdmissions, 1, c_ne_ + excess);
        } else if (elective_[detail]) {
          add(adm, kElectiveAdmissions, 1, day_case ? c_dc_ : c_el_);
        } else {
          add(adm, -1, 0, day_case ? c_dc_ : c_ne_);  // other methods: cost only
        }
        break;
      }
      case Source::kAeAttendance:
        add(s, kAeAttendances, 1, c_ae_);
        break;
      case Source::kOpAppointment:
        if (attended_[detail]) add(s, kOutpatientAttendances, 1, c_op_);
        break;
      case Source::kCommunityContact:
        add(s, kCommunityContacts, 1, c_comm_);
        break;
      case Source::kMhContact:
        add(s, kMentalHealthContacts, 1, c_mh_);
        break;
      case Source::kSocialCareEvent: {
        const std::string_view type = t.strings().Get(code);
        if (type == "request" || type == "assessment") {
          add(s, -1, 0, c_assess_);
          break;
        }
        if (!service_event_[code] || service_[detail] < 0) break;
        const int sv = service_[detail];
        double weekly = c_week_[sv];
        const double own =
            weekly_[static_cast<uint32_t>(sca.Value(sc_weekly_cost_, E.attr_row[i]))];
        if (!std::isnan(own)) weekly = own;
        const int m = sv <= 1 ? kCareHomeWeeks : sv == 2 ? kHomeCareWeeks : -1;
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
