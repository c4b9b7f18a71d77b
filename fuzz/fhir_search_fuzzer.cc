// Fuzz target: bytes as the query string of a FHIR search (`GET /fhir/Patient?...`, the
// clinical searches, `Consent?patient=`), decoded by cpp-httplib as the server decodes it,
// then through every parameter parser of fhir/search.h (Patient, clinical and AuditEvent
// queries, dates with prefixes, identifier tokens `system|value`, _include/_revinclude,
// _count/_offset, token parameters `code`/`status`/`category`... and their matching)
// and into a searchset Bundle.
// Checks beyond "no crash": paging stays in 0.._count maximum; date ranges are ISO dates
// and a range contains its first day and not its end; the query the Bundle's links repeat
// (QueryString) decodes back to the same parameters; error messages never repeat a value
// (no_echo.h) and are all kInvalidArgument (a 400).
#include <httplib.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "no_echo.h"
#include "pioneer/base/date.h"
#include "pioneer/fhir/search.h"

using namespace pioneer;

namespace {

using fuzz::Require;

// A mapped resource with every kind of coded element the token filters look at.
const nlohmann::json kSampleResource = nlohmann::json::parse(R"json({
  "resourceType": "Condition", "status": "finished",
  "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
  "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10", "code": "I21"}]},
  "category": [{"coding": [{"code": "encounter-diagnosis"}]}, {"text": "no coding"}],
  "clinicalStatus": {"coding": [{"system": "x", "code": 7}]}})json");

// As the server gets them: cpp-httplib's decoding into its Params (a multimap), in order.
fhir::SearchParams Decode(const std::string& query) {
  httplib::Params decoded;
  httplib::detail::parse_query_text(query, decoded);
  return fhir::SearchParams(decoded.begin(), decoded.end());
}

struct Echo {
  std::vector<std::string> values, names;
};

void CheckError(const Status& s, const Echo& echo) {
  Require(s.code() == StatusCode::kInvalidArgument, "search errors are 400s");
  fuzz::CheckNoValueEchoed(s.message(), echo.values, echo.names);
}

void CheckRange(const fhir::DateRange& r) {
  if (r.from) Require(Date::ParseIso(*r.from).has_value(), "range start is an ISO date");
  if (r.before) Require(Date::ParseIso(*r.before).has_value(), "range end is an ISO date");
  if (r.from && r.before && *r.from < *r.before) {
    Require(fhir::InRange(r, *r.from), "a range holds its first day");
    Require(!fhir::InRange(r, *r.before), "a range ends before its end");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 4096) return 0;  // the server's request line limit is smaller still
  const std::string query(reinterpret_cast<const char*>(data), size);
  const fhir::SearchParams params = Decode(query);
  Echo echo;
  for (const auto& [k, v] : params) {
    echo.names.push_back(k);
    echo.values.push_back(v);
  }

  for (bool lenient : {false, true}) {
    auto patient = fhir::PatientQueryFromParams(params, lenient);
    if (patient.ok()) {
      if (patient->birth_from) {
        Require(Date::ParseIso(*patient->birth_from).has_value(), "birth_from");
      }
      if (patient->birth_before) {
        Require(Date::ParseIso(*patient->birth_before).has_value(), "birth_before");
      }
    } else {
      CheckError(patient.status(), echo);
    }
    for (std::string_view type : {"Encounter", "Condition", "Procedure"}) {
      auto clinical = fhir::ClinicalQueryFromParams(type, params, lenient);
      if (clinical.ok()) {
        Require(!clinical->patient_id.empty(), "a clinical search names its patient");
        CheckRange(clinical->date);
        for (const fhir::TokenFilter& f : clinical->tokens) {
          Require(!f.any_of.empty() || f.missing.has_value(),
                  "a token parameter has a value or is :missing");
        }
        (void)fhir::MatchesTokens(kSampleResource, *clinical);
      } else {
        CheckError(clinical.status(), echo);
      }
    }
  }
  for (bool lenient : {false, true}) {
    static constexpr std::string_view kTypes[] = {"Patient", "Encounter", "Procedure"};
    auto everything = fhir::EverythingQueryFromParams(params, kTypes, lenient);
    if (everything.ok()) {
      CheckRange(everything->date);
      for (const std::string& t : everything->types) {
        Require(t == "Patient" || t == "Encounter" || t == "Procedure", "_type is a known type");
      }
    } else {
      CheckError(everything.status(), echo);
    }
  }
  for (bool lenient : {false, true}) {
    auto audit = fhir::AuditSearchFromParams(params, lenient);
    if (audit.ok()) {
      CheckRange(audit->date);
    } else {
      CheckError(audit.status(), echo);
    }
  }
  for (std::string_view type : {"Patient", "CarePlan", "Encounter", "Consent"}) {
    auto includes = fhir::IncludesFromParams(params, type);
    if (includes.ok()) {
      Require(!includes->care_plan_subject || type == "CarePlan", "_include on CarePlan only");
      Require(!includes->rev_care_plan_subject || type == "Patient", "_revinclude on Patient");
    } else {
      CheckError(includes.status(), echo);
    }
  }
  auto paging = fhir::PagingFromParams(params);
  if (!paging.ok()) {
    CheckError(paging.status(), echo);
    return 0;
  }
  Require(paging->count >= 0 && paging->count <= fhir::kMaxPageSize, "_count in range");
  Require(paging->offset >= 0, "_offset not negative");

  // The links of a Bundle repeat the query: it must decode to the same parameters (as a
  // set: cpp-httplib drops a repeated identical pair), paging and nameless parameters aside.
  const std::string repeated = fhir::QueryString(params);
  std::set<std::pair<std::string, std::string>> want, got;
  for (const auto& [k, v] : params) {
    if (!k.empty() && k != "_count" && k != "_offset" && k != "_format") want.emplace(k, v);
  }
  for (const auto& kv : Decode(repeated)) got.insert(kv);
  Require(want == got, "QueryString decodes to the query's parameters");
  nlohmann::json bundle =
      fhir::SearchBundle("https://example.org/fhir", "Patient", params, 1000, *paging, {});
  (void)bundle.dump();  // links are percent-encoded ASCII: dump must not throw
  return 0;
}
