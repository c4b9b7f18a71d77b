#include "pioneer/base/date.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "pioneer/base/civil_days.h"

namespace pioneer {
namespace {

constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2199;

// Day-number conversions in 64-bit arithmetic (civil_days.h): arithmetic on dates outside the
// valid range (a period's exclusive end, a window reaching back many years) is exact.
using Ymd = civil::Ymd<int64_t>;
Ymd CivilFromDays(int64_t z) { return civil::CivilFromDays<int64_t>(z); }

// Dates are kept within years -1,000,000..1,000,000 so that day counts fit in 32 bits;
// month arithmetic beyond that saturates (no caller comes near: inputs are 1800..2199).
constexpr int64_t kArithmeticYearLimit = 1000000;

int32_t DaysOf(int64_t y, int m, int d) {
  y = std::clamp(y, -kArithmeticYearLimit, kArithmeticYearLimit);
  return static_cast<int32_t>(civil::DaysFromCivil<int64_t>(y, m, d));
}

bool ParseDigits(std::string_view s, int& out) {
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

}  // namespace

bool IsLeapYear(int year) { return civil::IsLeapYear(year); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return Date(DaysOf(year, month, day));
}

std::optional<Date> Date::ParseIso(std::string_view t) {
  if (t.size() != 10 || t[4] != '-' || t[7] != '-') return std::nullopt;
  int y, m, d;
  if (!ParseDigits(t.substr(0, 4), y) || !ParseDigits(t.substr(5, 2), m) ||
      !ParseDigits(t.substr(8, 2), d)) {
    return std::nullopt;
  }
  return FromYmd(y, m, d);
}

int Date::year() const { return static_cast<int>(CivilFromDays(days_).year); }
int Date::month() const { return CivilFromDays(days_).month; }
int Date::day() const { return CivilFromDays(days_).day; }

int Date::iso_weekday() const { return civil::IsoWeekday<int64_t>(days_); }

std::string Date::ToIso() const {
  Ymd ymd = CivilFromDays(days_);
  return fmt::format("{:04d}-{:02d}-{:02d}", ymd.year, ymd.month, ymd.day);
}

Date Date::AddMonths(int n) const {
  Ymd ymd = CivilFromDays(days_);
  int64_t total = ymd.year * 12 + (ymd.month - 1) + n;
  int64_t ny = total >= 0 ? total / 12 : (total - 11) / 12;  // floor division
  int nm = static_cast<int>(total - ny * 12) + 1;
  ny = std::clamp(ny, -kArithmeticYearLimit, kArithmeticYearLimit);
  int nd = std::min(ymd.day, DaysInMonth(static_cast<int>(ny), nm));
  return Date(DaysOf(ny, nm, nd));
}

int Date::AgeOn(Date on) const {
  int age = on.year() - year();
  if (on.month() < month() || (on.month() == month() && on.day() < day())) --age;
  return age;
}

std::string Period::ToString() const { return start.ToIso() + ".." + last_day().ToIso(); }

std::optional<Period> Period::Parse(std::string_view text) {
  auto p = ParseChecked(text);
  if (!p.ok()) return std::nullopt;
  return *p;
}

StatusOr<Period> Period::ParseChecked(std::string_view text) {
  const std::string quoted = fmt::format("'{}'", text.substr(0, 40));
  if (auto fy = FinancialYear::Parse(text)) return fy->period();
  if ((text.size() == 6 && text.substr(0, 2) == "FY") ||
      (text.size() == 7 && (text[4] == '/' || text[4] == '-') &&
       text.find("..") == std::string_view::npos)) {
    return InvalidArgumentError(
        fmt::format("bad period {}: a financial year is written 2014/15 or FY2014, from 1800/01 to "
                    "2198/99",
                    quoted));
  }
  auto sep = text.find("..");
  const std::string forms = "(e.g. 2014-04..2015-03, 2014-04-01..2015-03-31, 2014/15 or FY2014)";
  if (sep == std::string_view::npos) {
    return InvalidArgumentError(fmt::format("bad period {} {}", quoted, forms));
  }
  std::string_view a = text.substr(0, sep), b = text.substr(sep + 2);
  std::optional<Date> da, db;
  Period out;
  if (a.size() == 10 && b.size() == 10) {
    da = Date::ParseIso(a), db = Date::ParseIso(b);
    if (da && db) out = Period::Inclusive(*da, *db);
  } else if (a.size() == 7 && b.size() == 7) {
    da = Date::ParseIso(std::string(a) + "-01"), db = Date::ParseIso(std::string(b) + "-01");
    if (da && db) out = Period{*da, db->AddMonths(1)};
  } else {
    return InvalidArgumentError(fmt::format("bad period {} {}", quoted, forms));
  }
  if (!da || !db) {
    return InvalidArgumentError(
        fmt::format("bad period {}: each end must be a real date or month between 1800-01-01 and "
                    "2199-12-31 {}",
                    quoted, forms));
  }
  if (*db < *da) {
    return InvalidArgumentError(fmt::format("bad period {}: it ends before it starts", quoted));
  }
  return out;
}

FinancialYear FinancialYear::Containing(Date d) {
  return {d.month() >= 4 ? d.year() : d.year() - 1};
}

std::string FinancialYear::Label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d/%02d", start_year, (start_year + 1) % 100);
  return buf;
}

std::optional<FinancialYear> FinancialYear::Parse(std::string_view t) {
  int y, y2;
  if (t.size() == 6 && t.substr(0, 2) == "FY" && ParseDigits(t.substr(2), y) && y >= kMinYear &&
      y < kMaxYear) {
    return FinancialYear{y};
  }
  if (t.size() == 7 && (t[4] == '/' || t[4] == '-') && ParseDigits(t.substr(0, 4), y) &&
      ParseDigits(t.substr(5, 2), y2) && (y + 1) % 100 == y2 && y >= kMinYear && y < kMaxYear) {
    return FinancialYear{y};
  }
  return std::nullopt;
}

Period FinancialYear::period() const {
  return {Date::FromDaysSinceEpoch(DaysOf(start_year, 4, 1)),
          Date::FromDaysSinceEpoch(DaysOf(int64_t{start_year} + 1, 4, 1))};
}

FiscalQuarter FiscalQuarter::Containing(Date d) {
  FinancialYear fy = FinancialYear::Containing(d);
  int m = d.month();
  int q = m >= 4 ? (m - 4) / 3 + 1 : 4;
  return {fy, q};
}

std::string FiscalQuarter::Label() const { return year.Label() + " Q" + std::to_string(quarter); }

Period FiscalQuarter::period() const {
  Date start = year.period().start.AddMonths((quarter - 1) * 3);
  return {start, start.AddMonths(3)};
}

std::string CalendarMonth::Label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

Period CalendarMonth::period() const {
  Date start = Date::FromDaysSinceEpoch(DaysOf(year, std::clamp(month, 1, 12), 1));
  return {start, start.AddMonths(1)};
}

}  // namespace pioneer
