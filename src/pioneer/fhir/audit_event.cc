#include "pioneer/fhir/audit_event.h"

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {

namespace {

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// R4 AuditEvent.action: C create, U update, E execute (break-glass), R read/search.
const char* ActionCode(std::string_view action) {
  if (action == "break-glass") return "E";
  if (EndsWith(action, ".create")) return "C";
  if (EndsWith(action, ".update")) return "U";
  return "R";
}

}  // namespace

nlohmann::json AuditEventResource(const ig::AuditEntry& e) {
  using nlohmann::json;
  bool permitted = e.outcome.rfind("permitted", 0) == 0 || e.outcome == "granted";
  json purpose = json::array({{{"text", e.purpose}}});
  if (e.basis == "break-glass") {
    purpose.push_back({{"coding", json::array({{{"system",
                                                 "http://terminology.hl7.org/CodeSystem/"
                                                 "v3-ActReason"},
                                                {"code", "BTG"},
                                                {"display", "break the glass"}}})},
                       {"text", e.reason}});
  }
  json agent = {
      {"who",
       {{"identifier",
         {{"system", "https://pioneer.example.org/fhir/Id/username"}, {"value", e.username}}},
        {"display", e.username}}},
      {"type", {{"text", e.role}}},
      {"requestor", true}};
  if (!e.org_code.empty()) {
    agent["extension"] = json::array(
        {{{"url", "https://pioneer.example.org/fhir/StructureDefinition/agent-organisation"},
          {"valueIdentifier", {{"system", kOdsSystem}, {"value", e.org_code}}}}});
  }
  json r = {{"resourceType", "AuditEvent"},
            {"id", std::to_string(e.seq)},
            {"meta", {{"versionId", "1"}}},
            {"type",
             {{"system", "http://terminology.hl7.org/CodeSystem/audit-event-type"},
              {"code", "rest"},
              {"display", "RESTful Operation"}}},
            {"subtype", json::array({{{"system",
                                       "https://pioneer.example.org/fhir/CodeSystem/"
                                       "audit-action"},
                                      {"code", e.action}}})},
            {"action", ActionCode(e.action)},
            {"recorded", e.at},
            {"outcome", permitted ? "0" : "4"},
            {"outcomeDesc", e.outcome},
            {"purposeOfEvent", purpose},
            {"agent", json::array({agent})},
            {"source", {{"observer", {{"display", "pioneer serve"}}}}}};
  json entities = json::array();
  if (e.nhs_number) {
    entities.push_back(
        {{"what",
          {{"identifier", {{"system", kNhsNumberSystem}, {"value", e.nhs_number->digits()}}}}},
         {"type",
          {{"system", "http://terminology.hl7.org/CodeSystem/audit-entity-type"},
           {"code", "1"},
           {"display", "Person"}}},
         {"description", e.returned.empty() ? "nothing returned" : e.returned}});
  }
  entities.push_back(
      {{"type",
        {{"system", "http://terminology.hl7.org/CodeSystem/audit-entity-type"},
         {"code", "4"},
         {"display", "Other"}}},
       {"name", "hash-chain"},
       {"detail", json::array({{{"type", "seq"}, {"valueString", std::to_string(e.seq)}},
                               {{"type", "basis"}, {"valueString", e.basis}},
                               {{"type", "prev_hash"}, {"valueString", e.prev_hash}},
                               {{"type", "hash"}, {"valueString", e.hash}}})}});
  r["entity"] = entities;
  return r;
}

}  // namespace pioneer::fhir
