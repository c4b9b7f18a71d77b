#include "pioneer/server/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "pioneer/base/disclosure.h"
#include "pioneer/careplan/plan_store.h"
#include "pioneer/documents/directory_store.h"
#include "pioneer/documents/document_store.h"
#include "pioneer/fhir/audit_event.h"
#include "pioneer/fhir/bundle.h"
#include "pioneer/fhir/capability.h"
#include "pioneer/fhir/care_plan_write.h"
#include "pioneer/fhir/consent.h"
#include "pioneer/fhir/directory.h"
#include "pioneer/fhir/document.h"
#include "pioneer/fhir/history.h"
#include "pioneer/fhir/operation_outcome.h"
#include "pioneer/fhir/organization.h"
#include "pioneer/fhir/resources.h"
#include "pioneer/fhir/search.h"
#include "pioneer/formats/extract_schema.h"
#include "pioneer/ig/audit.h"
#include "pioneer/ig/audit_writer.h"
#include "pioneer/ig/crypto.h"
#include "pioneer/ig/gate.h"
#include "pioneer/ig/objections.h"
#include "pioneer/ig/person_records.h"
#include "pioneer/ig/token_cache.h"
#include "pioneer/ig/tokens.h"
#include "pioneer/ig/users.h"
#include "pioneer/server/auth_request.h"
#include "pioneer/server/json_log.h"
#include "pioneer/server/rate_limiter.h"
#include "pioneer/server/request_deadline.h"
#include "pioneer/server/route_patterns.h"
#include "pioneer/server/store_pool.h"
#include "pioneer/store/master_index.h"
#include "pioneer/store/organisations.h"
#include "pioneer/store/person_directory.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::server {
namespace {

using nlohmann::json;

constexpr const char* kFhirJson = "application/fhir+json; charset=utf-8";

int64_t NowSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Thrown by handlers to answer with an OperationOutcome; caught by the route wrapper.
struct HttpError {
  int status;
  std::string code;
  std::string message;
};

[[noreturn]] void Fail(int status, std::string code, std::string message) {
  throw HttpError{status, std::move(code), std::move(message)};
}

void Check(const Status& s) {
  if (!s.ok()) {
    if (s.code() == StatusCode::kInvalidArgument) Fail(400, "invalid", s.message());
    Fail(500, "exception", "internal error");
  }
}
template <typename T>
T Check(StatusOr<T> v) {
  Check(v.status());
  return std::move(*v);
}

void SendJson(httplib::Response& res, int status, const json& body, const char* type = kFhirJson) {
  res.status = status;
  // As httplib's set_content, which would copy the body once more.
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.headers.erase("Content-Type");
  res.set_header("Content-Type", type);
}

// The answer to a write, as the client's `Prefer: return=` asks (FHIR R4 RESTful API,
// "Managing Return Content"): `minimal` no body (the headers say where and which version),
// `OperationOutcome` an informational outcome naming what was written, otherwise
// (`representation`, the default) the resource as stored.
void SendWritten(const httplib::Request& req, httplib::Response& res, int status,
                 const json& resource) {
  const std::string prefer = req.get_header_value("Prefer");
  if (prefer.find("return=minimal") != std::string::npos) {
    res.status = status;
    return;
  }
  if (prefer.find("return=OperationOutcome") != std::string::npos) {
    std::string written =
        fmt::format("{}/{}", resource.value("resourceType", ""), resource.value("id", ""));
    if (resource.contains("meta") && resource["meta"].contains("versionId")) {
      written += "/_history/" + resource["meta"]["versionId"].get<std::string>();
    }
    return SendJson(res, status,
                    {{"resourceType", "OperationOutcome"},
                     {"issue", json::array({{{"severity", "information"},
                                             {"code", "informational"},
                                             {"diagnostics", "written: " + written}}})}});
  }
  SendJson(res, status, resource);
}

// Per-request state handed to route handlers.
struct Ctx {
  const httplib::Request& req;
  httplib::Response& res;
  store::Store& store;
  int64_t now;
  std::string base_url;  // absolute, ".../fhir"
  std::optional<ig::Principal> who;
  ig::AuditSink* audit;  // the server's group-commit audit writer
};

struct PlanForWrite;

class Service {
 public:
  // `pool` (general connections) serves requests that may write, `read_pool` (read-only
  // connections) the GET requests.
  Service(const ServerOptions& o, std::unique_ptr<StorePool> pool,
          std::unique_ptr<StorePool> read_pool, std::unique_ptr<ig::AuditWriter> audit)
      : options_(o),
        pool_(std::move(pool)),
        read_pool_(std::move(read_pool)),
        audit_(std::move(audit)),
        limiter_(o.rate_per_second, o.rate_burst),
        routes_(Routes()),
        patterns_(PatternsOf(routes_)) {}

  void Install(httplib::Server& svr);
  // The whole-request watchdog, once the server's port is known: every handler tells it when
  // the request has been read whole (request_deadline.h).
  void SetDeadlines(RequestDeadlines* d) { deadlines_.store(d); }

 private:
  using Fn = void (Service::*)(Ctx&);
  enum class Auth { kNone, kBearer };
  struct RouteSpec {
    std::string method;
    std::string pattern;
    std::string name;
    Auth auth;
    Fn fn;
  };
  static std::vector<RouteSpec> Routes();
  static std::vector<std::string> PatternsOf(const std::vector<RouteSpec>& routes) {
    std::vector<std::string> out;
    for (const RouteSpec& r : routes) out.push_back(r.pattern);
    return out;
  }
  // `read_only`: the handler never writes the records, so it runs on a read-only connection.
  httplib::Server::Handler Route(std::string name, Auth auth, Fn fn, bool read_only);
  void Authenticate(Ctx& c);
  void RequireScope(Ctx& c, std::string_view type);
  void RequireWriteScope(Ctx& c, std::string_view type);

  void Metadata(Ctx& c);
  void Token(Ctx& c);
  void Revoke(Ctx& c);
  void BreakGlass(Ctx& c);
  void PatientRead(Ctx& c);
  void PatientSearch(Ctx& c);
  void Everything(Ctx& c);
  void ClinicalRead(Ctx& c);
  void ClinicalSearch(Ctx& c);
  void OrganizationRead(Ctx& c);
  void OrganizationSearch(Ctx& c);
  void AuditSearch(Ctx& c);
  void AnalyticsSummary(Ctx& c);
  void CarePlanCreate(Ctx& c);
  void ConsentCreate(Ctx& c);
  void ConsentRead(Ctx& c);
  void ConsentUpdate(Ctx& c);
  void ConsentHistory(Ctx& c);
  void ConsentWrite(Ctx& c, const std::string* update_id);
  void ConsentSearch(Ctx& c);
  void CarePlanHistory(Ctx& c);
  void CarePlanUpdate(Ctx& c);
  void CarePlanConditionalUpdate(Ctx& c);
  void CarePlanUpdateOf(Ctx& c, const std::string& id, bool conditional);
  void CareTeamUpdate(Ctx& c);
  PlanForWrite OpenPlanForWrite(Ctx& c, ig::Gate& gate, std::optional<int64_t> plan_id,
                                std::string_view type, const std::string& id,
                                std::string_view action);
  careplan::CarePlan StorePlanUpdate(Ctx& c, ig::Gate& gate, ig::PersonAccess& access,
                                     careplan::CarePlan plan, int expected,
                                     std::string_view written_as);
  int RequiredIfMatch(Ctx& c);
  // A conditional create's If-None-Exist criteria (nullopt without the header); 400 when
  // they are not identifier=...
  std::optional<fhir::PlanIdentifierCriteria> IfNoneExist(Ctx& c);
  void SendCarePlan(Ctx& c, int status, const careplan::CarePlan& plan, int64_t patient_id);
  void NotSupported(Ctx& c);
  void DocumentCreate(Ctx& c);
  void DocumentCreateOf(Ctx& c, const std::string& type);
  void DocumentUpdate(Ctx& c);
  void DirectoryCreate(Ctx& c);
  void DirectoryRead(Ctx& c);
  void DirectorySearch(Ctx& c);
  void DocumentHistory(Ctx& c);
  void SendDocument(Ctx& c, int status, const documents::Document& doc, int64_t patient_id);
  std::pair<documents::Document, ig::PersonAccess> OpenDocument(Ctx& c, ig::Gate& gate,
                                                                const std::string& type,
                                                                const std::string& id,
                                                                const std::string& action);
  // Bundles (batch, transaction) at POST /fhir: server/bundle section below.
  void Batch(Ctx& c);
  fhir::EntryResponse Dispatch(Ctx& c, const std::string& method, const std::string& url,
                               const json* resource,
                               const std::vector<std::pair<std::string, std::string>>& headers,
                               ig::AuditSink* audit);
  fhir::EntryResponse ProcessEntry(Ctx& c, fhir::BundleEntry entry,
                                   std::map<std::string, std::string>& resolved,
                                   ig::AuditSink* audit);

  fhir::SearchParams Params(const Ctx& c) const;
  bool Lenient(const Ctx& c) const {
    return c.req.get_header_value("Prefer").find("handling=lenient") != std::string::npos;
  }
  std::vector<json> PersonResources(ig::PersonAccess& access, std::string_view type, Ctx& c);

