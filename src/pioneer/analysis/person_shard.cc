#include "pioneer/analysis/person_shard.h"

#include <fmt/format.h>

#include <charconv>

#include "pioneer/base/sha256.h"

namespace pioneer::analysis {

uint64_t PersonShardHash(std::string_view nhs_number) {
  const std::string hex = Sha256Hex(nhs_number);
  uint64_t v = 0;
  std::from_chars(hex.data(), hex.data() + 16, v, 16);
  return v;
}

StatusOr<PersonShard> PersonShard::Parse(std::string_view text) {
  const auto bad = [] {
    return InvalidArgumentError("a person shard is I/N: 0 <= I < N <= 4096 (e.g. 0/4)");
  };
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return bad();
  PersonShard s;
  const char* b = text.data();
  const auto [i_end, i_ec] = std::from_chars(b, b + slash, s.index);
  const auto [n_end, n_ec] = std::from_chars(b + slash + 1, b + text.size(), s.count);
  if (i_ec != std::errc() || n_ec != std::errc() || i_end != b + slash ||
      n_end != b + text.size() || s.count < 1 || s.count > 4096 || s.index < 0 ||
      s.index >= s.count) {
    return bad();
  }
  return s;
}

std::string PersonShard::ToString() const { return fmt::format("{}/{}", index, count); }

}  // namespace pioneer::analysis
