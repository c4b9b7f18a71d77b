#include "pioneer/caretrak/evaluation.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "pioneer/caretrak/matching.h"

namespace pioneer::caretrak {
namespace {

using timeline::kNoDate;
using timeline::PersonIndex;
using timeline::Source;

constexpr int kFeatureLookback = 24;  // months of history the features read
constexpr int kCrisisDays = 30;

enum Feature : int {
  kFAge = 0,
  kFMale,
  kFImd,
  kFConditions,
  kFAe,
  kFNonElective,
  kFNonElectivePrior,
  kFElective,
  kFBedDays,
  kFOutpatient,
  kFGp,
  kFCommunity,
  kFMentalHealth,
  kFHomeCare,
  kFCareHome,
  kFCost,
  kFDaysSinceEmergency,
  kFCondition0,  // 13 long-term condition flags
  kFeatureCount = kFCondition0 + ActivityContext::kConditionCount
};
constexpr const char* kFeatureNames[kFeatureCount] = {
    "age",
    "male",
    "imd_decile",
    "long_term_conditions",
    "ae_attendances_12m",
    "non_elective_admissions_12m",
    "non_elective_admissions_13_24m",
    "elective_admissions_12m",
    "bed_days_12m",
    "outpatient_attendances_12m",
    "gp_contacts_12m",
    "community_contacts_12m",
    "mental_health_contacts_12m",
    "home_care_weeks_12m",
    "care_home_weeks_12m",
    "total_cost_12m",
    "days_since_emergency_discharge",
    "hypertension",
    "diabetes",
    "asthma",
    "coronary_heart_disease",
    "copd",
    "chronic_kidney_disease",
    "depression",
    "atrial_fibrillation",
    "stroke",
    "heart_failure",
    "cancer",
    "epilepsy",
    "dementia",
};

int AgeBand(int age) {
  return age < 18 ? 0 : age < 50 ? 1 : age < 65 ? 2 : age < 75 ? 3 : age < 85 ? 4 : 5;
}

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Row {
  PersonIndex person;
  int32_t day;
  bool treated;
  int32_t censor = kNoDate;  // a comparison person's own later enrolment
};

// The latest emergency discharge on or before `day`, or kNoDate.
int32_t LastDischarge(const std::vector<ActivityContext::Spell>& spells, int32_t day) {
  int32_t last = kNoDate;
  for (const ActivityContext::Spell& s : spells) {
    if (s.discharge <= day) last = std::max(last, s.discharge);
  }
  return last;
}

std::string Iso(int32_t day) { return Date::FromDaysSinceEpoch(day).ToIso(); }

}  // namespace

namespace {

// One evaluation, step by step (evaluation.h lists the steps); each step reads what the
// earlier ones left in the members.
class CohortEvaluation {
 public:
  CohortEvaluation(const CohortDefinition& cohort, const EnrolmentList& enrolment,
                   const ActivityContext& activity, const risk::RiskInputs& inputs,
                   const EvalProgress& progress)
      : cohort_(cohort),
        enrolment_(enrolment),
        activity_(activity),
        inputs_(inputs),
        progress_(progress),
        t_(activity.timeline()),
        P_(t_.persons()),
        src_(cohort.enrolment_csv),
        L_(cohort.look_back_months),
        F_(cohort.follow_up_months) {
    ev_.cohort = cohort;
    ev_.price_year = inputs.price_year;
    ev_.enrolment_rows = enrolment.data_rows;
    ev_.unknown_nhs_number = enrolment.unknown_nhs_number;
    ev_.bad_rows = enrolment.bad_rows;
    ev_.duplicates = enrolment.duplicates;
  }

  // The data's extent: first hospital activity, last activity of any kind.
  Status FindDataExtent();
  // 1. The cohort: enrolled people alive and of age on their index date.
  Status SelectCohort();
  // 2. Candidates for the comparison group, with the same index-date logic.
  Status AddCandidates();
  // 3. Features and outcome sums for every row.
  void ComputeFeatures();
  // Propensity score and matching.
  Status MatchRows(MatchingTable* table);
  // 4. Balance of every feature before and after matching.
  void MeasureBalance();
  // 5. Outcomes: DiD with a bootstrap over clusters of pairs that share a person, and the
  // monthly series of the matched groups.
  void EstimateOutcomes();

