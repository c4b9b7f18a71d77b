#include "pioneer/fhir/resources.h"

#include <fmt/format.h>

#include <charconv>
#include <map>

#include "pioneer/fhir/document.h"
#include "pioneer/fhir/search.h"
#include "pioneer/model/code_sets.h"

namespace pioneer::fhir {
namespace {

using ig::SourceRow;
using nlohmann::json;

std::string Display(std::string_view code_set, std::string_view code) {
  if (const model::CodeSet* set = model::FindCodeSet(code_set)) {
    for (const model::Code& c : set->codes) {
      if (c.code == code) return std::string(c.meaning);
    }
  }
  return std::string(code);
}

json Coding(std::string_view system, std::string_view code, std::string_view display) {
  return {{"system", system}, {"code", code}, {"display", display}};
}

json Concept(std::string_view system, std::string_view code, std::string_view display) {
  return {{"coding", json::array({Coding(system, code, display)})}, {"text", display}};
}

// A local code system for Pioneer's extract code sets (docs/data-formats.md).
std::string LocalSystem(std::string_view code_set) {
  return fmt::format("https://pioneer.example.org/fhir/CodeSystem/{}", code_set);
}

json Meta() { return {{"versionId", "1"}}; }

json OrgRef(std::string_view code) {
  return {{"identifier", {{"system", kOdsSystem}, {"value", code}}}};
}

// ICD-10 and OPCS-4 codes as the classifications print them ("S72.0", "W46.1", "F03"), from
// the store's normalised form ("S720", "W461", "F03X": no dot, X filling a 3-character code).
std::string Dotted(std::string_view code) {
  if (code.size() == 4 && (code[3] == 'X' || code[3] == '-')) code.remove_suffix(1);
  if (code.size() <= 3) return std::string(code);
  return fmt::format("{}.{}", code.substr(0, 3), code.substr(3));
}

// A reference to an organisation of the directory (GET /fhir/Organization/<code>).
json DirectoryOrgRef(std::string_view code) {
  json r = OrgRef(code);
  r["reference"] = fmt::format("Organization/{}", code);
  return r;
}

json PatientRef(int64_t patient_id) {
  if (patient_id == 0) return {{"display", "person without a PDS record"}};
  return {{"reference", fmt::format("Patient/{}", patient_id)}};
}

std::optional<int64_t> ParseRow(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || s.size() > 18) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
  return v;
}

struct Prefix {
  std::string_view prefix;
  std::string_view table;
};
constexpr Prefix kEncounterPrefixes[] = {{"apc", "apc_episodes"},   {"ae", "ae_attendances"},
                                         {"op", "op_appointments"}, {"cc", "community_contacts"},
                                         {"mh", "mh_contacts"},     {"gp", "gp_events"}};

std::optional<RecordRef> ParsePrefixed(std::string_view id, std::string_view prefix,
                                       std::string_view table) {
  if (id.size() <= prefix.size() + 1 || id.substr(0, prefix.size()) != prefix ||
      id[prefix.size()] != '-') {
    return std::nullopt;
  }
  auto row = ParseRow(id.substr(prefix.size() + 1));
  if (!row) return std::nullopt;
  return RecordRef{std::string(table), *row, 0};
}

// "<prefix><row>-<n>": item n (1..max) of an APC episode row (a diagnosis, an operation).
std::optional<RecordRef> ParseApcNumbered(std::string_view id, std::string_view prefix, int max) {
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  std::string_view rest = id.substr(prefix.size());
  size_t dash = rest.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  auto row = ParseRow(rest.substr(0, dash));
  auto n = ParseRow(rest.substr(dash + 1));
  if (!row || !n || *n < 1 || *n > max) return std::nullopt;
  return RecordRef{"apc_episodes", *row, static_cast<int>(*n)};
}

bool IsGpCondition(std::string_view code) {
  // Long-term conditions and frailty markers (the first part of the gp_snomed code set).
  static const char* kCodes[] = {"73211009",  "13645005",  "53741008",  "84114007",  "195967001",
                                 "84757009",  "52448006",  "363346000", "709044004", "35489007",
                                 "230690007", "38341003",  "49436004",  "161898004", "165232002",
                                 "2492009",   "248279007", "386807006", "82971005"};
  for (const char* c : kCodes) {
    if (code == c) return true;
  }
  return false;
}

bool IsGpEncounter(std::string_view code) {
  return code == "11429006" || code == "185317003" || code == "439708006";
}

json Period(std::string_view start, std::string_view end) {
  json p = json::object();
  if (!start.empty()) p["start"] = start;
  if (!end.empty()) p["end"] = end;
  return p;
}

json Class(std::string_view code, std::string_view display) {
  return Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", code, display);
}

// Attended codes 5 and 6 mean seen; 2, 3, 4, 7 mean cancelled or did not attend.
std::string StatusFromAttended(std::string_view attended) {
  if (attended == "5" || attended == "6") return "finished";
  if (attended == "3" || attended == "7") return "cancelled";  // did not attend
  if (attended == "2" || attended == "4") return "cancelled";
  return "unknown";
}

json SimpleEncounter(const SourceRow& r, std::string_view prefix, int64_t patient_id,
                     std::string_view status, json cls, json type, std::string_view start,
                     std::string_view end) {
  json e = {{"resourceType", "Encounter"},
            {"id", fmt::format("{}-{}", prefix, r.row_id)},
            {"meta", Meta()},
            {"status", status},
            {"class", std::move(cls)},
            {"subject", PatientRef(patient_id)},
            {"period", Period(start, end)}};
  if (!type.is_null()) e["type"] = json::array({std::move(type)});
  if (!r.org.empty()) e["serviceProvider"] = DirectoryOrgRef(r.org);
  return e;
}

}  // namespace

