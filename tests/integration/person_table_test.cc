// Behaviour of person tables (metrics/person_table.h) per column kind and per population
// kind, on EVERY engine (the fast timeline engine and the SQL engine), against values
// computed by hand on a tiny store ingested with the real `pioneer ingest`.
//
// Index date D = 2015-04-01; the look-back year is [D - 365, D - 1] = [2014-04-01, 2015-03-31].
//   P1  PDS, male, born 1940-04-01 (75 on D: birthday on D), registered Z00001 since 2000.
//       Emergency admissions (ADMIMETH 21, first episodes):
//         A1 2014-04-01 (D - 365: in)  episode 2014-04-01..2014-04-05 (4 days), age 73;
//            sent twice (an exact duplicate row)
//         A2 2015-03-31 (D - 1: in)    episode 2015-03-31..2015-04-03 (1 day before D), age 74
//         A3 2015-04-01 (D: out)       episode 2015-04-01..2015-04-02, age 75
//         A4 2014-03-31 (D - 366: out) episode 2014-03-31..2014-04-02, age 73
//       Elective A5 2014-10-10 (ADMIMETH 11). A GP consultation on 2015-03-01.
//   P2  PDS, female, born 1950-04-02 (64 on D), registered Z00001 2000-01-01..2015-04-01
//       (ends ON D) then Z00002 from 2015-04-02; PDS practice Z00002.
//         B1 emergency 2014-12-01, episode still open (no end), age 64
//   P3  PDS, sex 9, born 1930-01-01, died 2015-03-01; registered Z00003 since 2000 (open).
//         C0 emergency 2013-01-01 only: outside every window below
//   P4  not in PDS; no registration.
//         D1 emergency 2015-01-10, episode 2015-01-10..2015-01-12, age 50
//   P5  PDS, objected to secondary use; registered Z00001.
//         E1 emergency 2015-02-01, age 40
//   An emergency admission with no NHS Number (placed on no person) on 2015-01-10.
// Frailty index values (GP events 248279007): P1 0.12 on 2014-01-01, 0.25 then 0.3 (a later
// row) on 2015-02-01, none on 2015-03-15, 0.9 on D; P2 -1.5 on 2013-06-01.
// LSOAs: P1 and P2 live in E01900001 (IMD decile 3 in the lsoa reference table), P5 in
// E01900002 (decile 8), P3 in E01900009 (not in the table); P4 has no PDS row.
#include "pioneer/metrics/person_table.h"

#include <gtest/gtest.h>

#include <optional>

#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using metrics::ColumnKind;
using metrics::ColumnSpec;
using metrics::Expr;
using metrics::kIndexDate;
using metrics::kUnbounded;
using metrics::PersonTable;
using metrics::PersonTableSpec;
using metrics::Relation;
using testing::RunPioneer;
using testing::TempDir;
using testing::TestNhsNumber;
using testing::WriteFile;

std::string P(int n) { return TestNhsNumber(n); }

int32_t Day(const char* iso) { return Date::ParseIso(iso)->days_since_epoch(); }

constexpr const char* kApcHeader =
    "episode_id,spell_id,episode_number,episode_status,episode_type,nhs_number,provider_code,"
    "admission_date,admission_method,admission_source,patient_classification,main_specialty,"
    "episode_start_date,episode_end_date,discharge_date,discharge_method,discharge_destination,"
    "age_on_admission,sex,diag_01\n";

std::string Apc(const std::string& id, const std::string& nhs, const std::string& admitted,
                const std::string& method, const std::string& end, int age) {
  return id + ",S" + id + ",1,1,1," + nhs + ",R9A," + admitted + "," + method + ",19,1,300," +
         admitted + "," + end + "," + end + "," + (end.empty() ? "" : "1") + "," +
         (end.empty() ? "" : "19") + "," + std::to_string(age) + ",1,J18.9\n";
}

