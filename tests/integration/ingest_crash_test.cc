// Crash safety: `pioneer ingest` is SIGKILLed part-way through a long run (a real child
// process). Afterwards the store must be consistent: integrity_check ok, the earlier run
// intact, the killed run either completely present or completely absent, and every table's
// row count equal to the reconciliation totals recorded for it. The next ingest completes.
#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "pioneer/ingest/testing/run_pioneer.h"
#include "pioneer/ingest/testing/sample_extracts.h"
#include "pioneer/store/store.h"

namespace pioneer {
namespace {

namespace fs = std::filesystem;

int64_t QueryInt(store::Store& s, const std::string& sql) {
  int64_t v = -1;
  Status st = s.Query(sql, {}, [&](const store::RowView& r) { v = r.Int(0); });
  EXPECT_TRUE(st.ok()) << st.ToString() << " in " << sql;
  return v;
}

// The invariants that must hold after any crash.
void ExpectConsistent(const std::string& db, int64_t min_runs, int64_t max_runs) {
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    std::string result;
    sqlite3_exec(
        raw, "PRAGMA integrity_check",
        [](void* out, int, char** v, char**) {
          *static_cast<std::string*>(out) += v[0] ? v[0] : "";
          return 0;
        },
        &result, nullptr);
    sqlite3_close(raw);
    EXPECT_EQ(result, "ok");
  }
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  store::Store& s = **store;
  int64_t runs = QueryInt(s, "SELECT count(*) FROM ingest_runs");
  EXPECT_GE(runs, min_runs);
  EXPECT_LE(runs, max_runs);
  // Every recorded run is complete: finished, with files and totals that add up.
  EXPECT_EQ(QueryInt(s, "SELECT count(*) FROM ingest_runs WHERE finished_at IS NULL"), 0);
  EXPECT_EQ(QueryInt(s,
                     "SELECT count(*) FROM ingest_runs r WHERE rows_read <> "
                     "(SELECT coalesce(sum(rows_read), 0) FROM ingest_files f "
                     "WHERE f.run_id = r.run_id)"),
            0);
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    std::string t(spec.table);
    EXPECT_EQ(*s.CountRows(t), QueryInt(s,
                                        "SELECT coalesce(sum(rows_accepted), 0) FROM ingest_files "
                                        "WHERE table_name = '" +
                                            t + "'"))
        << t;
    EXPECT_EQ(QueryInt(s, "SELECT count(*) FROM " + t +
                              " WHERE _run_id NOT IN (SELECT run_id FROM ingest_runs)"),
              0)
        << t;
  }
  EXPECT_EQ(QueryInt(s, "SELECT count(*) FROM quarantine"),
            QueryInt(s, "SELECT coalesce(sum(rows_quarantined), 0) FROM ingest_files"));
}

TEST(IngestCrashTest, KilledRunLeavesAllOrNothingAndNextRunCompletes) {
  fs::path root = fs::path(::testing::TempDir()) / "pioneer_ingest_crash";
  fs::remove_all(root);
  std::string db = (root / "store.db").string();

  // A committed run that must survive the crash untouched.
  ingest::testing::WriteValidArea(root / "first", 20, 21);
  auto first = ingest::testing::RunPioneer({"ingest", "--db", db, (root / "first").string()});
  ASSERT_EQ(first.exit_code, 0) << first.err;

  // A large second area: a few hundred thousand GP events plus smaller files.
  {
    std::mt19937_64 rng(22);
    const formats::ExtractSpec& spec = *formats::FindExtract("gp_events.csv");
    std::vector<ingest::testing::Row> rows;
    const int n = 300000;
    rows.reserve(n);
    for (int i = 0; i < n; ++i) rows.push_back(ingest::testing::ValidRow(spec, rng, i));
    rows[1234][3] = "2014-02-30";  // one quarantined row
    ingest::testing::WriteFile(root / "big" / "gp_events.csv",
                               ingest::testing::ToCsv(ingest::testing::Header(spec), rows));
    ingest::testing::WriteValidArea(root / "small", 50, 23);
    for (const char* f : {"pds.csv", "apc_episodes.csv", "social_care_events.csv"}) {
      fs::copy_file(root / "small" / f, root / "big" / f);
    }
  }

  // Kill runs once they have spilled uncommitted pages into the WAL (a 1 MB cache makes that
  // happen early): first early in the load, then late in it. A deadline bounds the wait.
  for (uintmax_t wal_threshold : {uintmax_t{4} << 20, uintmax_t{20} << 20}) {
    SCOPED_TRACE("kill when the WAL exceeds " + std::to_string(wal_threshold >> 20) + " MB");
    std::string out = (root / "out.txt").string(), err = (root / "err.txt").string();
    pid_t pid = ingest::testing::SpawnPioneer(
        {"ingest", "--cache-mb", "1", "--db", db, (root / "big").string()}, out, err);
    ASSERT_GT(pid, 0);
    // Generous deadline: under sanitizers on a busy CI machine the run is slow, and the loop
    // ends as soon as the threshold is reached or the child exits by itself.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    bool reached = false, exited = false;
    int status = 0;
    std::error_code ec;
    while (!reached && !exited && std::chrono::steady_clock::now() < deadline) {
      auto wal = fs::file_size(db + "-wal", ec);
      reached = !ec && wal > wal_threshold;
      exited = waitpid(pid, &status, WNOHANG) == pid;
      if (!reached && !exited) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_FALSE(exited) << "the run finished before the kill; make the data larger";
    ASSERT_EQ(kill(pid, SIGKILL), 0);
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    EXPECT_TRUE(reached) << "the WAL never grew past the threshold";
    // Killed mid-load: the run cannot have committed, so only the first run is there.
    ExpectConsistent(db, 1, 1);
  }

  // The next ingest completes and stores the whole area exactly once.
  auto again = ingest::testing::RunPioneer({"ingest", "--db", db, (root / "big").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  ExpectConsistent(db, 2, 2);
  auto store = store::Store::OpenSqlite(db);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(QueryInt(**store, "SELECT count(*) FROM gp_events WHERE _run_id = 2"), 299999);
  EXPECT_EQ(QueryInt(**store, "SELECT count(*) FROM gp_events WHERE _run_id = 1"), 20);
  EXPECT_EQ(QueryInt(**store, "SELECT count(*) FROM quarantine WHERE run_id = 2"), 1);
  store->reset();
  fs::remove_all(root);
}

}  // namespace
}  // namespace pioneer