std::optional<int64_t> ParsePatientId(std::string_view id) { return ParseRow(id); }

std::optional<int64_t> ParseNumberedId(std::string_view id, std::string_view prefix) {
  if (id.substr(0, prefix.size()) != prefix) return std::nullopt;
  return ParseRow(id.substr(prefix.size()));
}

std::optional<int64_t> ParseCareTeamId(std::string_view id) { return ParseNumberedId(id, "ct-"); }

std::optional<int64_t> ParseCarePlanId(std::string_view id) { return ParseNumberedId(id, "cp-"); }

namespace {

// The plan's team as a CareTeam: the organisations involved, the accountable GP and the care
// coordinator. Contained in the CarePlan (id "team") and served on its own (CareTeamResource).
json ContainedTeam(const careplan::CarePlan& plan, int64_t patient_id) {
  json participants = json::array();
  if (!plan.accountable_gp.empty()) {
    json gp = {{"role", json::array({{{"text", "Accountable GP"}}})},
               {"member", {{"display", plan.accountable_gp}}}};
    if (!plan.gp_practice.empty()) gp["onBehalfOf"] = OrgRef(plan.gp_practice);
    participants.push_back(std::move(gp));
  }
  if (!plan.care_coordinator.empty()) {
    json cc = {
        {"role",
         json::array({{{"text", plan.coordinator_role.empty()
                                    ? std::string("Care coordinator")
                                    : "Care coordinator (" + plan.coordinator_role + ")"}}})},
        {"member", {{"display", plan.care_coordinator}}}};
    if (!plan.coordinator_org.empty()) cc["onBehalfOf"] = OrgRef(plan.coordinator_org);
    participants.push_back(std::move(cc));
  }
  json managing = json::array();
  for (const std::string& org : plan.organisations) managing.push_back(OrgRef(org));
  json team = {{"resourceType", "CareTeam"},
               {"id", "team"},
               {"status", plan.end_date ? "inactive" : "active"},
               {"subject", PatientRef(patient_id)},
               {"managingOrganization", managing}};
  if (!participants.empty()) team["participant"] = participants;
  return team;
}

}  // namespace

