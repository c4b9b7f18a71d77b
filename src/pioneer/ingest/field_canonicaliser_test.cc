#include "pioneer/ingest/field_canonicaliser.h"

#include <gtest/gtest.h>

#include <string>

namespace pioneer::ingest {
namespace {

using formats::FieldSpec;
using formats::FieldType;
using Kind = store::Cell::Kind;

// Canonical text of `raw`, or "!" + reason code.
std::string Canon(FieldType type, std::string_view raw, bool required = false,
                  std::string_view code_set = "") {
  FieldSpec spec{"f", type, required, code_set, ""};
  auto c = FieldCanonicaliser::Create(spec);
  EXPECT_TRUE(c.ok());
  CanonicalField out;
  if (auto r = c->Canonicalise(raw, &out)) return "!" + std::string(ReasonCodeName(*r));
  switch (out.kind) {
    case Kind::kNull:
      return "NULL";
    case Kind::kText:
      return std::string(out.text);
    case Kind::kInt:
      return "int:" + std::to_string(out.i);
    case Kind::kReal:
      return "real:" + std::to_string(out.r);
  }
  return "?";
}

TEST(FieldCanonicaliserTest, EmptyMeansNotRecorded) {
  EXPECT_EQ(Canon(FieldType::kText, ""), "NULL");
  EXPECT_EQ(Canon(FieldType::kDate, "   "), "NULL");
  EXPECT_EQ(Canon(FieldType::kText, " \t", true), "!missing_required");
  EXPECT_EQ(Canon(FieldType::kInteger, "", true), "!missing_required");
  EXPECT_EQ(Canon(FieldType::kText, "  Smith "), "Smith");
}

TEST(FieldCanonicaliserTest, Numbers) {
  EXPECT_EQ(Canon(FieldType::kInteger, "42"), "int:42");
  EXPECT_EQ(Canon(FieldType::kInteger, " -7 "), "int:-7");
  EXPECT_EQ(Canon(FieldType::kInteger, "+7"), "!bad_integer");
  EXPECT_EQ(Canon(FieldType::kInteger, "4.0"), "!bad_integer");
  EXPECT_EQ(Canon(FieldType::kInteger, "12a"), "!bad_integer");
  // Digits beyond 64 bits are out of range, not "not an integer".
  EXPECT_EQ(Canon(FieldType::kInteger, "99999999999999999999"), "!out_of_range");
  EXPECT_EQ(Canon(FieldType::kInteger, "-99999999999999999999"), "!out_of_range");
  EXPECT_EQ(Canon(FieldType::kInteger, "+99999999999999999999"), "!bad_integer");
  EXPECT_EQ(Canon(FieldType::kDecimal, "412.50"), "real:412.500000");
  EXPECT_EQ(Canon(FieldType::kDecimal, "-3"), "real:-3.000000");
  EXPECT_EQ(Canon(FieldType::kDecimal, "1e5"), "!bad_decimal");
  EXPECT_EQ(Canon(FieldType::kDecimal, "£12"), "!bad_decimal");
  EXPECT_EQ(Canon(FieldType::kDecimal, "12."), "!bad_decimal");
  EXPECT_EQ(Canon(FieldType::kDecimal, "1,200"), "!bad_decimal");
  EXPECT_EQ(Canon(FieldType::kDecimal, "nan"), "!bad_decimal");
}

TEST(FieldCanonicaliserTest, Dates) {
  EXPECT_EQ(Canon(FieldType::kDate, "2014-04-01"), "2014-04-01");
  EXPECT_EQ(Canon(FieldType::kDate, "2015-02-29"), "!bad_date");
  EXPECT_EQ(Canon(FieldType::kDate, "01/04/2014"), "!bad_date");
  EXPECT_EQ(Canon(FieldType::kDate, "2014-4-1"), "!bad_date");
}

TEST(FieldCanonicaliserTest, CodesAndClinicalCodes) {
  EXPECT_EQ(Canon(FieldType::kCode, "2A", true, "admission_method"), "2A");
  EXPECT_EQ(Canon(FieldType::kCode, "X7", true, "admission_method"), "!bad_code");
  EXPECT_EQ(Canon(FieldType::kCode, " 1 ", true, "sex"), "1");
  EXPECT_EQ(Canon(FieldType::kIcd10, "j45.9"), "J459");
  EXPECT_EQ(Canon(FieldType::kIcd10, "I10"), "I10X");
  EXPECT_EQ(Canon(FieldType::kIcd10, "45.9"), "!bad_icd10");
  EXPECT_EQ(Canon(FieldType::kOpcs4, "k40.1"), "K401");
  EXPECT_EQ(Canon(FieldType::kOpcs4, "-"), "NULL");
  EXPECT_EQ(Canon(FieldType::kOpcs4, "KK1"), "!bad_opcs4");
  EXPECT_EQ(Canon(FieldType::kOdsCode, "B86001"), "B86001");
  EXPECT_EQ(Canon(FieldType::kOdsCode, "b86001"), "!bad_ods_code");  // docs/data-formats.md
  EXPECT_EQ(Canon(FieldType::kCode, "2E", true, "admission_method"), "!bad_code");
  EXPECT_EQ(Canon(FieldType::kOdsCode, "B8"), "!bad_ods_code");
  EXPECT_EQ(Canon(FieldType::kOdsCode, "B86-01"), "!bad_ods_code");
  EXPECT_EQ(Canon(FieldType::kPostcode, "ls14ap"), "LS1 4AP");
  EXPECT_EQ(Canon(FieldType::kPostcode, "LS1"), "!bad_postcode");
}

TEST(FieldCanonicaliserTest, NhsNumbersAreNeverRejected) {
  FieldSpec spec{"nhs_number", FieldType::kNhsNumber, true, "", ""};
  auto c = FieldCanonicaliser::Create(spec);
  ASSERT_TRUE(c.ok());
  CanonicalField out;
  EXPECT_FALSE(c->Canonicalise("943 476 5919", &out));
  EXPECT_EQ(out.text, "9434765919");
  EXPECT_EQ(out.nhs_status, "valid");
  EXPECT_FALSE(c->Canonicalise("", &out));
  EXPECT_EQ(out.kind, Kind::kNull);
  EXPECT_EQ(out.nhs_status, "missing");
  EXPECT_FALSE(c->Canonicalise("9434765918", &out));
  EXPECT_EQ(out.text, "9434765918");
  EXPECT_EQ(out.nhs_status, "check_digit_wrong");
  EXPECT_FALSE(c->Canonicalise("94347", &out));
  EXPECT_EQ(out.nhs_status, "wrong_length");
}

TEST(FieldCanonicaliserTest, UnknownCodeSetIsAnInternalError) {
  FieldSpec spec{"f", FieldType::kCode, true, "no_such_set", ""};
  EXPECT_EQ(FieldCanonicaliser::Create(spec).status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace pioneer::ingest
