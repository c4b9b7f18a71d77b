// bcf-part2.xlsx: the BCF Part 2 workbook a Health and Wellbeing Board receives, written with
// libxlsxwriter (docs/report.md lists every sheet and column).
// Sheets: Summary, Metrics, Schemes and finance, Protected social care, Payment for
// performance, Scenarios, Data quality, and Care Trak when `pioneer caretrak` results were
// given (one row per scheme and outcome: effect, 95% interval, naive before/after), and
// National condition when a risk report was given (joint care planning coverage of the
// high-risk by approach, for the area, each CCG and practice, and over time). Totals,
// variances and money are live formulas whose cached results are the values Pioneer computed
// (so readers that do not recalculate, such as exceljs or pandas, see the right numbers);
// headers are frozen, numbers formatted, columns sized; the Metrics sheet carries a line chart
// of actual vs trajectory for each tracked metric. The £1,490 P4P value is labelled
// unverified where the plan says so.
// Errors: kUnavailable when the file cannot be written.
#pragma once

#include <string>

#include "pioneer/base/status.h"
#include "pioneer/report/report_data.h"

namespace pioneer::report {

Status WriteWorkbook(const ReportData& data, const std::string& path);

// "A1" reference of a zero-based (row, col); absolute "$A$1" when `absolute`.
std::string CellRef(int row, int col, bool absolute = false);

}  // namespace pioneer::report