  ServerOptions options_;
  std::unique_ptr<StorePool> pool_;       // general connections: POST, PUT, PATCH, DELETE
  std::unique_ptr<StorePool> read_pool_;  // read-only connections: GET
  std::unique_ptr<ig::AuditWriter> audit_;
  RateLimiter limiter_;
  std::atomic<RequestDeadlines*> deadlines_{nullptr};
  ig::TokenCache tokens_;  // resolved bearer tokens, for at most ig::kTokenCacheMaxAge
  std::vector<RouteSpec> routes_;
  RoutePatterns patterns_;  // routes_[i].pattern, compiled (Bundle entries)
};

std::string BaseUrl(const httplib::Request& req, const ServerOptions& o) {
  std::string host = req.get_header_value("Host");
  bool ok =
      !host.empty() && host.size() < 200 && std::all_of(host.begin(), host.end(), [](char ch) {
        return std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == ':' ||
               ch == '-' || ch == '[' || ch == ']';
      });
  if (!ok) host = fmt::format("{}:{}", o.host, o.port);
  return fmt::format("{}://{}/fhir", o.tls_cert.empty() ? "http" : "https", host);
}

bool AcceptsJson(const httplib::Request& req) {
  std::string fmt_param = req.get_param_value("_format");
  if (!fmt_param.empty() && fmt_param != "json" && fmt_param.find("json") == std::string::npos) {
    return false;
  }
  if (!req.has_header("Accept")) return true;
  std::string a = req.get_header_value("Accept");
  return a.empty() || a.find("json") != std::string::npos || a.find("*/*") != std::string::npos ||
         a.find("application/*") != std::string::npos;
}

httplib::Server::Handler Service::Route(std::string name, Auth auth, Fn fn, bool read_only) {
  return [this, name, auth, fn, read_only](const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    if (RequestDeadlines* d = deadlines_.load()) d->Busy(req.remote_addr, req.remote_port);
    int64_t user_id = 0;
    std::string role;
    try {
      if (!limiter_.Allow(req.remote_addr)) {
        res.set_header("Retry-After", "1");
        Fail(429, "throttled", "too many requests; slow down");
      }
      if (!AcceptsJson(req)) Fail(406, "not-supported", "this server answers in JSON only");
      if (req.method == "POST" || req.method == "PUT") {
        std::string type = req.get_header_value("Content-Type");
        bool form = type.rfind("application/x-www-form-urlencoded", 0) == 0;
        bool js =
            type.rfind("application/fhir+json", 0) == 0 || type.rfind("application/json", 0) == 0;
        if (!req.body.empty() && !form && !js) {
          Fail(415, "not-supported", "send application/fhir+json, application/json or a form");
        }
      }
      StorePool::Lease lease = (read_only ? read_pool_ : pool_)->Acquire();
      Ctx c{req, res, *lease, NowSeconds(), BaseUrl(req, options_), std::nullopt, audit_.get()};
      if (auth == Auth::kBearer) Authenticate(c);
      if (c.who) {
        user_id = c.who->user_id;
        role = ig::RoleName(c.who->role);
      }
      (this->*fn)(c);
    } catch (const HttpError& e) {
      if (e.status == 401) {
        res.set_header("WWW-Authenticate", "Bearer realm=\"pioneer\", error=\"invalid_token\"");
      }
      SendJson(res, e.status, fhir::OperationOutcome(e.code, e.message));
    } catch (const std::exception&) {
      SendJson(res, 500, fhir::OperationOutcome("exception", "internal error"));
    }
    double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    json line = {{"event", "request"},
                 {"method", req.method},
                 {"route", name},
                 {"status", res.status},
                 {"ms", std::round(ms * 100) / 100}};
    if (user_id) {
      line["user_id"] = user_id;
      line["role"] = role;
    }
    WriteLog(res.status >= 500 ? "error" : "info", std::move(line));
  };
}

void Service::Authenticate(Ctx& c) {
  const std::string h = c.req.get_header_value("Authorization");
  std::optional<std::string_view> token = BearerToken(h);
  if (!token) Fail(401, "login", "a bearer token is required");
  const std::string digest = ig::TokenDigest(*token);
  c.who = tokens_.Find(digest, c.now);
  if (!c.who) {
    const uint64_t generation = tokens_.Generation();
    c.who = ig::TokenService(c.store).Resolve(*token, c.now);
    if (c.who) tokens_.Put(digest, *c.who, generation);
  }
  if (!c.who) Fail(401, "login", "the token is invalid, expired or revoked");
}

void Service::RequireScope(Ctx& c, std::string_view type) {
  if (!ig::ScopesAllowRead(c.who->scopes, type)) {
    Fail(403, "forbidden",
         fmt::format("the token's scopes do not allow reading {} resources", type));
  }
}

void Service::RequireWriteScope(Ctx& c, std::string_view type) {
  if (!ig::Gate::MayWrite(*c.who, type)) {
    ig::Gate gate(c.store, c.now, c.audit);
    Check(gate.AuditOther(*c.who, fmt::format("{}.write", type), nullptr, "denied", ""));
    Fail(403, "forbidden",
         fmt::format("the role or the token's scopes do not allow writing {} resources "
                     "(user/{}.write)",
                     type, type));
  }
}

// The body of a create or update: FHIR JSON only (415 otherwise), parsed (400 when it is
// not JSON).
json FhirBody(const Ctx& c) {
  std::string type = c.req.get_header_value("Content-Type");
  if (type.rfind("application/fhir+json", 0) != 0 && type.rfind("application/json", 0) != 0) {
    Fail(415, "not-supported", "send the resource as application/fhir+json");
  }
  json body = json::parse(c.req.body, nullptr, false);
  if (body.is_discarded()) Fail(400, "invalid", "the body is not valid JSON");
  return body;
}

// RFC 9110 HTTP-date of a stored UTC ISO 8601 time ("" when it does not parse).
std::string HttpDate(const std::string& iso) {
  std::tm tm{};
  if (iso.size() < 19 || !strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return "";
  time_t t = timegm(&tm);
  std::tm gmt{};
  gmtime_r(&t, &gmt);
  char buf[64];
  if (std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &gmt) == 0) return "";
  return buf;
}

// A history or vread request: the resource named in the URL and, for a vread, the version.
struct HistoryRequest {
  std::string type;
  std::string id;
  std::optional<std::string> vid;
};

[[noreturn]] void HistoryNotFound(const HistoryRequest& h) {
  Fail(404, "not-found",
       h.vid ? fmt::format("Version {} of {}/{} is not known", h.vid->substr(0, 20), h.type,
                           h.id.substr(0, 40))
             : fmt::format("Resource {}/{} is not known", h.type, h.id.substr(0, 40)));
}

// The history Bundle of the versions (oldest first; `bundle_id` names the resource in it),
// or for a vread the one version with its ETag and Last-Modified; 404 when there is none.
void SendHistory(Ctx& c, const HistoryRequest& h, std::string_view bundle_id,
                 const std::vector<fhir::ResourceVersion>& versions) {
  if (versions.empty()) HistoryNotFound(h);
  if (!h.vid)
    return SendJson(c.res, 200, fhir::HistoryBundle(c.base_url, h.type, bundle_id, versions));
  for (const fhir::ResourceVersion& v : versions) {
    if (std::to_string(v.version) != *h.vid) continue;
    c.res.set_header("ETag", fmt::format("W/\"{}\"", v.version));
    std::string modified = HttpDate(v.last_modified);
    if (!modified.empty()) c.res.set_header("Last-Modified", modified);
    return SendJson(c.res, 200, v.resource);
  }
  HistoryNotFound(h);
}

fhir::SearchParams Service::Params(const Ctx& c) const {
  fhir::SearchParams out;
  for (const auto& [k, v] : c.req.params) out.emplace_back(k, v);
  if (c.req.method == "POST" &&
      c.req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
    httplib::Params form;
    httplib::detail::parse_query_text(c.req.body, form);
    for (const auto& [k, v] : form) {
      // cpp-httplib may already have put the form's fields into req.params.
      if (std::find(out.begin(), out.end(), std::pair<std::string, std::string>(k, v)) ==
          out.end()) {
        out.emplace_back(k, v);
      }
    }
  }
  return out;
}

// --- Handlers ------------------------------------------------------------------------

void Service::Metadata(Ctx& c) {
  SendJson(c.res, 200, fhir::CapabilityStatement(c.base_url, options_.version));
}

void Service::Token(Ctx& c) {
  TokenRequestParse parsed = ParseTokenRequest(Params(c));
  auto oauth_error = [&](int status, std::string_view error, std::string_view text) {
    c.res.set_header("Cache-Control", "no-store");
    SendJson(c.res, status, {{"error", error}, {"error_description", text}}, "application/json");
  };
  if (!parsed.error.empty()) return oauth_error(400, parsed.error, parsed.description);
  const TokenRequest& request = parsed.request;
  ig::SignInFailure failure;
  std::optional<ig::Principal> who =
      ig::UserDirectory(c.store).SignIn(request.username, request.password, c.now, &failure);
  if (!who) {
    const char* reason = failure == ig::SignInFailure::kLocked     ? "locked"
                         : failure == ig::SignInFailure::kDisabled ? "disabled"
                                                                   : "bad_credentials";
    WriteLog("warning", {{"event", "sign-in-failed"}, {"reason", reason}});
    return oauth_error(400, "invalid_grant",
                       "the username or password is wrong, or the "
                       "account is locked or disabled");
  }
  auto scopes = ig::GrantScopes(who->role, request.scope);
  if (!scopes) return oauth_error(400, "invalid_scope", "a requested scope is not allowed");
  who->scopes = *scopes;
  ig::IssuedToken t =
      Check(ig::TokenService(c.store).Issue(*who, c.now, options_.token_ttl_seconds));
  c.res.set_header("Cache-Control", "no-store");
  SendJson(c.res, 200,
           {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"expires_in", t.expires_in},
            {"scope", t.scope}},
           "application/json");
}

void Service::Revoke(Ctx& c) {
  for (const auto& [k, v] : Params(c)) {
    if (k == "token") {
      Check(ig::TokenService(c.store).Revoke(v, c.now));
      tokens_.Forget(ig::TokenDigest(v));
    }
  }
  SendJson(c.res, 200, json::object(), "application/json");
}

void Service::BreakGlass(Ctx& c) {
  json body = json::parse(c.req.body, nullptr, false);
  if (!body.is_object() || !body.contains("nhs_number") || !body["nhs_number"].is_string() ||
      !body.contains("reason") || !body["reason"].is_string()) {
    Fail(400, "invalid", "the body must be JSON: {\"nhs_number\": \"...\", \"reason\": \"...\"}");
  }
  auto person = NhsNumber::Parse(body["nhs_number"].get<std::string>());
  if (!person) Fail(400, "invalid", "nhs_number is not a valid NHS Number");
  std::string reason = body["reason"].get<std::string>();
  if (reason.size() > 1000) Fail(400, "invalid", "the reason is longer than 1000 characters");
  ig::Gate gate(c.store, c.now, c.audit);
  if (!ig::IsDirectCareRole(c.who->role)) {
    (void)gate.AuthoriseBreakGlass(*c.who, *person, reason, 0);
    Fail(403, "forbidden", "this role cannot break the glass");
  }
  Check(gate.AuthoriseBreakGlass(*c.who, *person, reason, 0));
  int64_t grant_id = 0;
  ig::IssuedToken t =
      Check(ig::TokenService(c.store).IssueBreakGlass(*c.who, *person, reason, c.now, &grant_id));
  Check(gate.AuthoriseBreakGlass(*c.who, *person, reason, grant_id));
  c.res.set_header("Cache-Control", "no-store");
  SendJson(c.res, 200,
           {{"access_token", t.access_token},
            {"token_type", "Bearer"},
            {"expires_in", t.expires_in},
            {"scope", t.scope},
            {"break_glass", {{"grant_id", grant_id}, {"audited", true}}}},
           "application/json");
}

// The resources of `type` mapped from one person's rows (of the type's source tables).
std::vector<json> MapRows(std::string_view type, const std::vector<ig::SourceRow>& rows,
                          int64_t patient_id) {
  if (type == "Encounter") return fhir::EncounterResources(rows, patient_id);
  if (type == "Condition") return fhir::ConditionResources(rows, patient_id);
  if (type == "Procedure") return fhir::ProcedureResources(rows, patient_id);
  if (type == "RiskAssessment") return fhir::RiskAssessmentResources(rows, patient_id);
  return fhir::EpisodeOfCareResources(rows, patient_id);
}

std::vector<json> Service::PersonResources(ig::PersonAccess& access, std::string_view type,
                                           Ctx& c) {
  ig::PersonRecords records(c.store);
  std::vector<json> out;
  if (type == "CarePlan" || type == "CareTeam") {
    for (const careplan::CarePlan& p : Check(records.CarePlans(access))) {
      out.push_back(type == "CarePlan" ? fhir::CarePlanResource(p, access.patient_id())
                                       : fhir::CareTeamResource(p, access.patient_id()));
    }
  } else if (!documents::IsDocumentType(type) || documents::IsAlsoFromRecord(type)) {
    for (std::string_view table : fhir::SourceTables(type)) {
      std::vector<ig::SourceRow> rows = Check(records.Records(access, table));
      for (json& r : MapRows(type, rows, access.patient_id())) out.push_back(std::move(r));
    }
  }
  // Then the documents from other organisations of the type (section 5c).
  if (documents::IsDocumentType(type)) {
    for (const documents::Document& d : Check(records.Documents(access, type))) {
      out.push_back(fhir::DocumentResource(d, access.patient_id()));
    }
  }
  return out;
}

void Service::PatientRead(Ctx& c) {
  RequireScope(c, "Patient");
  std::string id = c.req.matches[1];
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource Patient/{} is not known", id.substr(0, 40)));
  };
  auto pid = fhir::ParsePatientId(id);
  if (!pid) not_found();
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access = Check(gate.OpenPatient(*c.who, *pid, "Patient.read"));
  if (!access) not_found();
  auto demo = Check(ig::PersonRecords(c.store).Demographics(*access));
  Check(gate.Audit(*access));
  if (!demo) not_found();
  c.res.set_header("ETag", "W/\"1\"");
  SendJson(c.res, 200, fhir::PatientResource(*demo, access->patient_id()));
}

void Service::PatientSearch(Ctx& c) {
  RequireScope(c, "Patient");
  fhir::SearchParams params = Params(c);
  ig::PatientQuery q = Check(fhir::PatientQueryFromParams(params, Lenient(c)));
  fhir::Includes includes = Check(fhir::IncludesFromParams(params, "Patient"));
  if (includes.rev_care_plan_subject) RequireScope(c, "CarePlan");
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  ig::Gate gate(c.store, c.now, c.audit);
  std::vector<ig::PersonAccess> found = Check(gate.FindPatients(*c.who, q, "Patient.search"));
  std::vector<json> page;
  std::vector<json> included;
  ig::PersonRecords records(c.store);
  for (size_t i = 0; i < found.size(); ++i) {
    bool in_page = static_cast<int64_t>(i) >= paging.offset &&
                   static_cast<int64_t>(i) < paging.offset + paging.count;
    if (!in_page) {
      Check(gate.Release(found[i]));
      continue;
    }
    auto demo = Check(records.Demographics(found[i]));
    if (demo && includes.rev_care_plan_subject) {
      for (const careplan::CarePlan& p : Check(records.CarePlans(found[i]))) {
        included.push_back(fhir::CarePlanResource(p, found[i].patient_id()));
      }
    }
    Check(gate.Audit(found[i]));
    if (demo) page.push_back(fhir::PatientResource(*demo, found[i].patient_id()));
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, "Patient", params, static_cast<int64_t>(found.size()),
                              paging, std::move(page), std::move(included)));
}

void Service::Everything(Ctx& c) {
  static const std::vector<std::string_view> kTypes = [] {
    std::vector<std::string_view> t = {"Patient",       "Encounter", "Condition", "Procedure",
                                       "EpisodeOfCare", "CarePlan",  "CareTeam",  "RiskAssessment"};
    for (std::string_view d : documents::DocumentOnlyTypes()) t.push_back(d);
    return t;
  }();
  fhir::SearchParams params = Params(c);
  fhir::EverythingQuery q = Check(fhir::EverythingQueryFromParams(params, kTypes, Lenient(c)));
  auto wanted = [&](std::string_view t) {
    return q.types.empty() || std::find(q.types.begin(), q.types.end(), t) != q.types.end();
  };
  RequireScope(c, "Patient");
  for (std::string_view t : kTypes) {
    if (wanted(t)) RequireScope(c, t);
  }
  std::string id = c.req.matches[1];
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  auto pid = fhir::ParsePatientId(id);
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource Patient/{} is not known", id.substr(0, 40)));
  };
  if (!pid) not_found();
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access =
      Check(gate.OpenPatient(*c.who, *pid, "Patient.$everything"));
  if (!access) not_found();
  auto demo = Check(ig::PersonRecords(c.store).Demographics(*access));
  if (!demo) {
    Check(gate.Audit(*access));
    not_found();
  }
  std::vector<json> all;
  if (wanted("Patient")) all.push_back(fhir::PatientResource(*demo, access->patient_id()));
  for (std::string_view t : kTypes) {
    if (t == "Patient" || !wanted(t)) continue;
    for (json& r : PersonResources(*access, t, c)) {
      // A joint plan's team is already in its CarePlan (contained); other organisations'
      // CareTeams (documents) are not.
      if (t == "CareTeam" && !fhir::ParseDocumentId(r.value("id", ""))) continue;
      std::string date = fhir::SearchDate(r);
      if (date.empty() || fhir::InRange(q.date, date)) all.push_back(std::move(r));
    }
  }
  Check(gate.Audit(*access));
  int64_t total = static_cast<int64_t>(all.size());
  std::vector<json> page;
  for (int64_t i = paging.offset; i < std::min(total, paging.offset + paging.count); ++i) {
    page.push_back(std::move(all[i]));
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, fmt::format("Patient/{}/$everything", *pid), params,
                              total, paging, std::move(page)));
}

