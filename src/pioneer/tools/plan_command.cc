// `pioneer plan validate FILE`: reads a BCF plan (docs/plan-format.md) and checks it the way
// a regional assurance reviewer would (src/pioneer/plan/validator.h). Prints one line per
// finding ("FILE:LINE: error|warning [code] key: explanation") and a summary.
// Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the file cannot be read or
// parsed (the message names file, line and key).
// `pioneer plan show FILE` prints the plan back in canonical TOML (after parsing).
#include <CLI/CLI.hpp>
#include <cstdio>

#include "pioneer/plan/plan_reader.h"
#include "pioneer/plan/plan_writer.h"
#include "pioneer/plan/validator.h"
#include "pioneer/tools/commands.h"

namespace pioneer::tools {
namespace {

int RunValidate(const std::string& file, bool quiet) {
  auto plan = plan::ReadPlanFile(file);
  if (!plan.ok()) {
    std::fprintf(stderr, "pioneer plan validate: %s\n", plan.status().message().c_str());
    return 2;
  }
  auto findings = plan::ValidatePlan(*plan);
  int errors = plan::CountErrors(findings);
  for (const auto& f : findings) {
    if (quiet && f.severity != plan::Severity::kError) continue;
    std::printf("%s\n", plan::FormatFinding(file, f).c_str());
  }
  std::printf("%s: %s (%s): %d error%s, %zu warning%s\n", file.c_str(), plan->hwb.c_str(),
              plan->id.c_str(), errors, errors == 1 ? "" : "s", findings.size() - errors,
              findings.size() - errors == 1 ? "" : "s");
  return errors > 0 ? 1 : 0;
}

int RunShow(const std::string& file) {
  auto plan = plan::ReadPlanFile(file);
  if (!plan.ok()) {
    std::fprintf(stderr, "pioneer plan show: %s\n", plan.status().message().c_str());
    return 2;
  }
  std::string out = plan::WritePlanToml(*plan);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void RegisterPlanCommand(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("plan", "Check and print BCF plan files (TOML)");
  cmd->require_subcommand(1);
  auto file = std::make_shared<std::string>();
  auto quiet = std::make_shared<bool>(false);
  CLI::App* validate =
      cmd->add_subcommand("validate", "Check a plan like an assurance reviewer; exit 1 on errors");
  validate->add_option("file", *file, "Plan file (docs/plan-format.md)")->required();
  validate->add_flag("--errors-only", *quiet, "Print errors only");
  validate->callback([file, quiet, &exit_code] { exit_code = RunValidate(*file, *quiet); });
  auto show_file = std::make_shared<std::string>();
  CLI::App* show = cmd->add_subcommand("show", "Print the parsed plan as canonical TOML");
  show->add_option("file", *show_file, "Plan file")->required();
  show->callback([show_file, &exit_code] { exit_code = RunShow(*show_file); });
}

}  // namespace pioneer::tools
