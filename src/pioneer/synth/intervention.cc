#include "pioneer/synth/intervention.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include "pioneer/model/code_sets.h"
#include "pioneer/synth/conditions.h"
#include "pioneer/synth/nhs_numbers.h"
#include "pioneer/synth/rng.h"

namespace pioneer::synth {
namespace {

constexpr uint64_t kInterventionSalt = 0x1A7E5C0DE5EEDULL;  // own stream family
constexpr double kBaseEnrolment = 0.08;  // probability scale per eligible discharge
constexpr double kMaxEnrolment = 0.8;
// Log-scale selection weights: the enrolment probability doubles about every 23 years of age,
// rises 35% per long-term condition and 65% per emergency admission in the year before.
constexpr double kAgeWeight = 0.03;
constexpr double kConditionWeight = 0.3;
constexpr double kPriorWeight = 0.5;
constexpr int kMinAge = 50;

uint64_t NameHash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ULL;
  }
  return h;
}

bool Emergency(const Spell& s) {
  return s.method != nullptr && model::IsEmergencyAdmissionMethod(s.method);
}

}  // namespace

const std::vector<std::string>& PlantableOutcomes() {
  static const std::vector<std::string> v{"non_elective_admissions", "ae_attendances"};
  return v;
}

StatusOr<InterventionSpec> ParseInterventionSpec(std::string_view text) {
  const size_t a = text.find(':');
  const size_t b = a == std::string_view::npos ? a : text.find(':', a + 1);
  if (b == std::string_view::npos) {
    return InvalidArgumentError(
        fmt::format("--intervention '{}': expected NAME:OUTCOME:EFFECT", text));
  }
  InterventionSpec spec;
  spec.name = std::string(text.substr(0, a));
  spec.outcome = std::string(text.substr(a + 1, b - a - 1));
  const std::string effect(text.substr(b + 1));
  if (spec.name.empty() || spec.name.size() > 40 ||
      !std::all_of(spec.name.begin(), spec.name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
      })) {
    return InvalidArgumentError(
        fmt::format("--intervention '{}': NAME must be 1-40 characters of a-z, 0-9 and _", text));
  }
  const auto& outcomes = PlantableOutcomes();
  if (std::find(outcomes.begin(), outcomes.end(), spec.outcome) == outcomes.end()) {
    return InvalidArgumentError(fmt::format("--intervention '{}': OUTCOME must be one of {}", text,
                                            fmt::join(outcomes, ", ")));
  }
  char* end = nullptr;
  spec.effect = std::strtod(effect.c_str(), &end);
  if (effect.empty() || end != effect.c_str() + effect.size() || !std::isfinite(spec.effect) ||
      spec.effect < -0.9 || spec.effect > 0) {
    return InvalidArgumentError(fmt::format(
        "--intervention '{}': EFFECT must be a number between -0.9 and 0 (a relative change)",
        text));
  }
  return spec;
}

StatusOr<InterventionPlanter> InterventionPlanter::Create(std::vector<InterventionSpec> specs,
                                                          uint64_t seed, Day window_start,
                                                          Day window_end, const Area* area) {
  std::set<std::string> names;
  for (const auto& s : specs) {
    if (!names.insert(s.name).second) {
      return InvalidArgumentError(fmt::format("--intervention {} is given twice", s.name));
    }
  }
  InterventionPlanter p;
  // A whole year of look-back before the first enrolment and a whole year of follow-up (after
  // the longest enrolment lag) after the last, with a week to spare at each end.
  p.enrol_from_ = window_start + 372;
  p.enrol_to_ = window_end - 366 - 14;
  if (p.enrol_to_ - p.enrol_from_ < 90) {
    return InvalidArgumentError(
        "--intervention needs a window of at least two years and three months (a year of "
        "look-back, three months of enrolment and a year of follow-up)");
  }
  p.area_ = area;
  for (const auto& s : specs)
    p.stream_seed_.push_back(MixSeed(seed, kInterventionSalt, NameHash(s.name)));
  p.specs_ = std::move(specs);
  return p;
}

