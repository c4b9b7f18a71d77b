#include "pioneer/tools/reconcile_option.h"

#include <ctime>
#include <iostream>

#include "pioneer/ig/gate.h"
#include "pioneer/ig/users.h"

namespace pioneer::tools {

void AddReconcileOptions(CLI::App* cmd, ReconcileArgs& args) {
  cmd->add_option("--reconcile", args.reason,
                  "IG officers only: ask the IG gate for figures without small-number "
                  "suppression, for reconciliation; the reason is audited (docs/ig.md R23)");
  cmd->add_option("--as", args.username, "With --reconcile: your own ig_officer account");
  cmd->add_flag("--password-stdin", args.password_stdin,
                "With --reconcile: read the account's password from standard input");
  cmd->add_flag("--include-objectors", args.include_objectors,
                "With --reconcile: count people who objected to secondary use as well");
}

StatusOr<ig::AggregateRelease> ReleaseFor(const ReconcileArgs& args, store::Store& store,
                                          const std::string& output) {
  if (args.reason.empty()) {
    if (!args.username.empty() || args.password_stdin || args.include_objectors) {
      return InvalidArgumentError(
          "--as, --password-stdin and --include-objectors go with --reconcile REASON");
    }
    return ig::AggregateRelease::Published();
  }
  if (args.username.empty()) return InvalidArgumentError("--reconcile needs --as USERNAME");
  if (!args.password_stdin) {
    return InvalidArgumentError(
        "--reconcile needs the password on standard input with --password-stdin (never on "
        "the command line)");
  }
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  ig::SignInFailure failure = ig::SignInFailure::kNone;
  std::optional<ig::Principal> who =
      ig::UserDirectory(store).SignIn(args.username, password, now, &failure);
  if (!who) {
    return InvalidArgumentError(
        "--as: sign-in failed (the username or password is wrong, or the account is locked or "
        "disabled)");
  }
  ig::AggregateRequest request;
  request.show_small_numbers = true;
  request.include_objectors = args.include_objectors;
  request.reason = args.reason;
  request.output = output;
  ig::Gate gate(store, now);
  return gate.ReleaseAggregates(*who, request);
}

}  // namespace pioneer::tools