json CareTeamResource(const careplan::CarePlan& plan, int64_t patient_id) {
  json team = ContainedTeam(plan, patient_id);
  team["id"] = fmt::format("ct-{}", plan.plan_id);
  team["meta"] = {{"versionId", std::to_string(plan.version)}, {"lastUpdated", plan.recorded_at}};
  // CareTeam.status (proposed | active | suspended | inactive | entered-in-error) from the plan's.
  using careplan::PlanStatus;
  std::string_view status = "inactive";
  switch (plan.status) {
    case PlanStatus::kDraft:
      status = "proposed";
      break;
    case PlanStatus::kActive:
      status = plan.end_date ? "inactive" : "active";
      break;
    case PlanStatus::kOnHold:
      status = "suspended";
      break;
    case PlanStatus::kEnteredInError:
      status = "entered-in-error";
      break;
    default:
      break;
  }
  team["status"] = status;
  json period = {{"start", plan.start_date.ToIso()}};
  if (plan.end_date) period["end"] = plan.end_date->ToIso();
  team["period"] = period;
  team["name"] = plan.IsJoint() ? "Joint care team" : "Care team";
  team["category"] = json::array({Concept("http://loinc.org", "LA28865-6",
                                          "Longitudinal care-coordination focused care team")});
  return team;
}

json CarePlanResource(const careplan::CarePlan& plan, int64_t patient_id) {
  json period = {{"start", plan.start_date.ToIso()}};
  if (plan.end_date) period["end"] = plan.end_date->ToIso();
  json team = ContainedTeam(plan, patient_id);
  json r = {
      {"resourceType", "CarePlan"},
      {"id", fmt::format("cp-{}", plan.plan_id)},
      {"meta", {{"versionId", std::to_string(plan.version)}, {"lastUpdated", plan.recorded_at}}},
      {"contained", json::array({team})},
      {"status", std::string(careplan::StatusCode(plan.status))},
      {"intent", "plan"},
      {"title", plan.IsJoint() ? "Joint care plan" : "Care plan"},
      {"subject", PatientRef(patient_id)},
      {"period", period},
      {"careTeam", json::array({{{"reference", "#team"}}})}};
  size_t bar = plan.source_ref.find('|');
  if (plan.source == kFhirPlanSource && bar != std::string::npos) {
    r["identifier"] = json::array(
        {{{"system", plan.source_ref.substr(0, bar)}, {"value", plan.source_ref.substr(bar + 1)}}});
  }
  if (!plan.goals.empty()) r["description"] = plan.goals;
  if (plan.review_date) {
    r["note"] = json::array({{{"text", "Review due " + plan.review_date->ToIso()}}});
  }
  return r;
}

std::optional<RecordRef> ParseEncounterId(std::string_view id) {
  for (const Prefix& p : kEncounterPrefixes) {
    if (auto r = ParsePrefixed(id, p.prefix, p.table)) return r;
  }
  return std::nullopt;
}

std::optional<RecordRef> ParseConditionId(std::string_view id) {
  if (auto r = ParsePrefixed(id, "gpc", "gp_events")) return r;
  return ParseApcNumbered(id, "apcdx-", 6);
}

std::optional<RecordRef> ParseProcedureId(std::string_view id) {
  return ParseApcNumbered(id, "apcpx-", 3);
}

std::optional<RecordRef> ParseRiskAssessmentId(std::string_view id) {
  return ParsePrefixed(id, "rs", "risk_strata");
}

std::optional<RecordRef> ParseEpisodeOfCareId(std::string_view id) {
  return ParsePrefixed(id, "asc", "social_care_events");
}

