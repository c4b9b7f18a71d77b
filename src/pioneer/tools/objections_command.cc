// `pioneer objections import --db FILE OBJECTIONS.csv`: records people who object to their
// records being shared (docs/ig.md). Exit codes: 0 ok, 2 usage or input error (file, line
// and field named; nothing stored), 3 internal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "pioneer/ig/objections.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"

namespace pioneer::tools {
namespace {

struct ObjectionsArgs {
  std::string db, file;
};

int RunImport(const ObjectionsArgs& a) {
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) {
    std::fprintf(stderr, "pioneer objections import: %s\n", store.status().message().c_str());
    return 2;
  }
  auto r = ig::ImportObjections(**store, a.file);
  if (!r.ok()) {
    std::fprintf(stderr, "pioneer objections import: %s\n", r.status().message().c_str());
    return r.status().code() == StatusCode::kInternal ? 3 : 2;
  }
  std::printf("%lld rows: %lld people newly objecting, %lld already recorded\n",
              static_cast<long long>(r->rows), static_cast<long long>(r->added),
              static_cast<long long>(r->existing));
  return 0;
}

}  // namespace

void RegisterObjectionsCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ObjectionsArgs>();
  auto* cmd = app.add_subcommand("objections", "Objections to sharing (the right to object)");
  cmd->require_subcommand(1);
  auto* imp = cmd->add_subcommand(
      "import",
      "Import a CSV with columns nhs_number[,recorded_on] (exit 0 ok, 2 input error, 3 internal)");
  AddDbOption(imp, args->db)->required();
  imp->add_option("file", args->file, "Objections CSV")->required()->check(CLI::ExistingFile);
  imp->callback([args, &exit_code] { exit_code = RunImport(*args); });
}

}  // namespace pioneer::tools
