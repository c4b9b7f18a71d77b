#include "pioneer/synth/simulator.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "pioneer/synth/demography.h"
#include "pioneer/synth/hospital_model.h"
#include "pioneer/synth/latent_risk.h"
#include "pioneer/synth/model_parameters.h"
#include "pioneer/synth/rng.h"

namespace pioneer::synth {
namespace {

using namespace params;  // NOLINT: the parameter namespace exists for this file

constexpr Day kBurnIn = 91;
constexpr double kDaysPerYear = 365.25;
// The 2014/15 GP enhanced service "avoiding unplanned admissions" (bcf-metrics.md 10.1).
constexpr Day kEnhancedServiceStart = DaysFromCivil(2014, 4, 1);
constexpr Day kNewAdmissionMethods = DaysFromCivil(2013, 4, 1);  // 2A-2D replace 28
// Practice risk score above which an adult joins the enhanced service's case-management
// register (about 2% of adults at any time, as the service required).
constexpr double kRegisterThreshold = 4.1;

// Christmas Day, Boxing Day and New Year's Day: surgeries and clinics are closed.
bool IsClosedHoliday(Day d) {
  const Ymd x = CivilFromDays(d);
  return (x.month == 12 && (x.day == 25 || x.day == 26)) || (x.month == 1 && x.day == 1);
}

enum Residence { kAtHome = 0, kResidential = 1, kNursing = 2 };

enum Pathway {
  kPathHome,
  kPathReablement,
  kPathHomeCare,
  kPathIntermediate,
  kPathCareHome,
  kPathTransfer,
  kPathReturnCareHome,
};

enum TimerKind { kTimerMark, kTimerReablementEnd, kTimerPracticeClose };

struct Timer {
  Day when;
  TimerKind kind;
};

// Major events: the emergency causes first, then these.
enum Major : int {
  kMajorElective = kCauseCount,
  kMajorDelivery,
  kMajorDeath,
  kMajorLeave,
  kMajorMove,
  kMajorSurname,
  kMajorScRequest,
  kMajorCareHome,
  kMajorToNursing,
  kMajorDepletion,
  kMajorRespite,
  kMajorCount
};

bool StartsWith(const char* s, const char* prefix) {
  return s != nullptr && std::strncmp(s, prefix, std::strlen(prefix)) == 0;
}

// ATTENDED code for a booked contact with the given did-not-attend probability.
const char* Attended(Rng& rng, double dna) {
  const double u = rng.Uniform();
  if (u < dna) return "3";
  if (u < dna + 0.04) return "2";
  if (u < dna + 0.07) return "4";
  if (u < dna + 0.077) return "6";
  if (u < dna + 0.08) return "7";
  return "5";
}

int AgeBand9(int age) {
  if (age < 1) return 0;
  if (age < 5) return 1;
  if (age < 15) return 2;
  if (age < 18) return 3;
  if (age < 45) return 4;
  if (age < 65) return 5;
  if (age < 75) return 6;
  if (age < 85) return 7;
  return 8;
}

// STARTAGE: completed years, or 7001-7007 for infants (NHS Data Dictionary).
int StartAgeCode(Day birth, Day on) {
  const int years = AgeOn(birth, on);
  if (years > 0) return years;
  const int days = on - birth;
  if (days < 1) return 7001;
  if (days < 7) return 7002;
  if (days < 29) return 7003;
  if (days < 91) return 7004;
  if (days < 182) return 7005;
  if (days < 273) return 7006;
  return 7007;
}

// Survivor selection of the latent risk. People alive at age a are survivors: those with a
// high latent risk z are under-represented among the old. With the model's mortality rising
// as about exp(0.5 z) (directly and through conditions), the density of z among survivors to
// age a is proportional to phi(z) * exp(-H(a) * exp(0.5 z)), where H(a) is the cumulative
// hazard of an average person. Sampling residents this way starts the area near its steady
// state instead of with a surplus of high-risk old people who would die in the first year.
constexpr double kSurvivorBeta = 0.5;
constexpr double kSurvivorHealth = 1.5;  // average health multiplier of the population

struct SurvivorTable {
  double cumulative[2][kMaxAge + 2];      // H(a) by sex
  double condition_norm[2][kMaxAge + 2];  // E[exp(0.35 z) | survived to a]
};

const SurvivorTable& Survivors() {
  static const SurvivorTable table = [] {
    SurvivorTable t{};
    for (int sex = 1; sex <= 2; ++sex) {
      double h = 0;
      for (int a = 0; a <= kMaxAge + 1; ++a) {
        t.cumulative[sex - 1][a] = h;
        if (a >= 30) h += DeathHazard(a, sex) * MortalityScale(a) * kSurvivorHealth;
        double num = 0, den = 0;
        for (double z = -5; z <= 5; z += 0.02) {
          const double w =
              std::exp(-z * z / 2) *
              std::exp(-t.cumulative[sex - 1][a] *
                       std::max(0.0, std::exp(kSurvivorBeta * z) - std::exp(-3 * kSurvivorBeta)));
          num += w * std::exp(0.35 * z);
          den += w;
        }
        t.condition_norm[sex - 1][a] = num / den;
      }
    }
    return t;
  }();
  return table;
}

// Tables of the hazards that depend only on sex, age and month, computed once (the rates are
// recomputed for every segment of every person, so this is the generator's hot path).
struct RateTables {
  double cause[2][9][12][kCauseCount];  // base x season x group scale, per year
  int cause_condition[kCauseCount];
  CauseGroup cause_group[kCauseCount];
  double death[2][kMaxAge + 2];  // baseline x age scale, per year
  double prevalence[kConditionCount][kMaxAge + 3];
  double deprivation[kConditionCount][11];
};

const RateTables& Tables() {
  static const RateTables t = [] {
    RateTables r{};
    constexpr int kBandAge[9] = {0, 2, 10, 16, 30, 55, 70, 80, 90};
    for (int c = 0; c < kCauseCount; ++c) {
      const EmergencyCause cause = static_cast<EmergencyCause>(c);
      r.cause_condition[c] = RequiredCondition(cause);
      r.cause_group[c] = GroupOf(cause);
      double scale = 1;
      switch (r.cause_group[c]) {
        case kGroupFall:
          scale = kFallScale;
          break;
        case kGroupChronicAcsc:
          scale = kChronicAcscScale;
          break;
        case kGroupAcuteAcsc:
          scale = kAcuteAcscScale;
          break;
        case kGroupChildLrti:
          scale = kChildLrtiScale;
          break;
        case kGroupOther:
          scale = kOtherEmergencyScale;
          break;
      }
      for (int sex = 1; sex <= 2; ++sex) {
        for (int band = 0; band < 9; ++band) {
          for (int month = 1; month <= 12; ++month) {
            r.cause[sex - 1][band][month - 1][c] = BaseEmergencyHazard(cause, kBandAge[band], sex) *
                                                   SeasonalMultiplier(cause, month) * scale;
          }
        }
      }
    }
    for (int sex = 1; sex <= 2; ++sex) {
      for (int a = 0; a <= kMaxAge + 1; ++a)
        r.death[sex - 1][a] = DeathHazard(a, sex) * MortalityScale(a);
    }
    for (int c = 0; c < kConditionCount; ++c) {
      for (int a = 0; a <= kMaxAge + 2; ++a)
        r.prevalence[c][a] = Prevalence(static_cast<Condition>(c), a);
      for (int d = 1; d <= 10; ++d)
        r.deprivation[c][d] = DeprivationMultiplier(static_cast<Condition>(c), d);
    }
    return r;
  }();
  return t;
}

}  // namespace

struct PersonSimulator::Scratch {
  std::vector<Timer> timers;
  std::vector<GpEvent> gp_history;
  std::vector<Spell> pending_day_cases;
};

class PersonSimulator::Life {
 public:
  Life(const SimContext& c, uint64_t index, PersonHistory* h, Scratch* scratch)
      : c_(c),
        area_(*c.area),
        h_(*h),
        timers_(scratch->timers),
        gp_history_(scratch->gp_history),
        pending_day_cases_(scratch->pending_day_cases),
        rng_(Rng::ForStream(c.seed, Stream::kPerson, index)),
        sim_end_(c.window_end + 1) {
    h_.Clear();
    h_.index = index;
    timers_.clear();
    gp_history_.clear();
    pending_day_cases_.clear();
  }

  void Run() {
    Init();
    Loop();
    Finish();
  }

