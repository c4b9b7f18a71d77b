// Person tables on a small synthetic area (200 people, faults included):
//   * differential: specs with every column kind and population kind give identical tables on
//     the fast timeline engine and the SQL engine;
//   * risk: the risk features expressed as a person table (risk/feature_table.h) equal
//     risk::BuildCohort's values for every cohort person, on both engines;
//   * Care Trak: the activity measures expressed as a person table with per-person index dates
//     (caretrak/activity_table.h) equal caretrak::ActivityContext::PersonMonths, on both
//     engines.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "pioneer/caretrak/activity.h"
#include "pioneer/caretrak/activity_table.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/risk/feature_table.h"
#include "pioneer/risk/features.h"
#include "pioneer/risk/risk_inputs.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
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

const Date kIndex = *Date::ParseIso("2015-04-01");

// Every column kind over several sources, with relations in the record predicates.
PersonTableSpec EveryKind(Expr population) {
  PersonTableSpec s;
  s.index_date = kIndex;
  s.population = std::move(population);
  const Expr emergency = Expr::In("admission_method", {"21", "22", "23", "24", "28", "2A", "2B"});
  const Relation followed_by_care{Relation::Kind::kStartsWithin,
                                  "social_care_events",
                                  "event_start_date",
                                  "",
                                  "discharge_date",
                                  0,
                                  91};
  const Relation gp_in_year{
      Relation::Kind::kStartsWithin, "gp_events", "event_date", "", kIndexDate, -365, -1};
  s.columns = {
      ColumnSpec::Person("age", ColumnKind::kAge),
      ColumnSpec::Person("sex", ColumnKind::kSex),
      ColumnSpec::Person("practice", ColumnKind::kPractice),
      ColumnSpec::Records("any_emergency", ColumnKind::kExists, "apc_episodes", emergency,
                          "admission_date", -365, -1),
      ColumnSpec::Records("emergencies", ColumnKind::kCount, "apc_episodes", emergency,
                          "admission_date", -730, -1),
      ColumnSpec::Records("first_admission", ColumnKind::kFirstDate, "apc_episodes", Expr::True(),
                          "admission_date", -kUnbounded, -1),
      ColumnSpec::Records("last_discharge", ColumnKind::kLastDate, "apc_episodes", Expr::True(),
                          "admission_date", -1095, 365, "discharge_date"),
      ColumnSpec::Records("min_age", ColumnKind::kMinInt, "apc_episodes", Expr::True(),
                          "admission_date", -kUnbounded, kUnbounded, "age_on_admission"),
      ColumnSpec::Records("max_age_ae", ColumnKind::kMaxInt, "ae_attendances", Expr::True(),
                          "arrival_date", -365, 364, "age_at_arrival"),
      ColumnSpec::Records("sum_episodes", ColumnKind::kSumInt, "apc_episodes", Expr::True(),
                          "admission_date", -365, -1, "episode_number"),
      ColumnSpec::Records("bed_days", ColumnKind::kSumDays, "apc_episodes", emergency,
                          "admission_date", -365, -1, "episode_start_date", "episode_end_date"),
      ColumnSpec::Records("care_days_ever", ColumnKind::kSumDays, "social_care_events",
                          Expr::In("event_type", {"service"}), "event_start_date", -kUnbounded,
                          kUnbounded, "event_start_date", "event_end_date"),
      ColumnSpec::Records("care_after_discharge", ColumnKind::kCount, "apc_episodes",
                          Expr::Exists(followed_by_care, Expr::In("event_type", {"service"})),
                          "admission_date", -730, -1),
      ColumnSpec::Records("admitted_and_seen_by_gp", ColumnKind::kCount, "apc_episodes",
                          Expr::Exists(gp_in_year, Expr::True()), "admission_date", -365, -1),
      ColumnSpec::Records("gp_events_next_year", ColumnKind::kCount, "gp_events", Expr::True(),
                          "event_date", 0, 364),
  };
  return s;
}

class PersonTableSynthetic : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    synth::SynthOptions so;
    so.population = 200;
    so.seed = 7;
    so.out_dir = *tmp_ / "area";
    so.threads = 1;
    auto gen = synth::GenerateArea(so);
    ASSERT_TRUE(gen.ok()) << gen.status().ToString();
    db_ = *tmp_ / "p.db";
    auto r = RunPioneer("ingest --db " + db_ + " " + so.out_dir, *tmp_);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;  // 1: rows quarantined
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }

  void SetUp() override {
    auto store = store::Store::OpenSqlite(db_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }

  // The timeline with every field the specs and risk::BuildCohort read.
  timeline::Timeline Timeline(const std::vector<PersonTableSpec>& specs) {
    timeline::TimelineOptions o = risk::RiskTimelineOptions();
    for (const auto& s : specs) {
      o = metrics::MergeTimelineOptions(o, metrics::PersonTableTimelineOptions(s));
    }
    auto t = timeline::Timeline::Build(*store_, {}, o);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? std::move(*t) : timeline::Timeline();
  }

  static TempDir* tmp_;
  static std::string db_;
  std::unique_ptr<store::Store> store_;
};
TempDir* PersonTableSynthetic::tmp_ = nullptr;
std::string PersonTableSynthetic::db_;

