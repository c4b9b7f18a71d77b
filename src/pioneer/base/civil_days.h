// Day-number arithmetic of the proleptic Gregorian calendar, written once for every caller:
// `Date` (date.h) and the generator's allocation-free inner loops (synth/calendar.h) both use
// these. A day number counts days since 1970-01-01 (day 0, a Thursday).
//
// The conversions are H. Hinnant's ("chrono-Compatible Low-Level Date Algorithms",
// https://howardhinnant.github.io/date_algorithms.html), exact for every year whose day
// number fits in `Int`. They are templates on the integer type so that `Date` computes in
// 64 bits (arithmetic outside its valid range - a period's exclusive end, a window reaching
// back many years - stays exact instead of undefined) while the generator keeps 32-bit
// arithmetic in its hot loops; both run the same code.
// Thread safety: pure constexpr functions.
#pragma once

#include <cstdint>

namespace pioneer::civil {

template <typename Int>
struct Ymd {
  Int year;
  int month;  // 1..12
  int day;    // 1..31
};

constexpr bool IsLeapYear(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

// Day number of year-month-day. REQUIRES: 1 <= m <= 12, 1 <= d <= 31.
template <typename Int>
constexpr Int DaysFromCivil(Int y, int m, int d) {
  y -= m <= 2;
  const Int era = (y >= 0 ? y : y - 399) / 400;
  const Int yoe = y - era * 400;
  const Int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const Int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Year, month and day of a day number.
template <typename Int>
constexpr Ymd<Int> CivilFromDays(Int z) {
  z += 719468;
  const Int era = (z >= 0 ? z : z - 146096) / 146097;
  const Int doe = z - era * 146097;
  const Int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const Int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const Int mp = (5 * doy + 2) / 153;
  const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {static_cast<Int>(yoe + era * 400 + (m <= 2)), m, d};
}

// ISO weekday of a day number: 1 = Monday .. 7 = Sunday.
template <typename Int>
constexpr int IsoWeekday(Int days) {
  const Int w = (days + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w) + 1;
}

static_assert(DaysFromCivil<int64_t>(1970, 1, 1) == 0);
static_assert(DaysFromCivil<int32_t>(2000, 3, 1) == 11017);
static_assert(CivilFromDays<int32_t>(-1).year == 1969 && CivilFromDays<int32_t>(-1).day == 31);
static_assert(IsoWeekday<int64_t>(0) == 4);

}  // namespace pioneer::civil
