// RunMatch: what `pioneer match` does, as a library call (so it can be tested without the
// executable): read one CSV (dedupe) or two (link-only) through a column map, run
// LinkRecords, write the scored pairs and optional clusters, and build a readable summary.
//
// Output pairs CSV (--out), one row per candidate pair with p >= review threshold, ordered
// by (first record, second record) in input order:
//   id_l,id_r,match_weight,match_probability,decision,<comparison>...
// where each <comparison> column holds the level label the pair reached ("exact",
// "jw>=0.92", "null", ...). In link-only jobs id_l is from the first file, id_r from the
// second. Clusters CSV (--clusters): id,cluster_id (link-only: file,id,cluster_id, file 1
// or 2). Model JSON (--model-out): model.h ToJson.
//
// Nothing but record ids and column names ever appears in messages.
// Thread safety: one call at a time per output path.
#pragma once

#include <string>
#include <vector>

#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/link/csv_input.h"
#include "pioneer/link/evaluation.h"
#include "pioneer/link/linker.h"

namespace pioneer::link {

struct MatchOptions {
  std::vector<std::string> inputs;  // one file with dedupe, or two files
  bool dedupe = false;
  std::string map;        // --map text
  std::string id_column;  // --id
  std::string out_path;   // --out (required)
  std::string clusters_path;
  std::string model_out_path;
  std::vector<std::string> blocking_rules;  // --block (replace the defaults)
  double threshold = 0.5;
  double review_threshold = 0.05;
  int window = 100;
  int64_t u_max_pairs = 0;  // 0 = automatic (estimation.h)
  uint64_t seed = 42;
  int threads = 2;
  double deterministic_recall = 0;  // 0 = implied by the model
  int max_cluster_size = 1000;
  double min_bridge_share = 0.5;
  double birth_date_conflict_bits = 6;  // clustering's conflict guard (linker.h); 0 = off
  // Evaluation (optional): a ground-truth column, or truth taken from the record id as its
  // first run of digits (FEBRL ids: rec-<N>-org, rec-<N>-dup-<k> -> N).
  std::string truth_column;
  bool truth_from_id = false;
};

struct MatchSummary {
  std::vector<LoadedInput> inputs;
  LinkSettings settings;
  LinkResult result;
  int64_t records = 0;
  int64_t matches = 0, reviews = 0;
  bool evaluated = false;
  PairwiseMetrics pairwise;            // pairs with p >= threshold vs truth
  PairwiseMetrics cluster_pairwise;    // pairs implied by clusters vs truth
  BlockingCoverage blocking_coverage;  // true pairs the blocking rules generate
  ClusterMetrics cluster_metrics;      // people recovered as clusters
  double load_seconds = 0, write_seconds = 0;
};

StatusOr<MatchSummary> RunMatch(const MatchOptions& options, Progress* progress = nullptr);

// The end-of-run report: inputs, blocking, speed, m and u per level, a match-weight
// histogram, decisions, clusters, accuracy when evaluated.
std::string RenderMatchSummary(const MatchSummary& s);

}  // namespace pioneer::link
