#include "pioneer/store/objections.h"

namespace pioneer::store {

StatusOr<std::vector<std::string>> ObjectingNhsNumbers(Store& store) {
  std::vector<std::string> out;
  if (!store.HasTable("ig_objections")) return out;
  Status st = store.Query("SELECT DISTINCT nhs_number FROM ig_objections ORDER BY nhs_number", {},
                          [&](const RowView& row) { out.emplace_back(row.Text(0)); });
  if (!st.ok()) return st;
  return out;
}

}  // namespace pioneer::store
