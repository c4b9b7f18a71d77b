#include "pioneer/risk/features.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "pioneer/model/code_sets.h"
#include "pioneer/risk/unit_costs.h"

namespace pioneer::risk {
namespace {

using timeline::kNoDate;
using timeline::Source;

constexpr int kYear = 365;

constexpr FeatureSpec kSpecs[kFeatureCount] = {
    {"age", "pds", "on index date", "Age in whole years on the index date"},
    {"male", "pds", "on index date", "1 if PDS sex is 1 (male), else 0"},
    {"imd_decile", "pds, lsoa", "on index date",
     "IMD decile (1 most deprived) of the LSOA of the PDS address; missing when unknown"},
    {"ltc_hypertension", "gp_events", "ever", "SNOMED CT 38341003 recorded before the index date"},
    {"ltc_diabetes", "gp_events", "ever", "SNOMED CT 73211009"},
    {"ltc_asthma", "gp_events", "ever", "SNOMED CT 195967001"},
    {"ltc_chd", "gp_events", "ever", "SNOMED CT 53741008"},
    {"ltc_copd", "gp_events", "ever", "SNOMED CT 13645005"},
    {"ltc_ckd", "gp_events", "ever", "SNOMED CT 709044004"},
    {"ltc_depression", "gp_events", "ever", "SNOMED CT 35489007"},
    {"ltc_atrial_fibrillation", "gp_events", "ever", "SNOMED CT 49436004"},
    {"ltc_stroke", "gp_events", "ever", "SNOMED CT 230690007"},
    {"ltc_heart_failure", "gp_events", "ever", "SNOMED CT 84114007"},
    {"ltc_cancer", "gp_events", "ever", "SNOMED CT 363346000"},
    {"ltc_epilepsy", "gp_events", "ever", "SNOMED CT 84757009"},
    {"ltc_dementia", "gp_events", "ever", "SNOMED CT 52448006"},
    {"ltc_count", "gp_events", "ever", "Number of the 13 long-term conditions above"},
    {"falls_coded", "gp_events", "12 months", "GP-coded falls (SNOMED CT 161898004)"},
    {"incontinence", "gp_events", "ever", "Urinary incontinence coded (165232002)"},
    {"impaired_mobility", "gp_events", "ever", "Impaired mobility coded (82971005)"},
    {"malnutrition", "gp_events", "ever", "Nutritional deficiency coded (2492009)"},
    {"memory_impairment", "gp_events", "ever", "Memory impairment coded (386807006)"},
    {"frailty_score", "gp_events", "ever",
     "Latest recorded frailty index value (248279007 with a value); missing when never "
     "recorded"},
    {"emergency_admissions", "apc_episodes", "12 months",
     "Emergency admissions (first episodes, ADMIMETH 21-28/2A-2D, admitted in the window), "
     "capped at 3 (0/1/2/3+)"},
    {"emergency_bed_days", "apc_episodes", "12 months",
     "Days in hospital in emergency spells: sum of episode end - start over episodes of "
     "emergency spells starting in the window (unfinished episodes to the index date)"},
    {"days_since_emergency", "apc_episodes", "24 months",
     "Days from the last emergency admission to the index date; 730 when none in 24 months"},
    {"elective_admissions", "apc_episodes", "12 months",
     "Elective and day-case admissions (first episodes, ADMIMETH 11-13)"},
    {"ae_attendances", "ae_attendances", "12 months", "A&E / UCC / walk-in attendances"},
    {"outpatient_attendances", "op_appointments", "12 months",
     "Outpatient appointments attended (ATTENDED 5 or 6)"},
    {"outpatient_dna", "op_appointments", "12 months", "Outpatient appointments not attended (3)"},
    {"gp_contacts", "gp_events", "12 months",
     "GP consultations, telephone encounters and home visits (11429006, 185317003, 439708006)"},
    {"gp_home_visits", "gp_events", "12 months", "GP home visits (439708006)"},
    {"community_contacts", "community_contacts", "12 months",
     "Community health contacts, any team"},
    {"mental_health_contacts", "mh_contacts", "12 months", "Mental health contacts, any team"},
    {"mh_crisis_contacts", "mh_contacts", "12 months",
     "Crisis resolution and liaison psychiatry contacts"},
    {"care_home", "social_care_events", "on index date",
     "A residential or nursing service open on the index date"},
    {"home_care", "social_care_events", "12 months",
     "A home-care service open at any time in the window"},
    {"reablement", "social_care_events", "12 months", "A reablement service in the window"},
    {"direct_payment_or_day_care", "social_care_events", "12 months",
     "A direct payment or day-care service in the window"},
    {"respite", "social_care_events", "12 months", "A respite stay in the window"},
    {"social_care_assessments", "social_care_events", "12 months",
     "Social care requests and assessments in the window"},
    {"fall_admissions", "apc_episodes", "12 months",
     "Emergency admissions with a W00-W19 external cause (falls)"},
    {"ae_falls", "ae_attendances", "12 months", "A&E attendances with chief complaint 'fall'"},
    {"delayed_discharges", "apc_episodes", "12 months",
     "Spells discharged in the window with a delayed transfer of care (delay reason recorded)"},
};

constexpr const char* kLtcSnomed[13] = {
    "38341003", "73211009",  "195967001", "53741008",  "13645005", "709044004", "35489007",
    "49436004", "230690007", "84114007",  "363346000", "84757009", "52448006"};

// Classes of interned codes, looked up by string id.
enum GpClass : int8_t {
  kGpOther = -1,
  // 0..12: long-term conditions
  kGpFalls = 20,
  kGpIncontinence,
  kGpMobility,
  kGpMalnutrition,
  kGpMemory,
  kGpFrailty,
  kGpConsult,
  kGpPhone,
  kGpHome,
};

struct CodeClasses {
  std::vector<int8_t> gp;          // GpClass
  std::vector<uint8_t> emergency;  // admission method is emergency
  std::vector<uint8_t> elective;   // 11-13
  std::vector<uint8_t> attended;   // 5, 6
  std::vector<uint8_t> dna;        // 3
  std::vector<uint8_t> mh_crisis;
  std::vector<CareService> service;
  std::vector<GpContact> gp_contact;
  std::vector<uint8_t> day_case;              // patient classification 2-4
  std::vector<std::optional<double>> weekly;  // weekly_cost text parsed
  std::vector<uint8_t> request_or_assessment;
  std::vector<uint8_t> service_event;
  std::vector<uint8_t> fall_complaint;
  std::vector<uint8_t> fall_cause;  // ICD-10 W00-W19
  std::vector<uint8_t> has_text;    // non-empty
};

CodeClasses Classify(const timeline::StringPool& pool) {
  const size_t n = pool.size();
  CodeClasses c;
  c.gp.assign(n, kGpOther);
  for (auto* v :
       {&c.emergency, &c.elective, &c.attended, &c.dna, &c.mh_crisis, &c.request_or_assessment,
        &c.service_event, &c.fall_complaint, &c.fall_cause, &c.has_text}) {
    v->assign(n, 0);
  }
  c.service.assign(n, CareService::kNone);
  c.gp_contact.assign(n, GpContact::kNone);
  c.day_case.assign(n, 0);
  c.weekly.assign(n, std::nullopt);
  std::unordered_map<std::string_view, int8_t> gp;
  for (int i = 0; i < 13; ++i) gp[kLtcSnomed[i]] = static_cast<int8_t>(i);
  gp["161898004"] = kGpFalls;
  gp["165232002"] = kGpIncontinence;
  gp["82971005"] = kGpMobility;
  gp["2492009"] = kGpMalnutrition;
  gp["386807006"] = kGpMemory;
  gp["248279007"] = kGpFrailty;
  gp["11429006"] = kGpConsult;
  gp["185317003"] = kGpPhone;
  gp["439708006"] = kGpHome;
  for (size_t id = 0; id < n; ++id) {
    std::string_view s = pool.Get(static_cast<uint32_t>(id));
    c.has_text[id] = !s.empty();
    if (auto it = gp.find(s); it != gp.end()) c.gp[id] = it->second;
    c.emergency[id] = model::IsEmergencyAdmissionMethod(s);
    c.elective[id] = s == "11" || s == "12" || s == "13";
    c.attended[id] = IsAttended(s);
    c.dna[id] = s == "3";
    c.mh_crisis[id] = s == "crisis_resolution" || s == "liaison_psychiatry";
    c.service[id] = CareServiceOf(s);
    c.gp_contact[id] = GpContactOf(s);
    c.day_case[id] = IsDayCaseClassification(s);
    c.weekly[id] = ParseWeeklyCost(s);
    c.request_or_assessment[id] = s == "request" || s == "assessment";
    c.service_event[id] = s == "service";
    c.fall_complaint[id] = s == "fall";
    c.fall_cause[id] = s.size() >= 3 && s[0] == 'W' && s[1] == '0';
    if (s.size() >= 3 && s[0] == 'W' && s[1] == '1' && s[2] <= '9') c.fall_cause[id] = 1;
  }
  return c;
}

// Attribute column indexes.
struct Attrs {
  int apc_episode_number, apc_admission_date, apc_discharge_date, apc_classpat, apc_cause,
      apc_delay_reason;
  int gp_value;
  int sc_weekly_cost;
};

const timeline::TimelineOptions& Options() {
  static const timeline::TimelineOptions o{{
      {"apc_episodes",
       {"episode_number", "admission_date", "discharge_date", "patient_classification", "cause",
        "delay_reason"}},
      {"gp_events", {"value"}},
      {"social_care_events", {"weekly_cost"}},
  }};
  return o;
}

}  // namespace

std::span<const FeatureSpec> FeatureSpecs() { return kSpecs; }

const char* OutcomeName(Outcome o) {
  switch (o) {
    case kEmergency:
      return "emergency_admission";
    case kAnyAdmission:
      return "any_admission";
    default:
      return "top5_cost";
  }
}

timeline::TimelineOptions RiskTimelineOptions() { return Options(); }

namespace {

// One person's features and next-year outcomes while their events are read.
struct PersonFeatures {
  std::vector<double> f;
  int32_t frailty_day = INT32_MIN;
  int32_t last_emergency = INT32_MIN;
  bool emergency = false, any_adm = false;
  int emergency_count = 0;
  double cost = 0;
};

// Parses a decimal from pool text; false when empty or not a number.
bool ParseDecimal(std::string_view v, double* x) {
  return !v.empty() && std::sscanf(std::string(v).c_str(), "%lf", x) == 1;
}

// BuildCohort's reading of the timeline: every person's features over the look-back windows
// before the index date d and outcomes over the year from it, in one pass over their events.
class CohortBuilder {
 public:
  CohortBuilder(const timeline::Timeline& t, const RiskInputs& inputs, Date index_date,
                const Attrs& a)
      : t_(t),
        a_(a),
        apc_(t.attributes(Source::kApcEpisode)),
        gpa_(t.attributes(Source::kGpEvent)),
        sca_(t.attributes(Source::kSocialCareEvent)),
        pool_(t.strings()),
        cls_(Classify(pool_)),
        index_date_(index_date),
        d_(index_date.days_since_epoch()),
        lb_(d_ - kYear),
        lb2_(d_ - 2 * kYear),
        fe_(d_ + kYear),
        costs_(UnitCosts::From(inputs)),
        inputs_(inputs) {}