 private:
  // ---------------------------------------------------------------------------------------
  // Initial state
  // ---------------------------------------------------------------------------------------
  void Init() {
    const uint64_t index = h_.index;
    const Day ws = c_.window_start;
    const int window_days = sim_end_ - ws;
    int age_at_start;
    if (index < c_.initial) {
      h_.entry = EntryKind::kResident;
      h_.sex = SampleResidentSex(rng_);
      age_at_start = SampleResidentAge(rng_, h_.sex);
      h_.birth = AddYears(ws, -age_at_start) - 1 - static_cast<Day>(rng_.Below(364));
      sim_start_ = std::max<Day>(ws - kBurnIn, h_.birth);
      exit_allowed_ = ws;
    } else if (index < c_.initial + c_.births) {
      h_.entry = EntryKind::kBirth;
      h_.sex = SampleNewbornSex(rng_);
      h_.birth = ws + static_cast<Day>(rng_.Below(window_days));
      h_.entry_day = h_.birth;
      sim_start_ = h_.birth;
      exit_allowed_ = h_.birth;
      age_at_start = 0;
    } else {
      h_.entry = EntryKind::kInMigrant;
      h_.sex = SampleResidentSex(rng_);
      const Day arrival = ws + static_cast<Day>(rng_.Below(window_days));
      age_at_start = SampleInMigrantAge(rng_);
      h_.birth = AddYears(arrival, -age_at_start) - 1 - static_cast<Day>(rng_.Below(364));
      h_.entry_day = arrival;
      sim_start_ = arrival;
      exit_allowed_ = arrival;
    }
    const int birth_year = CivilFromDays(h_.birth).year;

    // Latent traits (survivor-selected for people alive before the window).
    const int age_for_z = std::min(kMaxAge + 1, AgeOn(h_.birth, sim_start_));
    const double hz =
        h_.entry == EntryKind::kBirth ? 0 : Survivors().cumulative[h_.sex - 1][age_for_z];
    for (int attempt = 0; attempt < 50; ++attempt) {
      z_ = rng_.Normal();
      const double excess =
          std::max(0.0, std::exp(kSurvivorBeta * z_) - std::exp(-3 * kSurvivorBeta));
      if (rng_.Uniform() < std::exp(-hz * excess)) break;
    }
    health_seeking_ = 0.3 * z_ + 0.954 * rng_.Normal();
    frailty_offset_ = rng_.Normal(0, 0.04);
    smi_ = rng_.Bernoulli(0.009);
    register_noise_ = rng_.Normal(0, 0.5);
    h_.latent_risk = z_;
    latent_mult_ = std::exp(kLatentSd * z_ - kLatentSd * kLatentSd / 2);
    death_latent_ = std::exp(0.35 * z_);
    gp_latent_ = std::exp(0.35 * health_seeking_ - 0.061);
    ae_latent_ = std::exp(0.25 * z_ + 0.2 * health_seeking_ - 0.05);
    op_latent_ = std::exp(0.2 * health_seeking_ - 0.02);
    birth_ymd_ = CivilFromDays(h_.birth);

    // Where they live.
    lsoa_ = area_.SampleLsoa(rng_);
    imd_ = area_.lsoas()[lsoa_].imd_decile;
    imd_mult_ = (kDeprivationTop - kDeprivationStep * (imd_ - 1)) / 1.05;

    // Names.
    h_.origin = c_.names->SampleOrigin(rng_, birth_year, imd_);
    h_.given_name = std::string(c_.names->Forename(rng_, h_.origin, h_.sex, birth_year));
    if (rng_.Bernoulli(h_.origin == NameOrigin::kBritish ? 0.7 : 0.4)) {
      for (int attempt = 0; attempt < 5; ++attempt) {
        h_.other_given_name = std::string(c_.names->Forename(rng_, h_.origin, h_.sex, birth_year));
        if (h_.other_given_name != h_.given_name) break;
        h_.other_given_name.clear();
      }
    }
    const std::string surname = c_.names->Surname(rng_, h_.origin, h_.sex);
    const int age_now = AgeOn(h_.birth, sim_start_);
    if (h_.sex == 2 && age_now >= 25 &&
        rng_.Bernoulli(h_.origin == NameOrigin::kSouthAsian ? 0.3 : 0.55)) {
      const int married_at = rng_.Between(20, std::min(age_now - 1, 40));
      const Day married = AddYears(h_.birth, married_at) + static_cast<Day>(rng_.Below(365));
      h_.name_periods.push_back({h_.birth, c_.names->Surname(rng_, h_.origin, 2)});
      h_.name_periods.push_back({std::min(married, sim_start_ - 1), surname});
    } else {
      h_.name_periods.push_back({h_.birth, surname});
    }

    // Address history: an earlier address for some adults, and for in-migrants.
    int street, house;
    area_.SampleAddress(rng_, lsoa_, &street, &house);
    Day moved_in = sim_start_;
    if (h_.entry == EntryKind::kResident) {
      moved_in = std::max<Day>(h_.birth,
                               ws - static_cast<Day>(rng_.Exponential(1.0 / (8 * kDaysPerYear))));
    }
    if (h_.entry == EntryKind::kInMigrant) {
      h_.address_periods.push_back(
          {h_.birth, -1, -1, area_.OutOfAreaPostcode(rng_), area_.OutOfAreaAddressLine(rng_)});
    } else if (h_.entry == EntryKind::kResident && age_now >= 18 &&
               moved_in > h_.birth + 18 * 365 && rng_.Bernoulli(0.4)) {
      if (rng_.Bernoulli(0.6)) {
        int s2, h2;
        const int l2 = area_.NearbyLsoa(rng_, lsoa_);
        area_.SampleAddress(rng_, l2, &s2, &h2);
        h_.address_periods.push_back(
            {h_.birth, l2, -1, area_.Postcode(s2, h2), area_.AddressLine(s2, h2)});
      } else {
        h_.address_periods.push_back(
            {h_.birth, -1, -1, area_.OutOfAreaPostcode(rng_), area_.OutOfAreaAddressLine(rng_)});
      }
    }
    h_.address_periods.push_back({h_.address_periods.empty() ? h_.birth : moved_in, lsoa_, -1,
                                  area_.Postcode(street, house), area_.AddressLine(street, house)});

    // Long-term conditions present at the start.
    const double cond_latent = std::exp(0.35 * z_) / ConditionNorm(age_now);
    for (int ci = 0; ci < kConditionCount; ++ci) {
      const Condition cond = static_cast<Condition>(ci);
      const double p = Prevalence(cond, age_now) * DeprivationMultiplier(cond, imd_) * cond_latent;
      if (!rng_.Bernoulli(std::min(p, 0.95))) continue;
      const int onset_age = std::min(TypicalOnsetAge(cond), age_now);
      const int span_years = std::max(0, age_now - onset_age);
      Day onset = sim_start_ -
                  static_cast<Day>(rng_.Uniform() * std::min(span_years, 25) * kDaysPerYear) - 1;
      onset = std::max(onset, h_.birth + 1);
      AddCondition(cond, onset, /*incident=*/false);
    }

    // Care home or long-term community support at the start (residents 65+).
    if (h_.entry == EntryKind::kResident && age_now >= 65) {
      const int band = age_now < 75 ? 0 : age_now < 85 ? 1 : age_now < 90 ? 2 : 3;
      double p = kCareHomeAtStart[band] * (Has(conditions_, kDementia) ? 3.0 : 0.8) *
                 (1 + 3 * std::max(0.0, Frailty(age_now) - 0.2));
      if (rng_.Bernoulli(std::min(p, 0.8))) {
        const bool nursing = rng_.Bernoulli(Has(conditions_, kDementia) ? 0.55 : 0.35);
        const Day placed = ws - rng_.Between(30, 4 * 365);
        PlaceInCareHome(std::max(placed, AddYears(h_.birth, 60)), "community", nursing,
                        /*initial=*/true);
      } else {
        const double q = (band == 0   ? 0.015
                          : band == 1 ? 0.05
                                      : 0.14) *
                         (1 + 3 * std::max(0.0, Frailty(age_now) - 0.15));
        if (rng_.Bernoulli(std::min(q, 0.6))) {
          StartLongTermCommunity(ws - rng_.Between(30, 3 * 365), "community", /*older=*/true);
        }
      }
    } else if (h_.entry == EntryKind::kResident && age_now >= 18 &&
               rng_.Bernoulli(smi_ ? 0.05 : 0.004)) {
      StartLongTermCommunity(ws - rng_.Between(30, 5 * 365), "community", /*older=*/false);
    }

    // GP registration.
    Day reg_start;
    if (h_.entry == EntryKind::kResident) {
      reg_start = std::max<Day>(h_.birth + rng_.Between(10, 60),
                                ws - static_cast<Day>(rng_.Exponential(1.0 / (10 * kDaysPerYear))));
      if (residence_ != kAtHome) reg_start = std::min(reg_start, ws - 1);
    } else if (h_.entry == EntryKind::kBirth) {
      reg_start = h_.birth + rng_.Between(7, 56);
    } else {
      const double u = rng_.Uniform();
      reg_start = sim_start_ + (u < 0.7    ? rng_.Between(0, 30)
                                : u < 0.95 ? rng_.Between(31, 180)
                                           : rng_.Between(181, 500));
    }
    Register(area_.SamplePractice(rng_, CurrentLsoaForPractice()), reg_start);
  }

  // ---------------------------------------------------------------------------------------
  // Main loop
  // ---------------------------------------------------------------------------------------
  void Loop() {
    double t = sim_start_;
    Day month_end = NextMonthStart(sim_start_);
    GenerateMonth(sim_start_, month_end);
    Day next_year = sim_start_ + 365;
    double rates[kMajorCount];
    while (!exited_ && t < sim_end_) {
      const Day day = static_cast<Day>(std::floor(t));
      // Catch up on month and year boundaries passed by a hospital stay.
      while (day >= month_end) {
        const Day next = NextMonthStart(month_end);
        GenerateMonth(month_end, std::min<Day>(next, sim_end_));
        month_end = next;
      }
      while (day >= next_year) {
        YearlyUpdate(next_year);
        next_year += 365;
      }
      FireTimers(day);
      if (exited_) break;

      Day seg_end = std::min<Day>(month_end, sim_end_);
      seg_end = std::min(seg_end, next_year);
      for (const Timer& tm : timers_) seg_end = std::min(seg_end, std::max(tm.when, day + 1));

      const double total = ComputeRates(day, rates);
      const double dt = total > 0 ? rng_.Exponential(total) : 1e18;
      if (t + dt >= seg_end) {
        t = seg_end;
        continue;
      }
      t += dt;
      const Day event_day = static_cast<Day>(std::floor(t));
      const int which = SampleIndex(rng_, std::span<const double>(rates, kMajorCount));
      const Day resume = HandleMajor(which, event_day);
      t = std::max(t, resume + 0.5);
    }
  }

  // Returns the day from which the clock resumes (e.g. the discharge day).
  Day HandleMajor(int which, Day day) {
    if (which < kCauseCount)
      return EmergencyAdmission(static_cast<EmergencyCause>(which), day, false);
    switch (which) {
      case kMajorElective:
        return ElectiveAdmission(day);
      case kMajorDelivery:
        return Delivery(day);
      case kMajorDeath:
        return Death(day);
      case kMajorLeave:
        Leave(day);
        return day;
      case kMajorMove:
        LocalMove(day);
        return day;
      case kMajorSurname:
        h_.name_periods.push_back({day, c_.names->Surname(rng_, h_.origin, h_.sex)});
        return day;
      case kMajorScRequest:
        CommunityRequest(day);
        return day;
      case kMajorCareHome:
        CommunityCareHomeAdmission(day);
        return day;
      case kMajorToNursing:
        TransferToNursing(day, "other");
        return day;
      case kMajorDepletion:
        SelfFunderDepleted(day);
        return day;
      case kMajorRespite:
        Respite(day);
        return day;
      default:
        return day;
    }
  }

