#include "pioneer/server/auth_request.h"

#include <gtest/gtest.h>

namespace pioneer::server {
namespace {

TEST(TokenRequestTest, PasswordGrantTakesTheFirstFieldOfEachName) {
  TokenRequestParse p = ParseTokenRequest({{"grant_type", "password"},
                                           {"username", "gp1"},
                                           {"password", "s3cret pass"},
                                           {"username", "other"},
                                           {"scope", "user/*.read user/CarePlan.write"}});
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.request.username, "gp1");
  EXPECT_EQ(p.request.password, "s3cret pass");
  EXPECT_EQ(p.request.scope, "user/*.read user/CarePlan.write");
  // Absent fields are empty (an empty scope means the role's defaults).
  p = ParseTokenRequest({{"grant_type", "password"}});
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.request.username, "");
  EXPECT_EQ(p.request.scope, "");
}

TEST(TokenRequestTest, OtherGrantsAreUnsupportedAndTheMessageRepeatsNoValue) {
  for (const fhir::SearchParams& form :
       {fhir::SearchParams{}, fhir::SearchParams{{"grant_type", "client_credentials"}},
        fhir::SearchParams{{"grant_type", "Password"}, {"password", "hunter2-secret"}},
        fhir::SearchParams{{"grant_type", "hunter2-secret"}, {"grant_type", "password"}}}) {
    TokenRequestParse p = ParseTokenRequest(form);
    EXPECT_EQ(p.error, "unsupported_grant_type");
    EXPECT_EQ(p.description, "grant_type must be password");
    EXPECT_EQ(p.request.password, "");
  }
}

TEST(BearerTokenTest, OnlyTheBearerSchemeWithAToken) {
  EXPECT_EQ(BearerToken("Bearer abc.def"), std::optional<std::string_view>("abc.def"));
  EXPECT_EQ(BearerToken("Bearer  two"), std::optional<std::string_view>(" two"));
  EXPECT_EQ(BearerToken("Bearer "), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer"), std::nullopt);
  EXPECT_EQ(BearerToken("bearer abc"), std::nullopt);
  EXPECT_EQ(BearerToken("Basic Z3A6cGFzcw=="), std::nullopt);
  EXPECT_EQ(BearerToken(""), std::nullopt);
}

}  // namespace
}  // namespace pioneer::server
