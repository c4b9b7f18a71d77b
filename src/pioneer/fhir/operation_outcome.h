// OperationOutcome resources for errors (FHIR R4 OperationOutcome; issue codes from
// http://hl7.org/fhir/issue-type). Messages must never contain identifiers: callers pass
// fixed texts or texts naming parameters, not their values.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace pioneer::fhir {

// severity "error" (or "fatal"), code e.g. "invalid", "not-found", "login", "forbidden",
// "too-costly", "not-supported", "exception", "throttled".
nlohmann::json OperationOutcome(std::string_view code, std::string_view diagnostics,
                                std::string_view severity = "error");

}  // namespace pioneer::fhir
