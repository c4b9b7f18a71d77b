#include "pioneer/store/organisations.h"

#include <fmt/format.h>

namespace pioneer::store {

StatusOr<std::vector<Organisation>> FindOrganisations(Store& store, const OrganisationFilter& f,
                                                      int64_t offset, int64_t limit,
                                                      int64_t* total) {
  *total = 0;
  std::vector<Organisation> out;
  if (!store.HasTable("organisations")) return out;
  std::string where = " WHERE 1 = 1";
  std::vector<Param> params;
  auto add = [&](const char* cond, std::string v) {
    params.push_back(Param::Of(std::move(v)));
    where += fmt::format(fmt::runtime(cond), params.size());
  };
  if (f.ods_code) add(" AND ods_code = ?{}", *f.ods_code);
  if (f.type) add(" AND organisation_type = ?{}", *f.type);
  if (f.parent_code) add(" AND parent_code = ?{}", *f.parent_code);
  if (f.name_prefix) {
    std::string escaped;
    for (char c : *f.name_prefix) {
      if (c == '%' || c == '_' || c == '\\') escaped += '\\';
      escaped += c;
    }
    add(" AND name LIKE ?{} || '%' ESCAPE '\\'", escaped);
  }
  PIONEER_RETURN_IF_ERROR(store.Query("SELECT count(*) FROM organisations" + where, params,
                                      [&](const RowView& r) { *total = r.Int(0); }));
  params.push_back(Param::Of(limit));
  params.push_back(Param::Of(offset));
  PIONEER_RETURN_IF_ERROR(store.Query(
      fmt::format("SELECT ods_code, name, organisation_type, coalesce(parent_code, ''), "
                  "coalesce(postcode, ''), coalesce(open_date, ''), coalesce(close_date, '') "
                  "FROM organisations{} ORDER BY ods_code LIMIT ?{} OFFSET ?{}",
                  where, params.size() - 1, params.size()),
      params, [&](const RowView& r) {
        out.push_back({std::string(r.Text(0)), std::string(r.Text(1)), std::string(r.Text(2)),
                       std::string(r.Text(3)), std::string(r.Text(4)), std::string(r.Text(5)),
                       std::string(r.Text(6))});
      }));
  return out;
}

}  // namespace pioneer::store
