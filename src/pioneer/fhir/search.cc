#include "pioneer/fhir/search.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "pioneer/base/date.h"
#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

bool IsPaging(std::string_view k) { return k == "_count" || k == "_offset" || k == "_format"; }
bool IsInclude(std::string_view k) { return k == "_include" || k == "_revinclude"; }

std::optional<int64_t> ParseInt(std::string_view s) {
  int64_t v = 0;
  if (s.empty() || s.size() > 12) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v < 0) return std::nullopt;
  return v;
}

std::string Encode(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

void Intersect(DateRange* r, std::optional<std::string> from, std::optional<std::string> before) {
  if (from && (!r->from || *from > *r->from)) r->from = from;
  if (before && (!r->before || *before < *r->before)) r->before = before;
}

Status UnknownParameter(std::string_view name) {
  return InvalidArgumentError(fmt::format(
      "unknown or unsupported search parameter '{}' (send Prefer: handling=lenient to ignore "
      "it)",
      name.substr(0, 40)));
}

// Splits on unescaped `sep` (defined below).
std::vector<std::string> SplitEscaped(std::string_view v, char sep, bool unescape);

}  // namespace

Status AddDateConstraint(std::string_view value, DateRange* range) {
  std::string_view prefix = "eq";
  if (value.size() >= 2 && std::isalpha(static_cast<unsigned char>(value[0]))) {
    prefix = value.substr(0, 2);
    value.remove_prefix(2);
  }
  // Partial dates: YYYY, YYYY-MM, YYYY-MM-DD -> [lo, hi).
  std::optional<Date> lo, hi;
  if (value.size() == 4) {
    if (auto y = ParseInt(value)) {
      lo = Date::FromYmd(static_cast<int>(*y), 1, 1);
      hi = Date::FromYmd(static_cast<int>(*y) + 1, 1, 1);
    }
  } else if (value.size() == 7 && value[4] == '-') {
    auto y = ParseInt(value.substr(0, 4));
    auto m = ParseInt(value.substr(5, 2));
    if (y && m && *m >= 1 && *m <= 12) {
      lo = Date::FromYmd(static_cast<int>(*y), static_cast<int>(*m), 1);
      hi = *m == 12 ? Date::FromYmd(static_cast<int>(*y) + 1, 1, 1)
                    : Date::FromYmd(static_cast<int>(*y), static_cast<int>(*m) + 1, 1);
    }
  } else if (value.size() == 10) {
    lo = Date::ParseIso(value);
    if (lo) hi = lo->AddDays(1);
  }
  if (!lo || !hi) {
    return InvalidArgumentError("a date parameter must be [prefix]YYYY, YYYY-MM or YYYY-MM-DD");
  }
  std::string l = lo->ToIso(), h = hi->ToIso();
  if (prefix == "eq")
    Intersect(range, l, h);
  else if (prefix == "ge")
    Intersect(range, l, std::nullopt);
  else if (prefix == "gt")
    Intersect(range, h, std::nullopt);
  else if (prefix == "le")
    Intersect(range, std::nullopt, h);
  else if (prefix == "lt")
    Intersect(range, std::nullopt, l);
  else
    return InvalidArgumentError("date prefixes supported: eq, ge, gt, le, lt");
  return OkStatus();
}

bool InRange(const DateRange& range, std::string_view iso) {
  if (iso.size() < 10) return !range.from && !range.before;
  std::string d(iso.substr(0, 10));
  if (range.from && d < *range.from) return false;
  if (range.before && d >= *range.before) return false;
  return true;
}

