#include "pioneer/report/plan_report.h"

#include <filesystem>

#include "pioneer/report/care_trak.h"
#include "pioneer/report/care_trak_value.h"
#include "pioneer/report/dashboard.h"
#include "pioneer/report/national_condition.h"
#include "pioneer/report/report_data.h"
#include "pioneer/report/tracking.h"
#include "pioneer/report/workbook.h"

namespace pioneer::report {

StatusOr<PlanReportFiles> WritePlanReport(const plan::Plan& plan, analysis::AnalysisContext& ctx,
                                          const std::string& out_dir,
                                          const PlanReportInputs& inputs) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return UnavailableError("cannot create " + out_dir + ": " + ec.message());
  PIONEER_ASSIGN_OR_RETURN(ReportData data, BuildReport(plan, ctx));
  if (!inputs.risk_report.empty()) {
    auto nc = ReadNationalCondition(inputs.risk_report);
    if (!nc.ok()) return InvalidArgumentError(nc.status().message());
    data.national_condition = std::move(*nc);
  }
  for (const std::string& path : inputs.care_trak) {
    auto scheme = ReadCareTrak(path);
    if (!scheme.ok()) return InvalidArgumentError(scheme.status().message());
    data.care_trak.push_back(std::move(*scheme));
  }
  if (!data.care_trak.empty()) {
    data.care_trak_value =
        ValueCareTrak(data.plan, data.care_trak, data.scenarios, data.p4p, data.assessment_year);
  }
  PlanReportFiles files;
  files.findings = data.findings;
  files.xlsx = (std::filesystem::path(out_dir) / "bcf-part2.xlsx").string();
  files.html = (std::filesystem::path(out_dir) / "dashboard.html").string();
  PIONEER_RETURN_IF_ERROR(WriteWorkbook(data, files.xlsx));
  PIONEER_RETURN_IF_ERROR(WriteDashboard(data, files.html));
  files.headline = RagHeadline(data.tracks);
  return files;
}

}  // namespace pioneer::report
