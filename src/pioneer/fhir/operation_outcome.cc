#include "pioneer/fhir/operation_outcome.h"

namespace pioneer::fhir {

nlohmann::json OperationOutcome(std::string_view code, std::string_view diagnostics,
                                std::string_view severity) {
  return {{"resourceType", "OperationOutcome"},
          {"issue", nlohmann::json::array(
                        {{{"severity", severity}, {"code", code}, {"diagnostics", diagnostics}}})}};
}

}  // namespace pioneer::fhir