class PersonTableBehaviour : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const std::string dir = tmp_ / "extracts";
    std::string apc = kApcHeader;
    apc += Apc("A1", P(1), "2014-04-01", "21", "2014-04-05", 73);
    apc += Apc("A1", P(1), "2014-04-01", "21", "2014-04-05", 73);  // exact duplicate
    apc += Apc("A2", P(1), "2015-03-31", "21", "2015-04-03", 74);
    apc += Apc("A3", P(1), "2015-04-01", "21", "2015-04-02", 75);
    apc += Apc("A4", P(1), "2014-03-31", "21", "2014-04-02", 73);
    apc += Apc("A5", P(1), "2014-10-10", "11", "2014-10-11", 74);
    apc += Apc("B1", P(2), "2014-12-01", "21", "", 64);
    apc += Apc("C0", P(3), "2013-01-01", "21", "2013-01-02", 83);
    apc += Apc("D1", P(4), "2015-01-10", "21", "2015-01-12", 50);
    apc += Apc("E1", P(5), "2015-02-01", "21", "2015-02-03", 40);
    apc += Apc("U1", "", "2015-01-10", "21", "2015-01-11", 60);
    WriteFile(dir + "/apc_episodes.csv", apc);
    WriteFile(dir + "/pds.csv",
              "nhs_number,record_type,family_name,given_name,sex,birth_date,death_date,"
              "gp_practice_code,lsoa_code\n" +
                  P(1) + ",current,Testa,Al,1,1940-04-01,,Z00001,E01900001\n" + P(2) +
                  ",current,Testb,Bo,2,1950-04-02,,Z00002,E01900001\n" + P(3) +
                  ",current,Testc,Cy,9,1930-01-01,2015-03-01,,E01900009\n" + P(5) +
                  ",current,Teste,Ed,1,1975-01-01,,Z00001,E01900002\n");
    WriteFile(dir + "/gp_registrations.csv",
              "registration_id,nhs_number,gp_practice_code,registration_start_date,"
              "registration_end_date,deregistration_reason\n" +
                  P(1) + "r," + P(1) + ",Z00001,2000-01-01,,\n" + "R2a," + P(2) +
                  ",Z00001,2000-01-01,2015-04-01,moved_practice\n" + "R2b," + P(2) +
                  ",Z00002,2015-04-02,,\n" + "R3," + P(3) + ",Z00003,2000-01-01,,\n" + "R5," +
                  P(5) + ",Z00001,2000-01-01,,\n");
    WriteFile(dir + "/lsoa.csv",
              "lsoa_code,lsoa_name,la_code,imd_decile\n"
              "E01900001,Testtown 001A,E08000001,3\n"
              "E01900002,Testtown 001B,E08000001,8\n"
              "E01900003,Testtown 001C,E08000001,5\n");
    WriteFile(dir + "/gp_events.csv",
              "event_id,nhs_number,gp_practice_code,event_date,snomed_concept_id,value\n"
              "G1," +
                  P(1) + ",Z00001,2015-03-01,11429006,\n" + "F1," + P(1) +
                  ",Z00001,2014-01-01,248279007,0.12\n" + "F2," + P(1) +
                  ",Z00001,2015-02-01,248279007,0.25\n" + "F3," + P(1) +
                  ",Z00001,2015-02-01,248279007,0.3\n" + "F4," + P(1) +
                  ",Z00001,2015-03-15,248279007,\n" + "F5," + P(1) +
                  ",Z00001,2015-04-01,248279007,0.9\n" + "F6," + P(2) +
                  ",Z00002,2013-06-01,248279007,-1.5\n");
    const std::string objections = tmp_ / "objections.csv";
    WriteFile(objections, "nhs_number,recorded_on\n" + P(5) + ",2014-01-15\n");
    db_ = tmp_ / "p.db";
    auto r = RunPioneer("ingest --db " + db_ + " " + dir, tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    r = RunPioneer("objections import --db " + db_ + " " + objections, tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    auto store = store::Store::OpenSqlite(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    int64_t quarantined = -1;
    ASSERT_TRUE(store_
                    ->Query("SELECT count(*) FROM quarantine", {},
                            [&](const store::RowView& row) { quarantined = row.Int(0); })
                    .ok());
    ASSERT_EQ(quarantined, 0) << "fixture rows were quarantined";
  }

  // The table of `spec` on the engine under test.
  PersonTable Run(const PersonTableSpec& spec) {
    PersonTable out;
    if (GetParam() == "fast") {
      auto t = timeline::Timeline::Build(*store_, {}, metrics::PersonTableTimelineOptions(spec));
      EXPECT_TRUE(t.ok()) << t.status().ToString();
      auto ref = metrics::LoadReferenceData(*store_);
      EXPECT_TRUE(ref.ok()) << ref.status().ToString();
      if (!t.ok() || !ref.ok()) return out;
      metrics::FastEngine fast(*t, *ref);
      auto table = fast.BuildPersonTable(spec);
      EXPECT_TRUE(table.ok()) << table.status().ToString();
      if (table.ok()) out = std::move(*table);
    } else {
      metrics::SqlEngine sql(*store_);
      auto table = sql.BuildPersonTable(spec);
      EXPECT_TRUE(table.ok()) << table.status().ToString();
      if (table.ok()) out = std::move(*table);
    }
    return out;
  }

  static PersonTableSpec Spec() {
    PersonTableSpec s;
    s.index_date = *Date::ParseIso("2015-04-01");
    return s;
  }

  // The value of `column` in person n's row (nullopt: null); fails when n has no row.
  static std::optional<int64_t> Value(const PersonTable& t, const std::string& column, int n) {
    const metrics::PersonColumn* c = t.Find(column);
    EXPECT_NE(c, nullptr) << column;
    for (size_t r = 0; c && r < t.rows(); ++r) {
      if (t.nhs_number[r] != P(n)) continue;
      if (c->IsNull(r)) return std::nullopt;
      return c->values[r];
    }
    ADD_FAILURE() << "P" << n << " has no row";
    return std::nullopt;
  }
  static std::optional<std::string> Text(const PersonTable& t, const std::string& column, int n) {
    const metrics::PersonColumn* c = t.Find(column);
    EXPECT_NE(c, nullptr) << column;
    for (size_t r = 0; c && r < t.rows(); ++r) {
      if (t.nhs_number[r] != P(n)) continue;
      if (c->IsNull(r)) return std::nullopt;
      return c->text[r];
    }
    ADD_FAILURE() << "P" << n << " has no row";
    return std::nullopt;
  }
  static std::vector<std::string> Keys(std::initializer_list<int> persons) {
    std::vector<std::string> keys;
    for (int n : persons) keys.push_back(P(n));
    return keys;
  }

  static Expr Emergency() {
    return Expr::And(
        {Expr::In("admission_method", {"21"}), Expr::IntRange("episode_number", 1, 1)});
  }
  // Emergency admissions with admission_date in [D + lo, D + hi].
  static ColumnSpec Emergencies(const std::string& name, ColumnKind kind, int lo, int hi,
                                const std::string& value = "", const std::string& end = "") {
    return ColumnSpec::Records(name, kind, "apc_episodes", Emergency(), "admission_date", lo, hi,
                               value, end);
  }

  TempDir tmp_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
};

// ---- Populations ------------------------------------------------------------------------------

TEST_P(PersonTableBehaviour, EveryoneIsEveryPersonOnTheTimelineButObjectors) {
  PersonTableSpec s = Spec();
  PersonTable t = Run(s);
  // P4 is not in PDS but is on the timeline; P5 objected; the unplaced record is nobody's.
  EXPECT_EQ(t.nhs_number, Keys({1, 2, 3, 4}));
  s.exclude_objections = false;
  EXPECT_EQ(Run(s).nhs_number, Keys({1, 2, 3, 4, 5}));
}

TEST_P(PersonTableBehaviour, AliveBornAndRegisteredOnTheIndexDate) {
  PersonTableSpec s = Spec();
  Relation registered{Relation::Kind::kOpenOn,
                      "gp_registrations",
                      "registration_start_date",
                      "registration_end_date",
                      kIndexDate,
                      0,
                      0};
  s.population = Expr::And({
      Expr::PersonDate("birth_date", kIndexDate, -kUnbounded, -1),
      Expr::Not(Expr::PersonDate("death_date", kIndexDate, -kUnbounded, -1)),
      Expr::Exists(registered, Expr::True()),
  });
  s.exclude_objections = false;
  // P2's registration ends on D (open on D means an end after D); P3 died; P4 has no PDS
  // birth date; P5 qualifies once objectors are kept.
  EXPECT_EQ(Run(s).nhs_number, Keys({1, 5}));
  s.exclude_objections = true;
  EXPECT_EQ(Run(s).nhs_number, Keys({1}));
}

TEST_P(PersonTableBehaviour, HasARecordInTheWindow) {
  PersonTableSpec s = Spec();
  Relation r{
      Relation::Kind::kStartsWithin, "apc_episodes", "admission_date", "", kIndexDate, -365, -1};
  s.population = Expr::Exists(r, Emergency());
  // P3's only admission is outside the window.
  EXPECT_EQ(Run(s).nhs_number, Keys({1, 2, 4}));
}

TEST_P(PersonTableBehaviour, NoDeathBeforeTheIndexDate) {
  PersonTableSpec s = Spec();
  s.population = Expr::Not(Expr::PersonDate("death_date", kIndexDate, -kUnbounded, -1));
  EXPECT_EQ(Run(s).nhs_number, Keys({1, 2, 4}));
}

// ---- Record columns ---------------------------------------------------------------------------

TEST_P(PersonTableBehaviour, ExistsAndCountWithInclusiveWindowEnds) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("any", ColumnKind::kExists, -365, -1),
               Emergencies("n", ColumnKind::kCount, -365, -1),
               Emergencies("on_d", ColumnKind::kCount, 0, 0),
               Emergencies("ever_before", ColumnKind::kCount, -kUnbounded, -1)};
  PersonTable t = Run(s);
  ASSERT_EQ(t.nhs_number, Keys({1, 2, 3, 4}));
  // P1: A1 (D - 365) and A2 (D - 1) are in, A3 (D) and A4 (D - 366) out; A1's copy once.
  EXPECT_EQ(Value(t, "any", 1), 1);
  EXPECT_EQ(Value(t, "n", 1), 2);
  EXPECT_EQ(Value(t, "on_d", 1), 1);
  EXPECT_EQ(Value(t, "ever_before", 1), 3);
  EXPECT_EQ(Value(t, "n", 2), 1);
  EXPECT_EQ(Value(t, "n", 4), 1);
  // P3 has records only outside the window: false and 0, never null.
  EXPECT_EQ(Value(t, "any", 3), 0);
  EXPECT_EQ(Value(t, "n", 3), 0);
  EXPECT_EQ(Value(t, "ever_before", 3), 1);
}

