// The shared care record service end to end: the real `pioneer` binary ingests a small
// hand-made area, users are added with `pioneer users`, and `pioneer serve` runs on
// 127.0.0.1 (an ephemeral port). Each role signs in through /auth/token and the tests show
// what the IG gate lets it see (docs/ig.md lists which test proves which rule), plus the
// security checks of docs/security.md: IDOR, injection, bodies, token replay, logs.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/store/store.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

using nlohmann::json;
using testing::RunPioneer;
using testing::TempDir;
using testing::TestNhsNumber;

// People of the test area.
const std::string kP1 = TestNhsNumber(101);      // registered at B86001 (GP A)
const std::string kP2 = TestNhsNumber(102);      // registered at B86002 (GP B)
const std::string kP3 = TestNhsNumber(103);      // B86002, open social care service at E08000999
const std::string kP4 = TestNhsNumber(104);      // B86001, objects to sharing
const std::string kP5 = TestNhsNumber(105);      // B86002, has a patient account
const std::string kAbsent = TestNhsNumber(199);  // nobody
const char* kPassword = "correct horse battery";

using Fields = std::map<std::string, std::string>;

// CSV of an extract with the given rows (fields by name; the rest empty).
std::string Extract(const std::string& table, const std::vector<Fields>& rows) {
  const formats::ExtractSpec* spec = nullptr;
  for (const auto& s : formats::AllExtracts()) {
    if (s.table == table) spec = &s;
  }
  std::string out;
  for (size_t i = 0; i < spec->fields.size(); ++i) {
    out += (i ? "," : "") + std::string(spec->fields[i].name);
  }
  out += "\n";
  for (const Fields& r : rows) {
    for (size_t i = 0; i < spec->fields.size(); ++i) {
      auto it = r.find(std::string(spec->fields[i].name));
      out += (i ? "," : "") + (it == r.end() ? std::string() : it->second);
    }
    out += "\n";
  }
  return out;
}

Fields Person(const std::string& nhs, const std::string& family, const std::string& given,
              const std::string& sex, const std::string& birth, const std::string& practice) {
  return {{"nhs_number", nhs},
          {"record_type", "current"},
          {"family_name", family},
          {"given_name", given},
          {"sex", sex},
          {"birth_date", birth},
          {"gp_practice_code", practice},
          {"postcode", "LS1 4AP"}};
}

// An episode with main and secondary OPCS-4 operations.
Fields WithOperations(Fields f, const std::string& main, const std::string& secondary) {
  f["opertn_01"] = main;
  f["opertn_02"] = secondary;
  return f;
}

Fields Episode(const std::string& id, const std::string& spell, int n, const std::string& nhs,
               const std::string& provider, const std::string& start, const std::string& end,
               const std::string& diag) {
  Fields f = {{"episode_id", id},
              {"spell_id", spell},
              {"episode_number", std::to_string(n)},
              {"episode_status", "1"},
              {"episode_type", "1"},
              {"nhs_number", nhs},
              {"provider_code", provider},
              {"admission_date", start},
              {"admission_method", "21"},
              {"admission_source", "19"},
              {"patient_classification", "1"},
              {"main_specialty", "300"},
              {"episode_start_date", start},
              {"episode_end_date", end},
              {"age_on_admission", "80"},
              {"sex", "2"},
              {"diag_01", diag}};
  if (!end.empty()) {
    f["discharge_date"] = end;
    f["discharge_method"] = "1";
    f["discharge_destination"] = "19";
  }
  return f;
}

Fields GpEvent(const std::string& id, const std::string& nhs, const std::string& practice,
               const std::string& date, const std::string& code) {
  return {{"event_id", id},
          {"nhs_number", nhs},
          {"gp_practice_code", practice},
          {"event_date", date},
          {"snomed_concept_id", code}};
}

class Server {
 public:
  // Starts `pioneer serve` with extra arguments; waits for its "listening on" line.
  Server(const std::string& db, const std::string& log, const std::string& extra) {
    int out[2];
    EXPECT_EQ(pipe(out), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(out[1], 1);
      close(out[0]);
      std::string cmd = testing::PioneerBinary() + " serve --db " + db + " --listen 127.0.0.1:0 " +
                        extra + " 2>>" + log;
      execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    close(out[1]);
    std::string line;
    char c;
    while (read(out[0], &c, 1) == 1 && c != '\n') line += c;
    close(out[0]);
    const std::string prefix = "listening on http://127.0.0.1:";
    if (line.rfind(prefix, 0) == 0) port_ = std::atoi(line.c_str() + prefix.size());
    EXPECT_GT(port_, 0) << "server did not start: '" << line << "'";
  }
  ~Server() { Stop(); }
  // SIGTERM, then the exit status (0 = clean shutdown).
  int Stop() {
    if (pid_ <= 0) return exit_code_;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }
  int port() const { return port_; }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  int exit_code_ = -1;
};

class SharedRecordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    db_ = *tmp_ / "store.db";
    log_ = *tmp_ / "server.log";
    std::string dir = *tmp_ / "extracts";
    testing::WriteFile(
        dir + "/pds.csv",
        Extract("pds", {Person(kP1, "Aardvark", "Alice", "2", "1940-05-17", "B86001"),
                        Person(kP2, "Bittern", "Bob", "1", "1951-02-03", "B86002"),
                        Person(kP3, "Curlew", "Carol", "2", "1938-11-30", "B86002"),
                        Person(kP4, "Dunnock", "Dora", "2", "1945-07-04", "B86001"),
                        Person(kP5, "Egret", "Eric", "1", "1960-01-09", "B86002")}));
    testing::WriteFile(
        dir + "/apc_episodes.csv",
        Extract(
            "apc_episodes",
            {Episode("E1", "S1", 1, kP1, "RR8", "2015-03-01", "2015-03-04", "J18.9"),
             WithOperations(Episode("E2", "S2", 1, kP1, "RR8", "2016-06-10", "2016-06-12", "S72.0"),
                            "W46.1", "Z94.2"),
             Episode("E3", "S3", 1, kP2, "RR8", "2015-09-09", "2015-09-10", "I21.9"),
             Episode("E4", "S4", 1, kP4, "RR8", "2015-04-04", "2015-04-08", "F03X"),
             Episode("E5", "S5", 1, kP5, "RR8", "2017-01-01", "2017-01-03", "J44.1")}));
    testing::WriteFile(
        dir + "/gp_events.csv",
        Extract("gp_events", {GpEvent("G1", kP1, "B86001", "2014-05-05", "73211009"),
                              GpEvent("G2", kP1, "B86001", "2015-05-05", "11429006"),
                              GpEvent("G3", kP4, "B86001", "2015-02-02", "52448006"),
                              GpEvent("G4", kP2, "B86002", "2015-02-02", "84114007")}));
    testing::WriteFile(dir + "/social_care_events.csv",
                       Extract("social_care_events", {{{"event_id", "C1"},
                                                       {"la_code", "E08000999"},
                                                       {"la_person_id", "L1"},
                                                       {"nhs_number", kP3},
                                                       {"event_type", "service"},
                                                       {"service_type", "home_care"},
                                                       {"event_start_date", "2016-01-01"}},
                                                      {{"event_id", "C2"},
                                                       {"la_code", "E08000999"},
                                                       {"la_person_id", "L2"},
                                                       {"nhs_number", kP2},
                                                       {"event_type", "assessment"},
                                                       {"event_start_date", "2015-01-01"},
                                                       {"event_end_date", "2015-02-01"}}}));
    testing::WriteFile(
        dir + "/organisations.csv",
        Extract("organisations",
                {{{"ods_code", "15F"}, {"name", "NHS Leeds CCG"}, {"organisation_type", "ccg"}},
                 {{"ods_code", "B86001"},
                  {"name", "White Rose Surgery"},
                  {"organisation_type", "gp_practice"},
                  {"parent_code", "15F"},
                  {"postcode", "LS1 4AP"}},
                 {{"ods_code", "B86002"},
                  {"name", "Whitehall Medical Centre"},
                  {"organisation_type", "gp_practice"},
                  {"parent_code", "15F"},
                  {"close_date", "2020-03-31"}},
                 {{"ods_code", "RR8"},
                  {"name", "Leeds Teaching Hospitals NHS Trust"},
                  {"organisation_type", "acute_trust"}}}));
    auto r = RunPioneer("ingest --db " + db_ + " " + dir, *tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    {
      // P1's saved risk stratum (as `pioneer risk score --save-strata` writes one).
      auto store = store::Store::OpenSqlite(db_);
      ASSERT_TRUE(store.ok()) << store.status().ToString();
      store::Param p[] = {store::Param::Of(kP1)};
      ASSERT_TRUE((*store)
                      ->Execute("INSERT INTO risk_strata(nhs_number, index_date, model_id, "
                                "practice, age, top2_practice, top4_practice, loa_band, "
                                "rub_band, saved_at) VALUES(?1, '2016-04-01', "
                                "'sha256:0123456789abcdef', 'B86001', 75, 1, 1, 5, NULL, "
                                "'2026-12-06T00:00:00Z')",
                                p)
                      .ok());
    }
    AddUser("gp_a", "gp", "B86001", "", "");
    AddUser("gp_b", "gp", "B86002", "", "");
    AddUser("gp_c", "gp", "B86002", "", "");
    AddUser("sw", "social_worker", "E08000999", "", "");
    AddUser("nurse_n", "nurse", "ZC1", "north", "");
    AddUser("analyst", "analyst", "X26", "", "");
    AddUser("ig", "ig_officer", "X26", "", "");
    AddUser("eric", "patient", "B86002", "", kP5);
    AddUser("locky", "gp", "B86001", "", "");
    r = RunPioneer("users caseload --db " + db_ + " --org ZC1 --team north --nhs-number " + kP2,
                   *tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // P1's joint care plan: the practice and the council, a named GP and a social worker.
    r = RunPioneer("careplan add --db " + db_ + " --nhs-number " + kP1 +
                       " --start-date 2015-01-05 --review-date 2015-04-05 --organisation B86001 "
                       "--organisation E08000999 --accountable-gp G1234567 --gp-practice B86001 "
                       "--coordinator SW-7 --coordinator-role social_worker "
                       "--coordinator-org E08000999 --goals \"Stay at home\" --by gp_a",
                   *tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // P3's plan involves the community trust ZC1 (a matron coordinates): the care team.
    r = RunPioneer("careplan add --db " + db_ + " --nhs-number " + kP3 +
                       " --start-date 2016-01-10 --organisation B86002 --organisation ZC1 "
                       "--accountable-gp G7654321 --coordinator CM-2 --coordinator-org ZC1 --by "
                       "gp_b",
                   *tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    server_ = new Server(db_, log_, "--token-ttl 600");
  }
  static void TearDownTestSuite() {
    delete server_;
    delete tmp_;
  }
  static void AddUser(const std::string& u, const std::string& role, const std::string& org,
                      const std::string& team, const std::string& nhs) {
    std::string args = "users add --db " + db_ + " --username " + u + " --role " + role +
                       " --org " + org + (team.empty() ? "" : " --team " + team) +
                       (nhs.empty() ? "" : " --nhs-number " + nhs) + " --password-stdin";
    std::string pw = *tmp_ / "pw.txt";
    testing::WriteFile(pw, std::string(kPassword) + "\n");
    auto r = RunPioneer(args + " < " + pw, *tmp_);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  static httplib::Client Client(int port = 0) {
    httplib::Client c("127.0.0.1", port ? port : server_->port());
    c.set_read_timeout(30, 0);
    return c;
  }
  static std::string SignIn(const std::string& user, const std::string& scope = "", int port = 0) {
    auto c = Client(port);
    httplib::Params form = {
        {"grant_type", "password"}, {"username", user}, {"password", kPassword}};
    if (!scope.empty()) form.emplace("scope", scope);
    auto res = c.Post("/auth/token", form);
    if (!res || res->status != 200) return "";
    return json::parse(res->body)["access_token"].get<std::string>();
  }
  // A token per user, signed in once (Argon2id makes each sign-in cost real work).
  static std::string Token(const std::string& user) {
    static std::map<std::string, std::string> cache;
    std::string& t = cache[user];
    if (t.empty()) t = SignIn(user);
    return t;
  }
  struct Reply {
    int status = 0;
    json body;
    std::string raw;
    httplib::Headers headers;
  };
  static Reply Get(const std::string& token, const std::string& path, int port = 0) {
    auto c = Client(port);
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    auto res = c.Get(path, h);
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.raw = res->body;
    r.headers = res->headers;
    r.body = json::parse(res->body, nullptr, false);
    return r;
  }
  static Reply Post(const std::string& token, const std::string& path, const std::string& body,
                    const std::string& type) {
    auto c = Client();
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    auto res = c.Post(path, h, body, type);
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.raw = res->body;
    r.headers = res->headers;
    r.body = json::parse(res->body, nullptr, false);
    return r;
  }
  // Any request with a body and extra headers (PUT, conditional POST).
  static Reply Send(const std::string& method, const std::string& token, const std::string& path,
                    const std::string& body, const std::string& type,
                    const httplib::Headers& extra = {}) {
    auto c = Client();
    httplib::Headers h = extra;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    httplib::Result res =
        method == "PUT" ? c.Put(path, h, body, type) : c.Post(path, h, body, type);
    Reply r;
    if (!res) return r;
    r.status = res->status;
    r.raw = res->body;
    r.headers = res->headers;
    r.body = json::parse(res->body, nullptr, false);
    return r;
  }
  static std::string Header(const Reply& r, const std::string& name) {
    auto it = r.headers.find(name);
    return it == r.headers.end() ? "" : it->second;
  }
  // A token with the care plan write scope (signed in once per user).
  // Runs a node client check (tests/fhir/*_check.*): it must exit 0 and print no failures.
  static void ExpectNodeCheckPasses(const std::string& cmd) {
    std::string out;
    FILE* f = popen(cmd.c_str(), "r");
    ASSERT_NE(f, nullptr);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) out.append(buf, n);
    int status = pclose(f);
    EXPECT_EQ(WIFEXITED(status) ? WEXITSTATUS(status) : -1, 0) << out;
    EXPECT_NE(out.find("\"failures\": []"), std::string::npos) << out;
  }
  static std::string WriteToken(const std::string& user) {
    static std::map<std::string, std::string> cache;
    std::string& t = cache[user];
    if (t.empty()) t = SignIn(user, "user/*.read user/CarePlan.write");
    return t;
  }
  // A CarePlan body for the Patient with this id, in the shape the server reads out.
  static json PlanBody(const std::string& patient_id, const std::string& identifier_value) {
    auto org = [](const std::string& code) {
      return json{{"identifier",
                   {{"system", "https://fhir.nhs.uk/Id/ods-organization-code"}, {"value", code}}}};
    };
    json gp = {{"role", json::array({json{{"text", "Accountable GP"}}})},
               {"member", {{"display", "G1234567"}}},
               {"onBehalfOf", org("B86001")}};
    json team = {{"resourceType", "CareTeam"},
                 {"id", "team"},
                 {"managingOrganization", json::array({org("B86001"), org("RR8")})},
                 {"participant", json::array({gp})}};
    json body = {{"resourceType", "CarePlan"},
                 {"status", "active"},
                 {"intent", "plan"},
                 {"subject", {{"reference", "Patient/" + patient_id}}},
                 {"period", {{"start", "2024-01-10"}}},
                 {"description", "Falls prevention"},
                 {"contained", json::array({team})},
                 {"careTeam", json::array({{{"reference", "#team"}}})}};
    if (!identifier_value.empty()) {
      body["identifier"] = json::array(
          {{{"system", "https://gp.example.org/care-plans"}, {"value", identifier_value}}});
    }
    return body;
  }

  // The Patient id of an NHS Number, read as a GP who may see them.
  static std::string PatientId(const std::string& token, const std::string& nhs) {
    Reply r = Get(token, "/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|" + nhs);
    if (r.status != 200 || r.body["total"] != 1) return "";
    return r.body["entry"][0]["resource"]["id"].get<std::string>();
  }
  // Every audit entry of a user, as the IG officer reads them (all pages).
  static std::vector<json> AuditOf(const std::string& agent) {
    std::vector<json> out;
    for (int offset = 0;; offset += 200) {
      Reply r = Get(Token("ig"), "/fhir/AuditEvent?agent=" + agent +
                                     "&_count=200&_offset=" + std::to_string(offset));
      if (r.status != 200 || !r.body.contains("entry")) break;
      for (const json& e : r.body["entry"]) out.push_back(e["resource"]);
      if (r.body["entry"].size() < 200) break;
    }
    return out;
  }
  static std::string SearchByNhs(const std::string& nhs) {
    return "/fhir/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C" + nhs;
  }

  static TempDir* tmp_;
  static std::string db_, log_;
  static Server* server_;
};
TempDir* SharedRecordTest::tmp_ = nullptr;
std::string SharedRecordTest::db_;
std::string SharedRecordTest::log_;
Server* SharedRecordTest::server_ = nullptr;

TEST_F(SharedRecordTest, MetadataNeedsNoTokenAndSaysWhatIsImplemented) {
  Reply r = Get("", "/fhir/metadata");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["resourceType"], "CapabilityStatement");
  EXPECT_EQ(r.body["fhirVersion"], "4.0.1");
  std::vector<std::string> types;
  for (const auto& res : r.body["rest"][0]["resource"]) types.push_back(res["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"Patient",
                                             "Encounter",
                                             "Condition",
                                             "Procedure",
                                             "EpisodeOfCare",
                                             "CarePlan",
                                             "CareTeam",
                                             "RiskAssessment",
                                             "Consent",
                                             "Organization",
                                             "AuditEvent",
                                             "Observation",
                                             "AllergyIntolerance",
                                             "MedicationRequest",
                                             "MedicationStatement",
                                             "MedicationAdministration",
                                             "Immunization",
                                             "DiagnosticReport",
                                             "DocumentReference",
                                             "ImagingStudy",
                                             "Device",
                                             "SupplyDelivery",
                                             "Goal",
                                             "Claim",
                                             "ExplanationOfBenefit",
                                             "Provenance",
                                             "Location",
                                             "Practitioner",
                                             "PractitionerRole",
                                             "Medication"}));
  // Writes are declared for CarePlan (create, update), CareTeam (create as a document,
  // update), Consent (create, update), the documents from other organisations (Encounter,
  // Condition and Procedure among them) and the directory entries (create), as implemented.
  for (const auto& res : r.body["rest"][0]["resource"]) {
    std::vector<std::string> codes;
    for (const auto& i : res["interaction"]) codes.push_back(i["code"]);
    bool writes = std::find(codes.begin(), codes.end(), "create") != codes.end() ||
                  std::find(codes.begin(), codes.end(), "update") != codes.end();
    const std::string doc = res.value("documentation", "");
    const bool document = doc.find("another organisation") != std::string::npos;
    const bool directory = doc.find("Directory entries") != std::string::npos ||
                           doc.find("directory entries") != std::string::npos;
    EXPECT_EQ(writes, res["type"] == "CarePlan" || res["type"] == "CareTeam" ||
                          res["type"] == "Consent" || document || directory)
        << res["type"];
    if (document) {
      EXPECT_EQ(codes, (std::vector<std::string>{"read", "vread", "history-instance", "search-type",
                                                 "create", "update"}));
    }
    if (directory) {
      EXPECT_EQ(codes, (std::vector<std::string>{"read", "search-type", "create"})) << res["type"];
    }
    const std::vector<std::string> never = {"Patient", "EpisodeOfCare", "RiskAssessment",
                                            "AuditEvent"};
    if (std::find(never.begin(), never.end(), res["type"]) != never.end()) {
      EXPECT_FALSE(writes) << res["type"];
    }
    if (res["type"] == "Consent") {
      EXPECT_EQ(codes, (std::vector<std::string>{"read", "vread", "history-instance", "search-type",
                                                 "create", "update"}));
      EXPECT_EQ(res["versioning"], "versioned-update");
    }
    if (res["type"] == "CarePlan") {
      EXPECT_EQ(res["conditionalCreate"], true);
      EXPECT_EQ(res["versioning"], "versioned-update");
      EXPECT_EQ(res["updateCreate"], false);
      EXPECT_EQ(res["readHistory"], true);
      EXPECT_EQ(codes, (std::vector<std::string>{"read", "vread", "history-instance", "search-type",
                                                 "create", "update"}));
    }
  }
  // Batch and transaction Bundles at the base.
  std::vector<std::string> system;
  for (const auto& i : r.body["rest"][0]["interaction"]) system.push_back(i["code"]);
  EXPECT_EQ(system, (std::vector<std::string>{"transaction", "batch"}));
  auto it = r.headers.find("Content-Type");
  ASSERT_NE(it, r.headers.end());
  EXPECT_EQ(it->second.rfind("application/fhir+json", 0), 0u);
}

TEST_F(SharedRecordTest, MissingOrBadTokenIs401WithWwwAuthenticate) {
  for (const std::string& token : {std::string(), std::string("not-a-real-token")}) {
    Reply r = Get(token, SearchByNhs(kP1));
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body["resourceType"], "OperationOutcome");
    auto it = r.headers.find("WWW-Authenticate");
    ASSERT_NE(it, r.headers.end());
    EXPECT_EQ(it->second.rfind("Bearer", 0), 0u);
  }
  // A wrong password and an unknown user get the same answer.
  auto c = Client();
  auto a = c.Post("/auth/token", httplib::Params{{"grant_type", "password"},
                                                 {"username", "gp_a"},
                                                 {"password", "wrong one!"}});
  auto b = c.Post("/auth/token", httplib::Params{{"grant_type", "password"},
                                                 {"username", "nobody"},
                                                 {"password", "wrong one!"}});
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->status, 400);
  EXPECT_EQ(a->body, b->body);
}

