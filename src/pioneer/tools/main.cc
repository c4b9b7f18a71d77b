// `pioneer`: the command-line entry point. Subcommands live in one file each. Exit codes are
// one scheme for every command (exit_codes.h).
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "pioneer/base/version.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/exit_codes.h"

namespace {

// `pioneer bogus`: CLI11 would only say "A subcommand is required". Name the word and list
// the commands instead. Returns true when argv[1] is a word that is no subcommand.
bool UnknownSubcommand(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return false;
  std::string list;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == argv[1]) return false;
    list += (list.empty() ? "" : ", ") + sub->get_name();
  }
  std::fprintf(stderr, "pioneer: unknown command '%s'; the commands are: %s (pioneer --help)\n",
               argv[1], list.c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  namespace tools = pioneer::tools;
  CLI::App app{
      "Pioneer: integrated health and social care analytics for Health and Wellbeing Boards"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pioneer " + std::string(pioneer::PioneerVersion()));
  app.footer(tools::kExitCodesHelp);
  int exit_code = 0;
  tools::RegisterSynthCommand(app, exit_code);
  tools::RegisterIngestCommand(app, exit_code);
  tools::RegisterQualityCommand(app, exit_code);
  tools::RegisterDemoCommand(app, exit_code);
  tools::RegisterFormatsCommand(app, exit_code);
  tools::RegisterTimelineCommand(app, exit_code);
  tools::RegisterMatchCommand(app, exit_code);
  tools::RegisterSynthPeopleCommand(app, exit_code);
  tools::RegisterMetricsCommand(app, exit_code);
  tools::RegisterPlanCommand(app, exit_code);
  tools::RegisterReportCommand(app, exit_code);
  tools::RegisterLinkCommand(app, exit_code);
  tools::RegisterServeCommand(app, exit_code);
  tools::RegisterUsersCommand(app, exit_code);
  tools::RegisterAuditCommand(app, exit_code);
  tools::RegisterObjectionsCommand(app, exit_code);
  tools::RegisterRiskCommand(app, exit_code);
  tools::RegisterCarePlanCommand(app, exit_code);
  tools::RegisterCaretrakCommand(app, exit_code);
  if (UnknownSubcommand(app, argc, argv)) return tools::kExitUsage;
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version: 0
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (105, 106, ...) are not ours: every usage error is 2.
    app.exit(e);
    return tools::kExitUsage;
  } catch (const std::exception& e) {
    // Our code reports failures as Status; anything thrown here is a bug or a library
    // failure. Say so plainly without printing any record contents.
    std::fprintf(stderr, "pioneer: internal error: %s\n", e.what());
    return tools::kExitInternal;
  }
  return exit_code;
}
