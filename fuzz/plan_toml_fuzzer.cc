// Fuzz target: bytes as a BCF plan file. A plan that reads is validated (including the range
// checks) and written back as canonical TOML; that text must read again (plan_writer.h:
// the same content), which checks as: written once more, it is the same text.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "pioneer/plan/plan_reader.h"
#include "pioneer/plan/plan_writer.h"
#include "pioneer/plan/validator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto plan = pioneer::plan::ParsePlan(text, "fuzz.toml");
  if (!plan.ok()) return 0;
  auto findings = pioneer::plan::ValidatePlan(*plan);
  (void)findings;
  std::string canonical = pioneer::plan::WritePlanToml(*plan);
  auto again = pioneer::plan::ParsePlan(canonical, "canonical.toml");
  if (!again.ok()) {
    std::fprintf(stderr, "the canonical text does not read: %s\n",
                 again.status().ToString().c_str());
    std::abort();
  }
  if (pioneer::plan::WritePlanToml(*again) != canonical) {
    std::fprintf(stderr, "the canonical text reads as another plan\n");
    std::abort();
  }
  return 0;
}