TEST_F(SharedRecordTest, GpSeesRegisteredPatientsAndNotOthers) {
  std::string gp = Token("gp_a");
  ASSERT_FALSE(gp.empty());
  Reply mine = Get(gp, SearchByNhs(kP1));
  ASSERT_EQ(mine.status, 200) << mine.raw;
  ASSERT_EQ(mine.body["total"], 1);
  const json& p = mine.body["entry"][0]["resource"];
  EXPECT_EQ(p["name"][0]["family"], "Aardvark");
  EXPECT_EQ(p["identifier"][0]["value"], kP1);
  EXPECT_EQ(p["birthDate"], "1940-05-17");
  std::string id = p["id"];
  Reply read = Get(gp, "/fhir/Patient/" + id);
  EXPECT_EQ(read.status, 200);
  EXPECT_EQ(read.headers.find("ETag")->second, "W/\"1\"");
  // The NHS Number is the identifier of type NH, and :of-type finds it; another type nobody.
  EXPECT_EQ(p["identifier"][0]["type"]["coding"][0]["code"], "NH");
  const std::string v2 = "http%3A%2F%2Fterminology.hl7.org%2FCodeSystem%2Fv2-0203";
  Reply typed = Get(gp, "/fhir/Patient?identifier:of-type=" + v2 + "%7CNH%7C" + kP1);
  ASSERT_EQ(typed.status, 200) << typed.raw;
  EXPECT_EQ(typed.body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Patient?identifier:of-type=" + v2 + "%7CMR%7C" + kP1).body["total"], 0);
  EXPECT_EQ(Get(gp, "/fhir/Patient?identifier:of-type=NH%7C" + std::string(kP1)).status, 400);

  // Not registered here: searching finds nobody, exactly as for a number nobody holds.
  Reply other = Get(gp, SearchByNhs(kP2));
  Reply nobody = Get(gp, SearchByNhs(kAbsent));
  EXPECT_EQ(other.body["total"], 0);
  EXPECT_EQ(nobody.body["total"], 0);
  // Reading the other GP's patient by id is 404, exactly like an id that does not exist.
  std::string gp_b = Token("gp_b");
  std::string p2 = PatientId(gp_b, kP2);
  ASSERT_FALSE(p2.empty());
  Reply by_id = Get(gp, "/fhir/Patient/" + p2);
  Reply missing = Get(gp, "/fhir/Patient/99999");
  EXPECT_EQ(by_id.status, 404);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(by_id.body["issue"][0]["code"], missing.body["issue"][0]["code"]);
  // A search by name returns only this practice's patients.
  Reply women = Get(gp, "/fhir/Patient?gender=female");
  EXPECT_EQ(women.body["total"], 2);  // Alice and Dora; not Carol (B86002)
}

TEST_F(SharedRecordTest, GpReadsEncountersConditionsAndEverything) {
  std::string gp = Token("gp_a");
  std::string id = PatientId(gp, kP1);
  ASSERT_FALSE(id.empty());
  Reply enc = Get(gp, "/fhir/Encounter?patient=Patient/" + id);
  ASSERT_EQ(enc.status, 200) << enc.raw;
  EXPECT_EQ(enc.body["total"], 3);  // two hospital spells and one GP consultation
  Reply dated = Get(gp, "/fhir/Encounter?patient=" + id + "&date=ge2016-01-01");
  ASSERT_EQ(dated.body["total"], 1);
  const json& spell = dated.body["entry"][0]["resource"];
  EXPECT_EQ(spell["class"]["code"], "IMP");
  EXPECT_EQ(spell["period"]["start"], "2016-06-10");
  EXPECT_EQ(spell["period"]["end"], "2016-06-12");
  Reply by_id = Get(gp, "/fhir/Encounter/" + spell["id"].get<std::string>());
  EXPECT_EQ(by_id.status, 200);
  Reply cond = Get(gp, "/fhir/Condition?patient=" + id);
  EXPECT_EQ(cond.body["total"], 3);  // J18.9, S72.0 and the GP's diabetes
  Reply all = Get(gp, "/fhir/Patient/" + id + "/$everything?_count=2");
  ASSERT_EQ(all.status, 200) << all.raw;
  // Patient + 3 encounters + 3 conditions + 2 procedures + 1 care plan + 1 risk assessment
  EXPECT_EQ(all.body["total"], 11);
  EXPECT_EQ(all.body["entry"].size(), 2u);
  // _type, start and end narrow it; the next link keeps them.
  EXPECT_EQ(Get(gp, "/fhir/Patient/" + id + "/$everything?_type=Condition,Procedure").body["total"],
            5);
  // 2016 on: the Patient, the 2016 spell, its diagnosis, its two operations and the 2016
  // risk assessment.
  Reply since = Get(gp, "/fhir/Patient/" + id + "/$everything?start=2016-01-01&_count=1");
  EXPECT_EQ(since.body["total"], 6);
  for (const auto& l : since.body["link"]) {
    if (l["relation"] == "next") {
      EXPECT_NE(l["url"].get<std::string>().find("start=2016-01-01"), std::string::npos);
    }
  }
  EXPECT_EQ(Get(gp, "/fhir/Patient/" + id + "/$everything?end=2014-12-31").body["total"], 2);
  EXPECT_EQ(Get(gp, "/fhir/Patient/" + id + "/$everything?_type=Organization").status, 400);
  EXPECT_EQ(Get(gp, "/fhir/Patient/" + id + "/$everything?_since=2020-01-01").status, 400);
  bool has_next = false;
  for (const auto& l : all.body["link"]) has_next |= l["relation"] == "next";
  EXPECT_TRUE(has_next);
  // Paging through the search: the next link works.
  Reply page1 = Get(gp, "/fhir/Encounter?patient=" + id + "&_count=2");
  std::string next;
  for (const auto& l : page1.body["link"]) {
    if (l["relation"] == "next") next = l["url"];
  }
  ASSERT_FALSE(next.empty());
  Reply page2 = Get(gp, next.substr(next.find("/fhir/")));
  EXPECT_EQ(page2.body["entry"].size(), 1u);
}

// Procedures (the OPCS-4 operations of APC episodes) and the token search parameters of
// each clinical type: code, status, category, class, clinical-status.
TEST_F(SharedRecordTest, ProceduresAndTokenSearches) {
  std::string gp = Token("gp_a");
  std::string id = PatientId(gp, kP1);
  ASSERT_FALSE(id.empty());
  Reply px = Get(gp, "/fhir/Procedure?patient=" + id);
  ASSERT_EQ(px.status, 200) << px.raw;
  ASSERT_EQ(px.body["total"], 2);
  const json& hip = px.body["entry"][0]["resource"];
  EXPECT_EQ(hip["code"]["coding"][0]["code"], "W46.1");
  EXPECT_EQ(hip["status"], "completed");
  EXPECT_EQ(hip["performedPeriod"]["start"], "2016-06-10");
  Reply read = Get(gp, "/fhir/Procedure/" + hip["id"].get<std::string>());
  ASSERT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["code"], hip["code"]);
  EXPECT_EQ(Get(gp, "/fhir/Procedure/apcpx-999-1").status, 404);
  EXPECT_EQ(Get(gp, "/fhir/Procedure?patient=" + id + "&code=W46.1").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Procedure?patient=" + id + "&code=W46.1,Z94.2").body["total"], 2);
  EXPECT_EQ(Get(gp, "/fhir/Procedure?patient=" + id + "&date=lt2016-01-01").body["total"], 0);
  // Condition by code with and without the system, and by category.
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&code=S72.0").body["total"], 1);
  EXPECT_EQ(
      Get(gp, "/fhir/Condition?patient=" + id + "&code=http://hl7.org/fhir/sid/icd-10%7CS72.0")
          .body["total"],
      1);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&code=http://snomed.info/sct%7CS72.0")
                .body["total"],
            0);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&category=problem-list-item").body["total"],
            1);  // the GP's diabetes
  // Subsumption in the prefix hierarchies of ICD-10 and OPCS-4; SNOMED CT needs a terminology
  // server, so it is a 400, never a silently wider or narrower search.
  const std::string icd = "http://hl7.org/fhir/sid/icd-10%7C";
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&code:below=" + icd + "S72").body["total"],
            1);
  EXPECT_EQ(
      Get(gp, "/fhir/Condition?patient=" + id + "&code:above=" + icd + "S72.01").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&code:below=" + icd + "S73").body["total"],
            0);
  EXPECT_EQ(Get(gp, "/fhir/Procedure?patient=" + id +
                        "&code:below=https://pioneer.example.org/fhir/CodeSystem/opcs4%7CW46")
                .body["total"],
            1);
  EXPECT_EQ(
      Get(gp, "/fhir/Condition?patient=" + id + "&code:below=http://snomed.info/sct%7C73211009")
          .status,
      400);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + id + "&clinical-status=active").body["total"], 3);
  // Encounter by class and status; CarePlan by status.
  EXPECT_EQ(Get(gp, "/fhir/Encounter?patient=" + id + "&class=IMP").body["total"], 2);
  EXPECT_EQ(
      Get(gp, "/fhir/Encounter?patient=" + id + "&class=IMP&status=in-progress").body["total"], 0);
  EXPECT_EQ(Get(gp, "/fhir/CarePlan?patient=" + id + "&status=active").body["total"], 1);
  // A parameter the type does not have is a 400, not a wider search.
  EXPECT_EQ(Get(gp, "/fhir/Encounter?patient=" + id + "&code=S72.0").status, 400);
  // Another practice's GP gets nothing, and cannot tell from the answer.
  std::string other = Token("gp_b");
  EXPECT_EQ(Get(other, "/fhir/Procedure?patient=" + id).body["total"], 0);
  EXPECT_EQ(Get(other, "/fhir/Procedure/" + hip["id"].get<std::string>()).status, 404);
}