  void StageDone(const char* name) {
    const Clock::time_point now = Clock::now();
    ev_.stage_seconds.emplace_back(name, std::chrono::duration<double>(now - stage_start_).count());
    stage_start_ = now;
  }
  Evaluation& evaluation() { return ev_; }

 private:
  using Clock = std::chrono::steady_clock;

  int AgeOn(PersonIndex p, int32_t day) const {
    return Date::FromDaysSinceEpoch(P_.birth_day[p]).AgeOn(Date::FromDaysSinceEpoch(day));
  }
  // Alive and born by `day`; *age_ok: of the cohort's ages on it.
  bool AliveEligible(PersonIndex p, int32_t day, bool* age_ok) const {
    *age_ok = false;
    if (P_.birth_day[p] == kNoDate || P_.birth_day[p] >= day) return false;
    if (P_.death_day[p] != kNoDate && P_.death_day[p] <= day) return false;
    const int age = AgeOn(p, day);
    *age_ok = age >= cohort_.min_age && age <= cohort_.max_age;
    return true;
  }
  Status CheckEnrolmentWindow(int64_t too_late, int64_t too_early) const;
  void AddCandidateRows(PersonIndex p, int32_t censor, std::unordered_set<PersonIndex>& people);
  void FeaturesOf(size_t i, int HL, std::vector<double>& values, std::vector<double>& exposure,
                  std::vector<double>& censored, std::vector<double>& censored_exposure);
  // The comparison rows of treated row i (1 to K of them).
  std::vector<size_t> SetOf(size_t i) const {
    std::vector<size_t> v;
    for (int j = 0; j < match_.ratio; ++j) {
      const int64_t r = match_.controls_of[i * match_.ratio + j];
      if (r >= 0) v.push_back(static_cast<size_t>(r));
    }
    return v;
  }
  void MeasureLaterEnrolment();
  std::vector<int32_t> PairClustersOfMatches();
  void AddMonthlySeries();

  const CohortDefinition& cohort_;
  const EnrolmentList& enrolment_;
  const ActivityContext& activity_;
  const risk::RiskInputs& inputs_;
  const EvalProgress& progress_;
  const timeline::Timeline& t_;
  const timeline::PersonColumns& P_;
  const std::string& src_;
  const int L_, F_;
  Clock::time_point stage_start_ = Clock::now();
  Evaluation ev_;

