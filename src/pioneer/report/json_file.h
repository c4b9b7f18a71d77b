// Reading another command's JSON output (risk-report.json, caretrak.json) for the report.
// Errors: kNotFound for a missing file; kUnavailable when it cannot be read;
// kInvalidArgument when it is not JSON (each message names the file).
// Thread safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pioneer/base/status.h"

namespace pioneer::report {

StatusOr<nlohmann::json> ReadJsonFile(const std::string& path);

}  // namespace pioneer::report
