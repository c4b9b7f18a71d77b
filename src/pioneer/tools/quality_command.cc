// Placeholder until the quality subcommand lands.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "pioneer/tools/commands.h"

namespace pioneer::tools {

void RegisterQualityCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("quality", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "pioneer quality: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace pioneer::tools
