#include "pioneer/ingest/ingest_report.h"

#include <gtest/gtest.h>

namespace pioneer::ingest {
namespace {

TEST(IngestReportTest, ReconciliationTable) {
  IngestReport r;
  r.run_id = 3;
  r.source_dir = "/data/area";
  FileReport a;
  a.file_name = "apc_episodes.csv";
  a.size_bytes = 2'500'000;
  a.rows_read = 12345;
  a.rows_accepted = 12300;
  a.rows_quarantined = 45;
  a.quarantined_by_reason = {{"bad_icd10", 40}, {"date_order", 5}};
  FileReport b;
  b.file_name = "pds.csv";
  b.outcome = FileOutcome::kAlreadyIngested;
  b.previous_run_id = 2;
  r.files = {a, b};
  r.bytes_ingested = 2'500'000;
  r.seconds = 0.5;
  r.unknown_files = {"notes.txt"};
  r.ignored = {"truth/ (ground truth)"};
  std::string t = FormatReconciliation(r);
  EXPECT_NE(t.find("Ingest run 3 from /data/area"), std::string::npos) << t;
  EXPECT_NE(t.find("apc_episodes.csv                 2.5       12,345       12,300           45"
                   "  ok (bad_icd10 40, date_order 5)"),
            std::string::npos)
      << t;
  EXPECT_NE(t.find("already ingested in run 2: skipped"), std::string::npos);
  EXPECT_NE(t.find("total"), std::string::npos);
  EXPECT_NE(t.find("skipped (not a known extract): notes.txt"), std::string::npos);
  EXPECT_NE(t.find("ignored: truth/"), std::string::npos);
  EXPECT_EQ(r.files_ingested(), 1);
  EXPECT_EQ(r.files_skipped(), 1);
  EXPECT_EQ(r.rows_read(), 12345);

  r.files[0].rows_accepted = 1;  // a broken reconciliation is shown, not hidden
  EXPECT_NE(FormatReconciliation(r).find("MISMATCH"), std::string::npos);
}

}  // namespace
}  // namespace pioneer::ingest
