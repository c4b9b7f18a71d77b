#include "pioneer/timeline/summary.h"

#include <fmt/format.h>

namespace pioneer::timeline {

std::string SummaryText(const Timeline& t, double build_seconds) {
  std::string out =
      fmt::format("Person timeline: {} people, {} events, ~{:.0f} MB, ready in {:.1f} s\n",
                  t.person_count(), t.event_count(), t.MemoryBytes() / 1e6, build_seconds);
  out += fmt::format("  {:<20} {:>11} {:>11} {:>9} {:>9} {:>9} {:>11}\n", "source", "rows",
                     "linked", "traced", "no NHS#", "bad NHS#", "not in PDS");
  for (int s = 0; s < kSourceCount; ++s) {
    const auto& c = t.linkage(static_cast<Source>(s));
    if (c.rows == 0) continue;
    out += fmt::format("  {:<20} {:>11} {:>11} {:>9} {:>9} {:>9} {:>11}\n",
                       SourceName(static_cast<Source>(s)), c.rows, c.linked, c.traced,
                       c.missing_number, c.invalid_number, c.not_in_pds);
  }
  out +=
      "  (traced: placed by a `pioneer link` decision, automatic or accepted; no/bad NHS#: "
      "still unlinked, kept on no person and counted by record-level metrics)\n";
  return out;
}

}  // namespace pioneer::timeline