TEST_P(PersonTableBehaviour, DuplicateRowsAreReadOnceUnlessAsked) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("n", ColumnKind::kCount, -365, -1)};
  EXPECT_EQ(Value(Run(s), "n", 1), 2);
  s.distinct_rows = false;
  EXPECT_EQ(Value(Run(s), "n", 1), 3);
}

TEST_P(PersonTableBehaviour, FirstAndLastDates) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("first", ColumnKind::kFirstDate, -365, -1),
               Emergencies("last", ColumnKind::kLastDate, -365, -1),
               Emergencies("last_end", ColumnKind::kLastDate, -365, -1, "episode_end_date")};
  PersonTable t = Run(s);
  EXPECT_EQ(t.Find("first")->type, metrics::ValueType::kDate);
  EXPECT_EQ(Value(t, "first", 1), Day("2014-04-01"));
  EXPECT_EQ(Value(t, "last", 1), Day("2015-03-31"));
  EXPECT_EQ(Value(t, "last_end", 1), Day("2015-04-03"));
  // B1 is in the window but has no end date: null, as for no record at all (P3).
  EXPECT_EQ(Value(t, "last_end", 2), std::nullopt);
  EXPECT_EQ(Value(t, "first", 2), Day("2014-12-01"));
  EXPECT_EQ(Value(t, "first", 3), std::nullopt);
  EXPECT_EQ(Value(t, "last", 3), std::nullopt);
}