// The organisation directory as Organization resources: read by ODS code, search by
// identifier, name, type and partof; any signed-in user (the analyst too); Patient and
// Encounter reference it.
TEST_F(SharedRecordTest, OrganizationDirectory) {
  std::string analyst = Token("analyst");
  Reply wr = Get(analyst, "/fhir/Organization/B86001");
  ASSERT_EQ(wr.status, 200) << wr.raw;
  EXPECT_EQ(wr.body["name"], "White Rose Surgery");
  EXPECT_EQ(wr.body["identifier"][0]["system"], "https://fhir.nhs.uk/Id/ods-organization-code");
  EXPECT_EQ(wr.body["partOf"]["reference"], "Organization/15F");
  EXPECT_EQ(wr.body["active"], true);
  EXPECT_EQ(Get(analyst, "/fhir/Organization/B86002").body["active"], false);
  EXPECT_EQ(Get(analyst, "/fhir/Organization/ZZZ99").status, 404);
  EXPECT_EQ(Get(analyst, "/fhir/Organization?type=gp_practice").body["total"], 2);
  EXPECT_EQ(Get(analyst, "/fhir/Organization?partof=Organization/15F&name=white%20r").body["total"],
            1);
  EXPECT_EQ(Get(analyst, "/fhir/Organization?name=%25").body["total"], 0);  // % is literal
  EXPECT_EQ(Get(analyst,
                "/fhir/Organization?identifier=https://fhir.nhs.uk/Id/"
                "ods-organization-code%7CRR8")
                .body["total"],
            1);
  EXPECT_EQ(Get(analyst, "/fhir/Organization?identifier=http://other%7CRR8").body["total"], 0);
  EXPECT_EQ(Get(analyst, "/fhir/Organization").body["total"], 4);
  EXPECT_EQ(Get(analyst, "/fhir/Organization?colour=red").status, 400);
  EXPECT_EQ(Get("", "/fhir/Organization/B86001").status, 401);
  std::string gp = Token("gp_a");
  Reply p1 = Get(gp, "/fhir/Patient/" + PatientId(gp, kP1));
  EXPECT_EQ(p1.body["generalPractitioner"][0]["reference"], "Organization/B86001");
}

// Saved risk strata as RiskAssessment, through the gate like any record: the practice's GP
// sees them, another practice's does not, an analyst gets no person-level resource.
TEST_F(SharedRecordTest, RiskAssessmentFromSavedStrata) {
  std::string gp = Token("gp_a");
  std::string id = PatientId(gp, kP1);
  Reply found = Get(gp, "/fhir/RiskAssessment?patient=" + id);
  ASSERT_EQ(found.status, 200) << found.raw;
  ASSERT_EQ(found.body["total"], 1);
  const json& ra = found.body["entry"][0]["resource"];
  EXPECT_EQ(ra["occurrenceDateTime"], "2016-04-01");
  EXPECT_EQ(ra["prediction"][0]["qualitativeRisk"]["coding"][0]["code"], "5");
  EXPECT_EQ(ra["method"]["coding"][0]["code"], "sha256:0123456789abcdef");
  EXPECT_NE(ra["note"].dump().find("In the top 2%"), std::string::npos) << ra.dump();
  EXPECT_EQ(Get(gp, "/fhir/RiskAssessment/" + ra["id"].get<std::string>()).status, 200);
  EXPECT_EQ(Get(gp, "/fhir/RiskAssessment?patient=" + id + "&date=ge2017").body["total"], 0);
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/RiskAssessment/" + ra["id"].get<std::string>()).status, 404);
  EXPECT_EQ(Get(Token("analyst"), "/fhir/RiskAssessment?patient=" + id).status, 403);
}

TEST_F(SharedRecordTest, SocialWorkerSeesPeopleWithAnOpenEpisodeAtTheirCouncil) {
  std::string sw = Token("sw");
  EXPECT_EQ(Get(sw, SearchByNhs(kP3)).body["total"], 1);  // open home care service
  EXPECT_EQ(Get(sw, SearchByNhs(kP2)).body["total"], 0);  // episode closed in 2015
  EXPECT_EQ(Get(sw, SearchByNhs(kP4)).body["total"], 0);  // never known to the council
  std::string gp_b = Token("gp_b");
  std::string p3 = PatientId(gp_b, kP3);
  Reply eoc = Get(sw, "/fhir/EpisodeOfCare?patient=" + p3);
  ASSERT_EQ(eoc.body["total"], 1);
  EXPECT_EQ(eoc.body["entry"][0]["resource"]["status"], "active");
}

TEST_F(SharedRecordTest, JointCarePlanIsSharedThroughTheGate) {
  std::string gp = Token("gp_a");
  std::string id = PatientId(gp, kP1);
  Reply plans = Get(gp, "/fhir/CarePlan?patient=" + id);
  ASSERT_EQ(plans.status, 200) << plans.raw;
  ASSERT_EQ(plans.body["total"], 1);
  const json& plan = plans.body["entry"][0]["resource"];
  EXPECT_EQ(plan["resourceType"], "CarePlan");
  EXPECT_EQ(plan["status"], "active");
  EXPECT_EQ(plan["intent"], "plan");
  EXPECT_EQ(plan["title"], "Joint care plan");
  EXPECT_EQ(plan["subject"]["reference"], "Patient/" + id);
  EXPECT_EQ(plan["period"]["start"], "2015-01-05");
  EXPECT_EQ(plan["description"], "Stay at home");
  EXPECT_EQ(plan["careTeam"][0]["reference"], "#team");
  const json& team = plan["contained"][0];
  EXPECT_EQ(team["resourceType"], "CareTeam");
  ASSERT_EQ(team["participant"].size(), 2u);
  EXPECT_EQ(team["participant"][0]["member"]["display"], "G1234567");
  EXPECT_EQ(team["participant"][1]["onBehalfOf"]["identifier"]["value"], "E08000999");
  EXPECT_EQ(team["managingOrganization"].size(), 2u);
  const std::string plan_id = plan["id"];
  Reply read = Get(gp, "/fhir/CarePlan/" + plan_id);
  EXPECT_EQ(read.status, 200) << read.raw;
  EXPECT_EQ(read.body["id"], plan_id);
  // No relationship with P1: the plan does not exist as far as gp_b can tell.
  Reply other = Get(Token("gp_b"), "/fhir/CarePlan/" + plan_id);
  EXPECT_EQ(other.status, 404);
  EXPECT_EQ(Get(gp, "/fhir/CarePlan/cp-999").status, 404);
  EXPECT_EQ(Get(gp, "/fhir/CarePlan?patient=" + id + "&date=ge2016-01-01").body["total"], 0);
  // The plan's team as a CareTeam of its own, through the same gate.
  Reply teams = Get(gp, "/fhir/CareTeam?patient=" + id + "&status=active");
  ASSERT_EQ(teams.status, 200) << teams.raw;
  ASSERT_EQ(teams.body["total"], 1);
  const json& ct = teams.body["entry"][0]["resource"];
  EXPECT_EQ(ct["id"], "ct-" + plan_id.substr(3));
  EXPECT_EQ(ct["participant"], team["participant"]);
  EXPECT_EQ(ct["period"]["start"], "2015-01-05");
  EXPECT_EQ(ct["meta"]["versionId"], plan["meta"]["versionId"]);
  EXPECT_EQ(Get(gp, "/fhir/CareTeam/" + ct["id"].get<std::string>()).body["name"],
            "Joint care team");
  EXPECT_EQ(Get(gp, "/fhir/CareTeam?patient=" + id + "&status=proposed").body["total"], 0);
  EXPECT_EQ(Get(Token("gp_b"), "/fhir/CareTeam/" + ct["id"].get<std::string>()).status, 404);
  EXPECT_EQ(Get(Token("gp_b"), "/fhir/CareTeam?patient=" + id).body["total"], 0);
}

TEST_F(SharedRecordTest, AnOpenJointCarePlanMakesItsOrganisationsACareTeam) {
  std::string nurse = Token("nurse_n");  // ZC1, not P3's practice or council
  ASSERT_EQ(Get(nurse, SearchByNhs(kP3)).body["total"], 1);
  EXPECT_EQ(Get(nurse, SearchByNhs(kP1)).body["total"], 0);  // P1's plan does not involve ZC1
  // P1 has no social care episode, but the council is on P1's joint plan.
  EXPECT_EQ(Get(Token("sw"), SearchByNhs(kP1)).body["total"], 1);
  // Closing the plan ends the relationship.
  auto r = RunPioneer("careplan close --db " + db_ + " --plan-id 2 --end-date 2016-09-30", *tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Get(nurse, SearchByNhs(kP3)).body["total"], 0);
}

TEST_F(SharedRecordTest, TeamCaseloadGivesAccess) {
  std::string nurse = Token("nurse_n");
  EXPECT_EQ(Get(nurse, SearchByNhs(kP2)).body["total"], 1);
  EXPECT_EQ(Get(nurse, SearchByNhs(kP1)).body["total"], 0);
}

TEST_F(SharedRecordTest, BreakGlassWorksIsShortLivedAndAudited) {
  std::string gp = Token("gp_a");
  std::string reason = "Unconscious in A&E, no other history available";
  json body = {{"nhs_number", kP2}, {"reason", reason}};
  Reply short_reason =
      Post(gp, "/auth/break-glass", json({{"nhs_number", kP2}, {"reason", "x"}}).dump(),
           "application/json");
  EXPECT_EQ(short_reason.status, 400);
  Reply bg = Post(gp, "/auth/break-glass", body.dump(), "application/json");
  ASSERT_EQ(bg.status, 200) << bg.raw;
  std::string emergency = bg.body["access_token"];
  EXPECT_LE(bg.body["expires_in"].get<int>(), 30 * 60);
  EXPECT_EQ(Get(emergency, SearchByNhs(kP2)).body["total"], 1);
  EXPECT_EQ(Get(gp, SearchByNhs(kP2)).body["total"], 0);         // the ordinary token is unchanged
  EXPECT_EQ(Get(emergency, SearchByNhs(kP3)).body["total"], 0);  // one person only
  // Break-glass on a number nobody holds answers the same way (no existence leak).
  Reply ghost =
      Post(gp, "/auth/break-glass", json({{"nhs_number", kAbsent}, {"reason", reason}}).dump(),
           "application/json");
  EXPECT_EQ(ghost.status, 200);
  // The IG officer sees the grant and the reads it allowed, with the reason.
  std::string ig = Token("ig");
  Reply audit = Get(ig, "/fhir/AuditEvent?agent=gp_a&_count=200");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  int grants = 0, reads = 0;
  for (const auto& e : audit.body["entry"]) {
    const json& r = e["resource"];
    bool btg = false;
    for (const auto& p : r["purposeOfEvent"]) btg |= p.value("text", "") == reason;
    if (r["subtype"][0]["code"] == "break-glass" && btg) ++grants;
    if (r["subtype"][0]["code"] == "Patient.search" && btg) ++reads;
  }
  EXPECT_EQ(grants, 2);
  EXPECT_EQ(reads, 1);
  // Analysts cannot break the glass.
  std::string analyst = Token("analyst");
  EXPECT_EQ(Post(analyst, "/auth/break-glass", body.dump(), "application/json").status, 403);
}

TEST_F(SharedRecordTest, PatientSeesOnlyTheirOwnRecordAndWhoAccessedIt) {
  std::string gp_b = Token("gp_b");
  std::string p5 = PatientId(gp_b, kP5);  // audited: gp_b read Eric's record
  std::string p2 = PatientId(gp_b, kP2);
  std::string eric = Token("eric");
  ASSERT_FALSE(eric.empty());
  EXPECT_EQ(Get(eric, "/fhir/Patient/" + p5).status, 200);
  EXPECT_EQ(Get(eric, "/fhir/Patient/" + p2).status, 404);
  EXPECT_EQ(Get(eric, SearchByNhs(kP2)).body["total"], 0);
  EXPECT_EQ(Get(eric, "/fhir/Patient?family=Egret").body["total"], 1);
  EXPECT_EQ(Get(eric, "/fhir/Encounter?patient=" + p5).body["total"], 1);
  // IDOR by id and by search: another person's encounter.
  std::string gp_a = Token("gp_a");
  Reply p1_enc = Get(gp_a, "/fhir/Encounter?patient=" + PatientId(gp_a, kP1));
  std::string other_enc = p1_enc.body["entry"][0]["resource"]["id"];
  EXPECT_EQ(Get(eric, "/fhir/Encounter/" + other_enc).status, 404);
  EXPECT_EQ(Get(eric, "/fhir/Encounter?patient=" + p2).body["total"], 0);
  // Their access log: gp_b's read is there; entries about other people are not.
  Reply log = Get(eric, "/fhir/AuditEvent?_count=200");
  ASSERT_EQ(log.status, 200) << log.raw;
  bool saw_gp_b = false;
  for (const auto& e : log.body["entry"]) {
    const json& r = e["resource"];
    EXPECT_EQ(r["entity"][0]["what"]["identifier"]["value"], kP5);
    saw_gp_b |= r["agent"][0]["who"]["display"] == "gp_b";
  }
  EXPECT_TRUE(saw_gp_b);
  EXPECT_EQ(Get(eric, "/fhir/AuditEvent?patient=" + p2).body["total"], 0);
  // Scope: a patient token cannot have user/ scopes.
  auto c = Client();
  auto res = c.Post("/auth/token", httplib::Params{{"grant_type", "password"},
                                                   {"username", "eric"},
                                                   {"password", kPassword},
                                                   {"scope", "user/*.read"}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 400);
  EXPECT_NE(res->body.find("invalid_scope"), std::string::npos);
}

TEST_F(SharedRecordTest, AnalystGetsAggregatesOnly) {
  std::string analyst = Token("analyst");
  EXPECT_EQ(Get(analyst, SearchByNhs(kP1)).status, 403);
  EXPECT_EQ(Get(analyst, "/fhir/Patient/1").status, 403);
  EXPECT_EQ(Get(analyst, "/fhir/Encounter?patient=1").status, 403);
  Reply sum = Get(analyst, "/analytics/summary");
  ASSERT_EQ(sum.status, 200) << sum.raw;
  for (const std::string& n : {kP1, kP2, kP3, kP4, kP5}) {
    EXPECT_EQ(sum.raw.find(n), std::string::npos);
  }
  EXPECT_EQ(sum.raw.find("Aardvark"), std::string::npos);
  EXPECT_TRUE(sum.body["practices"][0]["registered_people"].is_null());  // 1-7: suppressed
  // Other roles get no aggregates.
  EXPECT_EQ(Get(Token("gp_a"), "/analytics/summary").status, 403);
}

TEST_F(SharedRecordTest, IgOfficerReadsTheAuditTrailButNoRecords) {
  std::string ig = Token("ig");
  EXPECT_EQ(Get(ig, SearchByNhs(kP1)).status, 403);
  Reply all = Get(ig, "/fhir/AuditEvent?date=ge2020-01-01");
  ASSERT_EQ(all.status, 200);
  EXPECT_GT(all.body["total"].get<int>(), 0);
  Reply none = Get(ig, "/fhir/AuditEvent?date=lt2000");
  EXPECT_EQ(none.body["total"], 0);
}

TEST_F(SharedRecordTest, ObjectionHidesRecordsFromOtherOrganisations) {
  std::string gp = Token("gp_a");
  std::string p4 = PatientId(gp, kP4);
  ASSERT_FALSE(p4.empty());
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + p4).body["total"], 2);  // F03X + dementia
  std::string file = *tmp_ / "objections.csv";
  testing::WriteFile(file, "nhs_number,recorded_on\n" + kP4 + ",2016-01-01\n");
  auto r = RunPioneer("objections import --db " + db_ + " " + file, *tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The practice still sees what it holds; the hospital's records are no longer shared.
  Reply cond = Get(gp, "/fhir/Condition?patient=" + p4);
  ASSERT_EQ(cond.body["total"], 1);
  EXPECT_EQ(cond.body["entry"][0]["resource"]["code"]["coding"][0]["code"], "52448006");
  EXPECT_EQ(Get(gp, "/fhir/Encounter?patient=" + p4).body["total"], 0);
  // A bad objections file names file, line and field, and stores nothing.
  testing::WriteFile(file, "nhs_number\n" + kP1 + "\n1234567890\n");
  r = RunPioneer("objections import --db " + db_ + " " + file, *tmp_);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("objections.csv:3: field nhs_number"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("1234567890"), std::string::npos);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + PatientId(gp, kP1)).body["total"], 3);
}

