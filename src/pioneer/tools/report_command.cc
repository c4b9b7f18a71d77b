// `pioneer report --db FILE --plan FILE --out DIR`: what a Health and Wellbeing Board
// receives for one BCF plan (report/plan_report.h does the work; docs/report.md):
//   DIR/bcf-part2.xlsx   the Part 2 workbook (live formulas with correct cached values);
//   DIR/dashboard.html   one self-contained page of interactive charts (no network needed).
// The plan is validated first; its findings are printed and shown in both outputs, but only
// a plan that cannot be read stops the report. Exit (exit_codes.h): 0 written, 2 bad input
// or write failure.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/plan/finding.h"
#include "pioneer/plan/plan_reader.h"
#include "pioneer/report/plan_report.h"
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
  std::fprintf(stderr, "pioneer report: measuring %s against %s ...\n", plan->hwb.c_str(),
               db.c_str());
  auto files = report::WritePlanReport(*plan, *ctx, out, {risk_report, care_trak});
  if (!files.ok()) {
    const Status& s = files.status();
    const bool input =
        s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kUnavailable;
    return Fail(input ? s.message() : s.ToString());
  }
  const int errors = plan::CountErrors(files->findings);
  if (!files->findings.empty())
    std::fprintf(stderr,
                 "pioneer report: the plan has %d error(s) and %zu warning(s) (`pioneer plan "
                 "validate %s`)\n",
                 errors, files->findings.size() - errors, plan_file.c_str());
  if (headline) *headline = files->headline;
  if (xlsx_path) *xlsx_path = files->xlsx;
  if (html_path) *html_path = files->html;
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
