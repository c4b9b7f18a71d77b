#include "pioneer/model/nhs_number.h"

namespace pioneer {

const char* NhsNumberProblemName(NhsNumberProblem p) {
  switch (p) {
    case NhsNumberProblem::kNone:
      return "valid";
    case NhsNumberProblem::kEmpty:
      return "empty";
    case NhsNumberProblem::kWrongLength:
      return "wrong_length";
    case NhsNumberProblem::kNonDigit:
      return "non_digit";
    case NhsNumberProblem::kCheckDigitTen:
      return "check_digit_10";
    case NhsNumberProblem::kCheckDigitWrong:
      return "check_digit_wrong";
    case NhsNumberProblem::kRepeatedDigit:
      return "repeated_digit";
  }
  return "unknown";
}

int NhsNumber::CheckDigitFor(std::string_view nine) {
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (nine[i] - '0') * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) return 0;
  if (check == 10) return -1;
  return check;
}

namespace {

// Strips spaces and hyphens; reports non-digit characters.
NhsNumberProblem Normalise(std::string_view text, std::string& out) {
  out.clear();
  bool any = false;
  for (char c : text) {
    if (c == ' ' || c == '-') continue;
    any = true;
    if (c < '0' || c > '9') return NhsNumberProblem::kNonDigit;
    out.push_back(c);
  }
  if (!any) return NhsNumberProblem::kEmpty;
  if (out.size() != 10) return NhsNumberProblem::kWrongLength;
  return NhsNumberProblem::kNone;
}

}  // namespace

NhsNumberProblem NhsNumber::Check(std::string_view text) {
  std::string d;
  if (auto p = Normalise(text, d); p != NhsNumberProblem::kNone) return p;
  int check = CheckDigitFor(std::string_view(d).substr(0, 9));
  if (check < 0) return NhsNumberProblem::kCheckDigitTen;
  if (check != d[9] - '0') return NhsNumberProblem::kCheckDigitWrong;
  if (d.find_first_not_of(d[0]) == std::string::npos) return NhsNumberProblem::kRepeatedDigit;
  return NhsNumberProblem::kNone;
}

std::optional<NhsNumber> NhsNumber::Parse(std::string_view text) {
  if (Check(text) != NhsNumberProblem::kNone) return std::nullopt;
  std::string d;
  Normalise(text, d);
  return NhsNumber(std::move(d));
}

std::string NhsNumber::Formatted() const {
  return digits_.substr(0, 3) + " " + digits_.substr(3, 3) + " " + digits_.substr(6, 4);
}

}  // namespace pioneer
