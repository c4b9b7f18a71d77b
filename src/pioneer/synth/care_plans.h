// Synthetic joint care plans: care_plans/care_plans.csv in the `pioneer careplan import`
// format (docs/care-plans.md), for a realistic, partial share of the people at high risk, so
// that the national-condition coverage figures are neither 0% nor 100%.
//
// The model (docs/synthetic-data.md "Joint care plans"): a case-management programme starts
// 18 months into the window and reviews each practice's list every quarter. At a review an
// adult is a candidate when the records show high risk: two or more emergency admissions in
// the past year, or one at age 65+, or three or more long-term conditions at age 75+, or a
// high latent risk (z > 1.5) with two or more conditions. A candidate without a plan gets
// one at that review with the practice's uptake probability (5-35% per quarter, fixed per
// practice), so coverage grows over time and differs between practices. A plan names the
// accountable GP (missing on 8%) and a care coordinator (missing on 15%: no named lead
// professional) from the practice, the community trust or the council; 10% involve one
// organisation only (not joint). Plans end at death (completed) or, for 10%, are completed
// 6-18 months after they start. 0.5% of rows carry a mistyped NHS Number (a wrong check
// digit), which import must reject and keep.
//
// Draws come from the person's own care-plan stream (rng.h Stream::kCarePlans), so adding
// this file changes no other file's numbers.
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstdint>
#include <string>

#include "pioneer/synth/area.h"
#include "pioneer/synth/history.h"

namespace pioneer::synth {

// The header row of care_plans/care_plans.csv.
const char* CarePlansHeader();

// Appends the person's plan rows (0 or 1) to `out`; returns the number of rows.
int WriteCarePlans(const PersonHistory& h, const std::string& nhs_number, const Area& area,
                   uint64_t seed, Day window_start, Day window_end, std::string* out);

}  // namespace pioneer::synth
