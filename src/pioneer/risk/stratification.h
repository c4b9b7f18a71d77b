// Risk strata of a scored cohort: centiles within each practice and across the area, and
// the practice's top 2% and top 4% (the Leeds and Tri-borough case-finding cuts).
//
// Definitions: people are ordered by predicted risk (highest first; ties keep cohort order).
// A practice's top k% is its ceil(k/100 x list size) highest-risk people on the index date;
// centile 100 is the highest-risk hundredth. Used by `pioneer risk score` (scores.csv) and by
// the national-condition figures, so both flag exactly the same people.
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pioneer::risk {

struct Strata {
  std::vector<int> centile_area;
  std::vector<int> centile_practice;
  std::vector<uint8_t> top2_practice;
  std::vector<uint8_t> top4_practice;
};

// `practice[i]` and `p[i]` describe cohort row i. REQUIRES: equal sizes.
Strata Stratify(std::span<const std::string> practice, std::span<const double> p);

}  // namespace pioneer::risk
