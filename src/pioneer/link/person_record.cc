#include "pioneer/link/person_record.h"

namespace pioneer::link {
namespace {

constexpr std::string_view kNames[kFieldCount] = {
    "given_name", "family_name", "birth_date", "sex",        "postcode",
    "address",    "city",        "email",      "identifier", "nhs_number"};

}  // namespace

std::string_view FieldName(Field f) { return kNames[static_cast<int>(f)]; }

std::optional<Field> FieldFromName(std::string_view name) {
  for (int i = 0; i < kFieldCount; ++i) {
    if (kNames[i] == name) return static_cast<Field>(i);
  }
  if (name == "first_name" || name == "forename") return Field::kGivenName;
  if (name == "surname" || name == "last_name") return Field::kFamilyName;
  if (name == "dob" || name == "date_of_birth") return Field::kBirthDate;
  if (name == "suburb" || name == "town") return Field::kCity;
  if (name == "gender") return Field::kSex;
  return std::nullopt;
}

}  // namespace pioneer::link