void Service::ClinicalRead(Ctx& c) {
  std::string type = c.req.matches[1];
  std::string id = c.req.matches[2];
  RequireScope(c, type);
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource {}/{} is not known", type, id.substr(0, 40)));
  };
  if (documents::IsDocumentType(type) &&
      (!documents::IsAlsoFromRecord(type) || fhir::ParseDocumentId(id))) {
    ig::Gate gate(c.store, c.now, c.audit);
    auto [doc, access] = OpenDocument(c, gate, type, id, type + ".read");
    std::vector<json> docs = PersonResources(access, type, c);
    Check(gate.Audit(access));
    for (json& r : docs) {
      if (r.value("id", "") != id) continue;
      c.res.set_header("ETag", fmt::format("W/\"{}\"", r["meta"]["versionId"].get<std::string>()));
      std::string modified = HttpDate(doc.written_at);
      if (!modified.empty()) c.res.set_header("Last-Modified", modified);
      return SendJson(c.res, 200, r);
    }
    not_found();
  }
  if (type == "CarePlan" || type == "CareTeam") {
    // The plan's person decides; an unknown plan and a plan the user may not see are the
    // same 404 (no existence leaks). A CareTeam is its plan's team.
    std::optional<int64_t> plan_id =
        type == "CarePlan" ? fhir::ParseCarePlanId(id) : fhir::ParseCareTeamId(id);
    if (!plan_id) not_found();
    std::optional<careplan::CarePlan> plan = Check(careplan::GetPlan(c.store, *plan_id));
    std::optional<NhsNumber> person;
    if (plan) person = plan->nhs_number;
    if (!person) not_found();
    ig::Gate gate(c.store, c.now, c.audit);
    std::optional<ig::PersonAccess> access = Check(gate.Open(*c.who, *person, type + ".read"));
    if (!access) not_found();
    std::vector<json> plans = PersonResources(*access, type, c);
    Check(gate.Audit(*access));
    for (json& r : plans) {
      if (r.value("id", "") == id) {
        c.res.set_header("ETag",
                         fmt::format("W/\"{}\"", r["meta"]["versionId"].get<std::string>()));
        return SendJson(c.res, 200, r);
      }
    }
    not_found();
  }
  std::optional<fhir::RecordRef> ref = type == "Encounter"        ? fhir::ParseEncounterId(id)
                                       : type == "Condition"      ? fhir::ParseConditionId(id)
                                       : type == "Procedure"      ? fhir::ParseProcedureId(id)
                                       : type == "RiskAssessment" ? fhir::ParseRiskAssessmentId(id)
                                                                  : fhir::ParseEpisodeOfCareId(id);
  if (!ref) not_found();
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access =
      Check(gate.OpenRecordOwner(*c.who, ref->table, ref->row_id, type + ".read"));
  if (!access) not_found();
  ig::PersonRecords records(c.store);
  std::vector<ig::SourceRow> rows;
  if (ref->table == "apc_episodes" && type == "Encounter") {
    rows = Check(records.Records(*access, ref->table));  // the whole spell
  } else if (auto row = Check(records.Record(*access, ref->table, ref->row_id))) {
    rows.push_back(std::move(*row));
  }
  Check(gate.Audit(*access));
  for (json& r : MapRows(type, rows, access->patient_id())) {
    if (r.value("id", "") == id) {
      c.res.set_header("ETag", "W/\"1\"");
      return SendJson(c.res, 200, r);
    }
  }
  not_found();
}

fhir::DirectoryEntry DirectoryEntryOf(const store::Organisation& o) {
  return {o.ods_code, o.name, o.type, o.parent_code, o.postcode, o.close_date};
}

// Organization: the directory (not person-level), for any signed-in user; not audited. ODS
// organisations have their ODS code as id; organisations other systems wrote (section 5d)
// are directory entries, "dir-<n>".
void Service::OrganizationRead(Ctx& c) {
  std::string id = c.req.matches[1];
  if (fhir::ParseDirectoryId(id)) return DirectoryRead(c);
  store::OrganisationFilter f;
  f.ods_code = id;
  int64_t total = 0;
  std::vector<store::Organisation> found =
      Check(store::FindOrganisations(c.store, f, 0, 1, &total));
  if (found.empty()) {
    Fail(404, "not-found", fmt::format("Resource Organization/{} is not known", id.substr(0, 40)));
  }
  c.res.set_header("ETag", "W/\"1\"");
  SendJson(c.res, 200, fhir::OrganizationResource(DirectoryEntryOf(found[0])));
}

// The ODS directory first, then the entries other systems wrote, as one paged list.
void Service::OrganizationSearch(Ctx& c) {
  fhir::SearchParams params = Params(c);
  fhir::OrganizationQuery q = Check(fhir::OrganizationQueryFromParams(params, Lenient(c)));
  fhir::DirectorySearch dq =
      Check(fhir::DirectorySearchFromParams(params, true, {"_id", "type", "partof"}));
  Check(fhir::IncludesFromParams(params, "Organization"));
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  int64_t ods_total = 0;
  std::vector<json> page;
  if (!q.matches_nothing) {
    store::OrganisationFilter f{q.ods_code, q.name_prefix, q.type, q.parent_code};
    for (const store::Organisation& o :
         Check(store::FindOrganisations(c.store, f, paging.offset, paging.count, &ods_total))) {
      page.push_back(fhir::OrganizationResource(DirectoryEntryOf(o)));
    }
  }
  int64_t other_total = 0;
  if (!dq.matches_nothing) {
    dq.query.offset = std::max<int64_t>(0, paging.offset - ods_total);
    dq.query.limit = paging.count - static_cast<int64_t>(page.size());
    for (const documents::DirectoryEntry& e :
         Check(documents::FindDirectoryEntries(c.store, "Organization", dq.query, &other_total))) {
      page.push_back(fhir::DirectoryResource(e));
    }
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, "Organization", params, ods_total + other_total, paging,
                              std::move(page)));
}

// --- Directory entries from other systems (docs/fhir.md section 5d) ----------------------
// Location, Practitioner, PractitionerRole, Medication and non-ODS Organizations: not
// person-level, read by any signed-in user and not audited; written (create, also
// conditional on identifier) with user/<type>.write, and each write audited.

void Service::DirectoryRead(Ctx& c) {
  const std::string type = c.req.path.substr(6, c.req.path.find('/', 6) - 6);
  const std::string id = c.req.matches[c.req.matches.size() - 1];
  std::optional<int64_t> entry_id = fhir::ParseDirectoryId(id);
  std::optional<documents::DirectoryEntry> e =
      entry_id ? Check(documents::GetDirectoryEntry(c.store, type, *entry_id)) : std::nullopt;
  if (!e) {
    Fail(404, "not-found", fmt::format("Resource {}/{} is not known", type, id.substr(0, 40)));
  }
  c.res.set_header("ETag", fmt::format("W/\"{}\"", e->version));
  std::string modified = HttpDate(e->written_at);
  if (!modified.empty()) c.res.set_header("Last-Modified", modified);
  SendJson(c.res, 200, fhir::DirectoryResource(*e));
}

void Service::DirectorySearch(Ctx& c) {
  const std::string type = c.req.matches[1];
  fhir::SearchParams params = Params(c);
  fhir::DirectorySearch dq = Check(fhir::DirectorySearchFromParams(params, Lenient(c), {}));
  Check(fhir::IncludesFromParams(params, type));
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  int64_t total = 0;
  std::vector<json> page;
  if (!dq.matches_nothing) {
    dq.query.offset = paging.offset;
    dq.query.limit = paging.count;
    for (const documents::DirectoryEntry& e :
         Check(documents::FindDirectoryEntries(c.store, type, dq.query, &total))) {
      page.push_back(fhir::DirectoryResource(e));
    }
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, type, params, total, paging, std::move(page)));
}

void Service::DirectoryCreate(Ctx& c) {
  const std::string type = c.req.matches[1];
  RequireWriteScope(c, type);
  json body = FhirBody(c);
  fhir::DirectoryParse parsed = fhir::ParseDirectoryResource(body, type);
  if (!parsed.not_a_resource.empty()) Fail(400, "invalid", parsed.not_a_resource);
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  ig::Gate gate(c.store, c.now, c.audit);
  auto send = [&](int status, const documents::DirectoryEntry& e) {
    const std::string id = fhir::DirectoryId(e.entry_id);
    c.res.set_header("Location",
                     fmt::format("{}/{}/{}/_history/{}", c.base_url, type, id, e.version));
    c.res.set_header("ETag", fmt::format("W/\"{}\"", e.version));
    SendWritten(c.req, c.res, status, fhir::DirectoryResource(e));
  };
  if (std::optional<fhir::PlanIdentifierCriteria> criteria = IfNoneExist(c)) {
    documents::DirectoryQuery q;
    q.identifier_exact = criteria->exact;
    q.identifier_suffix = criteria->exact.empty() ? criteria->suffix : "";
    q.limit = 2;
    std::vector<documents::DirectoryEntry> found =
        Check(documents::FindDirectoryEntries(c.store, type, q));
    if (found.size() > 1) {
      Fail(412, "duplicate",
           fmt::format("the If-None-Exist criteria match more than one {}", type));
    }
    if (found.size() == 1) return send(200, found[0]);
  }
  documents::DirectoryEntry e;
  e.resource_type = type;
  e.identifiers = parsed.identifiers;
  e.name = parsed.name;
  e.org_code = c.who->org_code;
  e.resource = parsed.stored;
  e.written_by = c.who->username;
  int64_t id = Check(documents::AddDirectoryEntry(c.store, e));
  std::optional<documents::DirectoryEntry> stored =
      Check(documents::GetDirectoryEntry(c.store, type, id));
  if (!stored) Fail(500, "exception", "internal error");
  Check(gate.AuditOther(*c.who, type + ".create", nullptr, "permitted",
                        fmt::format("wrote:{}/{}/_history/1", type, fhir::DirectoryId(id))));
  send(201, *stored);
}

void Service::ClinicalSearch(Ctx& c) {
  std::string type = c.req.matches[1];
  RequireScope(c, type);
  fhir::SearchParams params = Params(c);
  fhir::ClinicalQuery q = Check(fhir::ClinicalQueryFromParams(type, params, Lenient(c)));
  fhir::Includes includes = Check(fhir::IncludesFromParams(params, type));
  if (includes.care_plan_subject) RequireScope(c, "Patient");
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  std::vector<json> matches;
  std::vector<json> included;
  if (auto pid = fhir::ParsePatientId(q.patient_id)) {
    ig::Gate gate(c.store, c.now, c.audit);
    std::optional<ig::PersonAccess> access =
        Check(gate.OpenPatient(*c.who, *pid, type + ".search"));
    if (access) {
      for (json& r : PersonResources(*access, type, c)) {
        if (fhir::InRange(q.date, fhir::SearchDate(r)) && fhir::MatchesTokens(r, q)) {
          matches.push_back(std::move(r));
        }
      }
      // _include=CarePlan:subject: the one Patient the plans are for, when any are returned.
      const bool page_has_matches = paging.count > 0 && paging.offset < std::ssize(matches);
      if (includes.care_plan_subject && page_has_matches) {
        if (auto demo = Check(ig::PersonRecords(c.store).Demographics(*access))) {
          included.push_back(fhir::PatientResource(*demo, access->patient_id()));
        }
      }
      Check(gate.Audit(*access));
    }
  }
  int64_t total = static_cast<int64_t>(matches.size());
  std::vector<json> page;
  for (int64_t i = paging.offset; i < std::min(total, paging.offset + paging.count); ++i) {
    page.push_back(std::move(matches[i]));
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, type, params, total, paging, std::move(page),
                              std::move(included)));
}

void Service::AuditSearch(Ctx& c) {
  RequireScope(c, "AuditEvent");
  if (c.who->role != ig::Role::kIgOfficer && c.who->role != ig::Role::kPatient) {
    Fail(403, "forbidden", "only IG officers and patients may read the audit trail");
  }
  fhir::SearchParams params = Params(c);
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  ig::AuditQuery q;
  q.offset = paging.offset;
  q.limit = paging.count;
  bool impossible = false;
  std::optional<NhsNumber> person;
  const fhir::AuditSearch asked = Check(fhir::AuditSearchFromParams(params, Lenient(c)));
  const fhir::DateRange& dates = asked.date;
  if (asked.agent) q.username = *asked.agent;
  for (const std::optional<int64_t>& pid : asked.patients) {
    std::optional<NhsNumber> n;
    if (pid) {
      n = Check(store::PersonDirectory(c.store).PersonOfPatientId(*pid));
    }
    if (!n)
      impossible = true;
    else
      person = n;
  }
  if (c.who->role == ig::Role::kPatient) {
    // A patient sees accesses to their own record only.
    if (person && !(*person == *c.who->own_nhs_number)) impossible = true;
    person = *c.who->own_nhs_number;
  }
  q.nhs_number = person;
  q.at_from = dates.from;
  q.at_before = dates.before;
  int64_t total = 0;
  std::vector<json> page;
  if (!impossible) {
    ig::AuditLog log(c.store);
    for (const ig::AuditEntry& e : Check(log.Search(q, &total))) {
      page.push_back(fhir::AuditEventResource(e));
    }
  }
  ig::Gate gate(c.store, c.now, c.audit);
  Check(gate.AuditOther(*c.who, "AuditEvent.search", person ? &*person : nullptr, "permitted",
                        fmt::format("AuditEvent:{}", page.size())));
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, "AuditEvent", params, total, paging, std::move(page)));
}