  int32_t first_ = 0, end_ = 0, earliest_ = 0, latest_ = 0;
  std::vector<Row> rows_;
  std::unordered_map<PersonIndex, int32_t> enrolled_;  // person -> enrolment day
  std::vector<int32_t> treated_days_;                  // sorted
  std::vector<int32_t> lags_;                          // sorted
  // Per row: features (kFeatureCount each), outcome sums (one per outcome), matching inputs.
  std::vector<double> x_;
  std::vector<PersonOutcome> outcome_;
  std::vector<uint8_t> treated_;
  std::vector<int32_t> stratum_;
  std::vector<uint32_t> group_;
  std::vector<int32_t> practice_;
  MatchResult match_;
  // Matched cohort rows, their comparison rows (sets_, weighted w_m_ in c_m_).
  std::vector<size_t> t_m_, c_m_;
  std::vector<double> w_m_;
  std::vector<std::vector<size_t>> sets_;
};

Status CohortEvaluation::FindDataExtent() {
  const auto& E = t_.events();
  int32_t first = std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < t_.event_count(); ++i) {
    const Source s = E.source[i];
    if (s == Source::kApcEpisode || s == Source::kAeAttendance || s == Source::kOpAppointment) {
      first = std::min(first, E.start_day[i]);
    }
  }
  if (first == std::numeric_limits<int32_t>::max()) {
    return FailedPreconditionError("the store holds no hospital activity");
  }
  first_ = first;
  ev_.data_start = Date::FromDaysSinceEpoch(first);
  ev_.data_end = inputs_.last_activity_date;
  end_ = inputs_.last_activity_date.days_since_epoch();
  earliest_ = first + static_cast<int32_t>(std::ceil(L_ * kDaysPerMonth));
  latest_ = end_ + 1 - static_cast<int32_t>(std::ceil(F_ * kDaysPerMonth));
  return OkStatus();
}

Status CohortEvaluation::CheckEnrolmentWindow(int64_t too_late, int64_t too_early) const {
  if (enrolment_.rows.empty()) {
    return InvalidArgumentError(fmt::format(
        "{}: the cohort is empty: {} rows read, {} with an NHS Number not in the store, {} bad "
        "rows, {} duplicates",
        src_, enrolment_.data_rows, enrolment_.unknown_nhs_number, enrolment_.bad_rows,
        enrolment_.duplicates));
  }
  if (too_late > 0) {
    return InvalidArgumentError(fmt::format(
        "{}: follow-up past the end of the data: {} of {} enrolment dates are after {}, the last "
        "date with {} whole months of follow-up before the data end ({})",
        src_, too_late, enrolment_.rows.size(), Iso(latest_), F_, Iso(end_)));
  }
  if (too_early > 0) {
    return InvalidArgumentError(fmt::format(
        "{}: look-back before the start of the data: {} of {} enrolment dates are before {}, the "
        "first date with {} whole months of history after the data start ({})",
        src_, too_early, enrolment_.rows.size(), Iso(earliest_), L_, Iso(first_)));
  }
  return OkStatus();
}

Status CohortEvaluation::SelectCohort() {
  int64_t too_late = 0, too_early = 0;
  std::vector<Enrolment> in_window;
  for (const Enrolment& e : enrolment_.rows) {
    enrolled_[e.person] = e.day;
    if (e.day > latest_) ++too_late;
    if (e.day < earliest_) ++too_early;
    if (e.day >= earliest_ && e.day <= latest_) in_window.push_back(e);
  }
  // Entry events from the store (a register or an extract) hold events too early or too late
  // for the windows: they are left out and counted; an enrolment list with them is refused.
  const bool from_register = cohort_.entry != EntryType::kEnrolmentList;
  if (from_register) {
    ev_.excluded_outside_data_window = too_late + too_early;
    too_late = too_early = 0;
  }
  const std::vector<Enrolment>& entries = from_register ? in_window : enrolment_.rows;
  PIONEER_RETURN_IF_ERROR(CheckEnrolmentWindow(too_late, too_early));
  for (const Enrolment& e : entries) {
    bool age_ok = false;
    if (!AliveEligible(e.person, e.day, &age_ok)) {
      ++ev_.excluded_dead;
      continue;
    }
    if (!age_ok) {
      ++ev_.excluded_age;
      continue;
    }
    rows_.push_back({e.person, e.day, true});
    treated_days_.push_back(e.day);
  }
  ev_.cohort_size = static_cast<int64_t>(rows_.size());
  if (rows_.empty()) {
    return InvalidArgumentError(fmt::format(
        "{}: the cohort is empty: none of the {} enrolled people in the store was alive and aged "
        "{}-{} on the enrolment date",
        src_, enrolment_.rows.size(), cohort_.min_age, cohort_.max_age));
  }
  std::sort(treated_days_.begin(), treated_days_.end());
  return OkStatus();
}

Status CohortEvaluation::AddCandidates() {
  for (const Row& r : rows_) {
    const int32_t last = LastDischarge(activity_.EmergencySpells(r.person), r.day);
    if (last != kNoDate && r.day - last <= kCrisisDays) lags_.push_back(r.day - last);
  }
  ev_.crisis_share = static_cast<double>(lags_.size()) / rows_.size();
  ev_.control_index = cohort_.control_index;
  if (ev_.control_index == ControlIndex::kAuto) {
    ev_.control_index =
        ev_.crisis_share >= 0.5 ? ControlIndex::kEmergencyDischarge : ControlIndex::kEnrolmentDates;
  }
  if (ev_.control_index == ControlIndex::kEmergencyDischarge && lags_.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: control_index emergency_discharge needs enrolled people with an emergency "
                    "discharge in the 30 days before enrolment; there are none",
                    src_));
  }
  if (!lags_.empty()) {
    std::sort(lags_.begin(), lags_.end());
    ev_.control_lag_days = lags_[lags_.size() / 2];
  }
  std::unordered_set<PersonIndex> candidate_people;
  for (PersonIndex p = 0; p < t_.person_count(); ++p) {
    if (!P_.in_pds[p]) continue;
    // People enrolled later may be compared before their enrolment (not-yet-enrolled
    // controls), and are followed for the whole follow-up: excluding them would pick controls
    // by their future (those with fewer admissions had fewer chances to be enrolled), and
    // censoring them at their enrolment, which follows a discharge, would cut off the
    // readmissions that follow it. Their later enrolment dilutes the estimate towards zero by
    // about the share of the comparison group's follow-up after it (reported).
    const auto enrolled_it = enrolled_.find(p);
    const int32_t censor = enrolled_it == enrolled_.end() ? kNoDate : enrolled_it->second;
    AddCandidateRows(p, censor, candidate_people);
  }
  ev_.candidate_rows = static_cast<int64_t>(rows_.size()) - ev_.cohort_size;
  ev_.candidate_people = static_cast<int64_t>(candidate_people.size());
  if (ev_.candidate_rows == 0) {
    return InvalidArgumentError(
        fmt::format("{}: cohort too small to match: no candidate for the comparison group", src_));
  }
  return OkStatus();
}

