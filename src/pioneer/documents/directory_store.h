// Directory entries from other systems: FHIR resources that are not about one person
// (Organization, Location, Practitioner, PractitionerRole, Medication), written through the
// FHIR API so that another system's records can reference them (Synthea's hospital and
// practitioner files; docs/fhir.md section 5d). Table fhir_directory, store schema version 7.
//
// An entry is kept as the JSON the writer sent, less `id` and `meta`, with what the server
// searches beside it: every identifier ("system|value"), the name, the writer's organisation.
// Entries are not person-level: any signed-in user may read them, and they are not audited.
// The organisations of the ODS extract stay where they are (store/organisations.h); these
// are the others.
// Errors: the store's.
// Thread safety: as Store (one thread per connection).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/documents/document_types.h"
#include "pioneer/store/store.h"

namespace pioneer::documents {

struct DirectoryEntry {
  int64_t entry_id = 0;
  std::string resource_type;
  int64_t version = 1;
  std::vector<std::string> identifiers;  // "system|value" each (system may be empty)
  std::string name;                      // the display name searched by `name`, or ""
  std::string org_code;                  // the writer's organisation (ODS)
  std::string resource;                  // the JSON text as stored
  std::string written_by;                // username
  std::string written_at;                // UTC ISO 8601
};

// Stores a new entry and returns its id.
StatusOr<int64_t> AddDirectoryEntry(store::Store& store, DirectoryEntry entry);
StatusOr<std::optional<DirectoryEntry>> GetDirectoryEntry(store::Store& store,
                                                          std::string_view type, int64_t id);

// A search of one type. Every given criterion must hold: `identifier_exact` ("system|value")
// is one of the entry's identifiers, or `identifier_suffix` ("|value": any system) ends
// one; `name_prefix` starts the name, case-insensitively (ASCII). Ordered by id; `total`
// (when given) receives the number of matches before paging.
struct DirectoryQuery {
  std::string identifier_exact;
  std::string identifier_suffix;
  std::string name_prefix;
  int64_t offset = 0;
  int64_t limit = 100;
};
StatusOr<std::vector<DirectoryEntry>> FindDirectoryEntries(store::Store& store,
                                                           std::string_view type,
                                                           const DirectoryQuery& q,
                                                           int64_t* total = nullptr);

}  // namespace pioneer::documents
