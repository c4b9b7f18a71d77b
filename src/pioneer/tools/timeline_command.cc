// `pioneer timeline --db FILE [--json] [--rebuild]`: opens the person timeline of a store
// (its snapshot FILE.timeline when current, else rebuilt from the store and written back;
// docs/snapshot.md) and reports its size, the time that took and how many records of each
// source could be placed on it.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/summary.h"
#include "pioneer/timeline/timeline.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"
#include "pioneer/tools/exit_codes.h"

namespace pioneer::tools {
namespace {

struct TimelineArgs {
  std::string db;
  bool json = false;
  bool rebuild = false;
};

int RunTimeline(const TimelineArgs& a) {
  std::unique_ptr<store::Store> store = OpenStoreOrSay(a.db, "timeline");
  if (store == nullptr) return kExitUsage;
  auto start = std::chrono::steady_clock::now();
  // The fields every metric reads (default switches): the snapshot this command leaves is the
  // one `pioneer metrics` maps.
  auto sw = metrics::ResolveSwitches({});
  if (!sw.ok()) {
    std::fprintf(stderr, "pioneer timeline: %s\n", sw.status().ToString().c_str());
    return 3;
  }
  timeline::OpenOptions oo;
  oo.timeline = metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw));
  if (a.rebuild) {
    Status s = timeline::RefreshSnapshot(*store, a.db, oo, /*force=*/true);
    if (!s.ok()) {
      std::fprintf(stderr, "pioneer timeline: %s\n", s.ToString().c_str());
      return 2;
    }
  }
  auto t = timeline::OpenOrBuild(*store, a.db, oo);
  if (!t.ok()) {
    std::fprintf(stderr, "pioneer timeline: %s\n", t.status().ToString().c_str());
    return 2;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string out =
      a.json ? TimelineSummaryJson(*t, secs).dump(2) + "\n" : timeline::SummaryText(*t, secs);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}

}  // namespace

nlohmann::json TimelineSummaryJson(const timeline::Timeline& t, double build_seconds) {
  nlohmann::json sources = nlohmann::json::array();
  for (int s = 0; s < timeline::kSourceCount; ++s) {
    const auto& c = t.linkage(static_cast<timeline::Source>(s));
    sources.push_back({{"source", timeline::SourceName(static_cast<timeline::Source>(s))},
                       {"rows", c.rows},
                       {"linked", c.linked},
                       {"linked_by_trace", c.traced},
                       {"retraced", c.retraced},
                       {"missing_nhs_number", c.missing_number},
                       {"invalid_nhs_number", c.invalid_number},
                       {"linked_not_in_pds", c.not_in_pds},
                       {"undated", c.undated},
                       {"unplaced", c.unplaced}});
  }
  return {{"persons", t.person_count()},
          {"events", t.event_count()},
          {"unplaced_events", t.UnplacedRange().second - t.UnplacedRange().first},
          {"memory_bytes", t.MemoryBytes()},
          {"build_seconds", build_seconds},
          {"sources", sources}};
}

void RegisterTimelineCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<TimelineArgs>();
  auto* cmd = app.add_subcommand(
      "timeline", "Open (or build) the person timeline and report its size and linkage");
  AddDbOption(cmd, args->db)->required();
  cmd->add_flag("--json", args->json, "Machine-readable JSON");
  cmd->add_flag("--rebuild", args->rebuild,
                "Rebuild the snapshot (FILE.timeline) from the store even when it is current");
  cmd->callback([args, &exit_code] { exit_code = RunTimeline(*args); });
}

}  // namespace pioneer::tools