// Person p's candidate rows: one per emergency discharge (index date the discharge plus one
// of the cohort's lags), or one at a cohort member's index date.
void CohortEvaluation::AddCandidateRows(PersonIndex p, int32_t censor,
                                        std::unordered_set<PersonIndex>& people) {
  const int32_t min_day = treated_days_.front(), max_day = treated_days_.back();
  bool age_ok = false;
  if (ev_.control_index == ControlIndex::kEmergencyDischarge) {
    const auto spells = activity_.EmergencySpells(p);
    for (const ActivityContext::Spell& sp : spells) {
      // The cohort's own lags from discharge to enrolment, one per row (by a hash).
      const uint64_t h =
          Mix((uint64_t{p} << 32) ^ static_cast<uint32_t>(sp.discharge) ^ cohort_.seed);
      const int32_t day = sp.discharge + lags_[h % lags_.size()];
      if (day < min_day || day > max_day) continue;
      if (censor != kNoDate && censor <= day) continue;
      // As people are enrolled: out of hospital, and not readmitted or transferred, between
      // the discharge and the index date.
      if (activity_.InHospital(p, sp.discharge, day)) continue;
      if (!AliveEligible(p, day, &age_ok) || !age_ok) continue;
      rows_.push_back({p, day, false, censor});
      people.insert(p);
    }
    return;
  }
  const int32_t day = treated_days_[Mix(p ^ cohort_.seed) % treated_days_.size()];
  if (censor != kNoDate && censor <= day) return;
  if (!AliveEligible(p, day, &age_ok) || !age_ok) return;
  rows_.push_back({p, day, false, censor});
  people.insert(p);
}

void CohortEvaluation::ComputeFeatures() {
  const size_t n = rows_.size();
  const int HL = std::max(L_, kFeatureLookback);
  const int months = HL + F_;
  x_.assign(n * kFeatureCount, 0.0);
  outcome_.assign(n * cohort_.outcomes.size(), {});
  treated_.assign(n, 0);
  stratum_.assign(n, 0);
  group_.assign(n, 0);
  practice_.assign(cohort_.exact_practice ? n : 0, 0);
  std::vector<double> values(static_cast<size_t>(months) * kMeasureCount), exposure(months);
  std::vector<double> censored(values.size()), censored_exposure(months);
  for (size_t i = 0; i < n; ++i) {
    if (progress_ && (i % 4096 == 0 || i + 1 == n)) progress_("pre-index features", i + 1, n);
    FeaturesOf(i, HL, values, exposure, censored, censored_exposure);
  }
}

