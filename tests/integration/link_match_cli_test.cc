// `pioneer match` end to end through the real binary: linking, dedupe, outputs, errors.
// (Accuracy bars are asserted through the library in link_accuracy_test.cc.)
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

#include "testing/test_util.h"

namespace pioneer {
namespace {

using testing::ReadFile;
using testing::RunPioneer;
using testing::TempDir;
using testing::WriteFile;

std::string Data(const std::string& rel) {
  return testing::SourceDir() + "/../shared/data/linkage/" + rel;
}

int CountLines(const std::string& s) {
  return static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

TEST(LinkMatchCliTest, LinksFebrl4AndReportsAccuracy) {
  PIONEER_SKIP_WITHOUT_SHARED_DATA("linkage/febrl/dataset4a.csv");
  TempDir tmp;
  const std::string args =
      "match " + Data("febrl/dataset4a.csv") + " " + Data("febrl/dataset4b.csv") +
      " --id rec_id --map given_name=given_name,family_name=surname,birth_date=date_of_birth,"
      "postcode=postcode,address=street_number+address_1,city=suburb,identifier=soc_sec_id"
      " --out " +
      tmp / "pairs.csv" + " --clusters " + tmp / "clusters.csv" + " --model-out " +
      tmp / "model.json" + " --truth-from-id";
  const auto r = RunPioneer(args, tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* s : {"link-only", "candidate pairs scored", "pairs/s", "lambda =", "histogram",
                        "decisions:", "clusters:", "accuracy (pairs at threshold)"}) {
    EXPECT_NE(r.out.find(s), std::string::npos) << s;
  }
  // The bar of the spec (>= 0.999) as printed.
  const size_t at = r.out.find("accuracy (pairs at threshold)");
  ASSERT_NE(at, std::string::npos);
  const size_t f1 = r.out.find("F1 ", at);
  EXPECT_GE(std::stod(r.out.substr(f1 + 3, 6)), 0.999);
  const std::string pairs = ReadFile(tmp / "pairs.csv");
  EXPECT_EQ(pairs.rfind("id_l,id_r,match_weight,match_probability,decision,given_name,", 0), 0u);
  EXPECT_GE(CountLines(pairs), 5000);
  EXPECT_EQ(CountLines(ReadFile(tmp / "clusters.csv")), 10001);
  EXPECT_NE(ReadFile(tmp / "model.json").find("\"lambda\""), std::string::npos);
}

TEST(LinkMatchCliTest, DedupesFake1000WithClusters) {
  PIONEER_SKIP_WITHOUT_SHARED_DATA("linkage/splink/fake_1000.csv");
  TempDir tmp;
  const auto r =
      RunPioneer("match " + Data("splink/fake_1000.csv") + " --dedupe --out " + tmp / "pairs.csv" +
                     " --clusters " + tmp / "clusters.csv" + " --truth cluster --threads 1",
                 tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("pioneer match: dedupe"), std::string::npos);
  const std::string clusters = ReadFile(tmp / "clusters.csv");
  EXPECT_EQ(clusters.rfind("id,cluster_id\n0,0\n", 0), 0u);
  EXPECT_EQ(CountLines(clusters), 1001);
  // Same output with two threads.
  const auto r2 =
      RunPioneer("match " + Data("splink/fake_1000.csv") + " --dedupe --out " + tmp / "pairs2.csv" +
                     " --clusters " + tmp / "clusters2.csv" + " --threads 2 --quiet",
                 tmp);
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_TRUE(r2.out.empty());
  EXPECT_EQ(ReadFile(tmp / "pairs.csv"), ReadFile(tmp / "pairs2.csv"));
  EXPECT_EQ(clusters, ReadFile(tmp / "clusters2.csv"));
}

TEST(LinkMatchCliTest, ErrorsNameFileLineColumnAndNeverValues) {
  TempDir tmp;
  WriteFile(tmp / "a.csv", "id,surname,dob\n1,Featherstonehaugh,1970-01-01\n1,Smith,1980-02-02\n");
  WriteFile(tmp / "b.csv", "id,surname,dob\n9,Featherstonehaugh,1970-01-01\n");
  auto r =
      RunPioneer("match " + tmp / "a.csv" + " " + tmp / "b.csv" + " --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("a.csv: line 3, column 1: duplicate record id '1'"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("Smith"), std::string::npos);
  EXPECT_EQ(r.err.find("1980"), std::string::npos);
  r = RunPioneer("match " + tmp / "b.csv" + " --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--dedupe"), std::string::npos);
  r = RunPioneer(
      "match " + tmp / "b.csv" + " --dedupe --map family_name=lastname --out " + tmp / "p.csv",
      tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("b.csv: line 1: no column 'lastname' (mapped to family_name)"),
            std::string::npos)
      << r.err;
  r = RunPioneer(
      "match " + tmp / "b.csv" + " --dedupe --block 'year(surname)' --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("year()/month() need birth_date"), std::string::npos) << r.err;
}

TEST(LinkMatchCliTest, SynthPeopleFilesLinkWithAutomaticMapping) {
  TempDir tmp;
  auto r = RunPioneer("synth-people --records 1500 --seed 4 --out " + tmp / "hp", tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("synthetic people written to"), std::string::npos) << r.out;
  // b.csv has NHS PDS-style headers (forename, family_name, birth_date, sex, post_code,
  // address_line_1, town); a.csv Splink-style ones. Neither needs --map.
  r = RunPioneer("match " + tmp / "hp/a.csv" + " " + tmp / "hp/b.csv" + " --truth truth_person" +
                     " --out " + tmp / "pairs.csv",
                 tmp);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("fields: given_name <- first_name, family_name <- surname, birth_date <- "
                       "dob, sex <- gender, postcode <- postcode, address <- address, city <- "
                       "city; ids: unique_id"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("recall ceiling measured against truth"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("clusters vs people"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("truth_person"), std::string::npos) << "truth is never compared";
}

TEST(LinkMatchCliTest, InputErrorsExitTwoWithAHint) {
  TempDir tmp;
  // Semicolon-separated: the delimiter is named.
  WriteFile(tmp / "semi.csv", "id;first_name;surname;dob\n1;Ann;Lee;1970-01-01\n");
  auto r = RunPioneer("match " + tmp / "semi.csv" + " --dedupe --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("semicolons"), std::string::npos) << r.err;
  // No column to compare: an error, not 0 matches.
  WriteFile(tmp / "none.csv", "id,colour,shoe_size\n1,red,7\n2,blue,9\n");
  r = RunPioneer("match " + tmp / "none.csv" + " --dedupe --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("none of the 3 columns is a field to compare"), std::string::npos) << r.err;
  // A missing input file.
  r = RunPioneer("match " + tmp / "absent.csv" + " --dedupe --out " + tmp / "p.csv", tmp);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("absent.csv"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace pioneer
