#!/usr/bin/env bash
# Fails when a module includes a header from a module or a library it may not depend on
# (the dependency rules in ARCHITECTURE.md). The build enforces the module rules too (each
# module sees only the headers of the modules it declares in src/CMakeLists.txt); this
# check also covers system and third-party headers, which share /usr/include.
# Usage: tests/layering_check.sh [repo-root]
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root/src/pioneer"

# module -> modules it may include (besides itself)
declare -A allowed=(
  [base]=""
  [model]="base"
  [formats]="base model"
  [synth]="base model formats"
  [store]="base model formats"
  [ingest]="base model formats store"
  [link]="base model formats store"
  [metrics]="base model formats store timeline ig analysis"
  [timeline]="base model formats store"
  [analysis]="base model formats store timeline"
  [quality]="base model formats store timeline"
  [plan]="base"
  [report]="base model formats store timeline analysis metrics plan"
  [ig]="base model formats store careplan documents"
  [fhir]="base model ig careplan documents"
  [server]="base model formats store ig fhir careplan documents"
  [careplan]="base model store"
  [documents]="base model store"
  [risk]="base model formats store timeline careplan metrics"
  [caretrak]="base model formats store timeline careplan metrics risk"
  [demo]="base model formats synth store ingest careplan link timeline analysis quality metrics plan report risk"
  [tools]="*"
)

# library -> modules that may include it. A library header is matched by its include path:
#   <csv.h>, <openssl/...>, <sqlite3.h>, <nlohmann/...>, <toml++/...>, <xlsxwriter.h>, <CLI/...>
declare -A library_users=(
  [csv]="base"
  [openssl]="base"
  [sqlite3]="store"
  [nlohmann]="link quality metrics report fhir server risk caretrak demo tools"
  [toml++]="plan"
  [xlsxwriter]="report"
  [CLI]="tools"
  [httplib]="server"
  [sodium]="ig"
  [xgboost]="risk"
)
# Headers every module may use: the C++ and C standard libraries, POSIX, fmt.
is_common_header() {
  case "$1" in
    fmt/*) return 0 ;;
    sys/*|unistd.h|fcntl.h|signal.h|spawn.h|errno.h|time.h|dirent.h|poll.h|pthread.h|\
    netinet/*|arpa/*|netdb.h|termios.h|libgen.h|stdio.h|stdlib.h|string.h|stdint.h|math.h) return 0 ;;
    */*|*.h|*.hpp) return 1 ;;
    *) return 0 ;;  # <vector>, <cstdint>, ...: no extension, no folder
  esac
}

bad=0
for module in */; do
  module="${module%/}"
  [ "${allowed[$module]+set}" = set ] || { echo "layering: module '$module' has no rule in tests/layering_check.sh and ARCHITECTURE.md"; bad=1; }
done
# One pass over every include: "<module>/<file>:<included module>".
while IFS=: read -r module file dep; do
  [ "$dep" = "$module" ] && continue
  rule="${allowed[$module]-}"
  [ "$rule" = "*" ] && continue
  case " $rule " in
    *" $dep "*) ;;
    *) echo "layering: $module/$file includes pioneer/$dep/ (not allowed)"; bad=1 ;;
  esac
done < <(grep -rHo '#include "pioneer/[a-z_]*/' . | sed -E 's|^\./([a-z_]+)/(.*):#include "pioneer/([a-z_]+)/$|\1:\2:\3|')

# System and third-party headers: "<module>/<file>:<header>".
while IFS=: read -r module file header; do
  is_common_header "$header" && continue
  case "$header" in
    gtest/*|gmock/*)
      # Tests and test helpers only.
      case "$file" in *_test.cc|testing/*|test_*.h|*_test_util.h) continue ;; esac
      echo "layering: $module/$file includes <$header> outside a test"; bad=1; continue ;;
  esac
  library="${header%%/*}"; library="${library%.h}"; library="${library%.hpp}"
  users="${library_users[$library]-}"
  if [ -z "$users" ]; then
    echo "layering: $module/$file includes <$header>, a library with no rule in tests/layering_check.sh"; bad=1; continue
  fi
  case " $users " in
    *" $module "*) ;;
    *) echo "layering: $module/$file includes <$header> ($library is for: $users)"; bad=1 ;;
  esac
done < <(grep -rHoE '^#include <[^>]+>' . | sed -E 's|^\./([a-z_]+)/(.*):#include <([^>]+)>$|\1:\2:\3|')
exit $bad
