#include "pioneer/model/clinical_codes.h"

#include <gtest/gtest.h>

#include "pioneer/model/code_sets.h"

namespace pioneer::model {
namespace {

TEST(Icd10Test, NormalisesToHesFourCharacterStyle) {
  EXPECT_EQ(NormaliseIcd10("J45.9"), "J459");
  EXPECT_EQ(NormaliseIcd10("j459"), "J459");
  EXPECT_EQ(NormaliseIcd10("J46"), "J46X");
  EXPECT_EQ(NormaliseIcd10("I10"), "I10X");
  EXPECT_EQ(NormaliseIcd10("D50.1"), "D501");
  EXPECT_EQ(NormaliseIcd10("S72.00"), "S720");  // 5th character dropped
  EXPECT_EQ(NormaliseIcd10("A17.0+"), "A170");  // dagger mark stripped
  EXPECT_EQ(NormaliseIcd10("G01*"), "G01X");    // asterisk mark stripped
  EXPECT_EQ(NormaliseIcd10(" w19 "), "W19X");
  EXPECT_FALSE(NormaliseIcd10(""));
  EXPECT_FALSE(NormaliseIcd10("45.9"));
  EXPECT_FALSE(NormaliseIcd10("JJ45"));
  EXPECT_FALSE(NormaliseIcd10("J4"));
}

TEST(Opcs4Test, NormalisesAndTreatsPlaceholdersAsNoOperation) {
  EXPECT_EQ(NormaliseOpcs4("K40.1"), "K401");
  EXPECT_EQ(NormaliseOpcs4("w371"), "W371");
  EXPECT_EQ(NormaliseOpcs4("X62"), "X62");
  EXPECT_EQ(NormaliseOpcs4("-"), "");
  EXPECT_EQ(NormaliseOpcs4("&"), "");
  EXPECT_FALSE(NormaliseOpcs4("K4"));
  EXPECT_FALSE(NormaliseOpcs4("4K01"));
}

TEST(SnomedTest, VerhoeffCheckDigitAndPartition) {
  EXPECT_TRUE(IsValidSnomedConceptId("73211009"));   // diabetes mellitus
  EXPECT_TRUE(IsValidSnomedConceptId("195967001"));  // asthma
  EXPECT_FALSE(IsValidSnomedConceptId("73211008"));  // check digit altered
  EXPECT_FALSE(IsValidSnomedConceptId("73211019"));  // partition 01 is a description
  EXPECT_FALSE(IsValidSnomedConceptId("12345"));
  EXPECT_FALSE(IsValidSnomedConceptId("7321100A"));
  // Every SNOMED concept in the GP code set carries a valid check digit.
  for (const Code& c : FindCodeSet("gp_snomed")->codes) {
    // Read v2 codes are five characters with letters or '.'; SNOMED ids are all digits.
    bool is_read_v2 = c.code.find_first_not_of("0123456789") != std::string_view::npos;
    if (is_read_v2) continue;
    EXPECT_TRUE(IsValidSnomedConceptId(c.code)) << c.code << " " << c.meaning;
  }
}

TEST(OdsAndPostcodeTest, ShapesAndNormalisation) {
  EXPECT_TRUE(IsValidOdsCode("B86001"));
  EXPECT_TRUE(IsValidOdsCode("RR8"));
  EXPECT_TRUE(IsValidOdsCode("15F"));
  EXPECT_FALSE(IsValidOdsCode("b86001"));
  EXPECT_FALSE(IsValidOdsCode("B8600123"));
  EXPECT_EQ(NormalisePostcode("ls14ap"), "LS1 4AP");
  EXPECT_EQ(NormalisePostcode("SW1A 1AA"), "SW1A 1AA");
  EXPECT_EQ(NormalisePostcode("le1  7rh"), "LE1 7RH");
  EXPECT_FALSE(NormalisePostcode("LS1"));
  EXPECT_FALSE(NormalisePostcode("12345"));
  EXPECT_EQ(PostcodeArea("LS1 4AP"), "LS");
  EXPECT_EQ(PostcodeDistrict("LS1 4AP"), "LS1");
  EXPECT_EQ(PostcodeSector("LS1 4AP"), "LS1 4");
}

TEST(CodeSetsTest, EveryFieldCodeSetExistsAndIsNonEmpty) {
  for (const CodeSet& s : AllCodeSets()) {
    EXPECT_FALSE(s.codes.empty()) << s.name;
    EXPECT_TRUE(s.provenance == "AUTH" || s.provenance == "CORR" || s.provenance == "PROP")
        << s.name;
  }
  EXPECT_TRUE(FindCodeSet("admission_method")->Contains("2A"));
  EXPECT_FALSE(FindCodeSet("admission_method")->Contains("2E"));
  EXPECT_TRUE(IsEmergencyAdmissionMethod("21"));
  EXPECT_TRUE(IsEmergencyAdmissionMethod("2D"));
  EXPECT_FALSE(IsEmergencyAdmissionMethod("11"));
  EXPECT_FALSE(IsEmergencyAdmissionMethod("81"));
  EXPECT_FALSE(IsEmergencyAdmissionMethod("2"));
  EXPECT_FALSE(IsEmergencyAdmissionMethod("2E"));
  EXPECT_TRUE(IsNhsProviderTransferSource("52"));
  EXPECT_FALSE(IsNhsProviderTransferSource("19"));
}

// Every named subset is a subset of its parent code set, and its predicate agrees with it.
TEST(CodeSetsTest, SubsetsLieInTheirParentSets) {
  const CodeSet* methods = FindCodeSet("admission_method");
  const CodeSet* sources = FindCodeSet("admission_source");
  ASSERT_NE(methods, nullptr);
  ASSERT_NE(sources, nullptr);
  EXPECT_EQ(EmergencyAdmissionMethods().size(), 10u);
  for (std::string_view m : EmergencyAdmissionMethods()) {
    EXPECT_TRUE(methods->Contains(m)) << m;
    EXPECT_TRUE(IsEmergencyAdmissionMethod(m)) << m;
  }
  EXPECT_EQ(NhsProviderTransferSources().size(), 3u);
  for (std::string_view s : NhsProviderTransferSources()) {
    EXPECT_TRUE(sources->Contains(s)) << s;
    EXPECT_TRUE(IsNhsProviderTransferSource(s)) << s;
  }
  int emergency = 0;
  for (const Code& c : methods->codes) emergency += IsEmergencyAdmissionMethod(c.code);
  EXPECT_EQ(emergency, 10);
}

}  // namespace
}  // namespace pioneer::model
