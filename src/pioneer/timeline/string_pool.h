// StringPool: short strings (codes) as dense 32-bit ids, in a read-only, flat layout.
//
// Id 0 is always the empty string. A pool is made by a StringPoolBuilder (ids in first-seen
// order, so a pool built by a deterministic scan is itself deterministic) or read from a
// timeline snapshot (snapshot.h): both give the same three flat columns, which the pool reads
// through spans (it does not own them; Timeline keeps their storage alive):
//   offsets[id] .. offsets[id + 1]   the bytes of string id in `bytes`
//   sorted                            every id, ordered by the string's bytes (for Find)
// Thread safety: a StringPool is immutable; concurrent readers are safe. A builder is not
// thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pioneer::timeline {

class StringPool {
 public:
  StringPool() = default;
  StringPool(std::span<const uint64_t> offsets, std::span<const char> bytes,
             std::span<const uint32_t> sorted)
      : offsets_(offsets), bytes_(bytes), sorted_(sorted) {}

  // The id of s, or -1 (as int64) if it is not in the pool. O(log n).
  int64_t Find(std::string_view s) const;
  std::string_view Get(uint32_t id) const {
    return {bytes_.data() + offsets_[id], static_cast<size_t>(offsets_[id + 1] - offsets_[id])};
  }
  size_t size() const { return offsets_.empty() ? 0 : offsets_.size() - 1; }

  std::span<const uint64_t> offsets() const { return offsets_; }
  std::span<const char> bytes() const { return bytes_; }
  std::span<const uint32_t> sorted() const { return sorted_; }

 private:
  std::span<const uint64_t> offsets_;
  std::span<const char> bytes_;
  std::span<const uint32_t> sorted_;
};

// The flat columns of a pool, owned.
struct StringPoolColumns {
  std::vector<uint64_t> offsets;
  std::vector<char> bytes;
  std::vector<uint32_t> sorted;
  StringPool View() const { return StringPool(offsets, bytes, sorted); }
};

class StringPoolBuilder {
 public:
  StringPoolBuilder() { Intern(""); }
  uint32_t Intern(std::string_view s);
  size_t size() const { return strings_.size(); }
  std::string_view Get(uint32_t id) const { return strings_[id]; }
  // The flat columns (the builder may be discarded afterwards).
  StringPoolColumns Freeze() const;

 private:
  std::deque<std::string> strings_;  // deque: element addresses stay stable
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace pioneer::timeline
