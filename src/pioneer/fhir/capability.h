// The CapabilityStatement served at GET [base]/metadata: exactly what this server
// implements (read and search of Patient, Encounter, Condition, EpisodeOfCare, CarePlan;
// CarePlan create, conditional create and versioned update; AuditEvent search; Patient
// $everything; SMART-style bearer tokens). Nothing is declared that is not
// implemented (docs/fhir.md).
// Thread safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace pioneer::fhir {

nlohmann::json CapabilityStatement(std::string_view base_url, std::string_view version);

}  // namespace pioneer::fhir
