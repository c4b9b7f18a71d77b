// Shard counts: what one process of a sharded metrics run hands to the merge, and the merge.
//
// A sharded run: process i of n counts the persons of shard i/n (analysis/person_shard.h) with
// CountStoreShard (run.h) and writes its ShardCounts (`pioneer metrics --shard i/n
// --counts-out FILE`); the merge reads every shard's file, checks that they are the shards of
// one run, adds their counts and evaluates once (`pioneer metrics --merge-counts FILE...`,
// EvaluateMergedCounts): the report equals an unsharded run's, value for value.
//
// File (JSON, one object):
//   {"format": "pioneer-metric-counts", "version": 1,
//    "shard": "1/3", "generation": "<the store generation's key>", "engine": "fast",
//    "release": "published", "breakdown": "none", "switches": {name: value, ...},
//    "periods": [{"label": "2014/15", "range": "2014-04-01..2015-03-31"}, ...],
//    "metric_ids": [...] (the selection; [] every metric),
//    "counts": {metric_id: [[period, group, esp_band, sex, n], ...], ...}}
// Information governance: counts are aggregates, but unsuppressed (small numbers are kept so
// that shards add up exactly); disclosure control is applied once, by the merge. A counts
// file is a working file as sensitive as the store: keep it beside the store, never publish
// it (docs/ig.md). It holds no NHS Number or other identifier.
// Errors: ShardCountsFromJson returns kInvalidArgument naming the file and the key;
// MergeShardCounts kInvalidArgument naming the file that does not belong (another run's
// settings or store generation, a repeated or missing shard).
// Thread safety: plain values and pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pioneer/analysis/person_shard.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/engine.h"
#include "pioneer/metrics/evaluate.h"

namespace pioneer::metrics {

struct ShardCounts {
  analysis::PersonShard shard;
  std::string generation;  // store::StoreGeneration::Key() of the store counted
  std::string engine = "fast";
  std::string release = "published";  // ig::AggregateRelease::basis() of the counting
  Breakdown breakdown = Breakdown::kNone;
  SwitchValues switches;  // resolved
  std::vector<LabelledPeriod> periods;
  std::vector<std::string> metric_ids;  // the selection (empty: every metric)
  MetricCounts counts;
};

nlohmann::json ShardCountsToJson(const ShardCounts& c);
// `file` names the source in errors.
StatusOr<ShardCounts> ShardCountsFromJson(const nlohmann::json& j, const std::string& file);
// Reads and parses a counts file.
StatusOr<ShardCounts> ReadShardCounts(const std::string& file);

// The shards of one run merged: every part must have the settings of the first (generation,
// engine, release, breakdown, switches, periods, metric ids) and the same shard count n, and
// the parts must be shards 0..n-1, each once. The result is shard 0/1 (the whole) with the
// counts added. `files` (same order as `parts`) name the parts in errors.
StatusOr<ShardCounts> MergeShardCounts(const std::vector<ShardCounts>& parts,
                                       const std::vector<std::string>& files);

}  // namespace pioneer::metrics
