// dashboard.html: one self-contained page for Health and Wellbeing Board members.
//
// Charts (chart.js from npm, embedded into the binary at build time and inlined into the page,
// so the file opens with no network access): each tracked metric's actual vs trajectory by
// quarter; the day-of-week hospital discharge profile; investment by theme; payment for
// performance by quarter (released vs withheld). Tables: metric RAG summary, risk-share
// scenarios, and the plan check's findings. All figures come from the ReportData the
// workbook also uses; the page sets window.pioneerChartsRendered to the number of charts
// drawn (tests/report/dashboard_check.js asserts every canvas has a chart).
// Errors: kUnavailable when the file cannot be written.
#pragma once

#include <string>

#include "pioneer/base/status.h"
#include "pioneer/report/report_data.h"

namespace pioneer::report {

// The page as a string (for tests) and written to `path`.
std::string DashboardHtml(const ReportData& data);
Status WriteDashboard(const ReportData& data, const std::string& path);

}  // namespace pioneer::report