// The published form of a count (base/disclosure.h, the rule the metrics use): 1-7 suppressed
// (null), the rest rounded to the nearest 5.
json Suppressed(int64_t n) {
  std::optional<int64_t> published = PublishedCount(n);
  if (!published) return nullptr;
  return *published;
}

void Service::AnalyticsSummary(Ctx& c) {
  if (c.who->role != ig::Role::kAnalyst || !ig::ScopesAllowRead(c.who->scopes, "Aggregate")) {
    Fail(403, "forbidden", "aggregates need the user/Aggregate.read scope (analyst role)");
  }
  json practices = json::array();
  Check(c.store.Query(
      fmt::format("SELECT gp_practice_code, count(*) FROM {} p WHERE {} AND death_date IS NULL AND "
                  "gp_practice_code IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ig_objections o "
                  "WHERE o.nhs_number = p.nhs_number) GROUP BY gp_practice_code ORDER BY "
                  "gp_practice_code",
                  formats::kMasterIndexTable, store::SpeakingPersonRowSql("p", c.store.dialect())),
      {}, [&](const store::RowView& r) {
        practices.push_back({{"practice", r.Text(0)}, {"registered_people", Suppressed(r.Int(1))}});
      }));
  json councils = json::array();
  Check(c.store.Query(
      "SELECT la_code, count(DISTINCT nhs_number) FROM social_care_events s WHERE "
      "event_end_date IS NULL AND nhs_number_status = 'valid' AND NOT EXISTS (SELECT 1 FROM "
      "ig_objections o WHERE o.nhs_number = s.nhs_number) GROUP BY la_code ORDER BY la_code",
      {}, [&](const store::RowView& r) {
        councils.push_back(
            {{"council", r.Text(0)}, {"people_with_open_events", Suppressed(r.Int(1))}});
      }));
  ig::Gate gate(c.store, c.now, c.audit);
  Check(gate.AuditOther(*c.who, "analytics.summary", nullptr, "permitted", "aggregates"));
  SendJson(
      c.res, 200,
      {{"disclosure_control", "counts of 1-7 suppressed (null); others rounded to the nearest 5"},
       {"objections", "people who object to sharing are excluded"},
       {"practices", practices},
       {"councils", councils}},
      "application/json");
}

// --- Writes ---------------------------------------------------------------------------

void Service::SendCarePlan(Ctx& c, int status, const careplan::CarePlan& plan, int64_t patient_id) {
  const std::string id = fmt::format("cp-{}", plan.plan_id);
  c.res.set_header("ETag", fmt::format("W/\"{}\"", plan.version));
  c.res.set_header("Location",
                   fmt::format("{}/CarePlan/{}/_history/{}", c.base_url, id, plan.version));
  std::string modified = HttpDate(plan.recorded_at);
  if (!modified.empty()) c.res.set_header("Last-Modified", modified);
  SendWritten(c.req, c.res, status, fhir::CarePlanResource(plan, patient_id));
}

// GET /fhir/CarePlan/{id}/_history and /_history/{vid} (vread): the register's versions,
// through the gate like a read.
void Service::CarePlanHistory(Ctx& c) {
  RequireScope(c, "CarePlan");
  HistoryRequest h{"CarePlan", c.req.matches[1], std::nullopt};
  if (c.req.matches.size() > 2 && c.req.matches[2].matched) h.vid = c.req.matches[2];
  const char* action = h.vid ? "CarePlan.vread" : "CarePlan.history";
  std::optional<int64_t> plan_id = fhir::ParseCarePlanId(h.id);
  if (!plan_id) HistoryNotFound(h);
  std::optional<careplan::CarePlan> plan = Check(careplan::GetPlan(c.store, *plan_id));
  std::optional<NhsNumber> person;
  if (plan) person = plan->nhs_number;
  ig::Gate gate(c.store, c.now, c.audit);
  if (!person) {
    Check(gate.AuditOther(*c.who, action, nullptr, "denied", ""));
    HistoryNotFound(h);
  }
  std::optional<ig::PersonAccess> access = Check(gate.Open(*c.who, *person, action));
  if (!access) HistoryNotFound(h);
  std::vector<careplan::PlanVersion> plans =
      Check(ig::PersonRecords(c.store).CarePlanHistory(*access, *plan_id));
  Check(gate.Audit(*access));
  std::vector<fhir::ResourceVersion> versions;
  for (const careplan::PlanVersion& v : plans) {
    versions.push_back(
        {v.plan.version, v.plan.recorded_at, fhir::CarePlanResource(v.plan, access->patient_id())});
  }
  SendHistory(c, h, fmt::format("cp-{}", *plan_id), versions);
}

// POST /fhir/CarePlan, optionally conditional (If-None-Exist: identifier=system|value).
void Service::CarePlanCreate(Ctx& c) {
  json body = FhirBody(c);
  // A CarePlan with a category (US Core's assess-plan, as Synthea writes) is not a joint care
  // plan of the register: it is kept as a document from the writer's organisation.
  if (body.is_object() && body.contains("category") && body["resourceType"].is_string() &&
      body["resourceType"] == "CarePlan") {
    return DocumentCreateOf(c, "CarePlan");
  }
  RequireWriteScope(c, "CarePlan");
  fhir::CarePlanParse parsed = fhir::ParseCarePlan(body);
  if (!parsed.not_a_care_plan.empty()) Fail(400, "invalid", parsed.not_a_care_plan);
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  std::optional<fhir::PlanIdentifierCriteria> criteria = IfNoneExist(c);
  // The subject, through the gate's write rule: an unknown subject and one without a
  // legitimate relationship get the same answer.
  ig::Gate gate(c.store, c.now, c.audit);
  const fhir::SubjectRef& subject = parsed.write.subject;
  std::optional<ig::PersonAccess> access =
      subject.patient_id
          ? Check(gate.OpenPatientForWrite(*c.who, *subject.patient_id, "CarePlan",
                                           "CarePlan.create"))
          : Check(gate.OpenForWrite(*c.who, *subject.nhs_number, "CarePlan", "CarePlan.create"));
  if (!access) {
    Fail(403, "forbidden",
         "you may not write care plans for this subject (unknown, or no legitimate "
         "relationship)");
  }
  careplan::CarePlan plan = std::move(parsed.write.plan);
  plan.nhs_number = access->person();
  plan.recorded_by = c.who->username;
  if (criteria) {
    careplan::PlanFilter f;
    f.source = std::string(fhir::kFhirPlanSource);
    f.source_ref = criteria->exact;
    f.source_ref_suffix = criteria->suffix;
    std::vector<careplan::CarePlan> matches = Check(careplan::ListPlans(c.store, f));
    if (matches.size() > 1) {
      access->NoteNotWritten("if-none-exist-matches-several");
      Check(gate.Audit(*access));
      Fail(412, "duplicate", "the If-None-Exist criteria match more than one CarePlan");
    }
    if (matches.size() == 1) {
      // An existing plan is returned only to someone who may read it; otherwise the create
      // goes ahead and an identifier already taken is a conflict (409).
      const std::optional<NhsNumber>& owner = matches[0].nhs_number;
      std::optional<ig::PersonAccess> read = owner
                                                 ? Check(gate.Open(*c.who, *owner, "CarePlan.read"))
                                                 : std::optional<ig::PersonAccess>();
      if (read) {
        for (const careplan::CarePlan& p : Check(ig::PersonRecords(c.store).CarePlans(*read))) {
          if (p.plan_id != matches[0].plan_id) continue;
          Check(gate.Audit(*read));
          access->NoteNotWritten("if-none-exist-matched");
          Check(gate.Audit(*access));
          return SendCarePlan(c, 200, p, read->patient_id());
        }
        Check(gate.Audit(*read));
      }
    }
  }
  StatusOr<int64_t> added = careplan::AddPlan(c.store, plan);
  if (!added.ok() && added.status().code() == StatusCode::kAlreadyExists) {
    access->NoteNotWritten("identifier-taken");
    Check(gate.Audit(*access));
    Fail(409, "duplicate", "a CarePlan with this identifier already exists");
  }
  if (!added.ok() && added.status().code() == StatusCode::kInvalidArgument) {
    access->NoteNotWritten("invalid");
    Check(gate.Audit(*access));
    Fail(422, "processing", added.status().message());
  }
  int64_t plan_id = Check(std::move(added));
  std::optional<careplan::CarePlan> stored = Check(careplan::GetPlan(c.store, plan_id));
  if (!stored) Fail(500, "exception", "internal error");
  access->NoteWritten(fmt::format("CarePlan/cp-{}/_history/{}", plan_id, stored->version));
  Check(gate.Audit(*access));
  SendCarePlan(c, 201, *stored, access->patient_id());
}

// PUT /fhir/CarePlan/{id} with If-Match: W/"<version>" (428 without it).
// A plan opened for an update through the gate's write rule: the plan as stored, and the
// access to its person. Answers 404 (and audits) when the plan is unknown, the user may not
// write for its person, or (under an objection) may not see it.
struct PlanForWrite {
  careplan::CarePlan current;
  NhsNumber person;
  std::optional<ig::PersonAccess> access;
};

PlanForWrite Service::OpenPlanForWrite(Ctx& c, ig::Gate& gate, std::optional<int64_t> plan_id,
                                       std::string_view type, const std::string& id,
                                       std::string_view action) {
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource {}/{} is not known", type, id.substr(0, 40)));
  };
  if (!plan_id) not_found();
  std::optional<careplan::CarePlan> current = Check(careplan::GetPlan(c.store, *plan_id));
  std::optional<NhsNumber> person;
  if (current) person = current->nhs_number;
  if (!person) {
    Check(gate.AuditOther(*c.who, action, nullptr, "denied", ""));
    not_found();
  }
  std::optional<ig::PersonAccess> access =
      Check(gate.OpenForWrite(*c.who, *person, "CarePlan", action));
  if (!access) not_found();
  // Under an objection a user of another organisation sees (and so may change) only the
  // plans their organisation is involved in.
  bool visible = false;
  for (const careplan::CarePlan& p : Check(ig::PersonRecords(c.store).CarePlans(*access))) {
    visible |= p.plan_id == *plan_id;
  }
  if (!visible) {
    access->NoteNotWritten("not-visible");
    Check(gate.Audit(*access));
    not_found();
  }
  return PlanForWrite{std::move(*current), *person, std::move(access)};
}

// Stores `plan` (plan_id, nhs_number set) as the next version after `expected`, audits the
// write, and returns what was stored. 412 when the plan has moved on, 422 when the register
// refuses it.
careplan::CarePlan Service::StorePlanUpdate(Ctx& c, ig::Gate& gate, ig::PersonAccess& access,
                                            careplan::CarePlan plan, int expected,
                                            std::string_view written_as) {
  plan.recorded_by = c.who->username;
  StatusOr<careplan::CarePlan> updated = careplan::UpdatePlan(c.store, plan, expected);
  if (!updated.ok() && updated.status().code() == StatusCode::kFailedPrecondition) {
    access.NoteNotWritten("version-mismatch");
    Check(gate.Audit(access));
    Fail(412, "conflict",
         fmt::format("the plan has changed: If-Match W/\"{}\" is not the current version",
                     expected));
  }
  if (!updated.ok() && updated.status().code() == StatusCode::kInvalidArgument) {
    access.NoteNotWritten("invalid");
    Check(gate.Audit(access));
    Fail(422, "processing", updated.status().message());
  }
  Check(updated.status());
  careplan::CarePlan stored = *updated;
  access.NoteWritten(fmt::format("{}/_history/{}", written_as, stored.version));
  Check(gate.Audit(access));
  return stored;
}

std::optional<fhir::PlanIdentifierCriteria> Service::IfNoneExist(Ctx& c) {
  if (!c.req.has_header("If-None-Exist")) return std::nullopt;
  std::string error;
  std::optional<fhir::PlanIdentifierCriteria> criteria =
      fhir::ParseIfNoneExist(c.req.get_header_value("If-None-Exist"), &error);
  if (!criteria) Fail(400, "invalid", error);
  return criteria;
}

int Service::RequiredIfMatch(Ctx& c) {
  if (!c.req.has_header("If-Match")) {
    Fail(428, "required",
         "an update needs If-Match: W/\"<version>\" (the ETag read), so that no change is "
         "lost");
  }
  std::optional<int> expected = fhir::ParseIfMatch(c.req.get_header_value("If-Match"));
  if (!expected) Fail(400, "invalid", "If-Match must be W/\"<version>\"");
  return *expected;
}

