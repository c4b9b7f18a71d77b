#!/usr/bin/env bash
# link_bench.sh: speed of linkage. Two parts, both on demand (not in CI):
#   A. `pioneer link` (NHS Number tracing of a store) on a synthetic area: social care
#      records traced against the area's PDS index;
#   B. `pioneer match --dedupe` on a generated 1,000,000-record file.
#
#   bench/link_bench.sh [--part trace|dedupe|both] [--population P] [--faults default|hard]
#                       [--records N] [--pioneer PATH] [--work DIR] [--keep]
#
#   --part          which part to run (default both)
#   --population P  people in the synthetic area of part A (default 200000; the default
#                   `pioneer demo` area is 800000, whose PDS index holds ~1,000,000 persons)
#   --faults F      the area's fault model for part A (`pioneer synth --faults`: default, or
#                   hard - the synth-people corruption model on social care records)
#   --records N     records in the generated file of part B (default 1000000)
#   --pioneer PATH  the binary to time (default build/release/pioneer; built here with
#                   `cmake --preset release && cmake --build --preset release`)
#   --work DIR      folder for the generated data and outputs (default a fresh /tmp folder;
#                   generated data never goes into the repository)
#   --keep          keep the work folder
#
# Part A measures: `pioneer synth` + `pioneer ingest` of the area, then `pioneer link --json`
# with --threads 1 (pairs/s per core) and --threads 2 (a re-run: idempotent, same decisions),
# each under /usr/bin/time -v. Reported: index persons, social care records and distinct
# identifier sets traced, (record, index instance) pairs scored at the probabilistic step and
# pairs/s of the tracing phase, wall time of the whole command, peak resident memory, and
# coverage before -> after and accuracy against the area's truth files (--truth).
# Comparison set: given_name, family_name, birth_date, sex, postcode
# (the estimated tracing model; docs/linkage.md).
#
# Part B measures:
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
POP=200000
PART=both
FAULTS=default
BIN=build/release/pioneer
WORK=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --part) PART="$2"; shift 2 ;;
    --population) POP="$2"; shift 2 ;;
    --faults) FAULTS="$2"; shift 2 ;;
    --records) N="$2"; shift 2 ;;
    --pioneer) BIN="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) echo "usage: $0 [--part trace|dedupe|both] [--population P] [--faults default|hard] [--records N] [--pioneer PATH] [--work DIR] [--keep]" >&2; exit 2 ;;
  esac
done
if [ "$BIN" = build/release/pioneer ]; then
  cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
fi
if [ -z "$WORK" ]; then WORK=$(mktemp -d /tmp/pioneer-link-bench.XXXXXX); fi
mkdir -p "$WORK"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT

if [ "$PART" = trace ] || [ "$PART" = both ]; then
  AREA="$WORK/area_${POP}_$FAULTS"
  DB="$WORK/area_${POP}_$FAULTS.db"
  echo "== A. pioneer link: synthetic area of $POP people, $FAULTS faults =="
  if [ ! -f "$DB" ]; then
    "$BIN" synth --population "$POP" --faults "$FAULTS" --out "$AREA" >/dev/null
    "$BIN" ingest "$AREA" --db "$DB" >/dev/null
  fi
  for t in 1 2; do
    /usr/bin/time -v -o "$WORK/link_time_$t.txt" "$BIN" link --db "$DB" --json --threads "$t" --truth "$AREA" \
      > "$WORK/link_$t.json"
    wall=$(grep 'Elapsed (wall clock)' "$WORK/link_time_$t.txt" | awk '{print $NF}')
    rss=$(grep 'Maximum resident set size' "$WORK/link_time_$t.txt" | awk '{printf "%.0f MB", $NF/1024}')
    python3 - "$WORK/link_$t.json" "$t" "$wall" "$rss" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); t = j["timing"]
sc = [s for s in j["sources"] if s["table"] == "social_care_events"][0]
print(f"threads {sys.argv[2]}: index {j['index_persons']:,} persons; social care {sc['records']:,} records, "
      f"{j['distinct_queries']:,} distinct identifier sets; {t['scored_pairs']:,} pairs scored in "
      f"{t['trace_seconds']:.2f} s = {t['scored_pairs_per_second']:,.0f} pairs/s "
      f"({t['scored_pairs_per_second'] / t['threads']:,.0f} per thread)")
print(f"           read {t['read_seconds']:.1f} s, estimate {t['estimate_seconds']:.1f} s, "
      f"trace {t['trace_seconds']:.1f} s, write {t['write_seconds']:.1f} s; whole command wall "
      f"{sys.argv[3]}, peak RSS {sys.argv[4]}")
print(f"           social care coverage {100 * sc['coverage_before']:.2f}% -> {100 * sc['coverage_after']:.2f}% "
      f"(automatic {sc['automatic']:,}, review {sc['review']:,}, unmatched {sc['unmatched']:,})")
tr = j["truth"]
print(f"           against the truth files: {100 * tr['share_correctly_traced']:.2f}% of {tr['needing_trace']:,} "
      f"records needing a trace correctly traced; {tr['wrong_links']:,} of {tr['usable_links']:,} links wrong "
      f"({100 * tr['wrong_link_rate']:.3f}%)")
PY
  done
  echo
fi
[ "$PART" = dedupe ] || [ "$PART" = both ] || exit 0

echo "== B. pioneer match --dedupe =="
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
