// Directory entries from other systems as FHIR (docs/fhir.md section 5d): Organization,
// Location, Practitioner, PractitionerRole and Medication resources that another system
// writes so its records can reference them (documents/directory_store.h).
//
// Writing keeps the resource as sent, less `id` and `meta`, after checking what the server
// relies on: the resourceType is the URL's, identifiers are Identifiers whose system and
// value hold no '|', and the name (below) is text. The content is the writer's; no profile
// is enforced. Problems name elements, never values.
// The name searched: Organization, Location `name`; Practitioner the first HumanName's
// `family` (else its `text`); Medication `code.text` (else the first coding's display);
// PractitionerRole none.
// Reading gives the stored JSON with `id` "dir-<n>" and `meta.versionId`/`lastUpdated`.
// Search: `identifier` (`system|value`, `|value` or `value` for any system), `name`
// (starts with, case-insensitive), plus paging; unknown parameters are a 400 unless lenient.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/documents/directory_store.h"
#include "pioneer/fhir/care_plan_write.h"
#include "pioneer/fhir/search.h"

namespace pioneer::fhir {

// "dir-<n>" <-> n.
std::optional<int64_t> ParseDirectoryId(std::string_view id);
std::string DirectoryId(int64_t entry_id);

struct DirectoryParse {
  std::string not_a_resource;          // set: a 400 with this message
  std::vector<WriteProblem> problems;  // content problems: a 422
  std::vector<std::string> identifiers;
  std::string name;
  std::string stored;  // the JSON text to store
};
DirectoryParse ParseDirectoryResource(const nlohmann::json& body, std::string_view type);

nlohmann::json DirectoryResource(const documents::DirectoryEntry& entry);

// A directory search; `matches_nothing` when a criterion can match no entry (two different
// values for one criterion, or an Organization criterion only the ODS directory has).
struct DirectorySearch {
  documents::DirectoryQuery query;  // offset and limit left at their defaults
  bool matches_nothing = false;
};
// `other_known` lists parameters that the caller handles itself (for Organization: `_id`,
// `type`, `partof`); they make the directory part match nothing.
StatusOr<DirectorySearch> DirectorySearchFromParams(const SearchParams& params, bool lenient,
                                                    const std::vector<std::string>& other_known);

}  // namespace pioneer::fhir
