#include "pioneer/base/date.h"

#include <gtest/gtest.h>

namespace pioneer {
namespace {

Date D(const char* s) { return *Date::ParseIso(s); }

TEST(DateTest, ParsesStrictIsoAndRoundTrips) {
  EXPECT_EQ(D("2014-04-01").ToIso(), "2014-04-01");
  EXPECT_EQ(D("2016-02-29").ToIso(), "2016-02-29");
  EXPECT_FALSE(Date::ParseIso("2015-02-29"));  // not a leap year
  EXPECT_FALSE(Date::ParseIso("2014-13-01"));
  EXPECT_FALSE(Date::ParseIso("2014-4-01"));
  EXPECT_FALSE(Date::ParseIso("01/04/2014"));
  EXPECT_FALSE(Date::ParseIso("2014-04-01 "));
  EXPECT_FALSE(Date::ParseIso(""));
}

TEST(DateTest, ArithmeticAndWeekdays) {
  // The ASCOF 2B 91-day window (bcf-metrics.md 3.3).
  EXPECT_EQ(D("2014-10-01").AddDays(91).ToIso(), "2014-12-31");
  EXPECT_EQ(D("2014-12-31").AddDays(91).ToIso(), "2015-04-01");
  EXPECT_EQ(D("2015-12-31").AddDays(91).ToIso(), "2016-03-31");
  EXPECT_EQ(D("2014-04-01").DaysUntil(D("2015-04-01")), 365);
  EXPECT_EQ(D("2014-04-01").iso_weekday(), 2);  // a Tuesday
  EXPECT_EQ(D("2014-04-06").iso_weekday(), 7);  // a Sunday
  EXPECT_EQ(D("2014-01-31").AddMonths(1).ToIso(), "2014-02-28");
  EXPECT_EQ(D("2016-01-31").AddMonths(1).ToIso(), "2016-02-29");
  EXPECT_EQ(D("2014-11-30").AddMonths(3).ToIso(), "2015-02-28");
}

TEST(DateTest, AgeOnCountsCompletedYears) {
  Date born = D("1949-06-15");
  EXPECT_EQ(born.AgeOn(D("2014-06-14")), 64);
  EXPECT_EQ(born.AgeOn(D("2014-06-15")), 65);
  EXPECT_EQ(born.AgeOn(D("2015-03-31")), 65);
  Date leapling = D("1948-02-29");
  EXPECT_EQ(leapling.AgeOn(D("2015-02-28")), 66);
  EXPECT_EQ(leapling.AgeOn(D("2015-03-01")), 67);
}

TEST(PeriodTest, FinancialYearsAndQuarters) {
  EXPECT_EQ(FinancialYear::Containing(D("2014-03-31")).Label(), "2013/14");
  EXPECT_EQ(FinancialYear::Containing(D("2014-04-01")).Label(), "2014/15");
  FinancialYear fy{2014};
  EXPECT_EQ(fy.period().ToString(), "2014-04-01..2015-03-31");
  EXPECT_EQ(fy.period().length_days(), 365);
  EXPECT_EQ(FinancialYear{2015}.period().length_days(), 366);
  EXPECT_EQ(FinancialYear::Parse("2014/15")->start_year, 2014);
  EXPECT_EQ(FinancialYear::Parse("FY2014")->start_year, 2014);
  EXPECT_FALSE(FinancialYear::Parse("2014/16"));

  EXPECT_EQ(FiscalQuarter::Containing(D("2014-04-01")).Label(), "2014/15 Q1");
  EXPECT_EQ(FiscalQuarter::Containing(D("2014-12-31")).Label(), "2014/15 Q3");
  EXPECT_EQ(FiscalQuarter::Containing(D("2015-01-01")).Label(), "2014/15 Q4");
  EXPECT_EQ((FiscalQuarter{{2014}, 4}).period().ToString(), "2015-01-01..2015-03-31");
  EXPECT_EQ((CalendarMonth{2016, 2}).days(), 29);
}

TEST(PeriodTest, HalfOpenContainmentAndParsing) {
  Period p = Period::Inclusive(D("2014-10-01"), D("2014-12-31"));
  EXPECT_TRUE(p.Contains(D("2014-10-01")));
  EXPECT_TRUE(p.Contains(D("2014-12-31")));
  EXPECT_FALSE(p.Contains(D("2015-01-01")));
  EXPECT_FALSE(p.Contains(D("2014-09-30")));
  EXPECT_EQ(p.end_exclusive.ToIso(), "2015-01-01");

  EXPECT_EQ(Period::Parse("2014-04..2015-03")->ToString(), "2014-04-01..2015-03-31");
  EXPECT_EQ(Period::Parse("2014-10-01..2014-12-31"), p);
  EXPECT_EQ(Period::Parse("2015/16")->ToString(), "2015-04-01..2016-03-31");
  EXPECT_FALSE(Period::Parse("2015-03..2014-04"));
  EXPECT_FALSE(Period::Parse("last year"));
}

}  // namespace
}  // namespace pioneer
