#include "pioneer/store/person_directory.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>
#include <vector>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/model/nhs_number.h"
#include "pioneer/store/store.h"

namespace pioneer::store {
namespace {

namespace fs = std::filesystem;

// A valid NHS Number from nine digits (their check digit appended).
NhsNumber Number(const std::string& nine) {
  const int check = NhsNumber::CheckDigitFor(nine);
  EXPECT_GE(check, 0) << nine;
  std::optional<NhsNumber> n = NhsNumber::Parse(nine + std::to_string(check));
  EXPECT_TRUE(n.has_value()) << nine;
  return *n;
}

// A small hand-built store: three people A, B, C in PDS; records placed on them by their own
// number or by a usable link; a superseded own number, an unusable link and unplaced rows.
class PersonDirectoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::path(::testing::TempDir()) /
           ("pioneer_person_directory_" +
            std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "store.db").string();
    { ASSERT_TRUE(Store::OpenSqlite(path_).ok()); }
    const std::string a = A().digits(), b = B().digits(), c = C().digits();
    auto pds = [](int row, const std::string& nhs, const char* status, const char* type,
                  const char* family, const char* practice) {
      return "INSERT INTO pds(_row, nhs_number, nhs_number_status, record_type, family_name, "
             "given_name, sex, birth_date, gp_practice_code, _run_id, _line) VALUES(" +
             std::to_string(row) + ", '" + nhs + "', '" + status + "', '" + type + "', '" + family +
             "', 'Given', '2', '1950-01-01', '" + practice + "', 1, " + std::to_string(row + 1) +
             ");";
    };
    auto gp = [](int row, const std::string& nhs, const char* status, const char* practice,
                 const char* end) {
      return "INSERT INTO gp_registrations(_row, registration_id, nhs_number, nhs_number_status, "
             "gp_practice_code, registration_start_date, registration_end_date, _run_id, _line) "
             "VALUES(" +
             std::to_string(row) + ", 'R" + std::to_string(row) + "', '" + nhs + "', '" + status +
             "', '" + practice + "', '2020-01-01', " + end + ", 1, " + std::to_string(row + 1) +
             ");";
    };
    auto sc = [](int row, const std::string& nhs, const char* status, const char* council,
                 const char* end) {
      return "INSERT INTO social_care_events(_row, event_id, la_code, la_person_id, nhs_number, "
             "nhs_number_status, event_type, event_start_date, event_end_date, _run_id, _line) "
             "VALUES(" +
             std::to_string(row) + ", 'E" + std::to_string(row) + "', '" + council + "', 'P', " +
             nhs + ", '" + status + "', 'assessment', '2021-01-01', " + end + ", 1, " +
             std::to_string(row + 1) + ");";
    };
    auto link = [](const char* table, int row, const char* own_status, const std::string& traced,
                   const char* decision) {
      return std::string(
                 "INSERT INTO record_links(source_table, row_id, own_number_status, "
                 "traced_nhs_number, mps_step, outcome, decision, reason_code, evidence, "
                 "run_id) VALUES('") +
             table + "', " + std::to_string(row) + ", '" + own_status + "', '" + traced +
             "', 1, 'matched', '" + decision + "', 'r', '{}', 1);";
    };
    std::string sql =
        "BEGIN;"
        "INSERT INTO link_runs(run_id, started_at, pioneer_version) VALUES(1, 'x', 'test');";
    sql += pds(1, a, "valid", "current", "Adams", "P1");
    sql += pds(2, a, "valid", "history", "Old", "P9");  // an earlier address: not current
    sql += pds(3, b, "valid", "current", "Brown", "P2");
    sql += pds(4, "9434765918", "check_digit_wrong", "current", "Wrong", "P1");
    sql += pds(5, a, "valid", "current", "Later", "P0");  // a second current row for A
    sql += pds(6, c, "valid", "current", "Cole", "P8");
    sql += gp(1, b, "valid", "P3", "NULL");           // B's own, open
    sql += gp(2, "x", "wrong_length", "P4", "NULL");  // linked to C
    sql += gp(3, a, "valid", "P5", "NULL");           // A's own, superseded by a link to C
    sql += gp(4, b, "valid", "P6", "'2022-01-01'");   // B's own, ended
    sql += gp(5, b, "valid", "P7", "NULL");           // B's own; a link in review to C
    sql += link("gp_registrations", 2, "wrong_length", c, "automatic");
    sql += link("gp_registrations", 3, "valid", c, "accepted");
    sql += link("gp_registrations", 5, "valid", c, "review");
    sql += sc(1, "'" + a + "'", "valid", "L1", "NULL");          // A's, open
    sql += sc(2, "NULL", "missing", "L1", "NULL");               // on no one
    sql += sc(3, "'" + a + "'", "valid", "L2", "'2021-06-01'");  // A's, ended
    sql += sc(4, "'" + b + "'", "valid", "L3", "NULL");          // B's own; linked to C
    sql += link("social_care_events", 4, "valid", c, "automatic");
    sql += "INSERT INTO ig_objections(nhs_number, recorded_on, source, imported_at) VALUES('" + b +
           "', NULL, 'test', 'x');";
    sql += "COMMIT;";
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    const std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
    auto store = Store::OpenExistingSqlite(path_);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  static NhsNumber A() { return Number("943476591"); }
  static NhsNumber B() { return Number("401023213"); }
  static NhsNumber C() { return Number("987654321"); }

