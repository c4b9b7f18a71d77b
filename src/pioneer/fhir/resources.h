// FHIR R4 resources mapped from a person's stored records (docs/fhir.md has every mapping,
// field by field). Pure functions: they receive rows the gate has already disclosed
// (ig::PersonRecords) and never read the store.
//
// Resource ids (logical ids, stable for a given store):
//   Patient        "<pds row id>"                      (the person's current PDS row)
//   Encounter      "apc-<row>" (hospital spell, keyed by its first episode's row),
//                  "ae-<row>", "op-<row>", "cc-<row>" (community), "mh-<row>",
//                  "gp-<row>" (GP consultation, telephone encounter or home visit)
//   Condition      "apcdx-<row>-<n>" (diagnosis n of an APC episode), "gpc-<row>" (GP coded
//                  long-term condition or frailty marker)
//   EpisodeOfCare  "asc-<row>" (an adult social care event)
//   CarePlan       "cp-<plan id>" (a joint care plan of the careplan register)
// Records carry meta.versionId "1" (extract rows are not versioned); a CarePlan carries its
// plan version and meta.lastUpdated from when that version was recorded.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/careplan/care_plan.h"
#include "pioneer/ig/source_row.h"

namespace pioneer::fhir {

inline constexpr std::string_view kNhsNumberSystem = "https://fhir.nhs.uk/Id/nhs-number";
// The type the Patient mapping gives the NHS Number identifier (and `identifier:of-type`
// searches by): HL7 v2 table 0203, NH "National Health Plan Identifier".
inline constexpr std::string_view kIdentifierTypeSystem =
    "http://terminology.hl7.org/CodeSystem/v2-0203";
inline constexpr std::string_view kNhsNumberTypeCode = "NH";
inline constexpr std::string_view kOdsSystem = "https://fhir.nhs.uk/Id/ods-organization-code";
// The source recorded for plans written through the FHIR API (care_plans.source); their
// source_ref is the CarePlan's identifier as "<system>|<value>" (care_plan_write.h).
inline constexpr std::string_view kFhirPlanSource = "fhir";

// A resource id parsed back to its source row; nullopt if `id` is not one of ours.
struct RecordRef {
  std::string table;  // e.g. "apc_episodes"
  int64_t row_id = 0;
  int index = 0;  // diagnosis number for "apcdx-", procedure number for "apcpx-" ids, else 0
};
std::optional<RecordRef> ParseEncounterId(std::string_view id);
std::optional<RecordRef> ParseConditionId(std::string_view id);
std::optional<RecordRef> ParseEpisodeOfCareId(std::string_view id);
std::optional<RecordRef> ParseProcedureId(std::string_view id);
std::optional<RecordRef> ParseRiskAssessmentId(
    std::string_view id);  // "rs-<row>"  // "apcpx-<row>-<n>", n 1-3
std::optional<int64_t> ParsePatientId(std::string_view id);
// "<prefix><n>" -> n, for a positive n of at most 18 digits ("doc-", "dir-", "cp-", ...).
std::optional<int64_t> ParseNumberedId(std::string_view id, std::string_view prefix);
std::optional<int64_t> ParseCarePlanId(std::string_view id);  // the plan id of "cp-<id>"
std::optional<int64_t> ParseCareTeamId(std::string_view id);  // the plan id of "ct-<id>"

nlohmann::json PatientResource(const ig::SourceRow& pds, int64_t patient_id);

// Encounters of one person from the rows of one table (APC episodes are grouped into
// spells). Tables without encounters give none.
std::vector<nlohmann::json> EncounterResources(const std::vector<ig::SourceRow>& rows,
                                               int64_t patient_id);
// Conditions from APC episodes (diagnoses) or GP events (coded conditions).
std::vector<nlohmann::json> ConditionResources(const std::vector<ig::SourceRow>& rows,
                                               int64_t patient_id);
// EpisodesOfCare from social care events.
std::vector<nlohmann::json> EpisodeOfCareResources(const std::vector<ig::SourceRow>& rows,
                                                   int64_t patient_id);

// A joint care plan (R4 CarePlan, intent "plan"): period from the plan's dates, the
// organisations and named professionals as a contained CareTeam (accountable GP; care
// coordinator with role and organisation), goals in description, review date in a note;
// a plan written through the API carries the identifier it was written with.
nlohmann::json CarePlanResource(const careplan::CarePlan& plan, int64_t patient_id);
// The same plan's care team as a resource of its own (R4 CareTeam, id "ct-<plan id>", version
// the plan's): category LOINC LA28865-6 (longitudinal care coordination), status from the
// plan's (draft: proposed, active: active until an end date, on-hold: suspended, completed
// and revoked: inactive, entered-in-error), period the plan's.
nlohmann::json CareTeamResource(const careplan::CarePlan& plan, int64_t patient_id);

// Procedures from APC episodes: the OPCS-4 operations `opertn_01`..`opertn_03` (primary,
// secondary), performed within the episode (performedPeriod). Other rows give none.
std::vector<nlohmann::json> ProcedureResources(const std::vector<ig::SourceRow>& rows,
                                               int64_t patient_id);

// RiskAssessments from saved risk strata (`pioneer risk score --save-strata`): one per person
// and index date: occurrenceDateTime the index date, method the model id, the prediction of
// an emergency admission in the next 12 months as the Likelihood of Admission band
// (qualitativeRisk), and whether the person is in their practice's top 2% and top 4%.
std::vector<nlohmann::json> RiskAssessmentResources(const std::vector<ig::SourceRow>& rows,
                                                    int64_t patient_id);

// The tables each person-level resource type is mapped from (none for CarePlan, which
// comes from the care plan register).
const std::vector<std::string_view>& SourceTables(std::string_view resource_type);

// The date a resource is searched by (`date` parameter): Encounter period.start,
// Condition recordedDate, EpisodeOfCare and CarePlan period.start, Procedure
// performedPeriod.start, RiskAssessment occurrenceDateTime; "" when absent.
std::string SearchDate(const nlohmann::json& resource);

}  // namespace pioneer::fhir
