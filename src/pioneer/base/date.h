// Civil dates, financial years, quarters, months and periods.
//
// Date is a calendar day with no time zone: NHS and council extracts record days, not
// instants. It is stored as a count of days since 1970-01-01 so comparisons and
// differences are integer operations; the valid range is 1800-01-01 .. 2199-12-31.
//
// Periods name their ends explicitly. `Period{start, end_exclusive}` contains d when
// start <= d < end_exclusive; build one from inclusive bounds with Period::Inclusive().
//
// Financial year (FY): 1 April .. 31 March, labelled by its starting year ("2014/15" has
// start_year 2014). Quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar.
// Thread safety: all types are plain values.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"

namespace pioneer {

class Date {
 public:
  // REQUIRES: a real calendar date inside the valid range (use FromYmd to check).
  constexpr Date() = default;

  // Returns nullopt unless y-m-d is a real calendar date in 1800..2199.
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Strict ISO 8601 calendar date "YYYY-MM-DD" (exactly 10 characters). nullopt otherwise.
  static std::optional<Date> ParseIso(std::string_view text);
  static constexpr Date FromDaysSinceEpoch(int32_t days) { return Date(days); }

  int32_t days_since_epoch() const { return days_; }
  int year() const;
  int month() const;  // 1..12
  int day() const;    // 1..31
  // ISO weekday: 1 = Monday .. 7 = Sunday.
  int iso_weekday() const;
  std::string ToIso() const;  // "YYYY-MM-DD"

  Date AddDays(int32_t n) const { return Date(days_ + n); }
  // Same day-of-month n months later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb).
  // Exact for any n (the result may lie outside the valid range, e.g. a period's exclusive
  // end 2200-01-01); saturates at years +-1,000,000, so it is never undefined behaviour.
  Date AddMonths(int n) const;
  // Days from *this to other (other - this).
  int32_t DaysUntil(Date other) const { return other.days_ - days_; }

  // Completed years of age on `on` for someone born on *this. Compares (month, day)
  // pairs, so a 29 February birthday is reached on 1 March in non-leap years.
  int AgeOn(Date on) const;

  friend constexpr auto operator<=>(Date, Date) = default;

 private:
  constexpr explicit Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

// A half-open interval of days: start <= d < end_exclusive.
struct Period {
  Date start;
  Date end_exclusive;

  // [first, last] with both ends inclusive.
  static Period Inclusive(Date first, Date last) { return {first, last.AddDays(1)}; }
  bool Contains(Date d) const { return start <= d && d < end_exclusive; }
  Date last_day() const { return end_exclusive.AddDays(-1); }
  int32_t length_days() const { return start.DaysUntil(end_exclusive); }
  // "2014-04-01..2015-03-31" (inclusive last day, the form analysts read).
  std::string ToString() const;
  // Parses "YYYY-MM..YYYY-MM" (whole months, inclusive) or "YYYY-MM-DD..YYYY-MM-DD"
  // (inclusive days) or an FY label "2014/15" / "FY2014". Every day of the result lies in
  // the valid date range 1800-01-01..2199-12-31 (so loops over its months are bounded).
  // nullopt on anything else.
  static std::optional<Period> Parse(std::string_view text);
  // The same, but an error says what is wrong (kInvalidArgument: unknown form, a year
  // outside 1800..2199, end before start), quoting the text.
  static StatusOr<Period> ParseChecked(std::string_view text);
  friend bool operator==(const Period&, const Period&) = default;
};

struct FinancialYear {
  int start_year = 0;  // 2014 for 2014/15

  static FinancialYear Containing(Date d);
  // "2014/15"; Parse accepts "2014/15", "2014-15" and "FY2014", for years whose days all
  // lie in the valid date range (1800/01 .. 2198/99).
  std::string Label() const;
  static std::optional<FinancialYear> Parse(std::string_view text);
  Period period() const;  // 1 April start_year .. 31 March start_year+1 (inclusive)
  friend auto operator<=>(FinancialYear, FinancialYear) = default;
};

struct FiscalQuarter {
  FinancialYear year;
  int quarter = 1;  // 1..4, Q1 = April-June

  static FiscalQuarter Containing(Date d);
  std::string Label() const;  // "2014/15 Q3"
  Period period() const;
  friend auto operator<=>(const FiscalQuarter&, const FiscalQuarter&) = default;
};

struct CalendarMonth {
  int year = 0;
  int month = 1;  // 1..12

  static CalendarMonth Containing(Date d) { return {d.year(), d.month()}; }
  std::string Label() const;  // "2014-10"
  Period period() const;
  int days() const { return period().length_days(); }
  CalendarMonth Next() const {
    return month == 12 ? CalendarMonth{year + 1, 1} : CalendarMonth{year, month + 1};
  }
  friend auto operator<=>(const CalendarMonth&, const CalendarMonth&) = default;
};

bool IsLeapYear(int year);
int DaysInMonth(int year, int month);

}  // namespace pioneer
