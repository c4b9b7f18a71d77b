// What `pioneer demo` shares between steps gives the figures a fresh run would, on synthetic
// areas of several seeds:
// - the registered population of the reference data (read once per table, counted in C++)
//   equals the SQL that defines it, cell by cell, for every year and breakdown group;
// - metrics evaluated on a timeline built before risk strata were saved, then
//   metrics::ReevaluateDerived for the risk_strata definitions, equal an evaluation of the
//   same store on a fresh timeline (what `pioneer metrics` would do), value for value;
// - a partial timeline (TimelineOptions::only_tables) is never written as a snapshot.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "pioneer/careplan/plan_import.h"
#include "pioneer/metrics/evaluate.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/metrics/run.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/snapshot.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;

// The definition of ReferenceData::registered (reference_data.cc), as SQL, per 1 April.
constexpr const char* kRegisteredSql =
    "WITH person AS (SELECT nhs_number, sex, birth_date, death_date, lsoa_code, "
    "row_number() OVER (PARTITION BY nhs_number ORDER BY rowid) AS rn FROM pds "
    "WHERE nhs_number_status = 'valid' AND record_type = 'current'), "
    "reg AS (SELECT nhs_number, gp_practice_code, row_number() OVER (PARTITION BY "
    "nhs_number ORDER BY registration_start_date DESC, rowid DESC) AS rn FROM "
    "gp_registrations WHERE nhs_number_status = 'valid' AND registration_start_date <= ?1 "
    "AND (registration_end_date IS NULL OR registration_end_date = '' OR "
    "registration_end_date > ?1)) "
    "SELECT CAST(p.sex AS INTEGER), (CAST(strftime('%Y', ?1) AS INTEGER) - "
    "CAST(strftime('%Y', p.birth_date) AS INTEGER)) - (strftime('%m-%d', ?1) < "
    "strftime('%m-%d', p.birth_date)) AS age, g.gp_practice_code, "
    "coalesce(p.lsoa_code, ''), count(*) FROM person p JOIN reg g ON g.nhs_number = "
    "p.nhs_number AND g.rn = 1 WHERE p.rn = 1 AND p.birth_date IS NOT NULL AND "
    "p.birth_date <= ?1 AND (p.death_date IS NULL OR p.death_date = '' OR p.death_date > "
    "?1) GROUP BY 1, 2, 3, 4";

class SharedInputs : public ::testing::TestWithParam<int> {};