  Cohort Build();

 private:
  // The practice registered with on d, or "" (not in the cohort).
  std::string_view PracticeOnIndexDate(uint64_t first, uint64_t last) const;
  void AddPerson(timeline::PersonIndex p, std::string_view practice, PersonFeatures& pf,
                 Cohort& c) const;
  void GpEvent(uint64_t i, PersonFeatures& pf) const;
  void ApcEpisode(uint64_t i, PersonFeatures& pf) const;
  void SocialCareEvent(uint64_t i, PersonFeatures& pf) const;
  void OtherEvent(uint64_t i, PersonFeatures& pf) const;

  const timeline::Timeline& t_;
  const Attrs& a_;
  const timeline::AttributeTable& apc_;
  const timeline::AttributeTable& gpa_;
  const timeline::AttributeTable& sca_;
  const timeline::StringPool& pool_;
  const CodeClasses cls_;
  const Date index_date_;
  const int32_t d_, lb_, lb2_, fe_;  // the index date and the windows' ends
  const UnitCosts costs_;
  const RiskInputs& inputs_;
};

std::string_view CohortBuilder::PracticeOnIndexDate(uint64_t first, uint64_t last) const {
  const auto& E = t_.events();
  std::string_view practice;
  for (uint64_t i = first; i < last; ++i) {
    if (E.source[i] != Source::kGpRegistration) continue;
    if (E.start_day[i] <= d_ && (E.end_day[i] == kNoDate || E.end_day[i] > d_)) {
      practice = pool_.Get(E.code[i]);
    }
  }
  return practice;
}

void CohortBuilder::GpEvent(uint64_t i, PersonFeatures& pf) const {
  const auto& E = t_.events();
  std::vector<double>& f = pf.f;
  const int32_t s = E.start_day[i];
  const bool in_lb = s >= lb_ && s < d_;
  const bool in_out = s >= d_ && s < fe_;
  const int8_t g = cls_.gp[E.code[i]];
  if (g == kGpOther) return;
  if (s >= d_) {
    if (in_out) {
      pf.cost += costs_.Gp(cls_.gp_contact[E.code[i]]);
    }
    return;
  }
  if (g >= 0 && g < 13) f[kHypertension + g] = 1;
  if (g == kGpFalls && in_lb) f[kFallsCoded] += 1;
  if (g == kGpIncontinence) f[kIncontinence] = 1;
  if (g == kGpMobility) f[kImpairedMobility] = 1;
  if (g == kGpMalnutrition) f[kMalnutrition] = 1;
  if (g == kGpMemory) f[kMemoryImpairment] = 1;
  if (g == kGpFrailty && s >= pf.frailty_day) {
    double x = 0;
    if (ParseDecimal(pool_.Get(static_cast<uint32_t>(gpa_.Value(a_.gp_value, E.attr_row[i]))),
                     &x)) {
      f[kFrailtyScore] = x;
      pf.frailty_day = s;
    }
  }
  if (in_lb && (g == kGpConsult || g == kGpPhone || g == kGpHome)) f[kGpContacts] += 1;
  if (in_lb && g == kGpHome) f[kGpHomeVisits] += 1;
}

void CohortBuilder::ApcEpisode(uint64_t i, PersonFeatures& pf) const {
  const auto& E = t_.events();
  std::vector<double>& f = pf.f;
  const int32_t s = E.start_day[i];
  const int32_t e = E.end_day[i];
  const uint32_t detail = E.detail[i];
  const uint32_t row = E.attr_row[i];
  const int32_t epi = apc_.Value(a_.apc_episode_number, row);
  const int32_t adm = apc_.Value(a_.apc_admission_date, row);
  const bool em = cls_.emergency[detail];
  if (s < d_ && em && adm >= lb_ && adm < d_) {
    const int32_t end = e == kNoDate ? d_ : std::min(e, d_);
    f[kEmergencyBedDays] += std::max(0, end - s);
  }
  if (s < d_ && adm != kNoDate && adm < d_) {
    const int32_t dis = apc_.Value(a_.apc_discharge_date, row);
    if (dis != kNoDate && dis >= lb_ && dis < d_ &&
        cls_.has_text[static_cast<uint32_t>(apc_.Value(a_.apc_delay_reason, row))]) {
      f[kDelayedDischarges] += 1;
    }
  }
  if (epi != 1 || adm == kNoDate) return;
  if (adm >= lb_ && adm < d_) {
    if (em) {
      f[kEmergencyAdmissions] += 1;
      if (cls_.fall_cause[static_cast<uint32_t>(apc_.Value(a_.apc_cause, row))])
        f[kFallAdmissions] += 1;
    }
    if (cls_.elective[detail]) f[kElectiveAdmissions] += 1;
  }
  if (em && adm >= lb2_ && adm < d_) pf.last_emergency = std::max(pf.last_emergency, adm);
  if (adm < d_ || adm >= fe_) return;
  pf.any_adm = true;
  if (em) {
    pf.emergency = true;
    ++pf.emergency_count;
  }
  // The spell's cost (unit_costs.h); excess bed days count up to the outcome year's end.
  const int32_t dis = apc_.Value(a_.apc_discharge_date, row);
  const auto method = em                      ? UnitCosts::Admission::kEmergency
                      : cls_.elective[detail] ? UnitCosts::Admission::kElective
                                              : UnitCosts::Admission::kOther;
  pf.cost +=
      costs_.Spell(method, cls_.day_case[static_cast<uint32_t>(apc_.Value(a_.apc_classpat, row))],
                   dis == kNoDate ? 0 : std::min(dis, fe_) - adm);
}

void CohortBuilder::SocialCareEvent(uint64_t i, PersonFeatures& pf) const {
  const auto& E = t_.events();
  std::vector<double>& f = pf.f;
  const int32_t s = E.start_day[i];
  const uint32_t code = E.code[i];
  if (cls_.request_or_assessment[code]) {
    if (s >= lb_ && s < d_) f[kSocialCareAssessments] += 1;
    if (s >= d_ && s < fe_) pf.cost += costs_.assessment;
    return;
  }
  if (!cls_.service_event[code]) return;
  const CareService sv = cls_.service[E.detail[i]];
  if (sv == CareService::kNone) return;
  const int32_t end = E.end_day[i] == kNoDate ? INT32_MAX : E.end_day[i];
  if (IsCareHome(sv) && s <= d_ && end > d_) f[kCareHome] = 1;
  if (s < d_ && end >= lb_) {
    if (sv == CareService::kHomeCare) f[kHomeCare] = 1;
    if (sv == CareService::kReablement) f[kReablement] = 1;
    if (sv == CareService::kDirectPaymentOrDayCare) f[kDirectPaymentOrDayCare] = 1;
    if (sv == CareService::kRespite) f[kRespite] = 1;
  }
  // Next-year cost: the service's weekly cost (its own, else the unit cost) for the weeks it
  // overlaps the outcome year.
  const int32_t from = std::max(s, d_), to = std::min(end, fe_);
  if (to > from) {
    const double weekly = costs_.Weekly(
        sv, cls_.weekly[static_cast<uint32_t>(sca_.Value(a_.sc_weekly_cost, E.attr_row[i]))]);
    pf.cost += weekly * (to - from) / 7.0;
  }
}

// A&E, outpatient, community and mental health contacts.
void CohortBuilder::OtherEvent(uint64_t i, PersonFeatures& pf) const {
  const auto& E = t_.events();
  std::vector<double>& f = pf.f;
  const int32_t s = E.start_day[i];
  const uint32_t code = E.code[i];
  const uint32_t detail = E.detail[i];
  const bool in_lb = s >= lb_ && s < d_;
  const bool in_out = s >= d_ && s < fe_;
  switch (E.source[i]) {
    case Source::kAeAttendance:
      if (in_lb) {
        f[kAeAttendances] += 1;
        if (cls_.fall_complaint[code]) f[kAeFalls] += 1;
      } else if (in_out) {
        pf.cost += costs_.ae_attendance;
      }
      break;
    case Source::kOpAppointment:
      if (in_lb) {
        if (cls_.attended[detail]) f[kOutpatientAttendances] += 1;
        if (cls_.dna[detail]) f[kOutpatientDna] += 1;
      } else if (in_out && cls_.attended[detail]) {
        pf.cost += costs_.op_attendance;
      }
      break;
    case Source::kCommunityContact:
      if (in_lb) f[kCommunityContacts] += 1;
      if (in_out) pf.cost += costs_.community_contact;
      break;
    case Source::kMhContact:
      if (in_lb) {
        f[kMentalHealthContacts] += 1;
        if (cls_.mh_crisis[code]) f[kCrisisContacts] += 1;
      }
      if (in_out && cls_.attended[detail]) pf.cost += costs_.mh_contact;
      break;
    default:  // registrations, plans and saved strata are never features
      break;
  }
}

// Person p's row: the features that need every event (LTC count, capped admissions, days
// since the last emergency) and the outcomes.
void CohortBuilder::AddPerson(timeline::PersonIndex p, std::string_view practice,
                              PersonFeatures& pf, Cohort& c) const {
  const auto& P = t_.persons();
  std::vector<double>& f = pf.f;
  int ltc = 0;
  for (int k = 0; k < 13; ++k) ltc += f[kHypertension + k] > 0;
  f[kLtcCount] = ltc;
  f[kEmergencyAdmissions] = std::min(3.0, f[kEmergencyAdmissions]);
  f[kDaysSinceEmergency] = pf.last_emergency == INT32_MIN ? 2 * kYear : d_ - pf.last_emergency;
  c.person.push_back(p);
  c.practice.emplace_back(practice);
  for (double v : f) c.x.push_back(static_cast<float>(v));
  c.emergency.push_back(pf.emergency);
  c.any_admission.push_back(pf.any_adm);
  c.emergency_count.push_back(pf.emergency_count);
  c.cost.push_back(pf.cost);
  c.died.push_back(P.death_day[p] != kNoDate && P.death_day[p] >= d_ && P.death_day[p] < fe_);
}

Cohort CohortBuilder::Build() {
  const auto& P = t_.persons();
  const auto& E = t_.events();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Cohort c;
  c.index_date = index_date_;
  PersonFeatures pf;
  pf.f.resize(kFeatureCount);
  for (timeline::PersonIndex p = 0; p < t_.person_count(); ++p) {
    if (!P.in_pds[p] || P.birth_day[p] == kNoDate || P.birth_day[p] >= d_) continue;
    if (P.death_day[p] != kNoDate && P.death_day[p] < d_) continue;
    auto [first, last] = t_.EventRange(p);
    const std::string_view practice = PracticeOnIndexDate(first, last);
    if (practice.empty()) continue;
    std::fill(pf.f.begin(), pf.f.end(), 0.0);
    pf.frailty_day = pf.last_emergency = INT32_MIN;
    pf.emergency = pf.any_adm = false;
    pf.emergency_count = 0;
    pf.cost = 0;
    std::vector<double>& f = pf.f;
    f[kAge] = Date::FromDaysSinceEpoch(P.birth_day[p]).AgeOn(index_date_);
    f[kMale] = P.sex[p] == 1;
    f[kImdDecile] = nan;
    if (auto it = inputs_.imd_decile_by_lsoa.find(std::string(pool_.Get(P.lsoa[p])));
        it != inputs_.imd_decile_by_lsoa.end()) {
      f[kImdDecile] = it->second;
    }
    f[kFrailtyScore] = nan;
    for (uint64_t i = first; i < last; ++i) {
      switch (E.source[i]) {
        case Source::kGpEvent:
          GpEvent(i, pf);
          break;
        case Source::kApcEpisode:
          ApcEpisode(i, pf);
          break;
        case Source::kSocialCareEvent:
          SocialCareEvent(i, pf);
          break;
        default:
          OtherEvent(i, pf);
          break;
      }
    }
    AddPerson(p, practice, pf, c);
  }
  // Top 5% by next-year cost (people with zero cost never count).
  c.top_cost.assign(c.rows(), 0);
  if (c.rows() > 0) {
    std::vector<double> sorted = c.cost;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    const size_t k = std::max<size_t>(1, static_cast<size_t>(std::ceil(0.05 * sorted.size())));
    const double threshold = sorted[k - 1];
    for (size_t i = 0; i < c.rows(); ++i) c.top_cost[i] = c.cost[i] >= threshold && c.cost[i] > 0;
  }
  return c;
}

}  // namespace

StatusOr<Cohort> BuildCohort(const timeline::Timeline& t, const RiskInputs& inputs,
                             Date index_date) {
  Attrs a{};
  const auto& apc = t.attributes(Source::kApcEpisode);
  const auto& gpa = t.attributes(Source::kGpEvent);
  const auto& sca = t.attributes(Source::kSocialCareEvent);
  a.apc_episode_number = apc.FieldIndex("episode_number");
  a.apc_admission_date = apc.FieldIndex("admission_date");
  a.apc_discharge_date = apc.FieldIndex("discharge_date");
  a.apc_classpat = apc.FieldIndex("patient_classification");
  a.apc_cause = apc.FieldIndex("cause");
  a.apc_delay_reason = apc.FieldIndex("delay_reason");
  a.gp_value = gpa.FieldIndex("value");
  a.sc_weekly_cost = sca.FieldIndex("weekly_cost");
  for (int v : {a.apc_episode_number, a.apc_admission_date, a.apc_discharge_date, a.apc_classpat,
                a.apc_cause, a.apc_delay_reason, a.gp_value, a.sc_weekly_cost}) {
    if (v < 0) {
      return FailedPreconditionError(
          "the timeline was built without the attributes risk features need "
          "(use risk::RiskTimelineOptions())");
    }
  }
  return CohortBuilder(t, inputs, index_date, a).Build();
}

}  // namespace pioneer::risk
