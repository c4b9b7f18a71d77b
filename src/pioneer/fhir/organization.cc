#include "pioneer/fhir/organization.h"

#include <fmt/format.h>

namespace pioneer::fhir {
namespace {

constexpr std::string_view kOds = "https://fhir.nhs.uk/Id/ods-organization-code";

// Two values for one criterion must agree, else nothing matches.
void Narrow(std::optional<std::string>* slot, std::string v, bool* nothing) {
  if (*slot && **slot != v) *nothing = true;
  *slot = std::move(v);
}

}  // namespace

nlohmann::json OrganizationResource(const DirectoryEntry& o) {
  nlohmann::json r = {
      {"resourceType", "Organization"},
      {"id", o.ods_code},
      {"meta",
       {{"versionId", "1"},
        {"profile", nlohmann::json::array(
                        {"https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization"})}}},
      {"identifier",
       nlohmann::json::array({{{"use", "official"}, {"system", kOds}, {"value", o.ods_code}}})},
      {"active", o.close_date.empty()},
      {"name", o.name},
      {"type",
       nlohmann::json::array(
           {{{"coding",
              nlohmann::json::array(
                  {{{"system", "https://pioneer.example.org/fhir/CodeSystem/organisation-type"},
                    {"code", o.type}}})}}})}};
  if (!o.parent_code.empty()) {
    r["partOf"] = {{"reference", fmt::format("Organization/{}", o.parent_code)},
                   {"identifier", {{"system", kOds}, {"value", o.parent_code}}}};
  }
  if (!o.postcode.empty()) {
    r["address"] = nlohmann::json::array({{{"postalCode", o.postcode}, {"country", "ENGLAND"}}});
  }
  return r;
}

StatusOr<OrganizationQuery> OrganizationQueryFromParams(const SearchParams& params, bool lenient) {
  OrganizationQuery q;
  for (const auto& [k, v] : params) {
    if (k == "_count" || k == "_offset" || k == "_format") continue;
    if (v.empty())
      return InvalidArgumentError(fmt::format("parameter '{}' is empty", k.substr(0, 40)));
    if (k == "_id") {
      Narrow(&q.ods_code, v, &q.matches_nothing);
    } else if (k == "identifier") {
      std::string_view value = v;
      if (size_t bar = value.find('|'); bar != std::string_view::npos) {
        if (value.substr(0, bar) != kOds) q.matches_nothing = true;
        value.remove_prefix(bar + 1);
      }
      Narrow(&q.ods_code, std::string(value), &q.matches_nothing);
    } else if (k == "name") {
      Narrow(&q.name_prefix, v, &q.matches_nothing);
    } else if (k == "type") {
      std::string_view value = v;
      if (size_t bar = value.find('|'); bar != std::string_view::npos) value.remove_prefix(bar + 1);
      Narrow(&q.type, std::string(value), &q.matches_nothing);
    } else if (k == "partof") {
      std::string_view value = v;
      if (value.substr(0, 13) == "Organization/") value.remove_prefix(13);
      Narrow(&q.parent_code, std::string(value), &q.matches_nothing);
    } else if (!lenient) {
      return InvalidArgumentError(fmt::format(
          "unknown or unsupported search parameter '{}' (send Prefer: handling=lenient to "
          "ignore it)",
          k.substr(0, 40)));
    }
  }
  // No criteria lists the directory, paged.
  return q;
}

}  // namespace pioneer::fhir
