// The organisation directory (ODS reference extract `organisations`: practices, CCGs,
// trusts, councils) as typed rows, for readers that show it (the FHIR Organization
// resource). Directory data, not person-level: no IG decision is needed to read it.
// Errors: the store's; an empty result when the store has no organisations table.
// Thread safety: as Store (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::store {

struct Organisation {
  std::string ods_code, name, type, parent_code, postcode, open_date, close_date;
};

// Every criterion given must hold. `name_prefix` is matched case-insensitively at the start
// of the name (`%` and `_` are literal).
struct OrganisationFilter {
  std::optional<std::string> ods_code;
  std::optional<std::string> name_prefix;
  std::optional<std::string> type;  // organisation_type, e.g. "gp_practice"
  std::optional<std::string> parent_code;
};

// Matching organisations in ODS code order: `total` counts all, the result holds at most
// `limit` from `offset`.
StatusOr<std::vector<Organisation>> FindOrganisations(Store& store, const OrganisationFilter& f,
                                                      int64_t offset, int64_t limit,
                                                      int64_t* total);

}  // namespace pioneer::store