TEST_F(SharedRecordTest, InjectionThroughSearchParametersFindsNothing) {
  std::string gp = Token("gp_a");
  for (const char* q :
       {"family=%27%20OR%201%3D1%20--", "family=%25", "family=_", "name=%27)%20OR%20(%271",
        "identifier=9999999999%27%20OR%20%271%27%3D%271", "birthdate=1940%27--"}) {
    Reply r = Get(gp, std::string("/fhir/Patient?") + q);
    EXPECT_TRUE(r.status == 200 || r.status == 400) << q;
    if (r.status == 200) {
      EXPECT_EQ(r.body["total"], 0) << q;
    }
  }
  EXPECT_EQ(Get(gp, "/fhir/Patient?family=aard").body["total"], 1);  // case-insensitive prefix
  Reply unknown = Get(gp, "/fhir/Patient?famly=Aardvark");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(Get(gp, "/fhir/Patient?birthdate=ge1940&birthdate=lt1941").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Patient?birthdate=1945-07").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Patient?birthdate=xx1945").status, 400);
  int traversal = Get(gp, "/fhir/Patient/..%2F..%2Fetc%2Fpasswd").status;
  EXPECT_TRUE(traversal == 400 || traversal == 404) << traversal;
  EXPECT_EQ(Get(gp, "/fhir/Patient").status, 400);  // no criteria: no list of everybody
}

TEST_F(SharedRecordTest, OversizedAndMalformedBodies) {
  std::string gp = Token("gp_a");
  Reply big = Post(gp, "/auth/break-glass", std::string(2 << 20, 'x'), "application/json");
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(big.body["resourceType"], "OperationOutcome");
  Reply bad_json = Post(gp, "/auth/break-glass", "{not json", "application/json");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.body["resourceType"], "OperationOutcome");
  Reply bad_type = Post(gp, "/auth/break-glass", "hello", "text/plain");
  EXPECT_EQ(bad_type.status, 415);
  Reply create = Post(gp, "/fhir/Patient", "{}", "application/fhir+json");
  EXPECT_EQ(create.status, 405);
  Reply xml = Get(gp, "/fhir/metadata?_format=xml");
  EXPECT_EQ(xml.status, 406);
  Reply nowhere = Get(gp, "/nowhere");
  EXPECT_EQ(nowhere.status, 404);
  EXPECT_EQ(nowhere.body["resourceType"], "OperationOutcome");
}

// A client that sends part of a request and stalls is cut off after the request timeout,
// and while it stalls the server keeps answering everyone else.
TEST_F(SharedRecordTest, StalledClientIsCutOffAndDoesNotBlockOthers) {
  Server quick(db_, *tmp_ / "stall.log", "--request-timeout 1 --threads 2");
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(quick.port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const std::string partial = "GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ";
  ASSERT_EQ(send(fd, partial.data(), partial.size(), 0), static_cast<ssize_t>(partial.size()));
  // Others are served meanwhile.
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(Get("", "/fhir/metadata", quick.port()).status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(900));
  // The stalled request is never served: after the timeout the server answers it as a bad
  // request (or says nothing) and closes the connection (end of stream or reset).
  timeval tv{8, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string reply;
  char buf[512];
  ssize_t n = 0;
  const auto t1 = std::chrono::steady_clock::now();
  while ((n = recv(fd, buf, sizeof buf, 0)) > 0) reply.append(buf, static_cast<size_t>(n));
  const auto waited = std::chrono::steady_clock::now() - t1;
  EXPECT_LE(n, 0);
  EXPECT_LT(waited, std::chrono::milliseconds(7500)) << "not cut off";
  EXPECT_TRUE(reply.empty() || reply.rfind("HTTP/1.1 400", 0) == 0 ||
              reply.rfind("HTTP/1.1 408", 0) == 0)
      << reply;
  close(fd);
  EXPECT_EQ(Get("", "/fhir/metadata", quick.port()).status, 200);
  EXPECT_EQ(quick.Stop(), 0);
}

// A client that trickles a request a byte at a time, each byte well inside the per-read
// timeout, is cut off once the whole request has taken longer than the request timeout; a
// client that keeps one connection alive and sends whole requests more slowly than that is
// not.
TEST_F(SharedRecordTest, TricklingClientIsCutOffAtTheWholeRequestDeadline) {
  Server quick(db_, *tmp_ / "trickle.log", "--request-timeout 1 --threads 2");
  auto connect_to = [&](int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  };
  const int trickler = connect_to(quick.port());
  const std::string request =
      "GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: "
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n";
  const auto t0 = std::chrono::steady_clock::now();
  size_t sent = 0;
  bool cut = false;
  while (sent < request.size()) {
    if (send(trickler, request.data() + sent, 1, MSG_NOSIGNAL) != 1) {
      cut = true;
      break;
    }
    ++sent;
    std::this_thread::sleep_for(std::chrono::milliseconds(300));  // each read: 0.3 s < 1 s
    pollfd p{trickler, POLLIN, 0};
    if (poll(&p, 1, 0) == 1) {  // the server closed (end of stream) or answered
      char c;
      if (recv(trickler, &c, 1, MSG_DONTWAIT) <= 0) {
        cut = true;
        break;
      }
    }
  }
  const auto took = std::chrono::steady_clock::now() - t0;
  EXPECT_TRUE(cut) << "the trickled request was read whole (" << sent << " bytes)";
  EXPECT_LT(took, std::chrono::milliseconds(4000));
  EXPECT_LT(sent, request.size());
  close(trickler);

  // One kept-alive connection, a whole request every 0.7 s for 2.8 s: all answered on it.
  const int steady = connect_to(quick.port());
  timeval tv{5, 0};
  setsockopt(steady, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string whole = "GET /fhir/metadata HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(send(steady, whole.data(), whole.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(whole.size()))
        << "request " << i;
    // Read the head and the Content-Length body of this response.
    std::string reply;
    char buf[4096];
    size_t need = std::string::npos;
    while (need == std::string::npos || reply.size() < need) {
      const ssize_t n = recv(steady, buf, sizeof buf, 0);
      ASSERT_GT(n, 0) << "connection closed before response " << i;
      reply.append(buf, static_cast<size_t>(n));
      const size_t head_end = reply.find("\r\n\r\n");
      if (need == std::string::npos && head_end != std::string::npos) {
        const size_t at = reply.find("Content-Length: ");
        ASSERT_NE(at, std::string::npos);
        need = head_end + 4 + std::stoul(reply.substr(at + 16));
      }
    }
    EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << "response " << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
  }
  close(steady);
  EXPECT_EQ(quick.Stop(), 0);
}

TEST_F(SharedRecordTest, RevokedTokenIsRefused) {
  std::string gp = SignIn("gp_a");
  EXPECT_EQ(Get(gp, SearchByNhs(kP1)).status, 200);
  auto c = Client();
  auto res = c.Post("/auth/revoke", httplib::Params{{"token", gp}});
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(Get(gp, SearchByNhs(kP1)).status, 401);
}

TEST_F(SharedRecordTest, LockoutAfterRepeatedFailures) {
  auto c = Client();
  for (int i = 0; i < 5; ++i) {
    c.Post("/auth/token", httplib::Params{{"grant_type", "password"},
                                          {"username", "locky"},
                                          {"password", "not the password"}});
  }
  EXPECT_TRUE(SignIn("locky").empty());  // right password, but locked
  auto list = RunPioneer("users list --db " + db_, *tmp_);
  EXPECT_NE(list.out.find("locked"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(kP5), std::string::npos);  // never NHS Numbers
}

TEST_F(SharedRecordTest, ExpiredTokenIsRefusedAndRateLimitApplies) {
  Server short_lived(db_, *tmp_ / "short.log", "--token-ttl 1 --rate-limit 5");
  std::string gp = SignIn("gp_a", "", short_lived.port());
  ASSERT_FALSE(gp.empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(Get(gp, SearchByNhs(kP1), short_lived.port()).status, 401);
  int throttled = 0;
  for (int i = 0; i < 30; ++i)
    throttled += Get("", "/fhir/metadata", short_lived.port()).status == 429;
  EXPECT_GT(throttled, 0);
  EXPECT_EQ(short_lived.Stop(), 0);
}

TEST_F(SharedRecordTest, DisabledUserTokensStopWorking) {
  std::string t = SignIn("gp_b");
  ASSERT_FALSE(t.empty());
  auto r = RunPioneer("users disable --db " + db_ + " --username gp_b", *tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Get(t, SearchByNhs(kP2)).status, 401);
  EXPECT_TRUE(SignIn("gp_b").empty());
}

// The server keeps a resolved token for at most ig::kTokenCacheMaxAge (1 s, docs/security.md).
// A token in use (so cached) and revoked through the server is refused on the next request;
// one whose user is disabled from the command line (another process, which the cache cannot
// hear) is refused once the bound has passed.
TEST_F(SharedRecordTest, CachedTokensFollowRevocationAndDisabling) {
  std::string gp = SignIn("gp_a");
  ASSERT_EQ(Get(gp, SearchByNhs(kP1)).status, 200);
  ASSERT_EQ(Get(gp, SearchByNhs(kP1)).status, 200);  // answered from the cache
  auto c = Client();
  auto res = c.Post("/auth/revoke", httplib::Params{{"token", gp}});
  ASSERT_TRUE(res);
  EXPECT_EQ(Get(gp, SearchByNhs(kP1)).status, 401);
  EXPECT_EQ(Get(gp, SearchByNhs(kP1)).status, 401);

  AddUser("gp_cached", "gp", "B86001", "", "");
  std::string t = SignIn("gp_cached");
  ASSERT_EQ(Get(t, SearchByNhs(kP1)).status, 200);
  ASSERT_EQ(Get(t, SearchByNhs(kP1)).status, 200);
  auto r = RunPioneer("users disable --db " + db_ + " --username gp_cached", *tmp_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the cache's bound
  EXPECT_EQ(Get(t, SearchByNhs(kP1)).status, 401);
}

TEST_F(SharedRecordTest, CarePlanCreateConditionalCreateAndVersionedUpdate) {
  const std::string gp = WriteToken("gp_a");
  ASSERT_FALSE(gp.empty());
  const std::string p1 = PatientId(gp, kP1);
  ASSERT_FALSE(p1.empty());
  const std::string fhir_json = "application/fhir+json";
  const std::string ident = "identifier=https%3A%2F%2Fgp.example.org%2Fcare-plans%7CP1-2024";
  json body = PlanBody(p1, "P1-2024");
  Reply created =
      Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json, {{"If-None-Exist", ident}});
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["id"];
  EXPECT_EQ(Header(created, "ETag"), "W/\"1\"");
  EXPECT_NE(Header(created, "Location").find("/fhir/CarePlan/" + id + "/_history/1"),
            std::string::npos);
  EXPECT_NE(Header(created, "Last-Modified").find(" GMT"), std::string::npos);
  EXPECT_EQ(created.body["meta"]["versionId"], "1");
  EXPECT_EQ(created.body["subject"]["reference"], "Patient/" + p1);
  EXPECT_EQ(created.body["identifier"][0]["value"], "P1-2024");
  EXPECT_EQ(created.body["description"], "Falls prevention");
  EXPECT_EQ(created.body["contained"][0]["managingOrganization"].size(), 2u);
  // The same conditional create again finds it: 200, nothing new.
  Reply again =
      Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json, {{"If-None-Exist", ident}});
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["id"], id);
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json,
                 {{"If-None-Exist", "identifier=P1-2024"}})
                .body["id"],
            id);  // any system
  EXPECT_EQ(Get(gp, "/fhir/CarePlan?patient=" + p1).body["total"], 2);
  // Without the condition, a second plan with the same identifier is a conflict.
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json).status, 409);
  // The same value under another system is another plan; now "any system" matches two.
  json other = PlanBody(p1, "P1-2024");
  other["identifier"][0]["system"] = "https://trust.example.org/plans";
  ASSERT_EQ(Send("POST", gp, "/fhir/CarePlan", other.dump(), fhir_json).status, 201);
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json,
                 {{"If-None-Exist", "identifier=P1-2024"}})
                .status,
            412);
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json,
                 {{"If-None-Exist", "status=active"}})
                .status,
            400);
  // It is in the register, recorded by the user, as version 1.
  auto list = RunPioneer(
      "careplan list --db " + db_ + " --history " + id.substr(3) + " --format csv", *tmp_);
  ASSERT_EQ(list.exit_code, 0) << list.err;
  EXPECT_NE(list.out.find(",1,created," + kP1 + ",active,"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("\"gp_a\""), std::string::npos) << list.out;

  // Update: If-Match is required, must be current, and makes version 2.
  Reply read = Get(gp, "/fhir/CarePlan/" + id);
  ASSERT_EQ(read.status, 200);
  json changed = read.body;
  changed["description"] = "Falls prevention; home adaptations";
  changed["note"] = json::array({{{"text", "Review due 2024-07-01"}}});
  EXPECT_EQ(Send("PUT", gp, "/fhir/CarePlan/" + id, changed.dump(), fhir_json).status, 428);
  Reply updated = Send("PUT", gp, "/fhir/CarePlan/" + id, changed.dump(), fhir_json,
                       {{"If-Match", Header(read, "ETag")}});
  ASSERT_EQ(updated.status, 200) << updated.raw;
  EXPECT_EQ(Header(updated, "ETag"), "W/\"2\"");
  EXPECT_EQ(updated.body["meta"]["versionId"], "2");
  EXPECT_EQ(updated.body["note"][0]["text"], "Review due 2024-07-01");
  EXPECT_EQ(updated.body["identifier"][0]["value"], "P1-2024");  // kept
  Reply stale =
      Send("PUT", gp, "/fhir/CarePlan/" + id, changed.dump(), fhir_json, {{"If-Match", "W/\"1\""}});
  EXPECT_EQ(stale.status, 412);
  EXPECT_EQ(Get(gp, "/fhir/CarePlan/" + id).body["description"],
            "Falls prevention; home adaptations");
  // Closing it through the API: completed with an end date.
  changed["status"] = "completed";
  changed["period"]["end"] = "2024-06-30";
  Reply closed =
      Send("PUT", gp, "/fhir/CarePlan/" + id, changed.dump(), fhir_json, {{"If-Match", "W/\"2\""}});
  ASSERT_EQ(closed.status, 200) << closed.raw;
  EXPECT_EQ(closed.body["status"], "completed");
  list = RunPioneer("careplan list --db " + db_ + " --history " + id.substr(3) + " --format csv",
                    *tmp_);
  EXPECT_NE(list.out.find(",3,updated," + kP1 + ",completed,"), std::string::npos) << list.out;

  // Every write is audited as a create or an update, with what was written.
  Reply audit = Get(Token("ig"), "/fhir/AuditEvent?agent=gp_a&_count=200");
  int creates = 0, updates = 0;
  for (const auto& e : audit.body["entry"]) {
    const json& r = e["resource"];
    const std::string what = r["entity"][0].value("description", "");
    if (r["subtype"][0]["code"] == "CarePlan.create" && r["action"] == "C" &&
        what == "wrote:CarePlan/" + id + "/_history/1") {
      ++creates;
    }
    if (r["subtype"][0]["code"] == "CarePlan.update" && r["action"] == "U" &&
        what.find("wrote:CarePlan/" + id + "/_history/2") != std::string::npos) {
      ++updates;
    }
  }
  EXPECT_EQ(creates, 1);
  EXPECT_EQ(updates, 1);
}

