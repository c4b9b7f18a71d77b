// NhsNumber: the 10-digit NHS Number, validated on construction.
//
// Rules (NHS Data Dictionary, NHS NUMBER):
//  * exactly 10 digits after removing spaces and hyphens ("943 476 5919", "943-476-5919");
//  * Modulus 11: digits 1..9 weighted 10..2, check = 11 - (sum mod 11); 11 -> 0;
//    10 -> the number is invalid (never issued); valid iff check == digit 10;
//  * all-same-digit numbers (0000000000 .. 9999999999) are rejected even when the check
//    digit passes: they are MPS "no match"/"multiple match" sentinels or keying filler.
// An NhsNumber object therefore always holds a valid number. Extract rows whose number is
// invalid keep the raw text (see ingest) and are left to linkage; they never become an
// NhsNumber.
//
// Information governance: an NHS Number identifies a person. NhsNumber deliberately has
// no stream operator; format it only where identifiable output is authorised.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace pioneer {

enum class NhsNumberProblem {
  kNone = 0,
  kEmpty,            // blank field
  kWrongLength,      // not 10 digits after removing separators
  kNonDigit,         // a character other than a digit, space or hyphen
  kCheckDigitTen,    // 11 - remainder = 10: never issued
  kCheckDigitWrong,  // the 10th digit disagrees with Modulus 11
  kRepeatedDigit,    // 0000000000, 1111111111, ...
};

const char* NhsNumberProblemName(NhsNumberProblem p);

class NhsNumber {
 public:
  // Parses and validates; nullopt if invalid (see Check for the reason).
  static std::optional<NhsNumber> Parse(std::string_view text);
  // Why `text` is not a valid NHS Number, or kNone if it is.
  static NhsNumberProblem Check(std::string_view text);
  // The Modulus 11 check digit for the first nine digits, or -1 when it would be 10.
  // REQUIRES: nine_digits holds exactly nine ASCII digits.
  static int CheckDigitFor(std::string_view nine_digits);

  const std::string& digits() const { return digits_; }  // "9434765919"
  std::string Formatted() const;                         // "943 476 5919"

  friend bool operator==(const NhsNumber&, const NhsNumber&) = default;
  friend auto operator<=>(const NhsNumber&, const NhsNumber&) = default;

 private:
  explicit NhsNumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace pioneer
