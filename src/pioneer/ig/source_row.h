// SourceRow: one stored record of a person (a row of an extract table), as the gate
// discloses it: its table, row id, the organisation that holds it and its non-empty fields.
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pioneer::ig {

struct SourceRow {
  std::string table;   // e.g. "apc_episodes"
  int64_t row_id = 0;  // rowid in that table
  std::string org;     // ODS code (or council code) of the organisation holding the record
  std::vector<std::pair<std::string, std::string>> fields;  // non-empty values, schema order

  // The value of a field, or "" when it is empty or unknown.
  std::string_view Get(std::string_view name) const {
    for (const auto& [k, v] : fields) {
      if (k == name) return v;
    }
    return {};
  }
};

}  // namespace pioneer::ig
