// The engine contract: count the records of a definition's numerator, by period and group.
//
// Engines only count; rates, standardisation, composites and disclosure control are computed
// once, from the counts, by Evaluate (evaluate.h). Two engines implement this contract
// independently and must agree exactly (tests/integration/metrics_differential_test.cc):
//   FastEngine       interprets the definition over the in-memory person timeline;
//   SqlEngine        renders the definition to SQL and lets SQLite run it on the store.
// Both count only records placed on the person timeline (a valid NHS Number); records
// without one wait for linkage (ARCHITECTURE.md) and are reported by the quality module.
//
// Counting unit: one record (APC first episode = one admission) per cell. A record is in
// period p when its definition.period_field date lies in p (periods may overlap); its group
// follows the requested breakdown, computed from the record's own fields:
//   none "all"; sex "male"/"female"/"unknown"; age_band "0-17".."85+" from the age field
//   (7001-7007 = 0, missing "unknown"); practice = gp_practice_code ("unknown" if empty);
//   ccg = the practice's parent_code in organisations ("unallocated"); deprivation = the
//   IMD decile of the record's LSOA in the lsoa table ("unallocated").
// Each cell also carries the ESP2013 5-year band (-1 when the age is missing) and the sex
// (1, 2, or 0 for anything else) so that Evaluate can standardise.
// Thread safety: an engine is used from one thread at a time.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/definition.h"

namespace pioneer::metrics {

struct LabelledPeriod {
  std::string label;  // "2014-10", "2014/15 Q3", "2014/15"
  Period period;
};

struct CountRequest {
  std::vector<LabelledPeriod> periods;
  Breakdown breakdown = Breakdown::kNone;
};

struct CellKey {
  int period = 0;     // index into CountRequest::periods
  std::string group;  // see above
  int esp_band = -1;  // 0..18, -1 unknown age
  int sex = 0;        // 1, 2, or 0
  friend auto operator<=>(const CellKey&, const CellKey&) = default;
};
using Counts = std::map<CellKey, int64_t>;

// Group label of an age (already mapped 7001-7007 -> 0) for Breakdown::kAgeBand.
std::string AgeBandLabel(int age);
std::string SexLabel(int sex);

class CountingEngine {
 public:
  virtual ~CountingEngine() = default;
  virtual std::string name() const = 0;
  // Counts records satisfying `predicate` (a definition's EffectivePredicate) with the
  // definition's period, age and sex fields. kInvalidArgument for fields the data lacks.
  virtual StatusOr<Counts> Count(const MetricDefinition& def, const Expr& predicate,
                                 const CountRequest& request) = 0;
  // true when, after this call, Count may run on several threads at once (Evaluate then
  // counts independent definitions in parallel); false (the default) keeps one thread.
  virtual bool PrepareConcurrentCount() { return false; }
  // Source row ids (store rowids of def.source) of the records counted in one cell group:
  // those in `period` and, unless group is empty, in `group` of `breakdown`. Sorted.
  virtual StatusOr<std::vector<int64_t>> NumeratorRows(const MetricDefinition& def,
                                                       const Expr& predicate,
                                                       const LabelledPeriod& period,
                                                       Breakdown breakdown,
                                                       const std::string& group) = 0;
};

}  // namespace pioneer::metrics
