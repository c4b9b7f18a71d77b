// The resource types Pioneer stores as documents from other organisations (docs/fhir.md
// section 5c): person-level resources written through the FHIR API by another system. Data
// only, no store access.
//
// Some of them the record also serves from elsewhere: Encounter, Condition and Procedure
// are mapped from the extracts, CarePlan and CareTeam from the joint care plan register.
// For those the id says which: "doc-<n>" is a document, any other id the record's.
// Thread safety: immutable.
#pragma once

#include <string_view>
#include <vector>

namespace pioneer::documents {

// Resource types stored as documents, in CapabilityStatement order.
const std::vector<std::string_view>& DocumentTypes();
bool IsDocumentType(std::string_view type);
// Document types the record also serves from the extracts or the care plan register.
bool IsAlsoFromRecord(std::string_view type);
// Document types served only as documents (IsDocumentType and not IsAlsoFromRecord).
const std::vector<std::string_view>& DocumentOnlyTypes();

// Resource types kept in the directory (documents/directory_store.h): not person-level.
const std::vector<std::string_view>& DirectoryTypes();
bool IsDirectoryType(std::string_view type);

}  // namespace pioneer::documents