StatusOr<ig::PatientQuery> PatientQueryFromParams(const SearchParams& params, bool lenient) {
  ig::PatientQuery q;
  DateRange birth;
  bool has_birth = false;
  for (const auto& [k, v] : params) {
    if (IsPaging(k) || IsInclude(k)) continue;
    if (v.empty())
      return InvalidArgumentError(fmt::format("parameter '{}' is empty", k.substr(0, 40)));
    if (k == "identifier:of-type") {
      // type-system|type-code|value (R4 token :of-type): the NHS Number is the identifier of
      // type NH (HL7 v2 table 0203) the Patient mapping gives it; any other type is held by
      // no one.
      const std::vector<std::string> parts = SplitEscaped(v, '|', true);
      if (parts.size() != 3 || parts[1].empty() || parts[2].empty()) {
        return InvalidArgumentError(
            "parameter 'identifier:of-type' is type-system|type-code|value");
      }
      if (parts[0] != kIdentifierTypeSystem || parts[1] != kNhsNumberTypeCode) {
        q.impossible = true;
        continue;
      }
      auto n = NhsNumber::Parse(parts[2]);
      if (!n || parts[2].size() != 10 || (q.nhs_number && !(*q.nhs_number == *n))) {
        q.impossible = true;
      } else {
        q.nhs_number = *n;
      }
    } else if (k == "identifier") {
      std::string_view value = v;
      size_t bar = value.find('|');
      if (bar != std::string_view::npos) {
        std::string_view system = value.substr(0, bar);
        value = value.substr(bar + 1);
        if (system != kNhsNumberSystem && !system.empty()) {
          q.impossible = true;  // an identifier system we do not hold
          continue;
        }
      }
      auto n = NhsNumber::Parse(value);
      if (!n || value.size() != 10) {
        q.impossible = true;
      } else if (q.nhs_number && !(*q.nhs_number == *n)) {
        q.impossible = true;
      } else {
        q.nhs_number = *n;
      }
    } else if (k == "_id") {
      auto id = ParsePatientId(v);
      if (!id)
        q.impossible = true;
      else
        q.pds_row = *id;
    } else if (k == "family") {
      q.family.push_back(v);
    } else if (k == "given") {
      q.given.push_back(v);
    } else if (k == "name") {
      q.name.push_back(v);
    } else if (k == "birthdate") {
      has_birth = true;
      PIONEER_RETURN_IF_ERROR(AddDateConstraint(v, &birth));
    } else if (k == "gender") {
      std::string sex = v == "male"      ? "1"
                        : v == "female"  ? "2"
                        : v == "other"   ? "9"
                        : v == "unknown" ? "0"
                                         : "";
      if (sex.empty()) {
        return InvalidArgumentError("gender must be male, female, other or unknown");
      }
      if (q.sex && *q.sex != sex) q.impossible = true;
      q.sex = sex;
    } else if (!lenient) {
      return UnknownParameter(k);
    }
  }
  if (has_birth) {
    q.birth_from = birth.from;
    q.birth_before = birth.before;
    if (birth.from && birth.before && *birth.from >= *birth.before) q.impossible = true;
  }
  return q;
}

