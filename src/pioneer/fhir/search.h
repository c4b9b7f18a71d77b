// FHIR search parameters (R4 "Search"): parsing of the parameters the server supports,
// date prefixes, paging and searchset Bundles. Pure functions.
//
// Unknown parameters are rejected (400) unless the client sends `Prefer: handling=lenient`:
// for a clinical record a misspelt parameter must not silently widen a search.
// Dates: prefixes eq (default), ge, gt, le, lt with YYYY, YYYY-MM or YYYY-MM-DD; each value
// is turned into a half-open range of days and several values are intersected.
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/ig/patient_query.h"

namespace pioneer::fhir {

using SearchParams = std::vector<std::pair<std::string, std::string>>;

inline constexpr int64_t kDefaultPageSize = 20;
inline constexpr int64_t kMaxPageSize = 200;

// [from, before) on ISO dates; either side open when absent.
struct DateRange {
  std::optional<std::string> from;
  std::optional<std::string> before;
};
// Narrows `range` by one date search value. kInvalidArgument for a bad value or prefix.
Status AddDateConstraint(std::string_view value, DateRange* range);
// True if the ISO date (or date-time; its date part counts) lies in the range.
bool InRange(const DateRange& range, std::string_view iso);

struct Paging {
  int64_t count = kDefaultPageSize;
  int64_t offset = 0;
};

// Patient search: identifier, family, given, name, birthdate, gender, _id, plus paging.
StatusOr<ig::PatientQuery> PatientQueryFromParams(const SearchParams& params, bool lenient);
// A token search value (R4 "token"): `code` (any system), `system|code`, `|code` (a coding
// without a system) or `system|` (any code of the system). Commas separate values any of
// which may match; `\,` `\|` and `\\` are literal.
struct Token {
  std::optional<std::string> system;  // nullopt: any system; "": none
  std::string code;                   // "": any code (only with a system)
};
// One token parameter of a search: the resource element it looks at and the values.
// Modifiers: `:not` (no value of the element matches any of the tokens; a resource without
// the element matches), `:missing=true|false` (the element is absent / present), `:text`
// (the value starts the text, or a word of the text, of the element's CodeableConcept `text`
// or a Coding's `display`, case-insensitively), and `:below` / `:above` (subsumption) in the
// code systems whose hierarchy is the code itself (HierarchicalSystems(): ICD-10, OPCS-4): a
// coding of the token's system is below a value when its code, dots removed, starts with the
// value's, and above it when its code (a category: three characters or more) starts the
// value's; J18 is below J1 and above J18.9. :below and :above need `system|code` of such a
// system (kInvalidArgument otherwise: SNOMED CT subsumption needs a terminology server).
// `:in`, `:not-in` and `:of-type` are unknown parameters.
enum class Subsumption { kNone, kBelow, kAbove };
struct TokenFilter {
  std::string parameter;                         // e.g. "code"
  std::string element;                           // e.g. "code", "category", "clinicalStatus"
  std::vector<Token> any_of;                     // empty for :missing
  bool negated = false;                          // :not
  std::optional<bool> missing;                   // :missing
  std::optional<std::string> text;               // :text
  Subsumption subsumption = Subsumption::kNone;  // :below, :above
};
// The code systems :below and :above work in: ICD-10 and OPCS-4 as the Condition and
// Procedure mappings name them (docs/fhir.md section 5).
inline constexpr std::string_view kIcd10System = "http://hl7.org/fhir/sid/icd-10";
inline constexpr std::string_view kOpcs4System =
    "https://pioneer.example.org/fhir/CodeSystem/opcs4";
std::span<const std::string_view> HierarchicalSystems();
// The token parameters a resource type can be searched by (R4 names) and the element each
// looks at: Encounter status, class, type; Condition code, category, clinical-status,
// verification-status; EpisodeOfCare status, type; CarePlan status, category, intent;
// Procedure code, status, category; Consent and CareTeam status, category.
const std::vector<std::pair<std::string_view, std::string_view>>& TokenParameters(
    std::string_view resource_type);

// Clinical search (Encounter, Condition, EpisodeOfCare, CarePlan, Procedure, Consent):
// `patient` (or `subject`, as "Patient/<id>" or "<id>"), `date` and the type's token
// parameters (several parameters must all match). Returns the patient id.
struct ClinicalQuery {
  std::string patient_id;
  DateRange date;
  std::vector<TokenFilter> tokens;
};
StatusOr<ClinicalQuery> ClinicalQueryFromParams(std::string_view resource_type,
                                                const SearchParams& params, bool lenient);
// Whether a mapped resource satisfies every token filter of the query. An element may be a
// code (`status`), a Coding (`class`), a CodeableConcept (`code`) or a list of them
// (`category`); a plain code matches on its value whatever system is asked for.
bool MatchesTokens(const nlohmann::json& resource, const ClinicalQuery& q);
// Patient/$everything parameters: `_type` (comma-separated resource types, of those
// $everything returns; repeatable, the union), `start` and `end` (care dates: resources dated
// before `start` or after `end` are left out; undated ones, the Patient, stay), plus paging.
// `_since` is refused (records carry no update time). kInvalidArgument for an unknown type,
// a bad date, or an unknown parameter unless `lenient`.
struct EverythingQuery {
  std::vector<std::string> types;  // empty: every type
  DateRange date;
};
StatusOr<EverythingQuery> EverythingQueryFromParams(const SearchParams& params,
                                                    std::span<const std::string_view> types,
                                                    bool lenient);

// AuditEvent search (the IG officer's and a patient's view of the audit trail): `patient` or
// `entity` (as "Patient/<id>" or "<id>"), `agent` (a username) and `date`, plus paging.
// `patients` holds each patient parameter in order, its Patient id or nullopt when it is not
// one (the server looks each up; the last one names the person, an unknown one matches
// nothing). kInvalidArgument for a bad date, or an unknown parameter unless `lenient`.
struct AuditSearch {
  std::vector<std::optional<int64_t>> patients;
  std::optional<std::string> agent;  // the last agent parameter
  DateRange date;
};
StatusOr<AuditSearch> AuditSearchFromParams(const SearchParams& params, bool lenient);

// _include and _revinclude (the query parsers above skip them; every search handler must
// call this so that an unsupported value is a 400, never silently ignored). Supported:
// CarePlan `_include=CarePlan:subject` (or CarePlan:patient, optionally ":Patient"): the
// plans' Patient; Patient `_revinclude=CarePlan:subject` (or CarePlan:patient): the
// matched people's CarePlans. kInvalidArgument for anything else.
struct Includes {
  bool care_plan_subject = false;      // CarePlan search: include the Patient
  bool rev_care_plan_subject = false;  // Patient search: include their CarePlans
};
StatusOr<Includes> IncludesFromParams(const SearchParams& params, std::string_view type);

// _count and _offset. kInvalidArgument for a non-numeric or negative value; _count above
// the maximum is capped.
StatusOr<Paging> PagingFromParams(const SearchParams& params);

// A searchset Bundle: `total`, absolute fullUrls, search.mode "match", and self/next/previous
// links that repeat the query (`query` without paging parameters) with _count and _offset.
// `included` resources (from _include/_revinclude) follow with search.mode "include" and
// are not counted in `total`.
nlohmann::json SearchBundle(std::string_view base_url, std::string_view path,
                            const SearchParams& query, int64_t total, const Paging& paging,
                            std::vector<nlohmann::json> page,
                            std::vector<nlohmann::json> included = {});

// The query string of `params` (percent-encoded), without paging parameters and without
// parameters that have no name (a bare `=`, or a name that decodes to nothing such as `%udeec`):
// they name no search parameter, and `=` would not decode back to them.
std::string QueryString(const SearchParams& params);

}  // namespace pioneer::fhir
