#include "pioneer/metrics/engine.h"

namespace pioneer::metrics {

std::string AgeBandLabel(int age) {
  for (const auto& [lo, hi] : AgeBands()) {
    if (age >= lo && age <= hi) {
      return hi >= 200 ? std::to_string(lo) + "+" : std::to_string(lo) + "-" + std::to_string(hi);
    }
  }
  return "unknown";
}

std::string SexLabel(int sex) { return sex == 1 ? "male" : sex == 2 ? "female" : "unknown"; }

}  // namespace pioneer::metrics