  double ComputeRates(Day day, double* rates) {
    const Ymd today = CivilFromDays(day);
    const int age = AgeFrom(today);
    const int month = today.month;
    const int n_ltc = CountConditions(conditions_);
    const RateTables& tables = Tables();
    const double* cause_base = tables.cause[h_.sex - 1][AgeBand9(age)][month - 1];
    const double frailty = Frailty(age);
    const double frail_mult = 1 + 2.5 * std::max(0.0, frailty - 0.1);
    const double fall_frail_mult = 1 + 4.0 * std::max(0.0, frailty - 0.1);
    const double other_mult = 1 + kPerConditionMultiplier * n_ltc;
    double post = 1;
    double death_post = 1;
    if (last_discharge_ != kNoDay) {
      const int since = day - last_discharge_;
      if (since < 30) {
        post = kReadmit30;
        death_post = age >= 65 ? kPostDischargeDeath30 : 1;
      } else if (since < 91) {
        post = kReadmit90;
        death_post = age >= 65 ? kPostDischargeDeath90 : 1;
      }
    }
    const bool vulnerable = day < vulnerable_until_;
    if (vulnerable) {
      post *= kReablementReadmitMultiplier;
      death_post *= kReablementDeathMultiplier;
    }
    const double common = latent_mult_ * imd_mult_ * post * (care_plan_ ? kCarePlanEffect : 1) *
                          (residence_ != kAtHome ? 1.3 : 1.0);
    constexpr double kPerDay = 1 / kDaysPerYear;
    double total = 0;
    // Per-group multipliers (the group's calibration scale is already in the table).
    double group_mult[5];
    group_mult[kGroupFall] = fall_frail_mult * (residence_ != kAtHome ? 1.3 : 1.0);
    group_mult[kGroupChronicAcsc] = frail_mult;
    group_mult[kGroupAcuteAcsc] = other_mult * frail_mult;
    group_mult[kGroupChildLrti] = 1;
    group_mult[kGroupOther] = other_mult * frail_mult;
    const double observable = ObservableRisk(day, age, frailty);  // latent_risk.h
    for (int g = 0; g < 5; ++g) {
      group_mult[g] *= common * kPerDay * observable / InteractionNorm(age, g == kGroupChronicAcsc);
    }
    for (int ci = 0; ci < kCauseCount; ++ci) {
      const int cond = tables.cause_condition[ci];
      if (cond >= 0 && !Has(conditions_, static_cast<Condition>(cond))) {
        rates[ci] = 0;
        continue;
      }
      rates[ci] = cause_base[ci] * group_mult[tables.cause_group[ci]];
      total += rates[ci];
    }
    rates[kMajorElective] = BaseElectiveHazard(age) * (1 + 0.15 * n_ltc) * kElectiveScale *
                            (residence_ != kAtHome ? 0.3 : 1.0) * kPerDay;
    rates[kMajorDelivery] = 0;
    if (h_.sex == 2 && age >= 16 && age < 45) {
      constexpr double kFertility[] = {0.02, 0.065, 0.10, 0.11, 0.06, 0.013};  // 16-19, 20-24, ...
      rates[kMajorDelivery] = kFertility[age < 20 ? 0 : (age - 15) / 5] * kPerDay;
    }
    const bool can_exit = day >= exit_allowed_;
    rates[kMajorDeath] = 0;
    rates[kMajorLeave] = 0;
    if (can_exit) {
      double health = death_latent_;
      for (int ci = 0; ci < kConditionCount; ++ci) {
        if (!Has(conditions_, static_cast<Condition>(ci))) continue;
        health *= ci == kCancer ? (day - onset_[kCancer] < 5 * 365 ? 2.5 : 1.2)
                                : MortalityMultiplier(static_cast<Condition>(ci));
      }
      health *= 1 + 3 * std::max(0.0, frailty - 0.15);
      if (residence_ != kAtHome) health *= 1.5;
      rates[kMajorDeath] =
          tables.death[h_.sex - 1][std::min(age, kMaxAge + 1)] * health * death_post * kPerDay;
      rates[kMajorLeave] = OutMigrationHazard(age) * (residence_ != kAtHome ? 0.2 : 1.0) *
                           (lt_service_ >= 0 ? 0.5 : 1.0) * kPerDay;
    }
    rates[kMajorMove] = residence_ == kAtHome ? LocalMoveHazard(age) * kPerDay : 0;
    rates[kMajorSurname] = SurnameChangeHazard(age, h_.sex) * kPerDay;
    rates[kMajorScRequest] = 0;
    rates[kMajorCareHome] = 0;
    if (residence_ == kAtHome && age >= 18 && can_exit) {
      if (lt_service_ < 0 && reablement_ < 0) {
        double r;
        if (age >= 65) {
          r = (age < 75   ? 0.012
               : age < 85 ? 0.04
                          : 0.09) *
              (1 + 3 * std::max(0.0, frailty - 0.12)) * (Has(conditions_, kDementia) ? 2.0 : 1.0);
        } else {
          r = 0.003 * (smi_ ? 5.0 : 1.0) * (1 + 0.3 * n_ltc);
        }
        rates[kMajorScRequest] = r * kPerDay;
      }
      double ch;
      if (age >= 65) {
        ch = kCareHomeCommunity[age < 75   ? 0
                                : age < 85 ? 1
                                           : 2] *
             (Has(conditions_, kDementia) ? 4.0 : 1.0) * (1 + 5 * std::max(0.0, frailty - 0.2)) *
             (lt_service_ >= 0 ? 2.0 : 1.0) * (vulnerable ? kReablementCareHomeMultiplier : 1.0);
      } else {
        ch = 0.00005 * (smi_ ? 5.0 : 1.0);
      }
      rates[kMajorCareHome] = ch * kPerDay;
    }
    rates[kMajorToNursing] = residence_ == kResidential ? kResidentialToNursing * kPerDay : 0;
    rates[kMajorDepletion] = residence_ != kAtHome && std::strcmp(ch_funding_, "self_funder") == 0
                                 ? kSelfFunderDepletion * kPerDay
                                 : 0;
    rates[kMajorRespite] = residence_ == kAtHome && lt_service_ >= 0 && age >= 65 &&
                                   (Has(conditions_, kDementia) || frailty > 0.3)
                               ? 0.15 * kPerDay
                               : 0;
    for (int i = kCauseCount; i < kMajorCount; ++i) total += rates[i];
    return total;
  }

  // ---------------------------------------------------------------------------------------
  // Hospital
  // ---------------------------------------------------------------------------------------
  const char* AdmissionSource() const {
    if (residence_ == kNursing) return "85";
    if (residence_ == kResidential) return std::strcmp(ch_funding_, "la_funded") == 0 ? "65" : "85";
    return "19";
  }

  const char* CareHomeDestination(bool nursing, const char* funding) {
    if (nursing && std::strcmp(funding, "nhs_funded") == 0 && rng_.Bernoulli(0.5)) return "54";
    if (!nursing && std::strcmp(funding, "la_funded") == 0 && rng_.Bernoulli(0.35)) return "65";
    return "85";
  }

  void FillSecondaryDiagnoses(Episode& ep, const char* primary) {
    int slot = 1;
    for (int ci = 0; ci < kConditionCount && slot < 6; ++ci) {
      if (!Has(conditions_, static_cast<Condition>(ci))) continue;
      const char* code = ConditionIcd10(static_cast<Condition>(ci));
      if (std::strcmp(code, primary) == 0) continue;
      ep.diag[slot++] = code;
    }
  }

  // Splits [admission, end) into n episodes and fills common fields.
  void BuildEpisodes(Spell& s, int n, Day last_day, const char* first_specialty,
                     const char* primary, const char* cause, const char* procedure, int age) {
    const int span = last_day - s.admission;
    n = std::max(1, std::min(n, span + 1));
    s.n_episodes = n;
    Day start = s.admission;
    for (int e = 0; e < n; ++e) {
      Episode& ep = s.episodes[e];
      ep = Episode{};
      ep.start = start;
      const bool last = e == n - 1;
      ep.end =
          last ? last_day
               : start + std::max(0, static_cast<int>(rng_.Uniform() * (last_day - start) * 0.6));
      if (e == 0) {
        ep.specialty = first_specialty;
        ep.diag[0] = primary;
        ep.opertn[0] = procedure;
      } else {
        const bool rehab = age >= 75 && rng_.Bernoulli(0.3);
        ep.specialty = rehab ? "314" : (age >= 75 && rng_.Bernoulli(0.6) ? "430" : "300");
        ep.diag[0] = rehab ? "Z509" : primary;
      }
      ep.cause = cause;
      FillSecondaryDiagnoses(ep, ep.diag[0]);
      start = ep.end;
    }
  }

  Pathway ChoosePathway(int age, EmergencyCause cause, const char* diag, bool transfer_in) {
    if (residence_ != kAtHome) return kPathReturnCareHome;
    if (age < 18) return kPathHome;
    const double frailty = Frailty(age);
    const bool hip = StartsWith(diag, "S72");
    const bool stroke = StartsWith(diag, "I63") || StartsWith(diag, "I64");
    double p_ch, p_reab, p_hc, p_ic, p_tr;
    if (age >= 65) {
      p_ch = kCareHomeFromHospital * (Has(conditions_, kDementia) ? 2.5 : 1.0) *
             (hip || stroke ? 2.5 : 1.0) *
             (age >= 85   ? 1.8
              : age >= 75 ? 1.0
                          : 0.4) *
             (1 + 4 * std::max(0.0, frailty - 0.2));
      p_reab = kReablementFromHospital * (cause == kCauseFall ? 2.0 : 1.0) *
               (age >= 75 ? 1.3 : 1.0) * (1 + 2 * std::max(0.0, frailty - 0.15)) *
               (lt_service_ >= 0 ? 0.3 : 1.0);
      p_hc = lt_service_ >= 0 ? 0 : kHomeCareFromHospital * (1 + 2 * std::max(0.0, frailty - 0.15));
      p_ic = kIntermediateCare * (age >= 75 ? 1.3 : 0.8);
      p_tr = transfer_in ? 0 : kTransferOut;
    } else {
      p_ch = 0.0005, p_reab = 0.004, p_hc = lt_service_ >= 0 ? 0 : 0.002, p_ic = 0.005;
      p_tr = transfer_in ? 0 : 0.01;
    }
    const double u = rng_.Uniform();
    double acc = std::min(p_ch, 0.4);
    if (u < acc) return kPathCareHome;
    if (u < (acc += std::min(p_reab, 0.4))) return kPathReablement;
    if (u < (acc += p_hc)) return kPathHomeCare;
    if (u < (acc += p_ic)) return kPathIntermediate;
    if (u < (acc += p_tr)) return kPathTransfer;
    return kPathHome;
  }

  // Delay: sets s.ready / s.delay_* and returns the number of delayed days (0 = none).
  int SampleDelay(Spell& s, Pathway path, int age, bool nursing) {
    if (age < 18) return 0;
    double p;
    switch (path) {
      case kPathCareHome:
        p = kDelayCareHome;
        break;
      case kPathHomeCare:
        p = kDelayHomeCare;
        break;
      case kPathReablement:
        p = kDelayReablement;
        break;
      case kPathIntermediate:
        p = kDelayIntermediate;
        break;
      case kPathReturnCareHome:
        p = kDelayReturnCareHome;
        break;
      case kPathTransfer:
        p = 0.05;
        break;
      default:
        p = age >= 65 ? kDelayHome65 : kDelayHomeUnder65;
        break;
    }
    if (age < 65) p *= 0.6;
    if (!rng_.Bernoulli(std::min(0.95, p * kDelayScale))) return 0;
    struct Reason {
      const char* code;
      double weight;
    };
    const char* reason = "A";
    auto pick = [&](std::initializer_list<Reason> list) {
      double w[12];
      const Reason* items[12];
      int n = 0;
      for (const Reason& r : list) items[n] = &r, w[n++] = r.weight;
      reason = items[SampleIndex(rng_, std::span<const double>(w, n))]->code;
    };
    switch (path) {
      case kPathCareHome:
        pick({{nursing ? "D2" : "D1", 45}, {"A", 20}, {"B", 15}, {"G", 15}, {"H", 5}});
        break;
      case kPathHomeCare:
        pick({{"E", 60}, {"A", 20}, {"F", 10}, {"G", 10}});
        break;
      case kPathReablement:
        pick({{"E", 40}, {"C", 30}, {"A", 20}, {"F", 10}});
        break;
      case kPathIntermediate:
        pick({{"C", 80}, {"A", 10}, {"G", 10}});
        break;
      case kPathReturnCareHome:
        pick({{nursing ? "D2" : "D1", 50}, {"A", 30}, {"G", 20}});
        break;
      default:
        pick({{"C", 25}, {"A", 15}, {"F", 15}, {"G", 25}, {"I", 10}, {"H", 2}, {"E", 8}});
        break;
    }
    const char* agency = "NHS";
    auto agency_pick = [&](double nhs, double sc) {
      const double u = rng_.Uniform();
      agency = u < nhs ? "NHS" : u < nhs + sc ? "SOCIAL_CARE" : "BOTH";
    };
    double mean;
    switch (reason[0]) {
      case 'A':
        agency_pick(0.55, 0.35), mean = 6;
        break;
      case 'B':
        agency_pick(0.0, 0.8), mean = 12;
        break;
      case 'C':
        agency_pick(0.95, 0.0), mean = 8;
        break;
      case 'D':
        if (reason[1] == '1') {
          agency_pick(0.35, 0.50), mean = 14;
        } else {
          agency_pick(0.30, 0.50), mean = 16;
        }
        break;
      case 'E':
        agency_pick(0.15, 0.70), mean = 9;
        break;
      case 'F':
        agency_pick(0.5, 0.4), mean = 5;
        break;
      case 'G':
        agency_pick(0.75, 0.25), mean = 11;
        break;
      case 'H':
        agency_pick(0.4, 0.3), mean = 15;
        break;
      default:
        agency_pick(0.6, 0.4), mean = 14;
        break;
    }
    const int days = std::min(120, 1 + static_cast<int>(rng_.Exponential(1.0 / (mean - 1))));
    s.delay_reason = reason;
    s.delay_agency = agency;
    return days;
  }

