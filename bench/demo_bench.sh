#!/usr/bin/env bash
# demo_bench.sh: `pioneer demo` end to end on the embedded default (on demand, not in CI).
#
# Builds the release binary unless PIONEER_BIN points at one, runs
#   pioneer demo --population N --out DIR
# (default N = 800,000, the demo's own default) and reports the wall time of each step as the
# demo prints it, the total wall time, CPU time and peak resident memory. There is no peer:
# this is the figure a new user waits for after the README's first command.
#
# Usage: bench/demo_bench.sh [population]
#   PIONEER_BIN=build/release/pioneer   use an existing binary
#   DEMO_BENCH_DIR=/path                where to write (default: a temporary folder, removed)
set -euo pipefail
cd "$(dirname "$0")/.."
population="${1:-800000}"
bin="${PIONEER_BIN:-}"
if [[ -z "$bin" ]]; then
  scripts/install-deps.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target pioneer >/dev/null
  bin=build/release/pioneer
fi
[[ -x /usr/bin/time ]] || { echo "demo_bench: needs /usr/bin/time (scripts/install-deps.sh --bench)" >&2; exit 2; }
out="${DEMO_BENCH_DIR:-$(mktemp -d /tmp/demo_bench.XXXXXX)}"
cleanup() { [[ -n "${DEMO_BENCH_DIR:-}" ]] || rm -rf "$out"; }
trap cleanup EXIT

if ! /usr/bin/time -f "%e %U %S %M" -o "$out.time" "$bin" demo --population "$population" \
  --out "$out" >"$out.log" 2>"$out.err"; then
  echo "demo_bench: pioneer demo failed; its last output:" >&2
  tail -n 20 "$out.log" "$out.err" >&2
  exit 1
fi
read -r wall user sys peak_kb <"$out.time"
echo "pioneer demo, $population people, $(nproc) cores"
grep -E '^\[[0-9]+/[0-9]+\]|seconds| s\)' "$out.log" || true
awk -v w="$wall" -v u="$user" -v s="$sys" -v m="$peak_kb" 'BEGIN {
  printf "total: %.1f s wall, %.1f s CPU, peak memory %.0f MB\n", w, u + s, m / 1024 }'
rm -f "$out.time" "$out.log" "$out.err"
