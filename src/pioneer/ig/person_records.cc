#include "pioneer/ig/person_records.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/careplan/plan_store.h"
#include "pioneer/formats/derived_tables.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/person_directory.h"

namespace pioneer::ig {
namespace {

// An extract, or a table Pioneer derives (care_plans, risk_strata).
const formats::ExtractSpec* SpecOf(std::string_view table) {
  return formats::FindSourceTable(table);
}

// Reads rows of `spec` whose first column is the row id and the rest the spec's fields.
SourceRow ReadRow(const formats::ExtractSpec& spec, std::string_view org_column,
                  const store::RowView& r) {
  SourceRow row;
  row.table = spec.table;
  row.row_id = r.Int(0);
  for (size_t i = 0; i < spec.fields.size(); ++i) {
    int c = static_cast<int>(i) + 1;
    if (r.IsNull(c)) continue;
    std::string v(r.Text(c));
    if (v.empty()) continue;
    if (spec.fields[i].name == org_column) row.org = v;
    row.fields.emplace_back(std::string(spec.fields[i].name), std::move(v));
  }
  return row;
}

}  // namespace

const std::vector<PersonTable>& PersonTables() {
  static const std::vector<PersonTable> kTables = {{"gp_registrations", "gp_practice_code"},
                                                   {"gp_events", "gp_practice_code"},
                                                   {"apc_episodes", "provider_code"},
                                                   {"ae_attendances", "provider_code"},
                                                   {"op_appointments", "provider_code"},
                                                   {"community_contacts", "provider_code"},
                                                   {"mh_contacts", "provider_code"},
                                                   {"social_care_events", "la_code"},
                                                   {"risk_strata", "practice"}};
  return kTables;
}

const PersonTable* FindPersonTable(std::string_view table) {
  for (const PersonTable& t : PersonTables()) {
    if (t.table == table) return &t;
  }
  return nullptr;
}

StatusOr<std::optional<SourceRow>> PersonRecords::Demographics(PersonAccess& access) {
  if (access.basis() == Basis::kIgReview) return std::optional<SourceRow>();
  const formats::ExtractSpec* spec = SpecOf(formats::kMasterIndexTable);
  if (!spec) return InternalError("no pds extract");
  std::optional<SourceRow> out;
  PIONEER_RETURN_IF_ERROR(store::PersonDirectory(store_).ReadCurrentPersonRow(
      access.person(), *spec, [&](const store::RowView& r) { out = ReadRow(*spec, "", r); }));
  access.NoteReturned(formats::kMasterIndexTable, out ? 1 : 0);
  return out;
}

StatusOr<std::vector<SourceRow>> PersonRecords::Select(PersonAccess& access, std::string_view table,
                                                       std::optional<int64_t> row_id) {
  if (access.basis() == Basis::kIgReview) return std::vector<SourceRow>();
  const PersonTable* pt = FindPersonTable(table);
  const formats::ExtractSpec* spec = SpecOf(table);
  if (!pt || !spec) return InvalidArgumentError(fmt::format("'{}' holds no person records", table));
  store::PersonDirectory::RecordFilter filter;
  if (access.own_org_only()) {
    filter.org_column = pt->org_column;
    filter.org = access.org_code();
  }
  filter.row_id = row_id;
  std::vector<SourceRow> out;
  PIONEER_RETURN_IF_ERROR(store::PersonDirectory(store_).ReadPlacedRecords(
      access.person(), *spec, filter,
      [&](const store::RowView& r) { out.push_back(ReadRow(*spec, pt->org_column, r)); }));
  access.NoteReturned(table, static_cast<int64_t>(out.size()));
  return out;
}

StatusOr<std::vector<SourceRow>> PersonRecords::Records(PersonAccess& access,
                                                        std::string_view table) {
  return Select(access, table, std::nullopt);
}

StatusOr<std::optional<SourceRow>> PersonRecords::Record(PersonAccess& access,
                                                         std::string_view table, int64_t row_id) {
  PIONEER_ASSIGN_OR_RETURN(std::vector<SourceRow> rows, Select(access, table, row_id));
  if (rows.empty()) return std::optional<SourceRow>();
  return std::optional<SourceRow>(std::move(rows.front()));
}

StatusOr<std::vector<careplan::CarePlan>> PersonRecords::CarePlans(PersonAccess& access) {
  if (access.basis() == Basis::kIgReview) return std::vector<careplan::CarePlan>();
  careplan::PlanFilter filter;
  filter.nhs_number = access.person();
  PIONEER_ASSIGN_OR_RETURN(std::vector<careplan::CarePlan> plans,
                           careplan::ListPlans(store_, filter));
  if (access.own_org_only()) {
    std::erase_if(plans, [&](const careplan::CarePlan& p) {
      return std::find(p.organisations.begin(), p.organisations.end(), access.org_code()) ==
             p.organisations.end();
    });
  }
  access.NoteReturned("care_plans", static_cast<int64_t>(plans.size()));
  return plans;
}

StatusOr<std::vector<careplan::PlanVersion>> PersonRecords::CarePlanHistory(PersonAccess& access,
                                                                            int64_t plan_id) {
  std::vector<careplan::PlanVersion> out;
  if (access.basis() == Basis::kIgReview) return out;
  PIONEER_ASSIGN_OR_RETURN(std::optional<careplan::CarePlan> current,
                           careplan::GetPlan(store_, plan_id));
  if (!current || current->nhs_number != access.person()) return out;
  auto involved = [&](const careplan::CarePlan& p) {
    return std::find(p.organisations.begin(), p.organisations.end(), access.org_code()) !=
           p.organisations.end();
  };
  if (access.own_org_only() && !involved(*current)) return out;
  PIONEER_ASSIGN_OR_RETURN(std::vector<careplan::PlanVersion> versions,
                           careplan::PlanHistory(store_, plan_id));
  for (careplan::PlanVersion& v : versions) {
    if (v.plan.nhs_number != access.person()) continue;
    if (access.own_org_only() && !involved(v.plan)) continue;
    out.push_back(std::move(v));
  }
  access.NoteReturned("care_plan_history", static_cast<int64_t>(out.size()));
  return out;
}

StatusOr<std::vector<documents::Document>> PersonRecords::Documents(PersonAccess& access,
                                                                    std::string_view type) {
  if (access.basis() == Basis::kIgReview) return std::vector<documents::Document>();
  PIONEER_ASSIGN_OR_RETURN(std::vector<documents::Document> docs,
                           documents::DocumentsOf(store_, access.person(), type));
  if (access.own_org_only()) {
    std::erase_if(docs,
                  [&](const documents::Document& d) { return d.org_code != access.org_code(); });
  }
  access.NoteReturned("fhir_documents", static_cast<int64_t>(docs.size()));
  return docs;
}

StatusOr<std::vector<documents::Document>> PersonRecords::DocumentHistory(PersonAccess& access,
                                                                          int64_t doc_id) {
  std::vector<documents::Document> out;
  if (access.basis() == Basis::kIgReview) return out;
  PIONEER_ASSIGN_OR_RETURN(std::optional<documents::Document> current,
                           documents::GetDocument(store_, doc_id));
  if (!current || current->nhs_number != access.person()) return out;
  if (access.own_org_only() && current->org_code != access.org_code()) return out;
  PIONEER_ASSIGN_OR_RETURN(out, documents::DocumentHistory(store_, doc_id));
  access.NoteReturned("fhir_document_history", static_cast<int64_t>(out.size()));
  return out;
}

}  // namespace pioneer::ig