  // Moves a weekend discharge with probability 1 - kWeekendDischargeKept: to the Friday
  // before (kWeekendDischargeToFriday, never before `earliest`), else to a weekday Monday to
  // Thursday after the weekend (model_parameters.h).
  Day ShiftWeekendDischarge(Day discharge, Day earliest) {
    const int wd = Weekday(discharge);
    if (wd < 6 || rng_.Bernoulli(kWeekendDischargeKept)) return discharge;
    const Day friday = discharge - (wd - 5);
    if (friday >= earliest && rng_.Bernoulli(kWeekendDischargeToFriday)) return friday;
    const Day monday = discharge + (8 - wd);
    return monday + static_cast<Day>(rng_.Below(4));
  }

  void AddAeForAdmission(Day day, int provider, EmergencyCause cause, int age, bool transferred) {
    AeAttendance a;
    a.arrival = (!transferred && rng_.Bernoulli(0.12)) ? day - 1 : day;
    a.departure = day;
    a.provider = provider;
    a.arrival_mode = rng_.Bernoulli(age >= 65 ? 0.7 : 0.35) ? "1" : "2";
    a.department_type = "01";
    a.category = "1";
    a.complaint = ChiefComplaint(cause, rng_);
    a.disposal = transferred ? "transferred" : "admitted";
    h_.ae.push_back(a);
  }

  Day EmergencyAdmission(EmergencyCause cause, Day day, bool transfer_in) {
    CloseReablement(day, "admitted_hospital");
    const int age = AgeOn(h_.birth, day);
    Spell s;
    s.admission = day;
    s.provider = transfer_in ? kOtherAcute : (rng_.Bernoulli(0.1) ? kOtherAcute : kMainAcute);
    const char* method;
    if (transfer_in) {
      method = rng_.Bernoulli(0.7) ? "2B" : "81";
      s.source = "51";
    } else {
      const double u = rng_.Uniform();
      if (age < 18) {
        method = u < 0.80   ? "21"
                 : u < 0.88 ? "22"
                 : u < 0.91 ? "24"
                 : u < 0.92 ? "23"
                 : u < 0.96 ? "2A"
                            : "2D";
      } else {
        method = u < 0.68   ? "21"
                 : u < 0.83 ? "22"
                 : u < 0.86 ? "24"
                 : u < 0.87 ? "23"
                 : u < 0.91 ? "2A"
                            : "2D";
      }
      s.source = AdmissionSource();
    }
    if (day < kNewAdmissionMethods && method[0] == '2' &&
        (method[1] == 'A' || method[1] == 'B' || method[1] == 'C' || method[1] == 'D')) {
      method = "28";
    }
    s.method = method;
    s.age_code = StartAgeCode(h_.birth, day);
    const char* diag = SampleEmergencyDiagnosis(cause, age, rng_);
    const char* ext_cause = nullptr;
    if (cause == kCauseFall) {
      ext_cause = SampleFallCauseCode(residence_ != kAtHome, rng_);
    } else if (cause == kCauseOtherInjury) {
      ext_cause = SampleOtherInjuryCauseCode(age, diag, rng_);
    }
    if (std::strcmp(method, "21") == 0) AddAeForAdmission(day, s.provider, cause, age, false);
    if (std::strcmp(method, "2A") == 0) {
      AddAeForAdmission(day, s.provider == kMainAcute ? kOtherAcute : kMainAcute, cause, age, true);
    }
    const int los = SampleEmergencyLos(cause, diag, age, rng_);
    const char* procedure = SampleEmergencyProcedure(cause, diag, rng_);
    const Pathway path = ChoosePathway(age, cause, diag, transfer_in);
    bool nursing = residence_ == kNursing;
    if (path == kPathCareHome) {
      nursing = rng_.Bernoulli(Has(conditions_, kDementia) || Frailty(age) > 0.35 ? 0.6 : 0.35);
    }
    const Day clinical_end = day + los;
    const int delay = SampleDelay(s, path, age, nursing);
    Day discharge = clinical_end + delay;
    if (delay > 0) {
      s.ready = clinical_end;
      discharge = ShiftWeekendDischarge(discharge, clinical_end + 1);
    } else {
      discharge = ShiftWeekendDischarge(discharge, day);
      // The discharge-ready date is recorded on every emergency spell (bcf-metrics.md 4.6):
      // clinically ready at the end of the stay, or on the discharge day when the weekend
      // brought the discharge forward. No delay agency: not a reportable delayed transfer,
      // but a weekend wait shows as days between ready and discharge.
      s.ready = std::min(clinical_end, discharge);
    }
    const int n_episodes = los + delay <= 1
                               ? 1
                               : (rng_.Bernoulli(0.12 + std::min(0.25, 0.01 * (los + delay)))
                                      ? (rng_.Bernoulli(0.25) ? 3 : 2)
                                      : 1);
    const char* specialty = EmergencySpecialty(cause, age, los, rng_);

    // Mental health liaison on the ward for dementia and self-harm.
    if ((Has(conditions_, kDementia) && age >= 65 && rng_.Bernoulli(0.25)) ||
        (ext_cause != nullptr && ext_cause[0] == 'X' && ext_cause[1] == '6')) {
      const Day when = day + std::min(los, rng_.Between(0, 2));
      h_.mh.push_back({when, "liaison_psychiatry", "5", true});
    }

    if (discharge >= sim_end_) {
      // Still in hospital at the end of the extract: the last episode is unfinished.
      s.discharge = kNoDay;
      s.ready = s.ready != kNoDay && s.ready < sim_end_ ? s.ready : kNoDay;
      if (s.ready == kNoDay) s.delay_agency = s.delay_reason = nullptr;
      BuildEpisodes(s, n_episodes, c_.window_end, specialty, diag, ext_cause, procedure, age);
      s.episodes[s.n_episodes - 1].end = kNoDay;
      h_.spells.push_back(s);
      return sim_end_;
    }
    s.discharge = discharge;
    s.discharge_method = (age >= 16 && age < 65 && rng_.Bernoulli(0.015)) ? "2" : "1";
    switch (path) {
      case kPathCareHome:
        s.discharge_destination = "85";  // refined below once funding is known
        break;
      case kPathReturnCareHome:
        s.discharge_destination = CareHomeDestination(nursing, ch_funding_);
        break;
      case kPathTransfer:
        s.discharge_destination = "51";
        break;
      default:
        s.discharge_destination = "19";
        break;
    }
    BuildEpisodes(s, n_episodes, discharge, specialty, diag, ext_cause, procedure, age);
    const size_t spell_index = h_.spells.size();
    h_.spells.push_back(s);
    AfterDischarge(spell_index, path, cause, age, nursing);
    if (path == kPathTransfer) {
      return EmergencyAdmission(cause, discharge, /*transfer_in=*/true);
    }
    return discharge;
  }

  void AfterDischarge(size_t spell_index, Pathway path, EmergencyCause cause, int age,
                      bool nursing) {
    const Spell& s = h_.spells[spell_index];
    const Day discharge = s.discharge;
    const Day decided = s.delay_agency != nullptr ? s.ready : discharge;
    last_discharge_ = discharge;
    AddTimer(discharge + 30, kTimerMark);
    AddTimer(discharge + 91, kTimerMark);
    switch (path) {
      case kPathReablement:
        SocialCareRequest(std::max(s.admission, decided - rng_.Between(0, 3)),
                          "discharge_from_hospital", "short_term_support", discharge,
                          rng_.Bernoulli(0.6));
        StartReablement(discharge, "discharge_from_hospital");
        break;
      case kPathHomeCare:
        SocialCareRequest(std::max(s.admission, decided - rng_.Between(0, 5)),
                          "discharge_from_hospital", "long_term_support", discharge, true);
        StartLongTermCommunity(discharge + rng_.Between(0, 2), "discharge_from_hospital",
                               age >= 65);
        break;
      case kPathIntermediate:
        CommunityEpisode(discharge + rng_.Between(0, 2), "intermediate_care", 14, 42, 5);
        break;
      case kPathCareHome: {
        SocialCareRequest(std::max(s.admission, decided - rng_.Between(0, 7)),
                          "discharge_from_hospital", "long_term_support", discharge, true);
        PlaceInCareHome(discharge, "discharge_from_hospital", nursing, false);
        h_.spells[spell_index].discharge_destination = CareHomeDestination(nursing, ch_funding_);
        break;
      }
      case kPathReturnCareHome:
        if (residence_ == kResidential && rng_.Bernoulli(0.08))
          TransferToNursing(discharge, "discharge_from_hospital");
        break;
      default:
        break;
    }
    if (age >= 65 && path == kPathHome && rng_.Bernoulli(0.12)) {
      CommunityEpisode(discharge + rng_.Between(1, 5), "district_nursing", 14, 56, 2);
    }
    if (cause == kCauseFall && age >= 65) {
      if (rng_.Bernoulli(0.6)) AddGp(discharge + rng_.Between(3, 30), "161898004");
      if (rng_.Bernoulli(0.4))
        CommunityEpisode(discharge + rng_.Between(7, 40), "falls_service", 21, 56, 1);
    }
    if (rng_.Bernoulli(age >= 65 ? 0.45 : 0.25))
      AddGpConsultation(discharge + rng_.Between(2, 14), age);
    if (rng_.Bernoulli(0.25))
      OutpatientReferral(discharge + rng_.Between(14, 56), age, /*follow_up=*/true);
    (void)cause;
  }

  // Elective lists run Monday to Friday: an admission that falls on a weekend goes to a
  // weekday of the following week, uniformly (moving every weekend draw to the Monday made
  // Monday carry three days' electives and day cases: ~1.6x any other weekday's discharges).
  Day ElectiveListDay(Day day) {
    if (!IsWeekend(day)) return day;
    while (IsWeekend(day)) ++day;  // the Monday
    return day + static_cast<Day>(rng_.Below(5));
  }