TEST_F(SharedRecordTest, CarePlanWritesRefuseBadBodiesNamingTheField) {
  const std::string gp = WriteToken("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  const std::string fhir_json = "application/fhir+json";
  json body = PlanBody(p1, "");
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", body.dump(), "text/plain").status, 415);
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", "a=b", "application/x-www-form-urlencoded").status,
            415);
  Reply bad_json = Send("POST", gp, "/fhir/CarePlan", "{\"resourceType\": ", fhir_json);
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.body["resourceType"], "OperationOutcome");
  EXPECT_EQ(
      Send("POST", gp, "/fhir/CarePlan", json({{"resourceType", "Patient"}}).dump(), fhir_json)
          .status,
      400);
  // Regression (found by fuzz_fhir_resource): a resourceType that is not a string was a 500;
  // a careTeam reference that is not a string too.
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", "{\"resourceType\":4472}", fhir_json).status, 400);
  json odd_team = body;
  odd_team["careTeam"] = json::array({{{"reference", 7}}});
  EXPECT_EQ(Send("POST", gp, "/fhir/CarePlan", odd_team.dump(), fhir_json).status, 422);
  json bad = body;
  bad["period"] = {{"start", "2024-01-10"}, {"end", "2023-01-01"}};
  bad["activity"] = json::array({{{"detail", {{"status", "scheduled"}}}}});
  Reply invalid = Send("POST", gp, "/fhir/CarePlan", bad.dump(), fhir_json);
  ASSERT_EQ(invalid.status, 422) << invalid.raw;
  ASSERT_GE(invalid.body["issue"].size(), 1u);
  EXPECT_EQ(invalid.body["issue"][0]["expression"][0], "CarePlan.activity");
  bad.erase("activity");
  invalid = Send("POST", gp, "/fhir/CarePlan", bad.dump(), fhir_json);
  ASSERT_EQ(invalid.status, 422) << invalid.raw;
  EXPECT_EQ(invalid.body["issue"][0]["expression"][0], "CarePlan.period.end");
  // Update: the id must be there and match the URL.
  Reply created = Send("POST", gp, "/fhir/CarePlan", body.dump(), fhir_json);
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["id"];
  json put = created.body;
  put.erase("id");
  EXPECT_EQ(
      Send("PUT", gp, "/fhir/CarePlan/" + id, put.dump(), fhir_json, {{"If-Match", "W/\"1\""}})
          .status,
      400);
  put["id"] = "cp-999999";
  EXPECT_EQ(
      Send("PUT", gp, "/fhir/CarePlan/" + id, put.dump(), fhir_json, {{"If-Match", "W/\"1\""}})
          .status,
      400);
  put["id"] = id;
  put["subject"]["reference"] = "Patient/" + PatientId(gp, kP4);  // another person
  Reply moved =
      Send("PUT", gp, "/fhir/CarePlan/" + id, put.dump(), fhir_json, {{"If-Match", "W/\"1\""}});
  EXPECT_EQ(moved.status, 422);
  EXPECT_EQ(moved.body["issue"][0]["expression"][0], "CarePlan.subject");
  // Updating a plan that does not exist is not a create.
  put["id"] = "cp-999999";
  put["subject"]["reference"] = "Patient/" + p1;
  EXPECT_EQ(
      Send("PUT", gp, "/fhir/CarePlan/cp-999999", put.dump(), fhir_json, {{"If-Match", "W/\"1\""}})
          .status,
      404);
}

TEST_F(SharedRecordTest, CarePlanWritesGoThroughTheGate) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = WriteToken("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  json body = PlanBody(p1, "");
  // Roles that never write care plans cannot even ask for the scope, and their tokens are
  // refused; a read-only token is refused too.
  EXPECT_TRUE(SignIn("analyst", "user/CarePlan.write").empty());
  EXPECT_TRUE(SignIn("eric", "patient/CarePlan.write").empty());
  for (const char* user : {"analyst", "ig", "eric", "gp_a"}) {
    Reply r = Send("POST", Token(user), "/fhir/CarePlan", body.dump(), fhir_json);
    EXPECT_EQ(r.status, 403) << user;
    EXPECT_EQ(r.body["issue"][0]["code"], "forbidden") << user;
  }
  // No relationship with P2: the same 403 as for a Patient id or NHS Number nobody holds.
  const std::string nurse = WriteToken("nurse_n");  // P2 is on the north team's caseload
  const std::string p2 = PatientId(nurse, kP2);
  ASSERT_FALSE(p2.empty());
  Reply unrelated = Send("POST", gp, "/fhir/CarePlan", PlanBody(p2, "").dump(), fhir_json);
  Reply unknown = Send("POST", gp, "/fhir/CarePlan", PlanBody("99999", "").dump(), fhir_json);
  json by_number = PlanBody(p1, "");
  by_number["subject"] = {
      {"identifier", {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kAbsent}}}};
  Reply absent = Send("POST", gp, "/fhir/CarePlan", by_number.dump(), fhir_json);
  EXPECT_EQ(unrelated.status, 403);
  EXPECT_EQ(unrelated.raw, unknown.raw);
  EXPECT_EQ(unrelated.raw, absent.raw);
  // The nurse's team may write for P2, by NHS Number too. (The plan involves the community
  // trust and P2's practice, not gp_a's: a plan naming B86001 would make it a care team.)
  by_number["subject"]["identifier"]["value"] = kP2;
  by_number["contained"][0].erase("participant");
  by_number["contained"][0]["managingOrganization"][0]["identifier"]["value"] = "ZC1";
  by_number["contained"][0]["managingOrganization"][1]["identifier"]["value"] = "B86002";
  Reply nurse_plan = Send("POST", nurse, "/fhir/CarePlan", by_number.dump(), fhir_json);
  ASSERT_EQ(nurse_plan.status, 201) << nurse_plan.raw;
  EXPECT_EQ(nurse_plan.body["subject"]["reference"], "Patient/" + p2);
  // Updating a plan of a person without a relationship: 404, as for a plan nobody holds.
  const std::string nurse_id = nurse_plan.body["id"];
  json put = nurse_plan.body;
  Reply theirs = Send("PUT", gp, "/fhir/CarePlan/" + nurse_id, put.dump(), fhir_json,
                      {{"If-Match", "W/\"1\""}});
  EXPECT_EQ(theirs.status, 404);
  // Break-glass lets a clinician read in an emergency, not change the record.
  json glass = {{"nhs_number", kP2}, {"reason", "Unconscious in A&E, plan needed urgently"}};
  Reply bg = Post(gp, "/auth/break-glass", glass.dump(), "application/json");
  ASSERT_EQ(bg.status, 200) << bg.raw;
  const std::string emergency = bg.body["access_token"];
  EXPECT_EQ(Get(emergency, "/fhir/CarePlan/" + nurse_id).status, 200);
  EXPECT_EQ(Send("POST", emergency, "/fhir/CarePlan", PlanBody(p2, "").dump(), fhir_json).status,
            403);
  EXPECT_EQ(Send("PUT", emergency, "/fhir/CarePlan/" + nurse_id, put.dump(), fhir_json,
                 {{"If-Match", "W/\"1\""}})
                .status,
            404);
}

TEST_F(SharedRecordTest, CarePlanVreadAndHistoryComeFromTheRegister) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = WriteToken("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  Reply created = Send("POST", gp, "/fhir/CarePlan", PlanBody(p1, "").dump(), fhir_json);
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["id"];
  json v2 = created.body;
  v2["status"] = "on-hold";
  ASSERT_EQ(Send("PUT", gp, "/fhir/CarePlan/" + id, v2.dump(), fhir_json, {{"If-Match", "W/\"1\""}})
                .status,
            200);
  Reply first = Get(gp, "/fhir/CarePlan/" + id + "/_history/1");
  ASSERT_EQ(first.status, 200) << first.raw;
  EXPECT_EQ(Header(first, "ETag"), "W/\"1\"");
  EXPECT_EQ(first.body["status"], "active");
  EXPECT_EQ(first.body["meta"]["versionId"], "1");
  Reply second = Get(gp, "/fhir/CarePlan/" + id + "/_history/2");
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(Header(second, "ETag"), "W/\"2\"");
  EXPECT_EQ(second.body["status"], "on-hold");
  EXPECT_EQ(Get(gp, "/fhir/CarePlan/" + id + "/_history/3").status, 404);
  Reply history = Get(gp, "/fhir/CarePlan/" + id + "/_history");
  ASSERT_EQ(history.status, 200) << history.raw;
  EXPECT_EQ(history.body["type"], "history");
  EXPECT_EQ(history.body["total"], 2);
  ASSERT_EQ(history.body["entry"].size(), 2u);
  EXPECT_EQ(history.body["entry"][0]["resource"]["meta"]["versionId"], "2");  // newest first
  EXPECT_EQ(history.body["entry"][0]["request"]["method"], "PUT");
  EXPECT_EQ(history.body["entry"][1]["request"]["method"], "POST");
  EXPECT_EQ(history.body["entry"][1]["response"]["etag"], "W/\"1\"");
  // A plan made with the command line has a history too (version 1, "created").
  Reply cli_plan = Get(gp, "/fhir/CarePlan/cp-1/_history");
  ASSERT_EQ(cli_plan.status, 200) << cli_plan.raw;
  EXPECT_GE(cli_plan.body["total"].get<int>(), 1);
  // Without a relationship the history is as absent as a plan nobody holds.
  const std::string nurse = Token("nurse_n");
  Reply hidden = Get(nurse, "/fhir/CarePlan/" + id + "/_history");
  Reply nobody = Get(nurse, "/fhir/CarePlan/cp-999999/_history");
  EXPECT_EQ(hidden.status, 404);
  EXPECT_EQ(nobody.status, 404);
  EXPECT_EQ(Get(nurse, "/fhir/CarePlan/" + id + "/_history/1").status, 404);
  EXPECT_EQ(Get(Token("analyst"), "/fhir/CarePlan/" + id + "/_history").status, 403);
  // Audited like reads.
  Reply audit = Get(Token("ig"), "/fhir/AuditEvent?agent=gp_a&_count=200");
  int vreads = 0, histories = 0;
  for (const auto& e : audit.body["entry"]) {
    const std::string code = e["resource"]["subtype"][0]["code"];
    vreads += code == "CarePlan.vread";
    histories += code == "CarePlan.history";
  }
  EXPECT_EQ(vreads, 3);
  EXPECT_EQ(histories, 2);
}

TEST_F(SharedRecordTest, ConsentDenyRecordsAnObjectionAndPermitLiftsIt) {
  const std::string fhir_json = "application/fhir+json";
  auto consent = [](const std::string& patient_id, const std::string& status,
                    const std::string& type) {
    json c = {
        {"resourceType", "Consent"},
        {"status", status},
        {"scope",
         {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
                                   {"code", "patient-privacy"}}})}}},
        {"category",
         json::array(
             {{{"coding", json::array({{{"system", "http://loinc.org"}, {"code", "59284-0"}}})}}})},
        {"patient", {{"reference", "Patient/" + patient_id}}},
        {"dateTime", "2024-03-01"}};
    if (!type.empty()) c["provision"] = {{"type", type}};
    return c;
  };
  const std::string gp = SignIn("gp_a", "user/*.read user/Consent.write");
  ASSERT_FALSE(gp.empty());
  const std::string p1 = PatientId(gp, kP1);
  const std::string sw = Token("sw");  // the council is on P1's joint care plan (R4)
  ASSERT_EQ(Get(sw, "/fhir/Condition?patient=" + p1).body["total"], 3);
  // The GP records P1's objection.
  Reply deny = Send("POST", gp, "/fhir/Consent", consent(p1, "active", "deny").dump(), fhir_json);
  ASSERT_EQ(deny.status, 201) << deny.raw;
  const std::string id = deny.body["id"];
  EXPECT_EQ(deny.body["provision"]["type"], "deny");
  EXPECT_EQ(deny.body["dateTime"], "2024-03-01");
  EXPECT_EQ(
      Send("POST", gp, "/fhir/Consent", consent(p1, "active", "deny").dump(), fhir_json).status,
      200);  // already recorded
  // The council no longer sees the hospital's and the practice's records; the practice
  // still sees what it holds (the GP's coded diabetes), not the hospital's diagnoses.
  EXPECT_EQ(Get(sw, "/fhir/Condition?patient=" + p1).body["total"], 0);
  EXPECT_EQ(Get(sw, "/fhir/Encounter?patient=" + p1).body["total"], 0);
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + p1).body["total"], 1);
  // The IG officer sees the Consent (and no records); so does the GP; a user without a
  // relationship does not.
  const std::string ig = Token("ig");
  Reply ig_search = Get(ig, "/fhir/Consent?patient=" + p1);
  ASSERT_EQ(ig_search.status, 200) << ig_search.raw;
  ASSERT_EQ(ig_search.body["total"], 1);
  EXPECT_EQ(ig_search.body["entry"][0]["resource"]["id"], id);
  EXPECT_EQ(Get(ig, "/fhir/Consent/" + id).status, 200);
  EXPECT_EQ(Get(ig, "/fhir/Condition?patient=" + p1).status, 403);
  EXPECT_EQ(Get(gp, "/fhir/Consent/" + id).status, 200);
  EXPECT_EQ(Get(Token("nurse_n"), "/fhir/Consent/" + id).status, 404);
  // An objection imported with `pioneer objections import` is the same Consent (P4's; the
  // import is idempotent, so this holds whether or not the objection test ran first).
  std::string file = *tmp_ / "objection_p4.csv";
  testing::WriteFile(file, "nhs_number\n" + kP4 + "\n");
  auto imported = RunPioneer("objections import --db " + db_ + " " + file, *tmp_);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  Reply p4 = Get(ig, "/fhir/Consent?patient=" + PatientId(gp, kP4));
  EXPECT_EQ(p4.body["total"], 1);
  // A patient records and withdraws their own objection, and no one else's.
  const std::string eric = SignIn("eric", "patient/*.read patient/Consent.write");
  ASSERT_FALSE(eric.empty());
  Reply own = Get(eric, "/fhir/Patient?family=Egret");
  ASSERT_EQ(own.body["total"], 1);
  const std::string p5 = own.body["entry"][0]["resource"]["id"];
  EXPECT_EQ(
      Send("POST", eric, "/fhir/Consent", consent(p5, "active", "deny").dump(), fhir_json).status,
      201);
  EXPECT_EQ(Get(eric, "/fhir/Consent?patient=" + p5).body["total"], 1);
  EXPECT_EQ(
      Send("POST", eric, "/fhir/Consent", consent(p1, "active", "deny").dump(), fhir_json).status,
      403);
  Reply withdrawn =
      Send("POST", eric, "/fhir/Consent", consent(p5, "inactive", "").dump(), fhir_json);
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.raw;
  EXPECT_EQ(withdrawn.body["status"], "inactive");
  EXPECT_EQ(Get(ig, "/fhir/Consent?patient=" + p5).body["total"], 0);
  // Roles that never write Consents, and tokens without the write scope, are refused.
  for (const char* user : {"analyst", "ig"}) {
    EXPECT_EQ(
        Send("POST", Token(user), "/fhir/Consent", consent(p1, "active", "deny").dump(), fhir_json)
            .status,
        403)
        << user;
  }
  EXPECT_EQ(
      Send("POST", Token("gp_a"), "/fhir/Consent", consent(p1, "active", "deny").dump(), fhir_json)
          .status,
      403);
  // Bad bodies name the element.
  json bad = consent(p1, "proposed", "deny");
  bad["provision"]["period"] = {{"start", "2024-01-01"}};
  Reply invalid = Send("POST", gp, "/fhir/Consent", bad.dump(), fhir_json);
  ASSERT_EQ(invalid.status, 422) << invalid.raw;
  EXPECT_EQ(invalid.body["issue"][0]["expression"][0], "Consent.status");
  EXPECT_EQ(invalid.body["issue"][1]["expression"][0], "Consent.provision.period");
  // The GP lifts P1's objection with a permit provision: shared again.
  Reply permit =
      Send("POST", gp, "/fhir/Consent", consent(p1, "active", "permit").dump(), fhir_json);
  ASSERT_EQ(permit.status, 200) << permit.raw;
  EXPECT_EQ(Get(sw, "/fhir/Condition?patient=" + p1).body["total"], 3);
  EXPECT_EQ(Get(ig, "/fhir/Consent/" + id).status, 410);  // lifted: its versions remain
  EXPECT_EQ(Get(Token("nurse_n"), "/fhir/Consent/" + id).status, 404);
  // Audited: who recorded and lifted what.
  Reply audit = Get(ig, "/fhir/AuditEvent?agent=eric&_count=200");
  int recorded = 0, lifted = 0;
  for (const auto& e : audit.body["entry"]) {
    const json& r = e["resource"];
    if (r["subtype"][0]["code"] != "Consent.create" || r["action"] != "C") continue;
    const std::string what = r["entity"][0].value("description", "");
    recorded += what.find("wrote:Consent/objection-" + p5 + " deny") != std::string::npos;
    lifted += what.find("wrote:Consent/objection-" + p5 + " lifted") != std::string::npos;
  }
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(lifted, 1);
}