TEST_P(SharedInputs, DemoSharingGivesTheFiguresOfAFreshRun) {
  TempDir tmp;
  synth::SynthOptions so;
  so.population = 250;
  so.seed = static_cast<uint64_t>(GetParam());
  so.out_dir = tmp / "area";
  so.threads = 1;
  ASSERT_TRUE(synth::GenerateArea(so).ok());
  const std::string db = tmp / "area.db";
  auto r = RunPioneer("ingest --db " + db + " " + so.out_dir, tmp);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE(
      careplan::ImportPlans(**store, so.out_dir + "/care_plans/care_plans.csv", "test").ok());

  // 1. The registered population against its SQL definition.
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok()) << ref.status().ToString();
  ASSERT_GT(ref->max_year, 0);
  std::map<std::tuple<int, int, int>, int64_t> registered;
  std::map<std::tuple<metrics::Breakdown, std::string, int>, std::array<int64_t, 182>> groups;
  for (int year = ref->min_year; year <= ref->max_year; ++year) {
    const std::vector<store::Param> day = {store::Param::Of(fmt::format("{:04d}-04-01", year))};
    ASSERT_TRUE((*store)
                    ->Query(kRegisteredSql, day,
                            [&](const store::RowView& row) {
                              const int sex = static_cast<int>(row.Int(0));
                              if (sex != 1 && sex != 2) return;
                              const int age = static_cast<int>(std::min<int64_t>(row.Int(1), 90));
                              if (age < 0) return;
                              const int64_t n = row.Int(4);
                              registered[{year, sex, age}] += n;
                              const size_t cell = static_cast<size_t>((sex - 1) * 91 + age);
                              const std::string practice(row.Text(2));
                              if (!practice.empty()) {
                                auto ccg = ref->practice_ccg.find(practice);
                                if (ccg != ref->practice_ccg.end()) {
                                  groups[{metrics::Breakdown::kCcg, ccg->second, year}][cell] += n;
                                }
                                groups[{metrics::Breakdown::kPractice, practice, year}][cell] += n;
                              }
                              auto imd = ref->lsoa_imd.find(std::string(row.Text(3)));
                              if (imd != ref->lsoa_imd.end()) {
                                groups[{metrics::Breakdown::kDeprivation,
                                        std::to_string(imd->second), year}][cell] += n;
                              }
                            })
                    .ok());
  }
  EXPECT_FALSE(registered.empty());
  EXPECT_EQ(ref->registered, registered);
  EXPECT_EQ(ref->registered_groups, groups);

  // 2. A timeline from before the strata, then the strata saved (made up from the NHS
  // Number's digits, adults and children, with and without plans).
  auto sw = metrics::ResolveSwitches({});
  ASSERT_TRUE(sw.ok());
  const auto topt = metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw));
  auto before = timeline::Timeline::Build(**store, {}, topt);
  ASSERT_TRUE(before.ok());
  Status saved = (*store)->InTransaction([&]() -> Status {
    for (const char* day : {"2014-07-01", "2015-01-01", "2015-04-01"}) {
      const std::vector<store::Param> params = {store::Param::Of(std::string(day))};
      auto ins = (*store)->Execute(
          "INSERT OR IGNORE INTO risk_strata(nhs_number, index_date, model_id, practice, age, "
          "top2_practice, top4_practice, loa_band, saved_at) "
          "SELECT nhs_number, ?1, 'sha256:test', coalesce(gp_practice_code, ''), "
          "CAST(strftime('%Y', ?1) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER), "
          "CAST(substr(nhs_number, 8, 2) AS INTEGER) % 5 = 0, "
          "CAST(substr(nhs_number, 8, 2) AS INTEGER) % 3 = 0 OR nhs_number IN "
          "(SELECT nhs_number FROM care_plans), "
          "1 + CAST(substr(nhs_number, 7, 3) AS INTEGER) % 5, '2016-04-01T00:00:00Z' "
          "FROM pds WHERE record_type = 'current' AND nhs_number_status = 'valid' AND "
          "birth_date IS NOT NULL AND birth_date <> '' AND birth_date < ?1",
          params);
      if (!ins.ok()) return ins.status();
    }
    return OkStatus();
  });
  ASSERT_TRUE(saved.ok()) << saved.ToString();

  metrics::EvaluateStoreOptions mo;
  mo.range = *Period::Parse("2014-04..2015-06");
  mo.granularities = {metrics::Granularity::kQuarter, metrics::Granularity::kYear};
  mo.reference = &*ref;
  mo.timeline = &*before;
  auto shared = metrics::EvaluateStore(**store, mo);
  ASSERT_TRUE(shared.ok()) << shared.status().ToString();
  ASSERT_TRUE(metrics::ReevaluateDerived(**store, mo, {"risk_strata"}, *shared).ok());

  auto fresh_timeline = timeline::Timeline::Build(**store, {}, topt);
  ASSERT_TRUE(fresh_timeline.ok());
  metrics::EvaluateStoreOptions fo = mo;
  fo.reference = nullptr;  // loaded again, from the store as it is now
  fo.timeline = &*fresh_timeline;
  auto fresh = metrics::EvaluateStore(**store, fo);
  ASSERT_TRUE(fresh.ok()) << fresh.status().ToString();
  EXPECT_EQ(metrics::ReportJson(*shared), metrics::ReportJson(*fresh));
  double stratified = 0;
  for (const auto& v : fresh->values) {
    if (v.metric_id == "nc_adults_stratified" && v.numerator) stratified += *v.numerator;
  }
  EXPECT_GT(stratified, 0) << "no strata were counted: the comparison would prove nothing";

  // 3. A partial timeline is refused as a snapshot.
  timeline::TimelineOptions partial_options = topt;
  partial_options.only_tables = {"risk_strata"};
  auto partial = timeline::Timeline::Build(**store, {}, partial_options);
  ASSERT_TRUE(partial.ok());
  Status w = timeline::WriteSnapshot(*partial, store::StoreGeneration{}, tmp / "partial.timeline");
  EXPECT_EQ(w.code(), StatusCode::kInvalidArgument) << w.ToString();
}

INSTANTIATE_TEST_SUITE_P(Seeds, SharedInputs, ::testing::Values(3, 8));

}  // namespace
}  // namespace pioneer
