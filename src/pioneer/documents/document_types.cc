#include "pioneer/documents/document_types.h"

#include <algorithm>

namespace pioneer::documents {

const std::vector<std::string_view>& DocumentTypes() {
  static const std::vector<std::string_view> kTypes = {
      "Observation",  "AllergyIntolerance", "MedicationRequest", "MedicationStatement",
      "Immunization", "DiagnosticReport",   "DocumentReference"};
  return kTypes;
}

bool IsDocumentType(std::string_view type) {
  const auto& t = DocumentTypes();
  return std::find(t.begin(), t.end(), type) != t.end();
}

}  // namespace pioneer::documents
