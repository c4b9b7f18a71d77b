// PersonRecord: one input record in Pioneer's canonical person fields, as raw text.
//
// This is the boundary between "where records come from" (a CSV file via a column map,
// the store in phase 2, a PDS extract) and the linkage engine: everything downstream sees
// only these fields. Values are raw: normalisation happens when records are added to a
// RecordSet (record_set.h). Empty string = missing.
//
// Canonical field names (used by --map and in output column names):
//   given_name, family_name, birth_date, sex, postcode, address, city, email,
//   identifier (any shared identifier such as FEBRL's soc_sec_id, compared as text),
//   nhs_number (validated: an invalid NHS Number counts as missing).
// At most one of identifier / nhs_number is used by a comparison set.
// Thread safety: plain value.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace pioneer::link {

enum class Field : int {
  kGivenName = 0,
  kFamilyName,
  kBirthDate,
  kSex,
  kPostcode,
  kAddress,
  kCity,
  kEmail,
  kIdentifier,
  kNhsNumber,
};
inline constexpr int kFieldCount = 10;

// "given_name", "family_name", ... (the --map names).
std::string_view FieldName(Field f);
std::optional<Field> FieldFromName(std::string_view name);

struct PersonRecord {
  std::string id;  // record id, unique within its source; the only value ever printed
  std::array<std::string, kFieldCount> fields;

  const std::string& get(Field f) const { return fields[static_cast<size_t>(f)]; }
  std::string& get(Field f) { return fields[static_cast<size_t>(f)]; }
};

}  // namespace pioneer::link