const std::vector<std::pair<std::string_view, std::string_view>>& TokenParameters(
    std::string_view type) {
  using List = std::vector<std::pair<std::string_view, std::string_view>>;
  static const List kEncounter = {{"status", "status"}, {"class", "class"}, {"type", "type"}};
  static const List kCondition = {{"code", "code"},
                                  {"category", "category"},
                                  {"clinical-status", "clinicalStatus"},
                                  {"verification-status", "verificationStatus"}};
  static const List kEpisode = {{"status", "status"}, {"type", "type"}};
  static const List kCarePlan = {
      {"status", "status"}, {"category", "category"}, {"intent", "intent"}};
  static const List kProcedure = {{"code", "code"}, {"status", "status"}, {"category", "category"}};
  static const List kConsent = {{"status", "status"}, {"category", "category"}};
  static const List kCareTeam = {{"status", "status"}, {"category", "category"}};
  // Documents from other organisations (docs/fhir.md section 5c).
  static const List kObservation = {
      {"code", "code"}, {"status", "status"}, {"category", "category"}};
  static const List kAllergy = {{"code", "code"},
                                {"clinical-status", "clinicalStatus"},
                                {"verification-status", "verificationStatus"}};
  static const List kMedication = {{"code", "medicationCodeableConcept"}, {"status", "status"}};
  static const List kImmunization = {{"vaccine-code", "vaccineCode"}, {"status", "status"}};
  static const List kDocumentReference = {
      {"type", "type"}, {"category", "category"}, {"status", "status"}};
  static const List kStatus = {{"status", "status"}};
  static const List kClaim = {{"status", "status"}, {"use", "use"}};
  static const List kDevice = {{"type", "type"}, {"status", "status"}};
  static const List kAdministration = {{"code", "medicationCodeableConcept"}, {"status", "status"}};
  static const List kGoal = {{"lifecycle-status", "lifecycleStatus"}};
  static const List kNone;
  if (type == "Observation" || type == "DiagnosticReport") return kObservation;
  if (type == "Claim") return kClaim;
  if (type == "ExplanationOfBenefit" || type == "ImagingStudy" || type == "SupplyDelivery") {
    return kStatus;
  }
  if (type == "Device") return kDevice;
  if (type == "MedicationAdministration") return kAdministration;
  if (type == "Goal") return kGoal;
  if (type == "AllergyIntolerance") return kAllergy;
  if (type == "MedicationRequest" || type == "MedicationStatement") return kMedication;
  if (type == "Immunization") return kImmunization;
  if (type == "DocumentReference") return kDocumentReference;
  if (type == "Encounter") return kEncounter;
  if (type == "Condition") return kCondition;
  if (type == "EpisodeOfCare") return kEpisode;
  if (type == "CarePlan") return kCarePlan;
  if (type == "Procedure") return kProcedure;
  if (type == "Consent") return kConsent;
  if (type == "CareTeam") return kCareTeam;
  return kNone;
}

namespace {

// Splits on unescaped `sep`, unescaping \, \| \$ and \\ in the parts.
std::vector<std::string> SplitEscaped(std::string_view v, char sep, bool unescape) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < v.size(); ++i) {
    if (v[i] == '\\' && i + 1 < v.size() &&
        (v[i + 1] == ',' || v[i + 1] == '|' || v[i + 1] == '$' || v[i + 1] == '\\')) {
      if (!unescape) out.back() += v[i];
      out.back() += v[++i];
    } else if (v[i] == sep) {
      out.emplace_back();
    } else {
      out.back() += v[i];
    }
  }
  return out;
}

StatusOr<Token> ParseToken(std::string_view parameter, std::string_view value) {
  std::vector<std::string> parts = SplitEscaped(value, '|', true);
  if (parts.size() > 2) {
    return InvalidArgumentError(
        fmt::format("parameter '{}': a token is code, system|code, |code or system|", parameter));
  }
  Token t;
  if (parts.size() == 1) {
    t.code = parts[0];
  } else {
    t.system = parts[0];
    t.code = parts[1];
  }
  if (t.code.empty() && (!t.system || t.system->empty())) {
    return InvalidArgumentError(fmt::format("parameter '{}' has an empty value", parameter));
  }
  return t;
}

struct CodingView {
  std::optional<std::string_view> system;  // nullopt for a plain code
  std::string_view code;
};

void Collect(const nlohmann::json& j, std::vector<CodingView>* out) {
  if (j.is_string()) {
    out->push_back({std::nullopt, j.get_ref<const std::string&>()});
  } else if (j.is_array()) {
    for (const auto& e : j) Collect(e, out);
  } else if (j.is_object()) {
    if (auto c = j.find("coding"); c != j.end()) {
      Collect(*c, out);
    } else if (auto code = j.find("code"); code != j.end() && code->is_string()) {
      CodingView v{std::string_view(), code->get_ref<const std::string&>()};
      if (auto sys = j.find("system"); sys != j.end() && sys->is_string()) {
        v.system = sys->get_ref<const std::string&>();
      }
      out->push_back(v);
    }
  }
}

// Whether `prefix` starts the text or a word in it: a CodeableConcept's `text` or a
// Coding's `display`, at any depth of a list (R4 token `:text`: "search text associated with
// the code"), case-insensitively (ASCII), at the start of the text or of a word in it.
bool StartsWordOf(std::string_view text, std::string_view prefix) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  for (size_t i = 0; i + prefix.size() <= text.size(); ++i) {
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    bool all = true;
    for (size_t j = 0; j < prefix.size() && all; ++j) all = lower(text[i + j]) == lower(prefix[j]);
    if (all) return true;
  }
  return false;
}

