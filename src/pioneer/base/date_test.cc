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

// Regression: month arithmetic at and beyond the valid range used to dereference an empty
// optional or index a table with -1 (a plan's measure_months = 100000000).
TEST(DateTest, MonthArithmeticIsExactAtTheEdgesOfTheRange) {
  EXPECT_EQ(D("2199-12-01").AddMonths(1).ToIso(), "2200-01-01");
  EXPECT_EQ(D("1800-01-31").AddMonths(-1).ToIso(), "1799-12-31");
  EXPECT_EQ(D("2014-04-01").AddMonths(-12 * 300).ToIso(), "1714-04-01");
  EXPECT_EQ(D("2014-04-01").AddMonths(-1).ToIso(), "2014-03-01");
  EXPECT_EQ(D("2014-01-15").AddMonths(-13).ToIso(), "2012-12-15");
  // Far beyond any real date: saturates instead of overflowing, and stays ordered.
  EXPECT_LT(D("2014-04-01").AddMonths(-100000000), D("1800-01-01"));
  EXPECT_GT(D("2014-04-01").AddMonths(100000000), D("2199-12-31"));
  EXPECT_EQ((CalendarMonth{2199, 12}).period().ToString(), "2199-12-01..2199-12-31");
  EXPECT_EQ((CalendarMonth{2199, 12}).period().end_exclusive.ToIso(), "2200-01-01");
  EXPECT_EQ((FiscalQuarter{{2199}, 3}).period().ToString(), "2199-10-01..2199-12-31");
  EXPECT_EQ(FinancialYear{2199}.period().end_exclusive.ToIso(), "2200-04-01");
  EXPECT_EQ(D("2199-12-31").iso_weekday(), 2);  // a Tuesday
  EXPECT_EQ(D("1800-01-01").iso_weekday(), 3);  // a Wednesday
}

TEST(PeriodTest, ParseRefusesYearsOutsideTheRangeWithAReason) {
  EXPECT_FALSE(FinancialYear::Parse("FY9999"));
  EXPECT_FALSE(FinancialYear::Parse("FY0000"));
  EXPECT_FALSE(FinancialYear::Parse("FY2199"));  // would end in 2200
  EXPECT_EQ(FinancialYear::Parse("FY2198")->start_year, 2198);
  for (const char* bad : {"FY9999", "FY0000", "FY2199", "0000/01", "9999/00"}) {
    auto p = Period::ParseChecked(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_NE(p.status().message().find("1800/01 to 2198/99"), std::string::npos) << bad;
  }
  auto end = Period::ParseChecked("2199-12..2200-01");
  ASSERT_FALSE(end.ok());
  EXPECT_NE(end.status().message().find("2199-12-31"), std::string::npos);
  auto order = Period::ParseChecked("2015-03..2014-04");
  ASSERT_FALSE(order.ok());
  EXPECT_NE(order.status().message().find("ends before it starts"), std::string::npos);
  EXPECT_FALSE(Period::ParseChecked("last year").ok());
  // The last representable month and day are fine.
  EXPECT_EQ(Period::Parse("2199-12..2199-12")->ToString(), "2199-12-01..2199-12-31");
  EXPECT_EQ(Period::Parse("2199-12-01..2199-12-31")->length_days(), 31);
}

}  // namespace
}  // namespace pioneer
