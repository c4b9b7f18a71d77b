// Given-name nicknames and variants: which normalised given names can name the same person
// (William / Bill / Will / Liam, Catherine / Kate / Kathryn, Stephen / Steve / Steven).
//
// The table is data (nicknames.cc): groups of English given names, written from common
// usage in the way NHS MPS normalises names with a nickname dictionary (Jon -> Johnny,
// Jenny -> Jennifer). A name may belong to several groups (alex: alexander and alexandra;
// chris: christopher and christine), so a name has up to kMaxNicknameGroups group numbers;
// two names are nickname variants when they share a group. Names are compared in their
// normalised form (normalise.h: lower case, letters only).
// Thread safety: the table is immutable; functions are pure.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace pioneer::link {

inline constexpr int kMaxNicknameGroups = 3;
// Group numbers of a normalised given name (1-based; 0 = unused slot). All zero when the name
// is in no group.
using NicknameGroups = std::array<uint16_t, kMaxNicknameGroups>;
NicknameGroups NicknameGroupsOf(std::string_view normalised_name);

// True when the two group sets share a group.
inline bool ShareNicknameGroup(const NicknameGroups& a, const NicknameGroups& b) {
  for (uint16_t x : a) {
    if (x == 0) break;
    for (uint16_t y : b) {
      if (y == 0) break;
      if (x == y) return true;
    }
  }
  return false;
}

}  // namespace pioneer::link
