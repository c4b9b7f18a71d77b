// `pioneer synth --faults hard` (faults.h HardFaultRates): the social care extract carries
// the hard model's faults at about their documented rates, each listed in
// truth/record_truth.csv; fields without a listed fault are the truth; every value still
// follows the extract schema; the output is the same whatever the thread count.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/model/clinical_codes.h"
#include "pioneer/synth/csv_reader.h"
#include "pioneer/synth/faults.h"
#include "pioneer/synth/generator.h"
#include "pioneer/synth/names.h"

namespace pioneer::synth {
namespace {

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  int Col(const char* name) const { return ColumnIndex(header, name); }
};

Table Load(const std::string& path) {
  Table t;
  Status s = ReadCsvFile(path, &t.header,
                         [&](const std::vector<std::string>& row) { t.rows.push_back(row); });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return t;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class HardFaultsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string((std::filesystem::temp_directory_path() /
                            ("pioneer_hard_faults_" + std::to_string(getpid())))
                               .string());
    for (int threads : {1, 2}) {
      SynthOptions o;
      o.population = 4000;
      o.seed = 11;
      o.threads = threads;
      o.faults = HardFaultRates();
      o.out_dir = *dir_ + "/t" + std::to_string(threads);
      auto s = GenerateArea(o);
      ASSERT_TRUE(s.ok()) << s.status().ToString();
    }
  }
  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(*dir_, ec);
    delete dir_;
  }
  static std::string Area() { return *dir_ + "/t2"; }
  static std::string* dir_;
};
std::string* HardFaultsTest::dir_ = nullptr;

TEST_F(HardFaultsTest, SameOutputWhateverTheThreadCount) {
  for (const char* f : {"social_care_events.csv", "truth/record_truth.csv", "pds.csv"}) {
    EXPECT_EQ(Slurp(*dir_ + "/t1/" + f), Slurp(*dir_ + "/t2/" + f)) << f;
  }
}