  Day ElectiveAdmission(Day day) {
    CloseReablement(day, "admitted_hospital");
    const int age = AgeOn(h_.birth, day);
    day = ElectiveListDay(day);
    if (day >= sim_end_) return day;
    const ElectiveProcedure& e = SampleElective(age, h_.sex, rng_);
    Spell s;
    s.admission = day;
    s.provider = rng_.Bernoulli(0.15) ? kOtherAcute : kMainAcute;
    const double u = rng_.Uniform();
    s.method = u < 0.75 ? "11" : u < 0.95 ? "12" : "13";
    s.source = AdmissionSource();
    s.age_code = StartAgeCode(h_.birth, day);
    int los = 0;
    if (e.day_case && rng_.Bernoulli(0.9)) {
      s.classpat = "2";
    } else {
      los = std::max(1, static_cast<int>(std::lround(
                            rng_.LogNormal(std::log(std::max(1.0, e.median_los)), 0.5))));
    }
    Day discharge = day + los;
    int delay = 0;
    if (los > 0 && age >= 65) {
      const Pathway path =
          (StartsWith(e.procedure, "W37") || StartsWith(e.procedure, "W40")) && rng_.Bernoulli(0.08)
              ? kPathReablement
              : kPathHome;
      delay = SampleDelay(s, path, age, false);
      if (delay > 0) s.ready = discharge;
      discharge += delay;
      discharge = ShiftWeekendDischarge(discharge, delay > 0 ? s.ready + 1 : day);
      if (discharge < sim_end_) {
        s.discharge = discharge;
        s.discharge_method = "1";
        s.discharge_destination =
            residence_ == kAtHome ? "19" : CareHomeDestination(residence_ == kNursing, ch_funding_);
        BuildEpisodes(s, 1, discharge, e.specialty, e.diagnosis, nullptr, e.procedure, age);
        h_.spells.push_back(s);
        if (path == kPathReablement) {
          SocialCareRequest(day + los - 1, "discharge_from_hospital", "short_term_support",
                            discharge, false);
          StartReablement(discharge, "discharge_from_hospital");
        }
        return discharge;
      }
    }
    if (discharge >= sim_end_) {
      s.discharge = kNoDay;
      s.ready = kNoDay;
      s.delay_agency = s.delay_reason = nullptr;
      BuildEpisodes(s, 1, c_.window_end, e.specialty, e.diagnosis, nullptr, e.procedure, age);
      s.episodes[0].end = kNoDay;
      h_.spells.push_back(s);
      return sim_end_;
    }
    s.discharge = discharge;
    s.discharge_method = "1";
    s.discharge_destination =
        residence_ == kAtHome ? "19" : CareHomeDestination(residence_ == kNursing, ch_funding_);
    BuildEpisodes(s, 1, discharge, e.specialty, e.diagnosis, nullptr, e.procedure, age);
    h_.spells.push_back(s);
    if (rng_.Bernoulli(0.5)) OutpatientReferral(discharge + rng_.Between(14, 60), age, true);
    return discharge;
  }

  Day Delivery(Day day) {
    const int age = AgeOn(h_.birth, day);
    Spell s;
    s.admission = day;
    s.provider = rng_.Bernoulli(0.1) ? kOtherAcute : kMainAcute;
    const double u = rng_.Uniform();
    const bool caesarean = u < 0.25;
    s.method = caesarean && rng_.Bernoulli(0.4) ? "12" : "31";
    s.source = "19";
    s.epitype = "2";
    s.classpat = rng_.Bernoulli(0.04) ? "5" : "1";
    s.age_code = age;
    const int los = caesarean ? rng_.Between(2, 4) : rng_.Between(0, 2);
    const Day discharge = day + los;
    const char* diag = caesarean ? "O821" : (rng_.Bernoulli(0.8) ? "O800" : "O700");
    const char* proc = caesarean ? (s.method[0] == '1' ? "R179" : "R189") : "R249";
    if (discharge >= sim_end_) {
      BuildEpisodes(s, 1, c_.window_end, "501", diag, nullptr, proc, age);
      s.episodes[0].end = kNoDay;
      h_.spells.push_back(s);
      return sim_end_;
    }
    s.discharge = discharge;
    s.discharge_method = "1";
    s.discharge_destination = "19";
    BuildEpisodes(s, 1, discharge, "501", diag, nullptr, proc, age);
    h_.spells.push_back(s);
    return discharge;
  }

  void BirthEpisode() {
    if (rng_.Bernoulli(0.02)) return;  // home birth
    Spell s;
    s.admission = h_.birth;
    s.provider = rng_.Bernoulli(0.1) ? kOtherAcute : kMainAcute;
    s.method = "82";
    s.source = "79";
    s.epitype = "3";
    s.age_code = 7001;
    const Day discharge = h_.birth + rng_.Between(0, 2);
    if (discharge >= sim_end_) return;
    s.discharge = discharge;
    s.discharge_method = "1";
    s.discharge_destination = "19";
    BuildEpisodes(s, 1, discharge, "560", "Z380", nullptr, nullptr, 0);
    h_.spells.push_back(s);
  }

  // Chemotherapy: regular day admissions (CLASSPAT 3) after a cancer diagnosis.
  void ChemotherapyCourse(Day onset) {
    const int sessions = rng_.Between(4, 12);
    Day d = onset + rng_.Between(30, 60);
    for (int i = 0; i < sessions; ++i, d += rng_.Between(14, 21)) {
      while (IsWeekend(d)) ++d;
      if (d >= sim_end_) break;
      Spell s;
      s.admission = d;
      s.provider = kMainAcute;
      s.method = "13";
      s.source = "19";
      s.classpat = "3";
      s.age_code = StartAgeCode(h_.birth, d);
      s.discharge = d;
      s.discharge_method = "1";
      s.discharge_destination = "19";
      s.episodes[0] = Episode{};
      s.episodes[0].start = d;
      s.episodes[0].end = d;
      s.episodes[0].specialty = "800";
      s.episodes[0].diag[0] = "Z511";
      s.episodes[0].diag[1] = "Z859";
      s.episodes[0].opertn[0] = "X352";
      pending_day_cases_.push_back(s);
    }
  }

  Day Death(Day day) {
    const int age = AgeOn(h_.birth, day);
    const double p_hospital = residence_ != kAtHome ? 0.3 : (age < 65 ? 0.45 : 0.52);
    Day death_day = day;
    if (rng_.Bernoulli(p_hospital)) {
      CloseReablement(day, "admitted_hospital");
      int los = rng_.Bernoulli(0.15)
                    ? 0
                    : std::clamp(static_cast<int>(rng_.LogNormal(std::log(6.0), 0.9)), 1, 60);
      death_day = day + los;
      Spell s;
      s.admission = day;
      s.provider = rng_.Bernoulli(0.1) ? kOtherAcute : kMainAcute;
      const double u = rng_.Uniform();
      s.method = u < 0.72 ? "21" : u < 0.9 ? "22" : (day < kNewAdmissionMethods ? "28" : "2D");
      s.source = AdmissionSource();
      s.age_code = StartAgeCode(h_.birth, day);
      const char* diag =
          SampleTerminalDiagnosis(Has(conditions_, kCancer), Has(conditions_, kHeartFailure),
                                  Has(conditions_, kCopd), Has(conditions_, kDementia), rng_);
      if (std::strcmp(s.method, "21") == 0)
        AddAeForAdmission(day, s.provider, kCauseOtherMedical, age, false);
      const char* specialty = age >= 80 && rng_.Bernoulli(0.4) ? "430" : "300";
      const int n = los > 3 && rng_.Bernoulli(0.2) ? 2 : 1;
      if (death_day >= sim_end_) {
        BuildEpisodes(s, n, c_.window_end, specialty, diag, nullptr, nullptr, age);
        s.episodes[s.n_episodes - 1].end = kNoDay;
        h_.spells.push_back(s);
        return sim_end_;  // still alive (in hospital) at the end of the window
      }
      s.discharge = death_day;
      s.discharge_method = "4";
      s.discharge_destination = "79";
      BuildEpisodes(s, n, death_day, specialty, diag, nullptr, nullptr, age);
      h_.spells.push_back(s);
    }
    Exit(death_day, ExitKind::kDied);
    return death_day;
  }

  // ---------------------------------------------------------------------------------------
  // Social care
  // ---------------------------------------------------------------------------------------
  void KnownToCouncil(Day day) {
    if (!h_.known_to_council) {
      h_.known_to_council = true;
      h_.council_first_contact = day;
      // About 1% of clients get a second client record later (duplicate registration).
      if (rng_.Bernoulli(0.01)) {
        h_.duplicate_council_record = true;
        h_.duplicate_from = day + rng_.Between(60, 900);
      }
    }
  }

  // A request (and, if `assess`, an assessment ending on `decision_day`).
  void SocialCareRequest(Day day, const char* route, const char* outcome, Day decision_day,
                         bool assess) {
    KnownToCouncil(day);
    ScEvent req;
    req.type = "request";
    req.route = route;
    req.start = req.end = day;
    req.outcome = outcome;
    h_.social_care.push_back(req);
    if (assess) {
      ScEvent a;
      a.type = "assessment";
      a.route = route;
      a.start = std::min(decision_day, day + rng_.Between(0, 3));
      a.end = std::max(a.start, decision_day);
      a.outcome = outcome;
      h_.social_care.push_back(a);
    }
  }

  void StartReablement(Day discharge, const char* route) {
    const double u = rng_.Uniform();
    const int gap = u < 0.6    ? 0
                    : u < 0.85 ? rng_.Between(1, 2)
                    : u < 0.96 ? rng_.Between(3, 7)
                               : rng_.Between(8, 14);
    ScEvent e;
    e.type = "service";
    e.service = "reablement";
    e.term = "short_term";
    e.route = route;
    e.start = discharge + gap;
    e.weekly_cost = std::max(150.0, rng_.Normal(320, 45));
    e.funding = rng_.Bernoulli(0.85) ? "la_funded" : "joint";
    reablement_ = static_cast<int>(h_.social_care.size());
    h_.social_care.push_back(e);
    AddTimer(e.start + rng_.Between(10, 42), kTimerReablementEnd);
    if (std::strcmp(route, "discharge_from_hospital") == 0) {
      vulnerable_until_ = discharge + 91;
      AddTimer(vulnerable_until_, kTimerMark);
    }
  }

  void CloseReablement(Day day, const char* outcome) {
    if (reablement_ < 0) return;
    ScEvent& e = h_.social_care[reablement_];
    e.end = std::max(e.start, day);
    e.outcome = outcome;
    reablement_ = -1;
  }

  void StartLongTermCommunity(Day start, const char* route, bool older) {
    if (lt_service_ >= 0) return;
    KnownToCouncil(start);
    ScEvent e;
    e.type = "service";
    e.term = "long_term";
    e.route = route;
    e.start = start;
    const double u = rng_.Uniform();
    if (older) {
      e.service = u < 0.72 ? "home_care" : u < 0.87 ? "direct_payment" : "day_care";
    } else {
      e.service = u < 0.5 ? "direct_payment" : u < 0.8 ? "home_care" : "day_care";
    }
    if (std::strcmp(e.service, "home_care") == 0) {
      e.weekly_cost =
          std::round(std::max(2.0, rng_.Gamma(2.2, 4.5)) * 15.5 * 100) / 100;  // hours x rate
    } else if (std::strcmp(e.service, "direct_payment") == 0) {
      e.weekly_cost = std::max(40.0, rng_.Normal(230, 90));
    } else {
      e.weekly_cost = std::max(20.0, rng_.Normal(65, 15));
    }
    e.funding = rng_.Bernoulli(0.93) ? "la_funded" : "joint";
    lt_service_ = static_cast<int>(h_.social_care.size());
    h_.social_care.push_back(e);
  }

  void CloseLongTermCommunity(Day day, const char* outcome) {
    if (lt_service_ < 0) return;
    ScEvent& e = h_.social_care[lt_service_];
    e.end = std::max(e.start, day);
    e.outcome = outcome;
    lt_service_ = -1;
  }

