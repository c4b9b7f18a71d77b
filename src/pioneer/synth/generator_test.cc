#include "pioneer/synth/generator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/synth/test_areas.h"

namespace pioneer::synth {
namespace {

using testing::Areas;
using testing::ReadFile;

std::vector<std::string> AllFiles() {
  std::vector<std::string> files;
  for (const formats::ExtractSpec& e : formats::AllExtracts()) files.emplace_back(e.file_name);
  files.emplace_back("truth/persons.csv");
  files.emplace_back("truth/record_truth.csv");
  files.emplace_back("care_plans/care_plans.csv");
  return files;
}

TEST(GeneratorTest, SameSeedGivesIdenticalFilesWhateverTheThreadCount) {
  const std::string& one = Areas().Get(3000, 5, /*threads=*/1);
  const std::string& two = Areas().Get(3000, 5, /*threads=*/2);
  for (const std::string& f : AllFiles()) {
    const std::string a = ReadFile(one + "/" + f);
    const std::string b = ReadFile(two + "/" + f);
    EXPECT_FALSE(a.empty()) << f;
    EXPECT_TRUE(a == b) << f << " differs between 1 and 2 threads";
  }
}

TEST(GeneratorTest, DifferentSeedGivesDifferentFiles) {
  const std::string& a = Areas().Get(3000, 5, 1);
  const std::string& b = Areas().Get(3000, 6, 1);
  for (const char* f : {"pds.csv", "apc_episodes.csv", "gp_events.csv", "social_care_events.csv"}) {
    EXPECT_NE(ReadFile(a + "/" + f), ReadFile(b + "/" + f)) << f;
  }
  // The schema-defined header is the same.
  const std::string pa = ReadFile(a + "/pds.csv");
  const std::string pb = ReadFile(b + "/pds.csv");
  EXPECT_EQ(pa.substr(0, pa.find('\n')), pb.substr(0, pb.find('\n')));
}

TEST(GeneratorTest, SummaryCountsMatchTheFiles) {
  const std::string dir = (std::filesystem::temp_directory_path() /
                           ("pioneer_synth_summary_" + std::to_string(getpid())))
                              .string();
  SynthOptions options;
  options.population = 2000;
  options.seed = 11;
  options.out_dir = dir;
  int calls = 0;
  auto summary = GenerateArea(options, [&](const SynthProgress& p) {
    ++calls;
    EXPECT_LE(p.persons_done, p.persons_total);
  });
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_GE(calls, 1);
  EXPECT_EQ(summary->initial_population, 2000);
  EXPECT_GT(summary->births, 0);
  EXPECT_GT(summary->in_migrants, 0);
  EXPECT_EQ(summary->persons, summary->initial_population + summary->births + summary->in_migrants);
  EXPECT_EQ(summary->files.size(), AllFiles().size());
  for (const FileSummary& f : summary->files) {
    const std::string content = ReadFile(dir + "/" + f.file_name);
    EXPECT_EQ(static_cast<int64_t>(content.size()), f.bytes) << f.file_name;
    const int64_t lines = std::count(content.begin(), content.end(), '\n');
    // Quoted fields never contain newlines in synthetic data, so lines = rows + header.
    EXPECT_EQ(lines, f.rows + 1) << f.file_name;
  }
  std::filesystem::remove_all(dir);
}

TEST(GeneratorTest, RejectsBadOptions) {
  SynthOptions options;
  options.out_dir = "/tmp/unused";
  options.population = 10;
  EXPECT_EQ(GenerateArea(options).status().code(), StatusCode::kInvalidArgument);
  options.population = 1000;
  options.end = options.start;
  EXPECT_EQ(GenerateArea(options).status().code(), StatusCode::kInvalidArgument);
  options.end = *Date::FromYmd(2016, 3, 31);
  options.out_dir.clear();
  EXPECT_EQ(GenerateArea(options).status().code(), StatusCode::kInvalidArgument);
  options.population = MaxPopulation() + 1;
  options.out_dir = "/tmp/unused";
  EXPECT_EQ(GenerateArea(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pioneer::synth
