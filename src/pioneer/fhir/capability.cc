#include "pioneer/fhir/capability.h"

#include <fmt/format.h>

#include "pioneer/documents/document_types.h"
#include "pioneer/fhir/search.h"

namespace pioneer::fhir {

nlohmann::json CapabilityStatement(std::string_view base_url, std::string_view version) {
  using nlohmann::json;
  std::string_view root = base_url;
  if (root.size() >= 5 && root.substr(root.size() - 5) == "/fhir") root.remove_suffix(5);
  auto param = [](std::string_view name, std::string_view type, std::string_view doc) {
    return json{{"name", name}, {"type", type}, {"documentation", doc}};
  };
  auto interactions = [](std::initializer_list<const char*> codes) {
    json a = json::array();
    for (const char* c : codes) a.push_back({{"code", c}});
    return a;
  };
  json paging = param("_count", "number", "page size (default 20, maximum 200)");
  json clinical_params = json::array(
      {param("patient", "reference", "required: Patient/<id> (one patient per search)"),
       param("date", "date", "eq/ge/gt/le/lt with YYYY, YYYY-MM or YYYY-MM-DD"), paging});
  json patient = {
      {"type", "Patient"},
      {"profile", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient"},
      {"interaction", interactions({"read", "search-type"})},
      {"versioning", "no-version"},
      {"readHistory", false},
      {"updateCreate", false},
      {"conditionalCreate", false},
      {"searchParam",
       json::array({param("identifier", "token",
                          "https://fhir.nhs.uk/Id/nhs-number|<NHS Number>; :of-type "
                          "http://terminology.hl7.org/CodeSystem/v2-0203|NH|<NHS Number>"),
                    param("_id", "token", "logical id"),
                    param("family", "string", "starts with, case-insensitive"),
                    param("given", "string", "starts with, case-insensitive"),
                    param("name", "string", "family or given name starts with"),
                    param("birthdate", "date", "eq/ge/gt/le/lt with partial dates"),
                    param("gender", "token", "male | female | other | unknown"), paging})},
      {"searchRevInclude", json::array({"CarePlan:subject"})},
      {"operation",
       json::array(
           {{{"name", "everything"},
             {"definition", "http://hl7.org/fhir/OperationDefinition/Patient-everything"}}})}};
  auto clinical = [&](std::string_view type, std::string_view profile) {
    json params = clinical_params;
    for (const auto& [name, element] : TokenParameters(type)) {
      params.push_back(
          param(name, "token",
                fmt::format("{}: code, system|code, |code or system|; commas for "
                            "any of several; modifiers :not, :missing, :text, and :below "
                            "and :above in ICD-10 and OPCS-4",
                            element)));
    }
    return json{
        {"type", type},
        {"profile", fmt::format("https://fhir.hl7.org.uk/StructureDefinition/UKCore-{}", profile)},
        {"interaction", interactions({"read", "search-type"})},
        {"versioning", "no-version"},
        {"conditionalCreate", false},
        {"searchParam", params}};
  };
  // Encounter, Condition, Procedure: mapped from the extracts, and also written by other
  // organisations as documents (document.h).
  auto also_documents = [&](std::string_view type) {
    json d = clinical(type, type);
    d["interaction"] =
        interactions({"read", "vread", "history-instance", "search-type", "create", "update"});
    d["versioning"] = "versioned-update";
    d["readHistory"] = true;
    d["updateCreate"] = false;
    d["conditionalCreate"] = true;
    d["documentation"] = fmt::format(
        "Mapped from the extracts (read-only, version 1), and also written by another "
        "organisation as a document from another organisation: create (also conditional on "
        "identifier) and update (If-Match, holder only) need user/{}.write; doc-<n> ids are "
        "documents, with vread and history. Searches return both.",
        type);
    return d;
  };
  // CarePlan: also written (care_plan_write.h), versioned in the care plan register.
  json care_plan = clinical("CarePlan", "CarePlan");
  care_plan["searchInclude"] = json::array({"CarePlan:subject"});
  care_plan["interaction"] =
      interactions({"read", "vread", "history-instance", "search-type", "create", "update"});
  care_plan["versioning"] = "versioned-update";
  care_plan["readHistory"] = true;
  care_plan["updateCreate"] = false;
  care_plan["conditionalCreate"] = true;
  care_plan["conditionalUpdate"] = true;
  care_plan["conditionalDelete"] = "not-supported";
  care_plan["documentation"] =
      "create (If-None-Exist: identifier=<system>|<value> only) and update (If-Match: "
      "W/\"<version>\" required, 428 without it; conditional update by "
      "?identifier=<system>|<value>: none matching is a create) need the user/CarePlan.write "
      "scope, a "
      "direct care role and a legitimate relationship with the subject; break-glass does not "
      "allow writes. A CarePlan with a category (as Synthea writes them) is not a joint care "
      "plan: it is stored as a document from another organisation (doc-<n>, user/CarePlan.write).";
  // CareTeam: each care plan's team, written through its plan (a PUT changes the team only).
  json care_team = clinical("CareTeam", "CareTeam");
  care_team["interaction"] =
      interactions({"read", "vread", "history-instance", "search-type", "create", "update"});
  care_team["versioning"] = "versioned-update";
  care_team["updateCreate"] = false;
  care_team["documentation"] =
      "ct-<plan id>: the team of a joint care plan. update (If-Match: W/\"<plan version>\" "
      "required) changes the organisations, the accountable GP and the care coordinator and "
      "makes a new plan version; status, period, name, category and subject come from the plan "
      "and must be as read. Needs user/CarePlan.write. A CareTeam created with POST is a document "
      "from another organisation (doc-<n>, user/CareTeam.write), with vread and history.";
  // RiskAssessment: saved risk strata (no UK Core profile exists for it).
  json risk = clinical("RiskAssessment", "RiskAssessment");
  risk["profile"] = "http://hl7.org/fhir/StructureDefinition/RiskAssessment";
  risk["documentation"] =
      "rs-<row>: the risk strata saved at an index date (pioneer risk score --save-strata): "
      "Likelihood of Admission band and the practice's top 2% and top 4%. Direct care only.";
  json consent = {
      {"type", "Consent"},
      {"interaction",
       interactions({"read", "vread", "history-instance", "search-type", "create", "update"})},
      {"versioning", "versioned-update"},
      {"readHistory", true},
      {"updateCreate", false},
      {"conditionalCreate", false},
      {"documentation",
       "Objections to sharing (scope patient-privacy): create with provision.type deny records "
       "one, permit or status inactive lifts it; written by the patient (patient/Consent.write) "
       "or a clinician with a legitimate relationship (user/Consent.write); read by them and by "
       "the IG officer (user/Consent.read). Id: objection-<Patient id>. Every recording and "
       "lifting is a version (vread, _history); update needs If-Match; a lifted objection "
       "reads as 410."},
      {"searchParam", json::array({param("patient", "reference", "required: Patient/<id>"),
                                   param("date", "date", "eq/ge/gt/le/lt on dateTime"),
                                   param("status", "token", "status"),
                                   param("category", "token", "category"), paging})}};
  // Documents from other organisations (document.h): written by direct care, held by the
  // writer's organisation, versioned.
  json documents = json::array();
  for (std::string_view type : documents::DocumentOnlyTypes()) {
    json d = clinical(type, type);
    // Types UK Core has no profile for: the base resource.
    for (std::string_view base : {"ImagingStudy", "Device", "SupplyDelivery", "Goal", "Claim",
                                  "ExplanationOfBenefit", "Provenance"}) {
      if (type == base) {
        d["profile"] = fmt::format("http://hl7.org/fhir/StructureDefinition/{}", type);
      }
    }
    d["interaction"] =
        interactions({"read", "vread", "history-instance", "search-type", "create", "update"});
    d["versioning"] = "versioned-update";
    d["readHistory"] = true;
    d["updateCreate"] = false;
    d["conditionalCreate"] = true;
    d["documentation"] =
        "A document from another organisation, stored as written (no profile validation) and "
        "held by the writer's organisation (extension holding-organisation). Create (also "
        "conditional on identifier) and update (If-Match, holder only) need user/<type>.write; "
        "read through the gate like any record. Id: doc-<n>.";
    documents.push_back(std::move(d));
  }
  json organization = {
      {"type", "Organization"},
      {"profile", "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Organization"},
      {"interaction", interactions({"read", "search-type", "create"})},
      {"versioning", "no-version"},
      {"conditionalCreate", true},
      {"documentation",
       "The organisation directory (ODS): practices, CCGs, trusts, councils, id the ODS code; "
       "and organisations written by other systems (directory entries, dir-<n>; create needs "
       "user/Organization.write, also conditional on identifier). Any signed-in user reads "
       "them; not person-level, so not audited."},
      {"searchParam",
       json::array({param("_id", "token", "ODS code"),
                    param("identifier", "token",
                          "https://fhir.nhs.uk/Id/ods-organization-code|<code> or <code>; "
                          "any other system|value for directory entries"),
                    param("name", "string", "starts with, case-insensitive"),
                    param("type", "token", "organisation type, e.g. gp_practice, ccg"),
                    param("partof", "reference", "Organization/<parent ODS code>"), paging})}};
  json directory = json::array();
  for (std::string_view type : documents::DirectoryTypes()) {
    if (type == "Organization") continue;
    directory.push_back(
        {{"type", type},
         {"interaction", interactions({"read", "search-type", "create"})},
         {"versioning", "no-version"},
         {"conditionalCreate", true},
         {"documentation",
          fmt::format("Directory entries written by other systems (dir-<n>), so their records "
                      "can reference them: create needs user/{}.write (also conditional on "
                      "identifier); any signed-in user reads them; not person-level, so not "
                      "audited.",
                      type)},
         {"searchParam",
          json::array({param("identifier", "token", "system|value, |value or value"),
                       param("name", "string", "starts with, case-insensitive"), paging})}});
  }
  json audit = {
      {"type", "AuditEvent"},
      {"interaction", interactions({"read", "search-type"})},
      {"searchParam",
       json::array({param("patient", "reference", "Patient/<id>: accesses to that person's record"),
                    param("agent", "string", "username of the user who accessed"),
                    param("date", "date", "eq/ge/gt/le/lt"), paging})}};
  json statement = {
      {"resourceType", "CapabilityStatement"},
      {"status", "active"},
      {"date", "2026-12-06"},
      {"publisher", "Pioneer"},
      {"kind", "instance"},
      {"software", {{"name", "Pioneer shared care record"}, {"version", version}}},
      {"implementation",
       {{"description", "Pioneer FHIR R4 API over the linked record"}, {"url", base_url}}},
      {"fhirVersion", "4.0.1"},
      {"format", json::array({"json", "application/fhir+json"})},
      {"rest",
       json::array(
           {{{"mode", "server"},
             {"documentation",
              "CarePlan create and update, CareTeam update, Consent create and update "
              "(objections), documents from other organisations (create, update) and "
              "directory entries (create); everything else is read-only (no delete or patch). "
              "Batch and transaction "
              "Bundles at the base run their entries as these interactions; Patient entries "
              "are matched by NHS Number, not created. Every person-level read and write "
              "goes through the information-governance gate and is audited."},
             {"interaction", json::array({{{"code", "transaction"}}, {{"code", "batch"}}})},
             {"security",
              {{"cors", false},
               {"service",
                json::array({{{"coding", json::array({{{"system",
                                                        "http://terminology.hl7.org/CodeSystem/"
                                                        "restful-security-service"},
                                                       {"code", "SMART-on-FHIR"}}})}}})},
               {"extension",
                json::array(
                    {{{"url",
                       "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris"},
                      {"extension",
                       json::array(
                           {{{"url", "token"}, {"valueUri", fmt::format("{}/auth/token", root)}},
                            {{"url", "revoke"},
                             {"valueUri", fmt::format("{}/auth/revoke", root)}}})}}})},
               {"description",
                "OAuth2 password grant at /auth/token; Bearer tokens with SMART-style scopes "
                "(user/*.read, user/CarePlan.write, user/Consent.write, patient/*.read, "
                "patient/Consent.write, user/AuditEvent.read, user/Consent.read, "
                "user/Aggregate.read)."}}},
             {"resource",
              json::array({patient, also_documents("Encounter"), also_documents("Condition"),
                           also_documents("Procedure"), clinical("EpisodeOfCare", "EpisodeOfCare"),
                           care_plan, care_team, risk, consent, organization, audit})}}})}};
  for (json& d : documents) statement["rest"][0]["resource"].push_back(std::move(d));
  for (json& d : directory) statement["rest"][0]["resource"].push_back(std::move(d));
  return statement;
}

}  // namespace pioneer::fhir