TEST_P(PersonTableBehaviour, MinMaxSumOfAnInteger) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("min_age", ColumnKind::kMinInt, -365, -1, "age_on_admission"),
               Emergencies("max_age", ColumnKind::kMaxInt, -365, -1, "age_on_admission"),
               Emergencies("sum_age", ColumnKind::kSumInt, -365, -1, "age_on_admission")};
  PersonTable t = Run(s);
  EXPECT_EQ(Value(t, "min_age", 1), 73);
  EXPECT_EQ(Value(t, "max_age", 1), 74);
  EXPECT_EQ(Value(t, "sum_age", 1), 73 + 74);
  EXPECT_EQ(Value(t, "sum_age", 2), 64);
  EXPECT_EQ(Value(t, "min_age", 3), std::nullopt);
  EXPECT_EQ(Value(t, "max_age", 3), std::nullopt);
  EXPECT_EQ(Value(t, "sum_age", 3), 0);
  s.distinct_rows = false;
  EXPECT_EQ(Value(Run(s), "sum_age", 1), 73 + 73 + 74);
}

TEST_P(PersonTableBehaviour, SumOfDaysUpToTheWindowEnd) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("bed_days", ColumnKind::kSumDays, -365, -1, "episode_start_date",
                           "episode_end_date"),
               Emergencies("days_open", ColumnKind::kSumDays, -365, kUnbounded,
                           "episode_start_date", "episode_end_date")};
  PersonTable t = Run(s);
  // P1: A1 4 days + A2 1 day before D (its episode ends after D).
  EXPECT_EQ(Value(t, "bed_days", 1), 5);
  // P2: B1 still open: counted to D.
  EXPECT_EQ(Value(t, "bed_days", 2), Day("2015-04-01") - Day("2014-12-01"));
  EXPECT_EQ(Value(t, "bed_days", 3), 0);
  EXPECT_EQ(Value(t, "bed_days", 4), 2);
  // No upper end: whole episodes (A1 4, A2 3, A3 1); an open episode adds nothing.
  EXPECT_EQ(Value(t, "days_open", 1), 8);
  EXPECT_EQ(Value(t, "days_open", 2), 0);
}

