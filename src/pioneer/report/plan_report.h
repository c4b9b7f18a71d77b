// The plan report pipeline: what a Health and Wellbeing Board receives for one BCF plan,
// measured from a store (docs/report.md). `pioneer report` and step 8 of `pioneer demo` are
// thin callers of WritePlanReport.
//
// It measures the plan through the analysis context (BuildReport: every figure a catalogue
// metric, published), adds the optional national-condition figures of a risk-report.json and
// the scheme results of caretrak.json files, and writes into `out_dir` (created if absent):
//   bcf-part2.xlsx   the Part 2 workbook (live formulas with correct cached values);
//   dashboard.html   one self-contained page of interactive charts (no network needed).
// The plan's validation findings are returned and shown in both outputs; they never stop the
// report. Errors: kInvalidArgument for an unreadable risk report or Care Trak file (the
// message names it), kUnavailable when the folder or a file cannot be written, and whatever
// measuring the store returns.
// Thread safety: uses the context from one thread.
#pragma once

#include <string>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/status.h"
#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan.h"

namespace pioneer::report {

struct PlanReportInputs {
  std::string risk_report;             // risk-report.json of `pioneer risk report` ("" none)
  std::vector<std::string> care_trak;  // caretrak.json files of `pioneer caretrak`
};

struct PlanReportFiles {
  std::string xlsx, html;               // the paths written
  std::string headline;                 // RagHeadline: one line per metric
  std::vector<plan::Finding> findings;  // the plan's validation findings
};

StatusOr<PlanReportFiles> WritePlanReport(const plan::Plan& plan, analysis::AnalysisContext& ctx,
                                          const std::string& out_dir,
                                          const PlanReportInputs& inputs = {});

}  // namespace pioneer::report
