// A finding of the plan validator: what an assurance reviewer would write in the margin.
// Thread safety: plain values.
#pragma once

#include <string>
#include <vector>

namespace pioneer::plan {

enum class Severity { kError, kWarning };
const char* SeverityName(Severity s);  // "error", "warning"

struct Finding {
  Severity severity = Severity::kWarning;
  std::string code;     // stable identifier, e.g. "theme.total_mismatch" (docs/plan-format.md)
  std::string key;      // TOML key path the finding is about ("themes[1].stated_total.2014/15")
  int line = 0;         // 1-based line in the plan file, 0 when unknown
  std::string message;  // the explanation, with the figures involved
};

// "FILE:LINE: error [code] key: message".
std::string FormatFinding(const std::string& file, const Finding& f);
int CountErrors(const std::vector<Finding>& findings);

}  // namespace pioneer::plan
