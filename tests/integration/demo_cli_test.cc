// `pioneer demo` end to end on the smallest area it accepts (1,000 people), then `--serve`:
// every step runs and writes its outputs, and the shared care record it serves lets each
// documented demo account see what README.md says it sees: the GP their practice's patient,
// the patient themself, the analyst no person-level record. SIGTERM stops it cleanly.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "testing/test_util.h"

namespace pioneer {
namespace {

using nlohmann::json;
using testing::TempDir;

TEST(DemoCli, SmallAreaEndToEndThenServesTheSharedRecordToTheDemoAccounts) {
  TempDir dir;
  const std::string out = dir / "demo-out";
  const std::string log = dir / "demo.log";
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(pipe_fds[1], 1);
    close(pipe_fds[0]);
    const std::string cmd = testing::PioneerBinary() + " demo --population 1000 --seed 7 --out " +
                            out + " --serve --listen 127.0.0.1:0 2>>" + log;
    execl("/bin/sh", "sh", "-c", ("exec " + cmd).c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(pipe_fds[1]);
  // Read the demo's stdout up to the server's "listening on" line.
  std::string all, line, patient;
  int port = 0;
  char c;
  while (port == 0 && read(pipe_fds[0], &c, 1) == 1) {
    if (c != '\n') {
      line += c;
      continue;
    }
    all += line + "\n";
    const std::string nhs_prefix = "(NHS Number ";
    if (auto at = line.find(nhs_prefix); at != std::string::npos) {
      patient = line.substr(at + nhs_prefix.size(), 10);
    }
    const std::string prefix = "listening on http://127.0.0.1:";
    if (line.rfind(prefix, 0) == 0) port = std::atoi(line.c_str() + prefix.size());
    line.clear();
  }
  close(pipe_fds[0]);
  ASSERT_GT(port, 0) << all << testing::ReadFile(log);
  // Every step ran and wrote its outputs.
  EXPECT_NE(all.find("[8/8]"), std::string::npos) << all;
  for (const char* f : {"pioneer.db", "quality.html", "risk/risk-report.html"}) {
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  }
  ASSERT_EQ(patient.size(), 10u) << all;

  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(60, 0);
  // Demo passwords are "pioneer-demo-" + the role (README.md).
  auto token = [&](const std::string& user, const std::string& role) {
    auto res = client.Post("/auth/token", httplib::Params{{"grant_type", "password"},
                                                          {"username", user},
                                                          {"password", "pioneer-demo-" + role}});
    EXPECT_TRUE(res && res->status == 200) << user << ": " << (res ? res->body : "no reply");
    return res && res->status == 200 ? json::parse(res->body)["access_token"].get<std::string>()
                                     : std::string();
  };
  auto search = [&](const std::string& bearer) {
    httplib::Headers h = {{"Authorization", "Bearer " + bearer}};
    auto res = client.Get(
        "/fhir/Patient?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fnhs-number%7C" + patient, h);
    return res ? std::make_pair(res->status, res->body) : std::make_pair(0, std::string());
  };
  // The GP of the patient's practice finds them; so does the patient.
  for (const char* role : {"gp", "patient"}) {
    const std::string user = std::string("demo-") + role;
    auto [status, body] = search(token(user, role));
    EXPECT_EQ(status, 200) << user << ": " << body;
    if (status == 200) {
      EXPECT_EQ(json::parse(body)["total"], 1) << user;
    }
  }
  // The analyst sees no person-level record.
  auto [status, body] = search(token("demo-analyst", "analyst"));
  EXPECT_NE(status, 200) << body;
  EXPECT_EQ(body.find(patient), std::string::npos);

  kill(pid, SIGTERM);
  int wstatus = 0;
  waitpid(pid, &wstatus, 0);
  EXPECT_TRUE(WIFEXITED(wstatus));
  EXPECT_EQ(WEXITSTATUS(wstatus), 0);
  // Identifiers never reach the log.
  EXPECT_EQ(testing::ReadFile(log).find(patient), std::string::npos);
}

}  // namespace
}  // namespace pioneer
