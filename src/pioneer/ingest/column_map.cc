#include "pioneer/ingest/column_map.h"

#include <fmt/format.h>

#include <optional>

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
                                   : std::string(
                                         "name not shown: it does not look like a "
                                         "column name; is the header row missing?");
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return out;
}

// A header that is one column holding another separator: the file uses that separator.
std::optional<std::string> OtherDelimiter(std::span<const std::string_view> header) {
  if (header.size() != 1) return std::nullopt;
  struct Sep {
    char c;
    const char* name;
  };
  for (Sep sep : {Sep{';', "semicolons (;)"}, Sep{'\t', "tabs"}, Sep{'|', "pipes (|)"}}) {
    if (header[0].find(sep.c) != std::string_view::npos) return std::string(sep.name);
  }
  return std::nullopt;
}

}  // namespace

std::vector<HeaderProblem> MapHeader(const formats::ExtractSpec& spec,
                                     std::span<const std::string_view> header, ColumnMap* out) {
  std::vector<HeaderProblem> problems;
  out->spec = &spec;
  out->header.clear();
  out->column_of_field.assign(spec.fields.size(), -1);
  if (auto sep = OtherDelimiter(header)) {
    out->header.emplace_back(TrimSpaces(header[0]));
    problems.push_back(
        {1, fmt::format("the header is one column whose name contains {}: the file looks "
                        "separated by {}, but extracts must be comma-separated (RFC 4180; see "
                        "docs/data-formats.md)",
                        *sep, *sep)});
    return problems;
  }
  for (size_t c = 0; c < header.size(); ++c) {
    std::string_view name = TrimSpaces(header[c]);
    out->header.emplace_back(name);
    int col = static_cast<int>(c + 1);
    if (name.empty()) {
      problems.push_back({col, fmt::format("column {}: empty column name", col)});
      continue;
    }
    int f = spec.FieldIndex(name);
    if (f < 0 && spec.FieldIndex(Lower(name)) >= 0) {
      // Safe to echo: it is a field name in another case.
      problems.push_back({col, fmt::format("column {} ('{}'): column names are lower case: "
                                           "did you mean '{}'?",
                                           col, name, Lower(name))});
      continue;
    }
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
      problems.push_back(
          {0, fmt::format("required column '{}' is missing from the header", spec.fields[f].name)});
    }
  }
  return problems;
}

}  // namespace pioneer::ingest
