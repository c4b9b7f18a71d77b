#include "pioneer/link/phonetic.h"

namespace pioneer::link {
namespace {

// Soundex digit for an upper-case letter: '0' vowel (separator), 'h' for H/W (ignored).
char SoundexDigit(char upper) {
  switch (upper) {
    case 'B':
    case 'F':
    case 'P':
    case 'V':
      return '1';
    case 'C':
    case 'G':
    case 'J':
    case 'K':
    case 'Q':
    case 'S':
    case 'X':
    case 'Z':
      return '2';
    case 'D':
    case 'T':
      return '3';
    case 'L':
      return '4';
    case 'M':
    case 'N':
      return '5';
    case 'R':
      return '6';
    case 'H':
    case 'W':
      return 'h';
    default:
      return '0';  // A E I O U Y
  }
}

char ToUpperAscii(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsUpperAscii(char c) { return c >= 'A' && c <= 'Z'; }

}  // namespace

std::string Soundex(std::string_view name) {
  std::string out;
  char prev = 0;
  for (char raw : name) {
    const char c = ToUpperAscii(raw);
    if (!IsUpperAscii(c)) continue;
    const char d = SoundexDigit(c);
    if (out.empty()) {
      out.push_back(c);
      prev = d;
      continue;
    }
    if (d == 'h') continue;  // H, W: transparent
    if (d == '0') {          // vowel: separates equal codes
      prev = '0';
      continue;
    }
    if (d != prev) {
      out.push_back(d);
      if (out.size() == 4) break;
    }
    prev = d;
  }
  if (out.empty()) return out;
  while (out.size() < 4) out.push_back('0');
  return out;
}

uint16_t SoundexKey(std::string_view name) {
  const std::string s = Soundex(name);
  if (s.empty()) return 0;
  unsigned key = static_cast<unsigned>(s[0] - 'A');
  for (int i = 1; i < 4; ++i) key = key * 8 + static_cast<unsigned>(s[i] - '0');
  return static_cast<uint16_t>(key + 1);
}

}  // namespace pioneer::link
