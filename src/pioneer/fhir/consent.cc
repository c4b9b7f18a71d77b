#include "pioneer/fhir/consent.h"

#include <fmt/format.h>

#include <charconv>

#include "pioneer/base/date.h"
#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

using nlohmann::json;

constexpr std::string_view kIdPrefix = "objection-";
constexpr std::string_view kScopeSystem = "http://terminology.hl7.org/CodeSystem/consentscope";

std::string Text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<int64_t> ParseConsentId(std::string_view id) {
  if (id.substr(0, kIdPrefix.size()) != kIdPrefix) return std::nullopt;
  return ParsePatientId(id.substr(kIdPrefix.size()));
}

std::string ConsentId(int64_t patient_id) { return fmt::format("{}{}", kIdPrefix, patient_id); }

json ConsentResource(const ig::ObjectionRecord& o, int64_t patient_id, bool active,
                     int64_t version) {
  json patient = patient_id == 0 ? json{{"display", "person without a PDS record"}}
                                 : json{{"reference", fmt::format("Patient/{}", patient_id)}};
  return {
      {"resourceType", "Consent"},
      {"id", ConsentId(patient_id)},
      {"meta", {{"versionId", std::to_string(version)}, {"lastUpdated", o.imported_at}}},
      {"status", active ? "active" : "inactive"},
      {"scope",
       {{"coding", json::array({{{"system", kScopeSystem},
                                 {"code", "patient-privacy"},
                                 {"display", "Privacy Consent"}}})}}},
      {"category", json::array({{{"coding", json::array({{{"system", "http://loinc.org"},
                                                          {"code", "59284-0"},
                                                          {"display", "Patient Consent"}}})}}})},
      {"patient", patient},
      {"dateTime", o.recorded_on.empty() ? o.imported_at : o.recorded_on},
      {"policyRule",
       {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/v3-ActCode"},
                                 {"code", "OPTOUT"},
                                 {"display", "opt out"}}})},
        {"text", "objection to sharing beyond the organisation holding the records"}}},
      {"provision", {{"type", "deny"}}}};
}

ConsentParse ParseConsent(const json& body) {
  ConsentParse out;
  if (!body.is_object()) {
    out.not_a_consent = "the body must be a JSON object (a FHIR resource)";
    return out;
  }
  if (Text(body, "resourceType") != "Consent") {
    out.not_a_consent = "the body must be a Consent resource (resourceType)";
    return out;
  }
  auto problem = [&](std::string e, std::string r) {
    out.problems.push_back({std::move(e), std::move(r)});
  };
  for (const auto& [key, value] : body.items()) {
    static const char* kKnown[] = {"resourceType", "id",          "meta",     "text",
                                   "status",       "scope",       "category", "patient",
                                   "dateTime",     "policyRule",  "policy",   "provision",
                                   "performer",    "organization"};
    bool known = false;
    for (const char* k : kKnown) known |= key == k;
    if (!known) problem("Consent." + key, "is not stored by this server");
  }
  const std::string status = Text(body, "status");
  const bool active = status == "active";
  const bool withdrawn =
      status == "inactive" || status == "rejected" || status == "entered-in-error";
  if (!active && !withdrawn) {
    problem("Consent.status",
            "must be active (to record) or inactive, rejected or entered-in-error (to lift)");
  }
  bool privacy = false;
  if (body.contains("scope") && body["scope"].is_object() && body["scope"].contains("coding") &&
      body["scope"]["coding"].is_array()) {
    for (const json& c : body["scope"]["coding"]) {
      if (c.is_object() && Text(c, "code") == "patient-privacy" &&
          (Text(c, "system").empty() || Text(c, "system") == kScopeSystem)) {
        privacy = true;
      }
    }
  }
  if (!privacy) {
    problem("Consent.scope", "only patient-privacy consents (objections to sharing) are recorded");
  }
  auto patient = body.find("patient");
  out.patient = ParseSubjectRef(patient == body.end() ? nullptr : &*patient, "Consent.patient",
                                &out.problems);
  std::string type;
  if (body.contains("provision")) {
    const json& p = body["provision"];
    if (!p.is_object()) {
      problem("Consent.provision", "must be an object");
    } else {
      for (const auto& [key, value] : p.items()) {
        if (key != "type") problem("Consent.provision." + key, "is not stored by this server");
      }
      type = Text(p, "type");
      if (type != "deny" && type != "permit") {
        problem("Consent.provision.type", "must be deny or permit");
      }
    }
  } else if (active) {
    problem("Consent.provision.type", "is required: deny (object) or permit (lift)");
  }
  out.effect =
      active && type == "deny" ? ConsentEffect::kRecordObjection : ConsentEffect::kLiftObjection;
  std::string when = Text(body, "dateTime");
  if (!when.empty()) {
    if (!Date::ParseIso(when.substr(0, 10)) || (when.size() > 10 && when[10] != 'T')) {
      problem("Consent.dateTime", "must be a date (YYYY-MM-DD) or a dateTime");
    } else {
      out.recorded_on = when.substr(0, 10);
    }
  }
  return out;
}

}  // namespace pioneer::fhir
