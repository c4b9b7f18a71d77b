// Test support (header-only; used by unit and integration tests, never by Pioneer itself):
// builds small, valid extract files from formats::AllExtracts, so tests do not depend on the
// synthetic generator and can corrupt fields at will.
//
// Every generated row is valid: codes come from their code sets, NHS Numbers pass Modulus 11,
// all dates of a row are the same day (so every date-order rule holds), optional fields are
// sometimes empty. CSV text is RFC 4180 with quotes only where needed.
// Thread safety: functions are pure given their RNG.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/model/code_sets.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::ingest::testing {

using Row = std::vector<std::string>;

inline std::string ValidNhsNumber(std::mt19937_64& rng) {
  while (true) {
    std::string d;
    for (int i = 0; i < 9; ++i) d.push_back(static_cast<char>('0' + rng() % 10));
    int check = NhsNumber::CheckDigitFor(d);
    if (check < 0) continue;
    d.push_back(static_cast<char>('0' + check));
    if (NhsNumber::Check(d) == NhsNumberProblem::kNone) return d;
  }
}

inline std::string Pick(std::mt19937_64& rng, std::initializer_list<const char*> options) {
  return *(options.begin() + rng() % options.size());
}

// A valid value for `f` (a field of `table`) on a row whose dates are all `day`. Numbers lie
// in the field's first range (formats::ValueRange).
inline std::string ValidValue(const formats::FieldSpec& f, std::mt19937_64& rng, Date day,
                              int64_t row) {
  using T = formats::FieldType;
  if (!f.required && f.type != T::kNhsNumber && rng() % 4 == 0) return "";
  uint64_t lo = 0, span = 100;
  if (!f.ranges.empty()) {
    lo = static_cast<uint64_t>(f.ranges[0].min);
    if (f.ranges[0].max - f.ranges[0].min + 1 < 100) {
      span = static_cast<uint64_t>(f.ranges[0].max - f.ranges[0].min + 1);
    }
  }
  switch (f.type) {
    case T::kText:
      return std::string(f.name.substr(0, 4)) + "-" + std::to_string(row);
    case T::kInteger:
      return std::to_string(lo + rng() % span);
    case T::kDecimal:
      return std::to_string(rng() % 1000) + "." + std::to_string(rng() % 90 + 10);
    case T::kDate:
      return day.ToIso();
    case T::kNhsNumber: {
      int r = static_cast<int>(rng() % 10);
      if (r == 0) return "";            // missing: kept, flagged
      if (r == 1) return "1234567890";  // fails Modulus 11: kept, flagged
      std::string n = ValidNhsNumber(rng);
      if (r == 2) return n.substr(0, 3) + " " + n.substr(3, 3) + " " + n.substr(6);
      return n;
    }
    case T::kCode: {
      const model::CodeSet* set = model::FindCodeSet(f.code_set);
      return std::string(set->codes[rng() % set->codes.size()].code);
    }
    case T::kIcd10:
      return Pick(rng, {"J45.9", "I10", "E11.9", "c34.1", "S720", "F03X"});
    case T::kOpcs4:
      return Pick(rng, {"K40.1", "W371", "-", "H22.9"});
    case T::kOdsCode:
      return Pick(rng, {"RR8", "B86001", "15F", " RAE "});
    case T::kPostcode:
      return Pick(rng, {"LS1 4AP", "ls14ap", "M1 1AE", "BD1  1HY"});
  }
  return "";
}

inline Row Header(const formats::ExtractSpec& spec) {
  Row h;
  for (const auto& f : spec.fields) h.emplace_back(f.name);
  return h;
}

inline Row ValidRow(const formats::ExtractSpec& spec, std::mt19937_64& rng, int64_t row) {
  Date day = *Date::FromYmd(2014, 4, 1);
  day = day.AddDays(static_cast<int32_t>(rng() % 365));
  Row r;
  for (const auto& f : spec.fields) r.push_back(ValidValue(f, rng, day, row));
  return r;
}

inline std::string CsvField(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  return out + "\"";
}

// CSV text of header + rows; `row_lines` (if given) receives each row's first line number.
inline std::string ToCsv(const Row& header, const std::vector<Row>& rows,
                         std::vector<int64_t>* row_lines = nullptr) {
  std::string out;
  int64_t line = 1;
  auto emit = [&](const Row& r) {
    for (size_t i = 0; i < r.size(); ++i) {
      if (i > 0) out.push_back(',');
      std::string f = CsvField(r[i]);
      for (char c : f) line += c == '\n';
      out += f;
    }
    out.push_back('\n');
    ++line;
  };
  emit(header);
  for (const Row& r : rows) {
    if (row_lines) row_lines->push_back(line);
    emit(r);
  }
  return out;
}

inline void WriteFile(const std::filesystem::path& path, std::string_view content) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
}

// Writes every extract with `rows` valid rows each into `dir`.
inline void WriteValidArea(const std::filesystem::path& dir, int rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    std::vector<Row> data;
    for (int i = 0; i < rows; ++i) data.push_back(ValidRow(spec, rng, i));
    WriteFile(dir / std::string(spec.file_name), ToCsv(Header(spec), data));
  }
}

}  // namespace pioneer::ingest::testing
