#include "pioneer/ingest/value_ranges.h"

#include <fmt/format.h>

#include <limits>

namespace pioneer::ingest {
namespace {

constexpr double kNoMax = std::numeric_limits<double>::infinity();

// Sources: docs/data-formats.md for each field; HES data dictionary for STARTAGE (0-120, and
// 7001-7007 for babies under a year) and EPIORDER (1-99).
constexpr ValueRange kRanges[] = {
    {"lsoa", "imd_decile", 1, 10, "IMD deciles run from 1 (most deprived) to 10"},
    {"population", "year", 1800, 2199, "the years Pioneer's dates cover"},
    {"population", "age", 0, 120, "single years of age"},
    {"population", "population", 0, kNoMax, "a population cannot be negative"},
    {"unit_costs", "cost_gbp", 0, kNoMax, "a unit cost cannot be negative"},
    {"apc_episodes", "episode_number", 1, 99, "EPIORDER runs from 1 (the first episode)"},
    {"apc_episodes", "age_on_admission", 0, 120, "STARTAGE: years of age"},
    {"apc_episodes", "age_on_admission", 7001, 7007, "STARTAGE: 7001-7007 for infants"},
    {"ae_attendances", "age_at_arrival", 0, 120, "age in years"},
    {"op_appointments", "age_at_appointment", 0, 120, "age in years"},
    {"social_care_events", "weekly_cost", 0, kNoMax, "a weekly cost cannot be negative"},
};

std::string Number(double v) { return fmt::format("{}", v); }

}  // namespace

std::span<const ValueRange> AllValueRanges() { return kRanges; }

std::vector<const ValueRange*> RangesOf(std::string_view table, std::string_view field) {
  std::vector<const ValueRange*> out;
  for (const ValueRange& r : kRanges)
    if (r.table == table && r.field == field) out.push_back(&r);
  return out;
}

std::string DescribeRanges(const std::vector<const ValueRange*>& ranges) {
  std::string out = "out of range: must be ";
  for (size_t i = 0; i < ranges.size(); ++i) {
    const ValueRange& r = *ranges[i];
    if (i > 0) out += " or ";
    out +=
        r.max == kNoMax ? ">= " + Number(r.min) : "within " + Number(r.min) + ".." + Number(r.max);
    out += fmt::format(" ({})", r.why);
  }
  return out;
}

}  // namespace pioneer::ingest
