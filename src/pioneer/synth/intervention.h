// Planted interventions: a synthetic scheme with a known true effect, so that an evaluation
// (Care Trak, docs/caretrak.md) can be checked against the truth.
//
// `pioneer synth --intervention NAME:OUTCOME:EFFECT` (repeatable) enrols people after a
// crisis, as real schemes do (virtual wards, case management): a person becomes a candidate
// at each discharge from an emergency admission inside the enrolment window when aged 50 or
// over, and is enrolled with a probability that rises with what a case finder sees in the
// record on that day: age, the long-term conditions on the GP record and the emergency
// admissions of the year before (high-risk people, like those a risk tool flags). The
// enrolment date is 1-14 days after that discharge (not while back in hospital). Because
// people are enrolled at a utilisation peak, a naive before/after comparison shows a large
// fall that is only regression to the mean.
//
// Selection is on recorded characteristics only, deliberately: enrolment that depended on the
// unrecorded part of a person's risk (the latent risk z, or the interaction terms of
// latent_risk.h, which a main-effects propensity model cannot reproduce) would bias every
// matched evaluation, and the planted truth could not be recovered (docs/caretrak.md, Limits).
//
// After enrolment the true relative effect EFFECT (between -0.9 and 0; 0 plants a scheme that
// does nothing) is applied to OUTCOME by thinning: each of the person's later events of that
// kind is removed independently with probability -EFFECT, so the expected post-enrolment rate
// is (1 + EFFECT) times what it would have been. Supported outcomes:
//   non_elective_admissions  emergency hospital spells (admission method 2x)
//   ae_attendances           A&E attendances
// Nothing else about the person changes (the A&E attendance or social care that came with a
// removed admission stays).
//
// Files: interventions/NAME.csv (`nhs_number,enrolment_date`, one row per enrolled person, an
// input for `pioneer caretrak`, not an extract, so `pioneer ingest` does not read it) and
// truth/interventions.csv (one row per intervention: name, outcome, true relative effect,
// enrolled count, enrolment window). Randomness comes from its own stream per intervention,
// so a synth run without --intervention writes exactly the files it wrote before.
// Thread safety: an InterventionPlanter is immutable after construction; Apply may be called
// from several threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/synth/area.h"
#include "pioneer/synth/calendar.h"
#include "pioneer/synth/history.h"

namespace pioneer::synth {

struct InterventionSpec {
  std::string name;     // [a-z0-9_], 1-40 characters: the file name interventions/NAME.csv
  std::string outcome;  // non_elective_admissions | ae_attendances
  double effect = 0;    // true relative effect on the outcome rate, in [-0.9, 0]
};

// Parses NAME:OUTCOME:EFFECT. Errors: InvalidArgument naming the part that is wrong.
StatusOr<InterventionSpec> ParseInterventionSpec(std::string_view text);

// The outcomes a planted intervention can change.
const std::vector<std::string>& PlantableOutcomes();

struct PlantedEnrolment {
  int intervention = 0;  // index into the specs
  uint64_t person = 0;   // simulator person index
  Day day = 0;           // enrolment date
};

class NhsNumberAllocator;

struct WrittenFile {
  std::string file_name;  // relative to the output folder
  int64_t rows = 0;
  int64_t bytes = 0;
};

class InterventionPlanter;
// Writes interventions/NAME.csv for every spec (rows in the order given: the generator passes
// them in person order) and truth/interventions.csv into `dir`.
// Errors: Unavailable when a file cannot be written.
StatusOr<std::vector<WrittenFile>> WriteInterventionFiles(
    const std::string& dir, const InterventionPlanter& planter,
    const std::vector<PlantedEnrolment>& enrolments, const NhsNumberAllocator& nhs);

class InterventionPlanter {
 public:
  // Errors (from Create): InvalidArgument for duplicate names, or a window too short for a
  // year of look-back and a year of follow-up around the enrolment window.
  static StatusOr<InterventionPlanter> Create(std::vector<InterventionSpec> specs, uint64_t seed,
                                              Day window_start, Day window_end, const Area* area);

  // Decides the person's enrolment in each intervention, applies the effects to `h` and
  // appends the enrolments to `out`.
  void Apply(PersonHistory* h, std::vector<PlantedEnrolment>* out) const;

  const std::vector<InterventionSpec>& specs() const { return specs_; }
  Day enrol_from() const { return enrol_from_; }
  Day enrol_to() const { return enrol_to_; }

 private:
  InterventionPlanter() = default;
  std::vector<InterventionSpec> specs_;
  std::vector<uint64_t> stream_seed_;
  const Area* area_ = nullptr;
  Day enrol_from_ = 0;
  Day enrol_to_ = 0;
};

}  // namespace pioneer::synth
