// Accuracy of NHS Number tracing on a synthetic area, measured against its ground truth.
//
// An evaluation (ARCHITECTURE.md: only evaluations read a synthetic area's truth/ folder).
// For one person-level table (default social_care_events) it reads the table's records and
// their usable links from the store (record_links, decision automatic or accepted) and the
// truth file truth/record_truth.csv (file, record_id, true_nhs_number, fault): a record
// listed there has that true NHS Number; an unlisted record's own number is its true one.
//
//   coverage before   records whose own NHS Number is valid / records
//   coverage after    records with a usable number (own valid one kept, or a usable link) /
//                     records
//   needing a trace   records whose own number is missing, invalid or not the true one
//   correctly traced  of those, records whose usable number after linking is the true one
//   wrong links       usable links whose traced number is not the true one
//   wrong-link rate   wrong links / usable links
//
// Errors: kNotFound when the truth file or the table's id column is missing; kInvalidArgument
// for a malformed truth file (named with its line). Messages never hold NHS Numbers.
// Thread safety: uses the store from the calling thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::link {

struct TraceAccuracy {
  std::string table;
  int64_t records = 0;
  int64_t valid_before = 0;
  int64_t covered_after = 0;
  int64_t needing_trace = 0;
  int64_t correctly_traced = 0;
  int64_t usable_links = 0;
  int64_t wrong_links = 0;
  int64_t wrong_records_after = 0;  // records whose usable number after linking is wrong
  double coverage_before() const { return Share(valid_before, records); }
  double coverage_after() const { return Share(covered_after, records); }
  double share_correctly_traced() const { return Share(correctly_traced, needing_trace); }
  double wrong_link_rate() const { return Share(wrong_links, usable_links); }
  static double Share(int64_t n, int64_t d) {
    return d > 0 ? static_cast<double>(n) / static_cast<double>(d) : 0.0;
  }
};

StatusOr<TraceAccuracy> EvaluateTracingAgainstTruth(store::Store& store,
                                                    const std::string& area_dir,
                                                    std::string_view table = "social_care_events",
                                                    std::string_view id_column = "event_id");

}  // namespace pioneer::link
