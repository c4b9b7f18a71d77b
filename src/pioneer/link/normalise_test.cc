#include "pioneer/link/normalise.h"

#include <gtest/gtest.h>

#include "pioneer/link/birth_date.h"

namespace pioneer::link {
namespace {

TEST(NormaliseNameTest, CaseAccentsPunctuationHyphens) {
  EXPECT_EQ(NormaliseName("SMITH"), "smith");
  EXPECT_EQ(NormaliseName("  Smith  "), "smith");
  EXPECT_EQ(NormaliseName("O'Brien"), "obrien");
  EXPECT_EQ(NormaliseName("O\u2019Brien"), "obrien");  // typographic apostrophe
  EXPECT_EQ(NormaliseName("Smith-Jones"), "smithjones");
  EXPECT_EQ(NormaliseName("Mary Ann"), "maryann");
  EXPECT_EQ(NormaliseName("St. John"), "stjohn");
  EXPECT_EQ(NormaliseName("Zo\u00eb"), "zoe");             // ë
  EXPECT_EQ(NormaliseName("Ren\u00c9e"), "renee");         // É
  EXPECT_EQ(NormaliseName("\u0141ukasz"), "lukasz");       // Ł
  EXPECT_EQ(NormaliseName("S\u00f8ren"), "soren");         // ø
  EXPECT_EQ(NormaliseName("Stra\u00dfe"), "strasse");      // ß
  EXPECT_EQ(NormaliseName("\u00c6thelred"), "aethelred");  // Æ
  EXPECT_EQ(NormaliseName("\u0152uvre"), "oeuvre");        // Œ
  EXPECT_EQ(NormaliseName("Dvo\u0159\u00e1k"), "dvorak");  // ř á
  EXPECT_EQ(NormaliseName("Nu\u00f1ez"), "nunez");
  EXPECT_EQ(NormaliseName("\u00de\u00f3r"), "thor");  // Þ ó
  EXPECT_EQ(NormaliseName("J0hn"), "jhn");            // digits dropped from names
  EXPECT_EQ(NormaliseName(""), "");
  EXPECT_EQ(NormaliseName("--"), "");
  // Other scripts keep their bytes (compare equal to themselves, not to anything else).
  EXPECT_EQ(NormaliseName("\u0418\u0432\u0430\u043d"), "\u0418\u0432\u0430\u043d");
  // Invalid UTF-8 bytes are dropped.
  EXPECT_EQ(NormaliseName(std::string("ab\xff"
                                      "c")),
            "abc");
}

TEST(NormaliseTextTest, KeepsWordsAndDigits) {
  EXPECT_EQ(NormaliseText("12  Pinkerton-Circuit"), "12 pinkerton circuit");
  EXPECT_EQ(NormaliseText(" Flat 3, St. Mary's Rd "), "flat 3 st marys rd");
  EXPECT_EQ(NormaliseText("Caf\u00e9"), "cafe");
}

TEST(NormaliseOtherTest, EmailIdentifierNhsNumberSex) {
  EXPECT_EQ(NormaliseEmail(" Robert255@Smith.NET "), "robert255@smith.net");
  EXPECT_EQ(EmailUser("robert255@smith.net"), "robert255");
  EXPECT_EQ(EmailUser("no-at-sign"), "no-at-sign");
  EXPECT_EQ(NormaliseIdentifier(" ab-12 34 "), "AB1234");
  EXPECT_EQ(NormaliseNhsNumber("943 476 5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("943-476-5919"), "9434765919");
  EXPECT_EQ(NormaliseNhsNumber("9434765918"), "");  // wrong check digit
  EXPECT_EQ(NormaliseNhsNumber("0000000000"), "");  // repeated digit
  EXPECT_EQ(NormaliseNhsNumber(""), "");
  EXPECT_EQ(NormaliseSex("M"), 1);
  EXPECT_EQ(NormaliseSex("male"), 1);
  EXPECT_EQ(NormaliseSex("1"), 1);
  EXPECT_EQ(NormaliseSex(" F "), 2);
  EXPECT_EQ(NormaliseSex("2"), 2);
  EXPECT_EQ(NormaliseSex("Female"), 2);
  EXPECT_EQ(NormaliseSex("0"), 0);
  EXPECT_EQ(NormaliseSex("9"), 0);
  EXPECT_EQ(NormaliseSex("U"), 0);
  EXPECT_EQ(NormaliseSex(""), 0);
}

TEST(NormalisePostcodeTest, UkLevelsAndOtherCodes) {
  LinkPostcode pc = NormaliseLinkPostcode("ls14ap");
  EXPECT_TRUE(pc.is_uk);
  EXPECT_EQ(pc.value, "LS1 4AP");
  EXPECT_EQ(pc.value.substr(0, pc.area_len), "LS");
  EXPECT_EQ(pc.value.substr(0, pc.district_len), "LS1");
  EXPECT_EQ(pc.value.substr(0, pc.sector_len), "LS1 4");
  pc = NormaliseLinkPostcode("SW1A 1AA");
  EXPECT_EQ(pc.value.substr(0, pc.district_len), "SW1A");
  EXPECT_EQ(pc.value.substr(0, pc.area_len), "SW");
  pc = NormaliseLinkPostcode(" 0221 ");  // FEBRL: Australian postcode
  EXPECT_FALSE(pc.is_uk);
  EXPECT_EQ(pc.value, "0221");
  EXPECT_EQ(NormaliseLinkPostcode("  ").value, "");
}

TEST(BirthDateTest, ParsesAcceptedForms) {
  auto a = ParseBirthDate("1971-06-24");
  auto b = ParseBirthDate("19710624");
  auto c = ParseBirthDate("24/06/1971");
  ASSERT_TRUE(a && b && c);
  EXPECT_TRUE(a->valid);
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(a->days, b->days);
  EXPECT_EQ(std::string(a->digits.data(), 8), "19710624");
  auto ym = ParseBirthDate("1971-06");
  ASSERT_TRUE(ym);
  EXPECT_FALSE(ym->full());
  EXPECT_EQ(ym->month, 6);
  auto y = ParseBirthDate("1971");
  ASSERT_TRUE(y);
  EXPECT_EQ(y->month, 0);
  // Impossible calendar dates are kept (digits compare), but are not valid.
  auto bad = ParseBirthDate("19651332");
  ASSERT_TRUE(bad);
  EXPECT_FALSE(bad->valid);
  EXPECT_TRUE(bad->full());
  EXPECT_FALSE(ParseBirthDate("yesterday"));
  EXPECT_FALSE(ParseBirthDate("1971-6-24"));
  EXPECT_FALSE(ParseBirthDate("19710000"));
  EXPECT_FALSE(ParseBirthDate(""));
}

TEST(BirthDateTest, Comparisons) {
  auto d = [](const char* s) { return *ParseBirthDate(s); };
  EXPECT_TRUE(DigitsWithinOneEdit(d("19710624"), d("19710625")));  // one digit
  EXPECT_TRUE(DigitsWithinOneEdit(d("19710624"), d("19170624")));  // adjacent swap
  EXPECT_TRUE(DigitsWithinOneEdit(d("19651332"), d("19651232")));  // impossible date
  EXPECT_FALSE(DigitsWithinOneEdit(d("19710624"), d("19720625")));
  EXPECT_FALSE(DigitsWithinOneEdit(d("1971"), d("1971")));  // partial: not applicable
  EXPECT_TRUE(DayMonthTransposed(d("1971-04-03"), d("1971-03-04")));
  EXPECT_FALSE(DayMonthTransposed(d("1971-03-03"), d("1971-03-03")));
  EXPECT_FALSE(DayMonthTransposed(d("1971-04-03"), d("1972-03-04")));
  EXPECT_EQ(AbsDaysBetween(d("2000-02-28"), d("2000-03-01")), 2);
}

TEST(BirthDateTest, TraceAgreementFollowsMpsCrossCheck) {
  auto d = [](const char* s) { return *ParseBirthDate(s); };
  const BirthDate pds = d("1987-03-12");
  EXPECT_EQ(CompareForTrace(d("1987-03-12"), pds), TraceDateAgreement::kExact);
  EXPECT_EQ(CompareForTrace(d("1987-12-03"), pds), TraceDateAgreement::kPartial);  // DD/MM swap
  EXPECT_EQ(CompareForTrace(d("1987-03-21"), pds), TraceDateAgreement::kPartial);  // day digits
  EXPECT_EQ(CompareForTrace(d("1978-03-12"), pds), TraceDateAgreement::kPartial);  // year digits
  EXPECT_EQ(CompareForTrace(d("1990-03-12"), pds), TraceDateAgreement::kPartial);  // 2 of 3
  EXPECT_EQ(CompareForTrace(d("1990-04-12"), pds), TraceDateAgreement::kNone);     // 1 of 3
  EXPECT_EQ(CompareForTrace(d("1987"), pds), TraceDateAgreement::kAsGiven);
  EXPECT_EQ(CompareForTrace(d("1987-03"), pds), TraceDateAgreement::kAsGiven);
  EXPECT_EQ(CompareForTrace(d("1987-04"), pds), TraceDateAgreement::kNone);
  EXPECT_EQ(CompareForTrace(d("1988"), pds), TraceDateAgreement::kNone);
}

}  // namespace
}  // namespace pioneer::link
