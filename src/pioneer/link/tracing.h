// NHS Number tracing against an in-memory master person index (MPI), in the order NHS
// England's Master Person Service uses (spec section 5.2), stopping at the first step
// that decides:
//
//  1. Cross-check. The query's NHS Number is valid (Modulus 11, not a repeated digit) and
//     held by an MPI person. No date of birth in the query: match only if it has both names
//     and the name check below passes, and - when it has a postcode - the outcode check
//     too; otherwise tracing continues. Date of birth exact -> match. If the dates agree only
//     partially (at least two of day/month/year, allowing day-month swap, swapped day
//     digits and swapped last two year digits - birth_date.h CompareForTrace) or the query
//     date is partial (year, year-month) and agrees as far as given, a name check is also
//     needed: first letter of the given name AND first three letters of the family name,
//     against current or historic names; if the query has no names, an outcode check
//     (postcode district against current or historic postcodes) instead. Anything else is
//     a conflict: the number is probably mis-keyed, so tracing continues and the conflict
//     is recorded as evidence (the number's owner is still offered to step 3).
//  2. Alphanumeric. Needs family name, birth year and sex. MPI persons whose family-name
//     Soundex (current or historic) equals the query's, with the same sex, the same date
//     of birth (a partial query date matches as given), and - when the query gives them -
//     the same postcode (current or historic, normalised) and given-name Soundex (current
//     or historic). Exactly one survivor -> match; none or several -> step 3.
//  3. Probabilistic. Candidates come from the four MPS blocks over current and historic
//     values: (Soundex family, Soundex given, birth date), (Soundex family, sex, birth
//     date, postcode), (Soundex given, sex, birth date, postcode), (birth date, postcode,
//     sex); then, beyond MPS, for queries whose date of birth is missing or wrong, whose
//     postcode is missing or has moved, or whose names are swapped or changed: (Soundex
//     family, Soundex given, postcode district), (Soundex family, Soundex given, birth
//     year), (name pair, postcode district), (name pair, birth date), (birth date); plus
//     the NHS Number's owner from step 1 if any; at most max_candidates, those hitting most
//     blocks first (then MPI order). Each candidate is scored with the
//     Fellegi-Sunter model against every instance (current and each history row) and
//     keeps its best. The best candidate is accepted automatically only if its match
//     probability >= match_probability AND its weight exceeds the runner-up's by at least
//     min_weight_gap bits AND the query has a date of birth AND neither its given nor its
//     family name disagrees outright (the comparison's "else" level). Two candidates closer
//     than the gap are ambiguous and go to clerical review, never auto-accepted (MPS
//     refuses within 5 points). A query without a date of birth is never linked
//     automatically (PDS searches need one): its best candidate goes to review when its
//     probability >= review_probability - except when that candidate, clear of the
//     runner-up, holds the query's own NHS Number, which then stands
//     ("probabilistic-number-agrees"). A best candidate with probability >=
//     review_probability (or an ambiguous pair) -> review; else no match.
//
// Every decision records the step that made it, whether it is automatic or needs review,
// the evidence (per-field levels and weights, date agreement, name check) and, for step 3,
// the best and runner-up weights.
//
// Information governance: decisions carry the matched NHS Number (the output) but evidence
// strings never hold names, dates or numbers - only field names, levels and weights.
// Thread safety: a Tracer is immutable after Create; Trace and TraceAll are const and may
// run concurrently.
#pragma once

#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/link/blocking.h"
#include "pioneer/link/estimation.h"
#include "pioneer/link/model.h"
#include "pioneer/link/person_record.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

// A previous value of a PDS person (empty fields = not part of this history row).
struct MpiHistory {
  std::string family_name;
  std::string given_name;
  std::string postcode;
};

// One PDS-style person: current values plus history rows.
struct MpiPerson {
  std::string nhs_number;
  std::string family_name;
  std::string given_name;
  std::string sex;         // "1"/"2"/"M"/"F"/...
  std::string birth_date;  // YYYY-MM-DD or YYYYMMDD
  std::string postcode;
  std::vector<MpiHistory> history;
};

