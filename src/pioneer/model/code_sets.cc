#include "pioneer/model/code_sets.h"

namespace pioneer::model {
namespace {

// Each table below is data: values and meanings from the named source. Meanings are
// paraphrased. Provenance tags (AUTH, CORR, PROP) are explained in docs/metrics.md.

constexpr Code kSex[] = {
    {"0", "Not known"}, {"1", "Male"}, {"2", "Female"}, {"9", "Indeterminate (not specified)"}};

constexpr Code kPdsRecordType[] = {
    {"current", "The person's current name, address and registration"},
    {"history", "An earlier name or address, with its effective dates"}};

constexpr Code kOrganisationType[] = {
    {"gp_practice", "GP practice"},
    {"ccg", "Clinical commissioning group"},
    {"acute_trust", "Acute hospital trust"},
    {"community_trust", "Community health services provider"},
    {"mental_health_trust", "Mental health trust"},
    {"local_authority", "Council with adult social services responsibilities"}};

constexpr Code kDeregistrationReason[] = {{"death", "Patient died"},
                                          {"moved_practice", "Registered with another practice"},
                                          {"left_area", "Moved out of the area"},
                                          {"other", "Other reason"}};

// GP coded events. International SNOMED CT concepts (clinical findings and procedures);
// the 2014/15 "avoiding unplanned admissions" enhanced service codes are the Read v2 codes
// the service specified (bcf-metrics.md 10.1), which GP systems migrated to SNOMED CT in
// 2018; extracts of that era still carry them.
constexpr Code kGpSnomed[] = {
    // Long-term conditions
    {"73211009", "Diabetes mellitus"},
    {"13645005", "Chronic obstructive lung disease (COPD)"},
    {"53741008", "Coronary arteriosclerosis (coronary heart disease)"},
    {"84114007", "Heart failure"},
    {"195967001", "Asthma"},
    {"84757009", "Epilepsy"},
    {"52448006", "Dementia"},
    {"363346000", "Malignant neoplastic disease (cancer)"},
    {"709044004", "Chronic kidney disease"},
    {"35489007", "Depressive disorder"},
    {"230690007", "Cerebrovascular accident (stroke)"},
    {"38341003", "Hypertensive disorder"},
    {"49436004", "Atrial fibrillation"},
    // Frailty markers
    {"161898004", "Falls"},
    {"165232002", "Urinary incontinence"},
    {"2492009", "Nutritional deficiency disorder (malnutrition)"},
    {"248279007", "Frailty"},
    {"386807006", "Memory impairment"},
    {"82971005", "Impaired mobility"},
    // Encounters
    {"11429006", "Consultation"},
    {"185317003", "Telephone encounter"},
    {"439708006", "Home visit"},
    // Care planning
    {"734163000", "Care plan"},
    {"13Zu.", "At risk of emergency hospital admission (Read v2)"},
    {"8CV4.", "Admission avoidance care started (Read v2; defines the register)"},
    {"8CT2.", "Admission avoidance care ended (Read v2)"},
    {"8CSB.", "Care plan agreed (Read v2)"},
    {"8IAe1", "Care plan declined (Read v2)"},
    {"8CMG3", "Care plan reviewed (Read v2)"},
    {"67DJ.", "Informed of named accountable GP (Read v2)"}};

constexpr Code kEpisodeStatus[] = {{"1", "Finished episode"}, {"3", "Unfinished episode"}};

constexpr Code kEpisodeType[] = {
    {"1", "General episode"},      {"2", "Delivery episode"},
    {"3", "Birth episode"},        {"4", "Formally detained under mental health legislation"},
    {"5", "Other delivery event"}, {"6", "Other birth event"}};

constexpr Code kAdmissionMethod[] = {
    {"11", "Elective: waiting list"},
    {"12", "Elective: booked"},
    {"13", "Elective: planned"},
    {"21", "Emergency: via the provider's emergency department"},
    {"22", "Emergency: GP request"},
    {"23", "Emergency: bed bureau"},
    {"24", "Emergency: consultant clinic"},
    {"25", "Emergency: mental health crisis resolution team"},
    {"28", "Emergency: other means (before April 2013)"},
    {"2A", "Emergency: another provider's emergency department"},
    {"2B", "Emergency: transfer of an admitted patient from another hospital"},
    {"2C", "Emergency: baby born at home as intended"},
    {"2D", "Emergency: other"},
    {"31", "Maternity: ante-partum"},
    {"32", "Maternity: post-partum"},
    {"81", "Transfer of an admitted patient from another provider (non-emergency)"},
    {"82", "Birth in this provider"},
    {"83", "Birth outside this provider"},
    {"99", "Not known"}};

constexpr Code kAdmissionSource[] = {
    {"19", "Usual place of residence"},
    {"29", "Temporary place of residence"},
    {"39", "Penal establishment or police station"},
    {"49", "NHS other hospital provider: high security psychiatric"},
    {"51", "NHS other hospital provider: ward for general patients"},
    {"52", "NHS other hospital provider: maternity ward"},
    {"53", "NHS other hospital provider: ward for mentally ill or learning disability"},
    {"54", "NHS run care home"},
    {"65", "Local authority residential accommodation"},
    {"66", "Local authority foster care"},
    {"79", "Babies born in or on the way to hospital"},
    {"85", "Non-NHS run care home"},
    {"87", "Non-NHS run hospital"},
    {"88", "Non-NHS run hospice"},
    {"98", "Not applicable"},
    {"99", "Not known"}};

constexpr Code kPatientClassification[] = {
    {"1", "Ordinary admission"},
    {"2", "Day case admission"},
    {"3", "Regular day admission"},
    {"4", "Regular night admission"},
    {"5", "Mothers and babies using only delivery facilities"},
    {"8", "Not applicable"},
    {"9", "Not known"}};

constexpr Code kSpecialty[] = {{"100", "General surgery"},
                               {"101", "Urology"},
                               {"110", "Trauma and orthopaedics"},
                               {"120", "Ear, nose and throat"},
                               {"130", "Ophthalmology"},
                               {"180", "Emergency medicine"},
                               {"300", "General medicine"},
                               {"301", "Gastroenterology"},
                               {"314", "Rehabilitation"},
                               {"320", "Cardiology"},
                               {"330", "Dermatology"},
                               {"340", "Respiratory medicine"},
                               {"361", "Nephrology"},
                               {"400", "Neurology"},
                               {"420", "Paediatrics"},
                               {"430", "Geriatric medicine"},
                               {"501", "Obstetrics"},
                               {"502", "Gynaecology"},
                               {"560", "Midwife episode"},
                               {"710", "Adult mental illness"},
                               {"715", "Old age psychiatry"},
                               {"800", "Clinical oncology"}};

constexpr Code kDischargeMethod[] = {
    {"1", "Discharged on clinical advice or with clinical consent"},
    {"2", "Self-discharged or discharged by a relative"},
    {"3", "Discharged by mental health review tribunal or court"},
    {"4", "Died"},
    {"5", "Stillbirth"},
    {"8", "Not applicable: still in hospital"},
    {"9", "Not known"}};

constexpr Code kDischargeDestination[] = {
    {"19", "Usual place of residence"},
    {"29", "Temporary place of residence"},
    {"30", "Repatriation from high security psychiatric hospital"},
    {"37", "Court"},
    {"38", "Penal establishment or police station"},
    {"48", "High security psychiatric hospital, Scotland"},
    {"49", "NHS other hospital provider: high security psychiatric"},
    {"50", "NHS other hospital provider: medium secure unit"},
    {"51", "NHS other hospital provider: ward for general patients"},
    {"52", "NHS other hospital provider: maternity ward"},
    {"53", "NHS other hospital provider: ward for mentally ill or learning disability"},
    {"54", "NHS run care home"},
    {"65", "Local authority residential accommodation"},
    {"66", "Local authority foster care"},
    {"79", "Not applicable: patient died or stillbirth"},
    {"84", "Non-NHS run hospital: medium secure unit"},
    {"85", "Non-NHS run care home"},
    {"87", "Non-NHS run hospital"},
    {"88", "Non-NHS run hospice"},
    {"98", "Not applicable: still in hospital"},
    {"99", "Not known"}};

constexpr Code kDelayAgency[] = {
    {"NHS", "NHS"}, {"SOCIAL_CARE", "Social care"}, {"BOTH", "NHS and social care jointly"}};

constexpr Code kDelayReason[] = {
    {"A", "Awaiting completion of assessment"},
    {"B", "Awaiting public funding"},
    {"C", "Awaiting further non-acute NHS care (incl. intermediate care, rehabilitation)"},
    {"D1", "Awaiting residential home placement or availability"},
    {"D2", "Awaiting nursing home placement or availability"},
    {"E", "Awaiting care package in own home"},
    {"F", "Awaiting community equipment and adaptations"},
    {"G", "Patient or family choice"},
    {"H", "Disputes"},
    {"I", "Housing (patients not covered by the NHS and Community Care Act)"}};

constexpr Code kAeArrivalMode[] = {{"1", "Brought in by ambulance (incl. helicopter)"},
                                   {"2", "Other"}};

constexpr Code kAeDepartmentType[] = {
    {"01", "Consultant-led 24-hour major emergency department"},
    {"02", "Consultant-led single-specialty emergency department"},
    {"03", "Other type: urgent treatment centre / minor injury unit"},
    {"04", "NHS walk-in centre"}};

constexpr Code kAeAttendanceCategory[] = {{"1", "First emergency attendance"},
                                          {"2", "Unplanned follow-up attendance"},
                                          {"3", "Planned follow-up attendance"}};

constexpr Code kAeChiefComplaint[] = {{"breathlessness", "Breathing difficulty"},
                                      {"chest_pain", "Chest pain"},
                                      {"fall", "Fall"},
                                      {"injury", "Injury (other)"},
                                      {"abdominal_pain", "Abdominal pain"},
                                      {"confusion", "Confusion or delirium"},
                                      {"fever", "Fever or infection"},
                                      {"mental_health", "Mental health crisis"},
                                      {"other", "Other complaint"}};

constexpr Code kAeDisposal[] = {{"admitted", "Admitted to hospital"},
                                {"discharged_gp_follow_up", "Discharged, GP follow-up"},
                                {"discharged_no_follow_up", "Discharged, no follow-up"},
                                {"referred_outpatients", "Referred to an outpatient clinic"},
                                {"transferred", "Transferred to another provider"},
                                {"died", "Died in the department"},
                                {"left_before_treatment", "Left before treatment"}};

constexpr Code kOpFirstAttendance[] = {{"1", "First attendance"}, {"2", "Follow-up attendance"}};

constexpr Code kAttended[] = {{"2", "Cancelled by, or on behalf of, the patient"},
                              {"3", "Did not attend, no advance warning"},
                              {"4", "Cancelled or postponed by the provider"},
                              {"5", "Attended on time, or late but seen"},
                              {"6", "Arrived late and was seen"},
                              {"7", "Arrived late and could not be seen"}};

constexpr Code kCommunityTeamType[] = {
    {"district_nursing", "District nursing"},
    {"intermediate_care", "Intermediate care (step-up/step-down)"},
    {"health_reablement", "Health reablement / rehabilitation at home"},
    {"virtual_ward", "Virtual ward"},
    {"community_matron", "Community matron / case management"},
    {"falls_service", "Falls prevention service"},
    {"therapy", "Community therapy (physiotherapy, occupational therapy)"},
    {"palliative_care", "Palliative and end-of-life care"}};

constexpr Code kContactLocation[] = {{"home", "Patient's home"},
                                     {"clinic", "Clinic or health centre"},
                                     {"care_home", "Care home"},
                                     {"telephone", "Telephone or video"}};

constexpr Code kMhTeamType[] = {{"cmht", "Community mental health team (adult)"},
                                {"older_adult_cmht", "Community mental health team (older adults)"},
                                {"crisis_resolution", "Crisis resolution / home treatment"},
                                {"memory_service", "Memory assessment service"},
                                {"iapt", "Improving Access to Psychological Therapies"},
                                {"liaison_psychiatry", "Liaison psychiatry"}};

constexpr Code kAscEventType[] = {{"request", "Request for support"},
                                  {"assessment", "Needs assessment"},
                                  {"service", "Service provided"},
                                  {"review", "Review of a service"}};

constexpr Code kAscServiceType[] = {
    {"nursing", "Nursing care home"},
    {"residential", "Residential care home"},
    {"home_care", "Community support: home care"},
    {"direct_payment", "Community support: direct payment"},
    {"reablement", "Short-term support to maximise independence (reablement)"},
    {"respite", "Respite or other temporary care home stay"},
    {"day_care", "Day care"},
    {"equipment", "Equipment and adaptations"}};

constexpr Code kAscServiceTerm[] = {{"long_term", "Long-term support"},
                                    {"short_term", "Short-term support"}};

constexpr Code kAscRouteOfAccess[] = {
    {"discharge_from_hospital", "Discharge from hospital"},
    {"diversion_from_hospital", "Diversion from hospital services"},
    {"community", "Community / other route"},
    {"self_funder_depleted", "Self-funder with depleted funds"},
    {"transition", "Planned entry (transition from children's services)"},
    {"other", "Other"}};

constexpr Code kAscFunding[] = {
    {"la_funded", "Council-funded (any contribution)"},
    {"self_funder", "Self-funded"},
    {"nhs_funded", "NHS Continuing Healthcare, no council contribution"},
    {"joint", "Jointly funded by the council and the NHS"}};

constexpr Code kAscOutcome[] = {{"long_term_support", "Long-term support"},
                                {"short_term_support", "Short-term support"},
                                {"universal_services", "Universal services / signposting"},
                                {"no_services", "No services provided"},
                                {"no_ongoing_support", "Ended: no ongoing support needed"},
                                {"ongoing_support", "Ended: moved to ongoing support"},
                                {"care_home_admission", "Ended: admitted to a care home"},
                                {"admitted_hospital", "Ended: admitted to hospital"},
                                {"died", "Ended: person died"},
                                {"moved_away", "Ended: moved out of the area"},
                                {"not_recorded", "Not recorded"}};

constexpr Code kActivityType[] = {{"gp_consultation", "GP surgery consultation"},
                                  {"gp_telephone", "GP telephone consultation"},
                                  {"gp_home_visit", "GP home visit"},
                                  {"ae_attendance", "A&E attendance"},
                                  {"op_attendance", "Outpatient attendance"},
                                  {"apc_elective_spell", "Elective inpatient spell"},
                                  {"apc_day_case", "Day case"},
                                  {"apc_non_elective_spell", "Non-elective inpatient spell"},
                                  {"apc_excess_bed_day", "Excess bed day"},
                                  {"community_contact", "Community health contact"},
                                  {"mh_contact", "Mental health contact"},
                                  {"home_care_hour", "Home care hour"},
                                  {"home_care_week", "Home care package week"},
                                  {"residential_care_week", "Residential care week"},
                                  {"nursing_care_week", "Nursing care week"},
                                  {"reablement_week", "Reablement week"},
                                  {"direct_payment_week", "Direct payment week"},
                                  {"respite_week", "Respite week"},
                                  {"assessment", "Social care assessment"}};

constexpr Code kCostUnit[] = {{"per_attendance", "Per attendance or contact"},
                              {"per_spell", "Per spell"},
                              {"per_bed_day", "Per bed day"},
                              {"per_hour", "Per hour"},
                              {"per_week", "Per week"},
                              {"per_assessment", "Per assessment"}};

constexpr CodeSet kSets[] = {
    {"sex", "NHS Data Dictionary: Person stated gender code", "AUTH", kSex},
    {"pds_record_type", "Pioneer extract format", "PROP", kPdsRecordType},
    {"organisation_type", "ODS organisation roles (simplified)", "PROP", kOrganisationType},
    {"deregistration_reason", "PDS/NHAIS deregistration reasons (simplified)", "PROP",
     kDeregistrationReason},
    {"gp_snomed",
     "SNOMED CT international concepts; Read v2 codes of the 2014/15 avoiding unplanned "
     "admissions enhanced service",
     "CORR", kGpSnomed},
    {"episode_status", "HES APC EPISTAT", "AUTH", kEpisodeStatus},
    {"episode_type", "HES APC EPITYPE", "AUTH", kEpisodeType},
    {"admission_method", "NHS Data Dictionary: Admission method (ADMIMETH)", "AUTH",
     kAdmissionMethod},
    {"admission_source", "NHS Data Dictionary: Admission source (ADMISORC)", "AUTH",
     kAdmissionSource},
    {"patient_classification", "NHS Data Dictionary: Patient classification (CLASSPAT)", "AUTH",
     kPatientClassification},
    {"specialty", "NHS Data Dictionary: Main specialty / treatment function (subset)", "AUTH",
     kSpecialty},
    {"discharge_method", "NHS Data Dictionary: Discharge method (DISMETH)", "AUTH",
     kDischargeMethod},
    {"discharge_destination", "NHS Data Dictionary: Discharge destination (DISDEST)", "AUTH",
     kDischargeDestination},
    {"delay_agency", "DToC monthly SitRep: agency responsible", "AUTH", kDelayAgency},
    {"delay_reason", "DToC monthly SitRep: reason categories A-I", "CORR", kDelayReason},
    {"ae_arrival_mode", "A&E / ECDS arrival mode (simplified)", "CORR", kAeArrivalMode},
    {"ae_department_type", "NHS Data Dictionary: Emergency care department type", "AUTH",
     kAeDepartmentType},
    {"ae_attendance_category", "NHS Data Dictionary: A&E attendance category", "AUTH",
     kAeAttendanceCategory},
    {"ae_chief_complaint", "ECDS chief complaint groups (simplified)", "PROP", kAeChiefComplaint},
    {"ae_disposal", "ECDS discharge destination groups (simplified)", "PROP", kAeDisposal},
    {"op_first_attendance", "NHS Data Dictionary: First attendance", "AUTH", kOpFirstAttendance},
    {"attended", "NHS Data Dictionary: Attended or did not attend", "AUTH", kAttended},
    {"community_team_type", "CSDS team types (simplified)", "PROP", kCommunityTeamType},
    {"contact_location", "CSDS activity location (simplified)", "PROP", kContactLocation},
    {"mh_team_type", "MHSDS service or team type (simplified)", "PROP", kMhTeamType},
    {"asc_event_type", "NHS England Adult Social Care Client Level Data: event type", "CORR",
     kAscEventType},
    {"asc_service_type", "ASC CLD service type (simplified)", "CORR", kAscServiceType},
    {"asc_service_term", "ASC CLD: long-term / short-term support", "CORR", kAscServiceTerm},
    {"asc_route_of_access", "ASC CLD / SALT route of access", "CORR", kAscRouteOfAccess},
    {"asc_funding", "ASC CLD funding / client type (simplified)", "CORR", kAscFunding},
    {"asc_outcome", "ASC CLD request, assessment and service end outcomes (simplified)", "CORR",
     kAscOutcome},
    {"activity_type", "Pioneer costing activities (reference costs / PSSRU)", "PROP",
     kActivityType},
    {"cost_unit", "Pioneer costing units", "PROP", kCostUnit},
};

}  // namespace

bool CodeSet::Contains(std::string_view code) const { return !Meaning(code).empty(); }

std::string_view CodeSet::Meaning(std::string_view code) const {
  for (const Code& c : codes) {
    if (c.code == code) return c.meaning;
  }
  return {};
}

std::span<const CodeSet> AllCodeSets() { return kSets; }

const CodeSet* FindCodeSet(std::string_view name) {
  for (const CodeSet& s : kSets) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

namespace {

constexpr std::string_view kEmergencyAdmissionMethods[] = {"21", "22", "23", "24", "25",
                                                           "28", "2A", "2B", "2C", "2D"};
constexpr std::string_view kNhsProviderTransferSources[] = {"51", "52", "53"};

bool Member(std::span<const std::string_view> set, std::string_view code) {
  for (std::string_view c : set) {
    if (c == code) return true;
  }
  return false;
}

}  // namespace

std::span<const std::string_view> EmergencyAdmissionMethods() { return kEmergencyAdmissionMethods; }
bool IsEmergencyAdmissionMethod(std::string_view m) {
  return Member(kEmergencyAdmissionMethods, m);
}

std::span<const std::string_view> NhsProviderTransferSources() {
  return kNhsProviderTransferSources;
}
bool IsNhsProviderTransferSource(std::string_view s) {
  return Member(kNhsProviderTransferSources, s);
}

}  // namespace pioneer::model
