// Fuzz target: the authentication inputs of the FHIR server. The bytes are read three ways:
// as the form body of `POST /auth/token` (decoded by cpp-httplib as the server decodes it,
// then ParseTokenRequest and, for every role, the scopes it asks for through
// ig::GrantScopes), as an Authorization header (BearerToken) and as a scope string
// (SplitScopes, ScopesAllowRead / ScopesAllowWrite).
// Checks beyond "no crash": a token request is refused exactly when its first grant_type is
// not "password", with a message that repeats no value; granted scopes are among the role's
// allowed scopes, without duplicates, and survive JoinScopes/SplitScopes; a scope list
// allows reading a type exactly when it holds "<ctx>/<type>.read" or "<ctx>/*.read"; a
// bearer token is the header without its "Bearer " prefix and is never empty.
#include <httplib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "no_echo.h"
#include "pioneer/ig/role.h"
#include "pioneer/server/auth_request.h"

using namespace pioneer;

namespace {

using fuzz::Require;

constexpr ig::Role kRoles[] = {
    ig::Role::kGp,      ig::Role::kNurse,     ig::Role::kSocialWorker, ig::Role::kCareCoordinator,
    ig::Role::kAnalyst, ig::Role::kIgOfficer, ig::Role::kPatient};

void TokenForm(const std::string& body) {
  httplib::Params decoded;
  httplib::detail::parse_query_text(body, decoded);
  const fhir::SearchParams form(decoded.begin(), decoded.end());
  const server::TokenRequestParse parsed = server::ParseTokenRequest(form);
  std::string grant_type;
  bool has_grant = false;
  std::vector<std::string> values, names;
  for (const auto& [k, v] : form) {
    if (k == "grant_type" && !has_grant) {
      grant_type = v;
      has_grant = true;
    }
    names.push_back(k);
    values.push_back(v);
  }
  Require(parsed.error.empty() == (grant_type == "password"), "refused exactly when not password");
  if (!parsed.error.empty()) {
    fuzz::CheckNoValueEchoed(parsed.error + " " + parsed.description, values, {});
    return;
  }
  for (ig::Role role : kRoles) {
    auto granted = ig::GrantScopes(role, parsed.request.scope);
    const std::vector<std::string> allowed = ig::AllowedScopes(role);
    if (!granted) {
      bool refused_one = false;
      for (const std::string& s : ig::SplitScopes(parsed.request.scope)) {
        refused_one |= std::find(allowed.begin(), allowed.end(), s) == allowed.end();
      }
      Require(refused_one, "invalid_scope only for a scope the role may not have");
      continue;
    }
    for (size_t i = 0; i < granted->size(); ++i) {
      const std::string& s = (*granted)[i];
      Require(std::find(allowed.begin(), allowed.end(), s) != allowed.end(), "granted is allowed");
      Require(std::find(granted->begin() + static_cast<long>(i) + 1, granted->end(), s) ==
                  granted->end(),
              "granted without duplicates");
    }
    Require(ig::SplitScopes(ig::JoinScopes(*granted)) == *granted, "scopes join and split");
  }
}

void ScopeString(std::string_view text) {
  const std::vector<std::string> scopes = ig::SplitScopes(text);
  for (const std::string& s : scopes) {
    Require(!s.empty() && s.find(' ') == std::string::npos, "scopes are words");
  }
  Require(ig::SplitScopes(ig::JoinScopes(scopes)) == scopes, "split scopes join back");
  for (std::string_view type : {"Patient", "CarePlan", "Consent", "AuditEvent", "*"}) {
    bool by_name = false;
    for (const std::string& s : scopes) {
      size_t slash = s.find('/');
      if (slash == std::string::npos) continue;
      std::string_view rest = std::string_view(s).substr(slash + 1);
      by_name |= rest == std::string(type) + ".read" || rest == "*.read";
    }
    Require(ig::ScopesAllowRead(scopes, type) == by_name, "read scope matches by name");
    (void)ig::ScopesAllowWrite(scopes, type);
  }
}

void Authorization(std::string_view header) {
  if (auto token = server::BearerToken(header)) {
    Require(!token->empty(), "a bearer token is never empty");
    Require("Bearer " + std::string(*token) == header, "the token is the rest of the header");
  } else {
    Require(header.substr(0, 7) != "Bearer " || header.size() == 7, "only Bearer is refused");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > 8192) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  TokenForm(text);
  ScopeString(text);
  Authorization(text);
  return 0;
}
