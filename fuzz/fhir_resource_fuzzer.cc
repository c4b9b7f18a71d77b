// Fuzz target: bytes as the body of a FHIR create or update (`POST /fhir/CarePlan`,
// `PUT /fhir/CarePlan/{id}`, `POST /fhir/Consent`), parsed as the server does (nlohmann JSON,
// then ParseCarePlan and ParseConsent), and the same bytes as the If-None-Exist and If-Match
// headers of a CarePlan write; and the bytes as a batch or transaction Bundle (POST /fhir).
// Checks beyond "no crash": a body that parses without problems is written back with the
// read mapping (CarePlanResource, ConsentResource), serialised, parsed again and must give
// the same plan or consent with no problem; problems and header errors never repeat a value
// of the body (no_echo.h); a parsed If-Match version prints back to itself.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "no_echo.h"
#include "pioneer/fhir/bundle.h"
#include "pioneer/fhir/care_plan_write.h"
#include "pioneer/fhir/consent.h"
#include "pioneer/fhir/directory.h"
#include "pioneer/fhir/document.h"
#include "pioneer/fhir/resources.h"

using namespace pioneer;
using nlohmann::json;

namespace {

using fuzz::Require;

// Every string value and every object key of a JSON document (iteratively: bodies may nest
// thousands deep).
void Collect(const json& root, std::vector<std::string>* values, std::vector<std::string>* names) {
  std::vector<const json*> todo = {&root};
  while (!todo.empty()) {
    const json* j = todo.back();
    todo.pop_back();
    if (j->is_string()) {
      values->push_back(j->get<std::string>());
    } else if (j->is_object()) {
      for (const auto& [key, value] : j->items()) {
        names->push_back(key);
        todo.push_back(&value);
      }
    } else if (j->is_array()) {
      for (const json& e : *j) todo.push_back(&e);
    }
  }
}

void CheckProblems(const std::vector<fhir::WriteProblem>& problems,
                   const std::vector<std::string>& values, const std::vector<std::string>& names) {
  for (const fhir::WriteProblem& p : problems) {
    fuzz::CheckNoValueEchoed(p.expression + ": " + p.reason, values, names);
  }
  // The 422 the server sends serialises (its dump replaces invalid UTF-8; it must not throw).
  (void)fhir::ProblemsOutcome(problems).dump(-1, ' ', false, json::error_handler_t::replace);
}

void CarePlanRoundTrip(const fhir::CarePlanParse& first) {
  careplan::CarePlan plan = first.write.plan;
  plan.plan_id = 7;
  plan.version = 3;
  plan.nhs_number = NhsNumber::Parse("9434765919");
  plan.recorded_at = "2026-01-02T03:04:05Z";
  const int64_t patient_id = first.write.subject.patient_id.value_or(1);
  json resource = fhir::CarePlanResource(plan, patient_id);
  fhir::CarePlanParse again = fhir::ParseCarePlan(json::parse(resource.dump()));
  Require(again.not_a_care_plan.empty() && again.problems.empty(),
          "a CarePlan written back from a valid body parses without problems");
  const careplan::CarePlan& w = again.write.plan;
  Require(again.write.id == "cp-7", "CarePlan id");
  Require(again.write.subject.patient_id == patient_id, "CarePlan subject");
  Require(w.status == plan.status && w.accountable_gp == plan.accountable_gp &&
              w.gp_practice == plan.gp_practice && w.care_coordinator == plan.care_coordinator &&
              w.coordinator_role == plan.coordinator_role &&
              w.coordinator_org == plan.coordinator_org && w.organisations == plan.organisations,
          "CarePlan team and status");
  Require(w.start_date == plan.start_date && w.review_date == plan.review_date &&
              w.end_date == plan.end_date && w.goals == plan.goals && w.source == plan.source &&
              w.source_ref == plan.source_ref,
          "CarePlan dates, goals and identifier");
}

void ConsentRoundTrip(const fhir::ConsentParse& first) {
  ig::ObjectionRecord record;
  record.recorded_on = first.recorded_on;
  record.imported_at = "2026-01-02T03:04:05Z";
  const int64_t patient_id = first.patient.patient_id.value_or(1);
  const bool deny = first.effect == fhir::ConsentEffect::kRecordObjection;
  json resource = fhir::ConsentResource(record, patient_id, deny);
  fhir::ConsentParse again = fhir::ParseConsent(json::parse(resource.dump()));
  Require(again.not_a_consent.empty() && again.problems.empty(),
          "a Consent written back from a valid body parses without problems");
  Require(again.effect == first.effect, "Consent effect");
  Require(again.patient.patient_id == patient_id, "Consent patient");
  Require(again.recorded_on == (first.recorded_on.empty() ? "2026-01-02" : first.recorded_on),
          "Consent date");
}

void Headers(std::string_view text) {
  std::vector<std::string> values = {std::string(text)};
  std::string error;
  auto criteria = fhir::ParseIfNoneExist(text, &error);
  if (criteria) {
    Require(criteria->exact.empty() != criteria->suffix.empty(), "one kind of criteria");
    Require(criteria->exact.find('|') != std::string::npos ||
                (!criteria->suffix.empty() && criteria->suffix[0] == '|'),
            "criteria hold a '|'");
  } else {
    Require(!error.empty(), "a refused If-None-Exist has a message");
    fuzz::CheckNoValueEchoed(error, values, {});
  }
  if (auto version = fhir::ParseIfMatch(text)) {
    Require(*version > 0, "If-Match versions are positive");
    Require(fhir::ParseIfMatch("W/\"" + std::to_string(*version) + "\"") == version,
            "If-Match round trip");
  }
}

// A batch or transaction Bundle: refused with a message that echoes nothing, or read into
// entries whose transaction order is a permutation that puts every POST after the POSTs it
// references; references rewrite in place.
void BundleChecks(const json& body, const std::vector<std::string>& values,
                  const std::vector<std::string>& names) {
  StatusOr<fhir::RequestBundle> bundle = fhir::ParseRequestBundle(body);
  if (!bundle.ok()) {
    fuzz::CheckNoValueEchoed(bundle.status().message(), values, names);
    return;
  }
  Require(bundle->entries.size() <= fhir::kMaxBundleEntries, "entry cap");
  StatusOr<std::vector<size_t>> order = fhir::TransactionOrder(*bundle);
  if (!order.ok()) return;
  Require(order->size() == bundle->entries.size(), "the order holds every entry");
  std::map<std::string, size_t> position, post_by_url;
  std::vector<size_t> at(order->size(), order->size());
  for (size_t k = 0; k < order->size(); ++k) {
    size_t i = (*order)[k];
    Require(i < at.size() && at[i] == order->size(), "the order is a permutation");
    at[i] = k;
  }
  for (const fhir::BundleEntry& e : bundle->entries) {
    if (e.method == "POST" && !e.full_url.empty()) post_by_url[e.full_url] = e.index;
  }
  for (const fhir::BundleEntry& e : bundle->entries) {
    if (e.method != "POST" || !e.resource) continue;
    json copy = *e.resource;
    fhir::ForEachReference(copy, [&](std::string& ref) {
      auto it = post_by_url.find(ref);
      if (it != post_by_url.end() && it->second != e.index) {
        Require(at[it->second] < at[e.index], "a referenced POST comes first");
      }
      ref = "Patient/1";
    });
  }
}

// A document from another organisation, as each document type: problems echo nothing; an
// accepted body read back (DocumentResource) parses again to the same identifier, date and
// person, and the holder extension is the server's.
void DocumentChecks(const json& body, const std::vector<std::string>& values,
                    const std::vector<std::string>& names) {
  for (std::string_view type : documents::DocumentTypes()) {
    fhir::DocumentParse first = fhir::ParseDocument(body, type);
    CheckProblems(first.problems, values, names);
    if (!first.not_a_document.empty() || !first.problems.empty()) continue;
    documents::Document doc;
    doc.doc_id = 5;
    doc.resource_type = std::string(type);
    doc.nhs_number = NhsNumber::Parse("9434765919");
    doc.org_code = "RR8";
    doc.version = 2;
    doc.resource = first.stored;
    doc.written_at = "2026-01-02T03:04:05Z";
    json read = fhir::DocumentResource(doc, 7);
    fhir::DocumentParse again = fhir::ParseDocument(json::parse(read.dump()), type);
    Require(again.not_a_document.empty() && again.problems.empty(),
            "a document read back parses without problems");
    Require(again.identifier == first.identifier, "document identifier round trip");
    Require(again.clinical_date == first.clinical_date, "document date round trip");
    Require(again.subject.patient_id == 7, "document person read back");
    Require(read["id"] == "doc-5" && read["meta"]["versionId"] == "2", "document id and version");
    int holders = 0;
    for (const json& e : read["extension"]) {
      if (e.value("url", "") == fhir::kHoldingOrganisationExtension) ++holders;
    }
    Require(holders == 1, "one holder extension, the server's");
  }
}

// A directory entry, as each directory type: problems echo nothing; an accepted body read
// back (DirectoryResource) parses again to the same identifiers and name.
void DirectoryChecks(const json& body, const std::vector<std::string>& values,
                     const std::vector<std::string>& names) {
  for (std::string_view type : documents::DirectoryTypes()) {
    fhir::DirectoryParse first = fhir::ParseDirectoryResource(body, type);
    CheckProblems(first.problems, values, names);
    if (!first.not_a_resource.empty() || !first.problems.empty()) continue;
    documents::DirectoryEntry e;
    e.entry_id = 9;
    e.resource_type = std::string(type);
    e.resource = first.stored;
    e.written_at = "2026-01-02T03:04:05Z";
    json read = fhir::DirectoryResource(e);
    fhir::DirectoryParse again = fhir::ParseDirectoryResource(json::parse(read.dump()), type);
    Require(again.not_a_resource.empty() && again.problems.empty(),
            "a directory entry read back parses without problems");
    Require(again.identifiers == first.identifiers, "directory identifiers round trip");
    Require(again.name == first.name, "directory name round trip");
    Require(read["id"] == "dir-9", "directory id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (size <= 512) Headers(text);
  json body = json::parse(text, nullptr, false);
  if (body.is_discarded()) return 0;
  std::vector<std::string> values, names;
  Collect(body, &values, &names);

  BundleChecks(body, values, names);
  DocumentChecks(body, values, names);
  DirectoryChecks(body, values, names);

  fhir::CarePlanParse plan = fhir::ParseCarePlan(body);
  CheckProblems(plan.problems, values, names);
  if (plan.not_a_care_plan.empty() && plan.problems.empty()) {
    Require(plan.write.subject.patient_id.has_value() != plan.write.subject.nhs_number.has_value(),
            "a valid CarePlan names its subject one way");
    CarePlanRoundTrip(plan);
  }

  fhir::ConsentParse consent = fhir::ParseConsent(body);
  CheckProblems(consent.problems, values, names);
  if (consent.not_a_consent.empty() && consent.problems.empty()) {
    Require(consent.patient.patient_id.has_value() != consent.patient.nhs_number.has_value(),
            "a valid Consent names its patient one way");
    ConsentRoundTrip(consent);
  }
  return 0;
}
