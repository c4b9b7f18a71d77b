// Principal: who is asking, as established from a bearer token (tokens.h).
//
// Carries the user's role, organisation (ODS code; for council staff the council's code as
// its social care records carry it), team, the granted scopes, the NHS Number a patient
// account is bound to, and the break-glass grant attached to the token, if any.
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/ig/role.h"
#include "pioneer/model/nhs_number.h"

namespace pioneer::ig {

// A short-lived emergency grant for one person (gate.h, docs/ig.md).
struct BreakGlassGrant {
  int64_t grant_id = 0;
  NhsNumber person;
  std::string reason;
  int64_t expires_at = 0;  // Unix seconds
};

struct Principal {
  int64_t user_id = 0;
  std::string username;
  Role role = Role::kAnalyst;
  std::string org_code;
  std::string team;                         // "" when none
  std::optional<NhsNumber> own_nhs_number;  // patient accounts only
  std::vector<std::string> scopes;
  std::optional<BreakGlassGrant> grant;  // attached to the token it came from
  int64_t token_expires_at = 0;          // Unix seconds
};

}  // namespace pioneer::ig
