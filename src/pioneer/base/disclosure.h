// Small-number disclosure control for counts published in commissioning outputs (NHS Digital
// and ONS practice, as the metrics apply it: docs/metrics.md "Disclosure control"): a count
// of 1-7 is suppressed; any other count is rounded to the nearest 5. Shares and rates are
// then computed from the published counts, never from the exact ones.
// Thread safety: pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>

namespace pioneer {

inline constexpr int64_t kSuppressBelow = 8;  // 1..7 suppressed; 0 is published as 0

// The published form of `count`: nullopt when suppressed.
inline std::optional<int64_t> PublishedCount(int64_t count) {
  if (count > 0 && count < kSuppressBelow) return std::nullopt;
  return static_cast<int64_t>(std::llround(static_cast<double>(count) / 5.0) * 5);
}

}  // namespace pioneer
