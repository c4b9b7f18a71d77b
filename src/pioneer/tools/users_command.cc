// `pioneer users add|list|disable|caseload`: accounts of the shared care record
// (docs/ig.md). Exit codes: 0 ok, 2 usage or input error (message on stderr), 3 internal.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "pioneer/ig/objections.h"
#include "pioneer/ig/users.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"

namespace pioneer::tools {
namespace {

struct UsersArgs {
  std::string db, username, role, org, team, nhs_number;
  bool password_stdin = false;
};

int Fail(const Status& s) {
  std::fprintf(stderr, "pioneer users: %s\n", s.message().c_str());
  return s.code() == StatusCode::kInternal ? 3 : 2;
}

int RunAdd(const UsersArgs& a) {
  ig::NewUser u;
  u.username = a.username;
  auto role = ig::ParseRole(a.role);
  if (!role) {
    std::fprintf(stderr, "pioneer users add: --role must be one of %s\n",
                 ig::AllRoleNames().c_str());
    return 2;
  }
  u.role = *role;
  u.org_code = a.org;
  u.team = a.team;
  if (!a.nhs_number.empty()) {
    u.nhs_number = NhsNumber::Parse(a.nhs_number);
    if (!u.nhs_number) {
      std::fprintf(stderr, "pioneer users add: --nhs-number is not a valid NHS Number\n");
      return 2;
    }
  }
  if (!a.password_stdin) {
    std::fprintf(stderr,
                 "pioneer users add: give the password on standard input with --password-stdin "
                 "(never on the command line)\n");
    return 2;
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) return Fail(store.status());
  Status s = ig::UserDirectory(**store).Add(u, password);
  if (!s.ok()) return Fail(s);
  std::printf("added user %s (%s, %s)\n", u.username.c_str(), a.role.c_str(), u.org_code.c_str());
  return 0;
}

int RunList(const UsersArgs& a) {
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) return Fail(store.status());
  auto users = ig::UserDirectory(**store).List();
  if (!users.ok()) return Fail(users.status());
  std::printf("%-24s %-17s %-10s %-12s %-8s %s\n", "username", "role", "org", "team", "patient",
              "status");
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  for (const ig::UserInfo& u : *users) {
    std::string status = u.disabled ? "disabled" : u.locked_until > now ? "locked" : "active";
    std::printf("%-24s %-17s %-10s %-12s %-8s %s\n", u.username.c_str(),
                std::string(ig::RoleName(u.role)).c_str(), u.org_code.c_str(),
                u.team.empty() ? "-" : u.team.c_str(), u.bound_to_patient ? "bound" : "-",
                status.c_str());
  }
  return 0;
}

int RunDisable(const UsersArgs& a) {
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) return Fail(store.status());
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  Status s = ig::UserDirectory(**store).Disable(a.username, now);
  if (!s.ok()) return Fail(s);
  std::printf("disabled user %s and revoked its tokens\n", a.username.c_str());
  return 0;
}

int RunCaseload(const UsersArgs& a) {
  auto person = NhsNumber::Parse(a.nhs_number);
  if (!person) {
    std::fprintf(stderr, "pioneer users caseload: --nhs-number is not a valid NHS Number\n");
    return 2;
  }
  auto store = store::Store::OpenSqlite(a.db);
  if (!store.ok()) return Fail(store.status());
  Status s = ig::AddToCaseload(**store, a.org, a.team, *person);
  if (!s.ok()) return Fail(s);
  std::printf("added one person to the caseload of team %s at %s\n", a.team.c_str(), a.org.c_str());
  return 0;
}

}  // namespace

void RegisterUsersCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<UsersArgs>();
  auto* cmd = app.add_subcommand(
      "users",
      "Accounts of the shared care record (exit codes: 0 ok, 2 usage or input error, 3 internal)");
  cmd->require_subcommand(1);
  auto* add = cmd->add_subcommand("add", "Add a user; the password is read from standard input");
  AddDbOption(add, args->db)->required();
  add->add_option("--username", args->username, "Sign-in name")->required();
  add->add_option("--role", args->role, "One of: " + ig::AllRoleNames())->required();
  add->add_option("--org", args->org,
                  "Organisation: ODS code (e.g. a GP practice B86001), or for council staff the "
                  "council code its social care records carry (e.g. E08000035)")
      ->required();
  add->add_option("--team", args->team, "Team (for caseload access)");
  add->add_option("--nhs-number", args->nhs_number,
                  "Patient accounts only: the NHS Number the account is bound to");
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password (at least 10 characters) from standard input");
  add->callback([args, &exit_code] { exit_code = RunAdd(*args); });

  auto* list = cmd->add_subcommand("list", "List users (never passwords or NHS Numbers)");
  AddDbOption(list, args->db)->required();
  list->callback([args, &exit_code] { exit_code = RunList(*args); });

  auto* disable = cmd->add_subcommand("disable", "Disable a user and revoke its tokens");
  AddDbOption(disable, args->db)->required();
  disable->add_option("--username", args->username, "Sign-in name")->required();
  disable->callback([args, &exit_code] { exit_code = RunDisable(*args); });

  auto* caseload = cmd->add_subcommand("caseload", "Add a person to a team's caseload");
  AddDbOption(caseload, args->db)->required();
  caseload->add_option("--org", args->org, "Organisation code of the team")->required();
  caseload->add_option("--team", args->team, "Team")->required();
  caseload->add_option("--nhs-number", args->nhs_number, "The person's NHS Number")->required();
  caseload->callback([args, &exit_code] { exit_code = RunCaseload(*args); });
}

}  // namespace pioneer::tools
