#include "pioneer/synth/calibration.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pioneer/synth/test_areas.h"

namespace pioneer::synth {
namespace {

TEST(CalibrationCodesTest, ChronicAcscRules) {
  const std::vector<std::string> none;
  EXPECT_TRUE(IsChronicAcsc("J441", {"J441"}, none));
  EXPECT_TRUE(IsChronicAcsc("J46X", {"J46X"}, none));
  EXPECT_TRUE(IsChronicAcsc("E119", {"E119"}, none));
  EXPECT_TRUE(IsChronicAcsc("F03X", {"F03X"}, none));
  EXPECT_FALSE(IsChronicAcsc("J189", {"J189"}, none));
  // Rule e: J20 counts only with a COPD diagnosis somewhere.
  EXPECT_TRUE(IsChronicAcsc("J209", {"J209", "J449"}, none));
  EXPECT_FALSE(IsChronicAcsc("J209", {"J209", "I10X"}, none));
  // Rule c: heart failure with a cardiac procedure is excluded.
  EXPECT_TRUE(IsChronicAcsc("I500", {"I500"}, none));
  EXPECT_FALSE(IsChronicAcsc("I500", {"I500"}, {"K601"}));
  // Rule f: angina with any listed procedure is excluded, but not with X3x (not listed).
  EXPECT_FALSE(IsChronicAcsc("I209", {"I209"}, {"K634"}));
  EXPECT_TRUE(IsChronicAcsc("I209", {"I209"}, {"X352"}));
  // Rule a: hepatitis B unless sickle-cell disease is coded.
  EXPECT_TRUE(IsChronicAcsc("B181", {"B181"}, none));
  EXPECT_FALSE(IsChronicAcsc("B181", {"B181", "D571"}, none));
}

TEST(CalibrationCodesTest, OtherComponentsAndFalls) {
  EXPECT_TRUE(IsAcuteAcsc("N390", {"N390"}));
  EXPECT_TRUE(IsAcuteAcsc("J181", {"J181"}));
  EXPECT_FALSE(IsAcuteAcsc("J189", {"J189"}));  // unspecified pneumonia is not in the 3a list
  EXPECT_FALSE(IsAcuteAcsc("J181", {"J181", "D570"}));
  EXPECT_TRUE(IsAcuteAcsc("L031", {"L031"}));
  EXPECT_TRUE(IsChildLrti("J219"));
  EXPECT_TRUE(IsChildLrti("J189"));
  EXPECT_FALSE(IsChildLrti("J209"));
  EXPECT_TRUE(IsChildAsthmaDiabetesEpilepsy("E101"));
  EXPECT_TRUE(IsChildAsthmaDiabetesEpilepsy("J46X"));
  EXPECT_FALSE(IsChildAsthmaDiabetesEpilepsy("J209"));
  EXPECT_TRUE(IsFallInjury("S720", "W190"));
  EXPECT_TRUE(IsFallInjury("T141", "W01X"));
  EXPECT_FALSE(IsFallInjury("S720", "X599"));  // unspecified cause: not counted
  EXPECT_FALSE(IsFallInjury("R296", "W190"));  // not an injury diagnosis
  EXPECT_FALSE(IsFallInjury("S720", "W200"));  // struck by an object, not a fall
}

// A 50,000-person area must reproduce the five baselines within +/-25% on average over the
// window. docs/synthetic-data.md derives the band: at 50k the yearly counts are ~60
// permanent admissions, ~120 reablement discharges, ~1,400 delayed days (from ~160 delays),
// ~750 avoidable admissions and ~180 falls, so the 4-year means have relative standard
// errors of ~6%, ~4%, ~6%, ~2% and ~4%; +/-25% is at least four standard errors away for
// every measure, so the test fails only if the model is off, not by chance.
TEST(CalibrationTest, FiftyThousandPersonAreaHitsTheBaselines) {
  const std::string& dir = testing::Areas().Get(50000, 2014);
  CalibrationOptions options;
  options.band = 0.25;
  auto report = ComputeCalibration(dir, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->measures.size(), 5u);
  for (const MeasureResult& m : report->measures) {
    EXPECT_EQ(m.years.size(), 4u) << m.key;
    EXPECT_TRUE(m.within_band) << m.key << " mean " << m.mean << " outside " << m.low << "-"
                               << m.high;
    for (const YearValue& y : m.years) {
      EXPECT_GT(y.denominator, 0) << m.key;
      EXPECT_GT(y.numerator, 0) << m.key << " " << y.fy_start_year;
    }
  }
  const std::string table = FormatCalibrationTable(*report);
  EXPECT_NE(table.find("Permanent admissions"), std::string::npos);
  // Supporting figures: overall emergency admissions are realistic, weekends are quieter.
  for (const ContextFigure& c : report->context) {
    if (c.name.rfind("Emergency admissions per 100,000", 0) == 0) {
      EXPECT_GT(c.value, 8000);
      EXPECT_LT(c.value, 11000);
    }
    if (c.name.rfind("Weekend emergency discharges", 0) == 0) {
      EXPECT_GT(c.value, 35);
      EXPECT_LT(c.value, 65);
    }
  }
}

TEST(CalibrationTest, ReportsMissingFiles) {
  EXPECT_FALSE(ComputeCalibration("/nonexistent/folder", CalibrationOptions()).ok());
  CalibrationOptions no_year;
  no_year.start = *Date::FromYmd(2014, 5, 1);
  no_year.end = *Date::FromYmd(2015, 2, 1);
  EXPECT_EQ(ComputeCalibration("/tmp", no_year).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pioneer::synth
