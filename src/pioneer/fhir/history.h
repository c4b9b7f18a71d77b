// History of a versioned resource (FHIR R4 "history" interaction): a Bundle of type
// `history`, newest version first, each entry with its fullUrl (the version's URL), the
// resource as it was, the request that made it (POST for the first version, PUT after) and
// the response (status, ETag W/"<version>", lastModified). CarePlans (the care plan
// register keeps every version) and Consents (the objection history) are versioned.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/careplan/plan_store.h"

namespace pioneer::fhir {

// One version of a resource, as it was.
struct ResourceVersion {
  int64_t version = 0;
  std::string last_modified;  // UTC ISO 8601
  nlohmann::json resource;    // with meta.versionId
};
// The history Bundle of `type`/`id`; `versions` oldest first.
nlohmann::json HistoryBundle(std::string_view base_url, std::string_view type, std::string_view id,
                             const std::vector<ResourceVersion>& versions);

// `versions` oldest first (as careplan::PlanHistory returns them); `patient_id` the
// subject's Patient id.
nlohmann::json CarePlanHistoryBundle(std::string_view base_url,
                                     const std::vector<careplan::PlanVersion>& versions,
                                     int64_t patient_id);

}  // namespace pioneer::fhir
