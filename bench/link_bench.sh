#!/usr/bin/env bash
# link_bench.sh: speed of `pioneer match` on a generated 1,000,000-record dedupe.
#
#   bench/link_bench.sh [--records N] [--pioneer PATH] [--work DIR] [--keep]
#
#   --records N     records in the generated file (default 1000000)
#   --pioneer PATH  the binary to time (default build/release/pioneer; built here with
#                   `cmake --preset release && cmake --build --preset release`)
#   --work DIR      folder for the generated data and outputs (default a fresh /tmp folder;
#                   generated data never goes into the repository)
#   --keep          keep the work folder
#
# What it measures (on demand, not in CI):
#  * Data: bench/link_fake_people.py writes N UK-style person rows (about 20% duplicates
#    with FEBRL-like typing errors, swaps, missing values, moves) with a person_id truth
#    column.
#  * Comparison set (the defaults for these columns, docs/linkage.md): given_name and
#    family_name (null / exact + term frequency / swapped / JW >= 0.92 / 0.88 / 0.70 /
#    else), birth_date (exact / one digit edit / day-month swap / 31 days / 1 year / 10
#    years / else), sex, postcode (exact + TF / sector / district / one edit / area / else).
#  * `pioneer match FILE --dedupe` twice: --threads 1 (pairs/s per core) and --threads 2,
#    each under /usr/bin/time -v. Reported: records, candidate pairs, scoring pairs/s (the
#    hot loop), wall time of the whole run (read, estimate, block, score, cluster, write),
#    peak resident memory, and pairwise accuracy against the generated truth.
# The figures in docs/linkage.md come from this script.
set -euo pipefail
cd "$(dirname "$0")/.."
N=1000000
BIN=build/release/pioneer
WORK=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --records) N="$2"; shift 2 ;;
    --pioneer) BIN="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--records N] [--pioneer PATH] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done
if [ "$BIN" = build/release/pioneer ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/pioneer-link-bench.XXXXXX); fi
mkdir -p "$WORK"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
DATA="$WORK/people_$N.csv"
[ -f "$DATA" ] || python3 bench/link_fake_people.py "$N" "$DATA"

run() {  # run THREADS -> prints the summary, leaves time -v output in $WORK/time_THREADS.txt
  /usr/bin/time -v -o "$WORK/time_$1.txt" "$BIN" match "$DATA" --dedupe --id record_id \
    --out "$WORK/pairs.csv" --clusters "$WORK/clusters.csv" --truth person_id --threads "$1" \
    > "$WORK/summary_$1.txt"
}

echo "records: $N ($DATA)"
for t in 1 2; do
  run "$t"
  scoring=$(grep '^scoring:' "$WORK/summary_$t.txt")
  pairs=$(grep 'candidate pairs scored' "$WORK/summary_$t.txt" | awk '{print $1}')
  wall=$(grep 'Elapsed (wall clock)' "$WORK/time_$t.txt" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$WORK/time_$t.txt" | awk '{printf "%.0f MB", $NF/1024}')
  echo "threads $t: $pairs candidate pairs; $scoring"
  echo "           whole run wall $wall, peak RSS $rss"
done
echo
grep -E '^(accuracy|time|clusters|decisions)' "$WORK/summary_2.txt"
echo
echo "full summary (2 threads):"
cat "$WORK/summary_2.txt"
