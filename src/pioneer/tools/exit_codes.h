// The exit codes of every `pioneer` command (printed in `pioneer --help`, README.md and
// docs/guarantees.md):
//   0  ok: the command did what was asked;
//   1  findings: it ran, and found what the command exists to report (plan validation errors,
//      calibration outside its band);
//   2  usage or input error: bad arguments, a missing or unreadable file, bad input data, a
//      store that cannot be opened or written; nothing was changed;
//   3  internal error: a bug or a library failure (please report it).
// Thread safety: constants and a pure function.
#pragma once

#include "pioneer/base/status.h"

namespace pioneer::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternal = 3;

// The exit code for a failed operation: 3 for kInternal, 2 for everything else.
inline int ExitCodeFor(const Status& s) {
  if (s.ok()) return kExitOk;
  return s.code() == StatusCode::kInternal ? kExitInternal : kExitUsage;
}

// The footer of `pioneer --help`.
inline constexpr const char* kExitCodesHelp =
    "Exit codes (every command): 0 ok; 1 findings (e.g. plan validation errors); 2 usage or "
    "input error (bad arguments, missing or bad files, unusable store; nothing changed); 3 "
    "internal error (a bug: please report it).";

}  // namespace pioneer::tools