json PatientResource(const SourceRow& pds, int64_t patient_id) {
  json p = {{"resourceType", "Patient"}, {"id", std::to_string(patient_id)}, {"meta", Meta()}};
  p["identifier"] = json::array(
      {{{"extension",
         json::array({{{"url",
                        "https://fhir.hl7.org.uk/StructureDefinition/"
                        "Extension-UKCore-NHSNumberVerificationStatus"},
                       {"valueCodeableConcept", Concept("https://fhir.hl7.org.uk/CodeSystem/"
                                                        "UKCore-NHSNumberVerificationStatusEngland",
                                                        "01", "Number present and verified")}}})},
        {"type",
         Concept(kIdentifierTypeSystem, kNhsNumberTypeCode, "National Health Plan Identifier")},
        {"system", kNhsNumberSystem},
        {"value", pds.Get("nhs_number")}}});
  json name = {{"use", "official"}, {"family", pds.Get("family_name")}};
  json given = json::array();
  if (!pds.Get("given_name").empty()) given.push_back(pds.Get("given_name"));
  if (!pds.Get("other_given_name").empty()) given.push_back(pds.Get("other_given_name"));
  name["given"] = std::move(given);
  p["name"] = json::array({std::move(name)});
  std::string_view sex = pds.Get("sex");
  p["gender"] = sex == "1" ? "male" : sex == "2" ? "female" : sex == "9" ? "other" : "unknown";
  if (!pds.Get("birth_date").empty()) p["birthDate"] = pds.Get("birth_date");
  if (!pds.Get("death_date").empty()) {
    p["deceasedDateTime"] = pds.Get("death_date");
  } else {
    p["deceasedBoolean"] = false;
  }
  json address = {{"use", "home"}};
  if (!pds.Get("address_line_1").empty())
    address["line"] = json::array({pds.Get("address_line_1")});
  if (!pds.Get("postcode").empty()) address["postalCode"] = pds.Get("postcode");
  if (address.size() > 1) p["address"] = json::array({std::move(address)});
  if (!pds.Get("gp_practice_code").empty()) {
    p["generalPractitioner"] = json::array({DirectoryOrgRef(pds.Get("gp_practice_code"))});
  }
  return p;
}

