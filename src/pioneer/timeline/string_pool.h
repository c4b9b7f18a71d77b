// StringPool: interns short strings (codes) to dense 32-bit ids.
//
// Id 0 is always the empty string. Ids are assigned in first-seen order, so a pool built by
// a deterministic scan is itself deterministic. Not thread-safe for concurrent Intern calls.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace pioneer::timeline {

class StringPool {
 public:
  StringPool();
  StringPool(StringPool&&) = default;
  StringPool& operator=(StringPool&&) = default;

  uint32_t Intern(std::string_view s);
  // The id of s, or -1 (as int64) if it was never interned.
  int64_t Find(std::string_view s) const;
  std::string_view Get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;  // deque: element addresses stay stable
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace pioneer::timeline
