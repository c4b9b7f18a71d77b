#include "pioneer/store/master_index.h"

#include <gtest/gtest.h>

namespace pioneer::store {
namespace {

TEST(MasterIndexTest, CurrentPersonRowSqlIsTheOneRuleQualifiedByAlias) {
  EXPECT_EQ(CurrentPersonRowSql(""), "nhs_number_status = 'valid' AND record_type = 'current'");
  EXPECT_EQ(CurrentPersonRowSql("p"),
            "p.nhs_number_status = 'valid' AND p.record_type = 'current'");
}

TEST(MasterIndexTest, IsCurrentPersonRowNeedsAValidNumberAndTheCurrentRecord) {
  EXPECT_TRUE(IsCurrentPersonRow("valid", "current"));
  EXPECT_FALSE(IsCurrentPersonRow("valid", "history"));
  EXPECT_FALSE(IsCurrentPersonRow("missing", "current"));
  EXPECT_FALSE(IsCurrentPersonRow("check_digit_wrong", "current"));
  EXPECT_FALSE(IsCurrentPersonRow("", ""));
}

}  // namespace
}  // namespace pioneer::store
