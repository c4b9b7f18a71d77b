#include "pioneer/timeline/string_pool.h"

namespace pioneer::timeline {

StringPool::StringPool() { Intern(""); }

uint32_t StringPool::Intern(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

int64_t StringPool::Find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace pioneer::timeline