TEST_F(SharedRecordTest, ConsentIsVersionedWithHistoryVreadAndUpdate) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = SignIn("gp_a", "user/*.read user/Consent.write");
  ASSERT_FALSE(gp.empty());
  const std::string p1 = PatientId(gp, kP1);
  auto consent = [&](const std::string& type) {
    return json{
        {"resourceType", "Consent"},
        {"id", "objection-" + p1},
        {"status", "active"},
        {"scope",
         {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
                                   {"code", "patient-privacy"}}})}}},
        {"patient", {{"reference", "Patient/" + p1}}},
        {"dateTime", "2025-02-01"},
        {"provision", {{"type", type}}}}
        .dump();
  };
  const std::string id = "objection-" + p1;
  const std::string url = "/fhir/Consent/" + id;
  // Start from a standing objection (recorded now, or already).
  Reply deny = Send("POST", gp, "/fhir/Consent", consent("deny"), fhir_json);
  ASSERT_TRUE(deny.status == 201 || deny.status == 200) << deny.raw;
  Reply read = Get(gp, url);
  ASSERT_EQ(read.status, 200) << read.raw;
  const int v0 = std::stoi(read.body["meta"]["versionId"].get<std::string>());
  EXPECT_EQ(Header(read, "ETag"), "W/\"" + std::to_string(v0) + "\"");
  // Updates need the current version.
  EXPECT_EQ(Send("PUT", gp, url, consent("permit"), fhir_json).status, 428);
  EXPECT_EQ(Send("PUT", gp, url, consent("permit"), fhir_json,
                 {{"If-Match", "W/\"" + std::to_string(v0 + 7) + "\""}})
                .status,
            412);
  EXPECT_EQ(Get(gp, url).status, 200);  // nothing changed
  // Lift, record again, lift: three versions.
  const char* steps[] = {"permit", "deny", "permit"};
  for (int k = 0; k < 3; ++k) {
    Reply put = Send("PUT", gp, url, consent(steps[k]), fhir_json,
                     {{"If-Match", "W/\"" + std::to_string(v0 + k) + "\""}});
    ASSERT_EQ(put.status, 200) << k << put.raw;
    EXPECT_EQ(Header(put, "ETag"), "W/\"" + std::to_string(v0 + k + 1) + "\"");
    EXPECT_EQ(put.body["status"], k == 1 ? "active" : "inactive");
  }
  EXPECT_EQ(Get(gp, url).status, 410);
  // History, newest first, and each version by vread.
  Reply history = Get(gp, url + "/_history");
  ASSERT_EQ(history.status, 200) << history.raw;
  EXPECT_EQ(history.body["type"], "history");
  ASSERT_EQ(history.body["total"], v0 + 3);
  EXPECT_EQ(history.body["entry"][0]["resource"]["meta"]["versionId"], std::to_string(v0 + 3));
  EXPECT_EQ(history.body["entry"][0]["resource"]["status"], "inactive");
  EXPECT_EQ(history.body["entry"][1]["resource"]["status"], "active");
  Reply v1 = Get(gp, url + "/_history/" + std::to_string(v0 + 2));
  ASSERT_EQ(v1.status, 200);
  EXPECT_EQ(v1.body["status"], "active");
  EXPECT_EQ(Header(v1, "ETag"), "W/\"" + std::to_string(v0 + 2) + "\"");
  EXPECT_EQ(Get(gp, url + "/_history/99").status, 404);
  // The IG officer reads the history; a user without a relationship finds nothing, and
  // cannot update it either.
  EXPECT_EQ(Get(Token("ig"), url + "/_history").body["total"], v0 + 3);
  EXPECT_EQ(Get(Token("nurse_n"), url + "/_history").status, 404);
  const std::string stranger = SignIn("gp_c", "user/*.read user/Consent.write");
  EXPECT_EQ(Send("PUT", stranger, url, consent("deny"), fhir_json,
                 {{"If-Match", "W/\"" + std::to_string(v0 + 3) + "\""}})
                .status,
            404);
  // The id in the URL and the body's patient must agree.
  json other = json::parse(consent("deny"));
  other["id"] = "objection-999";
  EXPECT_EQ(Send("PUT", gp, url, other.dump(), fhir_json,
                 {{"If-Match", "W/\"" + std::to_string(v0 + 3) + "\""}})
                .status,
            400);
  // Updates are audited as updates.
  int updates = 0;
  for (const json& e : AuditOf("gp_a")) {
    if (e["subtype"][0]["code"] == "Consent.update" && e["action"] == "U") ++updates;
  }
  EXPECT_GE(updates, 3);
}

TEST_F(SharedRecordTest, IncludeAndRevincludeJoinCarePlansAndTheirPatient) {
  const std::string gp = Token("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  Reply plans = Get(gp, "/fhir/CarePlan?patient=" + p1 + "&_include=CarePlan:subject");
  ASSERT_EQ(plans.status, 200) << plans.raw;
  const int total = plans.body["total"];
  ASSERT_GE(total, 1);
  ASSERT_EQ(plans.body["entry"].size(), static_cast<size_t>(total) + 1);
  const json& last = plans.body["entry"][total];
  EXPECT_EQ(last["search"]["mode"], "include");
  EXPECT_EQ(last["resource"]["resourceType"], "Patient");
  EXPECT_EQ(last["resource"]["id"], p1);
  Reply people = Get(gp, SearchByNhs(kP1) + "&_revinclude=CarePlan:subject");
  ASSERT_EQ(people.status, 200) << people.raw;
  EXPECT_EQ(people.body["total"], 1);
  ASSERT_EQ(people.body["entry"].size(), static_cast<size_t>(total) + 1);
  EXPECT_EQ(people.body["entry"][1]["resource"]["resourceType"], "CarePlan");
  EXPECT_EQ(people.body["entry"][1]["search"]["mode"], "include");
  // Nothing is joined for someone the user may not see, and unsupported joins are refused.
  const std::string p3 = PatientId(Token("sw"), kP3);
  Reply hidden = Get(gp, "/fhir/CarePlan?patient=" + p3 + "&_include=CarePlan:subject");
  EXPECT_EQ(hidden.body["total"], 0);
  EXPECT_TRUE(hidden.body["entry"].empty());
  EXPECT_EQ(Get(gp, "/fhir/Encounter?patient=" + p1 + "&_include=Encounter:subject").status, 400);
  EXPECT_EQ(Get(gp, "/fhir/CarePlan?patient=" + p1 + "&_include=CarePlan:care-team").status, 400);
}

TEST_F(SharedRecordTest, FhirKitClientWorksUnmodified) {
  std::string modules = testing::SourceDir() + "/web/node_modules";
  if (!std::filesystem::exists(modules + "/fhir-kit-client")) {
    GTEST_SKIP() << modules << "/fhir-kit-client is missing: run scripts/install-deps.sh";
  }
  std::string gp = Token("gp_a");
  std::string cmd = "node " + testing::SourceDir() + "/tests/fhir/fhirkit_check.mjs " + modules +
                    " http://127.0.0.1:" + std::to_string(server_->port()) + "/fhir " + gp + " " +
                    kP1 + " Aardvark " + WriteToken("gp_a") + " 2>&1";
  ExpectNodeCheckPasses(cmd);
}

// The SMART on FHIR JavaScript client, unmodified (tests/fhir/fhirclient_check.cjs). It lives
// in tests/fhir/fhirclient/ with its own node_modules (scripts/install-deps.sh installs it).
TEST_F(SharedRecordTest, FhirclientWorksUnmodified) {
  std::string modules = testing::SourceDir() + "/tests/fhir/fhirclient/node_modules";
  if (!std::filesystem::exists(modules + "/fhirclient")) {
    GTEST_SKIP() << modules << "/fhirclient is missing: run scripts/install-deps.sh";
  }
  std::string gp = Token("gp_a");
  std::string cmd = "node " + testing::SourceDir() + "/tests/fhir/fhirclient_check.cjs " + modules +
                    " http://127.0.0.1:" + std::to_string(server_->port()) + "/fhir " + gp + " " +
                    kP1 + " Aardvark 3 " + WriteToken("gp_a") + " 2>&1";
  ExpectNodeCheckPasses(cmd);
}

// A CareTeam is written through its plan: PUT changes the team (a new plan version) and
// nothing else; elements derived from the plan must be as read; the gate, If-Match and the
// register's validation apply as for a CarePlan update.
TEST_F(SharedRecordTest, CareTeamUpdateChangesThePlansTeamOnly) {
  const std::string fhir_json = "application/fhir+json";
  std::string gp = WriteToken("gp_c");  // gp_b is disabled by an earlier test
  ASSERT_FALSE(gp.empty());
  std::string id = PatientId(gp, kP3);
  Reply teams = Get(gp, "/fhir/CareTeam?patient=" + id);
  ASSERT_EQ(teams.body["total"], 1) << teams.raw;
  json team = teams.body["entry"][0]["resource"];
  const std::string path = "/fhir/CareTeam/" + team["id"].get<std::string>();
  const std::string version = team["meta"]["versionId"];
  const std::string plan_path = "/fhir/CarePlan/cp-" + team["id"].get<std::string>().substr(3);
  json plan_before = Get(gp, plan_path).body;
  json changed = team;
  ASSERT_EQ(changed["participant"].size(), 2u);
  changed["participant"][1]["member"]["display"] = "CM-3";
  httplib::Headers if_match = {{"If-Match", "W/\"" + version + "\""}};
  EXPECT_EQ(Send("PUT", gp, path, changed.dump(), fhir_json).status, 428);
  // Another practice's GP: no relationship with P3, so the team does not exist for them.
  EXPECT_EQ(Send("PUT", WriteToken("gp_a"), path, changed.dump(), fhir_json, if_match).status, 404);
  json moved = changed;
  moved["period"]["start"] = "2019-01-01";
  Reply derived = Send("PUT", gp, path, moved.dump(), fhir_json, if_match);
  EXPECT_EQ(derived.status, 422) << derived.raw;
  EXPECT_NE(derived.raw.find("CareTeam.period"), std::string::npos) << derived.raw;
  json extra = changed;
  extra["note"] = json::array({{{"text", "x"}}});
  EXPECT_EQ(Send("PUT", gp, path, extra.dump(), fhir_json, if_match).status, 422);
  json no_org = changed;
  no_org["managingOrganization"] = json::array();
  Reply invalid = Send("PUT", gp, path, no_org.dump(), fhir_json, if_match);
  EXPECT_EQ(invalid.status, 422) << invalid.raw;
  EXPECT_NE(invalid.raw.find("CareTeam.managingOrganization"), std::string::npos) << invalid.raw;

  Reply ok = Send("PUT", gp, path, changed.dump(), fhir_json, if_match);
  ASSERT_EQ(ok.status, 200) << ok.raw;
  EXPECT_EQ(ok.body["meta"]["versionId"], std::to_string(std::stoi(version) + 1));
  EXPECT_EQ(ok.body["participant"][1]["member"]["display"], "CM-3");
  json plan_after = Get(gp, plan_path).body;
  EXPECT_EQ(plan_after["contained"][0]["participant"][1]["member"]["display"], "CM-3");
  for (const char* key : {"status", "period", "subject", "title", "intent"}) {
    EXPECT_EQ(plan_after[key], plan_before[key]) << key;
  }
  EXPECT_EQ(Send("PUT", gp, path, changed.dump(), fhir_json, if_match).status, 412);  // stale
  // Prefer: return=minimal answers with headers only; return=OperationOutcome names the write.
  const int v2 = std::stoi(version) + 1;
  Reply minimal =
      Send("PUT", gp, path, changed.dump(), fhir_json,
           {{"If-Match", "W/\"" + std::to_string(v2) + "\""}, {"Prefer", "return=minimal"}});
  EXPECT_EQ(minimal.status, 200);
  EXPECT_TRUE(minimal.raw.empty()) << minimal.raw;
  EXPECT_EQ(Header(minimal, "ETag"), "W/\"" + std::to_string(v2 + 1) + "\"");
  Reply outcome = Send("PUT", gp, path, changed.dump(), fhir_json,
                       {{"If-Match", "W/\"" + std::to_string(v2 + 1) + "\""},
                        {"Prefer", "return=OperationOutcome"}});
  EXPECT_EQ(outcome.status, 200);
  EXPECT_EQ(outcome.body["resourceType"], "OperationOutcome") << outcome.raw;
  EXPECT_NE(outcome.raw.find("_history/" + std::to_string(v2 + 2)), std::string::npos);
}

// Conditional update by identifier: none is a create, one the user may read is an update
// (If-Match still required), other criteria are a 400; a plan of a person the user has no
// relationship with is never found this way (the create that follows is refused as any).
TEST_F(SharedRecordTest, CarePlanConditionalUpdateByIdentifier) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = WriteToken("gp_a");
  const std::string id = PatientId(gp, kP1);
  const std::string url = "/fhir/CarePlan?identifier=https://gp.example.org/care-plans%7Ccond-1";
  json body = PlanBody(id, "cond-1");
  Reply created = Send("PUT", gp, url, body.dump(), fhir_json);
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string plan_id = created.body["id"];
  body["description"] = "Falls prevention and home safety";
  EXPECT_EQ(Send("PUT", gp, url, body.dump(), fhir_json).status, 428);
  Reply updated = Send("PUT", gp, url, body.dump(), fhir_json, {{"If-Match", "W/\"1\""}});
  ASSERT_EQ(updated.status, 200) << updated.raw;
  EXPECT_EQ(updated.body["id"], plan_id);
  EXPECT_EQ(updated.body["meta"]["versionId"], "2");
  EXPECT_EQ(updated.body["description"], "Falls prevention and home safety");
  json wrong_id = body;
  wrong_id["id"] = "cp-999";
  EXPECT_EQ(Send("PUT", gp, url, wrong_id.dump(), fhir_json, {{"If-Match", "W/\"2\""}}).status,
            400);
  EXPECT_EQ(Send("PUT", gp, url + "&status=active", body.dump(), fhir_json).status, 400);
  EXPECT_EQ(Send("PUT", gp, "/fhir/CarePlan", body.dump(), fhir_json).status, 400);
  // gp_c has no relationship with P1: the plan is not found for them, and the create that
  // follows is refused as any create for a stranger is.
  Reply stranger =
      Send("PUT", WriteToken("gp_c"), url, body.dump(), fhir_json, {{"If-Match", "W/\"2\""}});
  EXPECT_EQ(stranger.status, 403) << stranger.raw;
  EXPECT_EQ(stranger.raw.find(plan_id), std::string::npos);
}

