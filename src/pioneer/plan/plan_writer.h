// Writes a plan back as TOML in the documented format (docs/plan-format.md).
// ParsePlan(WritePlanToml(p)) has the same content as p (tested); comments of a hand-written
// file are not preserved.
#pragma once

#include <string>

#include "pioneer/plan/plan.h"

namespace pioneer::plan {

std::string WritePlanToml(const Plan& plan);

}  // namespace pioneer::plan
