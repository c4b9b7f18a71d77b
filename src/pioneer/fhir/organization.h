// Organization resources (UK Core Organization) from the organisation directory
// (store/organisations.h), and the Organization search parameters. Directory data, not
// person-level: any signed-in user may read it, and reading it is not audited.
//
// Mapping: id = ODS code; identifier https://fhir.nhs.uk/Id/ods-organization-code; name;
// type = organisation_type (Pioneer's code system); partOf = Organization/<parent_code>;
// address.postalCode; active = no close date.
// Search: `_id`, `identifier` (`<ods system>|<code>` or a bare code; another system matches
// nothing), `name` (starts with, case-insensitive), `type`, `partof` (`Organization/<code>` or
// `<code>`), plus paging. Unknown parameters are a 400 unless lenient.
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/fhir/search.h"

namespace pioneer::fhir {

// One organisation of the directory, as the server reads it (store/organisations.h).
struct DirectoryEntry {
  std::string ods_code, name, type, parent_code, postcode, close_date;
};
nlohmann::json OrganizationResource(const DirectoryEntry& org);

// The criteria of a search (each given must hold; the server turns them into the store's
// filter). `matches_nothing` is set when a criterion can match no organisation (an
// identifier of another system, or two different values for one criterion).
struct OrganizationQuery {
  std::optional<std::string> ods_code, name_prefix, type, parent_code;
  bool matches_nothing = false;
};
StatusOr<OrganizationQuery> OrganizationQueryFromParams(const SearchParams& params, bool lenient);

}  // namespace pioneer::fhir