bool TextMatches(const nlohmann::json& j, std::string_view prefix) {
  if (j.is_array()) {
    for (const auto& e : j) {
      if (TextMatches(e, prefix)) return true;
    }
    return false;
  }
  if (!j.is_object()) return false;
  for (const char* key : {"text", "display"}) {
    auto it = j.find(key);
    if (it != j.end() && it->is_string() &&
        StartsWordOf(it->get_ref<const std::string&>(), prefix)) {
      return true;
    }
  }
  auto coding = j.find("coding");
  return coding != j.end() && TextMatches(*coding, prefix);
}

bool Matches(const Token& t, const CodingView& c) {
  if (!t.code.empty() && t.code != c.code) return false;
  if (!t.system || !c.system) return true;  // any system asked, or a plain code
  return *t.system == *c.system;
}

std::string Undotted(std::string_view code) {
  std::string out;
  for (char ch : code) {
    if (ch != '.') out += ch;
  }
  return out;
}

// :below / :above: a coding of the token's (hierarchical) system whose code lies below or
// above the token's code in the prefix hierarchy.
bool Subsumes(const Token& t, const CodingView& c, Subsumption s) {
  if (!c.system || *c.system != *t.system) return false;
  const std::string code = Undotted(c.code), value = Undotted(t.code);
  if (code.empty()) return false;
  if (s == Subsumption::kBelow) return code.compare(0, value.size(), value) == 0;
  return code.size() >= 3 && value.compare(0, code.size(), code) == 0;
}

bool IsTokenModifier(std::string_view parameter, std::string_view key) {
  if (key.size() <= parameter.size() || key.substr(0, parameter.size()) != parameter) return false;
  const std::string_view m = key.substr(parameter.size());
  return m == ":not" || m == ":missing" || m == ":text" || m == ":below" || m == ":above";
}

}  // namespace

std::span<const std::string_view> HierarchicalSystems() {
  static constexpr std::string_view kSystems[] = {kIcd10System, kOpcs4System};
  return kSystems;
}

StatusOr<ClinicalQuery> ClinicalQueryFromParams(std::string_view type, const SearchParams& params,
                                                bool lenient) {
  ClinicalQuery q;
  const auto& tokens = TokenParameters(type);
  for (const auto& [k, v] : params) {
    if (IsPaging(k) || IsInclude(k)) continue;
    if (k == "patient" || k == "subject") {
      std::string_view id = v;
      if (id.substr(0, 8) == "Patient/") id.remove_prefix(8);
      if (!q.patient_id.empty() && q.patient_id != id) {
        return InvalidArgumentError("only one patient per search");
      }
      q.patient_id = id;
    } else if (k == "date") {
      PIONEER_RETURN_IF_ERROR(AddDateConstraint(v, &q.date));
    } else if (auto t = std::find_if(tokens.begin(), tokens.end(),
                                     [&key = k](const auto& p) {
                                       return p.first == key || IsTokenModifier(p.first, key);
                                     });
               t != tokens.end()) {
      TokenFilter f;
      f.parameter = t->first;
      f.element = t->second;
      const std::string_view modifier = std::string_view(k).substr(t->first.size());
      if (modifier == ":below" || modifier == ":above") {
        f.subsumption = modifier == ":below" ? Subsumption::kBelow : Subsumption::kAbove;
        for (const std::string& one : SplitEscaped(v, ',', false)) {
          PIONEER_ASSIGN_OR_RETURN(Token tok, ParseToken(t->first, one));
          const auto systems = HierarchicalSystems();
          if (!tok.system || tok.code.empty() ||
              std::find(systems.begin(), systems.end(), *tok.system) == systems.end()) {
            return InvalidArgumentError(fmt::format(
                "parameter '{}{}' takes system|code in ICD-10 ({}) or OPCS-4 ({}); other code "
                "systems need a terminology server",
                t->first, modifier, kIcd10System, kOpcs4System));
          }
          f.any_of.push_back(std::move(tok));
        }
      } else if (modifier == ":text") {
        if (v.empty()) {
          return InvalidArgumentError(
              fmt::format("parameter '{}:text' has an empty value", t->first));
        }
        f.text = v;
      } else if (k.size() > t->first.size() && k.substr(t->first.size()) == ":missing") {
        if (v != "true" && v != "false") {
          return InvalidArgumentError(
              fmt::format("parameter '{}:missing' is true or false", t->first));
        }
        f.missing = v == "true";
      } else {
        f.negated = k.size() > t->first.size();
        for (const std::string& one : SplitEscaped(v, ',', false)) {
          PIONEER_ASSIGN_OR_RETURN(Token tok, ParseToken(t->first, one));
          f.any_of.push_back(std::move(tok));
        }
      }
      q.tokens.push_back(std::move(f));
    } else if (!lenient) {
      return UnknownParameter(k);
    }
  }
  if (q.patient_id.empty()) {
    return InvalidArgumentError(
        "this server searches clinical records of one patient at a time: give patient=<id>");
  }
  return q;
}

