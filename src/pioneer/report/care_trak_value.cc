#include "pioneer/report/care_trak_value.h"

#include <fmt/format.h>

#include <cmath>
#include <map>

namespace pioneer::report {
namespace {

const CareTrakOutcome* FindOutcome(const CareTrakScheme& s, const std::string& name) {
  for (const CareTrakOutcome& o : s.outcomes) {
    if (o.outcome == name) return &o;
  }
  return nullptr;
}

std::optional<double> Finite(double v) {
  return std::isfinite(v) ? std::optional<double>(v) : std::nullopt;
}

}  // namespace

CareTrakValue ValueCareTrak(const plan::Plan& plan, const std::vector<CareTrakScheme>& care_trak,
                            const std::vector<ScenarioResult>& scenarios, const P4pResult& p4p,
                            const std::string& assessment_year) {
  CareTrakValue out;
  out.year = assessment_year;
  for (const CareTrakScheme& s : care_trak) {
    SchemeValue v;
    v.cohort = s.name;
    v.scheme_id = s.scheme.empty() ? s.name : s.scheme;
    v.matched = s.matched;
    v.reliable = s.reliable;
    const double m = static_cast<double>(s.matched);
    if (const CareTrakOutcome* c = FindOutcome(s, "total_cost")) {
      v.saving_per_person_gbp = Finite(-c->absolute_per_person_year);
      v.saving_per_person_low_gbp = Finite(-c->absolute_high);
      v.saving_per_person_high_gbp = Finite(-c->absolute_low);
      if (v.saving_per_person_gbp) v.saving_gbp = *v.saving_per_person_gbp * m;
      if (v.saving_per_person_low_gbp) v.saving_low_gbp = *v.saving_per_person_low_gbp * m;
      if (v.saving_per_person_high_gbp) v.saving_high_gbp = *v.saving_per_person_high_gbp * m;
    } else {
      v.note = "no total_cost outcome in the evaluation: no saving in money";
    }
    if (const CareTrakOutcome* a = FindOutcome(s, "non_elective_admissions")) {
      v.admissions_avoided = Finite(-a->absolute_per_person_year * m);
      v.admissions_avoided_low = Finite(-a->absolute_high * m);
      v.admissions_avoided_high = Finite(-a->absolute_low * m);
      if (v.admissions_avoided) {
        out.admissions_avoided = out.admissions_avoided.value_or(0) + *v.admissions_avoided;
      }
    }
    const plan::Scheme* scheme = nullptr;
    for (const plan::Scheme& ps : plan.schemes) {
      if (ps.id == v.scheme_id) scheme = &ps;
    }
    if (scheme == nullptr) {
      v.note +=
          std::string(v.note.empty() ? "" : "; ") +
          fmt::format("the plan has no scheme '{}': no investment to set it against", v.scheme_id);
    } else {
      v.scheme_name = scheme->name;
      auto it = scheme->investment.find(assessment_year);
      if (it != scheme->investment.end()) {
        v.investment_gbp = plan.ToPounds(it->second);
      } else {
        v.note += std::string(v.note.empty() ? "" : "; ") +
                  fmt::format("the plan states no {} investment for this scheme", assessment_year);
      }
    }
    if (v.saving_gbp && v.investment_gbp) {
      v.net_gbp = *v.saving_gbp - *v.investment_gbp;
      if (*v.investment_gbp > 0) v.return_per_pound = *v.saving_gbp / *v.investment_gbp;
    }
    if (!s.reliable) {
      v.note += std::string(v.note.empty() ? "" : "; ") +
                "small cohort: read the interval, not the point";
    }
    out.schemes.push_back(std::move(v));
  }
  if (!out.admissions_avoided) return out;
  const double avoided = *out.admissions_avoided;

  // The risk share: every scenario's measured input, the avoidable-admissions one replaced.
  std::map<std::string, ScenarioInput> inputs;
  for (const ScenarioResult& r : scenarios) {
    if (r.input.activity.empty()) continue;  // no measured input: stays unmodelled
    ScenarioInput in = r.input;
    if (r.kind == "avoidable_admissions_missed") {
      in.activity = fmt::format(
          "the baseline year's admissions less the {:.1f} a year the evaluated schemes avoided "
          "(Care Trak), against the planned trajectory",
          avoided);
      in.actual = in.baseline ? std::optional<double>(*in.baseline - avoided) : std::nullopt;
    }
    inputs[r.id] = in;
  }
  out.scenarios = ModelScenarios(plan, inputs);

  // P4P: each plan quarter's actual is its baseline quarter less a quarter of the saving.
  if (p4p.present) {
    std::vector<std::optional<double>> base, act;
    for (const P4pQuarter& q : p4p.quarters) {
      base.push_back(q.baseline);
      act.push_back(q.baseline ? std::optional<double>(*q.baseline - avoided / 4) : std::nullopt);
    }
    out.p4p = ComputeP4p(plan.p4p, base, act);
  }
  return out;
}

}  // namespace pioneer::report
