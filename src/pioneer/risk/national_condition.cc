#include "pioneer/risk/national_condition.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "pioneer/base/disclosure.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/risk/saved_strata.h"
#include "pioneer/risk/stratification.h"
#include "pioneer/store/objections.h"

namespace pioneer::risk {
namespace {

using nlohmann::json;

json Count(int64_t exact) {
  const std::optional<int64_t> p = PublishedCount(exact);
  return p ? json(*p) : json(nullptr);
}

// published numerator / published denominator, null when either is suppressed or zero.
json Share(int64_t num, int64_t den) {
  const std::optional<int64_t> n = PublishedCount(num), d = PublishedCount(den);
  if (!n || !d || *d == 0) return nullptr;
  return static_cast<double>(*n) / static_cast<double>(*d);
}

json ApproachJson(const Coverage& c) {
  return {{"adults", Count(c.adults)},
          {"high_risk", Count(c.high_risk)},
          {"high_risk_share_of_adults", Share(c.high_risk, c.adults)},
          {"with_plan", Count(c.with_plan)},
          {"with_plan_share", Share(c.with_plan, c.high_risk)},
          {"with_joint_plan_and_lead", Count(c.with_joint_plan_and_lead)},
          {"with_joint_plan_and_lead_share", Share(c.with_joint_plan_and_lead, c.high_risk)}};
}

json CoverageJson(const ApproachCoverage& a) {
  json out = json::object();
  for (int i = 0; i < kApproachCount; ++i) {
    out[ApproachName(static_cast<Approach>(i))] = ApproachJson(a[i]);
  }
  return out;
}

json BreakdownJson(const std::map<std::string, ApproachCoverage>& m, const char* key) {
  json rows = json::array();
  for (const auto& [code, a] : m) {
    json r = CoverageJson(a);
    r[key] = code;
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace

const char* ApproachName(Approach a) {
  switch (a) {
    case kTop2Practice:
      return "top2_practice";
    case kTop4Practice:
      return "top4_practice";
    default:
      return "loa_4_5";
  }
}

const char* ApproachLabel(Approach a) {
  switch (a) {
    case kTop2Practice:
      return "Top 2% of each practice's list (Leeds)";
    case kTop4Practice:
      return "Top 4% of each practice's list (Tri-borough)";
    default:
      return "Likelihood of Admission band 4-5 (West Leicestershire)";
  }
}

std::unordered_map<std::string, PlanFlags> PlansInForce(std::span<const careplan::CarePlan> plans,
                                                        Date day) {
  std::unordered_map<std::string, PlanFlags> out;
  for (const careplan::CarePlan& p : plans) {
    if (!p.InForceOn(day)) continue;
    if (!p.nhs_number) continue;  // not a register row (Validate refuses it)
    PlanFlags& f = out[p.nhs_number->digits()];
    f.in_force = true;
    f.joint_with_lead = f.joint_with_lead || (p.IsJoint() && p.HasNamedLeadProfessional());
  }
  return out;
}

CoverageOn MeasureCoverage(Date day, std::span<const CoveragePerson> people,
                           const std::map<std::string, std::string>& ccg_of_practice,
                           const Strata* given) {
  Strata computed;
  if (given == nullptr) {
    std::vector<std::string> practice(people.size());
    std::vector<double> p(people.size());
    for (size_t i = 0; i < people.size(); ++i) {
      practice[i] = people[i].practice;
      p[i] = people[i].p_emergency;
    }
    computed = Stratify(practice, p);
  }
  const Strata& strata = given != nullptr ? *given : computed;
  CoverageOn out;
  out.day = day;
  for (size_t i = 0; i < people.size(); ++i) {
    const CoveragePerson& person = people[i];
    if (person.age < 18 || person.objected) continue;
    auto ccg_it = ccg_of_practice.find(person.practice);
    const std::string& ccg = ccg_it == ccg_of_practice.end() ? "unknown" : ccg_it->second;
    const bool high[kApproachCount] = {strata.top2_practice[i] != 0, strata.top4_practice[i] != 0,
                                       LoaBand(person.p_any_admission) >= 4};
    for (ApproachCoverage* a : {&out.area, &out.by_practice[person.practice], &out.by_ccg[ccg]}) {
      for (int k = 0; k < kApproachCount; ++k) {
        Coverage& cov = (*a)[k];
        ++cov.adults;
        if (!high[k]) continue;
        ++cov.high_risk;
        cov.with_plan += person.plan.in_force;
        cov.with_joint_plan_and_lead += person.plan.joint_with_lead;
      }
    }
  }
  return out;
}

CoverageOn MeasureCoverage(const timeline::Timeline& t, const Scores& s,
                           const std::unordered_map<std::string, PlanFlags>& plans,
                           const std::map<std::string, std::string>& ccg_of_practice,
                           const std::vector<std::string>& objecting, const Strata* strata) {
  const Cohort& c = s.cohort;
  std::vector<CoveragePerson> people(c.rows());
  for (size_t i = 0; i < c.rows(); ++i) {
    CoveragePerson& p = people[i];
    p.practice = c.practice[i];
    p.age = static_cast<int>(c.at(i, kAge));
    p.p_emergency = s.boosted[kEmergency][i];
    p.p_any_admission = s.boosted[kAnyAdmission][i];
    const std::string_view nhs = t.persons().nhs_number[c.person[i]];
    auto it = plans.find(std::string(nhs));
    if (it != plans.end()) p.plan = it->second;
    p.objected = std::binary_search(objecting.begin(), objecting.end(), nhs);
  }
  return MeasureCoverage(c.index_date, people, ccg_of_practice, strata);
}

json NationalConditionJson(std::span<const CoverageOn> series) {
  json out = json::object();
  if (series.empty()) return out;
  const CoverageOn& last = series.back();
  json approaches = json::array();
  for (int k = 0; k < kApproachCount; ++k) {
    approaches.push_back({{"approach", ApproachName(static_cast<Approach>(k))},
                          {"label", ApproachLabel(static_cast<Approach>(k))}});
  }
  json over_time = json::array();
  for (const CoverageOn& c : series) {
    over_time.push_back({{"date", c.day.ToIso()}, {"area", CoverageJson(c.area)}});
  }
  out["date"] = last.day.ToIso();
  out["approaches"] = approaches;
  out["definitions"] = {
      {"adults", "people aged 18+ registered with a practice and alive on the date"},
      {"with_plan", "a care plan in force on the date"},
      {"with_joint_plan_and_lead",
       "a joint care plan (two or more organisations) in force on the date that names an "
       "accountable GP and a care coordinator"},
      {"objections",
       "people who objected to the use of their records beyond their own care are not counted"},
      {"disclosure_control",
       "counts of 1-7 suppressed (null), others rounded to 5; shares "
       "computed from the published counts"}};
  out["area"] = CoverageJson(last.area);
  out["by_ccg"] = BreakdownJson(last.by_ccg, "ccg");
  out["by_practice"] = BreakdownJson(last.by_practice, "practice");
  out["over_time"] = over_time;
  return out;
}

StatusOr<json> MeasureNationalCondition(store::Store& store, const timeline::Timeline& t,
                                        const RiskInputs& inputs, const RiskModel& model,
                                        const Scores& at_index, int earlier_steps,
                                        bool save_strata) {
  PIONEER_ASSIGN_OR_RETURN(std::vector<careplan::CarePlan> plans,
                           careplan::ListPlans(store, careplan::PlanFilter{}));
  PIONEER_ASSIGN_OR_RETURN(const std::vector<std::string> objecting,
                           store::ObjectingNhsNumbers(store));
  const Date index = at_index.cohort.index_date;
  std::vector<CoverageOn> series;
  int64_t saved = 0;
  std::vector<Date> days;
  for (int step = earlier_steps; step >= 1; --step) days.push_back(index.AddMonths(-3 * step));
  // The earlier cohorts are built side by side, then scored one after another; while one is
  // scored, a writer thread saves the strata of the one before (the store is used by that
  // thread alone meanwhile), in the same order as before: the earlier dates, then the index
  // date, so every row gets the same stratum_id.
  PIONEER_ASSIGN_OR_RETURN(std::vector<Cohort> cohorts, BuildCohorts(t, inputs, days));
  std::vector<Scores> scored(days.size());
  // Each date's strata, computed once for the coverage figures and the save: the earlier
  // dates', then the index date's (last).
  std::vector<Strata> strata(days.size() + 1);
  strata.back() = Stratify(at_index.cohort.practice, at_index.boosted[kEmergency]);
  std::mutex mu;
  std::condition_variable ready_cv;
  size_t ready = 0;      // scored[0 .. ready) may be saved
  bool stopped = false;  // scoring failed: the writer stops
  Status write_status;
  std::thread writer;
  if (save_strata) {
    writer = std::thread([&] {
      for (size_t k = 0; k <= days.size(); ++k) {
        const Scores* s = &at_index;
        const Strata* st = &strata.back();
        if (k < days.size()) {
          std::unique_lock<std::mutex> lock(mu);
          ready_cv.wait(lock, [&] { return ready > k || stopped; });
          if (ready <= k) return;
          s = &scored[k];
          st = &strata[k];
        }
        StatusOr<int64_t> n = SaveStrata(store, t, model, *s, objecting, st);
        if (!n.ok()) {
          write_status = n.status();
          return;
        }
        saved += *n;
        if (k < days.size()) {  // saved: free its cohort and strata
          scored[k] = Scores{};
          strata[k] = Strata{};
        }
      }
    });
  }
  auto stop_writer = [&] {
    {
      std::lock_guard<std::mutex> lock(mu);
      stopped = true;
    }
    ready_cv.notify_all();
    if (writer.joinable()) writer.join();
  };
  for (size_t k = 0; k < days.size(); ++k) {
    const Date day = days[k];
    // Only what coverage needs: emergency and any-admission probabilities.
    ScoreOptions only_needed;
    only_needed.top_cost = false;
    only_needed.contributions = false;
    StatusOr<Scores> s = Score(std::move(cohorts[k]), model, only_needed);
    if (!s.ok()) {
      stop_writer();
      return s.status();
    }
    strata[k] = Stratify(s->cohort.practice, s->boosted[kEmergency]);
    series.push_back(MeasureCoverage(t, *s, PlansInForce(plans, day), inputs.ccg_of_practice,
                                     objecting, &strata[k]));
    {
      std::lock_guard<std::mutex> lock(mu);
      scored[k] = std::move(*s);
      ready = k + 1;
    }
    ready_cv.notify_all();
  }
  series.push_back(MeasureCoverage(t, at_index, PlansInForce(plans, index), inputs.ccg_of_practice,
                                   objecting, &strata.back()));
  if (writer.joinable()) writer.join();
  PIONEER_RETURN_IF_ERROR(write_status);
  json out = NationalConditionJson(series);
  if (save_strata) out["strata_saved"] = saved;
  out["plans_recorded"] = Count(static_cast<int64_t>(plans.size()));
  return out;
}

std::string NationalConditionSummary(const json& j) {
  if (!j.contains("area")) return "";
  auto pct = [](const json& v) {
    return v.is_null() ? std::string("suppressed") : fmt::format("{:.1f}%", 100 * v.get<double>());
  };
  std::string s = fmt::format("Joint care planning on {} (national condition; synthetic data):\n",
                              j["date"].get<std::string>());
  for (const json& a : j["approaches"]) {
    const json& c = j["area"][a["approach"].get<std::string>()];
    s += fmt::format(
        "  {:<56} {} of adults at high risk; {} of them with a plan, {} with a joint "
        "plan and a named lead professional\n",
        a["label"].get<std::string>(), pct(c["high_risk_share_of_adults"]),
        pct(c["with_plan_share"]), pct(c["with_joint_plan_and_lead_share"]));
  }
  return s;
}

}  // namespace pioneer::risk
