#!/usr/bin/env bash
# synth_bench.sh: how fast `pioneer synth` generates a large synthetic area.
#
# Builds the release binary (CMake preset "release") unless PIONEER_BIN points at one, runs
#   pioneer synth --population N --seed S --out DIR --skip-calibration
# for N = 1,000,000 people over the default window (2012-04-01..2016-03-31, four financial
# years), and reports wall time, rows per second and MB per second. The target on the 2-core
# reference machine is under 60 s (docs/synthetic-data.md records the measured figure).
# Not part of CI: it writes ~2 GB and takes about a minute.
#
# Usage: bench/synth_bench.sh [population] [seed]
#   PIONEER_BIN=build/release/pioneer  use an existing binary
#   SYNTH_BENCH_DIR=/path              where to write (default: a temporary folder, removed)
#   SYNTH_BENCH_THREADS=2              worker threads (default: all cores)
set -euo pipefail
cd "$(dirname "$0")/.."

population="${1:-1000000}"
seed="${2:-1}"
bin="${PIONEER_BIN:-}"
if [[ -z "$bin" ]]; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target pioneer >/dev/null
  bin=build/release/pioneer
fi
out="${SYNTH_BENCH_DIR:-$(mktemp -d /tmp/synth_bench.XXXXXX)}"
cleanup() { [[ -n "${SYNTH_BENCH_DIR:-}" ]] || rm -rf "$out"; }
trap cleanup EXIT

threads_args=()
[[ -n "${SYNTH_BENCH_THREADS:-}" ]] && threads_args=(--threads "$SYNTH_BENCH_THREADS")

start=$(date +%s.%N)
"$bin" synth --population "$population" --seed "$seed" --out "$out" --skip-calibration \
  "${threads_args[@]}" >"$out.log" 2>&1
end=$(date +%s.%N)

rows=$(grep -E '^  [0-9]+ extract rows' "$out.log" | awk '{print $1}')
bytes=$(du -sb "$out" | awk '{print $1}')
rm -f "$out.log"
awk -v s="$start" -v e="$end" -v r="$rows" -v b="$bytes" -v n="$population" -v c="$(nproc)" 'BEGIN {
  t = e - s
  printf "pioneer synth: %d people, %d cores\n", n, c
  printf "  wall time   %8.1f s\n", t
  printf "  rows        %8.1f M   (%.0f rows/s)\n", r / 1e6, r / t
  printf "  output      %8.0f MB  (%.0f MB/s)\n", b / 1e6, b / 1e6 / t
}'