void Service::CarePlanUpdate(Ctx& c) {
  RequireWriteScope(c, "CarePlan");
  CarePlanUpdateOf(c, c.req.matches[1], false);
}

// PUT /fhir/CarePlan?identifier=<system>|<value> (conditional update): one plan with that
// identifier that the user may read is updated as by id (If-Match still required); none is a
// create (a plan the user may not see counts as none, so its identifier answers 409 as a
// create's would: no existence leak); several are 412.
void Service::CarePlanConditionalUpdate(Ctx& c) {
  RequireWriteScope(c, "CarePlan");
  fhir::SearchParams params = Params(c);
  std::string identifier;
  for (const auto& [k, v] : params) {
    if (k != "identifier" || !identifier.empty()) {
      Fail(400, "invalid",
           "a conditional update of a CarePlan takes one criterion: identifier=<system>|<value>");
    }
    identifier = v;
  }
  if (identifier.empty()) {
    Fail(400, "invalid", "give the plan's id in the URL or identifier=<system>|<value>");
  }
  std::string error;
  std::optional<fhir::PlanIdentifierCriteria> criteria =
      fhir::ParseIfNoneExist("identifier=" + identifier, &error);
  if (!criteria) Fail(400, "invalid", error);
  careplan::PlanFilter f;
  f.source = std::string(fhir::kFhirPlanSource);
  f.source_ref = criteria->exact;
  f.source_ref_suffix = criteria->suffix;
  std::vector<careplan::CarePlan> matches = Check(careplan::ListPlans(c.store, f));
  if (matches.size() > 1) {
    ig::Gate gate(c.store, c.now, c.audit);
    Check(gate.AuditOther(*c.who, "CarePlan.update", nullptr, "denied", "conditional:several"));
    Fail(412, "duplicate", "the identifier matches more than one CarePlan");
  }
  if (matches.size() == 1) {
    const std::optional<NhsNumber>& owner = matches[0].nhs_number;
    ig::Gate gate(c.store, c.now, c.audit);
    std::optional<ig::PersonAccess> read = owner ? Check(gate.Open(*c.who, *owner, "CarePlan.read"))
                                                 : std::optional<ig::PersonAccess>();
    bool visible = false;
    if (read) {
      for (const careplan::CarePlan& p : Check(ig::PersonRecords(c.store).CarePlans(*read))) {
        visible |= p.plan_id == matches[0].plan_id;
      }
      Check(gate.Release(*read));
    }
    if (visible) return CarePlanUpdateOf(c, fmt::format("cp-{}", matches[0].plan_id), true);
  }
  CarePlanCreate(c);
}

void Service::CarePlanUpdateOf(Ctx& c, const std::string& id, bool conditional) {
  json body = FhirBody(c);
  fhir::CarePlanParse parsed = fhir::ParseCarePlan(body);
  if (!parsed.not_a_care_plan.empty()) Fail(400, "invalid", parsed.not_a_care_plan);
  // A conditional update may leave the id out; one given must be the plan's.
  if (parsed.write.id.empty() && !conditional) {
    Fail(400, "invalid", "CarePlan.id is required in an update");
  }
  if (!parsed.write.id.empty() && parsed.write.id != id) {
    Fail(400, "invalid",
         conditional ? "CarePlan.id is not the id of the plan the identifier matches"
                     : "CarePlan.id does not match the URL");
  }
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  const int expected = RequiredIfMatch(c);
  ig::Gate gate(c.store, c.now, c.audit);
  PlanForWrite w =
      OpenPlanForWrite(c, gate, fhir::ParseCarePlanId(id), "CarePlan", id, "CarePlan.update");
  const fhir::SubjectRef& subject = parsed.write.subject;
  bool same_person = subject.patient_id ? *subject.patient_id == w.access->patient_id()
                                        : *subject.nhs_number == w.person;
  if (!same_person) {
    w.access->NoteNotWritten("subject-changed");
    Check(gate.Audit(*w.access));
    return SendJson(
        c.res, 422,
        fhir::ProblemsOutcome({{"CarePlan.subject", "a plan's subject cannot change"}}));
  }
  careplan::CarePlan plan = std::move(parsed.write.plan);
  if (!plan.source_ref.empty() &&
      (plan.source != w.current.source || plan.source_ref != w.current.source_ref)) {
    w.access->NoteNotWritten("identifier-changed");
    Check(gate.Audit(*w.access));
    return SendJson(
        c.res, 422,
        fhir::ProblemsOutcome({{"CarePlan.identifier", "a plan's identifier cannot change"}}));
  }
  plan.plan_id = w.current.plan_id;
  plan.nhs_number = w.person;
  careplan::CarePlan stored =
      StorePlanUpdate(c, gate, *w.access, std::move(plan), expected, "CarePlan/" + id);
  SendCarePlan(c, 200, stored, w.access->patient_id());
}

// PUT /fhir/CareTeam/ct-<plan id>: changes the team of a care plan (the organisations, the
// accountable GP and the care coordinator) and nothing else; a new version of the plan. The
// elements a CareTeam derives from its plan (status, period, name, category, subject) must
// be as read: they are changed through the CarePlan.
void Service::CareTeamUpdate(Ctx& c) {
  RequireWriteScope(c, "CarePlan");
  const std::string id = c.req.matches[1];
  json body = FhirBody(c);
  if (!body.is_object() || !body.contains("resourceType") || !body["resourceType"].is_string() ||
      body["resourceType"] != "CareTeam") {
    Fail(400, "invalid", "the body is not a CareTeam");
  }
  if (!body.contains("id")) Fail(400, "invalid", "CareTeam.id is required in an update");
  if (body.value("id", "") != id) Fail(400, "invalid", "CareTeam.id does not match the URL");
  std::vector<fhir::WriteProblem> problems;
  for (const auto& [key, value] : body.items()) {
    static const std::set<std::string> kKnown = {
        "resourceType", "id",     "meta", "text",     "status",
        "subject",      "period", "name", "category", "managingOrganization",
        "participant"};
    if (!kKnown.contains(key)) {
      problems.push_back({"CareTeam." + key, "is not stored by the care plan register"});
    }
  }
  if (!problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(problems));
  const int expected = RequiredIfMatch(c);
  ig::Gate gate(c.store, c.now, c.audit);
  PlanForWrite w =
      OpenPlanForWrite(c, gate, fhir::ParseCareTeamId(id), "CareTeam", id, "CareTeam.update");
  // After the gate: only now may the answer depend on the plan.
  const json derived = fhir::CareTeamResource(w.current, w.access->patient_id());
  for (const char* key : {"status", "period", "name", "category", "subject"}) {
    if (body.contains(key) && body[key] != derived[key]) {
      problems.push_back({fmt::format("CareTeam.{}", key),
                          "comes from the care plan: change it through the CarePlan"});
    }
  }
  if (!problems.empty()) {
    w.access->NoteNotWritten("invalid");
    Check(gate.Audit(*w.access));
    return SendJson(c.res, 422, fhir::ProblemsOutcome(problems));
  }
  // The plan as stored with this team, parsed as any CarePlan update is.
  json plan_body = fhir::CarePlanResource(w.current, w.access->patient_id());
  json team = {{"resourceType", "CareTeam"}, {"id", "team"}};
  for (const char* key : {"managingOrganization", "participant"}) {
    if (body.contains(key)) team[key] = body[key];
  }
  plan_body["contained"] = json::array({team});
  fhir::CarePlanParse parsed = fhir::ParseCarePlan(plan_body);
  for (fhir::WriteProblem& p : parsed.problems) {
    constexpr std::string_view kIn = "CarePlan.contained[0]";
    if (p.expression.rfind(kIn, 0) == 0)
      p.expression = "CareTeam" + p.expression.substr(kIn.size());
  }
  if (!parsed.not_a_care_plan.empty() || !parsed.problems.empty()) {
    w.access->NoteNotWritten("invalid");
    Check(gate.Audit(*w.access));
    return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  }
  careplan::CarePlan plan = std::move(parsed.write.plan);
  plan.plan_id = w.current.plan_id;
  plan.nhs_number = w.person;
  plan.source = w.current.source;
  plan.source_ref = w.current.source_ref;
  careplan::CarePlan stored =
      StorePlanUpdate(c, gate, *w.access, std::move(plan), expected, "CareTeam/" + id);
  c.res.set_header("ETag", fmt::format("W/\"{}\"", stored.version));
  SendWritten(c.req, c.res, 200, fhir::CareTeamResource(stored, w.access->patient_id()));
}

// --- Consent (objections) ----------------------------------------------------------------

// POST /fhir/Consent: a deny provision records the person's objection, a permit provision
// or a withdrawn status lifts it (fhir/consent.h). The patient themself or a clinician with
// a legitimate relationship (the gate's write rule).
namespace {

// A person's objection as the Consent shows it: the standing record (if any) and the
// current version number (0 when the person never objected).
struct ConsentState {
  std::optional<ig::ObjectionRecord> standing;
  std::vector<ig::ObjectionVersion> history;
  int64_t version = 0;
};

ConsentState ReadConsentState(store::Store& store, ig::PersonAccess& access) {
  ConsentState out;
  out.standing = Check(ig::ReadObjection(store, access));
  out.history = Check(ig::ObjectionHistory(store, access));
  out.version = out.history.empty() ? (out.standing ? 1 : 0) : out.history.back().version;
  return out;
}

}  // namespace

// POST /fhir/Consent (create) and PUT /fhir/Consent/{id} (update, If-Match required): a deny
// provision records the objection, a permit or a withdrawal lifts it; each change is a new
// version of the person's Consent.
void Service::ConsentWrite(Ctx& c, const std::string* update_id) {
  RequireWriteScope(c, "Consent");
  json body = FhirBody(c);
  fhir::ConsentParse parsed = fhir::ParseConsent(body);
  if (!parsed.not_a_consent.empty()) Fail(400, "invalid", parsed.not_a_consent);
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  std::optional<int64_t> if_match;
  if (update_id) {
    std::optional<int64_t> url_pid = fhir::ParseConsentId(*update_id);
    if (!url_pid) {
      Fail(404, "not-found",
           fmt::format("Resource Consent/{} is not known", update_id->substr(0, 40)));
    }
    if (body.contains("id") && body["id"] != *update_id) {
      Fail(400, "invalid", "the body's id must be the id in the URL");
    }
    if (parsed.patient.patient_id != url_pid) {
      Fail(400, "invalid", "Consent.patient must be the Patient of the Consent in the URL");
    }
    if (!c.req.has_header("If-Match")) {
      Fail(428, "required", "an update needs If-Match with the version read (W/\"n\")");
    }
    if_match = fhir::ParseIfMatch(c.req.get_header_value("If-Match"));
    if (!if_match) Fail(400, "invalid", "If-Match must be W/\"<version>\"");
  }
  const char* action = update_id ? "Consent.update" : "Consent.create";
  ig::Gate gate(c.store, c.now, c.audit);
  const fhir::SubjectRef& subject = parsed.patient;
  std::optional<ig::PersonAccess> access =
      subject.patient_id
          ? Check(gate.OpenPatientForWrite(*c.who, *subject.patient_id, "Consent", action))
          : Check(gate.OpenForWrite(*c.who, *subject.nhs_number, "Consent", action));
  if (!access) {
    if (update_id) {
      Fail(404, "not-found",
           fmt::format("Resource Consent/{} is not known", update_id->substr(0, 40)));
    }
    Fail(403, "forbidden",
         "you may not record consent for this person (unknown, or no legitimate relationship)");
  }
  const std::string id = fhir::ConsentId(access->patient_id());
  ConsentState before = ReadConsentState(c.store, *access);
  if (update_id) {
    if (before.version == 0) {
      access->NoteNotWritten("unknown");
      Check(gate.Audit(*access));
      Fail(404, "not-found",
           fmt::format("Resource Consent/{} is not known (create it with POST)", id));
    }
    if (*if_match != before.version) {
      access->NoteNotWritten("version-mismatch");
      Check(gate.Audit(*access));
      Fail(412, "conflict",
           fmt::format("If-Match names version {}; the current version is {}", *if_match,
                       before.version));
    }
  }
  const std::string source = fmt::format("fhir:{}", c.who->username);
  bool changed = false;
  if (parsed.effect == fhir::ConsentEffect::kRecordObjection) {
    changed = Check(ig::RecordObjection(c.store, *access, parsed.recorded_on, source));
    access->NoteWritten(fmt::format("Consent/{} deny{}", id, changed ? "" : " (already recorded)"));
  } else {
    changed = Check(ig::LiftObjection(c.store, *access, source));
    access->NoteWritten(fmt::format("Consent/{} {}", id, changed ? "lifted" : "none to lift"));
  }
  ConsentState after = ReadConsentState(c.store, *access);
  Check(gate.Audit(*access));
  const bool objecting = after.standing.has_value();
  ig::ObjectionRecord shown = objecting                ? *after.standing
                              : !after.history.empty() ? after.history.back().record
                                                       : ig::ObjectionRecord{};
  if (shown.imported_at.empty()) shown.imported_at = store::UtcNowIso8601();
  const int64_t version = std::max<int64_t>(after.version, 1);
  if (after.version > 0) {
    c.res.set_header("ETag", fmt::format("W/\"{}\"", after.version));
    std::string modified = HttpDate(shown.imported_at);
    if (!modified.empty()) c.res.set_header("Last-Modified", modified);
  }
  const bool created = !update_id && changed && objecting;
  if (created) {
    c.res.set_header("Location",
                     fmt::format("{}/Consent/{}/_history/{}", c.base_url, id, after.version));
  }
  SendWritten(c.req, c.res, created ? 201 : 200,
              fhir::ConsentResource(shown, access->patient_id(), objecting, version));
}

