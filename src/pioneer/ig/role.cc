#include "pioneer/ig/role.h"

#include <algorithm>
#include <array>

#include "pioneer/documents/document_types.h"

namespace pioneer::ig {
namespace {

struct RoleRow {
  Role role;
  std::string_view name;
};
constexpr std::array<RoleRow, 7> kRoles = {{{Role::kGp, "gp"},
                                            {Role::kNurse, "nurse"},
                                            {Role::kSocialWorker, "social_worker"},
                                            {Role::kCareCoordinator, "care_coordinator"},
                                            {Role::kAnalyst, "analyst"},
                                            {Role::kIgOfficer, "ig_officer"},
                                            {Role::kPatient, "patient"}}};

}  // namespace

std::string_view RoleName(Role role) {
  for (const RoleRow& r : kRoles) {
    if (r.role == role) return r.name;
  }
  return "unknown";
}

std::optional<Role> ParseRole(std::string_view name) {
  for (const RoleRow& r : kRoles) {
    if (r.name == name) return r.role;
  }
  return std::nullopt;
}

std::string AllRoleNames() {
  std::string out;
  for (const RoleRow& r : kRoles) {
    if (!out.empty()) out += ", ";
    out += r.name;
  }
  return out;
}

bool IsDirectCareRole(Role role) {
  return role == Role::kGp || role == Role::kNurse || role == Role::kSocialWorker ||
         role == Role::kCareCoordinator;
}

const std::vector<std::string>& PersonResourceTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> t = {"Patient",   "Encounter",      "Condition",
                                  "Procedure", "EpisodeOfCare",  "CarePlan",
                                  "CareTeam",  "RiskAssessment", "Consent"};
    for (std::string_view d : documents::DocumentOnlyTypes()) t.emplace_back(d);
    return t;
  }();
  return kTypes;
}

std::vector<std::string> WritableResourceTypes(Role role) {
  if (IsDirectCareRole(role)) {
    // Care plans, objections, and documents from other organisations (held by the writer's).
    // Directory entries too (not person-level), so another system's records can name them.
    std::vector<std::string> t = {"Consent"};
    for (std::string_view d : documents::DocumentTypes()) t.emplace_back(d);
    for (std::string_view d : documents::DirectoryTypes()) t.emplace_back(d);
    return t;
  }
  if (role == Role::kPatient) return {"Consent"};
  return {};
}

std::vector<std::string> AllowedScopes(Role role) {
  std::vector<std::string> out;
  if (IsDirectCareRole(role)) {
    out.push_back("user/*.read");
    for (const std::string& t : PersonResourceTypes()) out.push_back("user/" + t + ".read");
    // Writing every writable type at once (a loader's Bundle holds many types); the role's
    // writable types still bound it (Gate::MayWrite).
    out.push_back("user/*.write");
    for (const std::string& t : WritableResourceTypes(role)) out.push_back("user/" + t + ".write");
  } else if (role == Role::kPatient) {
    out.push_back("patient/*.read");
    for (const std::string& t : PersonResourceTypes()) out.push_back("patient/" + t + ".read");
    out.push_back("patient/AuditEvent.read");
    for (const std::string& t : WritableResourceTypes(role)) {
      out.push_back("patient/" + t + ".write");
    }
  } else if (role == Role::kIgOfficer) {
    out.push_back("user/AuditEvent.read");
    out.push_back("user/Consent.read");
  } else if (role == Role::kAnalyst) {
    out.push_back("user/Aggregate.read");
  }
  return out;
}

std::vector<std::string> DefaultScopes(Role role) {
  if (IsDirectCareRole(role)) return {"user/*.read"};
  if (role == Role::kPatient) return {"patient/*.read"};
  return AllowedScopes(role);
}

std::optional<std::vector<std::string>> GrantScopes(Role role, std::string_view requested) {
  std::vector<std::string> asked = SplitScopes(requested);
  if (asked.empty()) return DefaultScopes(role);
  std::vector<std::string> allowed = AllowedScopes(role);
  std::vector<std::string> out;
  for (const std::string& s : asked) {
    if (std::find(allowed.begin(), allowed.end(), s) == allowed.end()) return std::nullopt;
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

namespace {

// True if `scopes` hold "<ctx>/<type>.<what>" or "<ctx>/*.<what>".
bool ScopesAllow(const std::vector<std::string>& scopes, std::string_view type,
                 std::string_view what) {
  for (const std::string& s : scopes) {
    size_t slash = s.find('/');
    if (slash == std::string::npos) continue;
    std::string_view rest = std::string_view(s).substr(slash + 1);
    size_t dot = rest.rfind('.');
    if (dot == std::string_view::npos || rest.substr(dot + 1) != what) continue;
    std::string_view t = rest.substr(0, dot);
    if (t == "*" || t == type) return true;
  }
  return false;
}

}  // namespace

bool ScopesAllowRead(const std::vector<std::string>& scopes, std::string_view type) {
  return ScopesAllow(scopes, type, "read");
}

bool ScopesAllowWrite(const std::vector<std::string>& scopes, std::string_view type) {
  return ScopesAllow(scopes, type, "write");
}

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

std::vector<std::string> SplitScopes(std::string_view scopes) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < scopes.size()) {
    while (i < scopes.size() && scopes[i] == ' ') ++i;
    size_t j = i;
    while (j < scopes.size() && scopes[j] != ' ') ++j;
    if (j > i) out.emplace_back(scopes.substr(i, j - i));
    i = j;
  }
  return out;
}

}  // namespace pioneer::ig
