// Documents from other organisations as FHIR (docs/fhir.md section 5c): the write mapping
// of a body onto documents::Document and the read mapping back.
//
// Writing keeps the resource as sent, less `id` and `meta`, after checking only what the
// server relies on: the resourceType is the URL's, the person element (`subject`, or
// `patient` for AllergyIntolerance and Immunization) names one Patient (Patient/<id> or an
// NHS Number identifier), an identifier (the first one with a value) and the clinical date
// (the type's date element, below) are well formed. The clinical content is the writer's
// and is not validated against a profile. Problems name elements, never values.
// Reading gives the stored JSON with `id` "doc-<n>", `meta.versionId`/`lastUpdated`, the person
// element as Patient/<current id> and an extension naming the holding organisation (ODS).
// Date elements (search `date`, $everything start/end): Observation and DiagnosticReport
// effectiveDateTime, effectivePeriod.start or issued; AllergyIntolerance recordedDate or
// onsetDateTime; MedicationRequest authoredOn; MedicationStatement effectiveDateTime,
// effectivePeriod.start or dateAsserted; Immunization occurrenceDateTime or recorded;
// DocumentReference date.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/documents/document_store.h"
#include "pioneer/fhir/care_plan_write.h"

namespace pioneer::fhir {

inline constexpr std::string_view kHoldingOrganisationExtension =
    "https://pioneer.example.org/fhir/StructureDefinition/holding-organisation";

// "doc-<n>" <-> n.
std::optional<int64_t> ParseDocumentId(std::string_view id);
std::string DocumentId(int64_t doc_id);

// The element naming the person: "subject", or "patient" (AllergyIntolerance, Immunization).
std::string_view DocumentPersonElement(std::string_view type);

struct DocumentParse {
  std::string not_a_document;          // set: a 400 with this message
  std::vector<WriteProblem> problems;  // content problems: a 422
  SubjectRef subject;
  std::string identifier;     // "system|value" (system may be empty), or ""
  std::string clinical_date;  // as written (ISO date or date-time), or ""
  std::string stored;         // the JSON text to store
};
DocumentParse ParseDocument(const nlohmann::json& body, std::string_view type);

// The resource as read (see above).
nlohmann::json DocumentResource(const documents::Document& doc, int64_t patient_id);

// The date a document resource is searched by (""when it has none).
std::string DocumentDate(const nlohmann::json& resource);

}  // namespace pioneer::fhir
