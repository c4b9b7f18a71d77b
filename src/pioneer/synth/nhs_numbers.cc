#include "pioneer/synth/nhs_numbers.h"

#include <cassert>
#include <utility>

namespace pioneer::synth {
namespace {

// Modulus 11 check digit of a 9-digit body given as an integer, or -1 when it would be 10.
int CheckDigit(uint64_t body) {
  int sum = 0;
  for (int weight = 2; weight <= 10; ++weight) {
    sum += static_cast<int>(body % 10) * weight;
    body /= 10;
  }
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check == 10 ? -1 : check;
}

}  // namespace

NhsNumberAllocator::NhsNumberAllocator(uint64_t seed, uint64_t person_count)
    : person_count_(person_count),
      permutation_((person_count + kSlotsPerPrefix - 1) / kSlotsPerPrefix * kSlotsPerPrefix,
                   MixSeed(seed, static_cast<uint64_t>(Stream::kNhsNumbers))) {
  assert(person_count <= MaxPersons());
}

std::string NhsNumberAllocator::ForPerson(uint64_t index) const {
  const uint64_t slot_index = permutation_.Apply(index);
  const uint64_t prefix = 999 - slot_index / kSlotsPerPrefix;
  const uint64_t within = slot_index % kSlotsPerPrefix;
  const uint64_t group = within / 9;
  const uint64_t slot = within % 9;
  uint64_t seen = 0;
  for (uint64_t last = 0; last < 10; ++last) {
    const uint64_t body = prefix * 1000000 + group * 10 + last;
    const int check = CheckDigit(body);
    if (check < 0) continue;
    if (seen++ == slot) {
      std::string out = std::to_string(body);
      out.push_back(static_cast<char>('0' + check));
      return out;
    }
  }
  assert(false && "a group of ten bodies always holds nine valid numbers");
  return {};
}

const char* NhsKeyingErrorName(NhsKeyingError e) {
  switch (e) {
    case NhsKeyingError::kDigitSubstituted:
      return "nhs_number_digit_substituted";
    case NhsKeyingError::kAdjacentTransposed:
      return "nhs_number_digits_transposed";
    case NhsKeyingError::kOtherPersonsNumber:
      return "nhs_number_other_person";
  }
  return "nhs_number_mistyped";
}

std::string MistypeNhsNumber(std::string_view number, NhsKeyingError kind, Rng& rng) {
  std::string out(number);
  if (kind == NhsKeyingError::kDigitSubstituted) {
    // Keying errors cluster in the later digits (the "999" prefix is rarely mistyped).
    const int pos = rng.Between(3, 9);
    const char old = out[pos];
    char c = old;
    while (c == old) c = static_cast<char>('0' + rng.Below(10));
    out[pos] = c;
    return out;
  }
  assert(kind == NhsKeyingError::kAdjacentTransposed);
  // Choose a pair of neighbouring, different digits; fall back to substitution if all equal.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const int pos = rng.Between(3, 8);
    if (out[pos] != out[pos + 1]) {
      std::swap(out[pos], out[pos + 1]);
      return out;
    }
  }
  return MistypeNhsNumber(number, NhsKeyingError::kDigitSubstituted, rng);
}

}  // namespace pioneer::synth
