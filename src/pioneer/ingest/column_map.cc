#include "pioneer/ingest/column_map.h"

#include <fmt/format.h>

namespace pioneer::ingest {
namespace {

std::string_view TrimSpaces(std::string_view s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t");
  return s.substr(b, e - b + 1);
}

// Header names are echoed in error messages only when they look like column names (lower
// case snake_case, as every extract's are): a file whose first line is data (no header)
// must not put record contents on the terminal.
bool LooksLikeColumnName(std::string_view s) {
  if (s.size() > 64 || s.empty() || (s[0] >= '0' && s[0] <= '9')) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

std::string Shown(std::string_view name) {
  return LooksLikeColumnName(name) ? fmt::format("'{}'", name)
                                   : std::string("name not shown: it does not look like a "
                                                 "column name; is the header row missing?");
}

}  // namespace

std::vector<HeaderProblem> MapHeader(const formats::ExtractSpec& spec,
                                     std::span<const std::string_view> header, ColumnMap* out) {
  std::vector<HeaderProblem> problems;
  out->spec = &spec;
  out->header.clear();
  out->column_of_field.assign(spec.fields.size(), -1);
  for (size_t c = 0; c < header.size(); ++c) {
    std::string_view name = TrimSpaces(header[c]);
    out->header.emplace_back(name);
    int col = static_cast<int>(c + 1);
    if (name.empty()) {
      problems.push_back({col, fmt::format("column {}: empty column name", col)});
      continue;
    }
    int f = spec.FieldIndex(name);
    if (f < 0) {
      problems.push_back({col, fmt::format("column {} ({}): unknown column: {} has no field "
                                           "of that name (see docs/data-formats.md)",
                                           col, Shown(name), spec.file_name)});
      continue;
    }
    int& slot = out->column_of_field[static_cast<size_t>(f)];
    if (slot >= 0) {
      problems.push_back({col, fmt::format("column {} ('{}'): repeated column name (also "
                                           "column {})",
                                           col, name, slot + 1)});
      continue;
    }
    slot = static_cast<int>(c);
  }
  for (size_t f = 0; f < spec.fields.size(); ++f) {
    if (spec.fields[f].required && out->column_of_field[f] < 0) {
      problems.push_back({0, fmt::format("required column '{}' is missing from the header",
                                         spec.fields[f].name)});
    }
  }
  return problems;
}

}  // namespace pioneer::ingest
