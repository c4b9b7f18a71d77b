#include "pioneer/ig/role.h"

#include <gtest/gtest.h>

#include <algorithm>

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
  EXPECT_EQ(*GrantScopes(Role::kGp, "user/*.read user/CarePlan.write"),
            (std::vector<std::string>{"user/*.read", "user/CarePlan.write"}));
  EXPECT_FALSE(GrantScopes(Role::kGp, "user/Patient.write"));  // people come from PDS
  EXPECT_TRUE(GrantScopes(Role::kGp, "user/*.read user/*.write user/Practitioner.write"));
  EXPECT_FALSE(GrantScopes(Role::kAnalyst, "user/*.write"));
  EXPECT_FALSE(GrantScopes(Role::kPatient, "patient/*.write"));
  EXPECT_FALSE(GrantScopes(Role::kAnalyst, "user/CarePlan.write"));
  EXPECT_FALSE(GrantScopes(Role::kIgOfficer, "user/CarePlan.write"));
  EXPECT_FALSE(GrantScopes(Role::kPatient, "patient/CarePlan.write"));
  EXPECT_TRUE(GrantScopes(Role::kPatient, "patient/*.read patient/Consent.write"));
  EXPECT_TRUE(GrantScopes(Role::kNurse, "user/Consent.write"));
  EXPECT_FALSE(GrantScopes(Role::kIgOfficer, "user/Consent.write"));
  EXPECT_EQ(*GrantScopes(Role::kIgOfficer, ""),
            (std::vector<std::string>{"user/AuditEvent.read", "user/Consent.read"}));
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

TEST(RoleTest, ScopesAllowWriteOnlyWithAWriteScope) {
  EXPECT_TRUE(ScopesAllowWrite({"user/CarePlan.write"}, "CarePlan"));
  EXPECT_FALSE(ScopesAllowWrite({"user/*.read"}, "CarePlan"));
  EXPECT_FALSE(ScopesAllowWrite({"user/CarePlan.read"}, "CarePlan"));
  EXPECT_FALSE(ScopesAllowWrite({"user/CarePlan.write"}, "Patient"));
  EXPECT_FALSE(ScopesAllowRead({"user/CarePlan.write"}, "CarePlan"));
  EXPECT_TRUE(ScopesAllowWrite({"user/*.write"}, "Observation"));
}

TEST(RoleTest, WritableTypesBoundTheWildcardWriteScope) {
  const std::vector<std::string> gp = WritableResourceTypes(Role::kGp);
  for (const char* t : {"CarePlan", "Consent", "Encounter", "Claim", "Provenance", "Practitioner",
                        "Organization"}) {
    EXPECT_NE(std::find(gp.begin(), gp.end(), t), gp.end()) << t;
  }
  for (const char* t : {"Patient", "AuditEvent", "RiskAssessment", "EpisodeOfCare"}) {
    EXPECT_EQ(std::find(gp.begin(), gp.end(), t), gp.end()) << t;
  }
  EXPECT_EQ(WritableResourceTypes(Role::kPatient), std::vector<std::string>{"Consent"});
  EXPECT_TRUE(WritableResourceTypes(Role::kAnalyst).empty());
}

}  // namespace
}  // namespace pioneer::ig
