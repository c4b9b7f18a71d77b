// NHS Numbers for synthetic people, and the keying errors councils make when copying them.
//
// Every number is a valid (Modulus 11) NHS Number in the 9xx block, which no health service
// issues to real people: England, Wales and the Isle of Man issue 3xx, 4xx and 6xx-7xx, Scotland's
// CHI uses 010-311 and Northern Ireland 320-399 (NHS Data Dictionary; NHS Scotland CHI; Northern
// Ireland H&C number). 999 000 0000 - 999 999 9999 is the documented test range and is used first;
// it holds 899,991 usable numbers here, so larger areas continue downwards into 998, 997, ...
// (documented in docs/synthetic-data.md).
//
// Allocation: the groups of ten consecutive nine-digit bodies in one prefix each contain
// at most one body whose check digit would be 10 (the weighted sum changes by 2 per step of
// the last digit, so ten consecutive bodies give ten distinct remainders), so each group
// yields at least nine valid numbers. Person i maps to slot Permutation(i) over
// prefixes x 899,991 slots: unique, valid, and unrelated to i's order.
// Thread safety: immutable after construction.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "pioneer/synth/permutation.h"
#include "pioneer/synth/rng.h"

namespace pioneer::synth {

class NhsNumberAllocator {
 public:
  // Groups 0..99998 of each prefix (group 99999 of 999 would include 999 999 9999, an
  // all-same-digit number that NHS systems treat as a sentinel), nine numbers per group.
  static constexpr uint64_t kGroupsPerPrefix = 99999;
  static constexpr uint64_t kSlotsPerPrefix = kGroupsPerPrefix * 9;
  static constexpr int kMaxPrefixes = 9;  // 999 down to 991

  // Numbers for persons 0..person_count-1. REQUIRES: person_count <= MaxPersons().
  NhsNumberAllocator(uint64_t seed, uint64_t person_count);
  static uint64_t MaxPersons() { return kSlotsPerPrefix * kMaxPrefixes; }

  // The 10-digit NHS Number of person `index`. REQUIRES: index < person_count.
  std::string ForPerson(uint64_t index) const;
  uint64_t person_count() const { return person_count_; }

 private:
  uint64_t person_count_;
  Permutation permutation_;
};

// How a copied NHS Number went wrong.
enum class NhsKeyingError {
  kDigitSubstituted,    // one digit replaced by another: always fails Modulus 11
  kAdjacentTransposed,  // two neighbouring digits swapped: fails unless they are equal or it
                        // swaps digits 9 and 10 into a combination that happens to check
  kOtherPersonsNumber,  // another person's (valid) number: a wrong-person selection
};

const char* NhsKeyingErrorName(NhsKeyingError e);

// Applies a digit substitution or adjacent transposition to `number` (10 digits); the result
// always differs from the input. kOtherPersonsNumber is the caller's job (it needs the
// allocator); passing it here is a programming error.
std::string MistypeNhsNumber(std::string_view number, NhsKeyingError kind, Rng& rng);

}  // namespace pioneer::synth
