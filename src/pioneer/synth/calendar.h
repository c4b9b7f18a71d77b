// Day-number arithmetic for the generator's inner loops.
//
// The generator keeps every date as an int32 count of days since 1970-01-01 (the same
// representation as pioneer::Date) and needs year/month/day, weekday and ISO text for
// millions of values, so these are inline, allocation-free versions of Date's operations
// (Howard Hinnant's civil-from-days algorithms). Tests check them against Date.
#pragma once

#include <cstdint>
#include <string>

namespace pioneer::synth {

using Day = int32_t;                      // days since 1970-01-01
inline constexpr Day kNoDay = INT32_MIN;  // "no date"

struct Ymd {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

constexpr Day DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr Ymd CivilFromDays(Day z) {
  z += 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int y = yoe + era * 400;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp + (mp < 10 ? 3 : -9);
  return {y + (m <= 2), m, d};
}

// ISO weekday: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday).
constexpr int Weekday(Day d) {
  const int w = (d + 3) % 7;
  return (w < 0 ? w + 7 : w) + 1;
}
constexpr bool IsWeekend(Day d) { return Weekday(d) >= 6; }

// Completed years of age on `on` for someone born on `birth` (29 February birthdays are
// reached on 1 March in non-leap years, as Date::AgeOn).
constexpr int AgeOn(Day birth, Day on) {
  const Ymd b = CivilFromDays(birth);
  const Ymd o = CivilFromDays(on);
  int age = o.year - b.year;
  if (o.month < b.month || (o.month == b.month && o.day < b.day)) --age;
  return age;
}

// First day of the month containing d, and of the following month.
constexpr Day MonthStart(Day d) {
  const Ymd x = CivilFromDays(d);
  return DaysFromCivil(x.year, x.month, 1);
}
constexpr Day NextMonthStart(Day d) {
  const Ymd x = CivilFromDays(d);
  return x.month == 12 ? DaysFromCivil(x.year + 1, 1, 1) : DaysFromCivil(x.year, x.month + 1, 1);
}

// The same calendar date `years` later (29 February -> 28 February in non-leap years).
constexpr Day AddYears(Day d, int years) {
  const Ymd x = CivilFromDays(d);
  const int y = x.year + years;
  int day = x.day;
  if (x.month == 2 && day == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) day = 28;
  return DaysFromCivil(y, x.month, day);
}

// Appends "YYYY-MM-DD". REQUIRES: year in 0..9999.
inline void AppendIsoDate(std::string& out, Day d) {
  const Ymd x = CivilFromDays(d);
  char buf[10] = {static_cast<char>('0' + x.year / 1000),
                  static_cast<char>('0' + x.year / 100 % 10),
                  static_cast<char>('0' + x.year / 10 % 10),
                  static_cast<char>('0' + x.year % 10),
                  '-',
                  static_cast<char>('0' + x.month / 10),
                  static_cast<char>('0' + x.month % 10),
                  '-',
                  static_cast<char>('0' + x.day / 10),
                  static_cast<char>('0' + x.day % 10)};
  out.append(buf, 10);
}

inline std::string IsoDate(Day d) {
  std::string s;
  AppendIsoDate(s, d);
  return s;
}

}  // namespace pioneer::synth
