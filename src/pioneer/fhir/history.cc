#include "pioneer/fhir/history.h"

#include <fmt/format.h>

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {

nlohmann::json HistoryBundle(std::string_view base_url, std::string_view type, std::string_view id,
                             const std::vector<ResourceVersion>& versions) {
  using nlohmann::json;
  json entries = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    const bool first = it->version == 1;
    entries.push_back(
        {{"fullUrl", fmt::format("{}/{}/{}/_history/{}", base_url, type, id, it->version)},
         {"resource", it->resource},
         {"request",
          {{"method", first ? "POST" : "PUT"},
           {"url", first ? std::string(type) : fmt::format("{}/{}", type, id)}}},
         {"response",
          {{"status", first ? "201" : "200"},
           {"etag", fmt::format("W/\"{}\"", it->version)},
           {"lastModified", it->last_modified}}}});
  }
  json bundle = {{"resourceType", "Bundle"},
                 {"type", "history"},
                 {"total", static_cast<int64_t>(versions.size())},
                 {"entry", entries}};
  if (!versions.empty()) {
    bundle["link"] = json::array(
        {{{"relation", "self"}, {"url", fmt::format("{}/{}/{}/_history", base_url, type, id)}}});
  }
  return bundle;
}

nlohmann::json CarePlanHistoryBundle(std::string_view base_url,
                                     const std::vector<careplan::PlanVersion>& versions,
                                     int64_t patient_id) {
  std::vector<ResourceVersion> out;
  for (const careplan::PlanVersion& v : versions) {
    out.push_back({v.plan.version, v.plan.recorded_at, CarePlanResource(v.plan, patient_id)});
  }
  return HistoryBundle(base_url, "CarePlan",
                       versions.empty() ? "" : fmt::format("cp-{}", versions[0].plan.plan_id), out);
}

}  // namespace pioneer::fhir
