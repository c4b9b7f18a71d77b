// `pioneer report --db FILE --plan FILE --out DIR`: what a Health and Wellbeing Board
// receives for one BCF plan (src/pioneer/report, docs/report.md):
//   DIR/bcf-part2.xlsx   the Part 2 workbook (live formulas with correct cached values);
//   DIR/dashboard.html   one self-contained page of interactive charts (no network needed).
// The plan is validated first; its findings are printed and shown in both outputs, but only
// a plan that cannot be read stops the report. Exit (exit_codes.h): 0 written, 2 bad input
// or write failure.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/metrics/run.h"
#include "pioneer/plan/plan_reader.h"
#include "pioneer/report/dashboard.h"
#include "pioneer/report/report_data.h"
#include "pioneer/report/workbook.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct ReportArgs {
  std::string db, plan, out = "report-out", risk_report;
  std::vector<std::string> care_trak;
};

int Fail(const std::string& m) {
  std::fprintf(stderr, "pioneer report: %s\n", m.c_str());
  return 2;
}

}  // namespace

int WritePlanReport(const std::string& db, const std::string& plan_file, const std::string& out,
                    std::string* xlsx_path, std::string* html_path, analysis::AnalysisContext* ctx,
                    std::string* headline, const std::string& risk_report,
                    const std::vector<std::string>& care_trak) {
  auto plan = plan::ReadPlanFile(plan_file);
  if (!plan.ok()) return Fail(plan.status().message());
  std::unique_ptr<analysis::AnalysisContext> opened;
  if (ctx == nullptr) {
    opened = OpenContextOrSay(db, "report");
    if (opened == nullptr) return kExitUsage;
    ctx = opened.get();
  }
  std::error_code ec;
  std::filesystem::create_directories(out, ec);
  if (ec) return Fail("cannot create " + out + ": " + ec.message());
  std::fprintf(stderr, "pioneer report: measuring %s against %s ...\n", plan->hwb.c_str(),
               db.c_str());
  if (auto t = metrics::MetricsTimeline(*ctx); !t.ok()) return Fail(t.status().ToString());
  auto data = report::BuildReport(*plan, *ctx);
  if (!data.ok()) return Fail(data.status().ToString());
  if (!risk_report.empty()) {
    auto nc = report::ReadNationalCondition(risk_report);
    if (!nc.ok()) return Fail(nc.status().message());
    data->national_condition = std::move(*nc);
  }
  for (const std::string& path : care_trak) {
    auto scheme = report::ReadCareTrak(path);
    if (!scheme.ok()) return Fail(scheme.status().message());
    data->care_trak.push_back(std::move(*scheme));
  }
  if (!data->care_trak.empty()) {
    data->care_trak_value = report::ValueCareTrak(data->plan, data->care_trak, data->scenarios,
                                                  data->p4p, data->assessment_year);
  }
  int errors = plan::CountErrors(data->findings);
  if (!data->findings.empty())
    std::fprintf(stderr,
                 "pioneer report: the plan has %d error(s) and %zu warning(s) (`pioneer plan "
                 "validate %s`)\n",
                 errors, data->findings.size() - errors, plan_file.c_str());
  std::string xlsx = (std::filesystem::path(out) / "bcf-part2.xlsx").string();
  std::string html = (std::filesystem::path(out) / "dashboard.html").string();
  if (Status s = report::WriteWorkbook(*data, xlsx); !s.ok()) return Fail(s.ToString());
  if (Status s = report::WriteDashboard(*data, html); !s.ok()) return Fail(s.ToString());
  if (headline) *headline = report::RagHeadline(data->tracks);
  if (xlsx_path) *xlsx_path = xlsx;
  if (html_path) *html_path = html;
  return 0;
}

void RegisterReportCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report", "BCF Part 2 workbook and dashboard for a plan, measured from a store");
  AddDbOption(cmd, a->db, "Store file")->required();
  cmd->add_option("--plan", a->plan, "Plan file (docs/plan-format.md)")->required();
  cmd->add_option("--out", a->out, "Output folder (default report-out)");
  cmd->add_option("--risk-report", a->risk_report,
                  "risk-report.json from `pioneer risk report`: show joint care plan coverage "
                  "of the high-risk (national condition)");
  cmd->add_option("--caretrak", a->care_trak,
                  "caretrak.json from `pioneer caretrak` (repeat for each scheme): show what "
                  "each scheme achieved against its matched comparison group");
  cmd->callback([a, &exit_code] {
    std::string xlsx, html;
    exit_code = WritePlanReport(a->db, a->plan, a->out, &xlsx, &html, nullptr, nullptr,
                                a->risk_report, a->care_trak);
    if (exit_code == 0) std::printf("  %s\n  %s\n", xlsx.c_str(), html.c_str());
  });
}

}  // namespace pioneer::tools
