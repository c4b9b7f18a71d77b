// `pioneer ingest --db FILE DIR`: validates and stores every known extract in DIR, in one
// atomic run, then prints the per-file reconciliation (docs/ingest.md).
// Exit codes (exit_codes.h): 0 stored (or nothing new); 2 the run failed and the store is
// unchanged (bad file, missing folder, unusable store): a store file the failed run created
// is removed again; 3 internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "pioneer/base/progress.h"
#include "pioneer/ingest/ingest.h"
#include "pioneer/ingest/ingest_report.h"
#include "pioneer/metrics/run.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct IngestArgs {
  std::string db;
  std::string dir;
  std::string progress = "auto";
  int cache_mb = 32;
  bool single_thread = false;
};

// Prints a possibly multi-line error, one "pioneer ingest: error:" line per problem.
void PrintError(const std::string& message) {
  size_t start = 0;
  while (start <= message.size()) {
    size_t nl = message.find('\n', start);
    std::string line = message.substr(start, nl == std::string::npos ? nl : nl - start);
    std::fprintf(stderr, "pioneer ingest: error: %s\n", line.c_str());
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
}

// Removes a store file (and its WAL and shared-memory files) that this run created, and the
// audit file created with it (`audit_existed`: an audit file was there before, and is kept).
void RemoveCreatedStore(const std::string& db, bool audit_existed) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    std::filesystem::remove(db + suffix, ec);
  }
  if (audit_existed) return;
  for (const char* suffix : {".audit", ".audit-wal", ".audit-shm", ".audit-journal"}) {
    std::filesystem::remove(db + suffix, ec);
  }
}

int RunIngest(const IngestArgs& a) {
  if (std::filesystem::is_directory(a.db)) {
    PrintError("--db '" + a.db + "' is a folder; give the store's file name (e.g. " + a.db +
               "/pioneer.db)");
    return kExitUsage;
  }
  const bool existed = std::filesystem::exists(a.db);
  const bool audit_existed = std::filesystem::exists(a.db + ".audit");
  int code = kExitOk;
  {
    auto store = store::Store::OpenSqlite(a.db);
    if (!store.ok()) {
      PrintError(store.status().message());
      code = ExitCodeFor(store.status());
    } else {
      std::unique_ptr<Progress> progress;
      if (a.progress == "always") {
        progress = std::make_unique<TerminalProgressBar>(stderr);
      } else if (a.progress == "auto") {
        progress = MakeStderrProgress();
      }
      ingest::IngestOptions options;
      options.cache_mb = a.cache_mb;
      options.threaded = !a.single_thread;
      auto report = ingest::IngestDirectory(**store, a.dir, options, progress.get());
      if (!report.ok()) {
        PrintError(report.status().message());
        std::fprintf(stderr, "pioneer ingest: nothing was stored; %s\n",
                     existed ? (a.db + " is unchanged").c_str()
                             : ("no store was created at " + a.db).c_str());
        code = ExitCodeFor(report.status());
      } else {
        std::string table = ingest::FormatReconciliation(*report);
        std::fwrite(table.data(), 1, table.size(), stdout);
        std::fflush(stdout);
        // The person timeline snapshot beside the store (docs/snapshot.md); a failure here
        // loses nothing: the next reader rebuilds it.
        const std::string announce = progress ? "pioneer ingest" : "";
        if (Status s = metrics::RefreshMetricsSnapshot(**store, a.db, announce); !s.ok()) {
          std::fprintf(stderr, "pioneer ingest: timeline snapshot not written: %s\n",
                       s.message().c_str());
        }
      }
    }
  }  // the store is closed here
  if (code != kExitOk && !existed) RemoveCreatedStore(a.db, audit_existed);
  return code;
}

}  // namespace

void RegisterIngestCommand(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand(
      "ingest", "Validate and store every known extract in a folder (one atomic run)");
  auto args = std::make_shared<IngestArgs>();  // owned by the callback below
  AddDbOption(cmd, args->db, "Store file (SQLite; created if absent)")->required();
  cmd->add_option("dir", args->dir, "Folder holding the extract files")->required();
  cmd->add_option("--progress", args->progress,
                  "Progress bar on stderr: auto (only on a terminal), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--cache-mb", args->cache_mb, "SQLite page cache during the run (MB)")
      ->check(CLI::Range(1, 65536));
  cmd->add_flag("--single-thread", args->single_thread,
                "Parse and insert on one thread (default: two)");
  cmd->callback([args, &exit_code] { exit_code = RunIngest(*args); });
}

}  // namespace pioneer::tools
