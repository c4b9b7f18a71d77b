#include "pioneer/synth/permutation.h"

#include "pioneer/synth/rng.h"

namespace pioneer::synth {

Permutation::Permutation(uint64_t n, uint64_t key) : n_(n), key_(MixSeed(key, 0x5eed)) {
  int bits = 2;
  while (bits < 62 && (uint64_t{1} << bits) < n) bits += 2;
  half_bits_ = bits / 2;
  half_mask_ = (uint64_t{1} << half_bits_) - 1;
}

uint64_t Permutation::Feistel(uint64_t x) const {
  uint64_t left = x >> half_bits_;
  uint64_t right = x & half_mask_;
  for (uint64_t round = 0; round < 4; ++round) {
    // Round function: the MurmurHash3 64-bit finaliser of (right, key, round).
    uint64_t f = right ^ (key_ + (round + 1) * 0x9E3779B97F4A7C15ULL);
    f ^= f >> 33;
    f *= 0xFF51AFD7ED558CCDULL;
    f ^= f >> 33;
    f *= 0xC4CEB9FE1A85EC53ULL;
    f ^= f >> 33;
    f &= half_mask_;
    const uint64_t next_right = left ^ f;
    left = right;
    right = next_right;
  }
  return (left << half_bits_) | right;
}

uint64_t Permutation::Apply(uint64_t x) const {
  // Cycle-walking: the Feistel network permutes [0, 2^bits); iterating it from a value in
  // [0, n) until the result is back in [0, n) restricts it to a permutation of [0, n).
  uint64_t y = Feistel(x);
  while (y >= n_) y = Feistel(y);
  return y;
}

}  // namespace pioneer::synth
