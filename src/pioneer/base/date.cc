#include "pioneer/base/date.h"

#include <chrono>
#include <cstdio>

namespace pioneer {
namespace {

namespace chr = std::chrono;

constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2199;

chr::year_month_day ToYmd(int32_t days) { return chr::year_month_day(chr::sys_days(chr::days(days))); }

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

bool IsLeapYear(int year) { return chr::year(year).is_leap(); }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && IsLeapYear(year)) return 29;
  return kDays[month - 1];
}

std::optional<Date> Date::FromYmd(int year, int month, int day) {
  if (year < kMinYear || year > kMaxYear || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  chr::year_month_day ymd{chr::year(year), chr::month(static_cast<unsigned>(month)),
                          chr::day(static_cast<unsigned>(day))};
  return Date(static_cast<int32_t>(chr::sys_days(ymd).time_since_epoch().count()));
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

int Date::year() const { return static_cast<int>(ToYmd(days_).year()); }
int Date::month() const { return static_cast<int>(static_cast<unsigned>(ToYmd(days_).month())); }
int Date::day() const { return static_cast<int>(static_cast<unsigned>(ToYmd(days_).day())); }

int Date::iso_weekday() const {
  return static_cast<int>(chr::weekday(chr::sys_days(chr::days(days_))).iso_encoding());
}

std::string Date::ToIso() const {
  auto ymd = ToYmd(days_);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return buf;
}

Date Date::AddMonths(int n) const {
  int y = year(), m = month(), d = day();
  int total = y * 12 + (m - 1) + n;
  int ny = total / 12, nm = total % 12 + 1;
  int nd = std::min(d, DaysInMonth(ny, nm));
  return *FromYmd(ny, nm, nd);
}

int Date::AgeOn(Date on) const {
  int age = on.year() - year();
  if (on.month() < month() || (on.month() == month() && on.day() < day())) --age;
  return age;
}

std::string Period::ToString() const { return start.ToIso() + ".." + last_day().ToIso(); }

std::optional<Period> Period::Parse(std::string_view text) {
  if (auto fy = FinancialYear::Parse(text)) return fy->period();
  auto sep = text.find("..");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string_view a = text.substr(0, sep), b = text.substr(sep + 2);
  if (a.size() == 10 && b.size() == 10) {
    auto da = Date::ParseIso(a), db = Date::ParseIso(b);
    if (!da || !db || *db < *da) return std::nullopt;
    return Period::Inclusive(*da, *db);
  }
  if (a.size() == 7 && b.size() == 7) {
    auto da = Date::ParseIso(std::string(a) + "-01"), db = Date::ParseIso(std::string(b) + "-01");
    if (!da || !db || *db < *da) return std::nullopt;
    return Period{*da, db->AddMonths(1)};
  }
  return std::nullopt;
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
  if (t.size() == 6 && t.substr(0, 2) == "FY" && ParseDigits(t.substr(2), y)) {
    return FinancialYear{y};
  }
  if (t.size() == 7 && (t[4] == '/' || t[4] == '-') && ParseDigits(t.substr(0, 4), y) &&
      ParseDigits(t.substr(5, 2), y2) && (y + 1) % 100 == y2 && y >= 1800 && y < 2199) {
    return FinancialYear{y};
  }
  return std::nullopt;
}

Period FinancialYear::period() const {
  return {*Date::FromYmd(start_year, 4, 1), *Date::FromYmd(start_year + 1, 4, 1)};
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
  Date start = *Date::FromYmd(year, month, 1);
  return {start, start.AddMonths(1)};
}

}  // namespace pioneer
