#include "pioneer/model/clinical_codes.h"

#include <cctype>

namespace pioneer::model {
namespace {

bool IsUpperAlpha(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
char Upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

}  // namespace

std::optional<std::string> NormaliseIcd10(std::string_view text) {
  std::string s;
  s.reserve(6);
  for (char c : text) {
    if (c == '.' || c == ' ' || c == '+' || c == '*' || c == '!' || c == '\t') continue;
    s.push_back(Upper(c));
  }
  if (s.size() > 4) s.resize(4);  // drop 5th/6th characters (HES keeps four)
  if (s.size() == 3) s.push_back('X');
  if (s.size() != 4) return std::nullopt;
  if (!IsUpperAlpha(s[0]) || !IsDigit(s[1]) || !IsDigit(s[2])) return std::nullopt;
  if (!IsDigit(s[3]) && s[3] != 'X') return std::nullopt;
  return s;
}

std::optional<std::string> NormaliseOpcs4(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == '.' || c == ' ') continue;
    s.push_back(Upper(c));
  }
  if (s == "-" || s == "&") return std::string();
  if (s.size() > 4) s.resize(4);
  if (s.size() < 3 || !IsUpperAlpha(s[0])) return std::nullopt;
  for (size_t i = 1; i < s.size(); ++i) {
    if (!IsDigit(s[i])) return std::nullopt;
  }
  return s;
}

namespace {

// Verhoeff dihedral-group tables (Verhoeff 1969), as SNOMED CT uses for its check digit.
constexpr int kD[10][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 2, 3, 4, 0, 6, 7, 8, 9, 5},
                            {2, 3, 4, 0, 1, 7, 8, 9, 5, 6}, {3, 4, 0, 1, 2, 8, 9, 5, 6, 7},
                            {4, 0, 1, 2, 3, 9, 5, 6, 7, 8}, {5, 9, 8, 7, 6, 0, 4, 3, 2, 1},
                            {6, 5, 9, 8, 7, 1, 0, 4, 3, 2}, {7, 6, 5, 9, 8, 2, 1, 0, 4, 3},
                            {8, 7, 6, 5, 9, 3, 2, 1, 0, 4}, {9, 8, 7, 6, 5, 4, 3, 2, 1, 0}};
constexpr int kP[8][10] = {{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {1, 5, 7, 6, 2, 8, 3, 0, 9, 4},
                           {5, 8, 0, 3, 7, 9, 6, 1, 4, 2}, {8, 9, 1, 6, 0, 4, 3, 5, 2, 7},
                           {9, 4, 5, 3, 1, 2, 6, 8, 7, 0}, {4, 2, 8, 6, 5, 7, 3, 9, 0, 1},
                           {2, 7, 9, 3, 8, 0, 6, 4, 1, 5}, {7, 0, 4, 6, 9, 1, 3, 2, 5, 8}};
constexpr int kInv[10] = {0, 4, 3, 2, 1, 5, 6, 7, 8, 9};

}  // namespace

int VerhoeffCheckDigit(std::string_view digits) {
  int c = 0;
  int pos = 1;  // the check digit will occupy position 0
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, ++pos) {
    c = kD[c][kP[pos % 8][*it - '0']];
  }
  return kInv[c];
}

bool IsValidSnomedConceptId(std::string_view t) {
  if (t.size() < 6 || t.size() > 18 || t[0] == '0') return false;
  for (char c : t) {
    if (!IsDigit(c)) return false;
  }
  // Partition identifier: the two digits before the check digit; concepts are 00 or 10.
  std::string_view partition = t.substr(t.size() - 3, 2);
  if (partition != "00" && partition != "10") return false;
  return VerhoeffCheckDigit(t.substr(0, t.size() - 1)) == t.back() - '0';
}

bool IsValidOdsCode(std::string_view t) {
  if (t.size() < 3 || t.size() > 6) return false;
  for (char c : t) {
    if (!IsUpperAlpha(c) && !IsDigit(c)) return false;
  }
  return true;
}

std::optional<std::string> NormalisePostcode(std::string_view text) {
  std::string s;
  for (char c : text) {
    if (c == ' ') continue;
    s.push_back(Upper(c));
  }
  // Inward code: digit + two letters. Outward: 2-4 characters starting with a letter.
  if (s.size() < 5 || s.size() > 7) return std::nullopt;
  std::string_view in = std::string_view(s).substr(s.size() - 3);
  std::string_view out = std::string_view(s).substr(0, s.size() - 3);
  if (!IsDigit(in[0]) || !IsUpperAlpha(in[1]) || !IsUpperAlpha(in[2])) return std::nullopt;
  if (!IsUpperAlpha(out[0])) return std::nullopt;
  bool has_digit = false;
  for (char c : out) {
    if (!IsUpperAlpha(c) && !IsDigit(c)) return std::nullopt;
    has_digit |= IsDigit(c);
  }
  if (!has_digit) return std::nullopt;
  return std::string(out) + " " + std::string(in);
}

std::string_view PostcodeArea(std::string_view pc) {
  size_t n = 0;
  while (n < pc.size() && IsUpperAlpha(pc[n])) ++n;
  return pc.substr(0, n);
}

std::string_view PostcodeDistrict(std::string_view pc) {
  size_t space = pc.find(' ');
  return space == std::string_view::npos ? pc : pc.substr(0, space);
}

std::string_view PostcodeSector(std::string_view pc) {
  size_t space = pc.find(' ');
  return space == std::string_view::npos ? pc : pc.substr(0, std::min(pc.size(), space + 2));
}

}  // namespace pioneer::model
