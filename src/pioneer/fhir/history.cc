#include "pioneer/fhir/history.h"

#include <fmt/format.h>

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {

nlohmann::json CarePlanHistoryBundle(std::string_view base_url,
                                     const std::vector<careplan::PlanVersion>& versions,
                                     int64_t patient_id) {
  using nlohmann::json;
  json entries = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) {
    const careplan::CarePlan& plan = it->plan;
    const std::string id = fmt::format("cp-{}", plan.plan_id);
    const bool first = plan.version == 1;
    entries.push_back(
        {{"fullUrl", fmt::format("{}/CarePlan/{}/_history/{}", base_url, id, plan.version)},
         {"resource", CarePlanResource(plan, patient_id)},
         {"request",
          {{"method", first ? "POST" : "PUT"},
           {"url", first ? std::string("CarePlan") : fmt::format("CarePlan/{}", id)}}},
         {"response",
          {{"status", first ? "201" : "200"},
           {"etag", fmt::format("W/\"{}\"", plan.version)},
           {"lastModified", plan.recorded_at}}}});
  }
  json bundle = {{"resourceType", "Bundle"},
                 {"type", "history"},
                 {"total", static_cast<int64_t>(versions.size())},
                 {"entry", entries}};
  if (!versions.empty()) {
    bundle["link"] = json::array(
        {{{"relation", "self"},
          {"url", fmt::format("{}/CarePlan/cp-{}/_history", base_url, versions[0].plan.plan_id)}}});
  }
  return bundle;
}

}  // namespace pioneer::fhir
