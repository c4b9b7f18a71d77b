#include "pioneer/fhir/care_plan_write.h"

#include <fmt/format.h>

#include <charconv>

#include "pioneer/base/date.h"
#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

using nlohmann::json;

constexpr std::string_view kReviewPrefix = "Review due ";
constexpr std::string_view kGpRole = "Accountable GP";
constexpr std::string_view kCoordinatorRole = "Care coordinator";

// The string at `key` of an object, "" when absent or not a string (json::value would throw
// for a value of another type: a body is the client's, any type may be anywhere).
std::string TextOf(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

class Parser {
 public:
  explicit Parser(CarePlanParse* out) : out_(out) {}

  void Problem(std::string expression, std::string reason) {
    out_->problems.push_back({std::move(expression), std::move(reason)});
  }

  // A string element, or "" (a problem when present and not a string).
  std::string String(const json& obj, std::string_view key, const std::string& path) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return "";
    if (!it->is_string()) {
      Problem(path, "must be a string");
      return "";
    }
    return it->get<std::string>();
  }

  std::optional<Date> DateOf(const json& obj, std::string_view key, const std::string& path) {
    std::string s = String(obj, key, path);
    if (s.empty()) return std::nullopt;
    // A FHIR dateTime's date part is what the register keeps; a partial date is refused.
    std::optional<Date> d = Date::ParseIso(s.substr(0, 10));
    if (!d || (s.size() > 10 && s[10] != 'T')) {
      Problem(path, "must be a date (YYYY-MM-DD) or a dateTime");
      return std::nullopt;
    }
    return d;
  }

  // The ODS/council code of an organisation reference {"identifier": {"system", "value"}}.
  std::string OrgCode(const json& ref, const std::string& path) {
    if (!ref.is_object() || !ref.contains("identifier") || !ref["identifier"].is_object()) {
      Problem(path, "must be a reference by identifier (ODS code)");
      return "";
    }
    const json& id = ref["identifier"];
    std::string system = String(id, "system", path + ".identifier.system");
    if (!system.empty() && system != kOdsSystem) {
      Problem(path + ".identifier.system", fmt::format("must be {}", kOdsSystem));
    }
    std::string value = String(id, "value", path + ".identifier.value");
    if (value.empty()) Problem(path + ".identifier.value", "is required");
    return value;
  }

  void Subject(const json& body) {
    auto it = body.find("subject");
    out_->write.subject =
        ParseSubjectRef(it == body.end() ? nullptr : &*it, "CarePlan.subject", &out_->problems);
  }

  void CareTeam(const json& body) {
    careplan::CarePlan& plan = out_->write.plan;
    auto it = body.find("contained");
    if (it == body.end()) return;
    if (!it->is_array() || it->size() > 1) {
      Problem("CarePlan.contained", "must hold exactly one CareTeam");
      return;
    }
    if (it->empty()) return;
    const json& team = (*it)[0];
    const std::string path = "CarePlan.contained[0]";
    if (!team.is_object() || TextOf(team, "resourceType") != "CareTeam") {
      Problem(path, "must be a CareTeam");
      return;
    }
    for (const auto& [key, value] : team.items()) {
      if (key != "resourceType" && key != "id" && key != "status" && key != "subject" &&
          key != "managingOrganization" && key != "participant" && key != "meta" && key != "text") {
        Problem(path + "." + key, "is not stored by this server");
      }
    }
    if (team.contains("managingOrganization")) {
      const json& orgs = team["managingOrganization"];
      if (!orgs.is_array()) {
        Problem(path + ".managingOrganization", "must be an array");
      } else {
        for (size_t i = 0; i < orgs.size(); ++i) {
          std::string code = OrgCode(orgs[i], fmt::format("{}.managingOrganization[{}]", path, i));
          if (!code.empty()) plan.organisations.push_back(code);
        }
      }
    }
    if (!team.contains("participant")) return;
    const json& parts = team["participant"];
    if (!parts.is_array()) {
      Problem(path + ".participant", "must be an array");
      return;
    }
    bool gp = false, coordinator = false;
    for (size_t i = 0; i < parts.size(); ++i) {
      const std::string p = fmt::format("{}.participant[{}]", path, i);
      const json& part = parts[i];
      if (!part.is_object()) {
        Problem(p, "must be an object");
        continue;
      }
      for (const auto& [key, value] : part.items()) {
        if (key != "role" && key != "member" && key != "onBehalfOf") {
          Problem(p + "." + key, "is not stored by this server");
        }
      }
      std::string role;
      if (part.contains("role") && part["role"].is_array() && part["role"].size() == 1 &&
          part["role"][0].is_object()) {
        role = String(part["role"][0], "text", p + ".role[0].text");
      }
      std::string member;
      if (part.contains("member") && part["member"].is_object()) {
        member = String(part["member"], "display", p + ".member.display");
      }
      if (member.empty()) Problem(p + ".member.display", "is required (the professional's name)");
      std::string org;
      if (part.contains("onBehalfOf")) org = OrgCode(part["onBehalfOf"], p + ".onBehalfOf");
      if (role == kGpRole && !gp) {
        gp = true;
        plan.accountable_gp = member;
        plan.gp_practice = org;
      } else if (role.rfind(kCoordinatorRole, 0) == 0 && !coordinator) {
        std::string_view rest = std::string_view(role).substr(kCoordinatorRole.size());
        if (!rest.empty() && (rest.size() < 4 || rest.substr(0, 2) != " (" || rest.back() != ')')) {
          Problem(p + ".role[0].text", "must be 'Care coordinator' or 'Care coordinator (<role>)'");
          continue;
        }
        coordinator = true;
        plan.care_coordinator = member;
        if (!rest.empty()) plan.coordinator_role = std::string(rest.substr(2, rest.size() - 3));
        plan.coordinator_org = org;
      } else {
        Problem(p + ".role",
                "must be one 'Accountable GP' or one 'Care coordinator (<role>)' (role.text)");
      }
    }
  }

  void Run(const json& body) {
    careplan::CarePlan& plan = out_->write.plan;
    for (const auto& [key, value] : body.items()) {
      static const char* kKnown[] = {"resourceType", "id",     "meta",     "text",  "contained",
                                     "identifier",   "status", "intent",   "title", "description",
                                     "subject",      "period", "careTeam", "note"};
      bool known = false;
      for (const char* k : kKnown) known |= key == k;
      if (!known) Problem("CarePlan." + key, "is not stored by this server");
    }
    out_->write.id = String(body, "id", "CarePlan.id");
    if (body.contains("identifier")) {
      const json& ids = body["identifier"];
      if (!ids.is_array() || ids.size() != 1 || !ids[0].is_object()) {
        Problem("CarePlan.identifier", "must hold exactly one identifier");
      } else {
        std::string system = String(ids[0], "system", "CarePlan.identifier[0].system");
        std::string value = String(ids[0], "value", "CarePlan.identifier[0].value");
        if (system.empty() || value.empty()) {
          Problem("CarePlan.identifier[0]", "needs a system and a value");
        } else if (system.find('|') != std::string::npos || value.find('|') != std::string::npos) {
          Problem("CarePlan.identifier[0]", "system and value may not contain '|'");
        } else {
          plan.source = std::string(kFhirPlanSource);
          plan.source_ref = system + "|" + value;
        }
      }
    }
    std::string status = String(body, "status", "CarePlan.status");
    if (status.empty()) {
      Problem("CarePlan.status", "is required");
    } else if (auto s = careplan::ParseStatus(status)) {
      plan.status = *s;
    } else {
      Problem("CarePlan.status",
              "must be a request-status code the register keeps (draft, "
              "active, on-hold, completed, revoked, entered-in-error)");
    }
    std::string intent = String(body, "intent", "CarePlan.intent");
    if (intent != "plan") Problem("CarePlan.intent", "must be 'plan'");
    Subject(body);
    if (body.contains("period") && body["period"].is_object()) {
      const json& period = body["period"];
      if (auto d = DateOf(period, "start", "CarePlan.period.start"))
        plan.start_date = *d;
      else if (!period.contains("start"))
        Problem("CarePlan.period.start", "is required");
      plan.end_date = DateOf(period, "end", "CarePlan.period.end");
    } else {
      Problem("CarePlan.period.start", "is required");
    }
    plan.goals = String(body, "description", "CarePlan.description");
    if (body.contains("note")) {
      const json& notes = body["note"];
      if (!notes.is_array() || notes.size() > 1) {
        Problem("CarePlan.note", "only one note, 'Review due YYYY-MM-DD', is stored");
      } else if (notes.size() == 1) {
        std::string text = notes[0].is_object() ? String(notes[0], "text", "CarePlan.note[0].text")
                                                : std::string();
        std::optional<Date> d;
        if (text.rfind(kReviewPrefix, 0) == 0)
          d = Date::ParseIso(text.substr(kReviewPrefix.size()));
        if (!d || notes[0].size() != 1) {
          Problem("CarePlan.note[0]", "only 'Review due YYYY-MM-DD' is stored");
        } else {
          plan.review_date = d;
        }
      }
    }
    if (body.contains("careTeam")) {
      const json& ct = body["careTeam"];
      if (!ct.is_array() || ct.size() != 1 || !ct[0].is_object() ||
          TextOf(ct[0], "reference") != "#team") {
        Problem("CarePlan.careTeam", "must be [{\"reference\": \"#team\"}] (the contained team)");
      }
    }
    CareTeam(body);
  }

 private:
  CarePlanParse* out_;
};

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int v = 0;
      auto [p, ec] = std::from_chars(s.data() + i + 1, s.data() + i + 3, v, 16);
      if (ec == std::errc() && p == s.data() + i + 3) {
        out += static_cast<char>(v);
        i += 2;
        continue;
      }
    }
    out += s[i] == '+' ? ' ' : s[i];
  }
  return out;
}

}  // namespace