void CohortEvaluation::FeaturesOf(size_t i, int HL, std::vector<double>& values,
                                  std::vector<double>& exposure, std::vector<double>& censored,
                                  std::vector<double>& censored_exposure) {
  const int months = HL + F_;
  const size_t n_out = cohort_.outcomes.size();
  const Row& r = rows_[i];
  activity_.PersonMonths(r.person, r.day, HL, F_, values, exposure);
  double* f = &x_[i * kFeatureCount];
  const int age = AgeOn(r.person, r.day);
  f[kFAge] = age;
  f[kFMale] = P_.sex[r.person] == 1;
  f[kFImd] = 5.5;
  if (auto it = inputs_.imd_decile_by_lsoa.find(std::string(t_.strings().Get(P_.lsoa[r.person])));
      it != inputs_.imd_decile_by_lsoa.end()) {
    f[kFImd] = it->second;
  }
  const uint32_t conditions = activity_.ConditionsBefore(r.person, r.day);
  f[kFConditions] = __builtin_popcount(conditions);
  for (int c = 0; c < ActivityContext::kConditionCount; ++c) {
    f[kFCondition0 + c] = (conditions >> c) & 1u;
  }
  constexpr std::pair<Feature, Measure> kMap[] = {{kFAe, kAeAttendances},
                                                  {kFNonElective, kNonElectiveAdmissions},
                                                  {kFElective, kElectiveAdmissions},
                                                  {kFBedDays, kBedDays},
                                                  {kFOutpatient, kOutpatientAttendances},
                                                  {kFGp, kGpContacts},
                                                  {kFCommunity, kCommunityContacts},
                                                  {kFMentalHealth, kMentalHealthContacts},
                                                  {kFHomeCare, kHomeCareWeeks},
                                                  {kFCareHome, kCareHomeWeeks},
                                                  {kFCost, kTotalCost}};
  for (int k = HL - 12; k < HL; ++k) {
    for (auto [feature, measure] : kMap) f[feature] += values[k * kMeasureCount + measure];
  }
  for (int k = HL - 24; k < HL - 12; ++k) {
    f[kFNonElectivePrior] += values[k * kMeasureCount + kNonElectiveAdmissions];
  }
  const int32_t last = LastDischarge(activity_.EmergencySpells(r.person), r.day);
  f[kFDaysSinceEmergency] = last == kNoDate ? 730 : std::min(730, r.day - last);
  // A comparison person enrolled during the follow-up: the events before their enrolment,
  // so that those after it are known (the later-enrolment adjustment, estimate.h).
  const bool enrolled_in_follow_up = !r.treated && r.censor != kNoDate;
  if (enrolled_in_follow_up) {
    activity_.PersonMonths(r.person, r.day, HL, F_, censored, censored_exposure, r.censor);
  }
  for (size_t o = 0; o < n_out; ++o) {
    PersonOutcome& po = outcome_[i * n_out + o];
    for (int k = HL - L_; k < months; ++k) {
      const double v = values[k * kMeasureCount + cohort_.outcomes[o]];
      if (k < HL) {
        po.pre += v;
        po.pre_exposure += exposure[k];
      } else {
        po.post += v;
        po.post_exposure += exposure[k];
        if (enrolled_in_follow_up) {
          po.post_after_own_enrolment += v - censored[k * kMeasureCount + cohort_.outcomes[o]];
        }
      }
    }
  }
  treated_[i] = r.treated;
  // Exact cells: age band, sex and emergency admissions in the year before (0, 1, 2, 3+),
  // the strongest predictor of the next year's (and the selection variable of crisis
  // enrolment).
  stratum_[i] = AgeBand(age) * 100 + std::min<int>(P_.sex[r.person], 9) * 10 +
                std::min(3, static_cast<int>(f[kFNonElective]));
  group_[i] = r.person;
  if (cohort_.exact_practice) practice_[i] = activity_.PracticeOn(r.person, r.day);
}

Status CohortEvaluation::MatchRows(MatchingTable* table) {
  if (progress_) progress_("propensity score", 0, 1);
  auto logit = FitPropensity(x_, kFeatureCount, treated_);
  if (!logit.ok()) return logit.status();
  StageDone("propensity score");
  if (progress_) progress_("matching", 0, 1);
  match_ = Match(*logit, treated_, stratum_, group_, cohort_.caliper_sd, cohort_.reuse_controls,
                 practice_, cohort_.controls_per_case);
  ev_.controls_per_case = match_.ratio;
  ev_.comparison_rows = match_.controls;
  StageDone("matching");
  if (table != nullptr) {
    table->treated = treated_;
    table->stratum = stratum_;
    table->group = group_;
    table->logit = *logit;
    table->control = match_.control_of;
    table->caliper = match_.caliper;
  }
  ev_.caliper = match_.caliper;
  ev_.matched = match_.matched;
  ev_.unmatched = match_.unmatched;
  ev_.matched_same_practice = match_.matched_fine;
  if (ev_.matched < cohort_.min_cohort) {
    return InvalidArgumentError(fmt::format(
        "{}: cohort too small to match: {} matched pairs from {} eligible enrolled people and {} "
        "candidate rows; at least {} are needed (comparison.min_cohort)",
        src_, ev_.matched, ev_.cohort_size, ev_.candidate_rows, cohort_.min_cohort));
  }
  ev_.reliable = ev_.matched >= cohort_.reliable_cohort;
  MeasureLaterEnrolment();
  return OkStatus();
}

