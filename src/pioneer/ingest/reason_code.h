// Quarantine reason codes: the closed list of reasons a row is rejected (docs/ingest.md).
//
// The names are stored in quarantine.reason_code and are part of the store's contract:
// never rename one; add new ones at the end.
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace pioneer::ingest {

enum class Reason {
  kColumnCount,      // the row has more or fewer fields than the header
  kMissingRequired,  // a required field is empty
  kBadInteger,       // not an integer ([-]digits, fits 64 bits)
  kBadDecimal,       // not a decimal ([-]digits[.digits])
  kBadDate,          // not a real calendar date YYYY-MM-DD (1800..2199)
  kBadCode,          // not a value of the field's code set
  kBadIcd10,         // not normalisable to an ICD-10 code
  kBadOpcs4,         // not normalisable to an OPCS-4 code
  kBadOdsCode,       // not an ODS code shape (3-6 letters/digits)
  kBadPostcode,      // not a UK postcode shape
  kDateOrder,        // a date is before the date it must follow (cross-field rule)
  kOutOfRange,       // a number outside its field's range (formats::ValueRange) or 64 bits
  kMalformedRecord,  // the line cannot be split into fields (a stray or unbalanced quote)
};

// "column_count", "missing_required", ... (the stored form).
std::string_view ReasonCodeName(Reason r);
// One line for people: what the code means.
std::string_view ReasonDescription(Reason r);
// Every reason, in enum order.
std::span<const Reason> AllReasons();

}  // namespace pioneer::ingest
