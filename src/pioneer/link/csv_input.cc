#include "pioneer/link/csv_input.h"

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <unordered_set>

#include "pioneer/base/csv_reader.h"
#include "pioneer/link/normalise.h"

namespace pioneer::link {
namespace {

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t p = s.find(sep, start);
    out.push_back(TrimSpaces(s.substr(start, p == std::string_view::npos ? s.npos : p - start)));
    if (p == std::string_view::npos) break;
    start = p + 1;
  }
  return out;
}

}  // namespace

StatusOr<ColumnMap> ParseColumnMap(std::string_view text) {
  ColumnMap map;
  if (TrimSpaces(text).empty()) return map;
  std::unordered_set<int> seen;
  for (std::string_view entry : Split(text, ',')) {
    const size_t eq = entry.find('=');
    if (eq == std::string_view::npos) {
      return InvalidArgumentError(
          fmt::format("--map entry '{}': expected canonical_field=column", entry));
    }
    const std::string_view name = TrimSpaces(entry.substr(0, eq));
    const std::string_view cols = TrimSpaces(entry.substr(eq + 1));
    std::optional<Field> f;
    for (int i = 0; i < kFieldCount; ++i) {
      if (FieldName(static_cast<Field>(i)) == name) f = static_cast<Field>(i);
    }
    if (!f) {
      return InvalidArgumentError(fmt::format(
          "--map entry '{}': unknown field '{}' (given_name, family_name, birth_date, sex, "
          "postcode, address, city, email, identifier, nhs_number)",
          entry, name));
    }
    if (!seen.insert(static_cast<int>(*f)).second) {
      return InvalidArgumentError(fmt::format("--map: field '{}' mapped twice", name));
    }
    ColumnMapping m;
    m.field = *f;
    if (!cols.empty()) {
      for (std::string_view c : Split(cols, '+')) {
        if (c.empty())
          return InvalidArgumentError(fmt::format("--map entry '{}': empty column", entry));
        m.columns.emplace_back(c);
      }
    }
    map.fields.push_back(std::move(m));
  }
  return map;
}

std::optional<AutoColumn> AutoMapColumn(std::string_view header) {
  std::string key;
  for (char c : header) {
    if (c >= 'A' && c <= 'Z') key.push_back(static_cast<char>(c - 'A' + 'a'));
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) key.push_back(c);
  }
  struct Alias {
    const char* key;
    Field field;
    bool part;
  };
  static constexpr Alias kAliases[] = {
      {"givenname", Field::kGivenName, false},
      {"firstname", Field::kGivenName, false},
      {"forename", Field::kGivenName, false},
      {"forenames", Field::kGivenName, false},
      {"given", Field::kGivenName, false},
      {"namegiven", Field::kGivenName, false},
      {"familyname", Field::kFamilyName, false},
      {"surname", Field::kFamilyName, false},
      {"lastname", Field::kFamilyName, false},
      {"family", Field::kFamilyName, false},
      {"namefamily", Field::kFamilyName, false},
      {"birthdate", Field::kBirthDate, false},
      {"dob", Field::kBirthDate, false},
      {"dateofbirth", Field::kBirthDate, false},
      {"sex", Field::kSex, false},
      {"gender", Field::kSex, false},
      {"postcode", Field::kPostcode, false},
      {"postalcode", Field::kPostcode, false},
      {"addresspostcode", Field::kPostcode, false},
      {"addresspostalcode", Field::kPostcode, false},
      {"address", Field::kAddress, true},
      {"streetnumber", Field::kAddress, true},
      {"housenumber", Field::kAddress, true},
      {"address1", Field::kAddress, true},
      {"addressline1", Field::kAddress, true},
      {"addressline", Field::kAddress, true},
      {"street", Field::kAddress, true},
      {"streetaddress", Field::kAddress, true},
      {"city", Field::kCity, false},
      {"town", Field::kCity, false},
      {"suburb", Field::kCity, false},
      {"locality", Field::kCity, false},
      {"addresscity", Field::kCity, false},
      {"email", Field::kEmail, false},
      {"emailaddress", Field::kEmail, false},
      {"identifier", Field::kIdentifier, false},
      {"socsecid", Field::kIdentifier, false},
      {"ssn", Field::kIdentifier, false},
      {"nhsnumber", Field::kNhsNumber, false},
      {"nhsno", Field::kNhsNumber, false},
  };
  for (const Alias& a : kAliases) {
    if (key == a.key) return AutoColumn{a.field, a.part};
  }
  return std::nullopt;
}

