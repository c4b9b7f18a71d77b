#include "pioneer/ig/role.h"

#include <algorithm>
#include <array>

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
  static const std::vector<std::string> kTypes = {"Patient", "Encounter", "Condition",
                                                  "EpisodeOfCare", "CarePlan"};
  return kTypes;
}

std::vector<std::string> AllowedScopes(Role role) {
  std::vector<std::string> out;
  if (IsDirectCareRole(role)) {
    out.push_back("user/*.read");
    for (const std::string& t : PersonResourceTypes()) out.push_back("user/" + t + ".read");
  } else if (role == Role::kPatient) {
    out.push_back("patient/*.read");
    for (const std::string& t : PersonResourceTypes()) out.push_back("patient/" + t + ".read");
    out.push_back("patient/AuditEvent.read");
  } else if (role == Role::kIgOfficer) {
    out.push_back("user/AuditEvent.read");
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

bool ScopesAllowRead(const std::vector<std::string>& scopes, std::string_view type) {
  for (const std::string& s : scopes) {
    size_t slash = s.find('/');
    if (slash == std::string::npos) continue;
    std::string_view rest = std::string_view(s).substr(slash + 1);
    if (rest == "*.read") return true;
    if (rest.size() == type.size() + 5 && rest.substr(0, type.size()) == type &&
        rest.substr(type.size()) == ".read") {
      return true;
    }
  }
  return false;
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
