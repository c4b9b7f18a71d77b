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
# One clang-format process for all files (--dry-run -Werror reports each file it would change).
list() {
  git ls-files -z '*.cc' '*.h' 2>/dev/null ||
    find src tests fuzz bench \( -name '*.cc' -o -name '*.h' \) -print0
}
if ! out="$(list | xargs -0 "$fmt" --style=file --dry-run -Werror 2>&1)"; then
  echo "$out" | grep -o '^[^:]*\.\(cc\|h\):' | sort -u | sed 's/:$//; s/^/format_check: not clang-formatted: /' >&2
  echo "format_check: run: git ls-files '*.cc' '*.h' | xargs clang-format -i" >&2
  exit 1
fi
echo "format_check: every C++ file is clang-formatted"