// MPS MatchedAlgorithmIndicator numbering.
enum class TraceStep : int { kNone = 0, kCrossCheck = 1, kAlphanumeric = 3, kProbabilistic = 4 };
enum class TraceOutcome { kNoMatch, kReview, kMatched };
const char* TraceStepName(TraceStep s);        // "none", "cross-check", ...
const char* TraceOutcomeName(TraceOutcome o);  // "no-match", "review", "matched"

struct FieldEvidence {
  std::string comparison;  // e.g. "family_name"
  std::string level;       // e.g. "jw>=0.92"
  double weight = 0;       // level weight plus term-frequency adjustment
};

struct TraceCandidate {
  uint32_t person = 0;  // index into the MPI vector
  int blocks_hit = 0;
  double weight = 0;
  double probability = 0;
  bool name_disagrees = false;        // given or family name at the "else" level
  std::vector<FieldEvidence> fields;  // of the best-scoring instance
};

struct TraceDecision {
  TraceOutcome outcome = TraceOutcome::kNoMatch;
  bool automatic = false;  // true only for kMatched
  TraceStep step = TraceStep::kNone;
  std::string reason;                      // short code, e.g. "cross-check-exact", "ambiguous"
  int64_t person = -1;                     // MPI index of the matched / proposed person
  std::string nhs_number;                  // of that person ("" when none)
  double weight = NAN;                     // step 3: best weight
  double probability = NAN;                // step 3: best probability (1 for steps 1-2)
  double runner_up_weight = NAN;           // step 3: second-best weight
  std::vector<std::string> evidence;       // readable, no record contents
  std::vector<TraceCandidate> candidates;  // step 3: scored candidates, best first (top 5)
  int64_t scored_pairs = 0;  // step 3: (query, index instance) pairs scored by the model
};

struct TraceOptions {
  double match_probability = 0.95;
  double review_probability = 0.5;
  double min_weight_gap = 5.0;  // bits
  int max_candidates = 50;
};

class Tracer {
 public:
  // Errors: an MPI person without a valid NHS Number, or two persons with the same number
  // (named by MPI index, never by number); a model without comparisons.
  static StatusOr<Tracer> Create(const std::vector<MpiPerson>& mpi, FellegiSunterModel model,
                                 TraceOptions options = {});

  TraceDecision Trace(const PersonRecord& query) const;
  std::vector<TraceDecision> TraceAll(std::span<const PersonRecord> queries, int threads = 2) const;

  const RecordSet& rows() const { return rows_; }  // one row per person instance
  size_t persons() const { return persons_; }
  const FellegiSunterModel& model() const { return model_; }

 private:
  Tracer() = default;
  void CrossCheck(const RecordSet& q, TraceDecision* d, int64_t* owner) const;
  bool Alphanumeric(const RecordSet& q, TraceDecision* d) const;
  void Probabilistic(const RecordSet& q, int64_t owner, TraceDecision* d) const;
  bool NameCheck(const RecordSet& q, uint32_t person) const;
  bool OutcodeCheck(const RecordSet& q, uint32_t person) const;

  size_t persons_ = 0;
  RecordSet rows_;                   // instances; entity = person
  std::vector<uint32_t> first_row_;  // person -> first instance row (+ sentinel)
  std::vector<std::string> nhs_;     // person -> NHS Number digits
  std::unordered_map<std::string, uint32_t> by_nhs_;
  std::unordered_map<uint64_t, std::vector<uint32_t>> by_soundex_year_;  // -> rows
  std::vector<BlockingRule> blocks_;
  std::vector<std::unordered_map<uint64_t, std::vector<uint32_t>>> block_rows_;
  FellegiSunterModel model_;
  TraceOptions options_;
};

// Estimates a model for tracing `queries` against `mpi` without labels: a link-only job
// between the queries (source 0) and the current MPI rows (source 1), see estimation.h.
StatusOr<FellegiSunterModel> EstimateTraceModel(const std::vector<MpiPerson>& mpi,
                                                std::span<const PersonRecord> queries,
                                                const EstimationOptions& options = {},
                                                EstimationReport* report = nullptr);

}  // namespace pioneer::link
