// Placeholder until the ingest subcommand lands.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "pioneer/tools/commands.h"

namespace pioneer::tools {

void RegisterIngestCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("ingest", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "pioneer ingest: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace pioneer::tools
