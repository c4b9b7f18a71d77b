#include "pioneer/documents/document_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/store/utc_time.h"

namespace pioneer::documents {
namespace {

using store::Param;

constexpr const char* kColumns =
    "doc_id, version, resource_type, nhs_number, org_code, identifier, clinical_date, resource, "
    "written_by, written_at";

Param TextOrNull(const std::string& s) { return s.empty() ? Param::Null() : Param::Of(s); }
Param PersonParam(const std::optional<NhsNumber>& n) {
  return Param::Of(n ? n->digits() : std::string());
}

// Documents are written only with a valid number (AddDocument), so another is kDataLoss, naming
// the document, never the value. The first error is kept in `error`.
Document FromRow(const store::RowView& r, Status& error) {
  Document d;
  d.doc_id = r.Int(0);
  d.version = r.Int(1);
  d.resource_type = std::string(r.Text(2));
  d.nhs_number = NhsNumber::Parse(r.Text(3));
  if (!d.nhs_number && error.ok()) {
    error = DataLossError(
        fmt::format("document {}: the stored NHS Number is not a valid NHS Number", d.doc_id));
  }
  d.org_code = std::string(r.Text(4));
  d.identifier = std::string(r.Text(5));
  d.clinical_date = std::string(r.Text(6));
  d.resource = std::string(r.Text(7));
  d.written_by = std::string(r.Text(8));
  d.written_at = std::string(r.Text(9));
  return d;
}

StatusOr<std::vector<Document>> Select(store::Store& store, const std::string& where,
                                       std::span<const Param> params,
                                       const char* table = "fhir_documents") {
  std::vector<Document> out;
  Status row_error;
  PIONEER_RETURN_IF_ERROR(
      store.Query(fmt::format("SELECT {} FROM {} WHERE {}", kColumns, table, where), params,
                  [&](const store::RowView& r) { out.push_back(FromRow(r, row_error)); }));
  PIONEER_RETURN_IF_ERROR(row_error);
  return out;
}

Status AppendHistory(store::Store& store, const Document& d) {
  Param p[] = {Param::Of(d.doc_id),         Param::Of(d.version),  Param::Of(d.resource_type),
               PersonParam(d.nhs_number),   Param::Of(d.org_code), TextOrNull(d.identifier),
               TextOrNull(d.clinical_date), Param::Of(d.resource), Param::Of(d.written_by),
               Param::Of(d.written_at)};
  return store
      .Execute(fmt::format("INSERT INTO fhir_document_history({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                           "?7, ?8, ?9, ?10)",
                           kColumns),
               p)
      .status();
}

Status IdentifierFree(store::Store& store, const Document& d) {
  if (d.identifier.empty()) return OkStatus();
  Param p[] = {Param::Of(d.resource_type), Param::Of(d.identifier), Param::Of(d.doc_id)};
  PIONEER_ASSIGN_OR_RETURN(
      std::vector<Document> taken,
      Select(store, "resource_type = ?1 AND identifier = ?2 AND doc_id <> ?3", p));
  if (!taken.empty()) {
    return AlreadyExistsError(
        fmt::format("a {} with this identifier is already stored", d.resource_type));
  }
  return OkStatus();
}

}  // namespace

StatusOr<int64_t> AddDocument(store::Store& store, Document doc) {
  if (!IsDocumentType(doc.resource_type)) {
    return InvalidArgumentError(fmt::format("{} is not stored as a document", doc.resource_type));
  }
  if (!doc.nhs_number) return InvalidArgumentError("a document needs the person's NHS Number");
  doc.version = 1;
  doc.doc_id = 0;
  if (doc.written_at.empty()) doc.written_at = store::UtcNowIso8601();
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    PIONEER_RETURN_IF_ERROR(IdentifierFree(store, doc));
    Param p[] = {Param::Of(doc.resource_type),  PersonParam(doc.nhs_number),
                 Param::Of(doc.org_code),       TextOrNull(doc.identifier),
                 TextOrNull(doc.clinical_date), Param::Of(doc.resource),
                 Param::Of(doc.written_by),     Param::Of(doc.written_at)};
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute("INSERT INTO fhir_documents(version, resource_type, nhs_number, org_code, "
                     "identifier, clinical_date, resource, written_by, written_at) VALUES(1, ?1, "
                     "?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                     p)
            .status());
    doc.doc_id = store.LastInsertId();
    return AppendHistory(store, doc);
  }));
  return doc.doc_id;
}

StatusOr<int64_t> UpdateDocument(store::Store& store, Document doc, int64_t expected_version) {
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    PIONEER_ASSIGN_OR_RETURN(std::optional<Document> current, GetDocument(store, doc.doc_id));
    if (!current) return NotFoundError(fmt::format("no document {}", doc.doc_id));
    if (current->version != expected_version) {
      return FailedPreconditionError(fmt::format("document {} is at version {}, not {}", doc.doc_id,
                                                 current->version, expected_version));
    }
    if (doc.resource_type != current->resource_type || doc.nhs_number != current->nhs_number ||
        doc.org_code != current->org_code) {
      return InvalidArgumentError(
          "a document's type, person and holding organisation cannot change");
    }
    PIONEER_RETURN_IF_ERROR(IdentifierFree(store, doc));
    doc.version = current->version + 1;
    if (doc.written_at.empty()) doc.written_at = store::UtcNowIso8601();
    Param p[] = {Param::Of(doc.version),  TextOrNull(doc.identifier), TextOrNull(doc.clinical_date),
                 Param::Of(doc.resource), Param::Of(doc.written_by),  Param::Of(doc.written_at),
                 Param::Of(doc.doc_id)};
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute("UPDATE fhir_documents SET version = ?1, identifier = ?2, clinical_date = "
                     "?3, resource = ?4, written_by = ?5, written_at = ?6 WHERE doc_id = ?7",
                     p)
            .status());
    return AppendHistory(store, doc);
  }));
  return doc.version;
}

StatusOr<std::optional<Document>> GetDocument(store::Store& store, int64_t doc_id) {
  Param p[] = {Param::Of(doc_id)};
  PIONEER_ASSIGN_OR_RETURN(std::vector<Document> found, Select(store, "doc_id = ?1", p));
  if (found.empty()) return std::optional<Document>();
  return std::optional<Document>(std::move(found[0]));
}

StatusOr<std::vector<Document>> DocumentsOf(store::Store& store, const NhsNumber& person,
                                            std::string_view type) {
  Param p[] = {Param::Of(person.digits()), Param::Of(type)};
  return Select(store, "nhs_number = ?1 AND (?2 = '' OR resource_type = ?2) ORDER BY doc_id", p);
}

StatusOr<std::vector<Document>> DocumentHistory(store::Store& store, int64_t doc_id) {
  Param p[] = {Param::Of(doc_id)};
  return Select(store, "doc_id = ?1 ORDER BY version", p, "fhir_document_history");
}

StatusOr<std::vector<Document>> FindDocuments(store::Store& store, std::string_view type,
                                              std::string_view exact, std::string_view suffix) {
  if (!exact.empty()) {
    Param p[] = {Param::Of(type), Param::Of(exact)};
    return Select(store, "resource_type = ?1 AND identifier = ?2 ORDER BY doc_id", p);
  }
  Param p[] = {Param::Of(type), Param::Of(suffix), Param::Of(static_cast<int64_t>(suffix.size()))};
  return Select(store,
                "resource_type = ?1 AND identifier IS NOT NULL AND substr(identifier, "
                "-?3) = ?2 ORDER BY doc_id",
                p);
}

}  // namespace pioneer::documents