std::vector<json> EncounterResources(const std::vector<SourceRow>& rows, int64_t patient_id) {
  std::vector<json> out;
  if (rows.empty()) return out;
  const std::string& table = rows.front().table;
  if (table == "apc_episodes") {
    // One Encounter per hospital spell, keyed by the spell's first stored episode.
    std::map<std::string, std::vector<const SourceRow*>> spells;
    std::vector<std::string> order;
    for (const SourceRow& r : rows) {
      std::string spell(r.Get("spell_id"));
      if (!spells.count(spell)) order.push_back(spell);
      spells[spell].push_back(&r);
    }
    for (const std::string& spell : order) {
      const auto& eps = spells[spell];
      const SourceRow& first = *eps.front();
      std::string discharge, method, destination;
      for (const SourceRow* e : eps) {
        if (!e->Get("discharge_date").empty()) {
          discharge = e->Get("discharge_date");
          method = e->Get("discharge_method");
          destination = e->Get("discharge_destination");
        }
      }
      std::string_view pc = first.Get("patient_classification");
      json cls = (pc == "2") ? Class("SS", "short stay") : Class("IMP", "inpatient encounter");
      json e =
          SimpleEncounter(first, "apc", patient_id, discharge.empty() ? "in-progress" : "finished",
                          cls, json(), first.Get("admission_date"), discharge);
      e["identifier"] = json::array(
          {{{"system", "https://pioneer.example.org/fhir/Id/hospital-spell"}, {"value", spell}}});
      json hosp = json::object();
      hosp["admitSource"] = Concept(LocalSystem("admission_source"), first.Get("admission_source"),
                                    Display("admission_source", first.Get("admission_source")));
      hosp["extension"] = json::array(
          {{{"url", "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-AdmissionMethod"},
            {"valueCodeableConcept",
             Concept("https://fhir.hl7.org.uk/CodeSystem/UKCore-AdmissionMethodEngland",
                     first.Get("admission_method"),
                     Display("admission_method", first.Get("admission_method")))}}});
      if (!destination.empty()) {
        hosp["dischargeDisposition"] = Concept(LocalSystem("discharge_destination"), destination,
                                               Display("discharge_destination", destination));
      }
      e["hospitalization"] = hosp;
      if (!method.empty()) {
        e["extension"] = json::array(
            {{{"url",
               "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-DischargeMethod"},
              {"valueCodeableConcept",
               Concept("https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeMethodEngland", method,
                       Display("discharge_method", method))}}});
      }
      e["serviceType"] = Concept(LocalSystem("specialty"), first.Get("main_specialty"),
                                 Display("specialty", first.Get("main_specialty")));
      out.push_back(std::move(e));
    }
    return out;
  }
  for (const SourceRow& r : rows) {
    if (table == "ae_attendances") {
      json e = SimpleEncounter(r, "ae", patient_id, "finished", Class("EMER", "emergency"),
                               Concept(LocalSystem("ae_department_type"), r.Get("department_type"),
                                       Display("ae_department_type", r.Get("department_type"))),
                               r.Get("arrival_date"), r.Get("departure_date"));
      e["hospitalization"] = {
          {"dischargeDisposition", Concept(LocalSystem("ae_disposal"), r.Get("disposal"),
                                           Display("ae_disposal", r.Get("disposal")))}};
      out.push_back(std::move(e));
    } else if (table == "op_appointments") {
      out.push_back(SimpleEncounter(r, "op", patient_id, StatusFromAttended(r.Get("attended")),
                                    Class("AMB", "ambulatory"),
                                    Concept(LocalSystem("specialty"), r.Get("treatment_specialty"),
                                            Display("specialty", r.Get("treatment_specialty"))),
                                    r.Get("appointment_date"), r.Get("appointment_date")));
    } else if (table == "community_contacts") {
      bool home = r.Get("contact_location") == "home";
      out.push_back(SimpleEncounter(r, "cc", patient_id, StatusFromAttended(r.Get("attended")),
                                    home ? Class("HH", "home health") : Class("AMB", "ambulatory"),
                                    Concept(LocalSystem("community_team_type"), r.Get("team_type"),
                                            Display("community_team_type", r.Get("team_type"))),
                                    r.Get("contact_date"), r.Get("contact_date")));
    } else if (table == "mh_contacts") {
      out.push_back(SimpleEncounter(r, "mh", patient_id, StatusFromAttended(r.Get("attended")),
                                    Class("AMB", "ambulatory"),
                                    Concept(LocalSystem("mh_team_type"), r.Get("team_type"),
                                            Display("mh_team_type", r.Get("team_type"))),
                                    r.Get("contact_date"), r.Get("contact_date")));
    } else if (table == "gp_events" && IsGpEncounter(r.Get("snomed_concept_id"))) {
      bool home = r.Get("snomed_concept_id") == "439708006";
      bool phone = r.Get("snomed_concept_id") == "185317003";
      out.push_back(SimpleEncounter(r, "gp", patient_id, "finished",
                                    home    ? Class("HH", "home health")
                                    : phone ? Class("VR", "virtual")
                                            : Class("AMB", "ambulatory"),
                                    Concept("http://snomed.info/sct", r.Get("snomed_concept_id"),
                                            Display("gp_snomed", r.Get("snomed_concept_id"))),
                                    r.Get("event_date"), r.Get("event_date")));
    }
  }
  return out;
}

