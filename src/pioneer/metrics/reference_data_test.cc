// LoadRateTablesCsv: a dementia prevalence table supplied as data replaces the embedded one,
// and a bad file changes nothing and names the file, line and field.
#include "pioneer/metrics/reference_data.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace pioneer::metrics {
namespace {

using testing::TempDir;
using testing::WriteFile;

std::string FullTable(const std::string& table, double male_65, const std::string& source) {
  std::string out = "table,sex,age_band,rate_per_100,source\n";
  const char* bands[] = {"65-69", "70-74", "75-79", "80-84", "85-89", "90+"};
  for (int sex = 1; sex <= 2; ++sex) {
    for (int b = 0; b < 6; ++b) {
      double rate = sex == 1 && b == 0 ? male_65 : 10.0 * sex + b;
      out += table + "," + std::to_string(sex) + "," + bands[b] + "," + std::to_string(rate) + "," +
             (sex == 1 && b == 0 ? source : "") + "\n";
    }
  }
  return out;
}

TEST(RateTablesCsv, ReplacesTheNamedTableOnly) {
  TempDir tmp;
  std::string path = tmp / "rates.csv";
  WriteFile(path, FullTable("cfas2", 1.25, "NHS Digital indicator specification"));
  ReferenceData ref;
  const double uk_before = ref.RateTableNamed("dementia_uk_2007")->rate[2][5];
  ASSERT_TRUE(LoadRateTablesCsv(path, ref).ok());
  const RateTable* t = ref.RateTableNamed("cfas2");
  ASSERT_NE(t, nullptr);
  EXPECT_DOUBLE_EQ(t->rate[1][0], 1.25);
  EXPECT_DOUBLE_EQ(t->rate[1][5], 15.0);  // 10 x 1 + band 5
  EXPECT_DOUBLE_EQ(t->rate[2][3], 23.0);
  EXPECT_EQ(t->source, "NHS Digital indicator specification");
  EXPECT_EQ(t->provenance, "loaded from " + path);
  EXPECT_DOUBLE_EQ(ref.RateTableNamed("dementia_uk_2007")->rate[2][5], uk_before);
  EXPECT_EQ(ref.rate_tables.size(), ReferenceRates().size());
}

struct BadCase {
  std::string name, text, expected_fragment;
};

TEST(RateTablesCsv, BadFilesNameLineAndFieldAndChangeNothing) {
  std::string header = "table,sex,age_band,rate_per_100\n";
  std::vector<BadCase> cases = {
      {"unknown table", header + "cfas3,1,65-69,1.0\n", "line 2, field 'table'"},
      {"bad sex", header + "cfas2,9,65-69,1.0\n", "line 2, field 'sex'"},
      {"bad band", header + "cfas2,1,65-70,1.0\n", "line 2, field 'age_band'"},
      {"rate not a number", header + "cfas2,1,65-69,one\n", "line 2, field 'rate_per_100'"},
      {"rate over 100", header + "cfas2,1,65-69,101\n", "line 2, field 'rate_per_100'"},
      {"duplicate cell", header + "cfas2,1,65-69,1\ncfas2,1,65-69,2\n", "line 3, field 'age_band'"},
      {"missing column", "table,sex,band,rate_per_100\n", "field 'age_band': missing column"},
      {"incomplete table", header + "cfas2,1,65-69,1\n", "no row for sex 1 age band 70-74"},
  };
  for (const auto& c : cases) {
    TempDir tmp;
    std::string path = tmp / "rates.csv";
    WriteFile(path, c.text);
    ReferenceData ref;
    const double before = ref.RateTableNamed("cfas2")->rate[1][0];
    Status st = LoadRateTablesCsv(path, ref);
    ASSERT_FALSE(st.ok()) << c.name;
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(st.message().find(path), std::string::npos) << c.name << ": " << st.message();
    EXPECT_NE(st.message().find(c.expected_fragment), std::string::npos)
        << c.name << ": " << st.message();
    EXPECT_DOUBLE_EQ(ref.RateTableNamed("cfas2")->rate[1][0], before) << c.name;
  }
}

TEST(RateTablesCsv, MissingFileIsAnError) {
  ReferenceData ref;
  Status st = LoadRateTablesCsv("/nonexistent/rates.csv", ref);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("/nonexistent/rates.csv"), std::string::npos);
}

}  // namespace
}  // namespace pioneer::metrics

namespace pioneer::metrics {
namespace {

// The shipped template holds exactly the embedded tables, so editing it is the way to supply
// the official figures (docs/metrics.md, "Reference rate tables").
TEST(RateTablesCsv, ShippedTemplateMatchesTheEmbeddedTables) {
  ReferenceData ref;
  ASSERT_TRUE(LoadRateTablesCsv(
                  testing::SourceDir() + "/examples/reference/dementia_prevalence_rates.csv", ref)
                  .ok());
  for (const auto& embedded : ReferenceRates()) {
    const RateTable* t = ref.RateTableNamed(embedded.name);
    ASSERT_NE(t, nullptr) << embedded.name;
    for (int sex = 1; sex <= 2; ++sex) {
      for (int b = 0; b < 6; ++b) {
        EXPECT_DOUBLE_EQ(t->rate[sex][b], embedded.rate[sex][b]) << embedded.name;
      }
    }
  }
}

}  // namespace
}  // namespace pioneer::metrics
