// Care Trak results as the BCF dashboard shows them: read from caretrak.json files written by
// `pioneer caretrak` (docs/caretrak.md), one per scheme evaluated. For each scheme and outcome:
// the difference-in-differences effect with its 95% interval beside the naive before/after
// (so readers see why the naive figure misleads), the cohort and matched-group sizes, and
// whether the estimate is reliable. Aggregates only: the files hold no person-level data.
// Errors: kNotFound for a missing file; kInvalidArgument for a file that is not a Care Trak
// result (the message names the file and the missing field).
// Thread safety: values and pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::report {

struct CareTrakOutcome {
  std::string outcome;     // e.g. non_elective_admissions, total_cost
  std::string definition;  // e.g. "A&E attendances (arrival date)"
  std::string unit;
  double relative = 0;  // DiD relative change in the outcome rate
  double relative_low = 0, relative_high = 0;
  double absolute_per_person_year = 0;
  double absolute_low = NAN, absolute_high = NAN;  // its 95% CI (NaN: not in the file)
  std::optional<double> naive_relative;
  std::string conclusion;
};

struct CareTrakScheme {
  std::string name;    // the cohort's name
  std::string scheme;  // the plan scheme it evaluates (cohort.scheme; "" = the name)
  int64_t cohort = 0;
  int64_t matched = 0;
  bool reliable = false;
  std::string warning;
  std::vector<CareTrakOutcome> outcomes;
};

StatusOr<CareTrakScheme> ReadCareTrak(const std::string& caretrak_json);

}  // namespace pioneer::report
