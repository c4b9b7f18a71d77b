#include "pioneer/fhir/document.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/base/date.h"
#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

using nlohmann::json;

std::string Text(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The date elements of `type`, in order of preference ("a.b" is b inside object a).
std::vector<std::string_view> DateElements(std::string_view type) {
  if (type == "Observation" || type == "DiagnosticReport") {
    return {"effectiveDateTime", "effectivePeriod.start", "issued"};
  }
  if (type == "AllergyIntolerance") return {"recordedDate", "onsetDateTime"};
  if (type == "MedicationRequest") return {"authoredOn"};
  if (type == "MedicationStatement") {
    return {"effectiveDateTime", "effectivePeriod.start", "dateAsserted"};
  }
  if (type == "MedicationAdministration") return {"effectiveDateTime", "effectivePeriod.start"};
  if (type == "Immunization") return {"occurrenceDateTime", "recorded"};
  if (type == "DocumentReference") return {"date"};
  if (type == "Encounter" || type == "CareTeam") return {"period.start"};
  if (type == "Condition") return {"onsetDateTime", "onsetPeriod.start", "recordedDate"};
  if (type == "Procedure") return {"performedDateTime", "performedPeriod.start"};
  if (type == "CarePlan") return {"period.start", "created"};
  if (type == "Claim" || type == "ExplanationOfBenefit") return {"billablePeriod.start", "created"};
  if (type == "ImagingStudy") return {"started"};
  if (type == "SupplyDelivery") return {"occurrenceDateTime", "occurrencePeriod.start"};
  if (type == "Goal") return {"startDate"};
  if (type == "Provenance") return {"recorded"};
  return {};  // Device
}

// Whether a Reference object names a Patient (Patient/<id>, possibly absolute, or an NHS
// Number identifier): the person of a Provenance among its targets.
bool NamesPatient(const json& ref) {
  if (!ref.is_object()) return false;
  std::string r = Text(ref, "reference");
  if (r.rfind("Patient/", 0) == 0 || r.find("/Patient/") != std::string::npos) return true;
  auto id = ref.find("identifier");
  return id != ref.end() && id->is_object() && Text(*id, "system") == kNhsNumberSystem;
}

// The first date element present: its path and its value (non-string values give "").
std::pair<std::string, const json*> FirstDate(const json& r, std::string_view type) {
  for (std::string_view path : DateElements(type)) {
    size_t dot = path.find('.');
    const json* at = &r;
    std::string_view key = path;
    if (dot != std::string_view::npos) {
      auto outer = r.find(path.substr(0, dot));
      if (outer == r.end() || !outer->is_object()) continue;
      at = &*outer;
      key = path.substr(dot + 1);
    }
    auto it = at->find(key);
    if (it != at->end()) return {std::string(path), &*it};
  }
  return {"", nullptr};
}

}  // namespace

std::optional<int64_t> ParseDocumentId(std::string_view id) { return ParseNumberedId(id, "doc-"); }

std::string DocumentId(int64_t doc_id) { return fmt::format("doc-{}", doc_id); }

std::string_view DocumentPersonElement(std::string_view type) {
  if (type == "Provenance") return "target";
  return type == "AllergyIntolerance" || type == "Immunization" || type == "Claim" ||
                 type == "ExplanationOfBenefit" || type == "Device" || type == "SupplyDelivery"
             ? "patient"
             : "subject";
}

