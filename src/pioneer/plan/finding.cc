#include "pioneer/plan/finding.h"

#include <fmt/format.h>

namespace pioneer::plan {

const char* SeverityName(Severity s) { return s == Severity::kError ? "error" : "warning"; }

std::string FormatFinding(const std::string& file, const Finding& f) {
  return fmt::format("{}:{}: {} [{}] {}: {}", file, f.line, SeverityName(f.severity), f.code,
                     f.key.empty() ? "(plan)" : f.key, f.message);
}

int CountErrors(const std::vector<Finding>& findings) {
  int n = 0;
  for (const auto& f : findings) n += f.severity == Severity::kError;
  return n;
}

}  // namespace pioneer::plan
