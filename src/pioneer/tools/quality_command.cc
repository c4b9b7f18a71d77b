// `pioneer quality --db FILE [--json] [--as-of DATE]`: the data-quality report.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>

#include "pioneer/quality/quality_report.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct QualityArgs {
  std::string db;
  bool json = false;
  std::string as_of;
};

Date Today() {
  auto days = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return Date::FromDaysSinceEpoch(static_cast<int32_t>(days.time_since_epoch().count()));
}

int RunQuality(const QualityArgs& a) {
  quality::QualityOptions opt;
  opt.as_of = Today();
  if (!a.as_of.empty()) {
    auto d = Date::ParseIso(a.as_of);
    if (!d) {
      std::fprintf(stderr, "pioneer quality: --as-of must be a date YYYY-MM-DD, got '%s'\n",
                   a.as_of.c_str());
      return 2;
    }
    opt.as_of = *d;
  }
  std::unique_ptr<store::Store> store = OpenStoreOrSay(a.db, "quality", /*read_only=*/true);
  if (store == nullptr) return kExitUsage;
  auto report = quality::BuildQualityReport(*store, opt);
  if (!report.ok()) {
    std::fprintf(stderr, "pioneer quality: %s\n", report.status().ToString().c_str());
    return 2;
  }
  std::string out = a.json ? quality::QualityReportToJson(*report).dump(2) + "\n"
                           : quality::RenderQualityTable(*report, opt);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

void RegisterQualityCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<QualityArgs>();
  auto* cmd = app.add_subcommand("quality", "Data-quality report of a store");
  AddDbOption(cmd, args->db)->required();
  cmd->add_flag("--json", args->json, "Machine-readable JSON instead of a table");
  cmd->add_option("--as-of", args->as_of,
                  "Date for 'events in the future' and ages (default: today)");
  cmd->callback([args, &exit_code] { exit_code = RunQuality(*args); });
}

}  // namespace pioneer::tools
