// Drill-down: the person-level source records behind one metric value's numerator.
//
// Information governance: drill-down reveals record identities, so every request passes an
// AccessGate first. Until the IG layer exists the only gate is UngatedForDevelopment, which
// allows everything and is named so that its use is visible in review; the IG issue will
// supply a gate that checks the user's role and legitimate relationship. Rows are returned
// as store row ids of the definition's source table (never NHS Numbers), so callers resolve
// them through the store under the same gate.
// Thread safety: as the engine used.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "pioneer/metrics/engine.h"

namespace pioneer::metrics {

struct DrillDownRequest {
  std::string metric_id;
  LabelledPeriod period;
  Breakdown breakdown = Breakdown::kNone;
  std::string group;      // "" or "all" = every group
  std::string requester;  // who asks (audit)
  std::string purpose;    // why (audit, IG)
};

struct DrillDownResult {
  std::string source_table;      // e.g. "apc_episodes"
  std::vector<int64_t> row_ids;  // sorted; a composite's rows may repeat per component
};

class AccessGate {
 public:
  virtual ~AccessGate() = default;
  // OK to proceed, or kFailedPrecondition / kInvalidArgument explaining the refusal.
  virtual Status Authorise(const DrillDownRequest& request) = 0;
};

// Allows every request. For development and tests only (no IG layer yet).
class UngatedForDevelopment : public AccessGate {
 public:
  Status Authorise(const DrillDownRequest&) override { return OkStatus(); }
};

// Errors: the gate's refusal; kNotFound for an unknown metric; the engine's errors.
StatusOr<DrillDownResult> DrillDown(CountingEngine& engine, const SwitchValues& switches,
                                    const DrillDownRequest& request, AccessGate& gate);

}  // namespace pioneer::metrics
