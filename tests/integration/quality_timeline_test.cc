// Worked example for the data-quality report and the person timeline: a hand-built area of
// three people whose every figure is computed by hand below, ingested with the real binary.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "pioneer/quality/quality_dashboard.h"
#include "pioneer/quality/quality_report.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;
using testing::TestNhsNumber;
using testing::WriteFile;

class WorkedExampleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    p1_ = TestNhsNumber(1);         // alive, born 1940
    p2_ = TestNhsNumber(2);         // died 2014-06-01
    p3_ = TestNhsNumber(3);         // born 1890: over 115 on the as-of date
    stranger_ = TestNhsNumber(50);  // valid, but not in PDS
    std::string dir = tmp_ / "extracts";
    WriteFile(dir + "/pds.csv",
              "nhs_number,record_type,family_name,given_name,sex,birth_date,death_date,postcode\n" +
                  p1_ + ",current,Smith,Ann,2,1940-05-01,,LS1 4AP\n" + p1_ +
                  ",history,Jones,Ann,2,1940-05-01,,LS2 9JT\n" + p2_ +
                  ",current,Patel,Ravi,1,1930-01-01,2014-06-01,LS6 1AA\n" + p3_ +
                  ",current,Brown,Edith,2,1890-01-01,,LS7 3BB\n");
    const std::string sc_header =
        "event_id,la_code,la_person_id,nhs_number,event_type,service_type,event_start_date,"
        "event_end_date\n";
    WriteFile(dir + "/social_care_events.csv",
              sc_header +                                                    //
                  "E1,E08000999,L1," + p1_ + ",assessment,,2014-04-10,\n" +  // 1
                  "E2,E08000999,L1," + p1_ + ",service,home_care,2014-05-01,2014-08-01\n" +
                  "E3,E08000999,L2," + p2_ + ",service,residential,2014-03-01,2014-06-01\n" +
                  "E4,E08000999,L2," + p2_ + ",review,,2014-07-01,\n" +         // after death
                  "E5,E08000999,L3,,request,,2014-09-01,\n" +                   // missing
                  "E6,E08000999,L4,,request,,2014-09-02,\n" +                   // missing
                  "E7,E08000999,L5,9434765918,request,,2014-09-03,\n" +         // invalid
                  "E8,E08000999,L6," + stranger_ + ",request,,2014-09-04,\n" +  // not in PDS
                  "E9,E08000999,L1," + p1_ + ",review,,2017-01-01,\n" +         // future
                  "E2,E08000999,L1," + p1_ + ",service,home_care,2014-05-01,2014-08-01\n");  // dup
    const std::string apc_header =
        "episode_id,spell_id,episode_number,episode_status,episode_type,nhs_number,provider_code,"
        "admission_date,admission_method,admission_source,patient_classification,main_specialty,"
        "episode_start_date,episode_end_date,discharge_date,discharge_method,"
        "discharge_destination,age_on_admission,sex,diag_01\n";
    WriteFile(dir + "/apc_episodes.csv",
              apc_header + "S1-1,S1,1,1,1," + p1_ +
                  ",R9A,2014-10-01,21,19,1,300,2014-10-01,2014-10-05,2014-10-05,1,19,74,2,J44.1\n" +
                  "S2-1,S2,1,1,1," + p1_ +
                  ",R9A,2014-11-10,21,19,1,300,2014-11-10,2014-11-08,2014-11-08,1,19,74,2,J44.1\n" +
                  "S3-1,S3,1,1,1," + p1_ +
                  ",R9A,2014-12-01,2E,19,1,300,2014-12-01,2014-12-02,2014-12-02,1,19,74,2,J44.1\n" +
                  "S4-1,S4,1,1,1," + p2_ +
                  ",R9A,2014-05-20,22,19,1,430,2014-05-20,2014-05-25,2014-05-25,1,19,84,1,S72.0\n");
    db_ = tmp_ / "a.db";
    auto r = RunPioneer("ingest --db " + db_ + " " + dir, tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  TempDir tmp_;
  std::string p1_, p2_, p3_, stranger_, db_;
};

const nlohmann::json* FindFigure(const nlohmann::json& j, const std::string& measure,
                                 const std::string& source, const std::string& field = "") {
  for (const auto& f : j["figures"]) {
    if (f["measure"] == measure && f["source"] == source &&
        (field.empty() || f["field"] == field)) {
      return &f;
    }
  }
  return nullptr;
}