TEST_F(SharedRecordTest, TransactionBundleIsAllOrNothingAndResolvesReferences) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = WriteToken("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  ASSERT_FALSE(p1.empty());
  const std::string nhs_system = "https://fhir.nhs.uk/Id/nhs-number";
  auto entry = [](const std::string& method, const std::string& url, const std::string& full_url,
                  json resource) {
    json e = {{"request", {{"method", method}, {"url", url}}}};
    if (!full_url.empty()) e["fullUrl"] = full_url;
    if (!resource.is_null()) e["resource"] = std::move(resource);
    return e;
  };
  auto bundle = [](const std::string& type, json entries) {
    return json{{"resourceType", "Bundle"}, {"type", type}, {"entry", std::move(entries)}}.dump();
  };
  // The patient as a Synthea-style entry (matched by NHS Number, not created), a plan that
  // references it by urn:uuid, and a search that runs after the write.
  json patient = {{"resourceType", "Patient"},
                  {"identifier", json::array({{{"system", nhs_system}, {"value", kP1}}})}};
  json plan = PlanBody("0", "tx-1");
  plan["subject"]["reference"] = "urn:uuid:5a1c0000-0000-4000-8000-000000000001";
  json plan_entry =
      entry("POST", "CarePlan", "urn:uuid:5a1c0000-0000-4000-8000-000000000002", plan);
  plan_entry["request"]["ifNoneExist"] = "identifier=https://gp.example.org/care-plans|tx-1";
  json entries = json::array(
      {entry("GET", "CarePlan?patient=" + p1, "", nullptr), plan_entry,
       entry("POST", "Patient", "urn:uuid:5a1c0000-0000-4000-8000-000000000001", patient)});
  Reply tx = Post(gp, "/fhir/", bundle("transaction", entries), fhir_json);
  ASSERT_EQ(tx.status, 200) << tx.raw;
  EXPECT_EQ(tx.body["type"], "transaction-response");
  ASSERT_EQ(tx.body["entry"].size(), 3u);
  const json& got_patient = tx.body["entry"][2];
  EXPECT_EQ(got_patient["response"]["status"], "200 OK");
  EXPECT_NE(got_patient["response"]["location"].get<std::string>().find("/fhir/Patient/" + p1),
            std::string::npos);
  const json& got_plan = tx.body["entry"][1];
  EXPECT_EQ(got_plan["response"]["status"], "201 Created") << got_plan.dump();
  EXPECT_EQ(got_plan["response"]["etag"], "W/\"1\"");
  EXPECT_EQ(got_plan["resource"]["subject"]["reference"], "Patient/" + p1);  // no urn stored
  const std::string plan_id = got_plan["resource"]["id"];
  // The search ran after the write (GETs come last) and sees the new plan.
  bool seen = false;
  for (const json& e : tx.body["entry"][0]["resource"]["entry"]) {
    if (e["resource"]["id"] == plan_id) seen = true;
  }
  EXPECT_TRUE(seen) << tx.body["entry"][0].dump();
  EXPECT_EQ(Get(gp, "/fhir/CarePlan/" + plan_id).body["subject"]["reference"], "Patient/" + p1);

  // Conditional references resolve through the gate: one match is used; a person the user
  // may not see and a person who is not on the record get the same 412, and nothing is
  // written.
  json by_identifier = PlanBody("0", "tx-cond");
  by_identifier["subject"]["reference"] = "Patient?identifier=" + nhs_system + "|" + kP1;
  Reply cond =
      Post(gp, "/fhir",
           bundle("transaction", json::array({entry("POST", "CarePlan", "", by_identifier)})),
           fhir_json);
  ASSERT_EQ(cond.status, 200) << cond.raw;
  EXPECT_EQ(cond.body["entry"][0]["resource"]["subject"]["reference"], "Patient/" + p1);
  std::string answers[2];
  int i = 0;
  for (const std::string& nhs : {kP2, kAbsent}) {
    json stranger = PlanBody("0", "tx-stranger-" + std::to_string(i));
    stranger["subject"]["reference"] = "Patient?identifier=" + nhs_system + "|" + nhs;
    Reply r = Post(gp, "/fhir",
                   bundle("transaction", json::array({entry("POST", "CarePlan", "", stranger)})),
                   fhir_json);
    EXPECT_EQ(r.status, 412) << r.raw;
    EXPECT_EQ(r.raw.find(nhs), std::string::npos);
    answers[i++] = r.body["issue"][0].value("diagnostics", "");
  }
  EXPECT_EQ(answers[0], answers[1]);

  // All or nothing: a valid create followed by an update without If-Match (428) writes
  // nothing, answers with the failing entry's status naming it, and is audited as rolled back.
  json second = PlanBody(p1, "tx-2");
  json changed = Get(gp, "/fhir/CarePlan/" + plan_id).body;
  changed["description"] = "changed inside a failed transaction";
  Reply failed =
      Post(gp, "/fhir",
           bundle("transaction", json::array({entry("POST", "CarePlan", "", second),
                                              entry("PUT", "CarePlan/" + plan_id, "", changed)})),
           fhir_json);
  EXPECT_EQ(failed.status, 428) << failed.raw;
  EXPECT_EQ(failed.body["issue"][0]["expression"][0], "Bundle.entry[1]");
  EXPECT_NE(failed.raw.find("rolled back"), std::string::npos);
  Reply listed1 = Get(gp, "/fhir/CarePlan?patient=" + p1 + "&_count=100");
  for (const json& e : listed1.body["entry"]) {
    for (const json& id : e["resource"].value("identifier", json::array())) {
      EXPECT_NE(id.value("value", ""), "tx-2") << "the rolled-back create was kept";
    }
  }
  EXPECT_EQ(Get(gp, "/fhir/CarePlan/" + plan_id).body["description"], "Falls prevention");
  int rolled_back = 0;
  for (const json& e : AuditOf("gp_a")) {
    if (e["subtype"][0]["code"] == "transaction" && e["outcome"] != "0") ++rolled_back;
  }
  EXPECT_GE(rolled_back, 3);  // two unresolved references, one missing If-Match

  // A reference to an entry that is not in the Bundle, a cycle, and bodies that are not
  // batches or transactions.
  json dangling = PlanBody("0", "tx-dangling");
  dangling["subject"]["reference"] = "urn:uuid:00000000-0000-4000-8000-00000000dead";
  EXPECT_EQ(
      Post(gp, "/fhir",
           bundle("transaction", json::array({entry("POST", "CarePlan", "", dangling)})), fhir_json)
          .status,
      400);
  json a = PlanBody("0", "tx-a"), b = PlanBody("0", "tx-b");
  a["subject"]["reference"] = "urn:uuid:b";
  b["subject"]["reference"] = "urn:uuid:a";
  EXPECT_EQ(Post(gp, "/fhir",
                 bundle("transaction", json::array({entry("POST", "CarePlan", "urn:uuid:a", a),
                                                    entry("POST", "CarePlan", "urn:uuid:b", b)})),
                 fhir_json)
                .status,
            400);
  EXPECT_EQ(Post(gp, "/fhir", bundle("searchset", json::array()), fhir_json).status, 400);
  EXPECT_EQ(Post(gp, "/fhir", patient.dump(), fhir_json).status, 400);
  EXPECT_EQ(Post("", "/fhir", bundle("batch", json::array()), fhir_json).status, 401);
}

TEST_F(SharedRecordTest, BatchBundleAnswersEveryEntryOnItsOwn) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = WriteToken("gp_a");
  const std::string p1 = PatientId(gp, kP1);
  const std::string p2 = PatientId(Token("gp_c"), kP2);  // not gp_a's patient
  ASSERT_FALSE(p1.empty());
  ASSERT_FALSE(p2.empty());
  auto entry = [](const std::string& method, const std::string& url, json resource = nullptr) {
    json e = {{"request", {{"method", method}, {"url", url}}}};
    if (!resource.is_null()) e["resource"] = std::move(resource);
    return e;
  };
  json bad_plan = PlanBody(p1, "batch-bad");
  bad_plan["status"] = "sleeping";
  json no_nhs = {{"resourceType", "Patient"}, {"name", json::array({{{"family", "Nobody"}}})}};
  json body = {{"resourceType", "Bundle"},
               {"type", "batch"},
               {"entry", json::array({
                             entry("GET", "Patient/" + p1),
                             entry("GET", "Patient/" + p2),
                             entry("POST", "CarePlan", PlanBody(p1, "batch-ok")),
                             entry("POST", "CarePlan", bad_plan),
                             entry("POST", "Specimen", {{"resourceType", "Specimen"}}),
                             entry("POST", "Patient", no_nhs),
                             entry("GET", "Encounter?patient=" + p1),
                         })}};
  Reply r = Post(gp, "/fhir", body.dump(), fhir_json);
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["type"], "batch-response");
  ASSERT_EQ(r.body["entry"].size(), 7u);
  auto status = [&](int i) { return r.body["entry"][i]["response"]["status"].get<std::string>(); };
  EXPECT_EQ(status(0), "200 OK");
  EXPECT_EQ(r.body["entry"][0]["resource"]["id"], p1);
  EXPECT_EQ(status(1), Get(gp, "/fhir/Patient/" + p2).status == 404 ? "404 Not Found" : "?");
  EXPECT_FALSE(r.body["entry"][1].contains("resource"));
  EXPECT_EQ(status(2), "201 Created");
  EXPECT_EQ(status(3), "422 Unprocessable Entity");
  EXPECT_EQ(r.body["entry"][3]["response"]["outcome"]["resourceType"], "OperationOutcome");
  EXPECT_EQ(status(4), "405 Method Not Allowed");
  EXPECT_EQ(status(5), "422 Unprocessable Entity");
  EXPECT_EQ(status(6), "200 OK");
  EXPECT_GE(r.body["entry"][6]["resource"]["total"].get<int>(), 1);
  // The good create stands although others failed.
  bool kept = false;
  Reply listed2 = Get(gp, "/fhir/CarePlan?patient=" + p1 + "&_count=100");
  for (const json& e : listed2.body["entry"]) {
    for (const json& id : e["resource"].value("identifier", json::array())) {
      if (id.value("value", "") == "batch-ok") kept = true;
    }
  }
  EXPECT_TRUE(kept);
}