TEST_P(PersonTableBehaviour, PredicatesMayRelateToTheIndexDateAndOtherSources) {
  PersonTableSpec s = Spec();
  Relation gp{Relation::Kind::kStartsWithin, "gp_events", "event_date", "", kIndexDate, -365, -1};
  Relation gp_before_admission{
      Relation::Kind::kStartsWithin, "gp_events", "event_date", "", "admission_date", -60, -1};
  s.columns = {
      ColumnSpec::Records("seen_by_gp", ColumnKind::kCount, "apc_episodes",
                          Expr::And({Emergency(), Expr::Exists(gp, Expr::True())}),
                          "admission_date", -365, -1),
      ColumnSpec::Records("gp_before", ColumnKind::kCount, "apc_episodes",
                          Expr::And({Emergency(), Expr::Exists(gp_before_admission, Expr::True())}),
                          "admission_date", -365, kUnbounded),
      ColumnSpec::Records("consultations", ColumnKind::kCount, "gp_events",
                          Expr::In("snomed_concept_id", {"11429006"}), "event_date", -365, -1),
  };
  PersonTable t = Run(s);
  EXPECT_EQ(Value(t, "seen_by_gp", 1), 2);  // P1 saw the GP in the year: both admissions
  EXPECT_EQ(Value(t, "seen_by_gp", 2), 0);
  EXPECT_EQ(Value(t, "gp_before", 1), 2);  // A2 (30 days after) and A3 (31 days after)
  EXPECT_EQ(Value(t, "consultations", 1), 1);
  EXPECT_EQ(Value(t, "consultations", 4), 0);
}

TEST_P(PersonTableBehaviour, RecordsOpenAtSomePointInTheWindow) {
  PersonTableSpec s = Spec();
  auto open = [](const std::string& name, ColumnKind kind, int lo, int hi) {
    return ColumnSpec::Open(name, kind, "apc_episodes", Emergency(), "episode_start_date",
                            "episode_end_date", lo, hi);
  };
  s.columns = {open("open_on_d", ColumnKind::kCount, 0, 0),
               open("open_in_year", ColumnKind::kCount, -365, -1),
               open("any_in_year", ColumnKind::kExists, -365, -1),
               open("open_from_a1_end", ColumnKind::kCount, -361, -1),
               Emergencies("dated_in_year", ColumnKind::kCount, -365, -1)};
  PersonTable t = Run(s);
  // P1 on D: A2 (2015-03-31..2015-04-03) and A3 (starts on D, ends after it).
  EXPECT_EQ(Value(t, "open_on_d", 1), 2);
  // P1 in the year: A1, A2 and A4, which started the day before the window but ended inside
  // it (A4 is not dated in it); A3 starts after the window; A1's duplicate once.
  EXPECT_EQ(Value(t, "open_in_year", 1), 3);
  EXPECT_EQ(Value(t, "dated_in_year", 1), 2);
  EXPECT_EQ(Value(t, "any_in_year", 1), 1);
  // An interval ending on the window's first day (A1 ends 2014-04-05 = D - 361) is not open in
  // it: only A2.
  EXPECT_EQ(Value(t, "open_from_a1_end", 1), 1);
  // P2's B1 has no end: still open, on D and in the year.
  EXPECT_EQ(Value(t, "open_on_d", 2), 1);
  EXPECT_EQ(Value(t, "open_in_year", 2), 1);
  // P3's C0 ended in 2013; P4's D1 (2015-01-10..2015-01-12) is in the year, not open on D.
  EXPECT_EQ(Value(t, "open_in_year", 3), 0);
  EXPECT_EQ(Value(t, "any_in_year", 3), 0);
  EXPECT_EQ(Value(t, "open_on_d", 4), 0);
  EXPECT_EQ(Value(t, "open_in_year", 4), 1);
  s.distinct_rows = false;
  EXPECT_EQ(Value(Run(s), "open_in_year", 1), 4);
  s.columns = {ColumnSpec::Open("bad", ColumnKind::kCount, "apc_episodes", Expr::True(),
                                "episode_start_date", "admission_method", 0, 0)};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // the end must be a date field
}

