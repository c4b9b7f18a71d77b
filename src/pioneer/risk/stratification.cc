#include "pioneer/risk/stratification.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string_view>
#include <unordered_map>

namespace pioneer::risk {

Strata Stratify(std::span<const std::string> practice, std::span<const double> p) {
  const size_t n = p.size();
  Strata s;
  s.centile_area.resize(n);
  s.centile_practice.resize(n);
  s.top2_practice.resize(n);
  s.top4_practice.resize(n);
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return p[a] > p[b]; });
  for (size_t r = 0; r < n; ++r) s.centile_area[order[r]] = 100 - static_cast<int>(r * 100 / n);
  // Each practice's rows, in the area's order (highest risk first).
  std::unordered_map<std::string_view, uint32_t> practice_id;
  std::vector<uint32_t> pid(n);
  for (size_t i = 0; i < n; ++i) {
    pid[i] = practice_id.try_emplace(practice[i], static_cast<uint32_t>(practice_id.size()))
                 .first->second;
  }
  std::vector<std::vector<size_t>> by_practice(practice_id.size());
  for (size_t r = 0; r < n; ++r) by_practice[pid[order[r]]].push_back(order[r]);
  for (const std::vector<size_t>& rows : by_practice) {
    const size_t m = rows.size();
    const size_t k2 = static_cast<size_t>(std::ceil(0.02 * static_cast<double>(m)));
    const size_t k4 = static_cast<size_t>(std::ceil(0.04 * static_cast<double>(m)));
    for (size_t r = 0; r < m; ++r) {
      s.centile_practice[rows[r]] = 100 - static_cast<int>(r * 100 / m);
      s.top2_practice[rows[r]] = r < k2;
      s.top4_practice[rows[r]] = r < k4;
    }
  }
  return s;
}

}  // namespace pioneer::risk
