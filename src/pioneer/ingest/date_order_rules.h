// Cross-field date rules: in a row of `table`, `later` must not be before `earlier` when
// both are present (docs/data-formats.md section 1). A row breaking one is quarantined with
// reason date_order on the `later` field.
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string_view>

namespace pioneer::ingest {

struct DateOrderRule {
  std::string_view table;
  std::string_view earlier;
  std::string_view later;
};

std::span<const DateOrderRule> AllDateOrderRules();

}  // namespace pioneer::ingest