TEST_P(PersonTableBehaviour, DecimalValueOfTheLatestRecord) {
  PersonTableSpec s = Spec();
  auto frailty = [](const std::string& name, int lo, int hi) {
    return ColumnSpec::Records(name, ColumnKind::kLastDecimal, "gp_events",
                               Expr::In("snomed_concept_id", {"248279007"}), "event_date", lo, hi,
                               "value");
  };
  s.columns = {frailty("before_d", -kUnbounded, -1), frailty("ever", -kUnbounded, kUnbounded),
               frailty("in_2014", -455, -90)};
  PersonTable t = Run(s);
  EXPECT_EQ(t.Find("before_d")->type, metrics::ValueType::kDecimal);
  // P1 before D: 0.25 and 0.3 on the latest day with a value (2015-03-15 has none); the
  // later row wins. Fixed-point millionths.
  EXPECT_EQ(Value(t, "before_d", 1), 300000);
  EXPECT_EQ(metrics::DecimalToDouble(*Value(t, "before_d", 1)), 0.3);
  EXPECT_EQ(Value(t, "ever", 1), 900000);     // the value on D
  EXPECT_EQ(Value(t, "in_2014", 1), 120000);  // [2014-01-01, 2015-01-01]: 0.12 only
  EXPECT_EQ(Value(t, "before_d", 2), -1500000);
  EXPECT_EQ(Value(t, "in_2014", 2), std::nullopt);
  EXPECT_EQ(Value(t, "before_d", 3), std::nullopt);  // no record at all
  EXPECT_EQ(Value(t, "ever", 4), std::nullopt);
  s.columns = {ColumnSpec::Records("bad", ColumnKind::kLastDecimal, "gp_events", Expr::True(),
                                   "event_date", -kUnbounded, -1, "snomed_concept_id")};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // not a decimal field
}

TEST_P(PersonTableBehaviour, FurtherDateFieldsOfTheRecordInWindowsAroundTheIndexDate) {
  PersonTableSpec s = Spec();
  // Discharged in the year (discharge_date is the episode end here), then also admitted in it;
  // admitted in the year and also discharged before D.
  ColumnSpec discharged = Emergencies("discharged", ColumnKind::kCount, 0, 0);
  discharged.date_field = "discharge_date";
  discharged.lo = -365;
  discharged.hi = -1;
  ColumnSpec admitted_too = discharged;
  admitted_too.name = "admitted_too";
  admitted_too.also = {{"admission_date", -365, -1}};
  ColumnSpec gone_before_d = Emergencies("gone_before_d", ColumnKind::kCount, -365, -1);
  gone_before_d.also = {{"discharge_date", -kUnbounded, -1}, {"episode_start_date", -365, -1}};
  s.columns = {discharged, admitted_too, gone_before_d};
  PersonTable t = Run(s);
  // P1: A1 (admitted D - 365, discharged 2014-04-05) and A4 (admitted D - 366, discharged
  // 2014-04-02) are discharged in the year; A4 was not admitted in it. A2 leaves after D.
  EXPECT_EQ(Value(t, "discharged", 1), 2);
  EXPECT_EQ(Value(t, "admitted_too", 1), 1);
  EXPECT_EQ(Value(t, "gone_before_d", 1), 1);
  // P2's B1 has no discharge date: never in a window.
  EXPECT_EQ(Value(t, "discharged", 2), 0);
  EXPECT_EQ(Value(t, "gone_before_d", 2), 0);
  EXPECT_EQ(Value(t, "admitted_too", 4), 1);
  EXPECT_EQ(Value(t, "gone_before_d", 4), 1);
  s.distinct_rows = false;
  EXPECT_EQ(Value(Run(s), "gone_before_d", 1), 2);  // A1 and its copy
  s.columns = {gone_before_d};
  s.columns[0].also = {{"admission_method", -1, 0}};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // not a date field
  s.columns[0].also = {{"admission_date", 0, -1}};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // lo > hi
}

