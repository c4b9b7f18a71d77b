// Unit costs written to unit_costs.csv: the published unit-cost figures recorded in
// docs/synthetic-data.md section 7 at their own price years, plus a complete 2014/15 set (the BCF
// baseline year) so that every activity in the extracts can be costed at one price base.
//
// 2014/15 values are either a section 7 figure moved to 2014/15 with an approximate NHS cost
// inflation of 1.2% a year (stated in the source text), or plausible values for the period
// labelled "approximate; verify" with the publication they approximate. They are for
// demonstration and relative comparisons, not for official costing.
// Thread safety: constant table.
#pragma once

#include <span>
#include <string_view>

namespace pioneer::synth {

struct UnitCost {
  std::string_view activity_type;  // code set activity_type
  std::string_view unit;           // code set cost_unit
  std::string_view price_year;
  double cost_gbp;
  std::string_view source;
};

std::span<const UnitCost> UnitCosts();

}  // namespace pioneer::synth
