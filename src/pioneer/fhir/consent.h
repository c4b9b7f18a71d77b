// Consent resources for objections to sharing (FHIR R4 Consent, scope patient-privacy):
// the read mapping of one person's objection (ig/objections.h) and the write mapping of a
// Consent body onto recording or lifting it. docs/fhir.md has both, field by field.
//
// A person has at most one objection, so their Consent's id is "objection-<Patient id>" and
// it is current while the objection stands (status active, provision.type deny). Every
// recording and lifting is a version of it (status inactive once lifted).
// Writing: status active with provision.type deny records the objection; status active with
// provision.type permit, or status inactive, rejected or entered-in-error, lifts it. Other
// statuses (draft, proposed) and scopes other than patient-privacy are refused; elements the
// store cannot hold (nested provisions, provision periods, actors, ...) are refused, never
// dropped; descriptive elements (category, policyRule, policy, performer, organization,
// text, meta) are accepted and not stored. Problems name elements, never values.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/fhir/care_plan_write.h"
#include "pioneer/ig/objections.h"

namespace pioneer::fhir {

// "objection-<patient id>" -> the Patient id.
std::optional<int64_t> ParseConsentId(std::string_view id);
std::string ConsentId(int64_t patient_id);

// The Consent of a stored objection. `active` false gives the same Consent with status
// inactive (the answer to a withdrawal); `version` its meta.versionId (the objection
// history's version, ig::ObjectionHistory).
nlohmann::json ConsentResource(const ig::ObjectionRecord& objection, int64_t patient_id,
                               bool active = true, int64_t version = 1);

enum class ConsentEffect { kRecordObjection, kLiftObjection };

struct ConsentParse {
  std::string not_a_consent;           // set: a 400 with this message
  std::vector<WriteProblem> problems;  // content problems: a 422
  SubjectRef patient;
  ConsentEffect effect = ConsentEffect::kRecordObjection;
  std::string recorded_on;  // dateTime's date part, "" when absent
};
ConsentParse ParseConsent(const nlohmann::json& body);

}  // namespace pioneer::fhir
