#include "pioneer/synth/rng.h"

#include <algorithm>
#include <cmath>

namespace pioneer::synth {
namespace {

inline uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
constexpr double kTwoPi = 6.283185307179586476925286766559;

}  // namespace

uint64_t MixSeed(uint64_t a, uint64_t b, uint64_t c) {
  uint64_t s = a ^ 0x5DEECE66DULL;
  uint64_t h = SplitMix64(s);
  s = h ^ (b * 0xD6E8FEB86659FD93ULL);
  h = SplitMix64(s);
  s = h ^ (c * 0xA0761D6478BD642FULL);
  return SplitMix64(s);
}

Rng::Rng(uint64_t seed) {
  uint64_t s = seed;
  for (uint64_t& w : s_) w = SplitMix64(s);
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = 1;  // the all-zero state is a fixed point
}

Rng Rng::ForStream(uint64_t seed, Stream kind, uint64_t index) {
  return Rng(MixSeed(seed, static_cast<uint64_t>(kind), index));
}

uint64_t Rng::Next() {
  const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

double Rng::Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::UniformOpen() { return (static_cast<double>(Next() >> 11) + 0.5) * 0x1.0p-53; }

uint64_t Rng::Below(uint64_t n) {
  // Rejection of the short top range makes every residue equally likely.
  const uint64_t threshold = (0 - n) % n;
  for (;;) {
    const uint64_t x = Next();
    if (x >= threshold) return x % n;
  }
}

int Rng::Between(int lo, int hi) {
  return lo + static_cast<int>(Below(static_cast<uint64_t>(hi - lo) + 1));
}

bool Rng::Bernoulli(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return Uniform() < p;
}

double Rng::Normal() {
  const double u1 = UniformOpen();
  const double u2 = Uniform();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(kTwoPi * u2);
}

double Rng::Exponential(double rate) { return -std::log(UniformOpen()) / rate; }

int Rng::Poisson(double lambda) {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    double p = std::exp(-lambda);
    double cumulative = p;
    const double u = Uniform();
    int k = 0;
    while (u > cumulative && k < 200) {
      ++k;
      p *= lambda / k;
      cumulative += p;
    }
    return k;
  }
  const double x = std::floor(lambda + std::sqrt(lambda) * Normal() + 0.5);
  return x < 0 ? 0 : static_cast<int>(x);
}

double Rng::LogNormal(double mu, double sigma) { return std::exp(mu + sigma * Normal()); }

double Rng::Gamma(double shape, double scale) {
  if (shape < 1) {
    // Boost to shape + 1 and scale back (Marsaglia and Tsang, section 6).
    const double u = UniformOpen();
    return Gamma(shape + 1, scale) * std::pow(u, 1.0 / shape);
  }
  const double d = shape - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  for (;;) {
    double x, v;
    do {
      x = Normal();
      v = 1.0 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const double u = UniformOpen();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
    if (std::log(u) < 0.5 * x * x + d * (1 - v + std::log(v))) return d * v * scale;
  }
}

int Rng::Geometric(double p) {
  if (p >= 1) return 0;
  const double g = std::floor(std::log(UniformOpen()) / std::log1p(-p));
  return g > 1e6 ? 1000000 : static_cast<int>(g);
}

Discrete::Discrete(std::span<const double> weights) {
  cumulative_.reserve(weights.size());
  double sum = 0;
  for (double w : weights) {
    sum += w > 0 ? w : 0;
    cumulative_.push_back(sum);
  }
}

int Discrete::Sample(Rng& rng) const {
  const double u = rng.Uniform() * cumulative_.back();
  auto it = std::upper_bound(cumulative_.begin(), cumulative_.end(), u);
  if (it == cumulative_.end()) --it;
  return static_cast<int>(it - cumulative_.begin());
}

int SampleIndex(Rng& rng, std::span<const double> weights) {
  double total = 0;
  for (double w : weights) total += w > 0 ? w : 0;
  if (total <= 0) return -1;
  double u = rng.Uniform() * total;
  int last = -1;
  for (size_t i = 0; i < weights.size(); ++i) {
    if (weights[i] <= 0) continue;
    last = static_cast<int>(i);
    if (u < weights[i]) return last;
    u -= weights[i];
  }
  return last;
}

}  // namespace pioneer::synth