  void PlaceInCareHome(Day day, const char* route, bool nursing, bool initial) {
    CloseReablement(day, "care_home_admission");
    CloseLongTermCommunity(day, "care_home_admission");
    const double p_self = kSelfFunderBase + kSelfFunderPerDecile * (imd_ - 1);
    const double u = rng_.Uniform();
    const char* funding;
    if (nursing && u < kNhsFundedNursing) {
      funding = "nhs_funded";
    } else if (u < kNhsFundedNursing + p_self) {
      funding = "self_funder";
    } else if (u < kNhsFundedNursing + p_self + kJointFunded) {
      funding = "joint";
    } else {
      funding = "la_funded";
    }
    ch_funding_ = funding;
    const bool recorded = std::strcmp(funding, "self_funder") == 0
                              ? rng_.Bernoulli(kSelfFunderRecorded)
                          : std::strcmp(funding, "nhs_funded") == 0 ? rng_.Bernoulli(0.7)
                                                                    : true;
    residence_ = nursing ? kNursing : kResidential;
    ch_event_ = -1;
    if (initial) day = std::max(day, h_.address_periods.back().from + 1);
    if (recorded) {
      KnownToCouncil(initial ? day : day - 30);
      if (!initial && std::strcmp(route, "community") == 0) {
        const Day req = day - rng_.Between(14, 60);
        SocialCareRequest(req, route, "long_term_support", day - rng_.Between(0, 7), true);
      }
      ScEvent e;
      e.type = "service";
      e.service = nursing ? "nursing" : "residential";
      e.term = "long_term";
      e.route = route;
      e.start = day;
      const bool self = std::strcmp(funding, "self_funder") == 0;
      e.weekly_cost = std::round((nursing ? (self ? 790 : 600) : (self ? 650 : 525)) *
                                 (0.9 + 0.2 * rng_.Uniform()) * 100) /
                      100;
      e.funding = funding;
      ch_event_ = static_cast<int>(h_.social_care.size());
      h_.social_care.push_back(e);
    }
    care_home_ = area_.SampleCareHome(rng_, CurrentLsoaForPractice(), nursing);
    const CareHome& home = area_.care_homes()[care_home_];
    lsoa_ = home.lsoa;
    h_.address_periods.push_back(
        {day, home.lsoa, care_home_, area_.Postcode(home.street, home.house), home.name});
    if (!initial && rng_.Bernoulli(0.5))
      ChangePractice(day + rng_.Between(0, 14), "moved_practice");
  }

  void CommunityCareHomeAdmission(Day day) {
    const int age = AgeOn(h_.birth, day);
    const bool nursing =
        rng_.Bernoulli(Has(conditions_, kDementia) || Frailty(age) > 0.35 ? 0.5 : 0.3);
    PlaceInCareHome(day, "community", nursing, false);
  }

  void TransferToNursing(Day day, const char* route) {
    if (residence_ != kResidential) return;
    if (ch_event_ >= 0) {
      ScEvent& old = h_.social_care[ch_event_];
      old.end = day;
      old.outcome = "ongoing_support";
      ScEvent e = old;
      e.service = "nursing";
      e.route = route;
      e.start = day;
      e.end = kNoDay;
      e.outcome = nullptr;
      e.weekly_cost = std::round(old.weekly_cost * 1.15 * 100) / 100;
      ch_event_ = static_cast<int>(h_.social_care.size());
      h_.social_care.push_back(e);
    }
    residence_ = kNursing;
    care_home_ = area_.SampleCareHome(rng_, lsoa_, true);
    const CareHome& home = area_.care_homes()[care_home_];
    lsoa_ = home.lsoa;
    h_.address_periods.push_back(
        {day, home.lsoa, care_home_, area_.Postcode(home.street, home.house), home.name});
  }

  void SelfFunderDepleted(Day day) {
    ch_funding_ = "la_funded";
    if (ch_event_ >= 0) {
      ScEvent& old = h_.social_care[ch_event_];
      old.end = day;
      old.outcome = "ongoing_support";
    }
    KnownToCouncil(day);
    SocialCareRequest(day - rng_.Between(7, 30), "self_funder_depleted", "long_term_support", day,
                      true);
    ScEvent e;
    e.type = "service";
    e.service = residence_ == kNursing ? "nursing" : "residential";
    e.term = "long_term";
    e.route = "self_funder_depleted";
    e.start = day;
    e.weekly_cost = residence_ == kNursing ? 600 : 525;
    e.funding = "la_funded";
    ch_event_ = static_cast<int>(h_.social_care.size());
    h_.social_care.push_back(e);
  }

  void Respite(Day day) {
    ScEvent e;
    e.type = "service";
    e.service = "respite";
    e.term = "short_term";
    e.route = "community";
    e.start = day;
    e.end = day + rng_.Between(6, 14);
    e.weekly_cost = std::round(rng_.Normal(610, 40) * 100) / 100;
    e.funding = "la_funded";
    e.outcome = "no_ongoing_support";
    h_.social_care.push_back(e);
  }

  void CommunityRequest(Day day) {
    const int age = AgeOn(h_.birth, day);
    const bool older = age >= 65;
    const double u = rng_.Uniform();
    const char* route = rng_.Bernoulli(0.08) ? "diversion_from_hospital" : "community";
    if (u < 0.38) {
      SocialCareRequest(day, route, rng_.Bernoulli(0.5) ? "no_services" : "universal_services", day,
                        rng_.Bernoulli(0.3));
      return;
    }
    if (u < (older ? 0.63 : 0.6)) {
      const Day decided = day + rng_.Between(3, 21);
      SocialCareRequest(day, route, "short_term_support", decided, rng_.Bernoulli(0.5));
      if (rng_.Bernoulli(0.7)) {
        StartReablement(decided, route);
      } else {
        ScEvent e;
        e.type = "service";
        e.service = "equipment";
        e.term = "short_term";
        e.route = route;
        e.start = e.end = decided;
        e.funding = "la_funded";
        e.outcome = "no_ongoing_support";
        h_.social_care.push_back(e);
      }
      return;
    }
    const Day decided = day + rng_.Between(7, 42);
    SocialCareRequest(day, route, "long_term_support", decided, true);
    StartLongTermCommunity(decided + rng_.Between(0, 14), route, older);
  }

  // ---------------------------------------------------------------------------------------
  // Moves, registration, exit
  // ---------------------------------------------------------------------------------------
  int CurrentLsoaForPractice() const { return lsoa_ >= 0 ? lsoa_ : 0; }

  void Register(int practice, Day start) {
    for (int hop = 0; hop < 5; ++hop) {  // a closed practice's list went to its neighbour
      const Practice& p = area_.practices()[practice];
      if (p.close_date == kNoDay || start < p.close_date) break;
      practice = p.merged_into;
    }
    h_.registrations.push_back({practice, start});
    const Practice& q = area_.practices()[practice];
    if (q.close_date != kNoDay && q.close_date > start) AddTimer(q.close_date, kTimerPracticeClose);
  }

  void ChangePractice(Day day, const char* reason) {
    if (!h_.registrations.empty() && h_.registrations.back().end == kNoDay) {
      Registration& r = h_.registrations.back();
      if (r.start >= day) {
        h_.registrations.pop_back();  // the old registration had not started yet
      } else {
        r.end = day;
        r.reason = reason;
      }
    }
    int practice = area_.SamplePractice(rng_, CurrentLsoaForPractice());
    if (!h_.registrations.empty() && practice == h_.registrations.back().practice) {
      practice = area_.lsoas()[CurrentLsoaForPractice()].practices[rng_.Between(0, 3)];
    }
    Register(practice, day);
  }

  void LocalMove(Day day) {
    lsoa_ = area_.NearbyLsoa(rng_, lsoa_ < 0 ? 0 : lsoa_);
    imd_ = area_.lsoas()[lsoa_].imd_decile;
    int street, house;
    area_.SampleAddress(rng_, lsoa_, &street, &house);
    h_.address_periods.push_back(
        {day, lsoa_, -1, area_.Postcode(street, house), area_.AddressLine(street, house)});
    if (rng_.Bernoulli(0.35)) ChangePractice(day + rng_.Between(0, 30), "moved_practice");
  }

  void Leave(Day day) {
    h_.address_periods.push_back(
        {day, -1, -1, area_.OutOfAreaPostcode(rng_), area_.OutOfAreaAddressLine(rng_)});
    Exit(day, ExitKind::kLeftArea);
  }

  void Exit(Day day, ExitKind kind) {
    exited_ = true;
    h_.exit = kind;
    h_.exit_day = day;
    const bool died = kind == ExitKind::kDied;
    const char* outcome = died ? "died" : "moved_away";
    CloseReablement(day, outcome);
    CloseLongTermCommunity(day, outcome);
    if (ch_event_ >= 0) {
      h_.social_care[ch_event_].end = day;
      h_.social_care[ch_event_].outcome = outcome;
    }
    if (!h_.registrations.empty() && h_.registrations.back().end == kNoDay) {
      Registration& r = h_.registrations.back();
      if (died) {
        r.end = std::max(r.start + 1, day + rng_.Between(0, 14));
        r.reason = "death";
      } else if (!rng_.Bernoulli(0.05)) {  // 5% stay on the list (list inflation)
        r.end = std::max(r.start + 1, day + rng_.Between(0, 90));
        r.reason = "left_area";
      }
    }
    if (on_register_) AddGp(day, "8CT2.");
  }

  // ---------------------------------------------------------------------------------------
  // Timers and periodic updates
  // ---------------------------------------------------------------------------------------
  void AddTimer(Day when, TimerKind kind) { timers_.push_back({when, kind}); }

  void FireTimers(Day day) {
    for (size_t i = 0; i < timers_.size();) {
      if (timers_[i].when > day) {
        ++i;
        continue;
      }
      const Timer tm = timers_[i];
      timers_.erase(timers_.begin() + static_cast<long>(i));
      if (tm.kind == kTimerReablementEnd && reablement_ >= 0) {
        const ScEvent& e = h_.social_care[reablement_];
        const bool from_hospital = std::strcmp(e.route, "discharge_from_hospital") == 0;
        const int age = AgeOn(h_.birth, tm.when);
        const double u = rng_.Uniform();
        if (age >= 65 && u < kReablementToCareHome) {
          if (from_hospital) {
            SocialCareRequest(tm.when - rng_.Between(7, 21), "discharge_from_hospital",
                              "long_term_support", tm.when, true);
          }
          PlaceInCareHome(tm.when, from_hospital ? "discharge_from_hospital" : "community",
                          rng_.Bernoulli(0.35), false);
        } else if (u < kReablementToCareHome + kReablementOngoing) {
          CloseReablement(tm.when, "ongoing_support");
          StartLongTermCommunity(tm.when + rng_.Between(0, 3),
                                 from_hospital ? "discharge_from_hospital" : "community",
                                 age >= 65);
        } else {
          CloseReablement(tm.when, rng_.Bernoulli(0.97) ? "no_ongoing_support" : "not_recorded");
        }
      } else if (tm.kind == kTimerPracticeClose) {
        if (!h_.registrations.empty() && h_.registrations.back().end == kNoDay) {
          const int p = h_.registrations.back().practice;
          const Practice& pr = area_.practices()[p];
          if (pr.close_date == tm.when) {
            Registration& r = h_.registrations.back();
            r.end = tm.when;
            r.reason = "moved_practice";
            h_.registrations.push_back({pr.merged_into, tm.when});
          }
        }
      }
    }
  }

  void YearlyUpdate(Day day) {
    const int age = AgeOn(h_.birth, day);
    const double cond_latent = std::exp(0.35 * z_) / ConditionNorm(age);
    for (int ci = 0; ci < kConditionCount; ++ci) {
      const Condition cond = static_cast<Condition>(ci);
      if (Has(conditions_, cond)) continue;
      // Incidence keeps the age-specific prevalence: its rise with age plus the replacement of
      // people with the condition who die (excess mortality ~ base hazard x the average
      // health multiplier (~2) x (1.15 x condition multiplier - 1)).
      const RateTables& tables = Tables();
      const int a = std::min(age, kMaxAge + 1);
      const double p0 = tables.prevalence[ci][a];
      const double p1 = tables.prevalence[ci][a + 1];
      const double excess =
          tables.death[h_.sex - 1][a] * 2.0 * std::max(0.0, 1.15 * MortalityMultiplier(cond) - 1);
      const double rise = std::max(0.0, p1 - p0) + p0 * excess;
      if (rise <= 0) continue;
      const double p = rise / (1 - p0) * tables.deprivation[ci][imd_] * cond_latent;
      if (rng_.Bernoulli(p)) AddCondition(cond, day + static_cast<Day>(rng_.Below(365)), true);
    }
  }

