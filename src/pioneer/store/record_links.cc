#include "pioneer/store/record_links.h"

#include <vector>

namespace pioneer::store {

bool IsUsableLinkDecision(std::string_view decision) {
  return decision == "automatic" || decision == "accepted";
}

std::string UsableLinkSql(std::string_view alias) {
  const std::string q = alias.empty() ? std::string() : std::string(alias) + ".";
  return q + "decision IN ('automatic', 'accepted') AND " + q + "traced_nhs_number IS NOT NULL";
}

Status ForEachUsableLink(Store& store, std::string_view table, const UsableLinkFn& fn) {
  if (!store.HasTable("record_links")) return OkStatus();
  std::string sql =
      "SELECT source_table, row_id, traced_nhs_number FROM record_links WHERE " + UsableLinkSql("");
  std::vector<Param> params;
  if (!table.empty()) {
    sql += " AND source_table = ?1";
    params.push_back(Param::Of(table));
  }
  return store.Query(sql, params, [&](const RowView& r) { fn(r.Text(0), r.Int(1), r.Text(2)); });
}

}  // namespace pioneer::store
