// Drill-down through the IG gate (docs/ig.md R24; metrics/drill_down.h): a GP gets the rows
// of a metric's numerator placed on their own registered patients and nothing else, an analyst
// gets none, every person shown is audited with the rows shown, and the withheld rows are
// audited in one entry.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "pioneer/ig/audit.h"
#include "pioneer/ig/gate.h"
#include "pioneer/metrics/drill_down.h"
#include "pioneer/metrics/fast_engine.h"
#include "pioneer/metrics/reference_data.h"
#include "pioneer/store/store.h"
#include "pioneer/synth/generator.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;

TEST(MetricsDrillDown, TheGateShowsAGpTheirOwnPatientsRowsOnly) {
  TempDir tmp;
  synth::SynthOptions so;
  so.population = 600;
  so.seed = 5;
  so.out_dir = tmp / "area";
  so.threads = 1;
  ASSERT_TRUE(synth::GenerateArea(so).ok());
  const std::string db = tmp / "area.db";
  auto r = RunPioneer("ingest --progress never --db " + db + " " + so.out_dir, tmp);
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  auto ref = metrics::LoadReferenceData(**store);
  ASSERT_TRUE(ref.ok());
  auto sw = metrics::ResolveSwitches({});
  ASSERT_TRUE(sw.ok());
  auto t = timeline::Timeline::Build(
      **store, {}, metrics::RequiredTimelineOptions(metrics::BuildCatalogue(*sw)));
  ASSERT_TRUE(t.ok());
  metrics::FastEngine fast(*t, *ref);
  const metrics::DrillDownRequest request{"total_non_elective",
                                          {"2013/14..2015/16", *Period::Parse("2013-04..2016-03")},
                                          metrics::Breakdown::kNone,
                                          "all"};
  auto all = metrics::NumeratorRows(fast, *sw, request);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->source_table, "apc_episodes");
  ASSERT_GT(all->row_ids.size(), 50u);

  // Each row's practice (the current PDS practice of the person it is on), by hand.
  std::map<int64_t, std::string> practice_of;
  ASSERT_TRUE((*store)
                  ->Query("SELECT a.rowid, p.gp_practice_code FROM apc_episodes a JOIN pds p ON "
                          "p.nhs_number = a.nhs_number AND p.record_type = 'current' AND "
                          "p.nhs_number_status = 'valid' WHERE a.nhs_number_status = 'valid'",
                          {},
                          [&](const store::RowView& row) {
                            practice_of[row.Int(0)] = std::string(row.Text(1));
                          })
                  .ok());
  std::map<std::string, int> rows_per_practice;
  for (int64_t row : all->row_ids) {
    if (practice_of.count(row)) ++rows_per_practice[practice_of[row]];
  }
  ASSERT_GE(rows_per_practice.size(), 2u);
  const std::string practice =
      std::max_element(rows_per_practice.begin(), rows_per_practice.end(),
                       [](const auto& a, const auto& b) { return a.second < b.second; })
          ->first;

  ig::Principal gp;
  gp.user_id = 1;
  gp.username = "dr.drill";
  gp.role = ig::Role::kGp;
  gp.org_code = practice;
  ig::Gate gate(**store, 1'800'000'000);
  auto shown = metrics::DrillDown(fast, *sw, request, gate, gp);
  ASSERT_TRUE(shown.ok()) << shown.status().ToString();
  // Every row of the practice's registered patients, and nothing else (R1 also admits an open
  // GP registration at the practice: such rows are the practice's too).
  std::set<int64_t> expected;
  for (int64_t row : all->row_ids) {
    if (practice_of.count(row) && practice_of[row] == practice) expected.insert(row);
  }
  const std::set<int64_t> got(shown->row_ids.begin(), shown->row_ids.end());
  EXPECT_TRUE(std::includes(got.begin(), got.end(), expected.begin(), expected.end()));
  for (int64_t row : got) {
    EXPECT_TRUE(std::binary_search(all->row_ids.begin(), all->row_ids.end(), row));
  }
  EXPECT_LT(got.size(), all->row_ids.size());
  EXPECT_FALSE(got.empty());

  ig::Principal analyst = gp;
  analyst.username = "ana";
  analyst.role = ig::Role::kAnalyst;
  auto none = metrics::DrillDown(fast, *sw, request, gate, analyst);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->row_ids.empty());

  // The audit: one permitted entry per person shown (rows counted), one denial entry per
  // request that withheld anything, and no NHS Number in the denials.
  ig::AuditQuery q;
  q.limit = 100000;
  int64_t total = 0;
  auto entries = ig::AuditLog(**store).Search(q, &total);
  ASSERT_TRUE(entries.ok());
  int64_t permitted_rows = 0, denials = 0;
  for (const ig::AuditEntry& e : *entries) {
    ASSERT_EQ(e.action, "metrics.drill-down");
    if (e.outcome == "permitted") {
      EXPECT_EQ(e.username, "dr.drill");
      EXPECT_TRUE(e.nhs_number.has_value());
      ASSERT_EQ(e.returned.rfind("apc_episodes:", 0), 0u) << e.returned;
      permitted_rows += std::stoll(e.returned.substr(13));
    } else {
      EXPECT_EQ(e.outcome, "denied");
      EXPECT_FALSE(e.nhs_number.has_value());
      ++denials;
    }
  }
  EXPECT_EQ(permitted_rows, static_cast<int64_t>(shown->row_ids.size()));
  EXPECT_EQ(denials, 2);  // the GP's other rows, and all of the analyst's
}

}  // namespace
}  // namespace pioneer
