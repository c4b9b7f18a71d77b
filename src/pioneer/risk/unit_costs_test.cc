#include "pioneer/risk/unit_costs.h"

#include <gtest/gtest.h>

namespace pioneer::risk {
namespace {

RiskInputs Inputs() {
  RiskInputs in;
  in.unit_cost = {{"gp_consultation", 30},
                  {"gp_telephone", 15},
                  {"gp_home_visit", 90},
                  {"ae_attendance", 150},
                  {"op_attendance", 120},
                  {"apc_elective_spell", 3000},
                  {"apc_day_case", 700},
                  {"apc_non_elective_spell", 1600},
                  {"apc_excess_bed_day", 300},
                  {"community_contact", 50},
                  {"mh_contact", 110},
                  {"assessment", 200},
                  {"residential_care_week", 525},
                  {"home_care_week", 250},
                  {"reablement_week", 400},
                  {"direct_payment_week", 180},
                  {"respite_week", 600}};
  return in;
}

TEST(UnitCostsTest, SpellsArePricedByAdmissionMethodAndClassification) {
  const UnitCosts c = UnitCosts::From(Inputs());
  using A = UnitCosts::Admission;
  // Emergency: 1,600 plus 300 for each day beyond five, whatever the classification.
  EXPECT_DOUBLE_EQ(c.Spell(A::kEmergency, false, 3), 1600);
  EXPECT_DOUBLE_EQ(c.Spell(A::kEmergency, false, 5), 1600);
  EXPECT_DOUBLE_EQ(c.Spell(A::kEmergency, false, 9), 1600 + 4 * 300);
  EXPECT_DOUBLE_EQ(c.Spell(A::kEmergency, true, 9), 1600 + 4 * 300);
  // Elective: day case tariff for classification 2-4, else the elective tariff, no excess.
  EXPECT_DOUBLE_EQ(c.Spell(A::kElective, true, 0), 700);
  EXPECT_DOUBLE_EQ(c.Spell(A::kElective, false, 20), 3000);
  // Other methods (maternity, transfers): day case, else as an emergency.
  EXPECT_DOUBLE_EQ(c.Spell(A::kOther, true, 8), 700);
  EXPECT_DOUBLE_EQ(c.Spell(A::kOther, false, 8), 1600 + 3 * 300);
}

TEST(UnitCostsTest, NursingCareFallsBackToResidentialOnlyWhenTheExtractLacksIt) {
  RiskInputs in = Inputs();
  UnitCosts c = UnitCosts::From(in);
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kNursing, std::nullopt), 525);
  in.unit_cost["nursing_care_week"] = 600;
  c = UnitCosts::From(in);
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kNursing, std::nullopt), 600);
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kResidential, std::nullopt), 525);
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kRespite, std::nullopt), 600);
  // The event's own weekly cost wins.
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kHomeCare, 212.5), 212.5);
  EXPECT_DOUBLE_EQ(c.Weekly(CareService::kNone, std::nullopt), 0);
}

TEST(UnitCostsTest, ClassifiesCodes) {
  EXPECT_EQ(CareServiceOf("residential"), CareService::kResidential);
  EXPECT_EQ(CareServiceOf("nursing"), CareService::kNursing);
  EXPECT_EQ(CareServiceOf("day_care"), CareService::kDirectPaymentOrDayCare);
  EXPECT_EQ(CareServiceOf("direct_payment"), CareService::kDirectPaymentOrDayCare);
  EXPECT_EQ(CareServiceOf("equipment"), CareService::kNone);
  EXPECT_TRUE(IsCareHome(CareService::kNursing));
  EXPECT_FALSE(IsCareHome(CareService::kHomeCare));
  const UnitCosts c = UnitCosts::From(Inputs());
  EXPECT_DOUBLE_EQ(c.Gp(GpContactOf("11429006")), 30);
  EXPECT_DOUBLE_EQ(c.Gp(GpContactOf("185317003")), 15);
  EXPECT_DOUBLE_EQ(c.Gp(GpContactOf("439708006")), 90);
  EXPECT_DOUBLE_EQ(c.Gp(GpContactOf("38341003")), 0);  // a diagnosis, not a contact
  EXPECT_TRUE(IsDayCaseClassification("2"));
  EXPECT_TRUE(IsDayCaseClassification("4"));
  EXPECT_FALSE(IsDayCaseClassification("1"));
  EXPECT_FALSE(IsDayCaseClassification("5"));
  EXPECT_TRUE(IsAttended("5"));
  EXPECT_TRUE(IsAttended("6"));
  EXPECT_FALSE(IsAttended("3"));  // did not attend
}

TEST(UnitCostsTest, WeeklyCostTextMustBeAFiniteNumber) {
  EXPECT_EQ(ParseWeeklyCost("612.50"), 612.5);
  EXPECT_EQ(ParseWeeklyCost("0"), 0.0);
  EXPECT_FALSE(ParseWeeklyCost(""));
  EXPECT_FALSE(ParseWeeklyCost("unknown"));
  EXPECT_FALSE(ParseWeeklyCost("nan"));
  EXPECT_FALSE(ParseWeeklyCost("inf"));
}

}  // namespace
}  // namespace pioneer::risk