TEST_F(PersonTableSynthetic, BothEnginesGiveIdenticalTables) {
  const Relation registered{Relation::Kind::kOpenOn,
                            "gp_registrations",
                            "registration_start_date",
                            "registration_end_date",
                            kIndexDate,
                            0,
                            0};
  const Relation admitted{
      Relation::Kind::kStartsWithin, "apc_episodes", "admission_date", "", kIndexDate, -365, -1};
  std::vector<PersonTableSpec> specs = {
      EveryKind(Expr::True()),
      EveryKind(
          Expr::And({Expr::Exists(registered, Expr::True()),
                     Expr::Not(Expr::PersonDate("death_date", kIndexDate, -kUnbounded, -1))})),
      EveryKind(Expr::Or({Expr::Exists(admitted, Expr::True()),
                          Expr::PersonDate("birth_date", kIndexDate, -kUnbounded, -75 * 365)})),
      risk::FeatureTableSpec(kIndex),
  };
  specs[0].exclude_objections = false;
  specs[1].distinct_rows = false;
  const timeline::Timeline t = Timeline(specs);
  auto ref = metrics::LoadReferenceData(*store_);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  metrics::FastEngine fast(t, *ref);
  metrics::SqlEngine sql(*store_);
  for (size_t i = 0; i < specs.size(); ++i) {
    auto a = fast.BuildPersonTable(specs[i]);
    auto b = sql.BuildPersonTable(specs[i]);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    ASSERT_TRUE(b.ok()) << b.status().ToString();
    EXPECT_EQ(metrics::FirstDifference(*a, *b), "") << "spec " << i;
    // An agreement on empty columns proves nothing: every column must vary or hold values
    // (but for risk features too rare among 200 people; RiskFeaturesEqualBuildCohort).
    ASSERT_GT(a->rows(), 20u) << "spec " << i;
    const std::set<std::string> rare = {"malnutrition", "memory_impairment", "mh_crisis_contacts",
                                        "respite", "delayed_discharges"};
    for (const auto& c : a->columns) {
      if (i == 3 && rare.count(c.name)) continue;
      std::set<int64_t> values;
      std::set<std::string> texts;
      for (size_t r = 0; r < a->rows(); ++r) {
        if (c.IsNull(r)) continue;
        values.insert(c.values[r]);
        if (c.type == metrics::ValueType::kText) texts.insert(c.text[r]);
      }
      const size_t distinct = c.type == metrics::ValueType::kText ? texts.size() : values.size();
      EXPECT_GE(distinct, 2u) << "spec " << i << " column " << c.name;
    }
  }
}

TEST_F(PersonTableSynthetic, RiskFeaturesEqualBuildCohort) {
  const PersonTableSpec spec = risk::FeatureTableSpec(kIndex);
  ASSERT_EQ(risk::TableFeatures().size(), static_cast<size_t>(risk::kFeatureCount));
  const timeline::Timeline t = Timeline({spec});
  auto inputs = risk::LoadRiskInputs(*store_);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  auto cohort = risk::BuildCohort(t, *inputs, kIndex);
  ASSERT_TRUE(cohort.ok()) << cohort.status().ToString();
  ASSERT_GT(cohort->rows(), 50u);
  auto ref = metrics::LoadReferenceData(*store_);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  metrics::FastEngine fast(t, *ref);
  metrics::SqlEngine sql(*store_);
  for (metrics::PersonTableEngine* engine : std::vector<metrics::PersonTableEngine*>{&fast, &sql}) {
    auto table = engine->BuildPersonTable(spec);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    const std::string name = engine == &fast ? "fast" : "sql";
    // The same people: the cohort's persons are the table's rows.
    ASSERT_EQ(table->rows(), cohort->rows()) << name;
    std::map<std::string_view, size_t> row_of;
    for (size_t r = 0; r < table->rows(); ++r) row_of[table->nhs_number[r]] = r;
    std::map<int, int> nonzero;  // per feature: cohort rows with a non-zero value
    for (size_t i = 0; i < cohort->rows(); ++i) {
      auto it = row_of.find(t.persons().nhs_number[cohort->person[i]]);
      ASSERT_NE(it, row_of.end()) << name << ": cohort row " << i << " has no table row";
      for (risk::Feature f : risk::TableFeatures()) {
        const float want = cohort->at(i, f);
        const float got = static_cast<float>(risk::FeatureFromTable(*table, it->second, f, kIndex));
        if (std::isnan(want)) {  // missing (IMD decile of an unlisted LSOA)
          ASSERT_TRUE(std::isnan(got))
              << name << ": feature " << risk::FeatureSpecs()[f].name << " of cohort row " << i;
          continue;
        }
        ASSERT_EQ(got, want) << name << ": feature " << risk::FeatureSpecs()[f].name
                             << " of cohort row " << i;
        nonzero[f] += want != 0;
      }
    }
    // Too rare to appear among 200 people (their values are still compared above; the same
    // column kinds are non-zero in other features).
    const std::set<risk::Feature> rare = {risk::kMalnutrition, risk::kMemoryImpairment,
                                          risk::kCrisisContacts, risk::kRespite,
                                          risk::kDelayedDischarges};
    for (risk::Feature f : risk::TableFeatures()) {
      if (rare.count(f)) continue;
      EXPECT_GT(nonzero[f], 0) << "feature " << risk::FeatureSpecs()[f].name << " never non-zero";
    }
  }
}

