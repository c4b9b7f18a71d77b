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

std::unique_ptr<store::Store> OpenStoreOrSay(const std::string& db, const std::string& command) {
  auto store = store::Store::OpenExistingSqlite(db);
  if (!store.ok()) {
    Say(command, store.status());
    return nullptr;
  }
  return std::move(*store);
}

std::unique_ptr<analysis::AnalysisContext> OpenContextOrSay(const std::string& db,
                                                            const std::string& command) {
  auto ctx = analysis::AnalysisContext::Open(db);
  if (!ctx.ok()) {
    Say(command, ctx.status());
    return nullptr;
  }
  return std::move(*ctx);
}

}  // namespace pioneer::tools
