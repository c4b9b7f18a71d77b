#include "pioneer/ingest/value_ranges.h"

#include <gtest/gtest.h>

#include "pioneer/formats/extract_schema.h"

namespace pioneer::ingest {
namespace {

// The table is data: every entry must name a numeric field of a real extract, with min <= max.
TEST(ValueRangesTest, EveryRangeNamesANumericFieldOfAnExtract) {
  for (const ValueRange& r : AllValueRanges()) {
    const formats::ExtractSpec* spec = nullptr;
    for (const auto& e : formats::AllExtracts())
      if (e.table == r.table) spec = &e;
    ASSERT_NE(spec, nullptr) << r.table;
    int f = spec->FieldIndex(r.field);
    ASSERT_GE(f, 0) << r.table << "." << r.field;
    auto type = spec->fields[static_cast<size_t>(f)].type;
    EXPECT_TRUE(type == formats::FieldType::kInteger || type == formats::FieldType::kDecimal)
        << r.table << "." << r.field;
    EXPECT_LE(r.min, r.max);
    EXPECT_FALSE(r.why.empty());
  }
}

TEST(ValueRangesTest, DescribesOneOrSeveralRanges) {
  EXPECT_EQ(DescribeRanges(RangesOf("population", "population")),
            "out of range: must be >= 0 (a population cannot be negative)");
  EXPECT_EQ(DescribeRanges(RangesOf("apc_episodes", "age_on_admission")),
            "out of range: must be within 0..120 (STARTAGE: years of age) or within 7001..7007 "
            "(STARTAGE: 7001-7007 for infants)");
  EXPECT_TRUE(RangesOf("pds", "nhs_number").empty());
}

}  // namespace
}  // namespace pioneer::ingest