void ExpectFigure(const nlohmann::json& j, const std::string& measure, const std::string& source,
                  int64_t num, int64_t den, const std::string& field = "") {
  const nlohmann::json* f = FindFigure(j, measure, source, field);
  ASSERT_NE(f, nullptr) << measure << " / " << source << " missing";
  EXPECT_EQ((*f)["numerator"].get<int64_t>(), num) << measure << " / " << source;
  EXPECT_EQ((*f)["denominator"].get<int64_t>(), den) << measure << " / " << source;
}

TEST_F(WorkedExampleTest, QualityFiguresMatchHandCount) {
  auto r = RunPioneer("quality --db " + db_ + " --json --as-of 2016-06-30", tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  nlohmann::json j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["as_of"], "2016-06-30");
  const std::string sc = "social_care_events";
  // 10 rows: 7 valid numbers (rows 1-4, 8-10), 2 blank, 1 failing Modulus 11.
  ExpectFigure(j, "nhs_number_coverage", sc, 7, 10);
  ExpectFigure(j, "nhs_number_missing", sc, 2, 10);
  ExpectFigure(j, "nhs_number_invalid", sc, 1, 8);
  // Unlinkable: 2 missing + 1 invalid + 1 valid number unknown to PDS.
  ExpectFigure(j, "unlinkable", sc, 4, 10);
  ExpectFigure(j, "not_in_pds", sc, 1, 7);
  // Person 2 died 2014-06-01: of their two rows, the review on 2014-07-01 is after death.
  ExpectFigure(j, "activity_after_death", sc, 1, 2);
  ExpectFigure(j, "future_dated", sc, 1, 10);
  ExpectFigure(j, "duplicate_rows", sc, 1, 10);
  ExpectFigure(j, "duplicate_record_ids", sc, 1, 10);
  // Completeness of service_type: filled on rows 2, 3 and 10.
  ExpectFigure(j, "field_completeness", sc, 3, 10, "service_type");
  // PDS: three current rows, one born in 1890.
  ExpectFigure(j, "age_over_115", "pds", 1, 3);
  // APC: 4 rows read; S2 discharged before admission, S3 has admission method 2E.
  ExpectFigure(j, "quarantined_date_order", "apc_episodes", 1, 4);
  ExpectFigure(j, "quarantined_bad_code", "apc_episodes", 1, 4, "admission_method");
  ExpectFigure(j, "nhs_number_coverage", "apc_episodes", 2, 2);
}

TEST_F(WorkedExampleTest, TableOutputNamesSectionsWithoutIdentifiers) {
  auto r = RunPioneer("quality --db " + db_ + " --as-of 2016-06-30", tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("NHS Number coverage and records that cannot be linked"), std::string::npos);
  EXPECT_NE(r.out.find("activity_after_death"), std::string::npos);
  // Aggregates only: no NHS Number, name or date of birth appears.
  for (const std::string& s :
       {p1_, p2_, stranger_, std::string("Smith"), std::string("1940-05-01")}) {
    EXPECT_EQ(r.out.find(s), std::string::npos) << s;
  }
}

TEST_F(WorkedExampleTest, DashboardDrawsEachSourceWithoutIdentifiers) {
  auto store = store::Store::OpenSqlite(db_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  quality::QualityOptions opt;
  opt.as_of = *Date::ParseIso("2016-06-30");
  auto report = quality::BuildQualityReport(**store, opt);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  std::string html = quality::RenderQualityDashboard(*report, "Worked <example>");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("Worked &lt;example&gt;"), std::string::npos);
  EXPECT_NE(html.find("70.0% (7 / 10)"), std::string::npos);  // social care coverage bar
  EXPECT_EQ(html.find(p1_), std::string::npos);
  EXPECT_EQ(html.find("Smith"), std::string::npos);
}

