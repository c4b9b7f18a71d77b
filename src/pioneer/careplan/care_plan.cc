#include "pioneer/careplan/care_plan.h"

#include <array>
#include <utility>

#include "pioneer/model/nhs_number.h"

namespace pioneer::careplan {
namespace {

constexpr std::array<std::pair<PlanStatus, std::string_view>, 6> kStatusCodes = {{
    {PlanStatus::kDraft, "draft"},
    {PlanStatus::kActive, "active"},
    {PlanStatus::kOnHold, "on-hold"},
    {PlanStatus::kCompleted, "completed"},
    {PlanStatus::kRevoked, "revoked"},
    {PlanStatus::kEnteredInError, "entered-in-error"},
}};

// An organisation code: ODS (3-6 alphanumerics) or an ONS council code (E + 8 digits).
bool LooksLikeOrgCode(std::string_view code) {
  if (code.size() < 3 || code.size() > 9) return false;
  for (char c : code) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

}  // namespace

std::string_view StatusCode(PlanStatus s) {
  for (const auto& [status, code] : kStatusCodes) {
    if (status == s) return code;
  }
  return "unknown";
}

std::optional<PlanStatus> ParseStatus(std::string_view code) {
  for (const auto& [status, c] : kStatusCodes) {
    if (c == code) return status;
  }
  return std::nullopt;
}

bool CarePlan::InForceOn(Date d) const {
  if (status == PlanStatus::kDraft || status == PlanStatus::kEnteredInError) return false;
  if (d < start_date) return false;
  return !end_date || d < *end_date;
}

std::vector<FieldProblem> Validate(const CarePlan& plan) {
  std::vector<FieldProblem> out;
  if (!plan.nhs_number) out.push_back({"nhs_number", "not a valid NHS Number"});
  if (plan.organisations.empty()) {
    out.push_back({"organisations", "at least one organisation must be involved"});
  }
  for (const std::string& org : plan.organisations) {
    if (!LooksLikeOrgCode(org)) {
      out.push_back({"organisations", "not an organisation code (ODS or council code)"});
      break;
    }
  }
  if (!plan.gp_practice.empty() && !LooksLikeOrgCode(plan.gp_practice)) {
    out.push_back({"gp_practice", "not an ODS code"});
  }
  if (!plan.coordinator_org.empty() && !LooksLikeOrgCode(plan.coordinator_org)) {
    out.push_back({"coordinator_org", "not an organisation code (ODS or council code)"});
  }
  if (plan.care_coordinator.empty() &&
      (!plan.coordinator_role.empty() || !plan.coordinator_org.empty())) {
    out.push_back({"care_coordinator", "a coordinator role or organisation is given but no name"});
  }
  if (plan.review_date && *plan.review_date < plan.start_date) {
    out.push_back({"review_date", "is before start_date"});
  }
  if (plan.end_date && *plan.end_date < plan.start_date) {
    out.push_back({"end_date", "is before start_date"});
  }
  const bool ended = plan.status == PlanStatus::kCompleted || plan.status == PlanStatus::kRevoked;
  if (ended && !plan.end_date) {
    out.push_back({"end_date", "a completed or revoked plan needs an end date"});
  }
  if (!ended && plan.end_date && plan.status != PlanStatus::kEnteredInError) {
    out.push_back({"end_date", "only a completed or revoked plan has an end date"});
  }
  if (plan.goals.size() > 4000) out.push_back({"goals", "longer than 4,000 characters"});
  return out;
}

std::string JoinOrganisations(const std::vector<std::string>& orgs) {
  std::string out;
  for (const std::string& o : orgs) {
    if (!out.empty()) out.push_back(';');
    out += o;
  }
  return out;
}

std::vector<std::string> SplitOrganisations(std::string_view text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t next = text.find(';', pos);
    if (next == std::string_view::npos) next = text.size();
    std::string_view part = text.substr(pos, next - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.emplace_back(part);
    pos = next + 1;
  }
  return out;
}

}  // namespace pioneer::careplan