std::vector<json> ConditionResources(const std::vector<SourceRow>& rows, int64_t patient_id) {
  std::vector<json> out;
  for (const SourceRow& r : rows) {
    if (r.table == "apc_episodes") {
      for (int n = 1; n <= 6; ++n) {
        std::string code(r.Get(fmt::format("diag_{:02d}", n)));
        if (code.empty()) continue;
        json c = {
            {"resourceType", "Condition"},
            {"id", fmt::format("apcdx-{}-{}", r.row_id, n)},
            {"meta", Meta()},
            {"clinicalStatus", Concept("http://terminology.hl7.org/CodeSystem/condition-clinical",
                                       "active", "Active")},
            {"verificationStatus",
             Concept("http://terminology.hl7.org/CodeSystem/condition-ver-status", "confirmed",
                     "Confirmed")},
            {"category",
             json::array({Concept("http://terminology.hl7.org/CodeSystem/condition-category",
                                  "encounter-diagnosis", "Encounter Diagnosis")})},
            {"code", Concept(kIcd10System, Dotted(code), Dotted(code))},
            {"subject", PatientRef(patient_id)},
            {"recordedDate", r.Get("episode_start_date")}};
        c["note"] = json::array({{{"text", n == 1 ? "primary diagnosis" : "secondary diagnosis"}}});
        if (!r.org.empty()) c["recorder"] = {{"display", r.org}};
        out.push_back(std::move(c));
      }
    } else if (r.table == "gp_events" && IsGpCondition(r.Get("snomed_concept_id"))) {
      std::string code(r.Get("snomed_concept_id"));
      out.push_back(
          {{"resourceType", "Condition"},
           {"id", fmt::format("gpc-{}", r.row_id)},
           {"meta", Meta()},
           {"clinicalStatus", Concept("http://terminology.hl7.org/CodeSystem/condition-clinical",
                                      "active", "Active")},
           {"category",
            json::array({Concept("http://terminology.hl7.org/CodeSystem/condition-category",
                                 "problem-list-item", "Problem List Item")})},
           {"code", Concept("http://snomed.info/sct", code, Display("gp_snomed", code))},
           {"subject", PatientRef(patient_id)},
           {"recordedDate", r.Get("event_date")}});
    }
  }
  return out;
}

std::vector<json> ProcedureResources(const std::vector<SourceRow>& rows, int64_t patient_id) {
  std::vector<json> out;
  for (const SourceRow& r : rows) {
    if (r.table != "apc_episodes") continue;
    for (int n = 1; n <= 3; ++n) {
      std::string code(r.Get(fmt::format("opertn_{:02d}", n)));
      if (code.empty() || code == "-") continue;  // "-": no operation
      json p = {
          {"resourceType", "Procedure"},
          {"id", fmt::format("apcpx-{}-{}", r.row_id, n)},
          {"meta", Meta()},
          {"status", "completed"},
          {"code", Concept(kOpcs4System, Dotted(code), Dotted(code))},
          {"subject", PatientRef(patient_id)},
          {"performedPeriod", Period(r.Get("episode_start_date"), r.Get("episode_end_date"))}};
      p["note"] = json::array({{{"text", n == 1 ? "primary procedure" : "secondary procedure"}}});
      if (!r.org.empty()) p["performer"] = json::array({{{"actor", {{"display", r.org}}}}});
      out.push_back(std::move(p));
    }
  }
  return out;
}

