#include "pioneer/ig/role.h"

#include <gtest/gtest.h>

namespace pioneer::ig {
namespace {

TEST(RoleTest, NamesRoundTrip) {
  for (Role r : {Role::kGp, Role::kNurse, Role::kSocialWorker, Role::kCareCoordinator,
                 Role::kAnalyst, Role::kIgOfficer, Role::kPatient}) {
    EXPECT_EQ(ParseRole(RoleName(r)), r);
  }
  EXPECT_FALSE(ParseRole("admin"));
}

TEST(RoleTest, ScopesAreNarrowedToTheRole) {
  EXPECT_EQ(*GrantScopes(Role::kGp, ""), std::vector<std::string>{"user/*.read"});
  EXPECT_EQ(*GrantScopes(Role::kGp, "user/Patient.read  user/Patient.read"),
            std::vector<std::string>{"user/Patient.read"});
  EXPECT_FALSE(GrantScopes(Role::kPatient, "user/*.read"));
  EXPECT_FALSE(GrantScopes(Role::kAnalyst, "user/Patient.read"));
  EXPECT_FALSE(GrantScopes(Role::kGp, "user/CarePlan.write"));  // not implemented yet
  EXPECT_EQ(*GrantScopes(Role::kPatient, ""), std::vector<std::string>{"patient/*.read"});
}

TEST(RoleTest, ScopesAllowReadByTypeOrWildcard) {
  EXPECT_TRUE(ScopesAllowRead({"user/*.read"}, "Encounter"));
  EXPECT_TRUE(ScopesAllowRead({"user/Patient.read"}, "Patient"));
  EXPECT_FALSE(ScopesAllowRead({"user/Patient.read"}, "Encounter"));
  EXPECT_FALSE(ScopesAllowRead({"user/Patient.readx"}, "Patient"));
  EXPECT_FALSE(ScopesAllowRead({"user/AuditEvent.read"}, "Patient"));
  EXPECT_FALSE(ScopesAllowRead({}, "Patient"));
}

}  // namespace
}  // namespace pioneer::ig
