// Writing a CarePlan: a FHIR R4 CarePlan body (create or update) mapped back onto the care
// plan register (careplan/care_plan.h), the inverse of CarePlanResource (resources.h);
// docs/fhir.md has the mapping field by field. Pure functions: the server resolves the
// subject through the IG gate and stores the plan (careplan/plan_store.h).
//
// Strict by design, because nothing may be lost silently: an element the register cannot
// hold (activity, goal, author, a second note, an unknown participant role, ...) is a
// problem, not ignored. Elements derived on read (title, meta, text, the CareTeam's id,
// status and subject) are accepted and not stored.
// Problems name the element as a FHIRPath-like expression ("CarePlan.period.start") and
// never quote a value (values may be identifiers).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/careplan/care_plan.h"
#include "pioneer/fhir/resources.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::fhir {

// One problem with a body, for a 422 OperationOutcome issue.
struct WriteProblem {
  std::string expression;  // e.g. "CarePlan.period.start"
  std::string reason;      // e.g. "is required"
};

// Who the plan is for, as the body names them: a reference "Patient/<id>" (a Patient id of
// this server, possibly as an absolute URL ending so) or an NHS Number identifier.
struct SubjectRef {
  std::optional<int64_t> patient_id;
  std::optional<NhsNumber> nhs_number;
};

// Parses a reference to a Patient (`ref` is the Reference object at `path`, e.g.
// "Consent.patient"), adding problems when it is neither form.
SubjectRef ParseSubjectRef(const nlohmann::json* ref, const std::string& path,
                           std::vector<WriteProblem>* problems);

struct CarePlanWrite {
  std::string id;  // the body's id ("" when absent)
  SubjectRef subject;
  // Every register field but nhs_number (set once the gate has resolved the subject),
  // plan_id, version, recorded_at and recorded_by. source is kFhirPlanSource and source_ref
  // "<system>|<value>" when the body has an identifier; both "" otherwise.
  careplan::CarePlan plan;
};

struct CarePlanParse {
  // Set when the body is not a CarePlan at all (not a JSON object, or another
  // resourceType): a 400, with this message.
  std::string not_a_care_plan;
  std::vector<WriteProblem> problems;  // content problems: a 422 (empty when valid)
  CarePlanWrite write;
};

// Maps a parsed JSON body. Also runs the register's validation (careplan::Validate) on the
// fields it can check before the subject is known, reported against the FHIR elements.
CarePlanParse ParseCarePlan(const nlohmann::json& body);

// The register's validation problems of `plan` (subject resolved) as FHIR expressions.
std::vector<WriteProblem> ValidateCarePlan(const careplan::CarePlan& plan);

// The FHIR element a register field is written from ("review_date" -> "CarePlan.note").
std::string CarePlanElementOf(std::string_view register_field);

// An `If-None-Exist` header for a CarePlan create: only `identifier=<system>|<value>` or
// `identifier=<value>` (any system) is supported. Returns the source_ref to match exactly
// ("<system>|<value>") or, with any system, the suffix to match ("|<value>"); nullopt with
// `error` set for any other criteria.
struct PlanIdentifierCriteria {
  std::string exact;   // "<system>|<value>"
  std::string suffix;  // "|<value>"
};
std::optional<PlanIdentifierCriteria> ParseIfNoneExist(std::string_view header, std::string* error);

// The version in an `If-Match` header (W/"3" or "3"); nullopt when malformed.
std::optional<int> ParseIfMatch(std::string_view header);

// A 422 (or other) OperationOutcome with one issue per problem (code `code`, with
// `expression`).
nlohmann::json ProblemsOutcome(const std::vector<WriteProblem>& problems,
                               std::string_view code = "processing");

}  // namespace pioneer::fhir
