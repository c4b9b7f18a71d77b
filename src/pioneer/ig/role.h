// Roles and SMART-style scopes of the users of the shared care record (docs/ig.md).
//
// A role decides which kinds of access a user may ever have:
//   * direct care roles (gp, nurse, social_worker, care_coordinator) may read person-level
//     records where a legitimate relationship exists (gate.h) or by break-glass;
//   * patient: only the record of the one NHS Number the account is bound to, and who
//     accessed it;
//   * analyst: aggregates only (small numbers suppressed), never person-level data;
//   * ig_officer: the audit trail and objections (Consent), never clinical records.
// Scopes follow SMART App Launch: "<context>/<ResourceType|*>.<read|write>" with context
// `user` (what the user may see) or `patient` (the bound patient's own record). A token's
// scopes are the requested ones intersected with what the role allows; the gate still
// decides per person. Write scopes (user/CarePlan.write, user/Consent.write,
// patient/Consent.write) are granted only when requested: the default scopes read. The IG
// officer may read Consents (objections), never clinical records.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pioneer::ig {

enum class Role { kGp, kNurse, kSocialWorker, kCareCoordinator, kAnalyst, kIgOfficer, kPatient };

std::string_view RoleName(Role role);  // "gp", "social_worker", ...
std::optional<Role> ParseRole(std::string_view name);
// Every role name, for messages and --help.
std::string AllRoleNames();

// gp, nurse, social_worker, care_coordinator.
bool IsDirectCareRole(Role role);

// The person-level resource types the server exposes to direct care (and to a patient).
const std::vector<std::string>& PersonResourceTypes();
// The resource types the role may ever create or update (the gate still decides per person):
// for direct care roles CarePlan, Consent, every document type (documents/document_types.h)
// and the directory types; Consent for a patient; none otherwise.
std::vector<std::string> WritableResourceTypes(Role role);

// Every scope the role may hold.
std::vector<std::string> AllowedScopes(Role role);
// The scopes a token gets when none are requested.
std::vector<std::string> DefaultScopes(Role role);
// Requested scopes (space-separated) narrowed to the role; nullopt if any requested scope is
// unknown or not allowed for the role (OAuth `invalid_scope`). Empty request = defaults.
std::optional<std::vector<std::string>> GrantScopes(Role role, std::string_view requested);
// True if `scopes` allow reading resources of `type` (e.g. "Encounter"), by an exact
// "<ctx>/<type>.read" or a wildcard "<ctx>/*.read".
bool ScopesAllowRead(const std::vector<std::string>& scopes, std::string_view type);
// True if `scopes` allow creating and updating resources of `type`, by an exact
// "<ctx>/<type>.write" or a wildcard "<ctx>/*.write" (the roles are never granted the
// wildcard; it is accepted for completeness).
bool ScopesAllowWrite(const std::vector<std::string>& scopes, std::string_view type);

std::string JoinScopes(const std::vector<std::string>& scopes);
std::vector<std::string> SplitScopes(std::string_view scopes);

}  // namespace pioneer::ig