std::vector<json> RiskAssessmentResources(const std::vector<SourceRow>& rows, int64_t patient_id) {
  std::vector<json> out;
  for (const SourceRow& r : rows) {
    if (r.table != "risk_strata") continue;
    std::string band(r.Get("loa_band"));
    json a = {
        {"resourceType", "RiskAssessment"},
        {"id", fmt::format("rs-{}", r.row_id)},
        {"meta", Meta()},
        {"status", "final"},
        {"subject", PatientRef(patient_id)},
        {"occurrenceDateTime", r.Get("index_date")},
        {"method",
         {{"coding",
           json::array({{{"system", "https://pioneer.example.org/fhir/CodeSystem/risk-model"},
                         {"code", r.Get("model_id")}}})},
          {"text", "Pioneer emergency admission model (gradient-boosted trees)"}}},
        {"prediction",
         json::array(
             {{{"outcome", {{"text", "Emergency hospital admission within 12 months"}}},
               {"qualitativeRisk",
                Concept("https://pioneer.example.org/fhir/CodeSystem/likelihood-of-admission-band",
                        band, "Likelihood of Admission band " + band)},
               {"whenPeriod", {{"start", r.Get("index_date")}}}}})}};
    json notes = json::array();
    notes.push_back({{"text", std::string(r.Get("top2_practice") == "1" ? "In" : "Not in") +
                                  " the top 2% of the practice's list by risk"}});
    notes.push_back({{"text", std::string(r.Get("top4_practice") == "1" ? "In" : "Not in") +
                                  " the top 4% of the practice's list by risk"}});
    if (!r.Get("rub_band").empty()) {
      notes.push_back({{"text", "Resource Utilisation Band " + std::string(r.Get("rub_band"))}});
    }
    a["note"] = notes;
    if (!r.org.empty()) a["performer"] = DirectoryOrgRef(r.org);
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<json> EpisodeOfCareResources(const std::vector<SourceRow>& rows, int64_t patient_id) {
  std::vector<json> out;
  for (const SourceRow& r : rows) {
    if (r.table != "social_care_events") continue;
    std::string_view type = r.Get("event_type");
    json e = {{"resourceType", "EpisodeOfCare"},
              {"id", fmt::format("asc-{}", r.row_id)},
              {"meta", Meta()},
              {"status", r.Get("event_end_date").empty() ? "active" : "finished"},
              {"patient", PatientRef(patient_id)},
              {"period", Period(r.Get("event_start_date"), r.Get("event_end_date"))},
              {"managingOrganization",
               {{"identifier",
                 {{"system", "https://pioneer.example.org/fhir/Id/ons-local-authority"},
                  {"value", r.Get("la_code")}}}}}};
    json types = json::array(
        {Concept(LocalSystem("asc_event_type"), type, Display("asc_event_type", type))});
    if (!r.Get("service_type").empty()) {
      types.push_back(Concept(LocalSystem("asc_service_type"), r.Get("service_type"),
                              Display("asc_service_type", r.Get("service_type"))));
    }
    e["type"] = types;
    out.push_back(std::move(e));
  }
  return out;
}

const std::vector<std::string_view>& SourceTables(std::string_view resource_type) {
  static const std::vector<std::string_view> kEncounter = {"apc_episodes",    "ae_attendances",
                                                           "op_appointments", "community_contacts",
                                                           "mh_contacts",     "gp_events"};
  static const std::vector<std::string_view> kCondition = {"apc_episodes", "gp_events"};
  static const std::vector<std::string_view> kEpisode = {"social_care_events"};
  static const std::vector<std::string_view> kProcedure = {"apc_episodes"};
  static const std::vector<std::string_view> kRisk = {"risk_strata"};
  static const std::vector<std::string_view> kNone;
  if (resource_type == "Encounter") return kEncounter;
  if (resource_type == "Condition") return kCondition;
  if (resource_type == "EpisodeOfCare") return kEpisode;
  if (resource_type == "Procedure") return kProcedure;
  if (resource_type == "RiskAssessment") return kRisk;
  return kNone;
}

std::string SearchDate(const json& r) {
  const std::string& type = r.value("resourceType", "");
  // Documents from other organisations (their ids are "doc-<n>") by their type's date
  // elements, whatever else the record maps to the same type.
  if (documents::IsDocumentType(type) && ParseDocumentId(r.value("id", ""))) {
    return DocumentDate(r);
  }
  if (type == "Condition") return r.value("recordedDate", "");
  if (type == "RiskAssessment") return r.value("occurrenceDateTime", "");
  if (type == "Procedure" && r.contains("performedPeriod")) {
    return r["performedPeriod"].value("start", "");
  }
  // Encounter, EpisodeOfCare and CarePlan: period.start.
  if (r.contains("period")) return r["period"].value("start", "");
  return "";
}

}  // namespace pioneer::fhir
