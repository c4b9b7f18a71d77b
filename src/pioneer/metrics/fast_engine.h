// FastEngine: evaluates metric definitions over the in-memory person timeline.
//
// The definition's predicate is compiled once per call into field-column indices, sets of
// interned string ids (kIn) and per-string memo tables (kPrefix), then every event of the
// definition's source is tested in one pass over the timeline's columns. The engine indexes
// each source's events per person on first use (one pass over the events; 4 bytes per event
// plus 4 per person per source used), so a definition over APC episodes never steps over GP
// events.
// REQUIRES: the timeline was built with RequiredTimelineOptions(catalogue) (or a superset);
// Count returns kInvalidArgument naming a field that was not loaded.
// Thread safety: const timeline shared; one FastEngine per thread.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "pioneer/analysis/person_shard.h"
#include "pioneer/metrics/engine.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::metrics {

// The attribute fields every definition in `catalogue` reads, plus those the breakdowns need.
timeline::TimelineOptions RequiredTimelineOptions(const std::vector<MetricDefinition>& catalogue);

class FastEngine : public CountingEngine, public PersonTableEngine {
 public:
  // `timeline` and `reference` must outlive the engine.
  FastEngine(const timeline::Timeline& timeline, const ReferenceData& reference)
      : t_(timeline), ref_(reference) {}
  std::string name() const override { return "fast"; }
  StatusOr<Counts> Count(const MetricDefinition& def, const Expr& predicate,
                         const CountRequest& request) override;
  // Counts (and NumeratorRows) then read only the persons of `shard`, and the records placed
  // on no person only when it holds them (analysis/person_shard.h): the counts of the shards
  // of one count add up to the whole's (metrics/shard_counts.h). Person tables are not
  // sharded. REQUIRES: called before the first Count.
  void SetShard(const analysis::PersonShard& shard) { shard_ = shard; }
  // Builds the source indexes; Count is then safe from several threads.
  bool PrepareConcurrentCount() override { return Indexes().ok(); }
  StatusOr<std::vector<int64_t>> NumeratorRows(const MetricDefinition& def, const Expr& predicate,
                                               const LabelledPeriod& period, Breakdown breakdown,
                                               const std::string& group) override;
  // The per-person table of `spec` (person_table.h), over the timeline: the population and
  // every column are evaluated person by person with the compiled predicates Count uses.
  StatusOr<PersonTable> BuildPersonTable(const PersonTableSpec& spec) override;

  // BuildPersonTable's values per person, before they are gathered into rows in NHS Number
  // order: for every timeline person p, in_population[p], and for column k of the spec
  // values[p * columns + k] (a kText column: the string id, in the timeline's strings()),
  // null when null[p * columns + k] != 0. For callers that read people in timeline order
  // (a cohort builder, without the gather). Errors as BuildPersonTable.
  struct PersonCells {
    size_t columns = 0;
    std::vector<uint8_t> in_population;
    std::vector<int64_t> values;
    std::vector<uint8_t> null;
  };
  StatusOr<PersonCells> BuildPersonCells(const PersonTableSpec& spec);

  // The events of one source in timeline order (indices into events()), and for each person
  // p the range [first[p], first[p + 1]) of that list holding p's events.
  // duplicate[attr_row] != 0: the event is a surplus copy of an exact duplicate row
  // (ReferenceData::duplicate_rows) and is never counted; empty when the source has none.
  // unplaced: the source's events placed on no person (Timeline::UnplacedRange), in order.
  struct SourceIndex {
    std::vector<uint32_t> events;
    std::vector<uint32_t> first;
    std::vector<uint32_t> unplaced;
    std::vector<uint8_t> duplicate;
  };

 private:
  // Every source's index (array of kSourceCount), built on first use in one pass.
  StatusOr<const SourceIndex*> Indexes();

  const timeline::Timeline& t_;
  const ReferenceData& ref_;
  bool indexed_ = false;
  std::array<SourceIndex, timeline::kSourceCount> index_;
  std::vector<uint8_t> objecting_;  // per person: in ReferenceData::objecting (empty: nobody)
  analysis::PersonShard shard_;
};

}  // namespace pioneer::metrics
