#include "pioneer/timeline/string_pool.h"

#include <algorithm>

namespace pioneer::timeline {

int64_t StringPool::Find(std::string_view s) const {
  auto it = std::lower_bound(sorted_.begin(), sorted_.end(), s,
                             [this](uint32_t id, std::string_view v) { return Get(id) < v; });
  if (it == sorted_.end() || Get(*it) != s) return -1;
  return static_cast<int64_t>(*it);
}

uint32_t StringPoolBuilder::Intern(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

StringPoolColumns StringPoolBuilder::Freeze() const {
  StringPoolColumns c;
  c.offsets.reserve(strings_.size() + 1);
  c.offsets.push_back(0);
  size_t total = 0;
  for (const std::string& s : strings_) total += s.size();
  c.bytes.reserve(total);
  for (const std::string& s : strings_) {
    c.bytes.insert(c.bytes.end(), s.begin(), s.end());
    c.offsets.push_back(c.bytes.size());
  }
  c.sorted.resize(strings_.size());
  for (uint32_t i = 0; i < c.sorted.size(); ++i) c.sorted[i] = i;
  std::sort(c.sorted.begin(), c.sorted.end(),
            [this](uint32_t a, uint32_t b) { return strings_[a] < strings_[b]; });
  return c;
}

}  // namespace pioneer::timeline
