#include "pioneer/store/sqlite_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/extract_tables.h"
#include "pioneer/store/sql_dialect.h"
#include "pioneer/store/sqlite_schema.h"
#include "pioneer/store/store.h"

namespace pioneer::store {
namespace {

namespace fs = std::filesystem;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_store_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Runs SQL on the file directly, outside the Store.
  void RawExec(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
  }

  std::string ReadBytes() {
    std::ifstream in(path_, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }

  std::vector<std::string> Column(Store& s, const std::string& sql) {
    std::vector<std::string> out;
    Status st = s.Query(sql, {}, [&](const RowView& r) { out.emplace_back(r.Text(0)); });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  fs::path dir_;
  std::string path_;
};

const formats::ExtractSpec& Spec(const char* file) { return *formats::FindExtract(file); }

TEST_F(SqliteStoreTest, CreatesVersionedSchemaWithEveryExtractTable) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Store& s = **store;
  EXPECT_EQ(Column(s, "SELECT value FROM meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(Store::kSchemaVersion)});
  EXPECT_EQ(Column(s, "SELECT journal_mode FROM pragma_journal_mode()"),
            std::vector<std::string>{"wal"});
  for (const char* t : {"meta", "ingest_runs", "ingest_files", "quarantine"}) {
    EXPECT_TRUE(s.HasTable(t)) << t;
  }
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    ASSERT_TRUE(s.HasTable(spec.table)) << spec.table;
    std::vector<std::string> cols =
        Column(s, "SELECT name FROM pragma_table_info('" + std::string(spec.table) + "')");
    std::vector<std::string> want;
    for (const ColumnDef& c : ExtractDataColumns(spec)) want.push_back(c.name);
    want.emplace_back(kRunIdColumn);
    want.emplace_back(kLineColumn);
    want.emplace_back(kRowColumn);
    EXPECT_EQ(cols, want) << spec.table;
    // The row id is a column of its own: the INTEGER PRIMARY KEY, an alias of the rowid.
    EXPECT_EQ(Column(s, "SELECT name FROM pragma_table_info('" + std::string(spec.table) +
                            "') WHERE pk = 1"),
              std::vector<std::string>{std::string(kRowColumn)})
        << spec.table;
    EXPECT_EQ(*s.CountRows(spec.table), 0);
  }
  // NHS Number fields get a status column.
  std::vector<std::string> pds_cols = Column(s, "SELECT name FROM pragma_table_info('pds')");
  EXPECT_NE(std::find(pds_cols.begin(), pds_cols.end(), "nhs_number_status"), pds_cols.end());
  store->reset();
  // Reopening an existing store is fine.
  EXPECT_TRUE(Store::OpenSqlite(path_).ok());
}

TEST_F(SqliteStoreTest, NewerSchemaVersionIsRefused) {
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  RawExec("UPDATE meta SET value = '" + std::to_string(Store::kSchemaVersion + 1) +
          "' WHERE key = 'schema_version'");
  auto store = Store::OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("newer than this Pioneer"), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find(path_), std::string::npos);
}

TEST_F(SqliteStoreTest, UnknownSchemaVersionIsRefused) {
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  RawExec("UPDATE meta SET value = 'banana' WHERE key = 'schema_version'");
  auto store = Store::OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("unknown store schema version 'banana'"),
            std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, ChangedExtractFormatsWithoutMigrationAreRefused) {
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  RawExec("UPDATE meta SET value = 'x' WHERE key = 'extract_tables_sha256'");
  auto store = Store::OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("different extract formats"), std::string::npos);
}

TEST_F(SqliteStoreTest, ForeignSqliteDatabaseIsRefusedAndLeftUntouched) {
  RawExec("CREATE TABLE patients(id INTEGER, name TEXT); INSERT INTO patients VALUES(1, 'x');");
  std::string before = ReadBytes();
  auto store = Store::OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("not a Pioneer store"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(ReadBytes(), before);
  EXPECT_FALSE(fs::exists(path_ + "-wal"));
}

TEST_F(SqliteStoreTest, NonSqliteFileIsRefused) {
  {
    std::ofstream out(path_);
    out << "nhs_number,name\n9434765919,someone\n";
    for (int i = 0; i < 100; ++i) out << "padding line to make the file longer than a header\n";
  }
  auto store = Store::OpenSqlite(path_);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("not an SQLite database"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, UnopenablePathIsUnavailable) {
  const std::string path = (dir_ / "no" / "such" / "dir" / "x.db").string();
  auto store = Store::OpenSqlite(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  // Regression: the message named neither the path nor the reason.
  EXPECT_NE(store.status().message().find("cannot open store '" + path + "'"), std::string::npos)
      << store.status().message();
  EXPECT_NE(store.status().message().find("does not exist"), std::string::npos)
      << store.status().message();
}

// Regression: readers created an empty store at a mistyped path.
TEST_F(SqliteStoreTest, OpenExistingNeverCreatesAStore) {
  const std::string typo = (dir_ / "typo.db").string();
  auto store = Store::OpenExistingSqlite(typo);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  EXPECT_NE(store.status().message().find("no store at '" + typo + "'"), std::string::npos);
  EXPECT_FALSE(fs::exists(typo));
  { std::ofstream empty(typo); }
  store = Store::OpenExistingSqlite(typo);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fs::file_size(typo), 0u);
  store = Store::OpenExistingSqlite(dir_.string());
  EXPECT_EQ(store.status().code(), StatusCode::kNotFound);
  // A real store opens.
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  EXPECT_TRUE(Store::OpenExistingSqlite(path_).ok());
}

std::vector<Cell> LsoaRow(const char* code) {
  return {Cell::Text(code), Cell::Text("Leeds 001A"), Cell::Text("E08000035"), Cell::Int(3)};
}

TEST_F(SqliteStoreTest, IngestRunCommitsAtomically) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  {
    auto w = s.BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    EXPECT_EQ((*w)->run_id(), 1);
    auto row = LsoaRow("E01000001");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    // Dropped without Commit: rolled back.
  }
  EXPECT_EQ(*s.CountRows("lsoa"), 0);
  EXPECT_EQ(*s.CountRows("ingest_runs"), 0);

  auto w = s.BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {});
  ASSERT_TRUE(w.ok());
  IngestWriter& wr = **w;
  for (int i = 0; i < 3; ++i) {
    auto row = LsoaRow(i == 0 ? "E01000001" : i == 1 ? "E01000002" : "E01000003");
    ASSERT_TRUE(wr.AppendRow(Spec("lsoa.csv"), i + 2, row).ok());
  }
  auto bad_width = LsoaRow("E01");
  bad_width.pop_back();
  EXPECT_EQ(wr.AppendRow(Spec("lsoa.csv"), 9, bad_width).code(), StatusCode::kInternal);
  ASSERT_TRUE(wr.AddQuarantine({"lsoa.csv", 5, "imd_decile", "ten", "bad_integer", "not an integer",
                                1, "E01,x,E08,ten"})
                  .ok());
  ASSERT_TRUE(wr.RecordFile({"lsoa.csv", "lsoa", 100, std::string(64, 'a'), 4, 3, 1,
                             "2015-01-01T00:00:00Z", "2015-01-01T00:00:01Z"})
                  .ok());
  auto found = wr.FindRunWithChecksum(std::string(64, 'a'));
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(*found, std::optional<int64_t>(wr.run_id()));
  EXPECT_EQ(*wr.FindRunWithChecksum(std::string(64, 'b')), std::nullopt);
  ASSERT_TRUE(wr.Commit({"2015-01-01T00:00:02Z", 1, 0, 4, 3, 1}).ok());
  w->reset();

  EXPECT_EQ(*s.CountRows("lsoa"), 3);
  EXPECT_EQ(*s.CountRows("quarantine"), 1);
  EXPECT_EQ(Column(s, "SELECT rows_read || '/' || files_ingested FROM ingest_runs"),
            std::vector<std::string>{"4/1"});
  std::vector<std::string> cols = {"lsoa_code", "_line", "imd_decile"};
  std::vector<std::string> got;
  ASSERT_TRUE(s.Scan("lsoa", cols, [&](const RowView& r) {
                 got.push_back(std::string(r.Text(0)) + "@" + std::to_string(r.Int(1)) + "=" +
                               std::to_string(r.Int(2)));
               }).ok());
  EXPECT_EQ(got, (std::vector<std::string>{"E01000001@2=3", "E01000002@3=3", "E01000003@4=3"}));
  // "rowid" is a valid Scan column (readers use it to point back at a row).
  std::vector<std::string> rowid_cols = {"rowid", "lsoa_code"};
  std::vector<int64_t> rowids;
  ASSERT_TRUE(
      s.Scan("lsoa", rowid_cols, [&](const RowView& r) { rowids.push_back(r.Int(0)); }).ok());
  EXPECT_EQ(rowids, (std::vector<int64_t>{1, 2, 3}));
  // ... and is the _row column.
  EXPECT_EQ(Column(s, "SELECT group_concat(_row, ',') FROM lsoa WHERE _row = rowid"),
            std::vector<std::string>{"1,2,3"});
  // Indexes exist after the first committed run.
  EXPECT_EQ(Column(s,
                   "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = "
                   "'idx_apc_episodes_nhs_number'"),
            std::vector<std::string>{"1"});
}

TEST_F(SqliteStoreTest, ReadInterfaceErrors) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  EXPECT_EQ(s.CountRows("nope").status().code(), StatusCode::kNotFound);
  std::vector<std::string> cols = {"x"};
  EXPECT_EQ(s.Scan("nope", cols, [](const RowView&) {}).code(), StatusCode::kNotFound);
  EXPECT_EQ(s.Scan("lsoa", cols, [](const RowView&) {}).code(), StatusCode::kNotFound);
  EXPECT_EQ(s.Query("DELETE FROM lsoa", {}, [](const RowView&) {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(s.Query("SELECT 1; SELECT 2", {}, [](const RowView&) {}).code(),
            StatusCode::kInvalidArgument);
  std::vector<Param> params = {Param::Of(std::string_view("a")), Param::Of(int64_t{7}),
                               Param::Of(2.5), Param::Null()};
  std::string seen;
  ASSERT_TRUE(s.Query("SELECT ?1, ?2, ?3, ?4 IS NULL", params, [&](const RowView& r) {
                 seen = std::string(r.Text(0)) + std::to_string(r.Int(1)) +
                        std::to_string(r.Real(2)) + std::to_string(r.Int(3)) +
                        (r.IsNull(0) ? "null" : "");
               }).ok());
  EXPECT_EQ(seen, "a72.5000001");
}

// Query reuses prepared statements: the same SQL again gives fresh results with new
// parameters, a callback may run the same SQL (nested) and gets its own statement, a failed
// callback leaves nothing open, and a returned query holds no read transaction (another
// connection can then checkpoint the whole WAL).
TEST_F(SqliteStoreTest, NestedTransactionsAreSavepointsUndoneAlone) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.Execute("CREATE TABLE t(k INTEGER)", {}).ok());
  auto add = [&](int64_t k) {
    Param p[] = {Param::Of(k)};
    return s.Execute("INSERT INTO t VALUES(?1)", p).status();
  };
  auto keys = [&] {
    std::vector<int64_t> out;
    EXPECT_TRUE(s.Query("SELECT k FROM t ORDER BY k", {}, [&](const RowView& r) {
                   out.push_back(r.Int(0));
                 }).ok());
    return out;
  };
  // An inner failure undoes only the inner work; the outer commits the rest.
  ASSERT_TRUE(s.InTransaction([&]() -> Status {
                 PIONEER_RETURN_IF_ERROR(add(1));
                 Status inner = s.InTransaction([&]() -> Status {
                   PIONEER_RETURN_IF_ERROR(add(2));
                   return InvalidArgumentError("inner fails");
                 });
                 EXPECT_FALSE(inner.ok());
                 PIONEER_RETURN_IF_ERROR(s.InTransaction([&] { return add(3); }));
                 return OkStatus();
               }).ok());
  EXPECT_EQ(keys(), (std::vector<int64_t>{1, 3}));
  // An outer failure undoes an inner unit that had succeeded.
  EXPECT_FALSE(s.InTransaction([&]() -> Status {
                  PIONEER_RETURN_IF_ERROR(s.InTransaction([&] { return add(4); }));
                  return InvalidArgumentError("outer fails");
                }).ok());
  EXPECT_EQ(keys(), (std::vector<int64_t>{1, 3}));
  // A throwing unit is rolled back and the connection is usable again.
  EXPECT_THROW((void)s.InTransaction([&]() -> Status {
    EXPECT_TRUE(add(5).ok());
    throw std::runtime_error("handler threw");
  }),
               std::runtime_error);
  EXPECT_EQ(keys(), (std::vector<int64_t>{1, 3}));
  ASSERT_TRUE(s.InTransaction([&] { return add(6); }).ok());
  EXPECT_EQ(keys(), (std::vector<int64_t>{1, 3, 6}));
}

TEST_F(SqliteStoreTest, QueryStatementCacheIsReentrantAndHoldsNothingOpen) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  ASSERT_TRUE(s.Execute("CREATE TABLE t(k INTEGER, v TEXT)", {}).ok());
  for (int k = 1; k <= 3; ++k) {
    Param p[] = {Param::Of(int64_t{k}), Param::Of("v" + std::to_string(k))};
    ASSERT_TRUE(s.Execute("INSERT INTO t VALUES(?1, ?2)", p).ok());
  }
  const std::string sql = "SELECT v FROM t WHERE k >= ?1 ORDER BY k";
  auto values = [&](int64_t from) {
    std::vector<std::string> out;
    Param p[] = {Param::Of(from)};
    EXPECT_TRUE(s.Query(sql, p, [&](const RowView& r) { out.emplace_back(r.Text(0)); }).ok());
    return out;
  };
  EXPECT_EQ(values(2), (std::vector<std::string>{"v2", "v3"}));
  EXPECT_EQ(values(1), (std::vector<std::string>{"v1", "v2", "v3"}));
  // Nested: the outer statement is still stepping while the inner one runs.
  std::vector<std::string> pairs;
  Param outer[] = {Param::Of(int64_t{2})};
  ASSERT_TRUE(s.Query(sql, outer, [&](const RowView& r) {
                 std::string o(r.Text(0));
                 for (const std::string& i : values(3)) pairs.push_back(o + i);
               }).ok());
  EXPECT_EQ(pairs, (std::vector<std::string>{"v2v3", "v3v3"}));
  // A callback that throws (the server's handlers do) leaves the statement reusable.
  EXPECT_THROW((void)s.Query(sql, outer, [](const RowView&) { throw std::runtime_error("x"); }),
               std::runtime_error);
  EXPECT_EQ(values(3), (std::vector<std::string>{"v3"}));
  // Stopped half way (LIMIT-like early stop is the callback ignoring rows): still released.
  int seen = 0;
  ASSERT_TRUE(s.Query(sql, outer, [&](const RowView&) { ++seen; }).ok());
  EXPECT_EQ(seen, 2);
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
  int log = -1, done = -1;
  EXPECT_EQ(sqlite3_wal_checkpoint_v2(other, nullptr, SQLITE_CHECKPOINT_TRUNCATE, &log, &done),
            SQLITE_OK);
  EXPECT_EQ(log, done);
  sqlite3_close(other);
  // Writing through Query is still refused, cached or not.
  EXPECT_EQ(s.Query("DELETE FROM t", {}, [](const RowView&) {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(s.Query("DELETE FROM t", {}, [](const RowView&) {}).code(),
            StatusCode::kInvalidArgument);
}

// "Only ingest writes extract tables" is a property of the connection, not a comment: the
// authorizer refuses every write to an extract table outside the ingest writer, naming the
// table, and leaves the other tables and the ingest writer alone.
TEST_F(SqliteStoreTest, OnlyTheIngestWriterWritesExtractTables) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Store& s = **store;
  {
    auto w = s.BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    auto row = LsoaRow("E01000001");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    ASSERT_TRUE((*w)->Commit({"2015-01-01T00:00:02Z", 1, 0, 1, 1, 0}).ok());
  }
  ASSERT_EQ(*s.CountRows("lsoa"), 1);
  const std::vector<std::string> refused = {
      "INSERT INTO lsoa(lsoa_code, _run_id, _line) VALUES('E01000002', 1, 3)",
      "UPDATE lsoa SET imd_decile = 9",
      "DELETE FROM lsoa",
      "DROP TABLE lsoa",
      "ALTER TABLE lsoa ADD COLUMN extra TEXT",
      "ALTER TABLE lsoa RENAME TO lsoa_old",
      "UPDATE pds SET sex = '1'",
  };
  for (const std::string& sql : refused) {
    auto r = s.Execute(sql, {});
    ASSERT_FALSE(r.ok()) << sql;
    EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition) << sql;
    EXPECT_NE(r.status().message().find(sql.find("pds") != std::string::npos ? "'pds'" : "'lsoa'"),
              std::string::npos)
        << r.status().message();
    // Inside a transaction as well; the transaction is rolled back with the failure.
    Status t = s.InTransaction([&]() -> Status {
      auto inner = s.Execute(sql, {});
      return inner.ok() ? OkStatus() : inner.status();
    });
    EXPECT_EQ(t.code(), StatusCode::kFailedPrecondition) << sql;
  }
  EXPECT_EQ(*s.CountRows("lsoa"), 1);
  EXPECT_EQ(Column(s, "SELECT CAST(imd_decile AS TEXT) FROM lsoa"), std::vector<std::string>{"3"});
  // Pioneer's own tables are still written through Execute.
  auto ok = s.Execute("UPDATE meta SET value = value WHERE key = 'created_at'", {});
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
  // And the ingest writer still writes extract tables after the refusals.
  {
    auto w = s.BeginIngestRun({"2015-01-02T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    auto row = LsoaRow("E01000002");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    ASSERT_TRUE((*w)->Commit({"2015-01-02T00:00:02Z", 1, 0, 1, 1, 0}).ok());
  }
  EXPECT_EQ(*s.CountRows("lsoa"), 2);
  // Once the writer is gone, writes are refused again.
  EXPECT_EQ(s.Execute("DELETE FROM lsoa", {}).status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(SqliteStoreTest, ReadOnlyStoreReadsAndRefusesEveryWrite) {
  {
    auto store = Store::OpenSqlite(path_);
    ASSERT_TRUE(store.ok());
    auto w = (*store)->BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok());
    auto row = LsoaRow("E01000001");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    ASSERT_TRUE((*w)->Commit({"2015-01-01T00:00:02Z", 1, 0, 1, 1, 0}).ok());
  }
  auto ro = Store::OpenReadOnlySqlite(path_);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  Store& s = **ro;
  EXPECT_EQ(&s.dialect(), &SqlDialect::Sqlite());
  EXPECT_EQ(*s.CountRows("lsoa"), 1);
  EXPECT_TRUE(s.Generation().ok());
  std::vector<std::string> cols = {std::string(s.dialect().RowIdColumn()), "lsoa_code"};
  std::vector<int64_t> ids;
  ASSERT_TRUE(s.Scan("lsoa", cols, [&](const RowView& r) { ids.push_back(r.Int(0)); }).ok());
  EXPECT_EQ(ids, std::vector<int64_t>{1});
  auto e = s.Execute("UPDATE meta SET value = value WHERE key = 'created_at'", {});
  EXPECT_EQ(e.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(e.status().message().find("read-only"), std::string::npos);
  EXPECT_EQ(s.InTransaction([] { return OkStatus(); }).code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {}).status().code(),
            StatusCode::kFailedPrecondition);
  // Query refuses writes as on any store; query_only would refuse them too.
  EXPECT_FALSE(s.Query("DELETE FROM meta", {}, [](const RowView&) {}).ok());

  // Several read-only connections read the same file on several threads while a writer
  // commits (one connection per thread).
  std::vector<std::unique_ptr<Store>> readers;
  for (int i = 0; i < 3; ++i) {
    auto r = Store::OpenReadOnlySqlite(path_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    readers.push_back(std::move(*r));
  }
  std::vector<int64_t> counts(readers.size(), -1);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < readers.size(); ++i) {
    threads.emplace_back([&, i] {
      int64_t last = 0;
      for (int k = 0; k < 50; ++k) {
        auto n = readers[i]->CountRows("lsoa");
        if (!n.ok() || *n < last) return;  // never goes back, never fails
        last = *n;
      }
      counts[i] = last;
    });
  }
  {
    auto store = Store::OpenExistingSqlite(path_);
    ASSERT_TRUE(store.ok());
    auto w = (*store)->BeginIngestRun({"2015-01-02T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok());
    auto row = LsoaRow("E01000002");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    ASSERT_TRUE((*w)->Commit({"2015-01-02T00:00:02Z", 1, 0, 1, 1, 0}).ok());
  }
  for (auto& t : threads) t.join();
  for (int64_t n : counts) EXPECT_TRUE(n == 1 || n == 2) << n;
  EXPECT_EQ(*readers[0]->CountRows("lsoa"), 2);  // a later read sees the commit
}

TEST_F(SqliteStoreTest, ReadOnlyOpenNeverCreatesOrMigrates) {
  auto missing = Store::OpenReadOnlySqlite(path_);
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(path_));
  { std::ofstream(path_, std::ios::binary); }
  auto empty = Store::OpenReadOnlySqlite(path_);
  EXPECT_EQ(empty.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(fs::file_size(path_), 0u);
  fs::remove(path_);
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  RawExec("UPDATE meta SET value = '7' WHERE key = 'schema_version'");
  const std::string before = ReadBytes();
  auto old = Store::OpenReadOnlySqlite(path_);
  ASSERT_FALSE(old.ok());
  EXPECT_EQ(old.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(old.status().message().find("migrat"), std::string::npos) << old.status().message();
  EXPECT_EQ(ReadBytes(), before);
}

// A store at schema version 8 (extract tables with the implicit rowid only) becomes version 9:
// every extract table gains _row holding each row's old rowid, the indexes come back, links
// still resolve, and a VACUUM afterwards keeps every row id.
TEST_F(SqliteStoreTest, Schema8StoreMigratesKeepingEveryRowId) {
  ASSERT_TRUE(Store::OpenSqlite(path_).ok());
  // Rewind to version 8 by hand: each extract table as version 8 created it (no _row), lsoa
  // holding rows whose rowids have gaps, an index of its own, and a usable link to a row.
  std::string sql = "BEGIN;";
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    std::string ddl = ExtractTableDdl(spec);
    const std::string row_line = ",\n  " + std::string(kRowColumn) + " INTEGER PRIMARY KEY";
    ASSERT_NE(ddl.find(row_line), std::string::npos) << ddl;
    ddl.erase(ddl.find(row_line), row_line.size());
    sql += "DROP TABLE \"" + std::string(spec.table) + "\";" + ddl;
  }
  sql +=
      "INSERT INTO lsoa(rowid, lsoa_code, lsoa_name, la_code, imd_decile, _run_id, _line) VALUES"
      "(10, 'E01000001', 'a', 'E08000035', 1, 1, 2), (20, 'E01000002', 'b', 'E08000035', 2, 1, 3),"
      "(35, 'E01000003', 'c', 'E08000035', 3, 1, 4);"
      "CREATE INDEX idx_lsoa_own ON lsoa(la_code);"
      "INSERT INTO link_runs(run_id, started_at, pioneer_version) VALUES(1, 'x', 'test');"
      "INSERT INTO record_links(source_table, row_id, own_number_status, traced_nhs_number, "
      "mps_step, outcome, decision, reason_code, evidence, run_id) VALUES('lsoa', 20, 'missing', "
      "'9434765919', 4, 'matched', 'automatic', 'r', '{}', 1);"
      "UPDATE meta SET value = '8' WHERE key = 'schema_version'; PRAGMA user_version = 8;"
      "COMMIT;";
  RawExec(sql);
  {
    auto store = Store::OpenSqlite(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    Store& s = **store;
    EXPECT_EQ(Column(s, "SELECT value FROM meta WHERE key = 'schema_version'"),
              std::vector<std::string>{std::to_string(Store::kSchemaVersion)});
    for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
      EXPECT_EQ(Column(s, "SELECT name FROM pragma_table_info('" + std::string(spec.table) +
                              "') WHERE pk = 1"),
                std::vector<std::string>{std::string(kRowColumn)})
          << spec.table;
    }
    EXPECT_EQ(Column(s, "SELECT _row || ':' || lsoa_name FROM lsoa ORDER BY _row"),
              (std::vector<std::string>{"10:a", "20:b", "35:c"}));
    EXPECT_EQ(Column(s, "SELECT t.lsoa_name FROM record_links l JOIN lsoa t ON " +
                            s.dialect().RowId("t") + " = l.row_id"),
              std::vector<std::string>{"b"});
    EXPECT_EQ(Column(s,
                     "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = "
                     "'lsoa' ORDER BY name"),
              std::vector<std::string>{"idx_lsoa_own"});
    EXPECT_EQ(Column(s, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%schema9%'"),
              std::vector<std::string>{"0"});
  }
  // Rows added after the migration continue after the highest row id.
  {
    auto store = Store::OpenSqlite(path_);
    ASSERT_TRUE(store.ok());
    auto w = (*store)->BeginIngestRun({"2015-01-01T00:00:00Z", "/data", "test"}, {});
    ASSERT_TRUE(w.ok()) << w.status().ToString();
    auto row = LsoaRow("E01000004");
    ASSERT_TRUE((*w)->AppendRow(Spec("lsoa.csv"), 2, row).ok());
    ASSERT_TRUE((*w)->Commit({"2015-01-01T00:00:02Z", 1, 0, 1, 1, 0}).ok());
  }
  RawExec("DELETE FROM lsoa WHERE _row = 10; VACUUM;");
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  std::vector<std::string> cols = {std::string((*store)->dialect().RowIdColumn()), "lsoa_code"};
  std::vector<std::string> got;
  ASSERT_TRUE((*store)
                  ->Scan("lsoa", cols,
                         [&](const RowView& r) {
                           got.push_back(std::to_string(r.Int(0)) + ":" + std::string(r.Text(1)));
                         })
                  .ok());
  EXPECT_EQ(got, (std::vector<std::string>{"20:E01000002", "35:E01000003", "36:E01000004"}));
}

TEST(SqlDialectTest, EachBackendSpellsDatesAndRowIdsItsOwnWay) {
  const SqlDialect& lite = SqlDialect::Sqlite();
  const SqlDialect& pg = SqlDialect::Postgres();
  const SqlDialect& duck = SqlDialect::DuckDb();
  EXPECT_EQ(SqlDialect::ByName("sqlite"), &lite);
  EXPECT_EQ(SqlDialect::ByName("postgres"), &pg);
  EXPECT_EQ(SqlDialect::ByName("duckdb"), &duck);
  EXPECT_EQ(SqlDialect::ByName("oracle"), nullptr);
  for (const SqlDialect* d : {&lite, &pg, &duck}) EXPECT_EQ(SqlDialect::ByName(d->name()), d);
  EXPECT_EQ(lite.RowId("t"), "t.rowid");
  EXPECT_EQ(pg.RowId("t"), "t._rowid");
  EXPECT_EQ(lite.ShiftDays("d", 0), "d");
  EXPECT_EQ(pg.IntDiv("a", 5), "(a / 5)");
  EXPECT_EQ(duck.IntDiv("a", 5), "(a // 5)");
}

// The SQLite dialect's date expressions, run by SQLite, agree with base/date's calendar.
TEST_F(SqliteStoreTest, SqliteDialectDateArithmeticRuns) {
  auto store = Store::OpenSqlite(path_);
  ASSERT_TRUE(store.ok());
  Store& s = **store;
  const SqlDialect& d = s.dialect();
  const std::string sql = "SELECT " + d.DaysFromTo("'2016-02-27'", "'2016-03-01'") + ", " +
                          d.YearOf("'2016-02-27'") + ", " + d.MonthOf("'2016-02-27'") + ", " +
                          d.MonthDayOf("'2016-02-27'") + ", " + d.WeekdayOf("'2016-02-28'") + ", " +
                          d.ShiftDays("'2016-02-28'", 2) + ", " + d.IntDiv("17", 5) + ", " +
                          d.Greatest("3", "4") + ", " + d.Least("3", "4");
  std::vector<std::string> got;
  ASSERT_TRUE(s.Query(sql, {}, [&](const RowView& r) {
                 for (int i = 0; i < r.size(); ++i) got.emplace_back(r.Text(i));
               }).ok());
  EXPECT_EQ(
      got, (std::vector<std::string>{"3", "2016", "2", "02-27", "0", "2016-03-01", "3", "4", "3"}));
}

}  // namespace
}  // namespace pioneer::store
