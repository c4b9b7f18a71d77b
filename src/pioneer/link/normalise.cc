#include "pioneer/link/normalise.h"

#include <cstring>

#include "pioneer/model/clinical_codes.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::link {
namespace {

// Base letters for U+00C0..U+00FF ('.' = not a letter, drop; '*' = multi-letter).
constexpr char kLatin1[] =
    "aaaaaa*ceeeeiiii"   // C0..CF  (C6 = ae)
    "dnooooo.ouuuuy**"   // D0..DF  (D7 x-sign, DE thorn, DF sharp s)
    "aaaaaa*ceeeeiiii"   // E0..EF
    "dnooooo.ouuuuy*y";  // F0..FF
// Base letters for U+0100..U+017F (Latin Extended-A).
constexpr char kLatinExtA[] =
    "aaaaaaccccccccdd"
    "ddeeeeeeeeeegggg"
    "gggghhhhiiiiiiii"
    "ii**jjkkklllllll"
    "lllnnnnnnnnnoooo"
    "oo**rrrrrrssssss"
    "ssttttttuuuuuuuu"
    "uuuuwwyyyzzzzzzs";
static_assert(sizeof(kLatin1) == 65 && sizeof(kLatinExtA) == 129);

// Decodes one UTF-8 code point at s[i]; returns its length (0 if invalid).
size_t DecodeUtf8(std::string_view s, size_t i, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len;
  uint32_t v;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    v = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    v = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    v = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    v = (v << 6) | (b & 0x3F);
  }
  *cp = v;
  return len;
}

// Appends the folded form of code point cp (from bytes raw) to out. Letters go out in
// lower case; a non-letter appends `sep` (0 = nothing).
void FoldCodePoint(uint32_t cp, std::string_view raw, char sep, std::string* out) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= 'a' && c <= 'z') {
      out->push_back(c);
    } else if (c >= 'A' && c <= 'Z') {
      out->push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (sep != 0 && c >= '0' && c <= '9') {
      out->push_back(c);  // free text keeps digits (house numbers)
    } else if (sep != 0 && c != '\'' && c != '.') {
      out->push_back(sep);
    }
    return;
  }
  char base = 0;
  const char* multi = nullptr;
  if (cp >= 0xC0 && cp <= 0xFF) {
    base = kLatin1[cp - 0xC0];
    if (base == '*') {
      multi = cp == 0xC6 || cp == 0xE6 ? "ae" : cp == 0xDF ? "ss" : "th";
    }
  } else if (cp >= 0x100 && cp <= 0x17F) {
    base = kLatinExtA[cp - 0x100];
    if (base == '*') multi = (cp == 0x132 || cp == 0x133) ? "ij" : "oe";
  } else if (cp == 0x2019 || cp == 0x2018) {
    return;  // typographic apostrophes
  } else if (cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0x2014 || cp == 0xA0) {
    if (sep != 0) out->push_back(sep);  // dashes, no-break space
    return;
  } else {
    out->append(raw);  // other scripts: keep the bytes
    return;
  }
  if (multi != nullptr) {
    out->append(multi);
  } else if (base != '.') {
    out->push_back(base);
  } else if (sep != 0) {
    out->push_back(sep);
  }
}

std::string Fold(std::string_view text, char sep) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    uint32_t cp;
    const size_t len = DecodeUtf8(text, i, &cp);
    if (len == 0) {
      ++i;  // invalid byte: drop
      continue;
    }
    FoldCodePoint(cp, text.substr(i, len), sep, &out);
    i += len;
  }
  if (sep == 0) return out;
  // Collapse separator runs and trim.
  std::string collapsed;
  collapsed.reserve(out.size());
  for (char c : out) {
    if (c == sep) {
      if (!collapsed.empty() && collapsed.back() != sep) collapsed.push_back(sep);
    } else {
      collapsed.push_back(c);
    }
  }
  if (!collapsed.empty() && collapsed.back() == sep) collapsed.pop_back();
  return collapsed;
}

}  // namespace

std::string_view TrimSpaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string NormaliseName(std::string_view text) { return Fold(text, 0); }

std::string NormaliseText(std::string_view text) { return Fold(text, ' '); }

std::string NormaliseEmail(std::string_view text) {
  std::string out(TrimSpaces(text));
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view EmailUser(std::string_view email) {
  const size_t at = email.rfind('@');
  return at == std::string_view::npos ? email : email.substr(0, at);
}

std::string NormaliseIdentifier(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

std::string NormaliseNhsNumber(std::string_view text) {
  auto n = NhsNumber::Parse(TrimSpaces(text));
  return n ? n->digits() : std::string();
}

uint8_t NormaliseSex(std::string_view text) {
  text = TrimSpaces(text);
  const std::string s = NormaliseName(text);
  if (s == "m" || s == "male" || text == "1") return 1;
  if (s == "f" || s == "female" || text == "2") return 2;
  return 0;
}

LinkPostcode NormaliseLinkPostcode(std::string_view text) {
  LinkPostcode pc;
  text = TrimSpaces(text);
  if (text.empty()) return pc;
  if (auto uk = model::NormalisePostcode(text)) {
    pc.value = *uk;
    pc.is_uk = true;
    pc.area_len = static_cast<uint8_t>(model::PostcodeArea(pc.value).size());
    pc.district_len = static_cast<uint8_t>(model::PostcodeDistrict(pc.value).size());
    pc.sector_len = static_cast<uint8_t>(model::PostcodeSector(pc.value).size());
    return pc;
  }
  for (char c : text) {
    if (c == ' ' || c == '\t') continue;
    pc.value.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return pc;
}

}  // namespace pioneer::link
