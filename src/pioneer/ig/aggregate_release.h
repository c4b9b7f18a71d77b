// AggregateRelease: what an aggregate output for secondary use may contain, as the IG gate
// decided it from who asks and why (docs/ig.md, rule R23).
//
// Secondary-use outputs (the BCF metrics, the plan report's workbook and dashboard) count
// people and records. Two protections apply to them:
//   * small-number disclosure control: counts of 1-7 suppressed, the rest rounded to 5, and
//     every rate and interval derived from the published counts (metrics/evaluate.h);
//   * objections: people who objected to the use of their records beyond their own care are
//     left out of every count.
// Published() is what every caller gets without asking: both protections on. A release with
// either protection off exists only when Gate::ReleaseAggregates granted it: an IG officer
// (the data controller's information-governance function), signed in as themselves, with a
// recorded reason, for reconciling the figures with the source systems; the grant is in the
// audit trail. There is no switch, flag or constructor that turns a protection off otherwise.
//
// The release is a plain value once granted: it carries the decision and how it was reached
// (basis()), which outputs print beside the figures so a reader knows what they hold.
// Thread safety: a plain value.
#pragma once

#include <string>
#include <utility>

namespace pioneer::ig {

class Gate;

class AggregateRelease {
 public:
  // Both protections on: what anyone may publish.
  static AggregateRelease Published() { return AggregateRelease(true, true, "published"); }

  bool suppress_small_numbers() const { return suppress_small_numbers_; }
  bool exclude_objectors() const { return exclude_objectors_; }
  // True when both protections are on.
  bool published() const { return suppress_small_numbers_ && exclude_objectors_; }
  // "published", or how a less protected release was granted, e.g. "reconciliation granted to
  // ig_officer 'iris' (audit entry 42): small numbers shown". Names no person.
  const std::string& basis() const { return basis_; }

 private:
  friend class Gate;
  AggregateRelease(bool suppress_small_numbers, bool exclude_objectors, std::string basis)
      : suppress_small_numbers_(suppress_small_numbers),
        exclude_objectors_(exclude_objectors),
        basis_(std::move(basis)) {}

  bool suppress_small_numbers_;
  bool exclude_objectors_;
  std::string basis_;
};

// What a caller asks the gate for (Gate::ReleaseAggregates).
struct AggregateRequest {
  bool show_small_numbers = false;  // no suppression or rounding
  bool include_objectors = false;   // count people who objected to secondary use
  std::string reason;               // why (recorded in the audit trail)
  std::string output;               // what will be produced, e.g. "pioneer metrics"
};

}  // namespace pioneer::ig