void Service::ConsentCreate(Ctx& c) { ConsentWrite(c, nullptr); }

void Service::ConsentUpdate(Ctx& c) {
  const std::string id = c.req.matches[1];
  ConsentWrite(c, &id);
}

// GET /fhir/Consent/{id}: the person's objection while it stands (410 once lifted: its
// versions stay readable through _history).
void Service::ConsentRead(Ctx& c) {
  RequireScope(c, "Consent");
  const std::string id = c.req.matches[1];
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource Consent/{} is not known", id.substr(0, 40)));
  };
  std::optional<int64_t> pid = fhir::ParseConsentId(id);
  if (!pid) not_found();
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access = Check(gate.OpenConsent(*c.who, *pid, "Consent.read"));
  if (!access) not_found();
  ConsentState state = ReadConsentState(c.store, *access);
  Check(gate.Audit(*access));
  if (!state.standing && state.version > 0) {
    Fail(410, "deleted",
         fmt::format("Consent/{} was lifted; its versions are at Consent/{}/_history", id, id));
  }
  if (!state.standing) not_found();
  c.res.set_header("ETag", fmt::format("W/\"{}\"", state.version));
  std::string modified = HttpDate(state.standing->imported_at);
  if (!modified.empty()) c.res.set_header("Last-Modified", modified);
  SendJson(c.res, 200, fhir::ConsentResource(*state.standing, *pid, true, state.version));
}

// GET /fhir/Consent/{id}/_history and /_history/{vid}: every recording and lifting.
void Service::ConsentHistory(Ctx& c) {
  RequireScope(c, "Consent");
  HistoryRequest h{"Consent", c.req.matches[1], std::nullopt};
  if (c.req.matches.size() > 2 && c.req.matches[2].matched) h.vid = c.req.matches[2];
  std::optional<int64_t> pid = fhir::ParseConsentId(h.id);
  if (!pid) HistoryNotFound(h);
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access =
      Check(gate.OpenConsent(*c.who, *pid, h.vid ? "Consent.vread" : "Consent.history"));
  if (!access) HistoryNotFound(h);
  std::vector<ig::ObjectionVersion> history = Check(ig::ObjectionHistory(c.store, *access));
  Check(gate.Audit(*access));
  std::vector<fhir::ResourceVersion> versions;
  for (const ig::ObjectionVersion& v : history) {
    versions.push_back({v.version, v.record.imported_at,
                        fhir::ConsentResource(v.record, *pid, v.objecting, v.version)});
  }
  SendHistory(c, h, h.id, versions);
}

// GET /fhir/Consent?patient=: zero or one Consent.
void Service::ConsentSearch(Ctx& c) {
  RequireScope(c, "Consent");
  fhir::SearchParams params = Params(c);
  fhir::ClinicalQuery q = Check(fhir::ClinicalQueryFromParams("Consent", params, Lenient(c)));
  Check(fhir::IncludesFromParams(params, "Consent"));
  fhir::Paging paging = Check(fhir::PagingFromParams(params));
  std::vector<json> matches;
  if (auto pid = fhir::ParsePatientId(q.patient_id)) {
    ig::Gate gate(c.store, c.now, c.audit);
    std::optional<ig::PersonAccess> access =
        Check(gate.OpenConsent(*c.who, *pid, "Consent.search"));
    if (access) {
      ConsentState state = ReadConsentState(c.store, *access);
      Check(gate.Audit(*access));
      if (state.standing) {
        json r = fhir::ConsentResource(*state.standing, *pid, true, state.version);
        if (fhir::InRange(q.date, r["dateTime"].get<std::string>()) && fhir::MatchesTokens(r, q)) {
          matches.push_back(r);
        }
      }
    }
  }
  int64_t total = static_cast<int64_t>(matches.size());
  std::vector<json> page;
  for (int64_t i = paging.offset; i < std::min(total, paging.offset + paging.count); ++i) {
    page.push_back(std::move(matches[i]));
  }
  SendJson(c.res, 200,
           fhir::SearchBundle(c.base_url, "Consent", params, total, paging, std::move(page)));
}

// --- Documents from other organisations (docs/fhir.md section 5c) --------------------

void Service::SendDocument(Ctx& c, int status, const documents::Document& doc, int64_t patient_id) {
  const std::string id = fhir::DocumentId(doc.doc_id);
  c.res.set_header("ETag", fmt::format("W/\"{}\"", doc.version));
  c.res.set_header("Location", fmt::format("{}/{}/{}/_history/{}", c.base_url, doc.resource_type,
                                           id, doc.version));
  std::string modified = HttpDate(doc.written_at);
  if (!modified.empty()) c.res.set_header("Last-Modified", modified);
  SendWritten(c.req, c.res, status, fhir::DocumentResource(doc, patient_id));
}

// The document `id` of `type` and a read access to its person, or a 404 (unknown, another
// type, or a person the user may not see: the same answer).
std::pair<documents::Document, ig::PersonAccess> Service::OpenDocument(Ctx& c, ig::Gate& gate,
                                                                       const std::string& type,
                                                                       const std::string& id,
                                                                       const std::string& action) {
  auto not_found = [&] {
    Fail(404, "not-found", fmt::format("Resource {}/{} is not known", type, id.substr(0, 40)));
  };
  std::optional<int64_t> doc_id = fhir::ParseDocumentId(id);
  if (!doc_id) not_found();
  std::optional<documents::Document> doc = Check(documents::GetDocument(c.store, *doc_id));
  std::optional<NhsNumber> person;
  if (doc && doc->resource_type == type) person = doc->nhs_number;
  if (!person) {
    Check(gate.AuditOther(*c.who, action, nullptr, "denied", ""));
    not_found();
  }
  std::optional<ig::PersonAccess> access = Check(gate.Open(*c.who, *person, action));
  if (!access) not_found();
  return {std::move(*doc), std::move(*access)};
}

// POST /fhir/{document type}, optionally conditional (If-None-Exist: identifier=...).
void Service::DocumentCreate(Ctx& c) { DocumentCreateOf(c, c.req.matches[1]); }

void Service::DocumentCreateOf(Ctx& c, const std::string& type) {
  RequireWriteScope(c, type);
  json body = FhirBody(c);
  fhir::DocumentParse parsed = fhir::ParseDocument(body, type);
  if (!parsed.not_a_document.empty()) Fail(400, "invalid", parsed.not_a_document);
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  std::optional<fhir::PlanIdentifierCriteria> criteria = IfNoneExist(c);
  const std::string action = type + ".create";
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<ig::PersonAccess> access =
      parsed.subject.patient_id
          ? Check(gate.OpenPatientForWrite(*c.who, *parsed.subject.patient_id, type, action))
          : Check(gate.OpenForWrite(*c.who, *parsed.subject.nhs_number, type, action));
  if (!access) {
    Fail(403, "forbidden",
         fmt::format("you may not write {} resources for this person (unknown, or no legitimate "
                     "relationship)",
                     type));
  }
  if (criteria) {
    std::vector<documents::Document> matches =
        Check(documents::FindDocuments(c.store, type, criteria->exact, criteria->suffix));
    if (matches.size() > 1) {
      access->NoteNotWritten("if-none-exist-matches-several");
      Check(gate.Audit(*access));
      Fail(412, "duplicate",
           fmt::format("the If-None-Exist criteria match more than one {}", type));
    }
    if (matches.size() == 1) {
      // Returned only to someone who may read it; otherwise the create goes ahead and the
      // identifier already taken is a conflict (409).
      const std::optional<NhsNumber>& owner = matches[0].nhs_number;
      std::optional<ig::PersonAccess> read = owner
                                                 ? Check(gate.Open(*c.who, *owner, type + ".read"))
                                                 : std::optional<ig::PersonAccess>();
      if (read) {
        for (const documents::Document& d :
             Check(ig::PersonRecords(c.store).Documents(*read, type))) {
          if (d.doc_id != matches[0].doc_id) continue;
          Check(gate.Audit(*read));
          access->NoteNotWritten("if-none-exist-matched");
          Check(gate.Audit(*access));
          return SendDocument(c, 200, d, read->patient_id());
        }
        Check(gate.Audit(*read));
      }
    }
  }
  documents::Document doc;
  doc.resource_type = type;
  doc.nhs_number = access->person();
  doc.org_code = c.who->org_code;
  doc.identifier = parsed.identifier;
  doc.clinical_date = parsed.clinical_date;
  doc.resource = parsed.stored;
  doc.written_by = c.who->username;
  StatusOr<int64_t> added = documents::AddDocument(c.store, doc);
  if (!added.ok() && added.status().code() == StatusCode::kAlreadyExists) {
    access->NoteNotWritten("identifier-taken");
    Check(gate.Audit(*access));
    Fail(409, "duplicate", fmt::format("a {} with this identifier already exists", type));
  }
  std::optional<documents::Document> stored =
      Check(documents::GetDocument(c.store, Check(std::move(added))));
  if (!stored) Fail(500, "exception", "internal error");
  access->NoteWritten(fmt::format("{}/{}/_history/1", type, fhir::DocumentId(stored->doc_id)));
  Check(gate.Audit(*access));
  SendDocument(c, 201, *stored, access->patient_id());
}

// PUT /fhir/{document type}/{id}: a new version, by the holding organisation only, with
// If-Match.
void Service::DocumentUpdate(Ctx& c) {
  const std::string type = c.req.matches[1];
  const std::string id = c.req.matches[2];
  RequireWriteScope(c, type);
  json body = FhirBody(c);
  fhir::DocumentParse parsed = fhir::ParseDocument(body, type);
  if (!parsed.not_a_document.empty()) Fail(400, "invalid", parsed.not_a_document);
  if (body.contains("id") && body["id"] != id) {
    Fail(400, "invalid", "the body's id must be the id in the URL");
  }
  if (!parsed.problems.empty()) return SendJson(c.res, 422, fhir::ProblemsOutcome(parsed.problems));
  if (!c.req.has_header("If-Match")) {
    Fail(428, "required", "an update needs If-Match with the version read (W/\"n\")");
  }
  std::optional<int> if_match = fhir::ParseIfMatch(c.req.get_header_value("If-Match"));
  if (!if_match) Fail(400, "invalid", "If-Match must be W/\"<version>\"");
  const std::string action = type + ".update";
  ig::Gate gate(c.store, c.now, c.audit);
  std::optional<int64_t> doc_id = fhir::ParseDocumentId(id);
  std::optional<documents::Document> current =
      doc_id ? Check(documents::GetDocument(c.store, *doc_id)) : std::nullopt;
  std::optional<NhsNumber> person;
  if (current && current->resource_type == type) person = current->nhs_number;
  std::optional<ig::PersonAccess> access =
      person ? Check(gate.OpenForWrite(*c.who, *person, type, action))
             : std::optional<ig::PersonAccess>();
  if (!access) {
    if (!person) Check(gate.AuditOther(*c.who, action, nullptr, "denied", ""));
    Fail(404, "not-found", fmt::format("Resource {}/{} is not known", type, id.substr(0, 40)));
  }
  auto refuse = [&](const char* why, int status, const char* code, std::string message) {
    access->NoteNotWritten(why);
    Check(gate.Audit(*access));
    Fail(status, code, std::move(message));
  };
  if (current->org_code != c.who->org_code) {
    refuse("not-the-holder", 403, "forbidden",
           "only the organisation holding a document may change it");
  }
  const bool same_person =
      parsed.subject.patient_id
          ? *parsed.subject.patient_id == access->patient_id()
          : parsed.subject.nhs_number && parsed.subject.nhs_number == current->nhs_number;
  if (!same_person) {
    refuse("person-changed", 422, "processing",
           fmt::format("{}.{} cannot change", type, fhir::DocumentPersonElement(type)));
  }
  documents::Document doc = *current;
  doc.identifier = parsed.identifier;
  doc.clinical_date = parsed.clinical_date;
  doc.resource = parsed.stored;
  doc.written_by = c.who->username;
  doc.written_at.clear();
  StatusOr<int64_t> version = documents::UpdateDocument(c.store, doc, *if_match);
  if (!version.ok() && version.status().code() == StatusCode::kFailedPrecondition) {
    refuse("version-mismatch", 412, "conflict",
           fmt::format("If-Match names version {}; the current version is {}", *if_match,
                       current->version));
  }
  if (!version.ok() && version.status().code() == StatusCode::kAlreadyExists) {
    refuse("identifier-taken", 409, "duplicate",
           fmt::format("a {} with this identifier already exists", type));
  }
  Check(std::move(version));
  std::optional<documents::Document> stored = Check(documents::GetDocument(c.store, doc.doc_id));
  if (!stored) Fail(500, "exception", "internal error");
  access->NoteWritten(
      fmt::format("{}/{}/_history/{}", type, fhir::DocumentId(stored->doc_id), stored->version));
  Check(gate.Audit(*access));
  SendDocument(c, 200, *stored, access->patient_id());
}

