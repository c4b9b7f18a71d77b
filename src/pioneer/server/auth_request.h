// The parts of a request the server authenticates with, parsed apart from HTTP:
//  * the token request of `POST /auth/token` (OAuth 2.0 resource owner password grant,
//    RFC 6749 section 4.3), from the fields of its form body as cpp-httplib decodes them;
//  * the bearer token of an `Authorization` header (RFC 6750 section 2.1).
// The scopes a token request names are narrowed by ig::GrantScopes (ig/role.h), and a bearer
// token is looked up by ig::TokenService; neither happens here.
// Errors: ParseTokenRequest sets `error` to the OAuth error code ("unsupported_grant_type")
// and `description` to a message that never repeats a submitted value (a password may be
// sent in the wrong field). Absent fields are "".
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "pioneer/fhir/search.h"

namespace pioneer::server {

struct TokenRequest {
  std::string username;
  std::string password;
  std::string scope;  // space-separated, as sent ("" = the role's default scopes)
};

struct TokenRequestParse {
  std::string error;        // "" when the request is usable; else an OAuth error code
  std::string description;  // for error_description
  TokenRequest request;
};

// The fields of a token request (`form`: decoded name/value pairs in the order sent; the
// first field of each name counts). grant_type must be "password".
TokenRequestParse ParseTokenRequest(const fhir::SearchParams& form);

// The token of an Authorization header "Bearer <token>" (the scheme name as sent by every
// client: "Bearer" and one space); nullopt for any other header. The token itself is not
// checked here (TokenService::Resolve refuses empty, over-long and unknown tokens alike).
std::optional<std::string_view> BearerToken(std::string_view authorization);

}  // namespace pioneer::server
