#include "pioneer/ingest/row_validator.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pioneer/ingest/testing/sample_extracts.h"
#include "pioneer/store/extract_tables.h"

namespace pioneer::ingest {
namespace {

struct Fixture {
  explicit Fixture(const char* file, std::vector<std::string_view> header = {}) {
    spec = formats::FindExtract(file);
    std::vector<std::string> names;
    if (header.empty()) {
      for (const auto& f : spec->fields) header.push_back(f.name);
    }
    EXPECT_TRUE(MapHeader(*spec, header, &map).empty());
    auto v = RowValidator::Create(map);
    EXPECT_TRUE(v.ok());
    validator = std::move(*v);
    batch.Reset(spec, validator->width());
  }
  // Runs a row given as field -> value for named fields, others empty.
  std::optional<Reason> Run(std::vector<std::pair<std::string_view, std::string>> values,
                            int64_t line = 2) {
    std::vector<std::string> row(map.column_count());
    for (auto& [name, v] : values)
      row[static_cast<size_t>(map.column_of_field[static_cast<size_t>(spec->FieldIndex(name))])] =
          v;
    std::vector<std::string_view> views(row.begin(), row.end());
    q = store::QuarantineRecord();
    return validator->Process(line, views, &batch, &q);
  }

  const formats::ExtractSpec* spec;
  ColumnMap map;
  std::unique_ptr<RowValidator> validator;
  RowBatch batch;
  store::QuarantineRecord q;
};

std::vector<std::pair<std::string_view, std::string>> GoodEpisode() {
  return {{"episode_id", "E1"},
          {"spell_id", "S1"},
          {"episode_number", "1"},
          {"episode_status", "1"},
          {"episode_type", "1"},
          {"nhs_number", "9434765919"},
          {"provider_code", " RR8"},
          {"admission_date", "2014-05-01"},
          {"admission_method", "21"},
          {"admission_source", "19"},
          {"patient_classification", "1"},
          {"main_specialty", "300"},
          {"episode_start_date", "2014-05-01"},
          {"episode_end_date", "2014-05-03"},
          {"discharge_date", "2014-05-03"},
          {"age_on_admission", "80"},
          {"sex", "2"},
          {"diag_01", "j45.9"}};
}

TEST(RowValidatorTest, AcceptsCanonicalRow) {
  Fixture fx("apc_episodes.csv");
  ASSERT_EQ(fx.Run(GoodEpisode()), std::nullopt) << fx.q.reason_code << " " << fx.q.detail;
  ASSERT_EQ(fx.batch.rows(), 1u);
  std::vector<std::string> got;
  auto cols = store::ExtractDataColumns(*fx.spec);
  ASSERT_TRUE(fx.batch
                  .ForEachRow([&](int64_t line, std::span<const store::Cell> cells) {
                    EXPECT_EQ(line, 2);
                    EXPECT_EQ(cells.size(), cols.size());
                    for (size_t i = 0; i < cells.size(); ++i) {
                      if (cols[i].name == "provider_code" || cols[i].name == "diag_01" ||
                          cols[i].name == "nhs_number_status" || cols[i].name == "nhs_number") {
                        got.push_back(cols[i].name + "=" + std::string(cells[i].text));
                      }
                      if (cols[i].name == "age_on_admission")
                        got.push_back("age=" + std::to_string(cells[i].i));
                      if (cols[i].name == "diag_02") {
                        EXPECT_EQ(cells[i].kind, store::Cell::Kind::kNull);
                      }
                    }
                    return OkStatus();
                  })
                  .ok());
  EXPECT_EQ(got, (std::vector<std::string>{"nhs_number=9434765919", "provider_code=RR8", "age=80",
                                           "diag_01=J459", "nhs_number_status=valid"}));
}

TEST(RowValidatorTest, DateOrderRules) {
  Fixture fx("apc_episodes.csv");
  auto row = GoodEpisode();
  for (auto& [k, v] : row) {
    if (k == "discharge_date") v = "2014-04-30";
  }
  ASSERT_EQ(fx.Run(row, 7), Reason::kDateOrder);
  EXPECT_EQ(fx.q.field, "discharge_date");
  EXPECT_EQ(fx.q.raw_value, "2014-04-30");
  EXPECT_EQ(fx.q.line_no, 7);
  EXPECT_EQ(fx.q.file_name, "apc_episodes.csv");
  EXPECT_EQ(fx.q.detail, "discharge_date is before admission_date");
  EXPECT_EQ(fx.batch.rows(), 0u);
  // Equal dates are fine; a missing one is not compared.
  row = GoodEpisode();
  for (auto& [k, v] : row) {
    if (k == "episode_end_date" || k == "discharge_date") v = "";
  }
  EXPECT_EQ(fx.Run(row), std::nullopt);
}

TEST(RowValidatorTest, AllProblemsAreListedFirstOneNamed) {
  Fixture fx("apc_episodes.csv");
  auto row = GoodEpisode();
  for (auto& [k, v] : row) {
    if (k == "admission_method") v = "X7";
    if (k == "sex") v = "";
    if (k == "diag_01") v = "??";
  }
  ASSERT_EQ(fx.Run(row), Reason::kBadCode);
  EXPECT_EQ(fx.q.field, "admission_method");
  EXPECT_EQ(fx.q.raw_value, "X7");
  EXPECT_EQ(fx.q.problem_count, 3);
  EXPECT_EQ(fx.q.detail,
            "not a value of code set 'admission_method'; 3 problems in the row: "
            "admission_method bad_code sex missing_required diag_01 bad_icd10");
  EXPECT_NE(fx.q.raw_record.find(",X7,"), std::string::npos);
}

TEST(RowValidatorTest, ColumnCountAndReorderedHeader) {
  Fixture fx("lsoa.csv", {"imd_decile", "lsoa_code", "la_code", "lsoa_name"});
  std::vector<std::string_view> ok = {"3", "E01000001", "E08000035", "Leeds, 001A"};
  store::QuarantineRecord q;
  EXPECT_EQ(fx.validator->Process(2, ok, &fx.batch, &q), std::nullopt);
  std::vector<std::string_view> short_row = {"3", "E01000001", "E08000035"};
  EXPECT_EQ(fx.validator->Process(3, short_row, &fx.batch, &q), Reason::kColumnCount);
  EXPECT_EQ(q.field, "");
  EXPECT_EQ(q.detail, "the row has 3 fields; the header has 4");
  EXPECT_EQ(q.raw_record, "3,E01000001,E08000035");
  EXPECT_EQ(fx.batch.rows(), 1u);
}

TEST(RowValidatorTest, EveryExtractAndRuleIsConsistent) {
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    std::vector<std::string_view> header;
    for (const auto& f : spec.fields) header.push_back(f.name);
    ColumnMap map;
    ASSERT_TRUE(MapHeader(spec, header, &map).empty());
    EXPECT_TRUE(RowValidator::Create(map).ok()) << spec.table;
  }
  // Every extract's date rules name two of its date fields (Create checks them); the rules
  // cover the documented pairs (docs/data-formats.md section 1).
  size_t rules = 0;
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) rules += spec.date_order.size();
  EXPECT_EQ(rules, 9u);
}

TEST(RowValidatorTest, GeneratedSampleRowsAreAllAccepted) {
  std::mt19937_64 rng(7);
  for (const formats::ExtractSpec& spec : formats::AllExtracts()) {
    Fixture fx(std::string(spec.file_name).c_str());
    for (int i = 0; i < 200; ++i) {
      testing::Row row = testing::ValidRow(spec, rng, i);
      std::vector<std::string_view> views(row.begin(), row.end());
      store::QuarantineRecord q;
      ASSERT_EQ(fx.validator->Process(i + 2, views, &fx.batch, &q), std::nullopt)
          << spec.table << ": " << q.field << " " << q.reason_code << " '" << q.raw_value << "'";
    }
  }
}

}  // namespace
}  // namespace pioneer::ingest
