#include "pioneer/synth/care_plans.h"

#include <algorithm>
#include <cstdio>

#include "pioneer/synth/calendar.h"
#include "pioneer/synth/csv_out.h"
#include "pioneer/synth/rng.h"

namespace pioneer::synth {
namespace {

constexpr int kProgrammeStartMonths = 18;
constexpr double kMissingGp = 0.08;
constexpr double kMissingCoordinator = 0.15;
constexpr double kSingleOrganisation = 0.10;
constexpr double kCompletedEarly = 0.10;
constexpr double kMistypedNhsNumber = 0.005;

// The practice's quarterly uptake: 5-35%, fixed by the practice index and the seed.
double PracticeUptake(uint64_t seed, int practice) {
  Rng r(MixSeed(seed, static_cast<uint64_t>(Stream::kCarePlans), 1000000 + practice));
  return 0.05 + 0.30 * r.Uniform();
}

int EmergencyAdmissionsBetween(const PersonHistory& h, Day from, Day to) {
  int n = 0;
  for (const Spell& s : h.spells) {
    if (s.method != nullptr && s.method[0] == '2' && s.admission >= from && s.admission < to) ++n;
  }
  return n;
}

bool HighRiskOn(const PersonHistory& h, Day d) {
  const int age = AgeOn(h.birth, d);
  if (age < 18) return false;
  const int admissions = EmergencyAdmissionsBetween(h, d - 365, d);
  const int conditions = CountConditions(h.conditions);
  return admissions >= 2 || (admissions >= 1 && age >= 65) || (conditions >= 3 && age >= 75) ||
         (h.latent_risk > 1.5 && conditions >= 2);
}

Day AddMonthsDay(Day d, int months) {
  const Ymd c = CivilFromDays(d);
  int m = c.month - 1 + months;
  const int y = c.year + m / 12;
  m = m % 12 + 1;
  return DaysFromCivil(y, m, std::min(static_cast<int>(c.day), 28));
}

}  // namespace

const char* CarePlansHeader() {
  return "plan_ref,nhs_number,status,accountable_gp,gp_practice,care_coordinator,"
         "coordinator_role,coordinator_org,organisations,start_date,review_date,end_date,goals";
}

int WriteCarePlans(const PersonHistory& h, const std::string& nhs_number, const Area& area,
                   uint64_t seed, Day window_start, Day window_end, std::string* out) {
  Rng rng = Rng::ForStream(seed, Stream::kCarePlans, h.index);
  const Day alive_from = h.entry_day == kNoDay ? window_start : h.entry_day;
  const Day alive_to = h.exit_day == kNoDay ? window_end + 1 : h.exit_day;
  for (Day review = AddMonthsDay(window_start, kProgrammeStartMonths); review <= window_end;
       review = AddMonthsDay(review, 3)) {
    if (review < alive_from || review >= alive_to) continue;
    const int practice = h.PracticeOn(review);
    if (practice < 0 || !HighRiskOn(h, review)) continue;
    if (!rng.Bernoulli(PracticeUptake(seed, practice))) continue;
    const Day start = review + static_cast<Day>(rng.Below(60));
    if (start >= alive_to || start > window_end) return 0;
    // Who coordinates: a community matron, a social worker or the practice's care coordinator.
    const double u = rng.Uniform();
    const bool health = u < 0.45;
    const bool council = !health && u < 0.80;
    const std::string& practice_code = area.practice_code(practice);
    const std::string& coordinator_org = health    ? area.provider_code(kCommunityTrust)
                                         : council ? area.la_ods_code()
                                                   : practice_code;
    const char* role = health ? "community_matron" : council ? "social_worker" : "care_coordinator";
    std::string organisations = practice_code;
    if (!rng.Bernoulli(kSingleOrganisation)) {
      if (coordinator_org != practice_code) organisations += ";" + coordinator_org;
      if (!council) organisations += ";" + area.la_ods_code();
    }
    const bool has_gp = !rng.Bernoulli(kMissingGp);
    const bool has_coordinator = !rng.Bernoulli(kMissingCoordinator);
    char gp[16], coordinator[24], ref[40];
    std::snprintf(gp, sizeof gp, "G%07llu",
                  static_cast<unsigned long long>(MixSeed(seed, practice, 7) % 10000000));
    std::snprintf(coordinator, sizeof coordinator, "%s-%03llu",
                  health    ? "CM"
                  : council ? "SW"
                            : "CC",
                  static_cast<unsigned long long>(rng.Below(1000)));
    std::snprintf(ref, sizeof ref, "KH-CP-%llu", static_cast<unsigned long long>(h.index));
    Day end = kNoDay;
    if (h.Died() && h.exit_day <= window_end) end = h.exit_day;
    if (rng.Bernoulli(kCompletedEarly)) {
      const Day early = start + 183 + static_cast<Day>(rng.Below(365));
      if (early <= window_end && (end == kNoDay || early < end)) end = early;
    }
    std::string nhs = nhs_number;
    if (rng.Bernoulli(kMistypedNhsNumber) && nhs.size() == 10) {
      nhs[9] = static_cast<char>('0' + (nhs[9] - '0' + 1) % 10);  // wrong check digit
    }
    CsvOut o(out);
    o.Text(ref);
    o.Text(nhs);
    o.Text(end == kNoDay ? "active" : "completed");
    o.Text(has_gp ? gp : "");
    o.Text(practice_code);
    o.Text(has_coordinator ? coordinator : "");
    o.Text(has_coordinator ? role : "");
    o.Text(has_coordinator ? coordinator_org : "");
    o.Text(organisations);
    o.Date(start);
    o.Date(start + (rng.Bernoulli(0.5) ? 91 : 182));
    if (end == kNoDay) {
      o.Empty();
    } else {
      o.Date(end);
    }
    o.Text("Fewer crises at home; agreed escalation plan; carer supported");
    o.End();
    return 1;
  }
  return 0;
}

}  // namespace pioneer::synth
