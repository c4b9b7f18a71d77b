// BirthDate: a date of birth as linkage sees it - possibly partial, possibly not a real
// calendar date (keying errors such as 1965-13-32 are kept, because "one digit away from
// the other record's date" is evidence), and compared in several ways.
//
// Accepted text (after trimming): YYYY-MM-DD, YYYYMMDD, DD/MM/YYYY (UK order), and the
// partial forms YYYY-MM and YYYY. Anything else is "not a date" (ParseBirthDate returns
// nullopt; callers treat it as missing and count it). Eight digits that are not a real
// date keep their digits and components with valid = false.
//
// Comparisons:
//  * DigitsWithinOneEdit: the YYYYMMDD strings differ by at most one Damerau-Levenshtein
//    edit (one mistyped digit or two adjacent digits swapped). Full dates only.
//  * DayMonthTransposed: same year, day and month swapped (03/04 vs 04/03), day != month.
//  * AbsDaysBetween: |difference| in days; only for two valid full dates.
//  * CompareForTrace: the NHS MPS cross-check rule (spec section 5.2 step 2) - see below.
// Thread safety: plain values and pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pioneer::link {

struct BirthDate {
  int16_t year = 0;              // always known for a parsed value
  int8_t month = 0;              // 0 = not given (partial date)
  int8_t day = 0;                // 0 = not given
  bool valid = false;            // a real calendar date with all three parts (days is meaningful)
  int32_t days = 0;              // days since 1970-01-01 when valid
  std::array<char, 8> digits{};  // YYYYMMDD as given (full dates only)

  bool full() const { return month != 0 && day != 0; }
  bool operator==(const BirthDate& o) const {
    return year == o.year && month == o.month && day == o.day;
  }
};

std::optional<BirthDate> ParseBirthDate(std::string_view text);

bool DigitsWithinOneEdit(const BirthDate& a, const BirthDate& b);
bool DayMonthTransposed(const BirthDate& a, const BirthDate& b);
// REQUIRES: a.valid && b.valid.
inline int32_t AbsDaysBetween(const BirthDate& a, const BirthDate& b) {
  return a.days > b.days ? a.days - b.days : b.days - a.days;
}

// MPS cross-check agreement of a query date with a PDS date:
//  kExact   - all parts equal (both full);
//  kAsGiven - the query is partial (year or year-month) and every part it gives agrees;
//  kPartial - both full and at least two of day, month and year agree, where day and month
//             swapped count as both agreeing, a day with its digits swapped (12/21) agrees,
//             and a year with its last two digits swapped (1978/1987) agrees;
//  kNone    - otherwise.
enum class TraceDateAgreement { kNone, kPartial, kAsGiven, kExact };
TraceDateAgreement CompareForTrace(const BirthDate& query, const BirthDate& pds);

}  // namespace pioneer::link