// Comparison rows of people enrolled later, and the share of their follow-up after it.
void CohortEvaluation::MeasureLaterEnrolment() {
  double after = 0, later = 0;
  const double span = F_ * kDaysPerMonth;
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (!treated_[i] || match_.control_of[i] < 0) continue;
    const std::vector<size_t> set = SetOf(i);
    for (size_t r : set) {
      const Row& c = rows_[r];
      if (c.censor == kNoDate) continue;
      after += std::clamp((c.day + span - c.censor) / span, 0.0, 1.0) / set.size();
      later += 1.0 / set.size();
    }
  }
  ev_.controls_enrolled_later = static_cast<int64_t>(std::llround(later));
  ev_.control_followup_enrolled_share = ev_.matched > 0 ? after / ev_.matched : 0;
}

// A cohort member's k comparison rows weigh 1/k each.
void CohortEvaluation::MeasureBalance() {
  std::vector<size_t> t_all, c_all;
  for (size_t i = 0; i < rows_.size(); ++i) {
    (treated_[i] ? t_all : c_all).push_back(i);
    if (treated_[i] && match_.control_of[i] >= 0) {
      t_m_.push_back(i);
      sets_.push_back(SetOf(i));
      for (size_t r : sets_.back()) {
        c_m_.push_back(r);
        w_m_.push_back(1.0 / sets_.back().size());
      }
    }
  }
  auto column = [&](const std::vector<size_t>& idx, int f) {
    std::vector<double> v;
    v.reserve(idx.size());
    for (size_t i : idx) v.push_back(x_[i * kFeatureCount + f]);
    return v;
  };
  auto mean = [](const std::vector<double>& v, const std::vector<double>& w) {
    double s = 0, sw = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      const double wi = w.empty() ? 1.0 : w[i];
      s += wi * v[i];
      sw += wi;
    }
    return sw > 0 ? s / sw : 0.0;
  };
  for (int f = 0; f < kFeatureCount; ++f) {
    BalanceRow b;
    b.feature = kFeatureNames[f];
    const auto ta = column(t_all, f), ca = column(c_all, f), tm = column(t_m_, f),
               cm = column(c_m_, f);
    b.treated_mean = mean(tm, {});
    b.candidates_mean = mean(ca, {});
    b.matched_mean = mean(cm, w_m_);
    b.smd_before = StandardisedMeanDifference(ta, ca);
    b.smd_after = StandardisedMeanDifference(tm, cm, w_m_);
    ev_.balance.push_back(b);
  }
}

// The bootstrap's clusters: matched sets joined when they share a person (one edge per
// cohort member and comparison row; a set's cluster is its first edge's), numbered from 0.
std::vector<int32_t> CohortEvaluation::PairClustersOfMatches() {
  std::vector<int32_t> clusters;
  std::vector<uint32_t> pa, pb;
  std::vector<size_t> first_edge;
  for (size_t k = 0; k < t_m_.size(); ++k) {
    first_edge.push_back(pa.size());
    for (size_t r : sets_[k]) {
      pa.push_back(rows_[t_m_[k]].person);
      pb.push_back(rows_[r].person);
    }
  }
  const std::vector<int32_t> edge_cluster = PairClusters(pa, pb);
  std::unordered_map<int32_t, int32_t> renumber;
  for (size_t k = 0; k < t_m_.size(); ++k) {
    clusters.push_back(
        renumber.try_emplace(edge_cluster[first_edge[k]], static_cast<int32_t>(renumber.size()))
            .first->second);
  }
  ev_.control_people =
      static_cast<int64_t>(std::unordered_set<uint32_t>(pb.begin(), pb.end()).size());
  ev_.bootstrap_clusters = static_cast<int64_t>(renumber.size());
  return clusters;
}