TEST_F(PersonTableSynthetic, CareTrakActivityEqualsPersonMonths) {
  // Every second person on the timeline, each at their own index date spread over two years.
  const PersonTableSpec probe = caretrak::ActivityTableSpec({{"9999999999", kIndex}}, 12, 12);
  const timeline::Timeline t = Timeline({probe});
  std::vector<metrics::PersonIndexDate> dates;
  std::vector<timeline::PersonIndex> people;
  for (timeline::PersonIndex p = 0; p < t.person_count(); p += 2) {
    const int32_t day = kIndex.days_since_epoch() - 365 + static_cast<int32_t>((p * 37) % 730);
    dates.push_back({std::string(t.persons().nhs_number[p]), Date::FromDaysSinceEpoch(day)});
    people.push_back(p);
  }
  const int kLookback = 12, kFollowup = 12, kMonths = kLookback + kFollowup;
  const PersonTableSpec spec = caretrak::ActivityTableSpec(dates, kLookback, kFollowup);
  auto inputs = risk::LoadRiskInputs(*store_);
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  auto activity = caretrak::ActivityContext::Create(t, *inputs);
  ASSERT_TRUE(activity.ok()) << activity.status().ToString();
  auto ref = metrics::LoadReferenceData(*store_);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  metrics::FastEngine fast(t, *ref);
  metrics::SqlEngine sql(*store_);
  for (metrics::PersonTableEngine* engine : std::vector<metrics::PersonTableEngine*>{&fast, &sql}) {
    const std::string name = engine == &fast ? "fast" : "sql";
    auto table = engine->BuildPersonTable(spec);
    ASSERT_TRUE(table.ok()) << name << ": " << table.status().ToString();
    ASSERT_EQ(table->rows(), dates.size()) << name;  // everyone listed, objectors included
    std::map<std::string_view, size_t> row_of;
    for (size_t r = 0; r < table->rows(); ++r) row_of[table->nhs_number[r]] = r;
    std::map<caretrak::Measure, double> total;
    std::vector<double> values(kMonths * caretrak::kMeasureCount), exposure(kMonths);
    for (size_t i = 0; i < people.size(); ++i) {
      activity->PersonMonths(people[i], dates[i].index_date.days_since_epoch(), kLookback,
                             kFollowup, values, exposure);
      const size_t row = row_of.at(dates[i].nhs_number);
      for (caretrak::Measure m : caretrak::TableMeasures()) {
        for (int k = -kLookback; k < kFollowup; ++k) {
          const metrics::PersonColumn* c = table->Find(caretrak::ActivityColumnName(m, k));
          ASSERT_NE(c, nullptr);
          const double want = values[(k + kLookback) * caretrak::kMeasureCount + m];
          ASSERT_EQ(static_cast<double>(c->values[row]), want)
              << name << ": " << caretrak::ActivityColumnName(m, k) << " of listed person " << i;
          total[m] += want;
        }
      }
    }
    // An agreement on zeros proves nothing: every measure is seen.
    for (caretrak::Measure m : caretrak::TableMeasures()) {
      EXPECT_GT(total[m], 0) << caretrak::MeasureSpecs()[m].name << " never counted";
    }
  }
}

}  // namespace
}  // namespace pioneer
