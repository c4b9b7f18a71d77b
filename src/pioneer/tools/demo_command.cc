// Placeholder until the demo subcommand lands.
#include <CLI/CLI.hpp>
#include <cstdio>

#include "pioneer/tools/commands.h"

namespace pioneer::tools {

void RegisterDemoCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("demo", "(not yet available)");
  cmd->callback([&exit_code] {
    std::fprintf(stderr, "pioneer demo: not yet available\n");
    exit_code = 2;
  });
}

}  // namespace pioneer::tools