void CohortEvaluation::EstimateOutcomes() {
  const size_t n_out = cohort_.outcomes.size();
  const std::vector<int32_t> clusters = PairClustersOfMatches();
  // The regression adjustment's covariates: the cohort member's features minus the mean of
  // its comparison rows'.
  const int p_reg = cohort_.regression_adjustment ? kFeatureCount : 0;
  std::vector<double> dx(cohort_.regression_adjustment ? t_m_.size() * kFeatureCount : 0);
  for (size_t k = 0; k < t_m_.size() && p_reg > 0; ++k) {
    for (int f = 0; f < kFeatureCount; ++f) {
      double m = 0;
      for (size_t r : sets_[k]) m += x_[r * kFeatureCount + f];
      dx[k * kFeatureCount + f] = x_[t_m_[k] * kFeatureCount + f] - m / sets_[k].size();
    }
  }
  for (size_t o = 0; o < n_out; ++o) {
    if (progress_) progress_("difference-in-differences (bootstrap)", o, n_out);
    OutcomeEstimate est;
    est.measure = cohort_.outcomes[o];
    std::vector<PersonOutcome> pt, pc;
    for (size_t k = 0; k < t_m_.size(); ++k) {
      pt.push_back(outcome_[t_m_[k] * n_out + o]);
      PersonOutcome avg;
      for (size_t r : sets_[k]) {
        const PersonOutcome& c = outcome_[r * n_out + o];
        avg.pre += c.pre;
        avg.pre_exposure += c.pre_exposure;
        avg.post += c.post;
        avg.post_exposure += c.post_exposure;
        avg.post_after_own_enrolment += c.post_after_own_enrolment;
      }
      const double m = static_cast<double>(sets_[k].size());
      avg.pre /= m;
      avg.pre_exposure /= m;
      avg.post /= m;
      avg.post_exposure /= m;
      avg.post_after_own_enrolment /= m;
      pc.push_back(avg);
    }
    est.did = BootstrapDid(pt, pc, cohort_.bootstrap, cohort_.seed * 7919 + o, clusters,
                           cohort_.adjust_for_later_enrolment, dx, p_reg);
    ev_.outcomes.push_back(std::move(est));
  }
  AddMonthlySeries();
}

// Each outcome's monthly rate in the matched cohort and its (weighted) comparison rows.
void CohortEvaluation::AddMonthlySeries() {
  const size_t n_out = cohort_.outcomes.size();
  const int LF = L_ + F_;
  std::vector<double> values(static_cast<size_t>(LF) * kMeasureCount), exposure(LF);
  std::vector<double> sum_t(static_cast<size_t>(LF) * n_out), sum_c(sum_t.size()), exp_t(LF),
      exp_c(LF);
  auto add_series = [&](const Row& r, double w, std::vector<double>& sum, std::vector<double>& ex) {
    activity_.PersonMonths(r.person, r.day, L_, F_, values, exposure);
    for (int m = 0; m < LF; ++m) {
      ex[m] += w * exposure[m];
      for (size_t o = 0; o < n_out; ++o) {
        sum[m * n_out + o] += w * values[m * kMeasureCount + cohort_.outcomes[o]];
      }
    }
  };
  for (size_t k = 0; k < t_m_.size(); ++k) {
    add_series(rows_[t_m_[k]], 1.0, sum_t, exp_t);
    for (size_t r : sets_[k]) add_series(rows_[r], 1.0 / sets_[k].size(), sum_c, exp_c);
  }
  for (size_t o = 0; o < n_out; ++o) {
    for (int m = 0; m < LF; ++m) {
      ev_.outcomes[o].treated_monthly.push_back(exp_t[m] > 0 ? sum_t[m * n_out + o] / exp_t[m] : 0);
      ev_.outcomes[o].control_monthly.push_back(exp_c[m] > 0 ? sum_c[m * n_out + o] / exp_c[m] : 0);
    }
  }
}

}  // namespace

StatusOr<Evaluation> Evaluate(const CohortDefinition& cohort, const EnrolmentList& enrolment,
                              const ActivityContext& activity, const risk::RiskInputs& inputs,
                              const EvalProgress& progress, MatchingTable* table) {
  CohortEvaluation run(cohort, enrolment, activity, inputs, progress);
  PIONEER_RETURN_IF_ERROR(run.FindDataExtent());
  PIONEER_RETURN_IF_ERROR(run.SelectCohort());
  PIONEER_RETURN_IF_ERROR(run.AddCandidates());
  run.ComputeFeatures();
  run.StageDone("cohort, candidates and pre-index features");
  PIONEER_RETURN_IF_ERROR(run.MatchRows(table));
  run.MeasureBalance();
  run.EstimateOutcomes();
  run.StageDone("balance, estimates and bootstrap");
  return std::move(run.evaluation());
}

}  // namespace pioneer::caretrak