SubjectRef ParseSubjectRef(const json* ref, const std::string& path,
                           std::vector<WriteProblem>* problems) {
  SubjectRef s;
  auto problem = [&](std::string expression, std::string reason) {
    problems->push_back({std::move(expression), std::move(reason)});
  };
  if (ref == nullptr || !ref->is_object()) {
    problem(path, "is required: a reference to the Patient");
    return s;
  }
  auto text = [&](const json& obj, const char* key) {
    auto it = obj.find(key);
    return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  if (ref->contains("reference")) {
    std::string r = text(*ref, "reference");
    size_t at = r.rfind("Patient/");
    if (at != std::string::npos && (at == 0 || r[at - 1] == '/')) {
      s.patient_id = ParsePatientId(std::string_view(r).substr(at + 8));
    }
    if (!s.patient_id) problem(path + ".reference", "must be Patient/<id>");
    return s;
  }
  if (ref->contains("identifier") && (*ref)["identifier"].is_object()) {
    const json& id = (*ref)["identifier"];
    if (text(id, "system") != kNhsNumberSystem) {
      problem(path + ".identifier.system", fmt::format("must be {}", kNhsNumberSystem));
      return s;
    }
    s.nhs_number = NhsNumber::Parse(text(id, "value"));
    if (!s.nhs_number) problem(path + ".identifier.value", "is not a valid NHS Number");
    return s;
  }
  problem(path, "must have a reference (Patient/<id>) or an NHS Number identifier");
  return s;
}

std::string CarePlanElementOf(std::string_view field) {
  if (field == "nhs_number") return "CarePlan.subject";
  if (field == "status") return "CarePlan.status";
  if (field == "organisations") return "CarePlan.contained[0].managingOrganization";
  if (field == "gp_practice" || field == "accountable_gp") {
    return "CarePlan.contained[0].participant (Accountable GP)";
  }
  if (field == "care_coordinator" || field == "coordinator_role" || field == "coordinator_org") {
    return "CarePlan.contained[0].participant (Care coordinator)";
  }
  if (field == "start_date") return "CarePlan.period.start";
  if (field == "end_date") return "CarePlan.period.end";
  if (field == "review_date") return "CarePlan.note";
  if (field == "goals") return "CarePlan.description";
  return "CarePlan";
}

std::vector<WriteProblem> ValidateCarePlan(const careplan::CarePlan& plan) {
  std::vector<WriteProblem> out;
  for (const careplan::FieldProblem& p : careplan::Validate(plan)) {
    out.push_back({CarePlanElementOf(p.field), p.reason});
  }
  return out;
}

CarePlanParse ParseCarePlan(const json& body) {
  CarePlanParse out;
  if (!body.is_object()) {
    out.not_a_care_plan = "the body must be a JSON object (a FHIR resource)";
    return out;
  }
  if (TextOf(body, "resourceType") != "CarePlan") {
    out.not_a_care_plan = "the body must be a CarePlan resource (resourceType)";
    return out;
  }
  Parser(&out).Run(body);
  if (out.problems.empty()) {
    // Everything but the NHS Number can be checked now (a valid placeholder stands in).
    careplan::CarePlan probe = out.write.plan;
    probe.nhs_number = NhsNumber::Parse("9434765919");
    for (WriteProblem& p : ValidateCarePlan(probe)) out.problems.push_back(std::move(p));
  }
  return out;
}

std::optional<PlanIdentifierCriteria> ParseIfNoneExist(std::string_view header,
                                                       std::string* error) {
  std::string_view h = header;
  if (!h.empty() && h.front() == '?') h.remove_prefix(1);
  constexpr std::string_view kKey = "identifier=";
  if (h.substr(0, kKey.size()) != kKey || h.find('&') != std::string_view::npos) {
    *error = "If-None-Exist supports only identifier=<system>|<value>";
    return std::nullopt;
  }
  std::string v = PercentDecode(h.substr(kKey.size()));
  if (v.empty() || v == "|" || v.size() > 400) {
    *error = "If-None-Exist: identifier needs a value";
    return std::nullopt;
  }
  PlanIdentifierCriteria c;
  size_t bar = v.find('|');
  if (bar == std::string::npos) {
    c.suffix = "|" + v;  // any system
  } else if (bar == 0) {
    c.exact = v;  // "|value": FHIR's "no system" form; stored identifiers all have one
  } else {
    if (bar + 1 == v.size()) {
      *error = "If-None-Exist: identifier needs a value";
      return std::nullopt;
    }
    c.exact = v;
  }
  return c;
}

std::optional<int> ParseIfMatch(std::string_view h) {
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  while (!h.empty() && h.back() == ' ') h.remove_suffix(1);
  if (h.substr(0, 2) == "W/") h.remove_prefix(2);
  if (h.size() < 3 || h.front() != '"' || h.back() != '"') return std::nullopt;
  h = h.substr(1, h.size() - 2);
  int v = 0;
  auto [p, ec] = std::from_chars(h.data(), h.data() + h.size(), v);
  if (ec != std::errc() || p != h.data() + h.size() || v <= 0) return std::nullopt;
  return v;
}

json ProblemsOutcome(const std::vector<WriteProblem>& problems, std::string_view code) {
  json issues = json::array();
  for (const WriteProblem& p : problems) {
    issues.push_back({{"severity", "error"},
                      {"code", code},
                      {"diagnostics", fmt::format("{}: {}", p.expression, p.reason)},
                      {"expression", json::array({p.expression})}});
  }
  return {{"resourceType", "OperationOutcome"}, {"issue", issues}};
}

}  // namespace pioneer::fhir