bool MatchesTokens(const nlohmann::json& resource, const ClinicalQuery& q) {
  std::vector<CodingView> codings;
  for (const TokenFilter& f : q.tokens) {
    codings.clear();
    auto e = resource.find(f.element);
    if (f.text) {
      if (e == resource.end() || !TextMatches(*e, *f.text)) return false;
      continue;
    }
    if (e != resource.end()) Collect(*e, &codings);
    if (f.missing) {
      if (*f.missing != codings.empty()) return false;
      continue;
    }
    bool any = false;
    for (const Token& t : f.any_of) {
      for (const CodingView& c : codings) {
        any = any ||
              (f.subsumption == Subsumption::kNone ? Matches(t, c) : Subsumes(t, c, f.subsumption));
      }
    }
    if (any == f.negated) return false;
  }
  return true;
}

StatusOr<EverythingQuery> EverythingQueryFromParams(const SearchParams& params,
                                                    std::span<const std::string_view> types,
                                                    bool lenient) {
  EverythingQuery q;
  for (const auto& [k, v] : params) {
    if (IsPaging(k)) continue;
    if (k == "_type") {
      for (const std::string& t : SplitEscaped(v, ',', true)) {
        if (std::find(types.begin(), types.end(), t) == types.end()) {
          return InvalidArgumentError(
              "_type: $everything returns Patient, Encounter, Condition, Procedure, "
              "EpisodeOfCare, CarePlan, CareTeam, RiskAssessment and the document types of "
              "the CapabilityStatement");
        }
        if (std::find(q.types.begin(), q.types.end(), t) == q.types.end()) q.types.push_back(t);
      }
    } else if (k == "start") {
      if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0]))) {
        return InvalidArgumentError("start is a date: YYYY, YYYY-MM or YYYY-MM-DD");
      }
      PIONEER_RETURN_IF_ERROR(AddDateConstraint("ge" + v, &q.date));
    } else if (k == "end") {
      if (v.empty() || !std::isdigit(static_cast<unsigned char>(v[0]))) {
        return InvalidArgumentError("end is a date: YYYY, YYYY-MM or YYYY-MM-DD");
      }
      PIONEER_RETURN_IF_ERROR(AddDateConstraint("le" + v, &q.date));
    } else if (k == "_since") {
      return InvalidArgumentError(
          "_since is not supported: records from extracts carry no update time");
    } else if (!lenient) {
      return UnknownParameter(k);
    }
  }
  return q;
}

