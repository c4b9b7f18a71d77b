// `pioneer audit verify --db FILE [--expect-head SEQ:HASH]`: checks the hash chain of the
// access audit trail in the store's audit file (docs/ig.md). Exit codes: 0 intact, 1 a bad
// entry was found (the first one is named) or the audit file is missing or belongs to another
// store, 2 usage or input error, 3 internal error.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "pioneer/ig/audit.h"
#include "pioneer/store/store.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"

namespace pioneer::tools {
namespace {

struct AuditArgs {
  std::string db, expect_head;
};

int RunVerify(const AuditArgs& a) {
  auto store = store::Store::OpenExistingSqlite(a.db);
  if (!store.ok()) {
    std::fprintf(stderr, "pioneer audit verify: %s\n", store.status().message().c_str());
    return 2;
  }
  ig::AuditLog log(**store);
  auto v = log.Verify();
  if (!v.ok() && v.status().code() == StatusCode::kFailedPrecondition) {
    // The store's audit file is missing or is another store's: the trail is not intact.
    std::printf("audit trail BROKEN: %s\n", v.status().message().c_str());
    return 1;
  }
  if (!v.ok()) {
    std::fprintf(stderr, "pioneer audit verify: %s\n", v.status().message().c_str());
    return 3;
  }
  if (!v->ok) {
    std::printf("audit trail BROKEN at entry %lld: %s\n", static_cast<long long>(v->first_bad_seq),
                v->problem.c_str());
    return 1;
  }
  std::string head = fmt::format("{}:{}", v->head_seq, v->head_hash);
  if (!a.expect_head.empty()) {
    // The expected head must still be in the chain (entries after it may have been added).
    size_t colon = a.expect_head.find(':');
    long long seq = colon == std::string::npos ? -1 : std::atoll(a.expect_head.c_str());
    if (seq <= 0) {
      std::fprintf(stderr, "pioneer audit verify: --expect-head must be SEQ:HASH\n");
      return 2;
    }
    auto hash = log.HashOf(seq);
    if (!hash.ok()) {
      std::fprintf(stderr, "pioneer audit verify: %s\n", hash.status().message().c_str());
      return 3;
    }
    if (*hash != a.expect_head.substr(colon + 1)) {
      std::printf(
          "audit trail BROKEN at entry %lld: the recorded head is missing or differs "
          "(entries were removed from the end)\n",
          seq);
      return 1;
    }
  }
  std::printf("audit trail intact: %lld entries; head %s\n", static_cast<long long>(v->entries),
              head.c_str());
  return 0;
}

}  // namespace

void RegisterAuditCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand("audit", "The access audit trail of the shared care record");
  cmd->require_subcommand(1);
  auto* verify = cmd->add_subcommand(
      "verify",
      "Check the hash chain: exit 0 intact, 1 tampered (first bad entry named), 2 usage or "
      "input error, 3 internal error");
  AddDbOption(verify, args->db)->required();
  verify->add_option("--expect-head", args->expect_head,
                     "A head printed by an earlier verify (SEQ:HASH), kept elsewhere: detects "
                     "entries removed from the end");
  verify->callback([args, &exit_code] { exit_code = RunVerify(*args); });
}

}  // namespace pioneer::tools
