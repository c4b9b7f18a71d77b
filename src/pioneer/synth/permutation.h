// A keyed bijection on [0, n): how the generator turns a (person, sequence) pair into record
// ids and NHS Numbers that are unique but reveal nothing about the person's position in the
// generation order (so ids cannot be used to link extracts behind linkage's back).
//
// Construction: a 4-round balanced Feistel network on the smallest even number of bits that
// covers n, with cycle-walking for values that land outside [0, n) (Black and Rogaway, 2002).
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>

namespace pioneer::synth {

class Permutation {
 public:
  // REQUIRES: 2 <= n <= 2^62.
  Permutation(uint64_t n, uint64_t key);

  // The image of x. REQUIRES: x < n. Distinct x give distinct results, all < n.
  uint64_t Apply(uint64_t x) const;
  uint64_t size() const { return n_; }

 private:
  uint64_t Feistel(uint64_t x) const;

  uint64_t n_;
  uint64_t key_;
  int half_bits_;
  uint64_t half_mask_;
};

}  // namespace pioneer::synth
