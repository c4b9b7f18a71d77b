// `pioneer`: the command-line entry point. Subcommands live in one file each.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>

#include "pioneer/tools/commands.h"

int main(int argc, char** argv) {
  CLI::App app{
      "Pioneer: integrated health and social care analytics for Health and Wellbeing Boards"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "pioneer 0.1.0");
  int exit_code = 0;
  pioneer::tools::RegisterSynthCommand(app, exit_code);
  pioneer::tools::RegisterIngestCommand(app, exit_code);
  pioneer::tools::RegisterQualityCommand(app, exit_code);
  pioneer::tools::RegisterDemoCommand(app, exit_code);
  pioneer::tools::RegisterFormatsCommand(app, exit_code);
  pioneer::tools::RegisterTimelineCommand(app, exit_code);
  pioneer::tools::RegisterMatchCommand(app, exit_code);
  pioneer::tools::RegisterMetricsCommand(app, exit_code);
  pioneer::tools::RegisterPlanCommand(app, exit_code);
  pioneer::tools::RegisterReportCommand(app, exit_code);
  pioneer::tools::RegisterLinkCommand(app, exit_code);
  pioneer::tools::RegisterRiskCommand(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    // Our code reports failures as Status; anything thrown here is a bug or a library
    // failure. Say so plainly without printing any record contents.
    std::fprintf(stderr, "pioneer: internal error: %s\n", e.what());
    return 70;
  }
  return exit_code;
}
