#include "pioneer/metrics/duplicate_rows.h"

#include <algorithm>
#include <functional>
#include <tuple>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::metrics {

std::vector<std::string> DuplicateKeyFields(const std::string& table) {
  std::vector<std::string> out;
  const formats::ExtractSpec* spec = formats::FindExtract(table + ".csv");
  if (!spec) return out;
  for (const formats::FieldSpec& f : spec->fields) out.emplace_back(f.name);
  return out;
}

StatusOr<std::vector<int64_t>> DuplicateRowIds(store::Store& store, const std::string& table) {
  std::vector<int64_t> dups;
  std::vector<std::string> fields = DuplicateKeyFields(table);
  if (fields.empty()) {
    return InvalidArgumentError("metrics: no extract format for table '" + table + "'");
  }
  if (!store.HasTable(table)) return dups;
  std::vector<std::string> cols = {std::string(store.dialect().RowIdColumn())};
  cols.insert(cols.end(), fields.begin(), fields.end());
  // (hash a, hash b, rowid) per row; sorted, equal hashes are copies, the lowest rowid first.
  std::vector<std::tuple<uint64_t, uint64_t, int64_t>> rows;
  std::string buf;
  std::hash<std::string_view> hasher;
  PIONEER_RETURN_IF_ERROR(store.Scan(table, cols, [&](const store::RowView& r) {
    buf.clear();
    for (int i = 1; i < r.size(); ++i) {
      buf.append(r.Text(i));
      buf.push_back('\x1f');
    }
    uint64_t fnv = 1469598103934665603ULL;  // FNV-1a, independent of std::hash
    for (unsigned char c : buf) {
      fnv ^= c;
      fnv *= 1099511628211ULL;
    }
    rows.emplace_back(hasher(buf), fnv, r.Int(0));
  }));
  std::sort(rows.begin(), rows.end());
  for (size_t i = 1; i < rows.size(); ++i) {
    if (std::get<0>(rows[i]) == std::get<0>(rows[i - 1]) &&
        std::get<1>(rows[i]) == std::get<1>(rows[i - 1])) {
      dups.push_back(std::get<2>(rows[i]));
    }
  }
  std::sort(dups.begin(), dups.end());
  return dups;
}

}  // namespace pioneer::metrics
