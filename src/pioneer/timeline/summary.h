// A terminal summary of a person timeline: people, events, memory, and the linkage counts of
// each source (rows, linked, traced, no or bad NHS Number, not in PDS). Counts only: it names
// no person. Used by `pioneer timeline` and the demo.
#pragma once

#include <string>

#include "pioneer/timeline/timeline.h"

namespace pioneer::timeline {

std::string SummaryText(const Timeline& t, double build_seconds);

}  // namespace pioneer::timeline
