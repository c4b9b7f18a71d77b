// The clerical review workflow end to end through the real binary: `pioneer ingest` ->
// `pioneer link` (grey-zone decisions go to review) -> `pioneer link review` (evidence side
// by side, no identifiable values) -> accept / reject (who and when) -> a later
// `pioneer link` respects the verdicts -> the timeline places the accepted record.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "pioneer/store/store.h"
#include "pioneer/timeline/timeline.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::RunPioneer;
using testing::TempDir;
using testing::TestNhsNumber;
using testing::WriteFile;

constexpr const char* kPdsHeader =
    "nhs_number,record_type,family_name,given_name,other_given_name,sex,birth_date,death_date,"
    "postcode,address_line_1,gp_practice_code,lsoa_code,effective_from,effective_to\n";
constexpr const char* kScHeader =
    "event_id,la_code,la_person_id,nhs_number,family_name,given_name,birth_date,sex,postcode,"
    "event_type,service_type,service_term,route_of_access,event_start_date,event_end_date,"
    "weekly_cost,funding,outcome,death_date\n";

const char* kGiven[] = {"Alice",  "Bernard", "Clara",   "Dennis",   "Elaine",  "Frank",    "Grace",
                        "Harold", "Irene",   "Jack",    "Kathleen", "Leonard", "Margaret", "Norman",
                        "Olive",  "Peter",   "Queenie", "Roy",      "Sylvia",  "Thomas"};
const char* kFamily[] = {"Adams",   "Baker",   "Carter",  "Dixon",  "Ellis",  "Fisher", "Gibson",
                         "Hughes",  "Irving",  "Jenkins", "Knight", "Lawson", "Marsh",  "Naylor",
                         "Osborne", "Pearson", "Quinn",   "Rhodes", "Shaw",   "Turner"};

struct Person {
  std::string nhs, family, given, sex, dob, postcode;
};

// 400 distinct persons plus twins (index 400: Edith Brown, 401: Ethel Brown) who share
// surname, birth date, sex and postcode.
std::vector<Person> People() {
  std::vector<Person> p;
  for (int i = 0; i < 400; ++i) {
    p.push_back({TestNhsNumber(i + 1), kFamily[i % 20], kGiven[(i / 20) % 20],
                 i % 2 == 0 ? "1" : "2",
                 fmt::format("{}-{:02d}-{:02d}", 1925 + i % 50, 1 + i % 12, 1 + (i * 7) % 28),
                 fmt::format("KH{} {}A{}", 1 + i % 9, i % 10, static_cast<char>('A' + i % 26))});
  }
  p.push_back({TestNhsNumber(401), "Brown", "Edith", "2", "1931-07-07", "KH3 3BB"});
  p.push_back({TestNhsNumber(402), "Brown", "Ethel", "2", "1931-07-07", "KH3 3BB"});
  return p;
}

std::string ScRow(int id, const std::string& nhs, const Person& q, const std::string& given) {
  return fmt::format("E{},E08000999,P{},{},{},{},{},{},{},assessment,,,,2014-0{}-15,,,,,\n", id, id,
                     nhs, q.family, given, q.dob, q.sex, q.postcode, 1 + id % 9);
}

class LinkReviewCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto people = People();
    std::string pds = kPdsHeader, sc = kScHeader;
    for (const Person& p : people) {
      pds += fmt::format("{},current,{},{},,{},{},,{},,,,,\n", p.nhs, p.family, p.given, p.sex,
                         p.dob, p.postcode);
    }
    int id = 1;
    // 200 records with their own (valid, right) number; 60 without a number.
    for (int i = 0; i < 200; ++i) sc += ScRow(id++, people[i].nhs, people[i], people[i].given);
    for (int i = 200; i < 260; ++i) sc += ScRow(id++, "", people[i], people[i].given);
    // Two records of one of the twins without a given name: ambiguous -> review.
    twin_row_a_ = id;
    sc += ScRow(id++, "", people[400], "");
    twin_row_b_ = id;
    sc += ScRow(id++, "", people[400], "");
    WriteFile(tmp_ / "in/pds.csv", pds);
    WriteFile(tmp_ / "in/social_care_events.csv", sc);
    db_ = tmp_ / "pioneer.db";
    const auto r = RunPioneer("ingest " + tmp_ / "in" + " --db " + db_, tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  }

  nlohmann::json LinkJson() {
    const auto r = RunPioneer("link --json --db " + db_, tmp_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    for (const auto& s : j["sources"]) {
      if (s["table"] == "social_care_events") return s;
    }
    ADD_FAILURE() << "no social_care_events in " << r.out;
    return {};
  }

  nlohmann::json ReviewJson(bool all) {
    const auto r = RunPioneer(
        std::string("link review --json ") + (all ? "--all " : "") + "--db " + db_, tmp_);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  TempDir tmp_;
  std::string db_;
  int twin_row_a_ = 0, twin_row_b_ = 0;
};

TEST_F(LinkReviewCliTest, ReviewVerdictsAreRecordedAndRespected) {
  const auto sc = LinkJson();
  EXPECT_EQ(sc["records"], 262);
  EXPECT_EQ(sc["valid_before"], 200);
  EXPECT_EQ(sc["missing"], 62);
  EXPECT_EQ(sc["review"], 2);
  EXPECT_EQ(sc["automatic"], 60);
  EXPECT_EQ(sc["covered_after"], 260);

  // The queue: both twin records, two candidates each, levels but no values.
  const auto text = RunPioneer("link review --db " + db_, tmp_);
  ASSERT_EQ(text.exit_code, 0) << text.err;
  for (const char* s : {"review queue: 2 item(s)", "candidate 1", "candidate 2", "ambiguous",
                        "family_name", "exact", "gap best - runner-up: 0.00 bits"}) {
    EXPECT_NE(text.out.find(s), std::string::npos) << s << "\n" << text.out;
  }
  for (const std::string& secret : {std::string("Brown"), std::string("Edith"), TestNhsNumber(401),
                                    TestNhsNumber(402), std::string("1931"), std::string("KH3")}) {
    EXPECT_EQ(text.out.find(secret), std::string::npos) << secret;
    EXPECT_EQ(text.err.find(secret), std::string::npos) << secret;
  }
  auto queue = ReviewJson(false);
  ASSERT_EQ(queue.size(), 2u);
  const int64_t id_a = queue[0]["link_id"], id_b = queue[1]["link_id"];
  EXPECT_EQ(queue[0]["row_id"], twin_row_a_);
  EXPECT_EQ(queue[0]["candidates"].size(), 2u);

  // Verdicts: record A is the second candidate's (accept --candidate 2); B's proposal rejected.
  auto r = RunPioneer(
      fmt::format("link review accept {} --candidate 2 --by 'Jo Reviewer' --db {}", id_a, db_),
      tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("accepted by Jo Reviewer"), std::string::npos) << r.out;
  // The decision makes the timeline snapshot that `pioneer link` wrote stale: the next reader
  // rebuilds it and says why; the one after maps it.
  auto tl = RunPioneer("timeline --db " + db_, tmp_);
  ASSERT_EQ(tl.exit_code, 0) << tl.err;
  EXPECT_NE(tl.err.find("clerical review decisions changed since (reviews: 0 then, 1 now)"),
            std::string::npos)
      << tl.err;
  tl = RunPioneer("timeline --db " + db_, tmp_);
  EXPECT_EQ(tl.err.find("rebuilding"), std::string::npos) << tl.err;
  r = RunPioneer(fmt::format("link review reject {} --by 'Jo Reviewer' --db {}", id_b, db_), tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(ReviewJson(false).empty());
  auto decided = ReviewJson(true);
  ASSERT_EQ(decided.size(), 2u);
  EXPECT_EQ(decided[0]["decision"], "accepted");
  EXPECT_EQ(decided[0]["decided_by"], "Jo Reviewer");
  EXPECT_EQ(decided[0]["decided_at"].get<std::string>().size(), 20u);  // 2026-...Z
  EXPECT_EQ(decided[1]["decision"], "rejected");

  // Errors: unknown id, an automatic decision, no reviewer.
  r = RunPioneer("link review accept 99999 --by X --db " + db_, tmp_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no linkage decision #99999"), std::string::npos) << r.err;
  r = RunPioneer("link review reject 1 --db " + db_, tmp_);
  EXPECT_NE(r.exit_code, 0);

  // A later run respects both verdicts, keeping the ids.
  const auto again = LinkJson();
  EXPECT_EQ(again["review"], 0);
  EXPECT_EQ(again["accepted"], 1);
  EXPECT_EQ(again["rejected"], 1);
  EXPECT_EQ(again["covered_after"], 261);
  decided = ReviewJson(true);
  ASSERT_EQ(decided.size(), 2u);
  EXPECT_EQ(decided[0]["link_id"], id_a);
  EXPECT_EQ(decided[0]["decision"], "accepted");
  EXPECT_EQ(decided[1]["decision"], "rejected");

  // The timeline places the accepted record on the second twin, and not the rejected one.
  auto st = store::Store::OpenSqlite(db_);
  ASSERT_TRUE(st.ok());
  auto t = timeline::Timeline::Build(**st);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const auto& lc = t->linkage(timeline::Source::kSocialCareEvent);
  EXPECT_EQ(lc.traced, 61);
  EXPECT_EQ(lc.missing_number, 1);
  auto twin = t->FindPerson(TestNhsNumber(402));
  ASSERT_TRUE(twin.has_value());
  const auto [b, e] = t->EventRange(*twin);
  ASSERT_EQ(e - b, 1u);
  int64_t placed_row = t->events().row_id[b];
  EXPECT_GT(placed_row, 0);
  EXPECT_TRUE(t->CheckInvariants().ok());
}

}  // namespace
}  // namespace pioneer