// ---- Person columns ---------------------------------------------------------------------------

TEST_P(PersonTableBehaviour, ImdDecileOfThePdsLsoa) {
  PersonTableSpec s = Spec();
  s.columns = {ColumnSpec::Person("imd", ColumnKind::kImdDecile)};
  PersonTable t = Run(s);
  EXPECT_EQ(t.Find("imd")->type, metrics::ValueType::kInt);
  EXPECT_EQ(Value(t, "imd", 1), 3);
  EXPECT_EQ(Value(t, "imd", 2), 3);
  EXPECT_EQ(Value(t, "imd", 3), std::nullopt);  // an LSOA the table does not list
  EXPECT_EQ(Value(t, "imd", 4), std::nullopt);  // not in PDS: no LSOA
  s.exclude_objections = false;
  EXPECT_EQ(Value(Run(s), "imd", 5), 8);
}

TEST_P(PersonTableBehaviour, AgeSexAndPracticeOnTheIndexDate) {
  PersonTableSpec s = Spec();
  s.columns = {ColumnSpec::Person("age", ColumnKind::kAge),
               ColumnSpec::Person("sex", ColumnKind::kSex),
               ColumnSpec::Person("practice", ColumnKind::kPractice)};
  PersonTable t = Run(s);
  EXPECT_EQ(Value(t, "age", 1), 75);  // birthday on D
  EXPECT_EQ(Value(t, "age", 2), 64);  // birthday the day after D
  EXPECT_EQ(Value(t, "age", 3), 85);
  EXPECT_EQ(Value(t, "age", 4), std::nullopt);  // not in PDS
  EXPECT_EQ(Value(t, "sex", 1), 1);
  EXPECT_EQ(Value(t, "sex", 2), 2);
  EXPECT_EQ(Value(t, "sex", 3), 9);
  EXPECT_EQ(Value(t, "sex", 4), std::nullopt);
  EXPECT_EQ(Text(t, "practice", 1), "Z00001");
  // kPracticeAtEvent's rule: a registration ending on D still holds on D.
  EXPECT_EQ(Text(t, "practice", 2), "Z00001");
  EXPECT_EQ(Text(t, "practice", 3), "Z00003");
  EXPECT_EQ(Text(t, "practice", 4), std::nullopt);
  EXPECT_EQ(t.Find("practice")->type, metrics::ValueType::kText);
}

// ---- Per-person index dates ------------------------------------------------------------------

