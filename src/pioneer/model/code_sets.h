// Code sets: the closed lists of values an extract field may take, as data.
//
// Each CodeSet is a named table of (code, meaning) pairs with the source it comes from and a
// provenance tag ("AUTH" official text read; "CORR" secondary source; "PROP" our proposal,
// to verify), following the provenance tags of docs/metrics.md. Ingest checks every kCode
// field against its set; docs/data-formats.md lists them; metrics read them by name.
//
// Names used by formats/extract_schema.cc: sex, pds_record_type, organisation_type,
// deregistration_reason, gp_snomed, episode_status, episode_type, admission_method,
// admission_source, patient_classification, specialty, discharge_method,
// discharge_destination, delay_agency, delay_reason, ae_arrival_mode, ae_department_type,
// ae_attendance_category, ae_chief_complaint, ae_disposal, op_first_attendance, attended,
// community_team_type, contact_location, mh_team_type, asc_event_type, asc_service_type,
// asc_service_term, asc_route_of_access, asc_funding, asc_outcome, activity_type, cost_unit.
//
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace pioneer::model {

struct Code {
  std::string_view code;
  std::string_view meaning;
};

struct CodeSet {
  std::string_view name;
  std::string_view source;      // publication or dataset the values follow
  std::string_view provenance;  // AUTH, CORR or PROP
  std::span<const Code> codes;

  bool Contains(std::string_view code) const;
  // Meaning of `code`, or empty if the code is not in the set.
  std::string_view Meaning(std::string_view code) const;
};

std::span<const CodeSet> AllCodeSets();
// nullptr if no set has this name.
const CodeSet* FindCodeSet(std::string_view name);

// Named subsets of a code set that rules select on, each written once here and read wherever
// the rule applies (the metrics catalogue, risk features, Care Trak activity, the generator
// and its calibration check). Every code is a member of the parent set named in the comment.

// admission_method: the emergency admission methods {21,22,23,24,25,28,2A,2B,2C,2D}
// (bcf-metrics.md 1.5, AUTH).
std::span<const std::string_view> EmergencyAdmissionMethods();
bool IsEmergencyAdmissionMethod(std::string_view admission_method);

// admission_source: transfers in from another NHS hospital provider {51,52,53}, which the
// NHS unplanned-admission indicators exclude (bcf-metrics.md 1.6, AUTH).
std::span<const std::string_view> NhsProviderTransferSources();
bool IsNhsProviderTransferSource(std::string_view admission_source);

}  // namespace pioneer::model
