#include "pioneer/model/nhs_number.h"

#include <gtest/gtest.h>

namespace pioneer {
namespace {

// Vectors worked by hand from the NHS Data Dictionary's Modulus 11 rule (NHS NUMBER).
TEST(NhsNumberTest, AcceptsPublishedValidNumbers) {
  for (const char* n : {"9434765919", "9000000009", "9000000017", "9000000025", "9000000033",
                        "4010232137", "9111231114", "9876543210", "6541003238", "3417284996",
                        "9990000018", "9990000026", "9990000034"}) {
    EXPECT_TRUE(NhsNumber::Parse(n).has_value()) << n;
  }
}

TEST(NhsNumberTest, RejectsPublishedInvalidNumbersWithTheRightReason) {
  EXPECT_EQ(NhsNumber::Check("9434765918"), NhsNumberProblem::kCheckDigitWrong);
  EXPECT_EQ(NhsNumber::Check("9434765910"), NhsNumberProblem::kCheckDigitWrong);
  EXPECT_EQ(NhsNumber::Check("9876544321"), NhsNumberProblem::kCheckDigitWrong);
  EXPECT_EQ(NhsNumber::Check("1234567890"), NhsNumberProblem::kCheckDigitTen);
  EXPECT_EQ(NhsNumber::Check("9111111111"), NhsNumberProblem::kCheckDigitWrong);
  EXPECT_EQ(NhsNumber::Check("943476591"), NhsNumberProblem::kWrongLength);
  EXPECT_EQ(NhsNumber::Check("94347659190"), NhsNumberProblem::kWrongLength);
  EXPECT_EQ(NhsNumber::Check("943476591A"), NhsNumberProblem::kNonDigit);
  EXPECT_EQ(NhsNumber::Check(""), NhsNumberProblem::kEmpty);
  EXPECT_EQ(NhsNumber::Check("   "), NhsNumberProblem::kEmpty);
}

TEST(NhsNumberTest, RejectsEveryRepeatedDigitNumberEvenWhenModulus11Passes) {
  int passing_mod11 = 0;
  for (char d = '0'; d <= '9'; ++d) {
    std::string n(10, d);
    EXPECT_FALSE(NhsNumber::Parse(n).has_value()) << n;
    if (NhsNumber::CheckDigitFor(n.substr(0, 9)) == d - '0') ++passing_mod11;
  }
  // 0000000000, 1111111111 ... pass the check digit for some digits; they must still fail.
  EXPECT_GT(passing_mod11, 0);
  EXPECT_EQ(NhsNumber::Check("0000000000"), NhsNumberProblem::kRepeatedDigit);
  EXPECT_EQ(NhsNumber::Check("9999999999"), NhsNumberProblem::kRepeatedDigit);
}

TEST(NhsNumberTest, AcceptsSpacedAndHyphenatedFormsAndFormats334) {
  auto a = NhsNumber::Parse("943 476 5919");
  auto b = NhsNumber::Parse("943-476-5919");
  auto c = NhsNumber::Parse("9434765919");
  ASSERT_TRUE(a && b && c);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(*b, *c);
  EXPECT_EQ(c->digits(), "9434765919");
  EXPECT_EQ(c->Formatted(), "943 476 5919");
}

TEST(NhsNumberTest, CheckDigitWorkedExample) {
  // 9x10+4x9+3x8+4x7+7x6+6x5+5x4+9x3+1x2 = 299; 299 mod 11 = 2; 11-2 = 9.
  EXPECT_EQ(NhsNumber::CheckDigitFor("943476591"), 9);
  // 987654321: sum 330, remainder 0, 11 -> 0.
  EXPECT_EQ(NhsNumber::CheckDigitFor("987654321"), 0);
  EXPECT_EQ(NhsNumber::CheckDigitFor("123456789"), -1);
}

}  // namespace
}  // namespace pioneer
