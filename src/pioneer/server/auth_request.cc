#include "pioneer/server/auth_request.h"

namespace pioneer::server {
namespace {

// The first field named `name`, "" when absent.
std::string Field(const fhir::SearchParams& form, std::string_view name) {
  for (const auto& [key, value] : form) {
    if (key == name) return value;
  }
  return std::string();
}

}  // namespace

TokenRequestParse ParseTokenRequest(const fhir::SearchParams& form) {
  TokenRequestParse out;
  if (Field(form, "grant_type") != "password") {
    out.error = "unsupported_grant_type";
    out.description = "grant_type must be password";
    return out;
  }
  out.request.username = Field(form, "username");
  out.request.password = Field(form, "password");
  out.request.scope = Field(form, "scope");
  return out;
}

std::optional<std::string_view> BearerToken(std::string_view authorization) {
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.size() <= kBearer.size() ||
      authorization.substr(0, kBearer.size()) != kBearer) {
    return std::nullopt;
  }
  return authorization.substr(kBearer.size());
}

}  // namespace pioneer::server
