// Care Trak: follow a cohort across health and social care by NHS Number and estimate what an
// intervention changed, against a matched comparison group (docs/caretrak.md).
//
// Evaluate(cohort, enrolment list, activity context) does, in order:
//  1. The cohort: enrolled people on the timeline, alive on their index date (the enrolment
//     date), aged min_age..max_age then. Every enrolled index date must leave look_back
//     months of data before it and follow_up months after it, else the whole evaluation is
//     refused (kInvalidArgument saying how many dates fall outside and the limits).
//  2. Candidates for the comparison group: people never enrolled, with the same index-date
//     logic. With control_index emergency_discharge (chosen by "auto" when at least half of
//     the cohort was enrolled within 30 days after an emergency discharge), a candidate row
//     is each emergency discharge of a non-enrolled person plus the cohort's median lag from
//     discharge to enrolment, inside the cohort's range of index dates (not readmitted in
//     between); otherwise each
//     eligible non-enrolled person gets one of the cohort's index dates (chosen by a hash of
//     the person, so deterministic). People enrolled later are candidates before their own
//     enrolment and are followed for the whole follow-up (evaluation.cc says why).
//  3. Pre-index features for every row (age, sex, deprivation, long-term conditions,
//     activity in each setting in the 12 months before, emergency admissions 13-24 months
//     before as the trend, days since the last emergency discharge, cost), a propensity score
//     and 1:k matching (matching.h: k = cohort.controls_per_case, exact on age band, sex and
//     emergency admissions in the year before, caliper on the logit; a comparison person may
//     serve at several index dates unless cohort.reuse_controls is false). A cohort member's
//     k comparison rows are averaged (events and exposure) and weigh 1/k each in the balance.
//  4. Balance (standardised mean differences before and after matching, per feature), and for
//     each outcome the monthly rates of both groups, the difference-in-differences
//     (regression-adjusted on every feature's difference within the matched set unless
//     cohort.regression_adjustment is false) with bootstrap 95% intervals over clusters of
//     matched sets sharing a person, and the naive before/after (estimate.h).
// Too few matched pairs (< min_cohort) is an error (kInvalidArgument: too small to match);
// fewer than reliable_cohort sets `reliable` false, and the report says so.
// Information governance: an Evaluation holds aggregates only (no person indexes, numbers or
// dates of individuals).
// Thread safety: Evaluate is a pure function of its inputs; progress runs on the caller's
// thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/caretrak/activity.h"
#include "pioneer/caretrak/cohort.h"
#include "pioneer/caretrak/enrolment.h"
#include "pioneer/caretrak/estimate.h"
#include "pioneer/risk/risk_inputs.h"

namespace pioneer::caretrak {

struct BalanceRow {
  std::string feature;
  double treated_mean = 0;     // matched cohort
  double candidates_mean = 0;  // every candidate row, before matching
  double matched_mean = 0;     // matched comparison group
  double smd_before = 0;       // whole cohort vs every candidate row
  double smd_after = 0;        // matched cohort vs matched comparison group
};

struct OutcomeEstimate {
  Measure measure = kNonElectiveAdmissions;
  DidEstimate did;
  // Mean per person per month alive, months -look_back .. follow_up-1.
  std::vector<double> treated_monthly, control_monthly;
};

struct Evaluation {
  CohortDefinition cohort;
  Date data_start, data_end;
  std::string price_year;
  // The enrolment list.
  int64_t enrolment_rows = 0, unknown_nhs_number = 0, bad_rows = 0, duplicates = 0;
  int64_t excluded_age = 0, excluded_dead = 0;
  // care_plan_created only: plans starting too early for the look-back or too late for the
  // follow-up (a register holds such plans; an enrolment list with them is refused instead).
  int64_t excluded_outside_data_window = 0;
  int64_t cohort_size = 0;  // eligible enrolled people
  // The comparison.
  ControlIndex control_index = ControlIndex::kAuto;  // the logic used (never kAuto)
  double crisis_share = 0;  // enrolled within 30 days after an emergency discharge
  int control_lag_days = 0;
  int64_t candidate_rows = 0, candidate_people = 0;
  double caliper = 0;                  // on the logit of the propensity score
  int64_t matched = 0, unmatched = 0;  // cohort members with a comparison set, without
  int controls_per_case = 1;           // k of 1:k matching
  int64_t comparison_rows = 0;         // comparison rows used (<= k x matched)
  int64_t matched_same_practice = 0;   // pairs registered with the same GP practice
  // Comparison people enrolled during their follow-up (kept, not censored), and the share of
  // the comparison group's follow-up after their own enrolment (dilutes the effect).
  int64_t controls_enrolled_later = 0;
  double control_followup_enrolled_share = 0;
  // Distinct people in the matched comparison group (fewer than `matched` when people serve
  // at several index dates), and the clusters of pairs the bootstrap resamples (pairs sharing
  // a person, as a comparison or as a cohort member, form one cluster).
  int64_t control_people = 0;
  int64_t bootstrap_clusters = 0;
  bool reliable = false;
  std::vector<BalanceRow> balance;
  std::vector<OutcomeEstimate> outcomes;  // in cohort.outcomes order
  // Wall seconds of each stage (features, propensity score, matching, estimates), for
  // progress output and bench/caretrak_bench.sh; not part of the results.
  std::vector<std::pair<std::string, double>> stage_seconds;
};

// The matching's inputs and result, for bench/caretrak_bench.sh and external checks of the
// matching: one entry per row (cohort rows first, then candidate rows). No identifiers, dates
// or outcomes: `group` is the person's index in this run's timeline. control[i] is the first
// comparison row of a cohort row (-1: none; k-th with 1:k in controls_of of the match).
struct MatchingTable {
  std::vector<uint8_t> treated;
  std::vector<int32_t> stratum;
  std::vector<uint32_t> group;
  std::vector<double> logit;
  std::vector<int64_t> control;
  double caliper = 0;
};

using EvalProgress = std::function<void(std::string_view stage, int64_t done, int64_t total)>;

// `table` (optional): filled with the matching table.
StatusOr<Evaluation> Evaluate(const CohortDefinition& cohort, const EnrolmentList& enrolment,
                              const ActivityContext& activity, const risk::RiskInputs& inputs,
                              const EvalProgress& progress = {}, MatchingTable* table = nullptr);

}  // namespace pioneer::caretrak
