#include "pioneer/link/birth_date.h"

#include <bit>
#include <cstring>

#include "pioneer/base/date.h"
#include "pioneer/link/normalise.h"
#include "pioneer/link/string_metrics.h"

namespace pioneer::link {
namespace {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

int ToInt(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<BirthDate> Build(int y, int m, int d) {
  if (y < 1000 || y > 9999) return std::nullopt;
  BirthDate b;
  b.year = static_cast<int16_t>(y);
  b.month = static_cast<int8_t>(m);
  b.day = static_cast<int8_t>(d);
  if (m == 0 || d == 0) {
    // Partial dates: only "month not given" or "day not given" shapes are built here.
    return b;
  }
  const int parts[3] = {y, m, d};
  const int widths[3] = {4, 2, 2};
  size_t k = 0;
  for (int p = 0; p < 3; ++p) {
    int v = parts[p];
    for (int w = widths[p] - 1; w >= 0; --w) {
      b.digits[k + static_cast<size_t>(w)] = static_cast<char>('0' + v % 10);
      v /= 10;
    }
    k += static_cast<size_t>(widths[p]);
  }
  if (auto date = Date::FromYmd(y, m, d)) {
    b.valid = true;
    b.days = date->days_since_epoch();
  }
  return b;
}

int SwapDigits2(int v) { return (v % 10) * 10 + v / 10; }

}  // namespace

std::optional<BirthDate> ParseBirthDate(std::string_view text) {
  text = TrimSpaces(text);
  if (text.size() == 8 && AllDigits(text)) {
    const int m = ToInt(text.substr(4, 2)), d = ToInt(text.substr(6, 2));
    if (m < 1 || m > 99 || d < 1) return std::nullopt;
    return Build(ToInt(text.substr(0, 4)), m, d);
  }
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2)) && AllDigits(text.substr(8, 2))) {
    const int m = ToInt(text.substr(5, 2)), d = ToInt(text.substr(8, 2));
    if (m < 1 || d < 1) return std::nullopt;
    return Build(ToInt(text.substr(0, 4)), m, d);
  }
  if (text.size() == 10 && text[2] == '/' && text[5] == '/' && AllDigits(text.substr(0, 2)) &&
      AllDigits(text.substr(3, 2)) && AllDigits(text.substr(6, 4))) {
    const int m = ToInt(text.substr(3, 2)), d = ToInt(text.substr(0, 2));
    if (m < 1 || d < 1) return std::nullopt;
    return Build(ToInt(text.substr(6, 4)), m, d);
  }
  if (text.size() == 7 && text[4] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2))) {
    const int m = ToInt(text.substr(5, 2));
    if (m < 1 || m > 12) return std::nullopt;
    return Build(ToInt(text.substr(0, 4)), m, 0);
  }
  if (text.size() == 4 && AllDigits(text)) return Build(ToInt(text), 0, 0);
  return std::nullopt;
}

bool DigitsWithinOneEdit(const BirthDate& a, const BirthDate& b) {
  if (!a.full() || !b.full()) return false;
  // Both strings have 8 characters, so one edit is one substitution or one adjacent
  // transposition (an insertion needs a deletion too). Compare all 8 bytes at once.
  uint64_t x, y;
  std::memcpy(&x, a.digits.data(), 8);
  std::memcpy(&y, b.digits.data(), 8);
  const uint64_t diff = x ^ y;
  if (diff == 0) return true;
  constexpr uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
  const uint64_t nonzero = (((diff & kLow7) + kLow7) | diff) & ~kLow7;  // 0x80 per differing byte
  const int count = std::popcount(nonzero);
  if (count == 1) return true;
  if (count != 2) return false;
  const int i = std::countr_zero(nonzero) / 8;
  if ((nonzero >> (8 * i + 8)) != 0x80) return false;  // the two bytes must be adjacent
  return a.digits[static_cast<size_t>(i)] == b.digits[static_cast<size_t>(i + 1)] &&
         a.digits[static_cast<size_t>(i + 1)] == b.digits[static_cast<size_t>(i)];
}

bool DayMonthTransposed(const BirthDate& a, const BirthDate& b) {
  return a.full() && b.full() && a.year == b.year && a.day != a.month && a.day == b.month &&
         a.month == b.day;
}

TraceDateAgreement CompareForTrace(const BirthDate& q, const BirthDate& p) {
  if (!p.full()) {
    // A PDS date is normally full; if not, only exact equality of what both give counts.
    return q == p ? TraceDateAgreement::kExact : TraceDateAgreement::kNone;
  }
  if (!q.full()) {
    const bool ok = q.year == p.year && (q.month == 0 || q.month == p.month);
    return ok ? TraceDateAgreement::kAsGiven : TraceDateAgreement::kNone;
  }
  if (q == p) return TraceDateAgreement::kExact;
  const bool year_ok = q.year == p.year ||
                       (q.year / 100 == p.year / 100 && SwapDigits2(q.year % 100) == p.year % 100);
  bool month_ok = q.month == p.month;
  bool day_ok = q.day == p.day || SwapDigits2(q.day) == p.day;
  if (!month_ok && !day_ok && q.day == p.month && q.month == p.day) month_ok = day_ok = true;
  const int agree = int{year_ok} + int{month_ok} + int{day_ok};
  return agree >= 2 ? TraceDateAgreement::kPartial : TraceDateAgreement::kNone;
}

}  // namespace pioneer::link
