// Clinical and organisational code normalisation: ICD-10, OPCS-4, SNOMED CT, ODS, postcodes.
//
// ICD-10 (HES style, bcf-metrics.md 1.7): upper case; strip '.', spaces and the
// dagger/asterisk marks '+', '*', '!'; keep the first 4 characters (dropping 5th/6th); if only 3
// remain append 'X' ("J46" -> "J46X", "j45.9" -> "J459", "I10" -> "I10X"). A valid result is a
// letter, two digits and a digit or 'X'. Rules on 3-character categories compare the first 3
// characters.
//
// OPCS-4: upper case, strip '.', keep the first 4 characters; valid = a letter and three
// digits, or a letter and two digits (a 3-character category). '-' and '&' are placeholders
// meaning "no operation" and normalise to empty.
//
// SNOMED CT concept id: 6-18 digits with a valid Verhoeff check digit and partition
// identifier 00 or 10 (concepts) in positions n-3..n-2.
//
// ODS code: 3 to 6 upper-case letters/digits (practices "B86001", trusts "RR8", CCGs "15F").
// Postcode: UK format, normalised to upper case with a single space before the inward code.
//
// All functions are pure and thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pioneer::model {

// Normalised ICD-10 code, or nullopt if the text is not an ICD-10 code (empty input -> nullopt).
std::optional<std::string> NormaliseIcd10(std::string_view text);
// Normalised OPCS-4 code; "" for the placeholders '-' and '&'; nullopt if invalid.
std::optional<std::string> NormaliseOpcs4(std::string_view text);
// True if `text` is a syntactically valid SNOMED CT concept id.
bool IsValidSnomedConceptId(std::string_view text);
// Verhoeff check digit for a string of digits (the digits without the check digit).
int VerhoeffCheckDigit(std::string_view digits);
bool IsValidOdsCode(std::string_view text);
// "ls14ap" -> "LS1 4AP"; nullopt if not a UK postcode shape.
std::optional<std::string> NormalisePostcode(std::string_view text);
// Postcode parts for linkage and geography: "LS1 4AP" -> area "LS", district "LS1",
// sector "LS1 4". REQUIRES: a normalised postcode.
std::string_view PostcodeArea(std::string_view normalised);
std::string_view PostcodeDistrict(std::string_view normalised);
std::string_view PostcodeSector(std::string_view normalised);

}  // namespace pioneer::model
