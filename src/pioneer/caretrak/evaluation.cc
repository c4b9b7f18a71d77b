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

StatusOr<Evaluation> Evaluate(const CohortDefinition& cohort, const EnrolmentList& enrolment,
                              const ActivityContext& activity, const risk::RiskInputs& inputs,
                              const EvalProgress& progress, MatchingTable* table) {
  using Clock = std::chrono::steady_clock;
  Clock::time_point stage_start = Clock::now();
  auto stage_done = [&stage_start](Evaluation& e, const char* name) {
    const Clock::time_point now = Clock::now();
    e.stage_seconds.emplace_back(name, std::chrono::duration<double>(now - stage_start).count());
    stage_start = now;
  };
  const timeline::Timeline& t = activity.timeline();
  const auto& P = t.persons();
  const auto& E = t.events();
  const std::string& src = cohort.enrolment_csv;
  Evaluation ev;
  ev.cohort = cohort;
  ev.price_year = inputs.price_year;
  ev.enrolment_rows = enrolment.data_rows;
  ev.unknown_nhs_number = enrolment.unknown_nhs_number;
  ev.bad_rows = enrolment.bad_rows;
  ev.duplicates = enrolment.duplicates;
  const int L = cohort.look_back_months, F = cohort.follow_up_months;

  // The data's extent: first hospital activity, last activity of any kind.
  int32_t first = std::numeric_limits<int32_t>::max();
  for (size_t i = 0; i < t.event_count(); ++i) {
    const Source s = E.source[i];
    if (s == Source::kApcEpisode || s == Source::kAeAttendance || s == Source::kOpAppointment) {
      first = std::min(first, E.start_day[i]);
    }
  }
  if (first == std::numeric_limits<int32_t>::max()) {
    return FailedPreconditionError("the store holds no hospital activity");
  }
  ev.data_start = Date::FromDaysSinceEpoch(first);
  ev.data_end = inputs.last_activity_date;
  const int32_t end = inputs.last_activity_date.days_since_epoch();
  const int32_t earliest = first + static_cast<int32_t>(std::ceil(L * kDaysPerMonth));
  const int32_t latest = end + 1 - static_cast<int32_t>(std::ceil(F * kDaysPerMonth));

  // 1. The cohort.
  auto age_on = [&](PersonIndex p, int32_t day) {
    return Date::FromDaysSinceEpoch(P.birth_day[p]).AgeOn(Date::FromDaysSinceEpoch(day));
  };
  auto alive_eligible = [&](PersonIndex p, int32_t day, bool* age_ok) {
    *age_ok = false;
    if (P.birth_day[p] == kNoDate || P.birth_day[p] >= day) return false;
    if (P.death_day[p] != kNoDate && P.death_day[p] <= day) return false;
    const int age = age_on(p, day);
    *age_ok = age >= cohort.min_age && age <= cohort.max_age;
    return true;
  };
  std::vector<Row> rows;
  std::unordered_map<PersonIndex, int32_t> enrolled;  // person -> enrolment day
  int64_t too_late = 0, too_early = 0;
  std::vector<Enrolment> in_window;
  for (const Enrolment& e : enrolment.rows) {
    enrolled[e.person] = e.day;
    if (e.day > latest) ++too_late;
    if (e.day < earliest) ++too_early;
    if (e.day >= earliest && e.day <= latest) in_window.push_back(e);
  }
  // Entry events from the store (a register or an extract) hold events too early or too late
  // for the windows: they are left out and counted; an enrolment list with them is refused.
  const bool from_register = cohort.entry != EntryType::kEnrolmentList;
  if (from_register) {
    ev.excluded_outside_data_window = too_late + too_early;
    too_late = too_early = 0;
  }
  const std::vector<Enrolment>& entries = from_register ? in_window : enrolment.rows;
  if (enrolment.rows.empty()) {
    return InvalidArgumentError(fmt::format(
        "{}: the cohort is empty: {} rows read, {} with an NHS Number not in the store, {} bad "
        "rows, {} duplicates",
        src, enrolment.data_rows, enrolment.unknown_nhs_number, enrolment.bad_rows,
        enrolment.duplicates));
  }
  if (too_late > 0) {
    return InvalidArgumentError(fmt::format(
        "{}: follow-up past the end of the data: {} of {} enrolment dates are after {}, the last "
        "date with {} whole months of follow-up before the data end ({})",
        src, too_late, enrolment.rows.size(), Iso(latest), F, Iso(end)));
  }
  if (too_early > 0) {
    return InvalidArgumentError(fmt::format(
        "{}: look-back before the start of the data: {} of {} enrolment dates are before {}, the "
        "first date with {} whole months of history after the data start ({})",
        src, too_early, enrolment.rows.size(), Iso(earliest), L, Iso(first)));
  }
  std::vector<int32_t> treated_days;
  for (const Enrolment& e : entries) {
    bool age_ok = false;
    if (!alive_eligible(e.person, e.day, &age_ok)) {
      ++ev.excluded_dead;
      continue;
    }
    if (!age_ok) {
      ++ev.excluded_age;
      continue;
    }
    rows.push_back({e.person, e.day, true});
    treated_days.push_back(e.day);
  }
  ev.cohort_size = static_cast<int64_t>(rows.size());
  if (rows.empty()) {
    return InvalidArgumentError(fmt::format(
        "{}: the cohort is empty: none of the {} enrolled people in the store was alive and aged "
        "{}-{} on the enrolment date",
        src, enrolment.rows.size(), cohort.min_age, cohort.max_age));
  }
  std::sort(treated_days.begin(), treated_days.end());
  const int32_t min_day = treated_days.front(), max_day = treated_days.back();

  // 2. Candidates with the same index-date logic.
  std::vector<int32_t> lags;
  for (const Row& r : rows) {
    const int32_t last = LastDischarge(activity.EmergencySpells(r.person), r.day);
    if (last != kNoDate && r.day - last <= kCrisisDays) lags.push_back(r.day - last);
  }
  ev.crisis_share = static_cast<double>(lags.size()) / rows.size();
  ev.control_index = cohort.control_index;
  if (ev.control_index == ControlIndex::kAuto) {
    ev.control_index =
        ev.crisis_share >= 0.5 ? ControlIndex::kEmergencyDischarge : ControlIndex::kEnrolmentDates;
  }
  if (ev.control_index == ControlIndex::kEmergencyDischarge && lags.empty()) {
    return InvalidArgumentError(
        fmt::format("{}: control_index emergency_discharge needs enrolled people with an emergency "
                    "discharge in the 30 days before enrolment; there are none",
                    src));
  }
  if (!lags.empty()) {
    std::sort(lags.begin(), lags.end());
    ev.control_lag_days = lags[lags.size() / 2];
  }
  std::unordered_set<PersonIndex> candidate_people;
  for (PersonIndex p = 0; p < t.person_count(); ++p) {
    if (!P.in_pds[p]) continue;
    // People enrolled later may be compared before their enrolment (not-yet-enrolled
    // controls), and are followed for the whole follow-up: excluding them would pick controls
    // by their future (those with fewer admissions had fewer chances to be enrolled), and
    // censoring them at their enrolment, which follows a discharge, would cut off the
    // readmissions that follow it. Their later enrolment dilutes the estimate towards zero by
    // about the share of the comparison group's follow-up after it (reported).
    const auto enrolled_it = enrolled.find(p);
    const int32_t censor = enrolled_it == enrolled.end() ? kNoDate : enrolled_it->second;
    bool age_ok = false;
    if (ev.control_index == ControlIndex::kEmergencyDischarge) {
      const auto spells = activity.EmergencySpells(p);
      for (const ActivityContext::Spell& sp : spells) {
        // The cohort's own lags from discharge to enrolment, one per row (by a hash).
        const uint64_t h =
            Mix((uint64_t{p} << 32) ^ static_cast<uint32_t>(sp.discharge) ^ cohort.seed);
        const int32_t day = sp.discharge + lags[h % lags.size()];
        if (day < min_day || day > max_day) continue;
        if (censor != kNoDate && censor <= day) continue;
        // As people are enrolled: out of hospital, and not readmitted or transferred, between
        // the discharge and the index date.
        if (activity.InHospital(p, sp.discharge, day)) continue;
        if (!alive_eligible(p, day, &age_ok) || !age_ok) continue;
        rows.push_back({p, day, false, censor});
        candidate_people.insert(p);
      }
    } else {
      const int32_t day = treated_days[Mix(p ^ cohort.seed) % treated_days.size()];
      if (censor != kNoDate && censor <= day) continue;
      if (!alive_eligible(p, day, &age_ok) || !age_ok) continue;
      rows.push_back({p, day, false, censor});
      candidate_people.insert(p);
    }
  }
  ev.candidate_rows = static_cast<int64_t>(rows.size()) - ev.cohort_size;
  ev.candidate_people = static_cast<int64_t>(candidate_people.size());
  if (ev.candidate_rows == 0) {
    return InvalidArgumentError(
        fmt::format("{}: cohort too small to match: no candidate for the comparison group", src));
  }

  // 3. Features and outcome sums for every row.
  const size_t n = rows.size();
  const int HL = std::max(L, kFeatureLookback);
  const int months = HL + F;
  const size_t n_out = cohort.outcomes.size();
  std::vector<double> x(n * kFeatureCount, 0.0);
  std::vector<PersonOutcome> outcome(n * n_out);
  std::vector<uint8_t> treated(n);
  std::vector<int32_t> stratum(n);
  std::vector<uint32_t> group(n);
  std::vector<int32_t> practice(cohort.exact_practice ? n : 0);
  std::vector<double> values(static_cast<size_t>(months) * kMeasureCount), exposure(months);
  std::vector<double> censored(values.size()), censored_exposure(months);
  for (size_t i = 0; i < n; ++i) {
    if (progress && (i % 4096 == 0 || i + 1 == n)) progress("pre-index features", i + 1, n);
    const Row& r = rows[i];
    activity.PersonMonths(r.person, r.day, HL, F, values, exposure);
    double* f = &x[i * kFeatureCount];
    const int age = age_on(r.person, r.day);
    f[kFAge] = age;
    f[kFMale] = P.sex[r.person] == 1;
    f[kFImd] = 5.5;
    if (auto it = inputs.imd_decile_by_lsoa.find(std::string(t.strings().Get(P.lsoa[r.person])));
        it != inputs.imd_decile_by_lsoa.end()) {
      f[kFImd] = it->second;
    }
    const uint32_t conditions = activity.ConditionsBefore(r.person, r.day);
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
    const int32_t last = LastDischarge(activity.EmergencySpells(r.person), r.day);
    f[kFDaysSinceEmergency] = last == kNoDate ? 730 : std::min(730, r.day - last);
    // A comparison person enrolled during the follow-up: the events before their enrolment,
    // so that those after it are known (the later-enrolment adjustment, estimate.h).
    const bool enrolled_in_follow_up = !r.treated && r.censor != kNoDate;
    if (enrolled_in_follow_up) {
      activity.PersonMonths(r.person, r.day, HL, F, censored, censored_exposure, r.censor);
    }
    for (size_t o = 0; o < n_out; ++o) {
      PersonOutcome& po = outcome[i * n_out + o];
      for (int k = HL - L; k < months; ++k) {
        const double v = values[k * kMeasureCount + cohort.outcomes[o]];
        if (k < HL) {
          po.pre += v;
          po.pre_exposure += exposure[k];
        } else {
          po.post += v;
          po.post_exposure += exposure[k];
          if (enrolled_in_follow_up) {
            po.post_after_own_enrolment += v - censored[k * kMeasureCount + cohort.outcomes[o]];
          }
        }
      }
    }
    treated[i] = r.treated;
    // Exact cells: age band, sex and emergency admissions in the year before (0, 1, 2, 3+),
    // the strongest predictor of the next year's (and the selection variable of crisis
    // enrolment).
    stratum[i] = AgeBand(age) * 100 + std::min<int>(P.sex[r.person], 9) * 10 +
                 std::min(3, static_cast<int>(f[kFNonElective]));
    group[i] = r.person;
    if (cohort.exact_practice) practice[i] = activity.PracticeOn(r.person, r.day);
  }
  stage_done(ev, "cohort, candidates and pre-index features");
  if (progress) progress("propensity score", 0, 1);
  auto logit = FitPropensity(x, kFeatureCount, treated);
  if (!logit.ok()) return logit.status();
  stage_done(ev, "propensity score");
  if (progress) progress("matching", 0, 1);
  const MatchResult match = Match(*logit, treated, stratum, group, cohort.caliper_sd,
                                  cohort.reuse_controls, practice, cohort.controls_per_case);
  const int K = match.ratio;
  // The comparison rows of treated row i (1 to K of them).
  auto set_of = [&](size_t i) {
    std::vector<size_t> v;
    for (int j = 0; j < K; ++j) {
      const int64_t r = match.controls_of[i * K + j];
      if (r >= 0) v.push_back(static_cast<size_t>(r));
    }
    return v;
  };
  ev.controls_per_case = K;
  ev.comparison_rows = match.controls;
  stage_done(ev, "matching");
  if (table != nullptr) {
    table->treated = treated;
    table->stratum = stratum;
    table->group = group;
    table->logit = *logit;
    table->control = match.control_of;
    table->caliper = match.caliper;
  }
  ev.caliper = match.caliper;
  ev.matched = match.matched;
  ev.unmatched = match.unmatched;
  ev.matched_same_practice = match.matched_fine;
  if (ev.matched < cohort.min_cohort) {
    return InvalidArgumentError(fmt::format(
        "{}: cohort too small to match: {} matched pairs from {} eligible enrolled people and {} "
        "candidate rows; at least {} are needed (comparison.min_cohort)",
        src, ev.matched, ev.cohort_size, ev.candidate_rows, cohort.min_cohort));
  }
  ev.reliable = ev.matched >= cohort.reliable_cohort;
  {
    double after = 0, later = 0;
    const double span = F * kDaysPerMonth;
    for (size_t i = 0; i < n; ++i) {
      if (!treated[i] || match.control_of[i] < 0) continue;
      const std::vector<size_t> set = set_of(i);
      for (size_t r : set) {
        const Row& c = rows[r];
        if (c.censor == kNoDate) continue;
        after += std::clamp((c.day + span - c.censor) / span, 0.0, 1.0) / set.size();
        later += 1.0 / set.size();
      }
    }
    ev.controls_enrolled_later = static_cast<int64_t>(std::llround(later));
    ev.control_followup_enrolled_share = ev.matched > 0 ? after / ev.matched : 0;
  }

  // 4. Balance. A cohort member's k comparison rows weigh 1/k each.
  std::vector<size_t> t_all, c_all, t_m, c_m;
  std::vector<double> w_m;                // weight of each c_m row
  std::vector<std::vector<size_t>> sets;  // per t_m: its comparison rows
  for (size_t i = 0; i < n; ++i) {
    (treated[i] ? t_all : c_all).push_back(i);
    if (treated[i] && match.control_of[i] >= 0) {
      t_m.push_back(i);
      sets.push_back(set_of(i));
      for (size_t r : sets.back()) {
        c_m.push_back(r);
        w_m.push_back(1.0 / sets.back().size());
      }
    }
  }
  auto column = [&](const std::vector<size_t>& idx, int f) {
    std::vector<double> v;
    v.reserve(idx.size());
    for (size_t i : idx) v.push_back(x[i * kFeatureCount + f]);
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
    const auto ta = column(t_all, f), ca = column(c_all, f), tm = column(t_m, f),
               cm = column(c_m, f);
    b.treated_mean = mean(tm, {});
    b.candidates_mean = mean(ca, {});
    b.matched_mean = mean(cm, w_m);
    b.smd_before = StandardisedMeanDifference(ta, ca);
    b.smd_after = StandardisedMeanDifference(tm, cm, w_m);
    ev.balance.push_back(b);
  }

  // 5. Outcomes: DiD with a bootstrap over clusters of pairs that share a person, and the
  // monthly series of the matched groups.
  std::vector<int32_t> clusters;
  {
    // One edge per (cohort member, comparison row); a set's cluster is its first edge's.
    std::vector<uint32_t> pa, pb;
    std::vector<size_t> first_edge;
    for (size_t k = 0; k < t_m.size(); ++k) {
      first_edge.push_back(pa.size());
      for (size_t r : sets[k]) {
        pa.push_back(rows[t_m[k]].person);
        pb.push_back(rows[r].person);
      }
    }
    const std::vector<int32_t> edge_cluster = PairClusters(pa, pb);
    std::unordered_map<int32_t, int32_t> renumber;
    for (size_t k = 0; k < t_m.size(); ++k) {
      clusters.push_back(
          renumber.try_emplace(edge_cluster[first_edge[k]], static_cast<int32_t>(renumber.size()))
              .first->second);
    }
    ev.control_people =
        static_cast<int64_t>(std::unordered_set<uint32_t>(pb.begin(), pb.end()).size());
    ev.bootstrap_clusters = static_cast<int64_t>(renumber.size());
  }
  // The regression adjustment's covariates: the cohort member's features minus the mean of
  // its comparison rows'.
  const int p_reg = cohort.regression_adjustment ? kFeatureCount : 0;
  std::vector<double> dx(cohort.regression_adjustment ? t_m.size() * kFeatureCount : 0);
  for (size_t k = 0; k < t_m.size() && p_reg > 0; ++k) {
    for (int f = 0; f < kFeatureCount; ++f) {
      double m = 0;
      for (size_t r : sets[k]) m += x[r * kFeatureCount + f];
      dx[k * kFeatureCount + f] = x[t_m[k] * kFeatureCount + f] - m / sets[k].size();
    }
  }
  for (size_t o = 0; o < n_out; ++o) {
    if (progress) progress("difference-in-differences (bootstrap)", o, n_out);
    OutcomeEstimate est;
    est.measure = cohort.outcomes[o];
    std::vector<PersonOutcome> pt, pc;
    for (size_t k = 0; k < t_m.size(); ++k) {
      pt.push_back(outcome[t_m[k] * n_out + o]);
      PersonOutcome avg;
      for (size_t r : sets[k]) {
        const PersonOutcome& c = outcome[r * n_out + o];
        avg.pre += c.pre;
        avg.pre_exposure += c.pre_exposure;
        avg.post += c.post;
        avg.post_exposure += c.post_exposure;
        avg.post_after_own_enrolment += c.post_after_own_enrolment;
      }
      const double m = static_cast<double>(sets[k].size());
      avg.pre /= m;
      avg.pre_exposure /= m;
      avg.post /= m;
      avg.post_exposure /= m;
      avg.post_after_own_enrolment /= m;
      pc.push_back(avg);
    }
    est.did = BootstrapDid(pt, pc, cohort.bootstrap, cohort.seed * 7919 + o, clusters,
                           cohort.adjust_for_later_enrolment, dx, p_reg);
    ev.outcomes.push_back(std::move(est));
  }
  std::vector<double> sum_t(static_cast<size_t>(L + F) * n_out), sum_c(sum_t.size()), exp_t(L + F),
      exp_c(L + F);
  auto add_series = [&](const Row& r, double w, std::vector<double>& sum, std::vector<double>& ex) {
    activity.PersonMonths(r.person, r.day, L, F,
                          std::span(values).first(static_cast<size_t>(L + F) * kMeasureCount),
                          std::span(exposure).first(L + F));
    for (int m = 0; m < L + F; ++m) {
      ex[m] += w * exposure[m];
      for (size_t o = 0; o < n_out; ++o) {
        sum[m * n_out + o] += w * values[m * kMeasureCount + cohort.outcomes[o]];
      }
    }
  };
  for (size_t k = 0; k < t_m.size(); ++k) {
    add_series(rows[t_m[k]], 1.0, sum_t, exp_t);
    for (size_t r : sets[k]) add_series(rows[r], 1.0 / sets[k].size(), sum_c, exp_c);
  }
  for (size_t o = 0; o < n_out; ++o) {
    for (int m = 0; m < L + F; ++m) {
      ev.outcomes[o].treated_monthly.push_back(exp_t[m] > 0 ? sum_t[m * n_out + o] / exp_t[m] : 0);
      ev.outcomes[o].control_monthly.push_back(exp_c[m] > 0 ? sum_c[m * n_out + o] / exp_c[m] : 0);
    }
  }
  stage_done(ev, "balance, estimates and bootstrap");
  return ev;
}

}  // namespace pioneer::caretrak
