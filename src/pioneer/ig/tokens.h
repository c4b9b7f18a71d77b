// TokenService: bearer tokens and break-glass grants (tables ig_tokens, ig_break_glass).
//
// A token is random (crypto.h); only its digest is stored, with the user, the granted
// scopes, expiry and revocation time. Resolve accepts a token only while it is unexpired,
// unrevoked and its account enabled. A break-glass token carries the caller's identity and
// scopes plus one grant for one person; it expires with the grant (kBreakGlassSeconds) or
// with the caller's own token, whichever is earlier.
// Errors: the store's errors; Resolve returns nullopt for every unusable token alike.
// Thread safety: one TokenService per Store connection.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/ig/principal.h"
#include "pioneer/store/store.h"

namespace pioneer::ig {

inline constexpr int64_t kBreakGlassSeconds = 30 * 60;
inline constexpr size_t kMinBreakGlassReason = 10;

struct IssuedToken {
  std::string access_token;
  int64_t expires_in = 0;  // seconds
  std::string scope;       // space-separated
};

class TokenService {
 public:
  explicit TokenService(store::Store& store) : store_(store) {}

  // Issues a token for a signed-in principal with `scopes` for `ttl_seconds`.
  StatusOr<IssuedToken> Issue(const Principal& who, int64_t now, int64_t ttl_seconds);
  // The principal a token stands for, or nullopt (unknown, expired, revoked, disabled).
  std::optional<Principal> Resolve(std::string_view token, int64_t now);
  // Revokes a token (idempotent; unknown tokens are ignored, as RFC 7009 asks).
  Status Revoke(std::string_view token, int64_t now);
  // Records a break-glass grant for `person` and issues a token carrying it.
  // REQUIRES: the gate has allowed it (Gate::BreakGlass).
  StatusOr<IssuedToken> IssueBreakGlass(const Principal& who, const NhsNumber& person,
                                        std::string_view reason, int64_t now, int64_t* grant_id);

 private:
  store::Store& store_;
};

}  // namespace pioneer::ig
