// The clerical review queue of NHS Number tracing (`pioneer link review`).
//
// Grey-zone decisions - record_links rows with decision 'review' (a best candidate below
// the automatic threshold, or two candidates within the weight gap) - are listed with their
// evidence side by side: for each candidate (best first), the level and weight reached on
// every compared field, the candidate's total weight and probability. Values (names, dates,
// postcodes, NHS Numbers) are never part of the listing: a reviewer compares levels here and
// looks the records up in the source systems they are entitled to see.
//
// A verdict (accept candidate k, default the proposed one; or reject the proposal) is
// recorded in link_reviews with who and when (UTC), keyed by (source_table, row_id, NHS
// Number), and applied to record_links at once (decision 'accepted' / 'rejected'). Later
// `pioneer link` runs respect it (store_link.h). Deciding again on the same item replaces
// the earlier verdict; accepting one candidate withdraws an earlier acceptance of another
// for the same record.
//
// Errors: kNotFound for an unknown link id; kFailedPrecondition for an item that is not in
// review (an automatic or unmatched decision) or a candidate number that does not exist;
// kInvalidArgument for an empty reviewer name.
// Thread safety: uses the store from the calling thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::link {

struct ReviewCandidateEvidence {
  double weight = 0;
  double probability = 0;
  int blocks_hit = 0;
  std::vector<std::pair<std::string, std::string>> levels;  // comparison -> level
  std::vector<double> field_weights;
};

struct ReviewItem {
  int64_t link_id = 0;
  std::string source_table;
  int64_t row_id = 0;
  std::string own_number_status;
  int mps_step = 0;
  std::string reason_code;
  std::string decision;       // review, or accepted / rejected when listing decided items
  double runner_up_gap = -1;  // bits between best and runner-up (-1: no runner-up)
  std::vector<ReviewCandidateEvidence> candidates;
  std::string decided_by;  // for decided items
  std::string decided_at;
};

// Items waiting for review (decision 'review'), or with `include_decided` also those a
// reviewer accepted or rejected; ordered by link id.
StatusOr<std::vector<ReviewItem>> ListReviewItems(store::Store& store,
                                                  bool include_decided = false);
std::string ReviewItemsText(const std::vector<ReviewItem>& items);
nlohmann::json ReviewItemsJson(const std::vector<ReviewItem>& items);

struct ReviewVerdict {
  int64_t link_id = 0;
  bool accept = false;
  int candidate = 1;  // 1 = the proposed (best) candidate
  std::string reviewer;
};

// Records and applies a verdict. Returns the new decision ("accepted" / "rejected").
StatusOr<std::string> DecideReview(store::Store& store, const ReviewVerdict& verdict);

}  // namespace pioneer::link
