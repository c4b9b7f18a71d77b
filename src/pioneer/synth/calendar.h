// Day-number arithmetic for the generator's inner loops.
//
// The generator keeps every date as an int32 count of days since 1970-01-01 (the same
// representation as pioneer::Date) and needs year/month/day, weekday and ISO text for
// millions of values, so these are inline, allocation-free helpers over the one calendar
// implementation (base/civil_days.h, which Date uses too). Tests check them against Date.
#pragma once

#include <cstdint>
#include <string>

#include "pioneer/base/civil_days.h"

namespace pioneer::synth {

using Day = int32_t;                      // days since 1970-01-01
inline constexpr Day kNoDay = INT32_MIN;  // "no date"

using Ymd = civil::Ymd<int>;  // year, month 1..12, day 1..31

// The calendar's conversions (base/civil_days.h, shared with Date) in 32-bit arithmetic.
constexpr Day DaysFromCivil(int y, int m, int d) { return civil::DaysFromCivil<Day>(y, m, d); }
constexpr Ymd CivilFromDays(Day z) { return civil::CivilFromDays<Day>(z); }

// ISO weekday: 1 = Monday .. 7 = Sunday (1970-01-01 was a Thursday).
constexpr int Weekday(Day d) { return civil::IsoWeekday<Day>(d); }
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
  if (x.month == 2 && day == 29 && !civil::IsLeapYear(y)) day = 28;
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