void InterventionPlanter::Apply(PersonHistory* h, std::vector<PlantedEnrolment>* out) const {
  for (size_t k = 0; k < specs_.size(); ++k) {
    Rng rng(MixSeed(stream_seed_[k], h->index));
    Day enrolled = kNoDay;
    for (size_t si = 0; si < h->spells.size() && enrolled == kNoDay; ++si) {
      const Spell& s = h->spells[si];
      if (!Emergency(s) || s.discharge == kNoDay) continue;
      if (s.discharge < enrol_from_ || s.discharge > enrol_to_) continue;
      if (s.discharge_method != nullptr && std::string_view(s.discharge_method) == "4") continue;
      const int age = AgeOn(h->birth, s.discharge);
      if (age < kMinAge) continue;
      int prior = 0;  // emergency admissions in the year before this one
      for (size_t j = 0; j < si; ++j) {
        const Spell& q = h->spells[j];
        if (Emergency(q) && q.admission >= s.admission - 365) ++prior;
      }
      // What a case finder sees in the record on the discharge day: age, the long-term
      // conditions on the GP record and the emergency admissions of the year before.
      ConditionSet conditions = 0;
      for (const GpEvent& g : h->gp) {
        if (g.date >= s.discharge) continue;
        for (int c = 0; c < kConditionCount; ++c) {
          if (std::string_view(g.snomed) == ConditionSnomed(static_cast<Condition>(c))) {
            conditions |= 1u << c;
          }
        }
      }
      const double w =
          std::exp(kAgeWeight * (age - 65) + kConditionWeight * CountConditions(conditions) +
                   kPriorWeight * std::min(prior, 3));
      const double p = std::min(kMaxEnrolment, kBaseEnrolment * w);
      const int lag = rng.Between(1, 14);
      if (!rng.Bernoulli(p)) continue;
      const Day day = s.discharge + lag;
      if (h->exit_day != kNoDay && h->exit_day <= day) continue;
      // Not enrolled while back in hospital.
      bool in_hospital = false;
      for (const Spell& q : h->spells) {
        if (q.admission <= day && (q.discharge == kNoDay || q.discharge > day) && &q != &s) {
          in_hospital = true;
        }
      }
      // Nor when readmitted between the discharge and the enrolment date.
      for (const Spell& q : h->spells) {
        if (Emergency(q) && q.admission > s.discharge && q.admission <= day) in_hospital = true;
      }
      if (in_hospital) continue;
      enrolled = day;
    }
    if (enrolled == kNoDay) continue;
    out->push_back({static_cast<int>(k), h->index, enrolled});
    const double remove = -specs_[k].effect;
    if (remove <= 0) continue;
    if (specs_[k].outcome == "non_elective_admissions") {
      std::erase_if(h->spells, [&](const Spell& s) {
        return Emergency(s) && s.admission >= enrolled && rng.Bernoulli(remove);
      });
    } else if (specs_[k].outcome == "ae_attendances") {
      std::erase_if(h->ae, [&](const AeAttendance& a) {
        return a.arrival >= enrolled && rng.Bernoulli(remove);
      });
    }
  }
}

StatusOr<std::vector<WrittenFile>> WriteInterventionFiles(
    const std::string& dir, const InterventionPlanter& planter,
    const std::vector<PlantedEnrolment>& enrolments, const NhsNumberAllocator& nhs) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "interventions", ec);
  if (ec) return UnavailableError("cannot create " + dir + "/interventions: " + ec.message());
  std::vector<WrittenFile> files;
  auto write = [&](const std::string& rel, const std::string& content, int64_t rows) -> Status {
    const std::string path = (fs::path(dir) / rel).string();
    std::FILE* f = std::fopen(path.c_str(), "wb");
    if (f == nullptr) return UnavailableError("cannot create " + path);
    const bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    if (std::fclose(f) != 0 || !ok) return UnavailableError("write failed: " + path);
    files.push_back({rel, rows, static_cast<int64_t>(content.size())});
    return OkStatus();
  };
  const auto& specs = planter.specs();
  std::vector<int64_t> counts(specs.size());
  for (size_t k = 0; k < specs.size(); ++k) {
    std::string csv = "nhs_number,enrolment_date\n";
    for (const PlantedEnrolment& e : enrolments) {
      if (e.intervention != static_cast<int>(k)) continue;
      const Ymd d = CivilFromDays(e.day);
      csv +=
          fmt::format("{},{:04d}-{:02d}-{:02d}\n", nhs.ForPerson(e.person), d.year, d.month, d.day);
      ++counts[k];
    }
    PIONEER_RETURN_IF_ERROR(write("interventions/" + specs[k].name + ".csv", csv, counts[k]));
  }
  const Ymd from = CivilFromDays(planter.enrol_from()), to = CivilFromDays(planter.enrol_to());
  std::string truth =
      "intervention,outcome,true_relative_effect,enrolled,enrolment_from,enrolment_to\n";
  for (size_t k = 0; k < specs.size(); ++k) {
    truth += fmt::format("{},{},{},{},{:04d}-{:02d}-{:02d},{:04d}-{:02d}-{:02d}\n", specs[k].name,
                         specs[k].outcome, specs[k].effect, counts[k], from.year, from.month,
                         from.day, to.year, to.month, to.day);
  }
  PIONEER_RETURN_IF_ERROR(
      write("truth/interventions.csv", truth, static_cast<int64_t>(specs.size())));
  return files;
}

}  // namespace pioneer::synth