StatusOr<AuditSearch> AuditSearchFromParams(const SearchParams& params, bool lenient) {
  AuditSearch q;
  for (const auto& [k, v] : params) {
    if (k == "_count" || k == "_offset" || k == "_format") continue;
    if (k == "patient" || k == "entity") {
      std::string_view id = v;
      if (id.substr(0, 8) == "Patient/") id.remove_prefix(8);
      q.patients.push_back(ParsePatientId(id));
    } else if (k == "agent") {
      q.agent = v;
    } else if (k == "date") {
      PIONEER_RETURN_IF_ERROR(AddDateConstraint(v, &q.date));
    } else if (!lenient) {
      return InvalidArgumentError(
          fmt::format("unknown or unsupported search parameter '{}'", k.substr(0, 40)));
    }
  }
  return q;
}

StatusOr<Includes> IncludesFromParams(const SearchParams& params, std::string_view type) {
  Includes out;
  auto care_plan_subject = [](std::string_view v) {
    return v == "CarePlan:subject" || v == "CarePlan:patient" || v == "CarePlan:subject:Patient" ||
           v == "CarePlan:patient:Patient";
  };
  for (const auto& [k, v] : params) {
    if (k == "_include" && type == "CarePlan" && care_plan_subject(v)) {
      out.care_plan_subject = true;
    } else if (k == "_revinclude" && type == "Patient" && care_plan_subject(v)) {
      out.rev_care_plan_subject = true;
    } else if (IsInclude(k)) {
      return InvalidArgumentError(
          fmt::format("unsupported {} on {} (supported: _include=CarePlan:subject on CarePlan, "
                      "_revinclude=CarePlan:subject on Patient)",
                      k, type.substr(0, 40)));
    }
  }
  return out;
}

StatusOr<Paging> PagingFromParams(const SearchParams& params) {
  Paging p;
  for (const auto& [k, v] : params) {
    if (k == "_count") {
      auto n = ParseInt(v);
      if (!n) return InvalidArgumentError("_count must be a non-negative integer");
      p.count = std::min<int64_t>(*n, kMaxPageSize);
    } else if (k == "_offset") {
      auto n = ParseInt(v);
      if (!n) return InvalidArgumentError("_offset must be a non-negative integer");
      p.offset = *n;
    }
  }
  return p;
}

std::string QueryString(const SearchParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (IsPaging(k) || k.empty()) continue;
    if (!out.empty()) out += '&';
    out += Encode(k) + "=" + Encode(v);
  }
  return out;
}

nlohmann::json SearchBundle(std::string_view base_url, std::string_view path,
                            const SearchParams& query, int64_t total, const Paging& paging,
                            std::vector<nlohmann::json> page,
                            std::vector<nlohmann::json> included) {
  using nlohmann::json;
  std::string q = QueryString(query);
  auto link = [&](std::string_view rel, int64_t offset) {
    std::string url = fmt::format("{}/{}?{}{}_count={}&_offset={}", base_url, path, q,
                                  q.empty() ? "" : "&", paging.count, offset);
    return json{{"relation", rel}, {"url", url}};
  };
  json links = json::array({link("self", paging.offset)});
  if (paging.count > 0 && paging.offset + paging.count < total) {
    links.push_back(link("next", paging.offset + paging.count));
  }
  if (paging.offset > 0 && paging.count > 0) {
    links.push_back(link("previous", std::max<int64_t>(0, paging.offset - paging.count)));
  }
  json entries = json::array();
  for (json& r : page) {
    std::string full =
        fmt::format("{}/{}/{}", base_url, r.value("resourceType", ""), r.value("id", ""));
    std::string mode = r.value("resourceType", "") == "OperationOutcome" ? "outcome" : "match";
    entries.push_back(
        {{"fullUrl", full}, {"resource", std::move(r)}, {"search", {{"mode", mode}}}});
  }
  for (json& r : included) {
    std::string full =
        fmt::format("{}/{}/{}", base_url, r.value("resourceType", ""), r.value("id", ""));
    entries.push_back(
        {{"fullUrl", full}, {"resource", std::move(r)}, {"search", {{"mode", "include"}}}});
  }
  // Moved, not copied, into the Bundle (a copy of every entry's resource otherwise).
  return {{"resourceType", "Bundle"},
          {"type", "searchset"},
          {"total", total},
          {"link", std::move(links)},
          {"entry", std::move(entries)}};
}

}  // namespace pioneer::fhir