TEST_F(SharedRecordTest, DocumentsFromOtherOrganisationsAreWrittenVersionedAndGated) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = SignIn(
      "gp_a", "user/*.read user/Observation.write user/Immunization.write user/Consent.write");
  ASSERT_FALSE(gp.empty());
  const std::string p1 = PatientId(gp, kP1);
  const std::string nhs_system = "https://fhir.nhs.uk/Id/nhs-number";
  auto observation = [&](const std::string& subject, const std::string& identifier, double value) {
    json o = {{"resourceType", "Observation"},
              {"status", "final"},
              {"code",
               {{"coding", json::array({{{"system", "http://loinc.org"},
                                         {"code", "8867-4"},
                                         {"display", "Heart rate"}}})}}},
              {"subject", {{"reference", subject}}},
              {"effectiveDateTime", "2024-02-03T10:00:00Z"},
              {"valueQuantity", {{"value", value}, {"unit", "/min"}}}};
    if (!identifier.empty()) {
      o["identifier"] =
          json::array({{{"system", "https://b86001.example.org/obs"}, {"value", identifier}}});
    }
    return o;
  };
  // Create: 201, held by the writer's organisation, the person as Patient/<id>.
  Reply created = Send("POST", gp, "/fhir/Observation",
                       observation("Patient/" + p1, "hr-1", 72).dump(), fhir_json);
  ASSERT_EQ(created.status, 201) << created.raw;
  const std::string id = created.body["id"];
  EXPECT_EQ(id.rfind("doc-", 0), 0u);
  EXPECT_EQ(Header(created, "ETag"), "W/\"1\"");
  EXPECT_NE(Header(created, "Location").find("/fhir/Observation/" + id + "/_history/1"),
            std::string::npos);
  EXPECT_EQ(created.body["subject"]["reference"], "Patient/" + p1);
  EXPECT_EQ(created.body["valueQuantity"]["value"], 72);
  bool holder = false;
  for (const json& e : created.body["extension"]) {
    holder = holder || e["valueIdentifier"]["value"] == "B86001";
  }
  EXPECT_TRUE(holder);
  // Read through the gate: the practice and the council on P1's joint care plan; not a
  // practice without a relationship, and not an analyst.
  EXPECT_EQ(Get(gp, "/fhir/Observation/" + id).status, 200);
  EXPECT_EQ(Get(Token("sw"), "/fhir/Observation/" + id).status, 200);
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/Observation/" + id).status, 404);
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/Observation/doc-99999").status, 404);
  EXPECT_EQ(Get(Token("analyst"), "/fhir/Observation/" + id).status, 403);
  // Search by patient, code and date; $everything includes it.
  EXPECT_EQ(
      Get(gp, "/fhir/Observation?patient=" + p1 + "&code=http://loinc.org%7C8867-4").body["total"],
      1);
  EXPECT_EQ(
      Get(gp, "/fhir/Observation?patient=" + p1 + "&code=http://loinc.org%7C1-1").body["total"], 0);
  EXPECT_EQ(Get(gp, "/fhir/Observation?patient=" + p1 + "&date=ge2024-02").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Observation?patient=" + p1 + "&date=lt2020").body["total"], 0);
  Reply everything = Get(gp, "/fhir/Patient/" + p1 + "/$everything?_type=Observation");
  ASSERT_EQ(everything.status, 200) << everything.raw;
  EXPECT_EQ(everything.body["total"], 1);
  // Conditional create finds it; a plain create with the same identifier is a conflict.
  Reply again =
      Send("POST", gp, "/fhir/Observation", observation("Patient/" + p1, "hr-1", 72).dump(),
           fhir_json, {{"If-None-Exist", "identifier=https://b86001.example.org/obs|hr-1"}});
  EXPECT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["id"], id);
  EXPECT_EQ(Send("POST", gp, "/fhir/Observation", observation("Patient/" + p1, "hr-1", 72).dump(),
                 fhir_json)
                .status,
            409);
  // Bad bodies: another type, no person, a bad date, naming the element.
  EXPECT_EQ(
      Send("POST", gp, "/fhir/Observation", json{{"resourceType", "Patient"}}.dump(), fhir_json)
          .status,
      400);
  json no_subject = observation("Patient/" + p1, "", 1);
  no_subject.erase("subject");
  no_subject["effectiveDateTime"] = "yesterday";
  Reply bad = Send("POST", gp, "/fhir/Observation", no_subject.dump(), fhir_json);
  ASSERT_EQ(bad.status, 422) << bad.raw;
  EXPECT_EQ(bad.body["issue"][0]["expression"][0], "Observation.subject");
  EXPECT_EQ(bad.body["issue"][1]["expression"][0], "Observation.effectiveDateTime");
  EXPECT_EQ(bad.raw.find("yesterday"), std::string::npos);
  // A practice without a relationship cannot write for P1.
  EXPECT_EQ(Send("POST", SignIn("gp_c", "user/*.read user/Observation.write"), "/fhir/Observation",
                 observation("Patient/" + p1, "", 1).dump(), fhir_json)
                .status,
            403);
  // Update: If-Match required and current; only the holder; a new version each time.
  const std::string url = "/fhir/Observation/" + id;
  json changed = observation("Patient/" + p1, "hr-1", 75);
  changed["id"] = id;
  EXPECT_EQ(Send("PUT", gp, url, changed.dump(), fhir_json).status, 428);
  Reply v2 = Send("PUT", gp, url, changed.dump(), fhir_json, {{"If-Match", "W/\"1\""}});
  ASSERT_EQ(v2.status, 200) << v2.raw;
  EXPECT_EQ(Header(v2, "ETag"), "W/\"2\"");
  EXPECT_EQ(v2.body["valueQuantity"]["value"], 75);
  EXPECT_EQ(Send("PUT", gp, url, changed.dump(), fhir_json, {{"If-Match", "W/\"1\""}}).status, 412);
  const std::string sw_writer = SignIn("sw", "user/*.read user/Observation.write");
  EXPECT_EQ(
      Send("PUT", sw_writer, url, changed.dump(), fhir_json, {{"If-Match", "W/\"2\""}}).status,
      403);  // the council may read it, but the practice holds it
  Reply history = Get(gp, url + "/_history");
  ASSERT_EQ(history.status, 200) << history.raw;
  EXPECT_EQ(history.body["total"], 2);
  EXPECT_EQ(history.body["entry"][0]["resource"]["valueQuantity"]["value"], 75);
  EXPECT_EQ(Get(gp, url + "/_history/1").body["valueQuantity"]["value"], 72);
  EXPECT_EQ(Get(Token("gp_c"), url + "/_history").status, 404);
  // An objection hides the practice's document from the council, not from the practice.
  json deny = {
      {"resourceType", "Consent"},
      {"status", "active"},
      {"scope",
       {{"coding", json::array({{{"system", "http://terminology.hl7.org/CodeSystem/consentscope"},
                                 {"code", "patient-privacy"}}})}}},
      {"patient", {{"reference", "Patient/" + p1}}},
      {"provision", {{"type", "deny"}}}};
  ASSERT_LT(Send("POST", gp, "/fhir/Consent", deny.dump(), fhir_json).status, 300);
  EXPECT_EQ(Get(Token("sw"), "/fhir/Observation?patient=" + p1).body["total"], 0);
  EXPECT_EQ(Get(Token("sw"), url).status, 404);
  EXPECT_EQ(Get(gp, "/fhir/Observation?patient=" + p1).body["total"], 1);
  deny["provision"]["type"] = "permit";
  ASSERT_EQ(Send("POST", gp, "/fhir/Consent", deny.dump(), fhir_json).status, 200);
  EXPECT_EQ(Get(Token("sw"), "/fhir/Observation?patient=" + p1).body["total"], 1);

  // A Synthea-shaped transaction: the Patient matched by NHS Number, an Observation and an
  // Immunization that reference it by urn:uuid. With a Specimen (not stored here) the
  // whole transaction fails and nothing is stored; without it both are created.
  auto entry = [](const std::string& full_url, const std::string& type, json resource) {
    return json{{"fullUrl", full_url},
                {"resource", std::move(resource)},
                {"request", {{"method", "POST"}, {"url", type}}}};
  };
  const std::string pat = "urn:uuid:0f2c8a51-0000-4000-8000-000000000001";
  json patient = {{"resourceType", "Patient"},
                  {"identifier", json::array({{{"system", nhs_system}, {"value", kP1}}})}};
  json immunization = {
      {"resourceType", "Immunization"},
      {"status", "completed"},
      {"vaccineCode",
       {{"coding", json::array({{{"system", "http://snomed.info/sct"}, {"code", "1119349007"}}})}}},
      {"patient", {{"reference", pat}}},
      {"occurrenceDateTime", "2024-10-01"}};
  json entries = json::array(
      {entry(pat, "Patient", patient),
       entry("urn:uuid:0f2c8a51-0000-4000-8000-000000000002", "Observation",
             observation(pat, "tx-hr", 66)),
       entry("urn:uuid:0f2c8a51-0000-4000-8000-000000000003", "Immunization", immunization)});
  json with_specimen = entries;
  with_specimen.push_back(entry(
      "urn:uuid:0f2c8a51-0000-4000-8000-000000000004", "Specimen",
      {{"resourceType", "Specimen"}, {"status", "available"}, {"subject", {{"reference", pat}}}}));
  auto bundle = [](json e) {
    return json{{"resourceType", "Bundle"}, {"type", "transaction"}, {"entry", std::move(e)}}
        .dump();
  };
  Reply refused = Post(gp, "/fhir", bundle(with_specimen), fhir_json);
  EXPECT_EQ(refused.status, 405) << refused.raw;
  EXPECT_EQ(Get(gp, "/fhir/Immunization?patient=" + p1).body["total"], 0);
  Reply tx = Post(gp, "/fhir", bundle(entries), fhir_json);
  ASSERT_EQ(tx.status, 200) << tx.raw;
  EXPECT_EQ(tx.body["entry"][1]["response"]["status"], "201 Created");
  EXPECT_EQ(tx.body["entry"][2]["response"]["status"], "201 Created");
  Reply imm = Get(gp, "/fhir/Immunization?patient=" + p1);
  ASSERT_EQ(imm.body["total"], 1) << imm.raw;
  EXPECT_EQ(imm.body["entry"][0]["resource"]["patient"]["reference"], "Patient/" + p1);
  EXPECT_EQ(Get(gp, "/fhir/Immunization?patient=" + p1 + "&vaccine-code=1119349007").body["total"],
            1);
}

// Synthea's output as Synthea writes it (tests/fhir/synthea/: the hospital and practitioner
// batches, then a patient transaction of every type it writes), with one change an English
// deployment makes: the Patient entry carries the person's NHS Number. Everything loads, no
// stored reference is left pointing at a urn: or a conditional search, and the records read
// back through the gate.
TEST_F(SharedRecordTest, SyntheaOutputLoadsWholeWithEveryReferenceResolved) {
  const std::string fhir_json = "application/fhir+json";
  const std::string gp = SignIn("gp_a", "user/*.read user/*.write");
  ASSERT_FALSE(gp.empty());
  const std::string p1 = PatientId(gp, kP1);
  ASSERT_FALSE(p1.empty());
  auto load = [](const std::string& name) {
    std::ifstream in(testing::SourceDir() + "/tests/fhir/synthea/" + name);
    return json::parse(in, nullptr, false);
  };
  auto statuses = [](const Reply& r) {
    std::vector<std::string> out;
    if (r.body.is_object() && r.body.contains("entry")) {
      for (const json& e : r.body["entry"]) out.push_back(e["response"]["status"]);
    }
    return out;
  };

  // The directory first: organisations and their location, then practitioners and their
  // roles (whose references to both resolve). Loaded twice, the second time finds them all
  // (If-None-Exist) and creates no second copy.
  json hospital = load("hospitalInformation.json");
  ASSERT_TRUE(hospital.is_object());
  Reply h1 = Post(gp, "/fhir", hospital.dump(), fhir_json);
  ASSERT_EQ(h1.status, 200) << h1.raw;
  EXPECT_EQ(statuses(h1), std::vector<std::string>(3, "201 Created")) << h1.raw;
  Reply h2 = Post(gp, "/fhir", hospital.dump(), fhir_json);
  EXPECT_EQ(statuses(h2), std::vector<std::string>(3, "200 OK")) << h2.raw;
  Reply practitioners = Post(gp, "/fhir", load("practitionerInformation.json").dump(), fhir_json);
  ASSERT_EQ(practitioners.status, 200) << practitioners.raw;
  EXPECT_EQ(statuses(practitioners), std::vector<std::string>(4, "201 Created"))
      << practitioners.raw;
  const std::string synthea = "https://github.com/synthetichealth/synthea";
  Reply org =
      Get(gp, "/fhir/Organization?identifier=" + synthea + "|ef58ea08-d883-3957-8300-150554edc8fb");
  ASSERT_EQ(org.body["total"], 1) << org.raw;
  const std::string org_id =
      "Organization/" + org.body["entry"][0]["resource"]["id"].get<std::string>();
  Reply doctor = Get(gp, "/fhir/Practitioner?identifier=http://hl7.org/fhir/sid/us-npi|9999994392");
  ASSERT_EQ(doctor.body["total"], 1) << doctor.raw;
  const std::string doctor_id =
      "Practitioner/" + doctor.body["entry"][0]["resource"]["id"].get<std::string>();
  EXPECT_EQ(Get(gp, "/fhir/Practitioner?name=till").body["total"], 1);
  EXPECT_EQ(Get(gp, "/" + std::string("fhir/") + doctor_id).body["name"][0]["family"], "Tiller");
  Reply roles = Get(gp, "/fhir/PractitionerRole");
  ASSERT_EQ(roles.body["total"], 2) << roles.raw;
  EXPECT_EQ(roles.body["entry"][0]["resource"]["practitioner"]["reference"], doctor_id);
  EXPECT_EQ(roles.body["entry"][0]["resource"]["organization"]["reference"], org_id);
  // Directory entries are not person-level: another practice's GP reads them too.
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/" + doctor_id).status, 200);

  // The patient's transaction, with the NHS Number added to the Patient entry.
  json bundle = load("patient.json");
  ASSERT_TRUE(bundle.is_object());
  json& patient = bundle["entry"][0]["resource"];
  ASSERT_EQ(patient["resourceType"], "Patient");
  patient["identifier"].push_back(
      {{"system", "https://fhir.nhs.uk/Id/nhs-number"}, {"value", kP1}});
  std::map<std::string, int> sent;  // resource type -> entries
  for (const json& e : bundle["entry"]) ++sent[e["resource"]["resourceType"].get<std::string>()];
  auto everything = [&] {
    std::map<std::string, std::vector<json>> by_type;
    for (int offset = 0;; offset += 200) {
      Reply r = Get(
          gp, "/fhir/Patient/" + p1 + "/$everything?_count=200&_offset=" + std::to_string(offset));
      if (r.status != 200 || !r.body.contains("entry")) break;
      for (const json& e : r.body["entry"]) {
        by_type[e["resource"]["resourceType"]].push_back(e["resource"]);
      }
      if (r.body["entry"].size() < 200) break;
    }
    return by_type;
  };
  auto before = everything();
  Reply tx = Post(gp, "/fhir", bundle.dump(), fhir_json);
  ASSERT_EQ(tx.status, 200) << tx.raw.substr(0, 2000);
  EXPECT_EQ(tx.body["type"], "transaction-response");
  std::vector<std::string> st = statuses(tx);
  ASSERT_EQ(st.size(), bundle["entry"].size());
  EXPECT_EQ(st[0], "200 OK");  // the Patient, matched
  for (size_t i = 1; i < st.size(); ++i) EXPECT_EQ(st[i], "201 Created") << i;

  // Every person-level type arrived (the Medication went to the directory), and nothing
  // stored points at a urn: or a conditional search.
  auto after = everything();
  for (const auto& [type, n] : sent) {
    if (type == "Patient" || type == "Medication") continue;
    EXPECT_EQ(after[type].size(), before[type].size() + n) << type;
  }
  std::function<void(const json&, const std::string&)> no_placeholders =
      [&](const json& j, const std::string& where) {
        if (j.is_object()) {
          for (auto it = j.begin(); it != j.end(); ++it) {
            if (it.key() == "reference" && it->is_string()) {
              const std::string ref = *it;
              EXPECT_NE(ref.rfind("urn:", 0), 0u) << where << " " << ref;
              EXPECT_EQ(ref.find('?'), std::string::npos) << where << " " << ref;
            }
            no_placeholders(*it, where);
          }
        } else if (j.is_array()) {
          for (const json& e : j) no_placeholders(e, where);
        }
      };
  for (const auto& [type, list] : after) {
    for (const json& r : list) no_placeholders(r, type + "/" + r.value("id", ""));
  }
  // The references point where they should.
  json encounter;
  for (const json& e : after["Encounter"]) {
    if (e.value("id", "").rfind("doc-", 0) == 0) encounter = e;
  }
  ASSERT_TRUE(encounter.is_object());
  EXPECT_EQ(encounter["subject"]["reference"], "Patient/" + p1);
  EXPECT_EQ(encounter["serviceProvider"]["reference"], org_id);
  EXPECT_EQ(encounter["participant"][0]["individual"]["reference"], doctor_id);
  const std::string encounter_ref = "Encounter/" + encounter["id"].get<std::string>();
  json plan;
  for (const json& p : after["CarePlan"]) {
    if (p.value("id", "").rfind("doc-", 0) == 0) plan = p;
  }
  ASSERT_TRUE(plan.is_object());
  EXPECT_EQ(plan["encounter"]["reference"], encounter_ref);
  const std::string team_ref = plan["careTeam"][0]["reference"];
  ASSERT_EQ(team_ref.rfind("CareTeam/doc-", 0), 0u) << team_ref;
  Reply team = Get(gp, "/fhir/" + team_ref);
  ASSERT_EQ(team.status, 200) << team.raw;
  EXPECT_EQ(team.body["participant"][0]["member"]["reference"], "Patient/" + p1);
  EXPECT_EQ(Get(gp, "/fhir/" + team_ref + "/_history/1").status, 200);
  ASSERT_EQ(after["Provenance"].size(), before["Provenance"].size() + 1);
  const json& provenance = after["Provenance"].back();
  EXPECT_EQ(provenance["target"].size(), bundle["entry"].size() - 1);
  EXPECT_EQ(provenance["target"][0]["reference"], "Patient/" + p1);
  // Searches by the types' own parameters and dates see the new records.
  EXPECT_EQ(Get(gp, "/fhir/Condition?patient=" + p1 + "&code=http://snomed.info/sct|44054006")
                .body["total"],
            1);
  EXPECT_EQ(Get(gp, "/fhir/Claim?patient=" + p1 + "&use=claim&date=2024-03").body["total"], 1);
  EXPECT_EQ(Get(gp, "/fhir/Encounter?patient=" + p1 + "&date=2024-03-04&class=AMB").body["total"],
            1);

  // Another practice's GP has no relationship: none of it, and the same answer as for nobody.
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/" + encounter_ref).status, 404);
  EXPECT_EQ(Get(Token("gp_c"), "/fhir/" + team_ref).status, 404);

  // Loading the same file again is refused whole (the identifiers are taken); nothing is
  // duplicated.
  Reply again = Post(gp, "/fhir", bundle.dump(), fhir_json);
  EXPECT_EQ(again.status, 409) << again.raw.substr(0, 500);
  EXPECT_EQ(everything()["Encounter"].size(), after["Encounter"].size());
}

// Last: stop the server with SIGTERM, then check the audit chain and the logs.
TEST_F(SharedRecordTest, ZzShutdownAuditChainAndLogsWithoutIdentifiers) {
  EXPECT_EQ(server_->Stop(), 0);  // graceful shutdown on SIGTERM
  auto v = RunPioneer("audit verify --db " + db_, *tmp_);
  EXPECT_EQ(v.exit_code, 0) << v.out << v.err;
  EXPECT_NE(v.out.find("audit trail intact"), std::string::npos);
  std::string log = testing::ReadFile(log_);
  EXPECT_NE(log.find("\"event\":\"request\""), std::string::npos);
  EXPECT_NE(log.find("\"event\":\"shutdown\""), std::string::npos);
  for (const std::string& secret :
       {kP1, kP2, kP3, kP4, kP5, kAbsent, std::string("Aardvark"), std::string("Egret"),
        std::string("1940-05-17"), std::string(kPassword), std::string("Unconscious")}) {
    EXPECT_EQ(log.find(secret), std::string::npos) << "the log holds an identifier or secret";
  }
}

}  // namespace
}  // namespace pioneer
