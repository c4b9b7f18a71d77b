#include "pioneer/formats/extract_schema.h"

#include <fmt/format.h>

namespace pioneer::formats {
namespace {

using T = FieldType;
using R = FieldRole;
constexpr bool kReq = true;
constexpr bool kOpt = false;

// --- Reference data -------------------------------------------------------------------

// Value ranges (ValueRange). Sources: docs/data-formats.md for each field; the HES data
// dictionary for STARTAGE (0-120, and 7001-7007 for babies under a year) and EPIORDER (1-99).
constexpr ValueRange kImdDecile[] = {{1, 10, "IMD deciles run from 1 (most deprived) to 10"}};
constexpr ValueRange kEstimateYear[] = {{1800, 2199, "the years Pioneer's dates cover"}};
constexpr ValueRange kSingleYearOfAge[] = {{0, 120, "single years of age"}};
constexpr ValueRange kPopulationCount[] = {{0, kNoMaximum, "a population cannot be negative"}};
constexpr ValueRange kUnitCost[] = {{0, kNoMaximum, "a unit cost cannot be negative"}};
constexpr ValueRange kEpisodeOrder[] = {{1, 99, "EPIORDER runs from 1 (the first episode)"}};
constexpr ValueRange kHesStartAge[] = {{0, 120, "STARTAGE: years of age"},
                                       {7001, 7007, "STARTAGE: 7001-7007 for infants"}};
constexpr ValueRange kAgeInYears[] = {{0, 120, "age in years"}};
constexpr ValueRange kWeeklyCost[] = {{0, kNoMaximum, "a weekly cost cannot be negative"}};

constexpr FieldSpec kOrganisations[] = {
    {"ods_code", T::kOdsCode, kReq, "", "ODS organisation code"},
    {"name", T::kText, kReq, "", "Organisation name"},
    {"organisation_type", T::kCode, kReq, "organisation_type", "Kind of organisation"},
    {"parent_code", T::kOdsCode, kOpt, "", "Commissioner (CCG) for a practice; LA for a team"},
    {"postcode", T::kPostcode, kOpt, "", "Main site postcode"},
    {"open_date", T::kDate, kOpt, "", "Date the organisation opened"},
    {"close_date", T::kDate, kOpt, "", "Date it closed, if it has"},
};

constexpr FieldSpec kLsoa[] = {
    {"lsoa_code", T::kText, kReq, "", "Lower Layer Super Output Area code (E01......)"},
    {"lsoa_name", T::kText, kReq, "", "LSOA name"},
    {"la_code", T::kText, kReq, "", "Local authority (ONS E08/E09/E10/E06 code)"},
    {"imd_decile", T::kInteger, kReq, "", "Index of Multiple Deprivation decile, 1 = most deprived",
     R::kNone, kImdDecile},
};

constexpr FieldSpec kPopulation[] = {
    {"area_code", T::kText, kReq, "", "ONS area code (local authority)"},
    {"year", T::kInteger, kReq, "", "Mid-year of the estimate (2014 = mid-2014)", R::kNone,
     kEstimateYear},
    {"sex", T::kCode, kReq, "sex", "1 male, 2 female"},
    {"age", T::kInteger, kReq, "", "Single year of age; 90 means 90 and over", R::kNone,
     kSingleYearOfAge},
    {"population", T::kInteger, kReq, "", "Estimated residents", R::kNone, kPopulationCount},
};

constexpr FieldSpec kUnitCosts[] = {
    {"activity_type", T::kCode, kReq, "activity_type", "What is being costed"},
    {"unit", T::kCode, kReq, "cost_unit", "Unit of the cost (per spell, per week, ...)"},
    {"price_year", T::kText, kReq, "", "Financial year of the prices, e.g. 2014/15"},
    {"cost_gbp", T::kDecimal, kReq, "", "Cost in pounds per unit", R::kNone, kUnitCost},
    {"source", T::kText, kReq, "", "Publication the figure comes from"},
};

// --- Person-level extracts ------------------------------------------------------------

constexpr FieldSpec kPds[] = {
    {"nhs_number", T::kNhsNumber, kReq, "", "NHS Number (the master index key)"},
    {"record_type", T::kCode, kReq, "pds_record_type",
     "current, or history (an earlier name/address)"},
    {"family_name", T::kText, kReq, "", "Surname (on a history row: the previous surname)",
     R::kFamilyName},
    {"given_name", T::kText, kReq, "", "First forename", R::kGivenName},
    {"other_given_name", T::kText, kOpt, "", "Middle names"},
    {"sex", T::kCode, kReq, "sex",
     "Person stated gender: 1 male, 2 female, 9 indeterminate, 0 not known", R::kSex},
    {"birth_date", T::kDate, kReq, "", "Date of birth", R::kBirthDate},
    {"death_date", T::kDate, kOpt, "", "Date of death (current row only)", R::kDeathDate},
    {"postcode", T::kPostcode, kOpt, "", "Usual address postcode (history: previous postcode)",
     R::kPostcode},
    {"address_line_1", T::kText, kOpt, "", "First line of the address"},
    {"gp_practice_code", T::kOdsCode, kOpt, "", "Registered GP practice (current row)"},
    {"lsoa_code", T::kText, kOpt, "", "LSOA of the address"},
    {"effective_from", T::kDate, kOpt, "", "Date this name/address took effect", R::kValidFrom},
    {"effective_to", T::kDate, kOpt, "", "Date it stopped applying (history rows)", R::kValidTo},
};

constexpr FieldSpec kGpRegistrations[] = {
    {"registration_id", T::kText, kReq, "", "Registration record id"},
    {"nhs_number", T::kNhsNumber, kReq, "", "NHS Number"},
    {"gp_practice_code", T::kOdsCode, kReq, "", "Practice ODS code"},
    {"registration_start_date", T::kDate, kReq, "", "Date registered"},
    {"registration_end_date", T::kDate, kOpt, "", "Date deregistered (empty while registered)"},
    {"deregistration_reason", T::kCode, kOpt, "deregistration_reason",
     "Why the registration ended"},
};

constexpr FieldSpec kGpEvents[] = {
    {"event_id", T::kText, kReq, "", "Coded event id in the GP system"},
    {"nhs_number", T::kNhsNumber, kReq, "", "NHS Number"},
    {"gp_practice_code", T::kOdsCode, kReq, "", "Practice that recorded the event"},
    {"event_date", T::kDate, kReq, "", "Date of the coded event"},
    {"snomed_concept_id", T::kCode, kReq, "gp_snomed",
     "SNOMED CT concept id (see docs/data-formats.md)"},
    {"value", T::kDecimal, kOpt, "", "Numeric value where the code carries one"},
};

constexpr FieldSpec kApcEpisodes[] = {
    {"episode_id", T::kText, kReq, "", "Unique episode id (spell id + episode number)"},
    {"spell_id", T::kText, kReq, "", "Hospital provider spell id"},
    {"episode_number", T::kInteger, kReq, "",
     "EPIORDER: position of the episode in the spell (1 = first)", R::kNone, kEpisodeOrder},
    {"episode_status", T::kCode, kReq, "episode_status", "EPISTAT: 1 finished, 3 unfinished"},
    {"episode_type", T::kCode, kReq, "episode_type", "EPITYPE: 1 general episode"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number (pseudonymised in national HES)"},
    {"provider_code", T::kOdsCode, kReq, "", "Provider ODS code"},
    {"gp_practice_code", T::kOdsCode, kOpt, "", "Registered GP practice"},
    {"admission_date", T::kDate, kReq, "", "ADMIDATE"},
    {"admission_method", T::kCode, kReq, "admission_method", "ADMIMETH"},
    {"admission_source", T::kCode, kReq, "admission_source", "ADMISORC"},
    {"patient_classification", T::kCode, kReq, "patient_classification", "CLASSPAT"},
    {"main_specialty", T::kCode, kReq, "specialty", "MAINSPEF"},
    {"episode_start_date", T::kDate, kReq, "", "EPISTART"},
    {"episode_end_date", T::kDate, kOpt, "", "EPIEND (empty if unfinished)"},
    {"discharge_date", T::kDate, kOpt, "", "DISDATE (last episode of the spell only)"},
    {"discharge_method", T::kCode, kOpt, "discharge_method", "DISMETH (4 = died)"},
    {"discharge_destination", T::kCode, kOpt, "discharge_destination", "DISDEST"},
    {"age_on_admission", T::kInteger, kReq, "", "STARTAGE: 0-120, or 7001-7007 for infants",
     R::kStartAge, kHesStartAge},
    {"sex", T::kCode, kReq, "sex", "1 male, 2 female, 9 indeterminate, 0 not known", R::kSex},
    {"lsoa_code", T::kText, kOpt, "", "LSOA of residence"},
    {"diag_01", T::kIcd10, kReq, "", "Primary diagnosis (ICD-10)"},
    {"diag_02", T::kIcd10, kOpt, "", "Secondary diagnosis"},
    {"diag_03", T::kIcd10, kOpt, "", "Secondary diagnosis"},
    {"diag_04", T::kIcd10, kOpt, "", "Secondary diagnosis"},
    {"diag_05", T::kIcd10, kOpt, "", "Secondary diagnosis"},
    {"diag_06", T::kIcd10, kOpt, "", "Secondary diagnosis"},
    {"cause", T::kIcd10, kOpt, "", "CAUSE: first external cause code (V01-Y98)"},
    {"opertn_01", T::kOpcs4, kOpt, "", "Main procedure (OPCS-4)"},
    {"opertn_02", T::kOpcs4, kOpt, "", "Secondary procedure"},
    {"opertn_03", T::kOpcs4, kOpt, "", "Secondary procedure"},
    {"discharge_ready_date", T::kDate, kOpt, "",
     "Date medically fit / ready for transfer (may be recorded without a delay)"},
    {"delay_agency", T::kCode, kOpt, "delay_agency", "Organisation responsible for a delay"},
    {"delay_reason", T::kCode, kOpt, "delay_reason", "DToC reason category (A-I)"},
};

constexpr FieldSpec kAeAttendances[] = {
    {"attendance_id", T::kText, kReq, "", "Emergency care attendance id"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number"},
    {"provider_code", T::kOdsCode, kReq, "", "Provider ODS code"},
    {"arrival_date", T::kDate, kReq, "", "Date of arrival"},
    {"arrival_mode", T::kCode, kReq, "ae_arrival_mode", "1 ambulance, 2 other"},
    {"department_type", T::kCode, kReq, "ae_department_type", "01 major A&E .. 04 walk-in centre"},
    {"attendance_category", T::kCode, kReq, "ae_attendance_category",
     "1 first, 2 unplanned follow-up, 3 planned follow-up"},
    {"age_at_arrival", T::kInteger, kReq, "", "Age in years", R::kNone, kAgeInYears},
    {"sex", T::kCode, kReq, "sex", "1 male, 2 female, 9, 0", R::kSex},
    {"lsoa_code", T::kText, kOpt, "", "LSOA of residence"},
    {"chief_complaint", T::kCode, kOpt, "ae_chief_complaint", "Presenting complaint group"},
    {"disposal", T::kCode, kReq, "ae_disposal", "Where the patient went next"},
    {"departure_date", T::kDate, kOpt, "", "Date of departure"},
};

constexpr FieldSpec kOpAppointments[] = {
    {"appointment_id", T::kText, kReq, "", "Outpatient appointment id"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number"},
    {"provider_code", T::kOdsCode, kReq, "", "Provider ODS code"},
    {"appointment_date", T::kDate, kReq, "", "Date of the appointment"},
    {"treatment_specialty", T::kCode, kReq, "specialty", "Treatment function code"},
    {"first_attendance", T::kCode, kReq, "op_first_attendance", "1 first, 2 follow-up"},
    {"attended", T::kCode, kReq, "attended", "ATTENDED: 5 seen, 3 did not attend, ..."},
    {"age_at_appointment", T::kInteger, kReq, "", "Age in years", R::kNone, kAgeInYears},
    {"sex", T::kCode, kReq, "sex", "1 male, 2 female, 9, 0", R::kSex},
    {"lsoa_code", T::kText, kOpt, "", "LSOA of residence"},
};

constexpr FieldSpec kCommunityContacts[] = {
    {"contact_id", T::kText, kReq, "", "Care contact id"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number"},
    {"provider_code", T::kOdsCode, kReq, "", "Provider ODS code"},
    {"team_type", T::kCode, kReq, "community_team_type", "Team that made the contact"},
    {"contact_date", T::kDate, kReq, "", "Date of the contact"},
    {"contact_location", T::kCode, kReq, "contact_location", "Home, clinic, care home, telephone"},
    {"attended", T::kCode, kReq, "attended", "ATTENDED code"},
    {"referral_id", T::kText, kOpt, "", "Referral the contact belongs to"},
};

constexpr FieldSpec kMhContacts[] = {
    {"contact_id", T::kText, kReq, "", "Care contact id"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number"},
    {"provider_code", T::kOdsCode, kReq, "", "Provider ODS code"},
    {"team_type", T::kCode, kReq, "mh_team_type", "Mental health team type"},
    {"contact_date", T::kDate, kReq, "", "Date of the contact"},
    {"attended", T::kCode, kReq, "attended", "ATTENDED code"},
};

constexpr FieldSpec kSocialCareEvents[] = {
    {"event_id", T::kText, kReq, "", "Event id in the council's case management system"},
    {"la_code", T::kText, kReq, "", "Council (ONS code)"},
    {"la_person_id", T::kText, kReq, "", "Council's person id"},
    {"nhs_number", T::kNhsNumber, kOpt, "", "NHS Number (often blank or mistyped)"},
    {"family_name", T::kText, kOpt, "", "Surname as the council holds it", R::kFamilyName},
    {"given_name", T::kText, kOpt, "", "Forename as the council holds it", R::kGivenName},
    {"birth_date", T::kDate, kOpt, "", "Date of birth", R::kBirthDate},
    {"sex", T::kCode, kOpt, "sex", "1 male, 2 female, 9, 0", R::kSex},
    {"postcode", T::kPostcode, kOpt, "", "Postcode of the person's address", R::kPostcode},
    {"event_type", T::kCode, kReq, "asc_event_type", "request, assessment, service, review"},
    {"service_type", T::kCode, kOpt, "asc_service_type", "For service events: what was provided"},
    {"service_term", T::kCode, kOpt, "asc_service_term",
     "long_term or short_term (respite, reablement)"},
    {"route_of_access", T::kCode, kOpt, "asc_route_of_access",
     "How the person came to the council"},
    {"event_start_date", T::kDate, kReq, "", "Start of the event"},
    {"event_end_date", T::kDate, kOpt, "", "End of the event (empty while open)"},
    {"weekly_cost", T::kDecimal, kOpt, "", "Gross weekly cost in pounds (services)", R::kNone,
     kWeeklyCost},
    {"funding", T::kCode, kOpt, "asc_funding", "Who pays"},
    {"outcome", T::kCode, kOpt, "asc_outcome",
     "Outcome of a request/assessment/review, or why a service ended"},
    {"death_date", T::kDate, kOpt, "", "Date of death known to the council", R::kDeathDate},
};

// --- Cross-field date rules (DateOrder) ------------------------------------------------

constexpr DateOrder kPdsDates[] = {{"birth_date", "death_date"},
                                   {"effective_from", "effective_to"}};
constexpr DateOrder kGpRegistrationDates[] = {{"registration_start_date", "registration_end_date"}};
constexpr DateOrder kApcDates[] = {{"admission_date", "discharge_date"},
                                   {"admission_date", "episode_start_date"},
                                   {"episode_start_date", "episode_end_date"}};
constexpr DateOrder kAeDates[] = {{"arrival_date", "departure_date"}};
constexpr DateOrder kSocialCareDates[] = {{"event_start_date", "event_end_date"},
                                          {"birth_date", "death_date"}};

constexpr ExtractSpec kExtracts[] = {
    {"organisations.csv", "organisations", "ODS organisation data (epraccur/etr style)",
     "GP practices, CCGs, trusts and the council, with the practice-to-CCG hierarchy.",
     kOrganisations, "ods_code", false},
    {"lsoa.csv", "lsoa", "ONS LSOA lookup with English Indices of Deprivation",
     "Each LSOA in the area with its local authority and IMD decile.", kLsoa, "lsoa_code", false},
    {"population.csv", "population", "ONS mid-year population estimates",
     "Residents by area, mid-year, sex and single year of age.", kPopulation, "", false},
    {"unit_costs.csv", "unit_costs", "NHS reference costs / PSSRU unit costs",
     "Cost per unit of activity and price year.", kUnitCosts, "", false},
    {"pds.csv", "pds", "Personal Demographics Service (master person index)",
     "One current row per person plus history rows for earlier names and addresses.", kPds, "",
     true, kPdsDates},
    {"gp_registrations.csv",
     "gp_registrations",
     "GP registration history (NHAIS/PDS)",
     "Each period a person was registered with a practice.",
     kGpRegistrations,
     "registration_id",
     true,
     kGpRegistrationDates,
     {"registration_start_date", "registration_end_date", "gp_practice_code",
      "deregistration_reason"}},
    {"gp_events.csv",
     "gp_events",
     "GP system coded events (GPES / GPDPR style, SNOMED CT)",
     "Long-term condition diagnoses, frailty markers, consultations, care plans.",
     kGpEvents,
     "event_id",
     true,
     {},
     {"event_date", "", "snomed_concept_id", ""}},
    {"apc_episodes.csv",
     "apc_episodes",
     "SUS / HES Admitted Patient Care",
     "Consultant episodes of hospital spells.",
     kApcEpisodes,
     "episode_id",
     true,
     kApcDates,
     {"episode_start_date", "episode_end_date", "diag_01", "admission_method"}},
    {"ae_attendances.csv",
     "ae_attendances",
     "Emergency Care Data Set (ECDS)",
     "Emergency department attendances.",
     kAeAttendances,
     "attendance_id",
     true,
     kAeDates,
     {"arrival_date", "departure_date", "chief_complaint", "disposal"}},
    {"op_appointments.csv",
     "op_appointments",
     "SUS / HES Outpatients",
     "Outpatient appointments, attended or not.",
     kOpAppointments,
     "appointment_id",
     true,
     {},
     {"appointment_date", "", "treatment_specialty", "attended"}},
    {"community_contacts.csv",
     "community_contacts",
     "Community Services Data Set (CSDS)",
     "Contacts with community health teams.",
     kCommunityContacts,
     "contact_id",
     true,
     {},
     {"contact_date", "", "team_type", "contact_location"}},
    {"mh_contacts.csv",
     "mh_contacts",
     "Mental Health Services Data Set (MHSDS)",
     "Contacts with mental health teams.",
     kMhContacts,
     "contact_id",
     true,
     {},
     {"contact_date", "", "team_type", "attended"}},
    {"social_care_events.csv",
     "social_care_events",
     "Adult Social Care Client Level Data (NHS England ASC CLD)",
     "Requests, assessments, services and reviews for adults known to the council.",
     kSocialCareEvents,
     "event_id",
     true,
     kSocialCareDates,
     {"event_start_date", "event_end_date", "event_type", "service_type"}},
};

}  // namespace

const char* FieldTypeName(FieldType t) {
  switch (t) {
    case T::kText:
      return "text";
    case T::kInteger:
      return "integer";
    case T::kDecimal:
      return "decimal";
    case T::kDate:
      return "date";
    case T::kNhsNumber:
      return "nhs_number";
    case T::kCode:
      return "code";
    case T::kIcd10:
      return "icd10";
    case T::kOpcs4:
      return "opcs4";
    case T::kOdsCode:
      return "ods_code";
    case T::kPostcode:
      return "postcode";
  }
  return "unknown";
}

int ExtractSpec::FieldIndex(std::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

int ExtractSpec::FieldWithRole(FieldRole role) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].role == role) return static_cast<int>(i);
  }
  return -1;
}

std::string_view ExtractSpec::FieldNameWithRole(FieldRole role) const {
  const int i = FieldWithRole(role);
  return i < 0 ? std::string_view() : fields[static_cast<size_t>(i)].name;
}

const char* FieldRoleName(FieldRole r) {
  switch (r) {
    case R::kNone:
      return "";
    case R::kGivenName:
      return "given_name";
    case R::kFamilyName:
      return "family_name";
    case R::kBirthDate:
      return "birth_date";
    case R::kSex:
      return "sex";
    case R::kPostcode:
      return "postcode";
    case R::kDeathDate:
      return "death_date";
    case R::kValidFrom:
      return "valid_from";
    case R::kValidTo:
      return "valid_to";
    case R::kStartAge:
      return "start_age";
  }
  return "unknown";
}

std::span<const ExtractSpec> AllExtracts() { return kExtracts; }

const ExtractSpec* FindExtract(std::string_view file_name) {
  for (const ExtractSpec& e : kExtracts) {
    if (e.file_name == file_name) return &e;
  }
  return nullptr;
}

std::string DescribeRanges(std::span<const ValueRange> ranges) {
  std::string out = "out of range: must be ";
  for (size_t i = 0; i < ranges.size(); ++i) {
    const ValueRange& r = ranges[i];
    if (i > 0) out += " or ";
    out += r.max == kNoMaximum ? fmt::format(">= {}", r.min)
                               : fmt::format("within {}..{}", r.min, r.max);
    out += fmt::format(" ({})", r.why);
  }
  return out;
}

}  // namespace pioneer::formats