  // Whether the GP record will carry this condition's diagnosis: always, except dementia,
  // which is under-diagnosed (kDementiaDiagnosedShare).
  bool DiagnosisRecorded(Condition cond) {
    return cond != kDementia || rng_.Bernoulli(kDementiaDiagnosedShare);
  }

  void AddCondition(Condition cond, Day onset, bool incident) {
    conditions_ |= 1u << cond;
    onset_[cond] = onset;
    const bool recorded = DiagnosisRecorded(cond);
    if (recorded) AddGp(onset, ConditionSnomed(cond), -1, /*history=*/true);
    if (!incident) return;
    if (cond == kDementia && recorded) {
      if (rng_.Bernoulli(0.5)) AddGp(onset - rng_.Between(120, 400), "386807006", -1, true);
      const int n = rng_.Between(2, 4);
      Day d = onset - rng_.Between(20, 60);
      for (int i = 0; i < n; ++i, d += rng_.Between(14, 45)) {
        h_.mh.push_back({d, "memory_service", Attended(rng_, 0.05)});
      }
    }
    if (cond == kCancer && rng_.Bernoulli(0.4)) ChemotherapyCourse(onset);
  }

  // Completed years on the day `today` (as AgeOn, with the birth date decoded once).
  int AgeFrom(const Ymd& today) const {
    int age = today.year - birth_ymd_.year;
    if (today.month < birth_ymd_.month ||
        (today.month == birth_ymd_.month && today.day < birth_ymd_.day)) {
      --age;
    }
    return age;
  }

  double ConditionNorm(int age) const {
    return Survivors().condition_norm[h_.sex - 1][std::clamp(age, 0, kMaxAge + 1)];
  }

  // exp(interaction terms of latent_risk.h) for the person's state on `day` (not normalised).
  double ObservableRisk(Day day, int age, double frailty) const {
    InteractionInputs in;
    in.age = age;
    in.sex = h_.sex;
    in.imd_decile = imd_;
    in.conditions = conditions_;
    in.frailty = frailty;
    in.care_home = residence_ != kAtHome;
    in.home_support = lt_service_ >= 0;
    in.admitted_last_year = last_discharge_ != kNoDay && day - last_discharge_ < 365;
    return std::exp(InteractionLogTerms(in));
  }

  double Frailty(int age) const {
    double f = 0.02 + 0.0045 * std::max(0, age - 50) + 0.03 * CountConditions(conditions_) +
               (Has(conditions_, kDementia) ? 0.08 : 0) + (Has(conditions_, kStroke) ? 0.05 : 0) +
               frailty_offset_;
    return std::clamp(f, 0.0, 0.8);
  }

  // ---------------------------------------------------------------------------------------
  // Monthly low-volume activity
  // ---------------------------------------------------------------------------------------
  void AddGp(Day day, const char* snomed, double value = -1, bool history = false) {
    GpEvent e{day, snomed, value};
    (history ? gp_history_ : h_.gp).push_back(e);
  }

  Day RandomWeekday(Day from, Day to) {
    for (int attempt = 0; attempt < 6; ++attempt) {
      const Day d = from + static_cast<Day>(rng_.Below(std::max(1, to - from)));
      if (!IsWeekend(d) && !IsClosedHoliday(d)) return d;
    }
    Day d = from;
    while (IsWeekend(d) || IsClosedHoliday(d)) ++d;
    return d;
  }

  void AddGpConsultation(Day day, int age) {
    while (IsWeekend(day) || IsClosedHoliday(day)) ++day;
    const double frailty = Frailty(age);
    const double u = rng_.Uniform();
    const double home = residence_ != kAtHome ? 0.45 : (age >= 85 && frailty > 0.3 ? 0.25 : 0.01);
    const double phone = 0.17 + (age >= 65 ? 0.05 : 0);
    AddGp(day, u < home ? "439708006" : u < home + phone ? "185317003" : "11429006");
  }

  void OutpatientReferral(Day day, int age, bool follow_up) {
    const int provider = rng_.Bernoulli(0.15) ? kOtherAcute : kMainAcute;
    const char* specialty = SampleOutpatientSpecialty(age, h_.sex, conditions_, rng_);
    const double dna = (age >= 18 && age < 35 ? 0.11 : 0.06) * (imd_ <= 3 ? 1.4 : 1.0);
    int appointments = 1 + std::min(6, rng_.Geometric(0.45));
    Day d = RandomWeekday(day, day + 14);
    bool first = !follow_up;
    for (int i = 0; i < appointments; ++i) {
      const char* att = Attended(rng_, dna);
      h_.op.push_back({d, provider, specialty, first, att});
      if ((att[0] == '3' || att[0] == '2' || att[0] == '4') && rng_.Bernoulli(0.6)) {
        ++appointments;  // rebooked
      } else {
        first = false;
      }
      if (appointments > 10) break;
      d = RandomWeekday(d + rng_.Between(28, 100), d + rng_.Between(101, 130));
    }
  }

  // A community episode: `per_week` contacts a week for a duration in [min_days, max_days].
  void CommunityEpisode(Day start, const char* team, int min_days, int max_days, double per_week) {
    const int referral = ++referrals_;
    const int days = rng_.Between(min_days, max_days);
    const bool care_home = residence_ != kAtHome;
    const int contacts = std::max(1, rng_.Poisson(per_week * days / 7.0));
    for (int i = 0; i < contacts; ++i) {
      const Day d = start + static_cast<Day>(rng_.Below(days + 1));
      const char* location;
      if (std::strcmp(team, "therapy") == 0 || std::strcmp(team, "falls_service") == 0) {
        location = care_home ? "care_home" : (rng_.Bernoulli(0.6) ? "clinic" : "home");
      } else if (std::strcmp(team, "community_matron") == 0) {
        location = rng_.Bernoulli(0.35) ? "telephone" : (care_home ? "care_home" : "home");
      } else {
        location = care_home ? "care_home" : (rng_.Bernoulli(0.05) ? "telephone" : "home");
      }
      h_.community.push_back({d, team, location, Attended(rng_, 0.02), referral});
    }
  }

  void GenerateMonth(Day from, Day to) {
    if (from >= to) return;
    const int age = AgeFrom(CivilFromDays(from));
    const int n_ltc = CountConditions(conditions_);
    const double frailty = Frailty(age);
    const double years = (to - from) / kDaysPerYear;
    const int band = AgeBand9(age);
    const bool in_window = to > c_.window_start;

    // GP consultations.
    if (in_window) {
      constexpr double kGpMale[9] = {4.5, 4.5, 2.0, 1.8, 2.2, 3.2, 5.0, 6.5, 7.5};
      constexpr double kGpFemale[9] = {4.5, 4.5, 2.0, 3.6, 4.0, 4.2, 5.0, 6.5, 7.5};
      double rate = (h_.sex == 2 ? kGpFemale : kGpMale)[band] * (1 + 0.18 * n_ltc) * gp_latent_ *
                    (residence_ != kAtHome ? 1.3 : 1.0) * kGpScale;
      if (on_register_) rate += 2;
      const int n = rng_.Poisson(rate * years);
      for (int i = 0; i < n; ++i) AddGpConsultation(RandomWeekday(from, to), age);

      // A&E attendances that do not lead to admission.
      constexpr double kAe[9] = {0.55, 0.35, 0.22, 0.30, 0.30, 0.20, 0.20, 0.26, 0.42};
      const double ae_rate = kAe[band] * imd_mult_ * ae_latent_ * (1 + 0.08 * n_ltc) * kAeScale;
      const int n_ae = rng_.Poisson(ae_rate * years);
      for (int i = 0; i < n_ae; ++i)
        NonAdmittedAe(from + static_cast<Day>(rng_.Below(to - from)), age);

      // Outpatient referrals.
      constexpr double kOp[9] = {0.2, 0.15, 0.1, 0.12, 0.18, 0.28, 0.42, 0.5, 0.45};
      const double op_rate = kOp[band] * (1 + 0.2 * n_ltc) * op_latent_ * kOpScale;
      if (rng_.Bernoulli(1 - std::exp(-op_rate * years)))
        OutpatientReferral(from + static_cast<Day>(rng_.Below(to - from)), age, false);
    }

    // Community health episodes.
    if (in_window && age >= 45) {
      double dn = 0;
      if (residence_ == kResidential) {
        dn = 0.5;
      } else if (residence_ == kAtHome && age >= 75 && frailty > 0.2) {
        dn = 0.25;
      } else if (age >= 65 && n_ltc >= 3) {
        dn = 0.05;
      }
      if (dn > 0 && rng_.Bernoulli(1 - std::exp(-dn * years))) {
        CommunityEpisode(from + static_cast<Day>(rng_.Below(to - from)), "district_nursing", 14, 84,
                         1.5);
      }
      const bool high_risk =
          on_register_ ||
          ((Has(conditions_, kCopd) || Has(conditions_, kHeartFailure)) && frailty > 0.2);
      if (high_risk && residence_ == kAtHome && rng_.Bernoulli(1 - std::exp(-0.2 * years))) {
        CommunityEpisode(from + static_cast<Day>(rng_.Below(to - from)), "community_matron", 90,
                         270, 0.3);
      }
      if (high_risk && residence_ == kAtHome && rng_.Bernoulli(1 - std::exp(-0.05 * years))) {
        CommunityEpisode(from + static_cast<Day>(rng_.Below(to - from)), "virtual_ward", 7, 14, 6);
      }
      const double therapy = (age >= 65 ? 0.06 : 0.03) * (1 + 0.1 * n_ltc);
      if (rng_.Bernoulli(1 - std::exp(-therapy * years))) {
        CommunityEpisode(from + static_cast<Day>(rng_.Below(to - from)), "therapy", 21, 63, 1);
      }
    }

    // Mental health.
    if (in_window) {
      if (Has(conditions_, kDepression) && age >= 16 && age < 75 &&
          rng_.Bernoulli(1 - std::exp(-0.12 * years))) {
        Day d = RandomWeekday(from, to);
        const int sessions = rng_.Between(3, 10);
        for (int i = 0; i < sessions; ++i, d = RandomWeekday(d + 6, d + 9)) {
          h_.mh.push_back({d, "iapt", Attended(rng_, 0.12)});
        }
      }
      if (smi_ && age >= 18) {
        const int n = rng_.Poisson(1.1 * (to - from) / 30.4);
        for (int i = 0; i < n; ++i) {
          h_.mh.push_back({RandomWeekday(from, to), age >= 65 ? "older_adult_cmht" : "cmht",
                           Attended(rng_, 0.15)});
        }
        if (rng_.Bernoulli(1 - std::exp(-0.1 * years))) {
          Day d = from + static_cast<Day>(rng_.Below(to - from));
          const int n_crisis = rng_.Between(5, 14);
          for (int i = 0; i < n_crisis; ++i, d += rng_.Between(1, 2)) {
            h_.mh.push_back({d, "crisis_resolution", Attended(rng_, 0.05)});
          }
        }
      }
      if (Has(conditions_, kDementia) && age >= 65 && residence_ == kAtHome) {
        const int n = rng_.Poisson(0.35 * (to - from) / 30.4);
        for (int i = 0; i < n; ++i)
          h_.mh.push_back({RandomWeekday(from, to), "older_adult_cmht", Attended(rng_, 0.05)});
      }
    }

    // GP frailty markers and the 2014/15 enhanced service codes.
    if (in_window && age >= 65) {
      if (!frailty_coded_ && frailty > 0.25 && rng_.Bernoulli(0.15)) {
        frailty_coded_ = true;
        AddGp(RandomWeekday(from, to), "248279007", std::round(frailty * 100) / 100);
      }
      if (frailty > 0.2 && rng_.Bernoulli(1 - std::exp(-0.06 * years)))
        AddGp(RandomWeekday(from, to), "165232002");
      if (frailty > 0.25 && rng_.Bernoulli(1 - std::exp(-0.06 * years)))
        AddGp(RandomWeekday(from, to), "82971005");
      if (frailty > 0.35 && rng_.Bernoulli(1 - std::exp(-0.03 * years)))
        AddGp(RandomWeekday(from, to), "2492009");
    }
    if (in_window && from >= kEnhancedServiceStart && age >= 18) {
      if (!on_register_) {
        const bool recent = last_discharge_ != kNoDay && from - last_discharge_ < 365;
        const double score = z_ + register_noise_ + 0.35 * n_ltc + 3 * frailty +
                             (recent ? 1.0 : 0) + 0.015 * (age - 50);
        if (score > kRegisterThreshold) {
          on_register_ = true;
          const Day d = RandomWeekday(from, to);
          AddGp(d, "13Zu.");
          AddGp(d, "8CV4.");
          if (!named_gp_) {
            AddGp(d, "67DJ.");
            named_gp_ = true;
          }
          if (rng_.Bernoulli(0.9)) {
            const Day plan = RandomWeekday(d, d + 30);
            AddGp(plan, "8CSB.");
            AddGp(plan, "734163000");
            care_plan_ = true;
            for (Day r = plan + rng_.Between(180, 365); r < sim_end_; r += rng_.Between(180, 365)) {
              AddGp(RandomWeekday(r, r + 7), "8CMG3");
            }
          } else {
            AddGp(RandomWeekday(d, d + 30), "8IAe1");
          }
        }
      }
      if (!named_gp_ && age >= 75 && rng_.Bernoulli(0.3)) {
        named_gp_ = true;
        AddGp(RandomWeekday(from, to), "67DJ.");
      }
    }
  }

