// `pioneer link` as a library: NHS Number tracing of the records held in a store.
//
// LinkStore reads the master person index (the `pds` table: current rows plus history rows
// of earlier names and postcodes) and every person-level source table, then traces, in the
// MPS order of tracing.h, each record whose NHS Number is missing, invalid, not held by the
// index, or fails the cross-check (a valid number whose owner's date of birth disagrees).
// Which tables carry which person identifiers is declared on the extract specs (field roles,
// formats::FieldRole) and read by TraceSources(): today only social_care_events carries
// names and a date of birth; the other sources carry the NHS Number (and some a sex), so
// their coverage is reported but their gaps cannot be traced.
//
// Model: estimated without labels for this run (EstimateTraceModel: u from random pairs of
// the distinct source records x current index rows, m by EM, lambda from deterministic
// rules), on names, date of birth, sex and postcode - the NHS Number is left out of the
// probabilistic step, so a mis-keyed number never counts against the true person.
// Identical identifier tuples are traced once (a council client has many events).
//
// Persisted (one transaction, store schema version 2, docs/store.md):
//   link_runs     one row per run: counts and the estimated model as JSON;
//   record_links  one row per record that needed tracing and is not confirmed as it stands,
//                 keyed by (source_table, row_id): own_number_status (missing | invalid |
//                 not-in-index | conflict), traced_nhs_number, mps_step (1/3/4, 0 none),
//                 outcome (matched | review | no-match), decision (automatic | review |
//                 accepted | rejected | unmatched), match_weight / probability (step 4),
//                 reason_code, evidence (JSON: field names, levels, weights; candidates);
//                 link_id stays the same across runs for the same record (upsert), rows of
//                 records that no longer need a link are deleted. Re-running on the same
//                 store is idempotent: the same decisions, the same link ids.
//   link_reviews  clerical verdicts (link_review.h). A run respects them: a record whose
//                 proposed or candidate number was accepted is linked to it (decision
//                 `accepted`); one whose proposed number was rejected is not linked
//                 (`rejected`), even when the engine would match it automatically.
// Usable links (what the timeline places): store/record_links.h, the one rule.
//
// Information governance: progress, errors and the report hold table names, counts,
// field names, levels and weights only; never a name, date, postcode or NHS Number.
// Thread safety: LinkStore uses the store from the calling thread; tracing runs on
// `threads` workers.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/progress.h"
#include "pioneer/base/status.h"
#include "pioneer/base/version.h"
#include "pioneer/link/estimation.h"
#include "pioneer/link/model.h"
#include "pioneer/link/predict.h"
#include "pioneer/link/tracing.h"
#include "pioneer/store/store.h"

namespace pioneer::link {

// A person-level store table and the columns holding each canonical identifier
// ("" = the table does not carry it), from the field roles of its extract spec.
struct TraceSource {
  std::string_view table;
  std::string_view given_name;
  std::string_view family_name;
  std::string_view birth_date;
  std::string_view sex;
  std::string_view postcode;
  bool traceable() const { return !family_name.empty() && !birth_date.empty(); }
};
// Every person-level extract other than the master index, traceable ones first, each group
// in extract order (formats::AllExtracts).
const std::vector<TraceSource>& TraceSources();

struct StoreLinkOptions {
  TraceOptions trace;
  EstimationOptions estimation;
  int threads = 2;
  std::string pioneer_version{PioneerVersion()};  // recorded in link_runs
};

// Per source table, in records (rows).
struct SourceLinkCounts {
  std::string table;
  bool traceable = false;
  int64_t rows = 0;
  int64_t valid_before = 0;   // own NHS Number valid (the store's nhs_number_status)
  int64_t missing = 0;        // own number missing
  int64_t invalid = 0;        // own number present but invalid
  int64_t not_in_index = 0;   // valid, but no PDS person holds it
  int64_t conflict = 0;       // valid and held, but the cross-check failed
  int64_t confirmed = 0;      // valid and confirmed by tracing (or not traceable)
  int64_t automatic = 0;      // linked automatically (to a number other than its own)
  int64_t accepted = 0;       // linked by a reviewer's acceptance
  int64_t review = 0;         // waiting for clerical review
  int64_t rejected = 0;       // the proposed number was rejected by a reviewer
  int64_t unmatched = 0;      // traced, no match
  int64_t covered_after = 0;  // own valid number kept, or a usable link
  double coverage_before() const { return rows ? static_cast<double>(valid_before) / rows : 0; }
  double coverage_after() const { return rows ? static_cast<double>(covered_after) / rows : 0; }
};

struct StoreLinkReport {
  int64_t run_id = 0;
  int64_t index_persons = 0;
  int64_t index_history_rows = 0;
  int64_t distinct_queries = 0;  // distinct identifier tuples traced
  std::vector<SourceLinkCounts> sources;
  int64_t by_step[5] = {0, 0, 0, 0, 0};  // records needing a link, by MPS step (0 none)
  FellegiSunterModel model;
  EstimationReport estimation;
  WeightHistogram histogram;  // best match weight of records decided at step 4
  double match_probability = 0.95;
  int64_t scored_pairs = 0;     // (record, index instance) pairs scored at step 4
  double read_seconds = 0;      // index and source tables
  double estimate_seconds = 0;  // model estimation
  double trace_seconds = 0;     // indexing the MPI and tracing (threads as options)
  double write_seconds = 0;     // decisions persisted
  int threads = 2;
  double seconds = 0;
  bool model_estimated = false;
};

StatusOr<StoreLinkReport> LinkStore(store::Store& store, const StoreLinkOptions& options,
                                    Progress* progress = nullptr);

// The analyst's report (coverage before -> after, decisions, model, histogram) and JSON.
std::string StoreLinkReportText(const StoreLinkReport& report);
nlohmann::json StoreLinkReportJson(const StoreLinkReport& report);

// Model table (m, u, weight per level) and a match-weight histogram as text lines; shared
// by the reports of `pioneer link` and `pioneer match`.
std::string ModelTableText(const FellegiSunterModel& model);
std::string WeightHistogramText(const WeightHistogram& histogram, double threshold_weight);

}  // namespace pioneer::link
