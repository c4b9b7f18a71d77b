// The `--db FILE` option of every command that reads or writes a store, and the one way an
// analytic command opens the store it names.
//
// AddDbOption adds `--db` bound to `db` with the command's help text (kDbHelp unless the
// command says more, e.g. that ingest creates the file); the caller chains ->required() or
// ->check() as before. OpenStoreOrSay and OpenContextOrSay open a store that must exist
// (store::Store::OpenExistingSqlite: only `pioneer ingest` creates one) and, when they cannot,
// print "pioneer <command>: <error>" on stderr (the error names the file: kNotFound for a
// missing file, kFailedPrecondition for one that is not a Pioneer store) and return null; the
// caller then exits with kExitUsage (2, exit_codes.h). With `read_only`, for commands that
// never write the store (`quality`, `metrics`), the connection is read-only when the store is
// already at the current schema version (store::Store::OpenReadOnlySqlite); an older store is
// opened for writing as before so that it is migrated, and every error is the same.
// Thread safety: call from the command's thread.
#pragma once

#include <memory>
#include <string>

#include "pioneer/analysis/context.h"
#include "pioneer/store/store.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace pioneer::tools {

inline constexpr const char* kDbHelp = "Store file (SQLite)";

CLI::Option* AddDbOption(CLI::App* cmd, std::string& db, const std::string& help = kDbHelp);

// `command` is the subcommand's name as printed ("quality", "timeline", ...).
std::unique_ptr<store::Store> OpenStoreOrSay(const std::string& db, const std::string& command,
                                             bool read_only = false);
std::unique_ptr<analysis::AnalysisContext> OpenContextOrSay(const std::string& db,
                                                            const std::string& command,
                                                            bool read_only = false);

}  // namespace pioneer::tools