DocumentParse ParseDocument(const json& body, std::string_view type) {
  DocumentParse out;
  if (!body.is_object()) {
    out.not_a_document = "the body must be a JSON object (a FHIR resource)";
    return out;
  }
  if (Text(body, "resourceType") != type) {
    out.not_a_document = fmt::format("the body must be a {} resource (resourceType)", type);
    return out;
  }
  auto problem = [&](std::string e, std::string r) {
    out.problems.push_back({std::move(e), std::move(r)});
  };
  const std::string person = std::string(DocumentPersonElement(type));
  auto subject = body.find(person);
  if (type == "Provenance") {
    // The person is the target that is a Patient (exactly one).
    const json* patient = nullptr;
    size_t at = 0, patients = 0;
    if (subject != body.end() && subject->is_array()) {
      for (size_t i = 0; i < subject->size(); ++i) {
        if (!NamesPatient((*subject)[i])) continue;
        if (patients++ == 0) {
          patient = &(*subject)[i];
          at = i;
        }
      }
    }
    if (patients > 1) {
      problem("Provenance.target", "must name one Patient");
    } else if (patient == nullptr) {
      problem("Provenance.target", "must include the Patient");
    } else {
      out.subject =
          ParseSubjectRef(patient, fmt::format("Provenance.target[{}]", at), &out.problems);
    }
  } else {
    out.subject = ParseSubjectRef(subject == body.end() ? nullptr : &*subject,
                                  fmt::format("{}.{}", type, person), &out.problems);
  }
  if (body.contains("identifier")) {
    const json& ids = body["identifier"];
    if (!ids.is_array()) {
      problem(fmt::format("{}.identifier", type), "must be an array");
    } else {
      for (size_t i = 0; i < ids.size(); ++i) {
        if (!ids[i].is_object()) {
          problem(fmt::format("{}.identifier[{}]", type, i), "must be an Identifier");
          continue;
        }
        const std::string value = Text(ids[i], "value");
        if (value.empty() || !out.identifier.empty()) continue;
        const std::string system = Text(ids[i], "system");
        if (value.find('|') != std::string::npos || system.find('|') != std::string::npos) {
          problem(fmt::format("{}.identifier[{}]", type, i), "must not contain '|'");
          continue;
        }
        out.identifier = system + "|" + value;
      }
    }
  }
  auto [path, date] = FirstDate(body, type);
  if (date != nullptr) {
    std::string d = date->is_string() ? date->get<std::string>() : std::string();
    bool ok = d.size() >= 4 &&
              std::all_of(d.begin(), d.begin() + 4, [](char c) { return c >= '0' && c <= '9'; });
    if (ok && d.size() >= 10) ok = Date::ParseIso(std::string_view(d).substr(0, 10)).has_value();
    if (!ok) {
      problem(fmt::format("{}.{}", type, path), "must be a FHIR date or dateTime");
    } else {
      out.clinical_date = d;
    }
  }
  json stored = body;
  stored.erase("id");
  stored.erase("meta");
  out.stored = stored.dump(-1, ' ', false, json::error_handler_t::replace);
  return out;
}

json DocumentResource(const documents::Document& doc, int64_t patient_id) {
  json r = json::parse(doc.resource, nullptr, false);
  if (!r.is_object()) r = json{{"resourceType", doc.resource_type}};
  r["resourceType"] = doc.resource_type;
  r["id"] = DocumentId(doc.doc_id);
  r["meta"] = {{"versionId", std::to_string(doc.version)}, {"lastUpdated", doc.written_at}};
  json person = patient_id == 0 ? json{{"display", "person without a PDS record"}}
                                : json{{"reference", fmt::format("Patient/{}", patient_id)}};
  if (doc.resource_type == "Provenance") {
    if (r.contains("target") && r["target"].is_array()) {
      for (json& t : r["target"]) {
        if (NamesPatient(t)) t = person;
      }
    }
  } else {
    r[std::string(DocumentPersonElement(doc.resource_type))] = std::move(person);
  }
  json holder = {{"url", kHoldingOrganisationExtension},
                 {"valueIdentifier", {{"system", kOdsSystem}, {"value", doc.org_code}}}};
  json extensions = json::array();
  if (r.contains("extension") && r["extension"].is_array()) {
    for (const json& e : r["extension"]) {
      if (e.is_object() && Text(e, "url") == kHoldingOrganisationExtension) continue;
      extensions.push_back(e);
    }
  }
  extensions.push_back(std::move(holder));
  r["extension"] = std::move(extensions);
  return r;
}

std::string DocumentDate(const json& resource) {
  auto [path, date] = FirstDate(resource, Text(resource, "resourceType"));
  return date != nullptr && date->is_string() ? date->get<std::string>() : std::string();
}

}  // namespace pioneer::fhir
