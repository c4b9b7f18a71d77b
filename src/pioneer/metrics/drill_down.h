// Drill-down: the person-level source records behind one metric value's numerator.
//
// Information governance: drill-down reveals which records (so which people) a figure
// counts, so what a user gets is decided by the IG gate, person by person (docs/ig.md R24):
// DrillDown returns only the rows placed on people `who` may see (ig::Gate::OpenRecordOwners:
// a legitimate relationship or break-glass; never for analysts or IG officers), each person's
// access audited with the number of rows shown, and the rows withheld audited in one entry.
// A person who objects to sharing is withheld from a user of another organisation (the
// records a metric counts are not the user's organisation's own). The result says nothing
// about the rows withheld, so it cannot undo small-number suppression. Rows are store row ids
// of the definition's source table (never NHS Numbers); the caller reads them through the
// gate as any record.
//
// NumeratorRows is every row, ungated: the engines' own view, for code that compares or counts
// (the differential test); it discloses nothing to anyone by itself and no command prints it.
// Thread safety: as the engine used; the gate's (one thread at a time).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/ig/gate.h"
#include "pioneer/ig/principal.h"
#include "pioneer/metrics/engine.h"

namespace pioneer::metrics {

struct DrillDownRequest {
  std::string metric_id;
  LabelledPeriod period;
  Breakdown breakdown = Breakdown::kNone;
  std::string group;  // "" or "all" = every group
};

struct DrillDownResult {
  std::string source_table;      // e.g. "apc_episodes"
  std::vector<int64_t> row_ids;  // sorted; a composite's rows may repeat per component
};

// Every numerator row. Errors: kNotFound for an unknown metric; the engine's errors.
StatusOr<DrillDownResult> NumeratorRows(CountingEngine& engine, const SwitchValues& switches,
                                        const DrillDownRequest& request);

// The numerator rows `who` may see (above), audited under the action "metrics.drill-down".
// Errors: as NumeratorRows; the gate's store errors.
StatusOr<DrillDownResult> DrillDown(CountingEngine& engine, const SwitchValues& switches,
                                    const DrillDownRequest& request, ig::Gate& gate,
                                    const ig::Principal& who);

}  // namespace pioneer::metrics