TEST_F(WorkedExampleTest, TimelineJoinsOnValidNhsNumbersInDateOrder) {
  auto store = store::Store::OpenSqlite(db_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto t = timeline::Timeline::Build(**store);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_TRUE(t->CheckInvariants().ok()) << t->CheckInvariants().ToString();
  // Three PDS people plus the valid number seen only in social care.
  EXPECT_EQ(t->person_count(), 4u);
  // Social care: 7 linked rows; APC: 2 accepted rows, both linked. The 3 social care rows
  // without a usable NHS Number are kept after every person's events, on no person.
  EXPECT_EQ(t->event_count(), 12u);
  const auto& sc = t->linkage(timeline::Source::kSocialCareEvent);
  EXPECT_EQ(sc.rows, 10);
  EXPECT_EQ(sc.linked, 7);
  EXPECT_EQ(sc.missing_number, 2);
  EXPECT_EQ(sc.invalid_number, 1);
  EXPECT_EQ(sc.unplaced, 3);
  EXPECT_EQ(sc.not_in_pds, 1);
  auto [ub, ue] = t->UnplacedRange();
  EXPECT_EQ(ub, t->offsets()[t->person_count()]);
  ASSERT_EQ(ue - ub, 3u);
  for (uint64_t i = ub; i < ue; ++i) {
    EXPECT_EQ(t->events().source[i], timeline::Source::kSocialCareEvent);
    if (i > ub) {
      EXPECT_LE(t->events().start_day[i - 1], t->events().start_day[i]);
    }
  }
  uint64_t placed = 0;
  for (size_t p = 0; p < t->person_count(); ++p) {
    placed += t->EventRange(static_cast<timeline::PersonIndex>(p)).second -
              t->EventRange(static_cast<timeline::PersonIndex>(p)).first;
  }
  EXPECT_EQ(placed, 9u);

  auto p2 = t->FindPerson(p2_);
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(t->persons().death_day[*p2], Date::ParseIso("2014-06-01")->days_since_epoch());
  auto [b, e] = t->EventRange(*p2);
  ASSERT_EQ(e - b, 3u);
  const auto& ev = t->events();
  EXPECT_EQ(Date::FromDaysSinceEpoch(ev.start_day[b]).ToIso(), "2014-03-01");
  EXPECT_EQ(ev.source[b + 1], timeline::Source::kApcEpisode);
  EXPECT_EQ(t->strings().Get(ev.code[b + 1]), "S720");  // normalised ICD-10
  EXPECT_EQ(t->strings().Get(ev.detail[b + 1]), "22");  // admission method
  EXPECT_EQ(Date::FromDaysSinceEpoch(ev.start_day[b + 2]).ToIso(), "2014-07-01");

  auto p1 = t->FindPerson(p1_);
  ASSERT_TRUE(p1.has_value());
  auto [b1, e1] = t->EventRange(*p1);
  EXPECT_EQ(e1 - b1, 5u);
  auto p3 = t->FindPerson(p3_);
  ASSERT_TRUE(p3.has_value());
  EXPECT_EQ(t->EventRange(*p3).first, t->EventRange(*p3).second);
}

TEST_F(WorkedExampleTest, TimelineLoadsRequestedAttributesTypedBySchema) {
  auto store = store::Store::OpenSqlite(db_);
  ASSERT_TRUE(store.ok());
  timeline::TimelineOptions opt;
  opt.attributes["apc_episodes"] = {"admission_source", "age_on_admission", "discharge_date"};
  auto t = timeline::Timeline::Build(**store, {}, opt);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const auto& attrs = t->attributes(timeline::Source::kApcEpisode);
  ASSERT_EQ(attrs.rows(), 2u);  // the two accepted APC rows
  auto p2 = *t->FindPerson(p2_);
  uint64_t i = t->EventRange(p2).first + 1;  // the S4 admission
  ASSERT_EQ(t->events().source[i], timeline::Source::kApcEpisode);
  uint32_t row = t->events().attr_row[i];
  EXPECT_EQ(t->strings().Get(attrs.Value(attrs.FieldIndex("admission_source"), row)), "19");
  EXPECT_EQ(attrs.Value(attrs.FieldIndex("age_on_admission"), row), 84);
  EXPECT_EQ(attrs.Value(attrs.FieldIndex("discharge_date"), row),
            Date::ParseIso("2014-05-25")->days_since_epoch());
  EXPECT_EQ(attrs.FieldIndex("diag_02"), -1);

  opt.attributes["apc_episodes"] = {"no_such_field"};
  auto bad = timeline::Timeline::Build(**store, {}, opt);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("no_such_field"), std::string::npos);
}

}  // namespace
}  // namespace pioneer