  void NonAdmittedAe(Day day, int age) {
    AeAttendance a;
    a.arrival = day;
    a.departure = rng_.Bernoulli(0.08) ? day + 1 : day;
    const double u = rng_.Uniform();
    a.department_type = u < 0.70 ? "01" : u < 0.94 ? "03" : "04";
    a.provider = a.department_type[1] == '1' ? (rng_.Bernoulli(0.12) ? kOtherAcute : kMainAcute)
                                             : kCommunityTrust;
    a.arrival_mode =
        a.department_type[1] == '1' && rng_.Bernoulli(age >= 75 ? 0.45 : 0.12) ? "1" : "2";
    const double v = rng_.Uniform();
    a.category = v < 0.93 ? "1" : v < 0.97 ? "2" : "3";
    if (age >= 65 && rng_.Bernoulli(0.25)) {
      a.complaint = "fall";
      if (rng_.Bernoulli(0.3)) AddGp(day + rng_.Between(1, 21), "161898004");
      if (rng_.Bernoulli(0.1))
        CommunityEpisode(day + rng_.Between(7, 30), "falls_service", 21, 56, 1);
    } else {
      const double w = rng_.Uniform();
      a.complaint = w < 0.35   ? "injury"
                    : w < 0.45 ? "abdominal_pain"
                    : w < 0.52 ? "chest_pain"
                    : w < 0.58 ? "breathlessness"
                    : w < 0.65 ? "fever"
                    : w < 0.69 ? "mental_health"
                               : "other";
    }
    const double d = rng_.Uniform();
    a.disposal = d < 0.50                       ? "discharged_no_follow_up"
                 : d < 0.76                     ? "discharged_gp_follow_up"
                 : d < 0.86                     ? "referred_outpatients"
                 : d < 0.87                     ? "transferred"
                 : d < (age < 45 ? 0.92 : 0.89) ? "left_before_treatment"
                                                : "discharged_no_follow_up";
    h_.ae.push_back(a);
    if (a.disposal[0] == 'r') OutpatientReferral(day + rng_.Between(7, 42), age, false);
  }

  // ---------------------------------------------------------------------------------------
  // Finishing: filters, reviews, palliative care
  // ---------------------------------------------------------------------------------------
  bool InsideSpell(Day d) const {
    for (const Spell& s : h_.spells) {
      const Day end = s.discharge == kNoDay ? sim_end_ : s.discharge;
      if (d > s.admission && d < end) return true;
    }
    return false;
  }

  bool OverlapsSpell(Day d) const {
    for (const Spell& s : h_.spells) {
      const Day end = s.discharge == kNoDay ? sim_end_ : s.discharge;
      if (d >= s.admission && d <= end) return true;
    }
    return false;
  }

  void Finish() {
    const Day first =
        std::max(c_.window_start, h_.entry_day == kNoDay ? c_.window_start : h_.entry_day);
    const Day last = h_.exit_day == kNoDay ? c_.window_end : std::min(c_.window_end, h_.exit_day);
    if (h_.entry == EntryKind::kBirth) BirthEpisode();
    for (const Spell& s : pending_day_cases_) {
      if (s.admission <= last && s.admission >= first && !OverlapsSpell(s.admission))
        h_.spells.push_back(s);
    }
    std::sort(h_.spells.begin(), h_.spells.end(),
              [](const Spell& a, const Spell& b) { return a.admission < b.admission; });

    // Palliative care before an expected death at home or in a care home.
    if (h_.Died() &&
        (Has(conditions_, kCancer) || Has(conditions_, kHeartFailure) || Has(conditions_, kCopd) ||
         Has(conditions_, kDementia)) &&
        rng_.Bernoulli(0.45)) {
      const int weeks = rng_.Between(3, 12);
      CommunityEpisode(h_.exit_day - weeks * 7, "palliative_care", weeks * 7 - 1, weeks * 7 - 1, 2);
    }
    // Reviews of long-term services: after 6-12 weeks, then yearly while the service lasts.
    const size_t n_events = h_.social_care.size();
    for (size_t i = 0; i < n_events; ++i) {
      const ScEvent e = h_.social_care[i];
      if (e.type[0] != 's' || e.term == nullptr || e.term[0] != 'l') continue;
      const Day end = e.end == kNoDay ? last : std::min(e.end, last);
      for (Day r = e.start + rng_.Between(42, 84); r < end; r += rng_.Between(330, 400)) {
        if (r < c_.window_start) continue;
        ScEvent review;
        review.type = "review";
        review.service = e.service;
        review.term = e.term;
        review.start = review.end = RandomWeekday(r, r + 7);
        if (review.start > last) break;
        review.funding = e.funding;
        review.outcome = "long_term_support";
        h_.social_care.push_back(review);
      }
    }

    // Drop activity outside the person's time in the area and the window, or on the ward.
    auto keep_day = [&](Day d) { return d >= first && d <= last; };
    std::erase_if(h_.gp, [&](const GpEvent& e) {
      return !keep_day(e.date) || InsideSpell(e.date) || h_.PracticeOn(e.date) < 0;
    });
    for (const GpEvent& e : gp_history_) {
      // Diagnoses are part of the record whenever they were made (GP history), but not
      // after the person left.
      if (e.date <= last && e.date >= h_.birth) h_.gp.push_back(e);
    }
    std::erase_if(h_.ae, [&](const AeAttendance& a) {
      return !keep_day(a.arrival) ||
             (InsideSpell(a.arrival) && a.disposal[0] != 'a' && a.disposal[0] != 't');
    });
    std::erase_if(h_.op,
                  [&](const OpAppointment& o) { return !keep_day(o.date) || InsideSpell(o.date); });
    std::erase_if(h_.community, [&](const CommunityContact& o) {
      return !keep_day(o.date) || InsideSpell(o.date);
    });
    std::erase_if(h_.mh, [&](const MhContact& o) {
      return !keep_day(o.date) || (!o.in_hospital_ok && InsideSpell(o.date));
    });
    // Social care: keep events that overlap the window (and every long-term placement, which
    // the permanent-admissions look-back needs), none starting after the person left.
    std::erase_if(h_.social_care, [&](const ScEvent& e) {
      if (e.start > last) return true;
      if (e.end != kNoDay && e.end < c_.window_start) {
        return !(e.service != nullptr && (e.service[0] == 'r' || e.service[0] == 'n') &&
                 e.term[0] == 'l');
      }
      return false;
    });
    // Spells: drop those that ended before the window.
    std::erase_if(h_.spells, [&](const Spell& s) {
      return s.discharge != kNoDay && s.discharge < c_.window_start;
    });

    auto by_date = [](const auto& a, const auto& b) { return a.date < b.date; };
    std::stable_sort(h_.gp.begin(), h_.gp.end(), by_date);
    std::stable_sort(h_.op.begin(), h_.op.end(), by_date);
    std::stable_sort(h_.community.begin(), h_.community.end(), by_date);
    std::stable_sort(h_.mh.begin(), h_.mh.end(), by_date);
    std::stable_sort(h_.ae.begin(), h_.ae.end(), [](const AeAttendance& a, const AeAttendance& b) {
      return a.arrival < b.arrival;
    });
    std::stable_sort(h_.social_care.begin(), h_.social_care.end(),
                     [](const ScEvent& a, const ScEvent& b) { return a.start < b.start; });
    h_.conditions = conditions_;
  }

  // --- State --------------------------------------------------------------------------------
  const SimContext& c_;
  const Area& area_;
  PersonHistory& h_;
  std::vector<Timer>& timers_;
  std::vector<GpEvent>& gp_history_;
  std::vector<Spell>& pending_day_cases_;
  Rng rng_;
  Day sim_start_ = 0;
  Day sim_end_;
  Day exit_allowed_ = 0;
  bool exited_ = false;
  double z_ = 0, health_seeking_ = 0, frailty_offset_ = 0, register_noise_ = 0;
  double latent_mult_ = 1, imd_mult_ = 1;
  double death_latent_ = 1, gp_latent_ = 1, ae_latent_ = 1, op_latent_ = 1;
  Ymd birth_ymd_{1970, 1, 1};
  bool smi_ = false;
  int lsoa_ = 0;
  int imd_ = 5;
  ConditionSet conditions_ = 0;
  Day onset_[kConditionCount] = {};
  Residence residence_ = kAtHome;
  int care_home_ = -1;
  const char* ch_funding_ = "la_funded";
  int ch_event_ = -1;
  int lt_service_ = -1;
  int reablement_ = -1;
  Day last_discharge_ = kNoDay;
  Day vulnerable_until_ = kNoDay;
  bool on_register_ = false, care_plan_ = false, named_gp_ = false, frailty_coded_ = false;
  int referrals_ = 0;
};

PersonSimulator::PersonSimulator(const SimContext& context)
    : context_(context), scratch_(std::make_unique<Scratch>()) {}
PersonSimulator::~PersonSimulator() = default;

void PersonSimulator::Simulate(uint64_t index, PersonHistory* out) {
  Life life(context_, index, out, scratch_.get());
  life.Run();
}

}  // namespace pioneer::synth
