// The demo pipeline: the README's main command (`pioneer demo`) as library code.
//
// Runs the whole chain on a synthetic area, so a newcomer sees Pioneer working end to end:
//   1 synthetic area (OUT/extracts, ground truth in extracts/truth/)
//   2 ingest into OUT/pioneer.db, and the area's joint care plans
//   3 NHS Number tracing (`pioneer link`), measured against the truth files
//   4 the person timeline (written as the store's snapshot, OUT/pioneer.db.timeline)
//   5 data quality (OUT/quality.{txt,json,html}), with the metrics' reference data loaded
//     alongside on a second connection and thread
//   6 risk stratification: trained two years into the window, evaluated a year later, strata
//     saved to the store (OUT/risk/)
//   7 every BCF metric by month, quarter and year (OUT/metrics.json), the national-condition
//     metrics re-counted from the strata step 6 saved
//   8 the BCF plan report (report/plan_report.h) for the plan (OUT/report/)
// Nothing is done twice: one analysis context (one timeline, one load of the reference data)
// serves steps 4-8. The demo owns OUT/extracts and OUT/pioneer.db (with its snapshot and
// audit file) and recreates them on each run, so repeated runs never mix two areas.
//
// What the terminal shows goes through a DemoObserver, so the caller decides where it goes.
// Errors: a failed step returns its Status with "<step> failed: " before the message (the
// code kept); kUnavailable when an output cannot be written. A run whose files do not
// reconcile (rows read = accepted + quarantined) returns OK with DemoRun::not_reconciled set.
// Thread safety: one run at a time per output folder.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pioneer/analysis/context.h"
#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::demo {

struct DemoOptions {
  int64_t population = 800000;
  uint64_t seed = 2014;
  std::string out_dir = "demo-out";
  // The plan of step 8: a plan file, or (when empty) `builtin_plan`, written to
  // OUT/demo-plan.toml so that the run works from any directory.
  std::string plan_file;
  std::string builtin_plan;
};

class DemoObserver {
 public:
  virtual ~DemoObserver() = default;
  // Terminal text: whole lines, in order (step headings, summaries, tables).
  virtual void Say(const std::string& text) = 0;
  // Side notes (stages of a long step); whole lines.
  virtual void Note(const std::string& text) = 0;
  // A progress bar for "synth", "ingest" or "link"; nullptr for none.
  virtual std::unique_ptr<Progress> Bar(std::string_view kind) = 0;
};

struct DemoRun {
  std::string extracts, db, plan_file;                // the paths used
  std::string plan_xlsx, plan_html;                   // step 8's outputs
  std::vector<std::pair<std::string, double>> steps;  // wall seconds of each step
  double seconds = 0;                                 // the whole run
  std::vector<std::string> not_reconciled;            // extract files that do not reconcile
  // The store and its analysis context (timeline, reference data), open for what comes next
  // (`pioneer demo --serve`).
  std::unique_ptr<store::Store> store;
  std::unique_ptr<analysis::AnalysisContext> context;
};

StatusOr<DemoRun> RunDemo(const DemoOptions& options, DemoObserver& observer);

}  // namespace pioneer::demo
