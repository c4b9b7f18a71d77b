// The `--reconcile` options of commands that publish aggregates (`pioneer metrics`): how an
// IG officer asks the IG gate for figures without small-number suppression, or with
// objectors counted, to reconcile them with the source systems (docs/ig.md rule R23).
//
//   --reconcile REASON     why (at least 10 characters; recorded in the audit trail)
//   --as USERNAME          the IG officer's own account (`pioneer users add --role ig_officer`)
//   --password-stdin       the account's password on standard input (never on the command line)
//   --include-objectors    count people who objected to secondary use as well
//
// Without --reconcile the release is ig::AggregateRelease::Published() and nothing is asked.
// With it, the account signs in (lockout applies, as on the server) and the gate decides
// (Gate::ReleaseAggregates): any role but ig_officer is refused; grants and refusals are
// audited. Errors name the option, never the password.
// Thread safety: call from the command's thread.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/ig/aggregate_release.h"
#include "pioneer/store/store.h"

namespace pioneer::tools {

struct ReconcileArgs {
  std::string reason;
  std::string username;
  bool password_stdin = false;
  bool include_objectors = false;
};

// Adds the four options to `cmd`, writing into `args` (which must outlive parsing).
void AddReconcileOptions(CLI::App* cmd, ReconcileArgs& args);

// The release for this invocation: Published() without --reconcile; otherwise the gate's
// decision for the signed-in account, for `output` (e.g. "pioneer metrics"). Reads one line
// (the password) from standard input when --reconcile is given. kInvalidArgument for a missing
// option, a failed sign-in or a refusal; the store's errors otherwise.
StatusOr<ig::AggregateRelease> ReleaseFor(const ReconcileArgs& args, store::Store& store,
                                          const std::string& output);

}  // namespace pioneer::tools
