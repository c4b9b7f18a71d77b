#include "pioneer/base/csv_record.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace pioneer {
namespace {

TEST(EncodeCsvRecordTest, QuotesOnlyWhereNeeded) {
  std::vector<std::string_view> f = {"a", "b,c", "say \"x\"", "two\nlines", " pad", ""};
  EXPECT_EQ(EncodeCsvRecord(f), "a,\"b,c\",\"say \"\"x\"\"\",\"two\nlines\",\" pad\",");
}

}  // namespace
}  // namespace pioneer
