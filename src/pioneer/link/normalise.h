// Field normalisation for linkage: what two values must share to count as "equal".
//
// Names (NormaliseName): UTF-8 in, lower-case ASCII out, compact (no separators):
//  * Latin letters with diacritics fold to their base letter (é -> e, Ł -> l, ø -> o);
//    ß -> ss, æ -> ae, œ -> oe, ĳ -> ij, þ -> th;
//  * case is folded; spaces, hyphens, apostrophes (' and ’), full stops and every other
//    non-letter ASCII character are removed, as NHS MPS removes spaces and hyphens
//    ("O'Brien" -> "obrien", "Smith-Jones" -> "smithjones", "Mary Ann" -> "maryann");
//  * other code points (Greek, Cyrillic, CJK ...) are kept as their UTF-8 bytes, so they
//    still compare equal to themselves; invalid UTF-8 bytes are dropped.
// Email: trimmed, lower case; EmailUser is the part before the last '@'.
// Identifier (soc_sec_id, local ids): upper case, spaces and hyphens removed.
// NHS Number: NormaliseNhsNumber returns the 10 digits of a valid number (model/nhs_number.h
//   rules) and "" for anything else (invalid numbers are treated as missing).
// Sex: 1 male, 2 female, 0 unknown (NHS codes 0 "not known" and 9 "not specified",
//   "U", "X", "I", blank) - unknown never agrees or disagrees.
// Postcode (LinkPostcode): a UK postcode in normalised form ("LS1 4AP") with its area,
//   district and sector lengths; any other non-empty text (e.g. FEBRL's 4-digit Australian
//   codes) is kept upper-cased with spaces removed and is_uk = false, so it can still be
//   compared exactly or by edit distance.
// Free text (address, city): lower-case ASCII via the name folding, but words are kept
//   separated by single spaces ("12  Pinkerton-Circuit" -> "12 pinkerton circuit").
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pioneer::link {

std::string NormaliseName(std::string_view text);
std::string NormaliseText(std::string_view text);
std::string NormaliseEmail(std::string_view text);
std::string_view EmailUser(std::string_view normalised_email);
std::string NormaliseIdentifier(std::string_view text);
std::string NormaliseNhsNumber(std::string_view text);
uint8_t NormaliseSex(std::string_view text);

struct LinkPostcode {
  std::string value;  // "" when missing
  bool is_uk = false;
  // Prefix lengths of value for a UK postcode ("LS1 4AP": area 2, district 3, sector 5).
  uint8_t area_len = 0, district_len = 0, sector_len = 0;
};
LinkPostcode NormaliseLinkPostcode(std::string_view text);

// Trims ASCII spaces and tabs at both ends (FEBRL separates fields with ", ").
std::string_view TrimSpaces(std::string_view s);

}  // namespace pioneer::link
