#include "pioneer/documents/document_types.h"

#include <algorithm>

namespace pioneer::documents {
namespace {

bool In(const std::vector<std::string_view>& list, std::string_view type) {
  return std::find(list.begin(), list.end(), type) != list.end();
}

const std::vector<std::string_view>& AlsoFromRecord() {
  static const std::vector<std::string_view> kTypes = {"Encounter", "Condition", "Procedure",
                                                       "CarePlan", "CareTeam"};
  return kTypes;
}

}  // namespace

const std::vector<std::string_view>& DocumentOnlyTypes() {
  static const std::vector<std::string_view> kTypes = {"Observation",
                                                       "AllergyIntolerance",
                                                       "MedicationRequest",
                                                       "MedicationStatement",
                                                       "MedicationAdministration",
                                                       "Immunization",
                                                       "DiagnosticReport",
                                                       "DocumentReference",
                                                       "ImagingStudy",
                                                       "Device",
                                                       "SupplyDelivery",
                                                       "Goal",
                                                       "Claim",
                                                       "ExplanationOfBenefit",
                                                       "Provenance"};
  return kTypes;
}

const std::vector<std::string_view>& DocumentTypes() {
  static const std::vector<std::string_view> kTypes = [] {
    std::vector<std::string_view> t = AlsoFromRecord();
    for (std::string_view d : DocumentOnlyTypes()) t.push_back(d);
    return t;
  }();
  return kTypes;
}

bool IsDocumentType(std::string_view type) { return In(DocumentTypes(), type); }

const std::vector<std::string_view>& DirectoryTypes() {
  static const std::vector<std::string_view> kTypes = {"Organization", "Location", "Practitioner",
                                                       "PractitionerRole", "Medication"};
  return kTypes;
}

bool IsDirectoryType(std::string_view type) { return In(DirectoryTypes(), type); }

bool IsAlsoFromRecord(std::string_view type) { return In(AlsoFromRecord(), type); }

}  // namespace pioneer::documents
