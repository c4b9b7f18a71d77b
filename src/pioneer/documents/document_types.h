// The resource types Pioneer stores as documents from other organisations (docs/fhir.md
// section 5c): the types it does not map from the extracts. Data only, no store access.
// Thread safety: immutable.
#pragma once

#include <string_view>
#include <vector>

namespace pioneer::documents {

// Resource types stored as documents, in CapabilityStatement order.
const std::vector<std::string_view>& DocumentTypes();
bool IsDocumentType(std::string_view type);

}  // namespace pioneer::documents