TEST_F(HardFaultsTest, FaultsAtTheirRatesAndFieldsTrueOtherwise) {
  const Table sc = Load(Area() + "/social_care_events.csv");
  const Table truth = Load(Area() + "/truth/record_truth.csv");
  const Table persons = Load(Area() + "/truth/persons.csv");
  std::unordered_map<std::string, std::string> faults;  // event id -> faults
  for (const auto& r : truth.rows) {
    if (r[0] == "social_care_events.csv") faults[r[1]] = r[3];
  }
  std::unordered_map<std::string, const std::vector<std::string>*> person_of_client;
  for (const auto& r : persons.rows) {
    for (const char* c : {"la_person_id", "la_person_id_duplicate"}) {
      const std::string& id = r[persons.Col(c)];
      if (!id.empty()) person_of_client[id] = &r;
    }
  }
  std::map<std::string, int> count;
  int rows = 0;
  const int dob = sc.Col("birth_date"), sex = sc.Col("sex"), pc = sc.Col("postcode");
  for (const auto& r : sc.rows) {
    ++rows;
    const std::string& f = faults[r[sc.Col("event_id")]];
    auto has = [&](const char* name) { return f.find(name) != std::string::npos; };
    for (const char* name :
         {fault::kDobMissing, fault::kDobYearOffByOne, fault::kDobDigitTypo, fault::kSexWrong,
          fault::kPostcodeMoved, fault::kPostcodeTypo, fault::kPostcodeMissing,
          fault::kNamesSwapped, fault::kGivenNameKeyedWrong, fault::kFamilyNameKeyedWrong,
          fault::kFamilyNameOther, fault::kGivenNameMissing, fault::kSexMissing}) {
      if (has(name)) ++count[name];
    }
    // Schema: dates parse, postcodes normalise, sex is a code.
    if (!r[dob].empty()) {
      EXPECT_TRUE(Date::ParseIso(r[dob]).has_value()) << r[dob];
    }
    if (!r[pc].empty()) {
      EXPECT_TRUE(model::NormalisePostcode(r[pc]).has_value()) << r[pc];
    }
    EXPECT_TRUE(r[sex].empty() || r[sex] == "1" || r[sex] == "2") << r[sex];
    EXPECT_EQ(r[dob].empty(), has(fault::kDobMissing));
    EXPECT_EQ(r[sex].empty(), has(fault::kSexMissing));
    const auto it = person_of_client.find(r[sc.Col("la_person_id")]);
    ASSERT_NE(it, person_of_client.end());
    const std::vector<std::string>& p = *it->second;
    if (!has("birth_date")) {
      EXPECT_EQ(r[dob], p[persons.Col("birth_date")]);
    }
    if (!has("sex")) {
      EXPECT_EQ(r[sex], p[persons.Col("sex")]);
    }
    if (!has("given_name") && !has("name_typo") && !has("names_swapped") && !has("diacritics")) {
      EXPECT_EQ(r[sc.Col("given_name")], p[persons.Col("given_name")]);
    }
  }
  ASSERT_GT(rows, 800);
  auto rate = [&](const char* name) { return static_cast<double>(count[name]) / rows; };
  // Documented rates (docs/synthetic-data.md), with room for a ~1,000-row sample.
  EXPECT_NEAR(rate(fault::kDobMissing), 0.25, 0.05);
  EXPECT_NEAR(rate(fault::kPostcodeMissing), 0.25, 0.05);
  EXPECT_NEAR(rate(fault::kSexMissing), 0.10, 0.03);
  EXPECT_NEAR(rate(fault::kGivenNameKeyedWrong), 0.08, 0.03);
  EXPECT_NEAR(rate(fault::kFamilyNameKeyedWrong), 0.08, 0.03);
  EXPECT_NEAR(rate(fault::kNamesSwapped), 0.03, 0.02);
  EXPECT_NEAR(rate(fault::kPostcodeMoved), 0.12, 0.04);
  // Applied only to rows that have a date (75%): 5%, 2% of those.
  EXPECT_NEAR(rate(fault::kDobDigitTypo), 0.0375, 0.02);
  EXPECT_GT(count[fault::kDobYearOffByOne], 0);
  EXPECT_GT(count[fault::kPostcodeTypo], 0);
  EXPECT_GT(count[fault::kFamilyNameOther], 0);
  EXPECT_GT(count[fault::kGivenNameMissing], 0);
  EXPECT_GT(count[fault::kSexWrong], 0);
}

TEST(FaultPresetTest, NamesTheTwoPresets) {
  ASSERT_TRUE(FaultPreset("default").has_value());
  EXPECT_EQ(FaultPreset("default")->sc_dob_missing, 0);
  ASSERT_TRUE(FaultPreset("hard").has_value());
  EXPECT_EQ(FaultPreset("hard")->sc_dob_missing, HardFaultRates().sc_dob_missing);
  EXPECT_GT(HardFaultRates().sc_client_nhs_missing, FaultRates{}.sc_client_nhs_missing);
  EXPECT_FALSE(FaultPreset("Hard").has_value());
  EXPECT_FALSE(FaultPreset("").has_value());
}

TEST(NameKeyingErrorTest, OneEditAsciiOnly) {
  Rng rng(5);
  int changed = 0, first_letter = 0;
  for (int i = 0; i < 2000; ++i) {
    const std::string name = i % 2 ? "Margaret" : "Wiśniewska";
    const std::string out = NameKeyingError(name, rng);
    EXPECT_LE(out.size(), name.size() + 1);
    EXPECT_GE(out.size() + 1, name.size());
    EXPECT_NE(out.find(i % 2 ? "" : "ś"), std::string::npos) << out;  // UTF-8 untouched
    changed += out != name;
    first_letter += out[0] != name[0];
  }
  EXPECT_GT(changed, 1500);     // transposing equal letters or deleting from short names: no-op
  EXPECT_GT(first_letter, 50);  // the first letter is not exempt
  EXPECT_EQ(NameKeyingError("A", rng), "A");
}

}  // namespace
}  // namespace pioneer::synth
