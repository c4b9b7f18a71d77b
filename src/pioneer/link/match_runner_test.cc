#include "pioneer/link/match_runner.h"

#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "testing/test_util.h"

namespace pioneer::link {
namespace {

using pioneer::testing::ReadFile;
using pioneer::testing::TempDir;
using pioneer::testing::WriteFile;

// Two files: "left" has 300 people, "right" a corrupted copy of the first 200 plus 50 others.
// ids encode the person (p<N>-l / p<N>-r) so truth_from_id can evaluate.
void WriteLinkFiles(const TempDir& tmp) {
  const char* given[] = {"ann", "bob",  "cara", "dev", "eve", "finn",
                         "gus", "hana", "ivan", "jo",  "kai", "lena"};
  const char* family[] = {"smith", "patel", "brown", "wood",  "khan",  "lee",   "hall", "ward",
                          "young", "king",  "scott", "green", "baker", "adams", "clark"};
  std::mt19937 rng(5);
  std::ostringstream l, r;
  l << "person_id,first,last,dob,postcode,gender\n";
  r << "person_id,first,last,dob,postcode,gender\n";
  for (int i = 0; i < 350; ++i) {
    const std::string g = given[rng() % 12], f = family[rng() % 15];
    char dob[16];
    std::snprintf(dob, sizeof dob, "19%02d-%02d-%02d", static_cast<int>(20 + rng() % 80),
                  static_cast<int>(1 + rng() % 12), static_cast<int>(1 + rng() % 28));
    const std::string pc =
        "LS" + std::to_string(1 + rng() % 25) + " " + std::to_string(rng() % 10) + "AB";
    const char* sex = rng() % 2 ? "M" : "F";
    if (i < 300)
      l << "p" << i << "-l," << g << "," << f << "," << dob << "," << pc << "," << sex << "\n";
    if (i < 200 || i >= 300) {
      std::string g2 = g, dob2 = dob;
      if (rng() % 5 == 0) g2[0] = static_cast<char>(std::toupper(g2[0]));
      if (rng() % 6 == 0) std::swap(dob2[8], dob2[9]);
      r << "p" << i << "-r," << g2 << "," << f << "," << dob2 << "," << (rng() % 5 ? pc : "") << ","
        << sex << "\n";
    }
  }
  WriteFile(tmp / "left.csv", l.str());
  WriteFile(tmp / "right.csv", r.str());
}

MatchOptions LinkOptions(const TempDir& tmp) {
  MatchOptions o;
  o.inputs = {tmp / "left.csv", tmp / "right.csv"};
  o.map = "given_name=first,family_name=last,birth_date=dob";
  o.id_column = "person_id";
  o.out_path = tmp / "pairs.csv";
  o.clusters_path = tmp / "clusters.csv";
  o.model_out_path = tmp / "model.json";
  o.truth_from_id = true;
  return o;
}

TEST(MatchRunnerTest, LinksTwoFilesAndWritesOutputs) {
  TempDir tmp;
  WriteLinkFiles(tmp);
  auto s = RunMatch(LinkOptions(tmp));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->records, 550);
  EXPECT_EQ(s->inputs[0].rows, 300);
  EXPECT_EQ(s->inputs[1].rows, 250);
  ASSERT_TRUE(s->evaluated);
  EXPECT_EQ(s->pairwise.true_pairs, 200);
  EXPECT_GT(s->pairwise.f1, 0.95);
  // Pairs file: header with one column per comparison, then one line per kept pair.
  const std::string pairs = ReadFile(tmp / "pairs.csv");
  std::istringstream in(pairs);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header,
            "id_l,id_r,match_weight,match_probability,decision,given_name,family_name,"
            "birth_date,sex,postcode");
  int lines = 0, matches = 0;
  for (std::string line; std::getline(in, line);) {
    ++lines;
    EXPECT_EQ(line.rfind("p", 0), 0u);
    EXPECT_NE(line.find("-l,p"), std::string::npos);  // left id first
    if (line.find(",match,") != std::string::npos) ++matches;
  }
  EXPECT_EQ(lines, static_cast<int>(s->result.prediction.pairs.size()));
  EXPECT_EQ(matches, s->matches);
  // Clusters file: one line per record.
  const std::string clusters = ReadFile(tmp / "clusters.csv");
  EXPECT_EQ(clusters.rfind("file,id,cluster_id\n1,p0-l,", 0), 0u);
  EXPECT_EQ(std::count(clusters.begin(), clusters.end(), '\n'), 551);
  // Model JSON reloads.
  auto model = FellegiSunterModel::FromJson(nlohmann::json::parse(ReadFile(tmp / "model.json")));
  EXPECT_TRUE(model.ok());
  // Summary has every section, and no record contents.
  const std::string text = RenderMatchSummary(*s);
  for (const char* section :
       {"pioneer match: link-only", "fields: given_name <- first", "blocking (window 100",
        "candidate pairs scored", "pairs/s", "model: u from", "lambda =", "histogram",
        "decisions:", "clusters:", "accuracy (pairs at threshold)", "time:"}) {
    EXPECT_NE(text.find(section), std::string::npos) << section << "\n" << text;
  }
  for (const char* secret : {"smith", "patel", "1950-", "LS1 "}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << secret;
  }
}

