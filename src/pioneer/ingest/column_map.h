// ColumnMap: how the columns of a file's header line up with its extract's fields.
//
// Columns are matched by exact name (surrounding spaces ignored), so their order may differ
// from the spec and optional columns may be left out. File-level problems, all reported at
// once: an unknown (or empty) column name, a repeated column name, a missing required column.
// Thread safety: values.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::ingest {

struct HeaderProblem {
  int column = 0;       // 1-based column of the problem; 0 for a missing column
  std::string message;  // "column 5 ('foo'): unknown column ..." or "required column ..."
};

struct ColumnMap {
  const formats::ExtractSpec* spec = nullptr;
  std::vector<std::string> header;   // the names as found, in file order
  std::vector<int> column_of_field;  // spec field index -> file column (0-based) or -1

  size_t column_count() const { return header.size(); }
};

// Maps `header` onto `spec`. Returns the problems found (empty when the map is usable).
std::vector<HeaderProblem> MapHeader(const formats::ExtractSpec& spec,
                                     std::span<const std::string_view> header, ColumnMap* out);

}  // namespace pioneer::ingest
