// PersonShard: which share of the population one process of a sharded analysis reads, so
// that n processes (e.g. MPI ranks, or n jobs on n machines) each count a disjoint share and
// their counts merge by addition (metrics/shard_counts.h).
//
// A person belongs to shard (index i of count n) when the first 8 bytes of the SHA-256
// digest of their NHS Number's ten ASCII digits, read as a big-endian unsigned integer, are
// i modulo n. The rule depends on nothing but the number, so every process, machine and
// Pioneer version puts a person in the same shard, and the shards of one n cover every
// person exactly once. Records placed on no person (no usable NHS Number) belong to shard 0
// only. A shard with count 1 is the whole population.
//
// Text form "I/N" (Parse, ToString): "0/3", "1/3", "2/3"; I in [0, N), N in [1, 4096].
// Errors: Parse returns kInvalidArgument naming the text's form (never echoing it).
// Thread safety: plain value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"

namespace pioneer::analysis {

// The stable hash a person is sharded by (above).
uint64_t PersonShardHash(std::string_view nhs_number);

struct PersonShard {
  int index = 0;
  int count = 1;

  static StatusOr<PersonShard> Parse(std::string_view text);
  std::string ToString() const;

  bool whole() const { return count == 1; }
  // True when the person with this NHS Number belongs to the shard (always, when whole).
  bool Contains(std::string_view nhs_number) const {
    return whole() || PersonShardHash(nhs_number) % static_cast<uint64_t>(count) ==
                          static_cast<uint64_t>(index);
  }
  // Records placed on no person are read by shard 0 only.
  bool HoldsUnplaced() const { return index == 0; }

  friend bool operator==(const PersonShard&, const PersonShard&) = default;
};

}  // namespace pioneer::analysis
