// Phonetic codes for names: American Soundex.
//
// Soundex (the US National Archives "American Soundex", as used by NHS MPS blocking):
// keep the first letter; code the rest B F P V -> 1, C G J K Q S X Z -> 2, D T -> 3,
// L -> 4, M N -> 5, R -> 6; vowels (A E I O U Y) are dropped but separate equal codes,
// H and W are dropped and do NOT separate them ("Ashcraft" -> A261); a letter with the
// same code as the first letter directly after it is dropped ("Pfister" -> P236); pad or
// cut to one letter + three digits. Non-letters are ignored; case is ignored.
// Robert/Rupert R163, Tymczak T522, Pfister P236, Honeyman H555. No letters -> "".
//
// SoundexKey packs the code into 15 bits (letter 5 bits + three digits 3 bits each)
// plus 1 so that 0 means "no code"; equal codes give equal keys.
//
// Double Metaphone is not implemented (optional in the design; JW levels cover spelling
// variants on the benchmarks).
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace pioneer::link {

std::string Soundex(std::string_view name);
uint16_t SoundexKey(std::string_view name);

}  // namespace pioneer::link
