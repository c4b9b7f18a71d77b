#include "pioneer/documents/directory_store.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/store/utc_time.h"

namespace pioneer::documents {
namespace {

using store::Param;

constexpr const char* kColumns =
    "entry_id, resource_type, version, identifiers, name, org_code, resource, written_by, "
    "written_at";

// "\nA\nB\n": every identifier with a newline before and after it.
std::string JoinIdentifiers(const std::vector<std::string>& ids) {
  std::string out = "\n";
  for (const std::string& id : ids) out += id + "\n";
  return out;
}

std::vector<std::string> SplitIdentifiers(std::string_view joined) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < joined.size()) {
    size_t j = joined.find('\n', i);
    if (j == std::string_view::npos) j = joined.size();
    if (j > i) out.emplace_back(joined.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

DirectoryEntry FromRow(const store::RowView& r) {
  DirectoryEntry e;
  e.entry_id = r.Int(0);
  e.resource_type = std::string(r.Text(1));
  e.version = r.Int(2);
  e.identifiers = SplitIdentifiers(r.Text(3));
  e.name = std::string(r.Text(4));
  e.org_code = std::string(r.Text(5));
  e.resource = std::string(r.Text(6));
  e.written_by = std::string(r.Text(7));
  e.written_at = std::string(r.Text(8));
  return e;
}

}  // namespace

StatusOr<int64_t> AddDirectoryEntry(store::Store& store, DirectoryEntry entry) {
  if (!IsDirectoryType(entry.resource_type)) {
    return InvalidArgumentError(
        fmt::format("{} is not kept in the directory", entry.resource_type));
  }
  if (entry.written_at.empty()) entry.written_at = store::UtcNowIso8601();
  Param p[] = {Param::Of(entry.resource_type), Param::Of(JoinIdentifiers(entry.identifiers)),
               Param::Of(entry.name),          Param::Of(entry.org_code),
               Param::Of(entry.resource),      Param::Of(entry.written_by),
               Param::Of(entry.written_at)};
  PIONEER_RETURN_IF_ERROR(
      store
          .Execute("INSERT INTO fhir_directory(resource_type, version, identifiers, name, "
                   "org_code, resource, written_by, written_at) VALUES(?1, 1, ?2, ?3, ?4, ?5, ?6, "
                   "?7)",
                   p)
          .status());
  return store.LastInsertId();
}

StatusOr<std::optional<DirectoryEntry>> GetDirectoryEntry(store::Store& store,
                                                          std::string_view type, int64_t id) {
  std::optional<DirectoryEntry> out;
  Param p[] = {Param::Of(id), Param::Of(type)};
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT {} FROM fhir_directory WHERE entry_id = ?1 AND resource_type = ?2",
                  kColumns),
      p, [&](const store::RowView& r) { out = FromRow(r); }));
  return out;
}

StatusOr<std::vector<DirectoryEntry>> FindDirectoryEntries(store::Store& store,
                                                           std::string_view type,
                                                           const DirectoryQuery& q,
                                                           int64_t* total) {
  // ?2: "\n<system|value>\n" or "", ?3: "<|value>\n" or "", ?4: the name prefix or "".
  const std::string where =
      "resource_type = ?1 AND (?2 = '' OR instr(identifiers, ?2) > 0) AND (?3 = '' OR "
      "instr(identifiers, ?3) > 0) AND (?4 = '' OR lower(substr(name, 1, length(?4))) = "
      "lower(?4))";
  std::vector<Param> p = {
      Param::Of(type),
      Param::Of(q.identifier_exact.empty() ? std::string() : "\n" + q.identifier_exact + "\n"),
      Param::Of(q.identifier_suffix.empty() ? std::string() : q.identifier_suffix + "\n"),
      Param::Of(q.name_prefix)};
  if (total != nullptr) {
    *total = 0;
    PIONEER_RETURN_IF_ERROR(store.Query("SELECT count(*) FROM fhir_directory WHERE " + where, p,
                                        [&](const store::RowView& r) { *total = r.Int(0); }));
  }
  std::vector<DirectoryEntry> out;
  p.push_back(Param::Of(q.limit));
  p.push_back(Param::Of(q.offset));
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT {} FROM fhir_directory WHERE {} ORDER BY entry_id LIMIT ?5 OFFSET ?6",
                  kColumns, where),
      p, [&](const store::RowView& r) { out.push_back(FromRow(r)); }));
  return out;
}

}  // namespace pioneer::documents