// No column maps to a field: say why (another separator?) instead of matching nothing.
static Status NothingToCompare(const std::string& path, int64_t line,
                               const std::vector<std::string>& header) {
  if (header.size() == 1) {
    for (auto [c, name] : {std::pair<char, const char*>{';', "semicolons (;)"},
                           {'\t', "tabs"},
                           {'|', "pipes (|)"}}) {
      if (header[0].find(c) != std::string::npos) {
        return InvalidArgumentError(fmt::format(
            "{}: line {}: the header is one column whose name contains {}: the file looks "
            "separated by {}, but pioneer match reads comma-separated files (RFC 4180)",
            path, line, name, name));
      }
    }
  }
  return InvalidArgumentError(fmt::format(
      "{}: line {}: none of the {} columns is a field to compare (given_name, family_name, "
      "birth_date, sex, postcode, address, city, email, identifier, nhs_number or a common "
      "alias): map columns with --map, e.g. --map given_name=forename,family_name=surname",
      path, line, header.size()));
}

namespace {

// Reads the records of one input with `reader` (from a file or from memory).
using ReadFn = std::function<Status(CsvReader& reader, const CsvReader::RecordFn& on_record)>;

Status LoadRecords(const std::string& path, const ReadFn& read, const ColumnMap& map,
                   uint8_t source, RecordSet* out, LoadedInput* info) {
  LoadedInput local;
  LoadedInput& in = info ? *info : local;
  in = LoadedInput{};
  in.path = path;
  CsvReader reader;
  std::vector<std::string> header;
  // Per canonical field: column indices to join.
  std::vector<std::vector<int>> cols(kFieldCount);
  int id_col = -1, truth_col = -1;
  std::unordered_set<std::string> ids;
  PersonRecord rec;
  std::vector<FieldIssue> issues(kFieldCount);
  Status st = read(reader, [&](const CsvRecord& r) -> Status {
    if (header.empty()) {
      for (std::string_view f : r.fields) header.emplace_back(TrimSpaces(f));
      auto find = [&](std::string_view name) -> int {
        for (size_t i = 0; i < header.size(); ++i) {
          if (header[i] == name) return static_cast<int>(i);
        }
        return -1;
      };
      std::vector<bool> explicit_field(kFieldCount, false);
      for (const ColumnMapping& m : map.fields) {
        explicit_field[static_cast<size_t>(m.field)] = true;
        for (const std::string& c : m.columns) {
          const int i = find(c);
          if (i < 0) {
            return InvalidArgumentError(fmt::format("{}: line {}: no column '{}' (mapped to {})",
                                                    path, r.line, c, FieldName(m.field)));
          }
          cols[static_cast<size_t>(m.field)].push_back(i);
        }
      }
      for (size_t i = 0; i < header.size(); ++i) {
        // The truth column is never compared.
        if (!map.truth_column.empty() && header[i] == map.truth_column) continue;
        const std::optional<AutoColumn> a = AutoMapColumn(header[i]);
        if (!a || explicit_field[static_cast<size_t>(a->field)]) continue;
        auto& c = cols[static_cast<size_t>(a->field)];
        if (c.empty() || a->part) c.push_back(static_cast<int>(i));
      }
      if (!map.id_column.empty()) {
        id_col = find(map.id_column);
        if (id_col < 0) {
          return InvalidArgumentError(
              fmt::format("{}: line {}: no id column '{}' (--id)", path, r.line, map.id_column));
        }
      } else {
        for (std::string_view name : {"unique_id", "id", "rec_id", "record_id", "person_id"}) {
          if (id_col < 0) id_col = find(name);
        }
      }
      if (!map.truth_column.empty()) {
        truth_col = find(map.truth_column);
        if (truth_col < 0) {
          return InvalidArgumentError(
              fmt::format("{}: line {}: no truth column '{}'", path, r.line, map.truth_column));
        }
      }
      in.id_column = id_col >= 0 ? header[static_cast<size_t>(id_col)] : "";
      for (int f = 0; f < kFieldCount; ++f) {
        if (cols[static_cast<size_t>(f)].empty()) continue;
        std::string desc;
        for (int i : cols[static_cast<size_t>(f)]) {
          if (!desc.empty()) desc += "+";
          desc += header[static_cast<size_t>(i)];
        }
        in.mapping.emplace_back(static_cast<Field>(f), desc);
      }
      if (in.mapping.empty()) return NothingToCompare(path, r.line, header);
      return OkStatus();
    }
    if (r.fields.size() != header.size()) {
      return InvalidArgumentError(fmt::format("{}: line {}: {} fields, header has {}", path, r.line,
                                              r.fields.size(), header.size()));
    }
    if (id_col >= 0) {
      rec.id = std::string(TrimSpaces(r.fields[static_cast<size_t>(id_col)]));
      if (rec.id.empty()) {
        return InvalidArgumentError(
            fmt::format("{}: line {}, column {}: empty record id", path, r.line, id_col + 1));
      }
      if (!ids.insert(rec.id).second) {
        return InvalidArgumentError(fmt::format("{}: line {}, column {}: duplicate record id '{}'",
                                                path, r.line, id_col + 1, rec.id));
      }
    } else {
      rec.id = std::to_string(r.line);
    }
    for (int f = 0; f < kFieldCount; ++f) {
      std::string& v = rec.fields[static_cast<size_t>(f)];
      v.clear();
      for (int i : cols[static_cast<size_t>(f)]) {
        const std::string_view part = TrimSpaces(r.fields[static_cast<size_t>(i)]);
        if (part.empty()) continue;
        if (!v.empty()) v.push_back(' ');
        v.append(part);
      }
    }
    UnparsedMask bad = 0;
    out->Add(rec, source, -1, &bad);
    for (int f = 0; bad != 0 && f < kFieldCount; ++f) {
      if ((bad & (UnparsedMask{1} << f)) == 0) continue;
      FieldIssue& is = issues[static_cast<size_t>(f)];
      if (is.count++ == 0) {
        is.field = static_cast<Field>(f);
        is.first_line = r.line;
        is.first_column =
            cols[static_cast<size_t>(f)].empty() ? 0 : cols[static_cast<size_t>(f)][0] + 1;
      }
    }
    if (truth_col >= 0) in.truth.emplace_back(TrimSpaces(r.fields[static_cast<size_t>(truth_col)]));
    ++in.rows;
    return OkStatus();
  });
  if (!st.ok()) {
    // CsvReader content errors carry "line L, column C: ..." but not the file name.
    if (st.code() == StatusCode::kInvalidArgument && st.message().rfind(path, 0) != 0) {
      return InvalidArgumentError(fmt::format("{}: {}", path, st.message()));
    }
    if (st.code() != StatusCode::kInvalidArgument) {
      return Status(st.code(), fmt::format("{}: {}", path, st.message()));
    }
    return st;
  }
  if (header.empty()) return InvalidArgumentError(fmt::format("{}: empty file (no header)", path));
  for (const FieldIssue& is : issues) {
    if (is.count > 0) in.unparsed.push_back(is);
  }
  return OkStatus();
}

}  // namespace

Status LoadCsvRecords(const std::string& path, const ColumnMap& map, uint8_t source, RecordSet* out,
                      LoadedInput* info) {
  auto read = [&path](CsvReader& reader, const CsvReader::RecordFn& on_record) {
    return reader.ReadFile(path, on_record);
  };
  return LoadRecords(path, read, map, source, out, info);
}

Status LoadCsvBytes(std::string_view data, const std::string& name, const ColumnMap& map,
                    uint8_t source, RecordSet* out, LoadedInput* info) {
  auto read = [data](CsvReader& reader, const CsvReader::RecordFn& on_record) {
    return reader.ReadBytes(data, on_record);
  };
  return LoadRecords(name, read, map, source, out, info);
}

}  // namespace pioneer::link
