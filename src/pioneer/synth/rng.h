// Portable pseudo-random numbers for the synthetic area generator.
//
// `pioneer synth` must give byte-identical output for the same population, seed and dates on
// any thread count, so every random draw comes from a stream that is a pure function of
// (seed, stream kind, index): see Rng::ForStream. Distributions are implemented here rather
// than with <random>'s distributions, whose algorithms differ between standard libraries.
// The generator is xoshiro256** (Blackman and Vigna, 2018) seeded through SplitMix64.
//
// Only std::log, std::exp, std::sqrt and std::cos are used for the continuous distributions;
// they are deterministic for a given C library and CPU, which is what reproducibility on one
// platform needs.
//
// Thread safety: an Rng is a plain value; use one per thread (per person, in practice).
// Discrete is immutable after construction and may be shared.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace pioneer::synth {

// One SplitMix64 step: advances `state` and returns the next output.
inline uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// A well-mixed 64-bit hash of up to three values (order matters).
uint64_t MixSeed(uint64_t a, uint64_t b, uint64_t c = 0);

// Stream kinds: each consumer of randomness owns one so that adding draws in one part of the
// model never shifts the numbers another part sees.
enum class Stream : uint64_t {
  kArea = 1,        // geography, practices, names of places
  kPerson = 2,      // a person's life (demography, health, care)
  kFaults = 3,      // data-quality faults applied when writing a person's rows
  kIds = 4,         // record-id permutations
  kNhsNumbers = 5,  // NHS Number allocation
  kCarePlans = 7,   // synthetic joint care plans (care_plans.h)
};

class Rng {
 public:
  explicit Rng(uint64_t seed);
  // The stream for (seed, kind, index), e.g. person 42's life under seed 7.
  static Rng ForStream(uint64_t seed, Stream kind, uint64_t index);

  uint64_t Next();
  // Uniform in [0, 1) with 53 random bits.
  double Uniform();
  // Uniform in (0, 1): never exactly 0, for logarithms.
  double UniformOpen();
  // Uniform integer in [0, n). REQUIRES: n > 0.
  uint64_t Below(uint64_t n);
  // Uniform integer in [lo, hi] (inclusive). REQUIRES: lo <= hi.
  int Between(int lo, int hi);
  bool Bernoulli(double p);
  // Standard normal (Box-Muller, one value per call).
  double Normal();
  double Normal(double mean, double sd) { return mean + sd * Normal(); }
  // Exponential with the given rate (mean 1/rate). REQUIRES: rate > 0.
  double Exponential(double rate);
  // Poisson count with mean lambda (inversion below 30, rounded normal above).
  int Poisson(double lambda);
  // exp(N(mu, sigma)).
  double LogNormal(double mu, double sigma);
  // Gamma(shape, scale) by Marsaglia and Tsang (2000). REQUIRES: shape > 0.
  double Gamma(double shape, double scale);
  // Number of failures before the first success, success probability p in (0, 1].
  int Geometric(double p);

 private:
  uint64_t s_[4];
};

// A fixed discrete distribution over 0..n-1 with non-negative weights (sampling by binary
// search on the cumulative weights).
class Discrete {
 public:
  Discrete() = default;
  explicit Discrete(std::span<const double> weights);
  int Sample(Rng& rng) const;
  size_t size() const { return cumulative_.size(); }
  double total() const { return cumulative_.empty() ? 0 : cumulative_.back(); }

 private:
  std::vector<double> cumulative_;
};

// Samples an index from `weights` directly (linear scan; for short, changing lists).
// Returns -1 if all weights are zero.
int SampleIndex(Rng& rng, std::span<const double> weights);

}  // namespace pioneer::synth
