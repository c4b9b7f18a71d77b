// Fuzz target: bytes as a `--period` argument. A period that parses lies in the valid date
// range, and the month, quarter and year series over it (built as the metrics engine builds
// them) are finite and ordered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pioneer/base/date.h"

using namespace pioneer;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = Period::ParseChecked(text);
  if (p.ok() != Period::Parse(text).has_value()) std::abort();
  if (!p.ok()) {
    if (p.status().message().empty()) std::abort();
    return 0;
  }
  const Date lo = *Date::FromYmd(1800, 1, 1), hi = *Date::FromYmd(2199, 12, 31);
  if (p->start < lo || p->last_day() > hi || p->end_exclusive <= p->start) std::abort();
  int months = 0;
  for (CalendarMonth m = CalendarMonth::Containing(p->start); m.period().start < p->end_exclusive;
       m = m.Next()) {
    if (++months > 12 * 400 + 1) std::abort();
  }
  int quarters = 0;
  for (FiscalQuarter q = FiscalQuarter::Containing(p->start); q.period().start < p->end_exclusive;
       q = FiscalQuarter::Containing(q.period().end_exclusive)) {
    if (++quarters > 4 * 400 + 1) std::abort();
  }
  int years = 0;
  for (FinancialYear y = FinancialYear::Containing(p->start); y.period().start < p->end_exclusive;
       y = FinancialYear{y.start_year + 1}) {
    if (++years > 401) std::abort();
  }
  // Labels and ISO text of the ends round-trip.
  if (Date::ParseIso(p->start.ToIso()) != p->start) std::abort();
  return 0;
}
