// Reads a BCF plan from its TOML file (docs/plan-format.md) with toml++.
//
// Strict: a syntax error, a value of the wrong type, an unknown key (usually a typo), a
// financial-year key that is not "YYYY/YY" or a reference to an undeclared theme fails the
// read with kInvalidArgument whose message lists every problem as "FILE:LINE: key KEY: why".
// Consistency between figures (totals, percentages, units) is not the reader's business:
// the validator reports those as findings on a plan that was read.
// Thread safety: plain functions.
#pragma once

#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/plan/plan.h"

namespace pioneer::plan {

// Parses `text`; `file` names the source in messages and Plan::file.
StatusOr<Plan> ParsePlan(std::string_view text, const std::string& file);
// Reads and parses a file. kNotFound when it cannot be read.
StatusOr<Plan> ReadPlanFile(const std::string& path);

}  // namespace pioneer::plan