TEST(MatchRunnerTest, DeterministicOutput) {
  TempDir tmp;
  WriteLinkFiles(tmp);
  MatchOptions o = LinkOptions(tmp);
  ASSERT_TRUE(RunMatch(o).ok());
  const std::string first = ReadFile(o.out_path) + ReadFile(o.clusters_path);
  o.threads = 1;
  ASSERT_TRUE(RunMatch(o).ok());
  EXPECT_EQ(ReadFile(o.out_path) + ReadFile(o.clusters_path), first);
}

TEST(MatchRunnerTest, DedupeOneFile) {
  TempDir tmp;
  WriteFile(tmp / "d.csv",
            "id,first_name,surname,dob,email\n"
            "1,Robert,Allen,1971-06-24,robert255@smith.net\n"
            "2,Rob,Allen,1971-06-24,robert255@smith.net\n"
            "3,Robert,Alen,1971-06-24,\n"
            "4,Grace,Kelly,1991-04-26,grace.kelly52@jones.com\n"
            "5,Grace,Kelly,1997-04-26,grace.kelly52@jones.com\n"
            "6,Logan,Murphy,1973-08-01,\n"
            "7,Isla,Hall,1985-02-07,islahall97@gb.com\n"
            "8,Hall,Isla,1985-02-07,islahall97@gb.com\n"
            "9,Oliver,Griffiths,1991-10-26,o.griffiths90@rc.com\n");
  MatchOptions o;
  o.inputs = {tmp / "d.csv"};
  o.dedupe = true;
  o.out_path = tmp / "pairs.csv";
  o.clusters_path = tmp / "clusters.csv";
  auto s = RunMatch(o);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->result.model.comparisons().size(), 4u);
  EXPECT_EQ(ReadFile(tmp / "clusters.csv").rfind("id,cluster_id\n1,0\n", 0), 0u);
  EXPECT_NE(RenderMatchSummary(*s).find("pioneer match: dedupe"), std::string::npos);
}

TEST(MatchRunnerTest, RejectsBadOptions) {
  TempDir tmp;
  WriteLinkFiles(tmp);
  auto expect_error = [&](MatchOptions o, const std::string& text) {
    auto s = RunMatch(o);
    ASSERT_FALSE(s.ok()) << text;
    EXPECT_NE(s.status().message().find(text), std::string::npos) << s.status().message();
  };
  MatchOptions o = LinkOptions(tmp);
  o.inputs.pop_back();
  expect_error(o, "--dedupe");
  o = LinkOptions(tmp);
  o.dedupe = true;
  expect_error(o, "--dedupe takes one input file");
  o = LinkOptions(tmp);
  o.threshold = 1.5;
  expect_error(o, "--threshold");
  o = LinkOptions(tmp);
  o.review_threshold = 0.9;
  expect_error(o, "--review-threshold");
  o = LinkOptions(tmp);
  o.map = "given_name=nosuchcolumn";
  expect_error(o, "line 1: no column 'nosuchcolumn' (mapped to given_name)");
  o = LinkOptions(tmp);
  o.blocking_rules = {"soundex(postcode)"};
  expect_error(o, "soundex() needs given_name or family_name");
  o = LinkOptions(tmp);
  o.out_path.clear();
  expect_error(o, "--out");
  o = LinkOptions(tmp);
  o.truth_column = "cluster";
  expect_error(o, "--truth or --truth-from-id");
  o = LinkOptions(tmp);
  o.out_path = tmp / "no/such/dir/pairs.csv";
  expect_error(o, "cannot open for writing");
}

}  // namespace
}  // namespace pioneer::link
