// Documents from other organisations: FHIR resources of the types Pioneer does not map from
// the extracts (observations, allergies, medications, immunisations, reports, document
// references), written through the FHIR API for one person by a direct-care user, and held
// by that user's organisation (tables fhir_documents and fhir_document_history, store schema
// version 6; docs/fhir.md section 5c).
//
// A document is kept as the JSON the writer sent, less `id` and `meta` (the server assigns
// them), with the fields the server searches and gates on beside it: the person, the holding
// organisation, the first identifier ("system|value", unique per type), the clinical date.
// Every write is a new version; the history is append-only (triggers refuse changes).
// Reads of a person's documents go through ig::PersonRecords (the gate's access decides,
// and an objection hides documents held by other organisations); this module is the typed
// store access they use.
// Errors: kAlreadyExists (identifier taken), kNotFound (no such document), kFailedPrecondition
// (the expected version is not the current one; the message names both), the store's.
// Thread safety: as Store (one thread per connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/documents/document_types.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::documents {

struct Document {
  int64_t doc_id = 0;
  std::string resource_type;
  std::optional<NhsNumber> nhs_number;  // the person; required to add a document
  std::string org_code;                 // the holding organisation: the writer's
  int64_t version = 0;
  std::string identifier;     // "system|value" of the first identifier, or ""
  std::string clinical_date;  // ISO date (or date-time) the resource is about, or ""
  std::string resource;       // the JSON text as stored
  std::string written_by;     // username
  std::string written_at;     // UTC ISO 8601
};

// Stores a new document as version 1 and returns its id.
StatusOr<int64_t> AddDocument(store::Store& store, Document doc);
// Stores `doc` (its doc_id names it) as the next version when `expected_version` is the
// current one. The person, type and holder cannot change (kInvalidArgument).
StatusOr<int64_t> UpdateDocument(store::Store& store, Document doc, int64_t expected_version);
StatusOr<std::optional<Document>> GetDocument(store::Store& store, int64_t doc_id);
// The current versions of a person's documents of `type` ("" for every type), by id.
StatusOr<std::vector<Document>> DocumentsOf(store::Store& store, const NhsNumber& person,
                                            std::string_view type);
// Every version of a document, oldest first.
StatusOr<std::vector<Document>> DocumentHistory(store::Store& store, int64_t doc_id);
// Documents of `type` whose identifier is `exact` ("system|value"), or ends with `suffix`
// ("|value": any system) when exact is empty.
StatusOr<std::vector<Document>> FindDocuments(store::Store& store, std::string_view type,
                                              std::string_view exact, std::string_view suffix);

}  // namespace pioneer::documents
