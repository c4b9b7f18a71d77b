// What `pioneer caretrak` writes: caretrak.json (the evaluation as data; field reference in
// docs/caretrak.md) and caretrak.html (self-contained: chart.js embedded at build time; charts
// of the monthly activity and cost of the cohort and its matched comparison group, the effect
// beside the naive before/after, and the balance plot, each with its data table).
// Aggregates only: no person-level data.
// Errors (WriteReport): kUnavailable when a file cannot be written.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/caretrak/evaluation.h"

namespace pioneer::caretrak {

nlohmann::json ToJson(const Evaluation& ev);
std::string RenderHtml(const nlohmann::json& j);
Status WriteReport(const Evaluation& ev, const std::string& out_dir);
// A few lines for the terminal.
std::string Summary(const nlohmann::json& j);

}  // namespace pioneer::caretrak