  // Row ids ReadPlacedRecords returns for `person` in `table`.
  std::vector<int64_t> Placed(const NhsNumber& person, const char* table,
                              PersonDirectory::RecordFilter filter = {}) {
    std::vector<int64_t> rows;
    PersonDirectory d(*store_);
    Status st = d.ReadPlacedRecords(person, *formats::FindExtract(std::string(table) + ".csv"),
                                    filter, [&](const RowView& r) { rows.push_back(r.Int(0)); });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return rows;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<Store> store_;
};

TEST_F(PersonDirectoryTest, PersonOfPatientIdTakesOnlyCurrentValidRows) {
  PersonDirectory d(*store_);
  auto of = [&](int64_t id) {
    auto r = d.PersonOfPatientId(id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::nullopt;
  };
  EXPECT_EQ(of(1), A());
  EXPECT_EQ(of(5), std::nullopt);  // A's second current row: the first speaks for A
  EXPECT_EQ(of(3), B());
  EXPECT_EQ(of(2), std::nullopt);   // a history row
  EXPECT_EQ(of(4), std::nullopt);   // an invalid number
  EXPECT_EQ(of(99), std::nullopt);  // no such row
}

TEST_F(PersonDirectoryTest, StandingGivesTheFirstCurrentRowAndTheObjection) {
  PersonDirectory d(*store_);
  auto a = d.Standing(A());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->patient_id, 1);
  EXPECT_FALSE(a->objects);
  auto b = d.Standing(B());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->patient_id, 3);
  EXPECT_TRUE(b->objects);
  auto nobody = d.Standing(Number("999000001"));
  ASSERT_TRUE(nobody.ok());
  EXPECT_EQ(nobody->patient_id, 0);
  EXPECT_FALSE(nobody->objects);
}

TEST_F(PersonDirectoryTest, IsRegisteredAtFollowsPdsAndPlacedOpenRegistrations) {
  PersonDirectory d(*store_);
  auto registered = [&](const NhsNumber& n, const char* practice) {
    auto r = d.IsRegisteredAt(n, practice);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  };
  EXPECT_TRUE(registered(A(), "P1"));   // current PDS practice
  EXPECT_FALSE(registered(A(), "P9"));  // a history row's practice
  EXPECT_FALSE(registered(A(), "P0"));  // the practice of A's second current row
  EXPECT_TRUE(registered(B(), "P3"));   // own number, open registration
  EXPECT_FALSE(registered(B(), "P6"));  // ended
  EXPECT_TRUE(registered(C(), "P4"));   // placed by a usable link
  EXPECT_TRUE(registered(C(), "P5"));   // accepted link supersedes the own number...
  EXPECT_FALSE(registered(A(), "P5"));  // ...which no longer places it on A
  EXPECT_TRUE(registered(B(), "P7"));   // a link in review does not move the record
  EXPECT_FALSE(registered(C(), "P7"));
  EXPECT_FALSE(registered(A(), ""));
}

TEST_F(PersonDirectoryTest, HasOpenSocialCareWithFollowsPlacementAndEndDate) {
  PersonDirectory d(*store_);
  auto open = [&](const NhsNumber& n, const char* council) {
    auto r = d.HasOpenSocialCareWith(n, council);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  };
  EXPECT_TRUE(open(A(), "L1"));
  EXPECT_FALSE(open(A(), "L2"));  // ended
  EXPECT_FALSE(open(B(), "L3"));  // linked away to C
  EXPECT_TRUE(open(C(), "L3"));
  EXPECT_FALSE(open(C(), "L1"));
}

TEST_F(PersonDirectoryTest, RecordOwnerIsTheUsableLinkElseTheOwnValidNumber) {
  PersonDirectory d(*store_);
  auto owner = [&](const char* table, int64_t row) {
    auto r = d.RecordOwner(table, row);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::nullopt;
  };
  EXPECT_EQ(owner("gp_registrations", 1), B());
  EXPECT_EQ(owner("gp_registrations", 2), C());  // invalid own number, usable link
  EXPECT_EQ(owner("gp_registrations", 3), C());  // superseded own number
  EXPECT_EQ(owner("gp_registrations", 5), B());  // link in review: own number
  EXPECT_EQ(owner("gp_registrations", 99), std::nullopt);
  EXPECT_EQ(owner("social_care_events", 2), std::nullopt);  // unplaced
  EXPECT_EQ(owner("social_care_events", 4), C());
  EXPECT_FALSE(d.RecordOwner("no_such_table", 1).ok());
}

TEST_F(PersonDirectoryTest, ReadPlacedRecordsAppliesPlacementAndFilters) {
  EXPECT_EQ(Placed(C(), "gp_registrations"), (std::vector<int64_t>{2, 3}));
  EXPECT_EQ(Placed(B(), "gp_registrations"), (std::vector<int64_t>{1, 4, 5}));
  EXPECT_EQ(Placed(A(), "gp_registrations"), std::vector<int64_t>{});
  EXPECT_EQ(Placed(C(), "gp_registrations", {"gp_practice_code", "P4", std::nullopt}),
            std::vector<int64_t>{2});
  EXPECT_EQ(Placed(C(), "gp_registrations", {"", "", int64_t{3}}), std::vector<int64_t>{3});
  EXPECT_EQ(Placed(C(), "gp_registrations", {"", "", int64_t{1}}), std::vector<int64_t>{});
  EXPECT_EQ(Placed(A(), "social_care_events"), (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(Placed(C(), "social_care_events"), std::vector<int64_t>{4});
}

TEST_F(PersonDirectoryTest, ReadCurrentPersonRowGivesTheFieldsOfTheFirstCurrentRow) {
  PersonDirectory d(*store_);
  const formats::ExtractSpec& pds = *formats::FindExtract("pds.csv");
  std::vector<std::string> seen;
  ASSERT_TRUE(d.ReadCurrentPersonRow(A(), pds, [&](const RowView& r) {
                 seen.push_back(std::to_string(r.Int(0)) + ":" + std::string(r.Text(3)));
               }).ok());
  EXPECT_EQ(seen, std::vector<std::string>{"1:Adams"});  // row id, then family_name (field 3)
  seen.clear();
  ASSERT_TRUE(d.ReadCurrentPersonRow(Number("999000001"), pds, [&](const RowView&) {
                 seen.push_back("");
               }).ok());
  EXPECT_TRUE(seen.empty());
}

TEST_F(PersonDirectoryTest, FindPeopleNarrowsToTheScope) {
  PersonDirectory d(*store_);
  auto find = [&](const PersonSearch& s) {
    auto r = d.FindPeople(s, 10);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<NhsNumber>{};
  };
  PersonSearch tied;
  tied.scope = PersonSearch::Scope::kTiedTo;
  tied.org_code = "P4";  // C, through a linked registration
  EXPECT_EQ(find(tied), std::vector<NhsNumber>{C()});
  tied.org_code = "P1";  // A through PDS: once, by the row that speaks for A
  EXPECT_EQ(find(tied), std::vector<NhsNumber>{A()});
  tied.family = {"Ad"};
  EXPECT_EQ(find(tied), std::vector<NhsNumber>{A()});
  tied.family = {"Later"};  // only A's second current row has this name
  EXPECT_TRUE(find(tied).empty());
  tied.family = {"Br"};
  EXPECT_TRUE(find(tied).empty());
  tied.person = B();  // the grant's person
  EXPECT_EQ(find(tied), std::vector<NhsNumber>{B()});
  PersonSearch self;
  self.family = {"Br"};
  EXPECT_TRUE(find(self).empty());  // kOnePerson without a person: no one
  self.person = B();
  EXPECT_EQ(find(self), std::vector<NhsNumber>{B()});
  self.patient_id = 1;
  EXPECT_TRUE(find(self).empty());
  PersonSearch p1;
  p1.scope = PersonSearch::Scope::kTiedTo;
  p1.org_code = "P1";
  auto limited = d.FindPeople(p1, 1);
  ASSERT_TRUE(limited.ok());
  EXPECT_EQ(limited->size(), 1u);
}

}  // namespace
}  // namespace pioneer::store