TEST_P(PersonTableBehaviour, EachPersonMayHaveTheirOwnIndexDate) {
  PersonTableSpec s = Spec();  // its index date (2015-04-01) is not read
  auto on = [](int n, const char* iso) {
    return metrics::PersonIndexDate{P(n), *Date::ParseIso(iso)};
  };
  s.index_dates = {on(3, "2013-01-02"), on(1, "2014-10-10"), on(2, "2015-04-02"),
                   on(4, "2015-01-10"), on(5, "2015-01-01"), on(9, "2015-01-01")};
  Relation year_before{
      Relation::Kind::kStartsWithin, "apc_episodes", "admission_date", "", kIndexDate, -365, -1};
  s.population = Expr::Exists(year_before, Emergency());
  s.columns = {Emergencies("before", ColumnKind::kCount, -365, -1),
               Emergencies("after", ColumnKind::kCount, 0, 365),
               Emergencies("days_before", ColumnKind::kSumDays, -365, -1, "admission_date",
                           "episode_end_date"),
               ColumnSpec::Person("age", ColumnKind::kAge),
               ColumnSpec::Person("practice", ColumnKind::kPractice)};
  PersonTable t = Run(s);
  // Each population test reads the person's own year: P3's C0 (2013-01-01) is the day before
  // their D; P4's D1 is on their D, not before it; P5 objected; P9 is on no record.
  ASSERT_EQ(t.nhs_number, Keys({1, 2, 3}));
  // P1 (D 2014-10-10): A1 (once) and A4 before; A2 and A3 after; A5 (elective, on D) neither.
  EXPECT_EQ(Value(t, "before", 1), 2);
  EXPECT_EQ(Value(t, "after", 1), 2);
  EXPECT_EQ(Value(t, "before", 2), 1);
  EXPECT_EQ(Value(t, "after", 2), 0);
  EXPECT_EQ(Value(t, "before", 3), 1);
  EXPECT_EQ(Value(t, "after", 3), 0);
  // Days before D: A1 4 + A4 2; P2's open B1 from 2014-12-01 to their D, 2015-04-02: 122.
  EXPECT_EQ(Value(t, "days_before", 1), 6);
  EXPECT_EQ(Value(t, "days_before", 2), 122);
  EXPECT_EQ(Value(t, "days_before", 3), 1);
  EXPECT_EQ(Value(t, "age", 1), 74);
  EXPECT_EQ(Value(t, "age", 2), 65);  // birthday on D
  EXPECT_EQ(Value(t, "age", 3), 83);
  // P2 moved practice the day before their D.
  EXPECT_EQ(Text(t, "practice", 2), "Z00002");
  EXPECT_EQ(Text(t, "practice", 1), "Z00001");
  EXPECT_EQ(Text(t, "practice", 3), "Z00003");

  s.index_dates.push_back(on(1, "2015-01-01"));
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // listed twice
  s.index_dates = {{"12345", *Date::ParseIso("2015-01-01")}};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // not ten digits
}

TEST_P(PersonTableBehaviour, InvalidSpecsAreRefusedByName) {
  PersonTableSpec s = Spec();
  s.columns = {Emergencies("x", ColumnKind::kCount, -1, -365)};
  metrics::SqlEngine sql(*store_);
  auto bad = sql.BuildPersonTable(s);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("column x"), std::string::npos);
  s.columns = {ColumnSpec::Records("y", ColumnKind::kSumInt, "apc_episodes", Expr::True(),
                                   "admission_date", -1, 0, "admission_method")};
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // not an integer field
  s.columns = {};
  s.population = Expr::In("admission_method", {"21"});
  EXPECT_FALSE(metrics::ValidatePersonTableSpec(s).ok());  // a record field at person level
}

TEST_P(PersonTableBehaviour, DecimalsAndFurtherDatesReadEachPersonsOwnIndexDate) {
  PersonTableSpec s = Spec();
  s.index_dates = {{P(1), *Date::ParseIso("2015-02-01")}, {P(2), *Date::ParseIso("2013-06-01")}};
  auto frailty = [](const std::string& name, int lo, int hi) {
    return ColumnSpec::Records(name, ColumnKind::kLastDecimal, "gp_events",
                               Expr::In("snomed_concept_id", {"248279007"}), "event_date", lo, hi,
                               "value");
  };
  ColumnSpec gone = Emergencies("gone_before_d", ColumnKind::kCount, -kUnbounded, kUnbounded);
  gone.also = {{"discharge_date", -kUnbounded, -1}};
  s.columns = {frailty("before_d", -kUnbounded, -1), frailty("from_d", 0, kUnbounded), gone};
  PersonTable t = Run(s);
  ASSERT_EQ(t.nhs_number, Keys({1, 2}));
  // P1 (D 2015-02-01): only 0.12 before D (0.25 and 0.3 are on it); from D the latest is 0.9.
  EXPECT_EQ(Value(t, "before_d", 1), 120000);
  EXPECT_EQ(Value(t, "from_d", 1), 900000);
  // P2 (D 2013-06-01): their -1.5 is on D.
  EXPECT_EQ(Value(t, "before_d", 2), std::nullopt);
  EXPECT_EQ(Value(t, "from_d", 2), -1500000);
  // P1: A1 (once) and A4 were discharged before their D, A2 and A3 after; P2's B1 never.
  EXPECT_EQ(Value(t, "gone_before_d", 1), 2);
  EXPECT_EQ(Value(t, "gone_before_d", 2), 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, PersonTableBehaviour, ::testing::Values("fast", "sql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace pioneer
