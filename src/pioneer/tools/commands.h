// The `pioneer` subcommands. Each Register* function adds one subcommand to the CLI11 app
// and binds its callback; main.cc calls them all. A subcommand's callback sets the process
// exit code through the returned reference, in the one scheme of exit_codes.h (0 ok,
// 1 findings, 2 usage or input error, 3 internal error).
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "pioneer/base/date.h"

namespace CLI {
class App;
}

namespace pioneer {
class Progress;
}

namespace pioneer::timeline {
class Timeline;
}

namespace pioneer::store {
class Store;
}

namespace pioneer::analysis {
class AnalysisContext;
}

namespace pioneer::tools {

void RegisterSynthCommand(CLI::App& app, int& exit_code);        // synth_command.cc
void RegisterIngestCommand(CLI::App& app, int& exit_code);       // ingest_command.cc
void RegisterQualityCommand(CLI::App& app, int& exit_code);      // quality_command.cc
void RegisterDemoCommand(CLI::App& app, int& exit_code);         // demo_command.cc
void RegisterFormatsCommand(CLI::App& app, int& exit_code);      // formats_command.cc
void RegisterTimelineCommand(CLI::App& app, int& exit_code);     // timeline_command.cc
void RegisterMatchCommand(CLI::App& app, int& exit_code);        // match_command.cc
void RegisterSynthPeopleCommand(CLI::App& app, int& exit_code);  // synth_people_command.cc
void RegisterMetricsCommand(CLI::App& app, int& exit_code);      // metrics_command.cc
void RegisterPlanCommand(CLI::App& app, int& exit_code);         // plan_command.cc
void RegisterReportCommand(CLI::App& app, int& exit_code);       // report_command.cc

// Writes DIR/bcf-part2.xlsx and DIR/dashboard.html for a plan measured from a store, shared by
// `pioneer report` and `pioneer demo` (report_command.cc). Returns the exit code (0 ok, 2
// failure, message on stderr) and the two paths.
// `ctx` (optional): the analysis context of the store at `db` to measure through (its timeline
// and reference data, reused if already there); without it the store is opened.
// `headline` (optional) receives the plan's RAG headline (report::RagHeadline), one line per
// metric. `risk_report` (optional): a risk-report.json whose national-condition figures (joint
// care plan coverage of the high-risk) the dashboard shows; `care_trak` (optional):
// caretrak.json files whose scheme results it shows.
int WritePlanReport(const std::string& db, const std::string& plan_file, const std::string& out,
                    std::string* xlsx_path, std::string* html_path,
                    analysis::AnalysisContext* ctx = nullptr, std::string* headline = nullptr,
                    const std::string& risk_report = "",
                    const std::vector<std::string>& care_trak = {});
void RegisterLinkCommand(CLI::App& app, int& exit_code);        // link_command.cc
void RegisterServeCommand(CLI::App& app, int& exit_code);       // serve_command.cc
void RegisterUsersCommand(CLI::App& app, int& exit_code);       // users_command.cc
void RegisterAuditCommand(CLI::App& app, int& exit_code);       // audit_command.cc
void RegisterObjectionsCommand(CLI::App& app, int& exit_code);  // objections_command.cc
void RegisterRiskCommand(CLI::App& app, int& exit_code);        // risk_command.cc
void RegisterCarePlanCommand(CLI::App& app, int& exit_code);    // careplan_command.cc
void RegisterCaretrakCommand(CLI::App& app, int& exit_code);    // caretrak_command.cc

// The body of `pioneer serve` (serve_command.cc), also what `pioneer demo --serve` ends with:
// serves the shared care record on `db` until SIGTERM/SIGINT, printing `listening on URL` on
// stdout once ready. `command` names the subcommand in messages. Returns the exit code (0
// stopped cleanly, 2 usage or input error, 3 internal).
struct ServeSettings {
  std::string db, listen = "127.0.0.1:8080", tls_cert, tls_key;
  int threads = 8;
  double rate = 200;
  int64_t token_ttl = 900;
  size_t max_body = size_t{1} << 20;
  int request_timeout = 10;  // seconds a read or write may stall before the connection is cut
};
int ServeStore(const ServeSettings& settings, const char* command);

// For `pioneer demo --serve` (demo_users.cc): adds the documented demo accounts to the demo
// store (README.md, "Trying the shared care record"), chosen from the area so that each sees
// something: a GP and a practice nurse at the largest practice, a social worker, a care
// coordinator, an analyst and an IG officer at the council `la_code`, and a patient account
// bound to a registered adult of that practice. Accounts that exist already are kept. Prints
// the accounts (synthetic area: the demo passwords are printed and documented on purpose).
// Returns the exit code.
int AddDemoUsers(const std::string& db, const timeline::Timeline& t, const std::string& la_code);

// Progress line for NHS Number tracing on stderr when it is a terminal, else nullptr
// (link_command.cc; also used by `pioneer demo`).
std::unique_ptr<Progress> MakeLinkProgress();

// The machine-readable timeline summary of `pioneer timeline --json` (timeline_command.cc).
nlohmann::json TimelineSummaryJson(const timeline::Timeline& t, double build_seconds);

}  // namespace pioneer::tools
