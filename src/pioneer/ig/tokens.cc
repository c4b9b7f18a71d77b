#include "pioneer/ig/tokens.h"

#include <algorithm>

#include "pioneer/ig/crypto.h"
#include "pioneer/ig/users.h"

namespace pioneer::ig {
namespace {
using store::Param;
}  // namespace

StatusOr<IssuedToken> TokenService::Issue(const Principal& who, int64_t now, int64_t ttl_seconds) {
  IssuedToken t;
  t.access_token = NewToken();
  t.expires_in = ttl_seconds;
  t.scope = JoinScopes(who.scopes);
  Param p[] = {Param::Of(TokenDigest(t.access_token)), Param::Of(who.user_id), Param::Of(t.scope),
               Param::Of(now), Param::Of(now + ttl_seconds)};
  PIONEER_RETURN_IF_ERROR(
      store_
          .Execute("INSERT INTO ig_tokens(token_hash, user_id, scope, issued_at, expires_at) "
                   "VALUES(?1, ?2, ?3, ?4, ?5)",
                   p)
          .status());
  return t;
}

std::optional<Principal> TokenService::Resolve(std::string_view token, int64_t now) {
  if (token.empty() || token.size() > 128) return std::nullopt;
  struct Found {
    int64_t user_id = 0;
    std::string scope;
    int64_t expires_at = 0;
    std::optional<int64_t> grant_id;
    std::string grant_nhs, grant_reason;
    int64_t grant_expires = 0;
  };
  std::optional<Found> f;
  Param p[] = {Param::Of(TokenDigest(token)), Param::Of(now)};
  Status s = store_.Query(
      "SELECT t.user_id, t.scope, t.expires_at, t.grant_id, g.nhs_number, g.reason, "
      "g.expires_at FROM ig_tokens t LEFT JOIN ig_break_glass g ON g.grant_id = t.grant_id "
      "WHERE t.token_hash = ?1 AND t.revoked_at IS NULL AND t.expires_at > ?2",
      p, [&](const store::RowView& r) {
        Found x;
        x.user_id = r.Int(0);
        x.scope = r.Text(1);
        x.expires_at = r.Int(2);
        if (!r.IsNull(3)) x.grant_id = r.Int(3);
        x.grant_nhs = r.Text(4);
        x.grant_reason = r.Text(5);
        x.grant_expires = r.Int(6);
        f = std::move(x);
      });
  if (!s.ok() || !f) return std::nullopt;
  std::optional<Principal> who = UserDirectory(store_).Load(f->user_id);
  if (!who) return std::nullopt;
  who->scopes = SplitScopes(f->scope);
  who->token_expires_at = f->expires_at;
  if (f->grant_id) {
    auto person = NhsNumber::Parse(f->grant_nhs);
    if (!person || f->grant_expires <= now) return std::nullopt;
    who->grant = BreakGlassGrant{*f->grant_id, *person, f->grant_reason, f->grant_expires};
  }
  return who;
}

Status TokenService::Revoke(std::string_view token, int64_t now) {
  Param p[] = {Param::Of(now), Param::Of(TokenDigest(token))};
  return store_
      .Execute("UPDATE ig_tokens SET revoked_at = ?1 WHERE token_hash = ?2 AND revoked_at IS NULL",
               p)
      .status();
}

StatusOr<IssuedToken> TokenService::IssueBreakGlass(const Principal& who, const NhsNumber& person,
                                                    std::string_view reason, int64_t now,
                                                    int64_t* grant_id) {
  int64_t expires = std::min(now + kBreakGlassSeconds, who.token_expires_at);
  IssuedToken t;
  t.access_token = NewToken();
  t.expires_in = std::max<int64_t>(0, expires - now);
  t.scope = JoinScopes(who.scopes);
  Status s = store_.InTransaction([&]() -> Status {
    Param g[] = {Param::Of(who.user_id), Param::Of(person.digits()), Param::Of(reason),
                 Param::Of(now), Param::Of(expires)};
    PIONEER_RETURN_IF_ERROR(
        store_
            .Execute("INSERT INTO ig_break_glass(user_id, nhs_number, reason, granted_at, "
                     "expires_at) VALUES(?1, ?2, ?3, ?4, ?5)",
                     g)
            .status());
    *grant_id = store_.LastInsertId();
    Param p[] = {Param::Of(TokenDigest(t.access_token)),
                 Param::Of(who.user_id),
                 Param::Of(t.scope),
                 Param::Of(now),
                 Param::Of(expires),
                 Param::Of(*grant_id)};
    return store_
        .Execute(
            "INSERT INTO ig_tokens(token_hash, user_id, scope, issued_at, expires_at, "
            "grant_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
            p)
        .status();
  });
  PIONEER_RETURN_IF_ERROR(s);
  return t;
}

}  // namespace pioneer::ig
