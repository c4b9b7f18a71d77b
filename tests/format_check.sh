#!/usr/bin/env bash
# Fails when a C++ file in the repository differs from what clang-format makes of it
# (.clang-format at the root). Fix with: git ls-files '*.cc' '*.h' | xargs clang-format -i
# Usage: tests/format_check.sh [repo-root]
set -euo pipefail
root="${1:-$(dirname "$0")/..}"
cd "$root"
fmt="$(command -v clang-format || command -v clang-format-14 || true)"
if [ -z "$fmt" ]; then
  echo "format_check: clang-format is not installed (scripts/install-deps.sh installs it)" >&2
  exit 1
fi
bad=0
while IFS= read -r -d '' f; do
  if ! "$fmt" --style=file "$f" | cmp -s - "$f"; then
    echo "format_check: $f is not clang-formatted" >&2
    bad=$((bad + 1))
  fi
done < <(git ls-files -z '*.cc' '*.h' 2>/dev/null || find src tests fuzz bench \( -name '*.cc' -o -name '*.h' \) -print0)
if [ "$bad" -ne 0 ]; then
  echo "format_check: $bad file(s) differ; run: git ls-files '*.cc' '*.h' | xargs clang-format -i" >&2
  exit 1
fi
echo "format_check: every C++ file is clang-formatted"