// GET /fhir/{document type}/{id}/_history and /_history/{vid}.
void Service::DocumentHistory(Ctx& c) {
  HistoryRequest h{c.req.matches[1], c.req.matches[2], std::nullopt};
  RequireScope(c, h.type);
  if (c.req.matches.size() > 3 && c.req.matches[3].matched) h.vid = c.req.matches[3];
  ig::Gate gate(c.store, c.now, c.audit);
  auto [doc, access] =
      OpenDocument(c, gate, h.type, h.id, h.type + (h.vid ? ".vread" : ".history"));
  std::vector<documents::Document> docs =
      Check(ig::PersonRecords(c.store).DocumentHistory(access, doc.doc_id));
  Check(gate.Audit(access));
  std::vector<fhir::ResourceVersion> versions;
  for (const documents::Document& v : docs) {
    versions.push_back({v.version, v.written_at, fhir::DocumentResource(v, access.patient_id())});
  }
  SendHistory(c, h, h.id, versions);
}

void Service::NotSupported(Ctx& c) {
  (void)c;
  Fail(405, "not-supported", "this interaction is not implemented (see /fhir/metadata)");
}

// --- Bundles: batch and transaction at POST /fhir (docs/fhir.md section 3a) ----------

// Runs one request as the route that serves it over HTTP would, for the caller `c.who`,
// with its audit entries going to `audit`. Never throws for the request's own failures:
// they come back as the status and OperationOutcome the handler produced.
fhir::EntryResponse Service::Dispatch(
    Ctx& c, const std::string& method, const std::string& url, const json* resource,
    const std::vector<std::pair<std::string, std::string>>& headers, ig::AuditSink* audit) {
  httplib::Request req;
  httplib::Response res;
  req.method = method == "HEAD" ? "GET" : method;
  size_t q = url.find('?');
  req.path = "/fhir/" + url.substr(0, q);
  if (q != std::string::npos) httplib::detail::parse_query_text(url.substr(q + 1), req.params);
  for (const auto& [k, v] : headers) req.set_header(k, v);
  if (resource) {
    req.set_header("Content-Type", "application/fhir+json");
    req.body = resource->dump();
  }
  fhir::EntryResponse out;
  try {
    const RouteSpec* route = nullptr;
    for (size_t i = 0; i < routes_.size(); ++i) {
      if (routes_[i].method == req.method && patterns_.Match(i, req.path, req.matches)) {
        route = &routes_[i];
        break;
      }
    }
    if (route == nullptr) Fail(404, "not-found", "no such endpoint (see /fhir/metadata)");
    if (route->fn == &Service::Batch) {
      Fail(400, "invalid", "a Bundle entry cannot hold another batch or transaction");
    }
    Ctx ec{req, res, c.store, c.now, c.base_url, c.who, audit};
    (this->*(route->fn))(ec);
  } catch (const HttpError& e) {
    res.status = e.status;
    res.body = fhir::OperationOutcome(e.code, e.message).dump();
  }
  out.status = res.status;
  out.location = res.get_header_value("Location");
  out.etag = res.get_header_value("ETag");
  out.last_modified = res.get_header_value("Last-Modified");
  if (!res.body.empty() && method != "HEAD") {
    out.body = json::parse(res.body, nullptr, false);
    if (out.body.is_discarded()) out.body = nullptr;
  }
  return out;
}

namespace {

fhir::EntryResponse EntryError(int status, const std::string& code, const std::string& message) {
  fhir::EntryResponse r;
  r.status = status;
  r.body = fhir::OperationOutcome(code, message);
  return r;
}

// The one resource a searchset found, as "Type/id" ("" when it found none or several;
// `matches` says how many).
std::string OnlyMatch(const json& searchset, size_t* matches) {
  *matches = 0;
  std::string found;
  if (!searchset.is_object() || !searchset.contains("entry")) return "";
  for (const json& e : searchset["entry"]) {
    if (e.contains("search") && e["search"].is_object() &&
        e["search"].value("mode", "match") != "match") {
      continue;
    }
    ++*matches;
    if (e.contains("resource") && e["resource"].is_object()) {
      found = fmt::format("{}/{}", e["resource"].value("resourceType", ""),
                          e["resource"].value("id", ""));
    }
  }
  return *matches == 1 ? found : "";
}

}  // namespace

// One entry: its references resolved, then the request run. Patient entries are matched,
// not created: people come from the PDS extract, so a POST of a Patient finds the person
// on the record by NHS Number (200, with their Patient/id) through the same search, and
// gate, as any Patient search.
fhir::EntryResponse Service::ProcessEntry(Ctx& c, fhir::BundleEntry e,
                                          std::map<std::string, std::string>& resolved,
                                          ig::AuditSink* audit) {
  const std::string where = fmt::format("Bundle.entry[{}]", e.index);
  std::optional<fhir::EntryResponse> failed;
  if (e.resource) {
    fhir::ForEachReference(*e.resource, [&](std::string& ref) {
      if (failed) return;
      auto known = resolved.find(ref);
      if (known != resolved.end()) {
        ref = known->second;
        return;
      }
      if (fhir::IsUrnReference(ref)) {
        failed = EntryError(400, "invalid",
                            fmt::format("{}: a urn: reference names no entry of this Bundle "
                                        "that was created before it",
                                        where));
        return;
      }
      if (std::optional<fhir::ConditionalReference> cond = fhir::ParseConditionalReference(ref)) {
        fhir::EntryResponse found = Dispatch(c, "GET", ref, nullptr, {}, audit);
        size_t matches = 0;
        std::string only = found.status == 200 ? OnlyMatch(found.body, &matches) : "";
        if (only.empty()) {
          // The reference's search is not repeated: it may hold an NHS Number.
          failed = EntryError(412, "processing",
                              fmt::format("{}: a conditional reference to {} matched {} "
                                          "resources you may see; exactly one is needed",
                                          where, cond->type, matches));
          return;
        }
        resolved[ref] = only;
        ref = only;
      }
    });
  }
  if (failed) return *failed;
  std::vector<std::pair<std::string, std::string>> headers;
  if (!e.if_none_exist.empty()) headers.emplace_back("If-None-Exist", e.if_none_exist);
  if (!e.if_match.empty()) headers.emplace_back("If-Match", e.if_match);
  if (c.req.has_header("Prefer")) headers.emplace_back("Prefer", c.req.get_header_value("Prefer"));

  fhir::EntryResponse r;
  if (e.method == "POST" && (e.url == "Patient" || e.url == "Patient/")) {
    std::string nhs;
    if (e.resource->contains("identifier") && (*e.resource)["identifier"].is_array()) {
      for (const json& id : (*e.resource)["identifier"]) {
        if (id.is_object() && id.value("system", "") == fhir::kNhsNumberSystem) {
          nhs = id.value("value", "");
        }
      }
    }
    if (nhs.empty() || !NhsNumber::Parse(nhs)) {
      return EntryError(422, "processing",
                        fmt::format("{}: Patients are not created here (people come from the "
                                    "PDS extract); a Patient entry must carry an NHS Number "
                                    "identifier ({}) to be matched to the record",
                                    where, fhir::kNhsNumberSystem));
    }
    fhir::EntryResponse found =
        Dispatch(c, "GET", fmt::format("Patient?identifier={}|{}", fhir::kNhsNumberSystem, nhs),
                 nullptr, {}, audit);
    size_t matches = 0;
    std::string only = found.status == 200 ? OnlyMatch(found.body, &matches) : "";
    if (only.empty()) {
      return EntryError(422, "processing",
                        fmt::format("{}: no Patient you may see has this NHS Number (people "
                                    "come from the PDS extract and are not created here)",
                                    where));
    }
    r = Dispatch(c, "GET", only, nullptr, headers, audit);
    if (r.status == 200) r.location = fmt::format("{}/{}", c.base_url, only);
  } else {
    r = Dispatch(c, e.method, e.url, e.resource ? &*e.resource : nullptr, headers, audit);
  }
  if (r.status >= 200 && r.status < 300 && !e.full_url.empty()) {
    std::string ti = fhir::TypeAndIdOf(r.location);
    if (!ti.empty()) resolved[e.full_url] = ti;
  }
  return r;
}

void Service::Batch(Ctx& c) {
  json body = FhirBody(c);
  StatusOr<fhir::RequestBundle> parsed = fhir::ParseRequestBundle(body);
  if (!parsed.ok()) Fail(400, "invalid", parsed.status().message());
  std::vector<fhir::EntryResponse> responses(parsed->entries.size());
  std::map<std::string, std::string> resolved;  // fullUrl or conditional reference -> Type/id
  if (!parsed->transaction) {
    // A batch: each entry on its own, in order, audited as it happens.
    for (fhir::BundleEntry& e : parsed->entries) {
      size_t i = e.index;
      responses[i] = ProcessEntry(c, std::move(e), resolved, c.audit);
    }
    return SendJson(c.res, 200, fhir::ResponseBundle(false, responses));
  }
  // A transaction: all or nothing, in one store transaction. The audit trail is in a file
  // of its own (docs/ig.md section 4), so its entries cannot commit with the records: they
  // are collected while the entries run and appended (committed in the audit file) before
  // the records commit. Data is then never changed without its audit entries; a commit of
  // the records that fails after them leaves entries describing a transaction that did not
  // happen (nothing of it was disclosed). A rolled-back transaction drops the collected
  // entries and is audited once, as what it was.
  fhir::RequestBundle& bundle = *parsed;
  StatusOr<std::vector<size_t>> order = fhir::TransactionOrder(bundle);
  if (!order.ok()) Fail(400, "invalid", order.status().message());
  ig::CollectingAuditSink in_transaction;
  std::optional<size_t> failed_at;
  Status s = c.store.InTransaction([&]() -> Status {
    for (size_t i : *order) {
      responses[i] = ProcessEntry(c, bundle.entries[i], resolved, &in_transaction);
      if (responses[i].status < 200 || responses[i].status >= 300) {
        failed_at = i;
        return FailedPreconditionError("a transaction entry failed");
      }
    }
    return in_transaction.AppendAllTo(*c.audit);
  });
  if (failed_at) {
    const fhir::BundleEntry& e = bundle.entries[*failed_at];
    ig::Gate gate(c.store, c.now, c.audit);
    Check(gate.AuditOther(
        *c.who, "transaction", nullptr, "rolled-back",
        fmt::format("entry {} ({} {}) failed with {}; nothing written", *failed_at, e.method,
                    e.url.substr(0, e.url.find('?')), responses[*failed_at].status)));
    json outcome = responses[*failed_at].body;
    if (!outcome.is_object() || outcome.value("resourceType", "") != "OperationOutcome") {
      outcome = fhir::OperationOutcome("processing", "the entry failed");
    }
    for (json& issue : outcome["issue"]) {
      std::string d = issue.value("diagnostics", "");
      std::string prefix = fmt::format("Bundle.entry[{}]", *failed_at);
      if (d.rfind(prefix, 0) != 0) d = prefix + ": " + d;
      issue["diagnostics"] = d + " (the transaction was rolled back)";
      issue["expression"] = json::array({prefix});
    }
    return SendJson(c.res, responses[*failed_at].status, outcome);
  }
  Check(s);
  SendJson(c.res, 200, fhir::ResponseBundle(true, responses));
}

