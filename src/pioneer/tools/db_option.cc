#include "pioneer/tools/db_option.h"

#include <CLI/CLI.hpp>
#include <cstdio>

namespace pioneer::tools {
namespace {

void Say(const std::string& command, const Status& s) {
  std::fprintf(stderr, "pioneer %s: %s\n", command.c_str(), s.ToString().c_str());
}

}  // namespace

CLI::Option* AddDbOption(CLI::App* cmd, std::string& db, const std::string& help) {
  return cmd->add_option("--db", db, help);
}

std::unique_ptr<store::Store> OpenStoreOrSay(const std::string& db, const std::string& command,
                                             bool read_only) {
  StatusOr<std::unique_ptr<store::Store>> store =
      read_only ? store::Store::OpenReadOnlySqlite(db) : store::Store::OpenExistingSqlite(db);
  // An older store needs the migration a read-only connection cannot run (section 3 of
  // docs/store.md); the general connection runs it, or gives the error as before.
  if (read_only && !store.ok()) store = store::Store::OpenExistingSqlite(db);
  if (!store.ok()) {
    Say(command, store.status());
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<analysis::AnalysisContext> OpenContextOrSay(const std::string& db,
                                                            const std::string& command,
                                                            bool read_only) {
  auto ctx =
      analysis::AnalysisContext::Open(db, read_only ? analysis::AnalysisContext::Mode::kReading
                                                    : analysis::AnalysisContext::Mode::kExisting);
  if (!ctx.ok()) {
    Say(command, ctx.status());
    return nullptr;
  }
  return std::move(*ctx);
}

}  // namespace pioneer::tools
