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
// Clinical search (Encounter, Condition, EpisodeOfCare): `patient` (or `subject`, as
// "Patient/<id>" or "<id>") and `date`. Returns the patient id.
struct ClinicalQuery {
  std::string patient_id;
  DateRange date;
};
StatusOr<ClinicalQuery> ClinicalQueryFromParams(const SearchParams& params, bool lenient);
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

// The query string of `params` (percent-encoded), without paging parameters.
std::string QueryString(const SearchParams& params);

}  // namespace pioneer::fhir