std::vector<Service::RouteSpec> Service::Routes() {
  auto alternatives = [](const std::vector<std::string_view>& types) {
    std::string out;
    for (std::string_view t : types) out += (out.empty() ? "" : "|") + std::string(t);
    return "(" + out + ")";
  };
  // Every document type; those served only as documents; the directory's types.
  const std::string docs = alternatives(documents::DocumentTypes());
  const std::string docs_only = alternatives(documents::DocumentOnlyTypes());
  const std::string directory = alternatives(documents::DirectoryTypes());
  std::vector<std::string_view> others = {"Location", "Practitioner", "PractitionerRole",
                                          "Medication"};
  const std::string other_directory = alternatives(others);
  std::vector<std::string_view> clinical_types = {"EpisodeOfCare", "RiskAssessment"};
  for (std::string_view d : documents::DocumentTypes()) clinical_types.push_back(d);
  const std::string clinical = alternatives(clinical_types);
  // In order: the first route whose method and pattern match serves the request (over HTTP
  // and for a Bundle's entries alike).
  return {
      {"GET", R"(/fhir/metadata/?)", "GET /fhir/metadata", Auth::kNone, &Service::Metadata},
      {"POST", "/auth/token", "POST /auth/token", Auth::kNone, &Service::Token},
      {"POST", "/auth/revoke", "POST /auth/revoke", Auth::kNone, &Service::Revoke},
      {"POST", "/auth/break-glass", "POST /auth/break-glass", Auth::kBearer, &Service::BreakGlass},
      {"POST", R"(/fhir/?)", "POST /fhir (Bundle)", Auth::kBearer, &Service::Batch},
      {"GET", R"(/fhir/Patient/?)", "GET /fhir/Patient", Auth::kBearer, &Service::PatientSearch},
      {"POST", R"(/fhir/Patient/_search)", "POST /fhir/Patient/_search", Auth::kBearer,
       &Service::PatientSearch},
      {"GET", R"(/fhir/Patient/([^/]+)/\$everything)", "GET /fhir/Patient/{id}/$everything",
       Auth::kBearer, &Service::Everything},
      {"POST", R"(/fhir/Patient/([^/]+)/\$everything)", "POST /fhir/Patient/{id}/$everything",
       Auth::kBearer, &Service::Everything},
      {"GET", R"(/fhir/Patient/([^/]+))", "GET /fhir/Patient/{id}", Auth::kBearer,
       &Service::PatientRead},
      {"GET", fmt::format(R"(/fhir/{}/(doc-[^/]+)/_history/?)", docs),
       "GET /fhir/{document}/{doc-id}/_history", Auth::kBearer, &Service::DocumentHistory},
      {"GET", fmt::format(R"(/fhir/{}/(doc-[^/]+)/_history/([^/]+))", docs),
       "GET /fhir/{document}/{doc-id}/_history/{vid}", Auth::kBearer, &Service::DocumentHistory},
      {"GET", R"(/fhir/CarePlan/([^/]+)/_history/?)", "GET /fhir/CarePlan/{id}/_history",
       Auth::kBearer, &Service::CarePlanHistory},
      {"GET", R"(/fhir/CarePlan/([^/]+)/_history/([^/]+))",
       "GET /fhir/CarePlan/{id}/_history/{vid}", Auth::kBearer, &Service::CarePlanHistory},
      {"GET", R"(/fhir/Consent/?)", "GET /fhir/Consent", Auth::kBearer, &Service::ConsentSearch},
      {"GET", R"(/fhir/Consent/([^/]+)/_history/?)", "GET /fhir/Consent/{id}/_history",
       Auth::kBearer, &Service::ConsentHistory},
      {"GET", R"(/fhir/Consent/([^/]+)/_history/([^/]+))", "GET /fhir/Consent/{id}/_history/{vid}",
       Auth::kBearer, &Service::ConsentHistory},
      {"GET", R"(/fhir/Consent/([^/]+))", "GET /fhir/Consent/{id}", Auth::kBearer,
       &Service::ConsentRead},
      {"GET", R"(/fhir/Organization/?)", "GET /fhir/Organization", Auth::kBearer,
       &Service::OrganizationSearch},
      {"GET", R"(/fhir/Organization/([^/]+))", "GET /fhir/Organization/{id}", Auth::kBearer,
       &Service::OrganizationRead},
      {"GET", fmt::format(R"(/fhir/{}/([^/]+)/_history/?)", docs_only),
       "GET /fhir/{document}/{id}/_history", Auth::kBearer, &Service::DocumentHistory},
      {"GET", fmt::format(R"(/fhir/{}/([^/]+)/_history/([^/]+))", docs_only),
       "GET /fhir/{document}/{id}/_history/{vid}", Auth::kBearer, &Service::DocumentHistory},
      {"GET", fmt::format(R"(/fhir/{}/?)", other_directory), "GET /fhir/{directory}", Auth::kBearer,
       &Service::DirectorySearch},
      {"GET", fmt::format(R"(/fhir/{}/([^/]+))", other_directory), "GET /fhir/{directory}/{id}",
       Auth::kBearer, &Service::DirectoryRead},
      {"GET", fmt::format(R"(/fhir/{}/?)", clinical), "GET /fhir/{clinical}", Auth::kBearer,
       &Service::ClinicalSearch},
      {"GET", fmt::format(R"(/fhir/{}/([^/]+))", clinical), "GET /fhir/{clinical}/{id}",
       Auth::kBearer, &Service::ClinicalRead},
      {"GET", R"(/fhir/AuditEvent/?)", "GET /fhir/AuditEvent", Auth::kBearer,
       &Service::AuditSearch},
      {"GET", "/analytics/summary", "GET /analytics/summary", Auth::kBearer,
       &Service::AnalyticsSummary},
      {"POST", R"(/fhir/CarePlan/?)", "POST /fhir/CarePlan", Auth::kBearer,
       &Service::CarePlanCreate},
      {"POST", R"(/fhir/Consent/?)", "POST /fhir/Consent", Auth::kBearer, &Service::ConsentCreate},
      {"POST", fmt::format(R"(/fhir/{}/?)", docs), "POST /fhir/{document}", Auth::kBearer,
       &Service::DocumentCreate},
      {"POST", fmt::format(R"(/fhir/{}/?)", directory), "POST /fhir/{directory}", Auth::kBearer,
       &Service::DirectoryCreate},
      {"PUT", fmt::format(R"(/fhir/{}/(doc-[^/]+))", docs), "PUT /fhir/{document}/{doc-id}",
       Auth::kBearer, &Service::DocumentUpdate},
      {"PUT", fmt::format(R"(/fhir/{}/([^/]+))", docs_only), "PUT /fhir/{document}/{id}",
       Auth::kBearer, &Service::DocumentUpdate},
      {"PUT", R"(/fhir/CarePlan/?)", "PUT /fhir/CarePlan?identifier", Auth::kBearer,
       &Service::CarePlanConditionalUpdate},
      {"PUT", R"(/fhir/CarePlan/([^/]+))", "PUT /fhir/CarePlan/{id}", Auth::kBearer,
       &Service::CarePlanUpdate},
      {"PUT", R"(/fhir/CareTeam/([^/]+))", "PUT /fhir/CareTeam/{id}", Auth::kBearer,
       &Service::CareTeamUpdate},
      {"PUT", R"(/fhir/Consent/([^/]+))", "PUT /fhir/Consent/{id}", Auth::kBearer,
       &Service::ConsentUpdate},
      {"POST", R"(/fhir(/.*)?)", "POST /fhir/*", Auth::kNone, &Service::NotSupported},
      {"PUT", R"(/fhir(/.*)?)", "PUT /fhir/*", Auth::kNone, &Service::NotSupported},
      {"PATCH", R"(/fhir(/.*)?)", "PATCH /fhir/*", Auth::kNone, &Service::NotSupported},
      {"DELETE", R"(/fhir(/.*)?)", "DELETE /fhir/*", Auth::kNone, &Service::NotSupported},
  };
}

void Service::Install(httplib::Server& svr) {
  for (RouteSpec& r : routes_) {
    httplib::Server::Handler h = Route(r.name, r.auth, r.fn, r.method == "GET");
    if (r.method == "GET") {
      svr.Get(r.pattern, h);
    } else if (r.method == "POST") {
      svr.Post(r.pattern, h);
    } else if (r.method == "PUT") {
      svr.Put(r.pattern, h);
    } else if (r.method == "PATCH") {
      svr.Patch(r.pattern, h);
    } else {
      svr.Delete(r.pattern, h);
    }
  }

  // Answers httplib produced itself (unknown route 404, body too large 413, bad request 400)
  // get an OperationOutcome body too: every response is JSON.
  svr.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    const char* code = res.status == 413   ? "too-costly"
                       : res.status == 404 ? "not-found"
                                           : "invalid";
    std::string text = res.status == 413   ? "the request body is too large"
                       : res.status == 404 ? "no such endpoint (see /fhir/metadata)"
                                           : "the request could not be processed";
    SendJson(res, res.status, fhir::OperationOutcome(code, text));
    WriteLog(
        "info",
        {{"event", "request"}, {"method", req.method}, {"route", "-"}, {"status", res.status}});
  });
  svr.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        SendJson(res, 500, fhir::OperationOutcome("exception", "internal error"));
      });
}

// The write end of RunServer's stop pipe (-1 when no server runs); OnStopSignal is
// async-signal-safe: one write(2).
std::atomic<int> g_stop_fd{-1};
constexpr int kKeepAliveSeconds = 5;  // idle wait for the next request on a kept-alive connection
void OnStopSignal(int sig) {
  const int fd = g_stop_fd.load();
  if (fd < 0) return;
  const unsigned char c = static_cast<unsigned char>(sig);
  const int saved = errno;
  (void)!write(fd, &c, 1);
  errno = saved;
}

}  // namespace

// Up to this much of the records' file is read through a memory map on each request
// connection (virtual address space, shared by the connections; SQLite's page cache is
// bypassed for pages inside it).
constexpr int64_t kRecordsMemoryMapBytes = int64_t{8} << 30;

Status RunServer(const ServerOptions& o, const std::function<void(int)>& on_listening) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return InvalidArgumentError("--tls-cert and --tls-key go together");
  }
  PIONEER_RETURN_IF_ERROR(ig::InitCrypto());
  // The records' file no longer changes with every audit commit (the trail has a file of its
  // own), so the request connections read it through a memory map (bench/README.md).
  // Two pools of one connection per request thread each: GET requests (reads only) lease a
  // read-only connection, the rest (which write care plans, documents, objections, tokens,
  // Bundles) a general one; the general pool opens first, so it migrates an older store
  // before the read-only connections (which cannot) open it.
  PIONEER_ASSIGN_OR_RETURN(
      std::unique_ptr<StorePool> pool,
      StorePool::Open(o.db_path, std::max(2, o.threads), kRecordsMemoryMapBytes));
  PIONEER_ASSIGN_OR_RETURN(std::unique_ptr<StorePool> read_pool,
                           StorePool::Open(o.db_path, std::max(2, o.threads),
                                           kRecordsMemoryMapBytes, StorePool::Access::kReadOnly));
  // Audit entries are committed by one writer thread on a connection of its own to the
  // audit file (group commit): request threads never contend for the write lock to audit a
  // read, and the records' file is not written. A missing or foreign audit file stops here.
  PIONEER_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> audit_store,
                           store::Store::OpenSqlite(o.db_path));
  PIONEER_ASSIGN_OR_RETURN(std::unique_ptr<ig::AuditWriter> audit_writer,
                           ig::AuditWriter::Start(std::move(audit_store)));
  // SIGTERM and SIGINT stop the server whichever thread the kernel delivers them to (a process
  // that ran other work first, as `pioneer demo --serve`, has threads -- OpenMP's -- that
  // never blocked them): the handler writes the signal number to a pipe that one thread reads.
  int stop_pipe[2];
  if (pipe(stop_pipe) != 0) return InternalError("cannot create the stop pipe");
  g_stop_fd.store(stop_pipe[1]);
  struct sigaction on_stop = {}, old_term = {}, old_int = {};
  on_stop.sa_handler = OnStopSignal;
  sigemptyset(&on_stop.sa_mask);
  sigaction(SIGTERM, &on_stop, &old_term);
  sigaction(SIGINT, &on_stop, &old_int);
  auto restore_signals = [&] {
    sigaction(SIGTERM, &old_term, nullptr);
    sigaction(SIGINT, &old_int, nullptr);
    g_stop_fd.store(-1);
    close(stop_pipe[0]);
    close(stop_pipe[1]);
  };

  std::unique_ptr<httplib::Server> svr;
  if (!o.tls_cert.empty()) {
    auto ssl = std::make_unique<httplib::SSLServer>(o.tls_cert.c_str(), o.tls_key.c_str());
    if (!ssl->is_valid()) {
      restore_signals();
      return InvalidArgumentError("the TLS certificate or key could not be loaded");
    }
    svr = std::move(ssl);
  } else {
    svr = std::make_unique<httplib::Server>();
  }
  Service service(o, std::move(pool), std::move(read_pool), std::move(audit_writer));
  service.Install(*svr);
  int threads = std::max(2, o.threads);
  svr->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr->set_tcp_nodelay(true);
  svr->set_keep_alive_max_count(1000);
  svr->set_keep_alive_timeout(kKeepAliveSeconds);
  svr->set_read_timeout(o.timeout_seconds, 0);
  svr->set_write_timeout(o.timeout_seconds, 0);
  svr->set_payload_max_length(o.max_body_bytes);

  int port = o.port == 0 ? svr->bind_to_any_port(o.host)
                         : (svr->bind_to_port(o.host, o.port) ? o.port : -1);
  if (port <= 0) {
    restore_signals();
    return UnavailableError(fmt::format("cannot listen on {}:{}", o.host, o.port));
  }
  // A whole request (body included) must arrive within the request timeout of the connection
  // opening or of the previous response (plus the keep-alive wait): cpp-httplib times out
  // each read on its own only (request_deadline.h).
  RequestDeadlines deadlines({.port = port,
                              .request_deadline = std::chrono::seconds(o.timeout_seconds),
                              .keep_alive = std::chrono::seconds(kKeepAliveSeconds),
                              .period = std::chrono::milliseconds(250),
                              .on_cut = [](int64_t n) {
                                WriteLog("warning", {{"event", "request_deadline"}, {"cut", n}});
                              }});
  service.SetDeadlines(&deadlines);
  svr->set_logger([&deadlines](const httplib::Request& req, const httplib::Response&) {
    deadlines.Done(req.remote_addr, req.remote_port);
  });
  std::atomic<bool> stopping{false};
  std::thread signal_thread([&] {
    unsigned char sig = 0;
    while (read(stop_pipe[0], &sig, 1) < 0 && errno == EINTR) {
    }
    if (sig != 0 && !stopping.exchange(true)) {
      WriteLog("info", {{"event", "shutdown"}, {"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
      svr->stop();
    }
  });
  WriteLog(
      "info",
      {{"event", "listening"}, {"host", o.host}, {"port", port}, {"tls", !o.tls_cert.empty()}});
  on_listening(port);
  bool ok = svr->listen_after_bind();
  if (!stopping.exchange(true)) {
    const unsigned char wake = 0;  // the server stopped by itself: release the signal thread
    (void)!write(stop_pipe[1], &wake, 1);
  }
  signal_thread.join();
  service.SetDeadlines(nullptr);
  deadlines.Stop();
  restore_signals();
  WriteLog("info", {{"event", "stopped"}});
  if (!ok && !svr->is_running()) return OkStatus();
  return OkStatus();
}

}  // namespace pioneer::server
