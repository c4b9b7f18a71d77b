// AuditEvent resources from the gate's audit trail (ig::AuditEntry), for the IG officer and
// for a patient reading who accessed their record. Mapping (docs/fhir.md):
//   id = "<seq>"; type = rest (DICOM/HL7 audit event type) with subtype = the action;
//   action C (an action ending ".create"), U (".update"), E (break-glass) or R (read); recorded =
//   at; outcome 0 (success) for permitted/granted, 4 (minor failure) for denied; purposeOfEvent =
//   the purpose and, for break-glass, v3-ActReason BTG with the reason as text; agent = the user
//   (username, role, organisation by ODS code); entity = the person (NHS Number identifier) and a
//   description of what was returned; extension: the hash chain (seq, prev_hash, hash).
// Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "pioneer/ig/audit.h"

namespace pioneer::fhir {

nlohmann::json AuditEventResource(const ig::AuditEntry& entry);

}  // namespace pioneer::fhir
