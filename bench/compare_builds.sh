#!/usr/bin/env bash
# compare_builds.sh: is one build of pioneer slower than another at what the benchmarks
# measure? The check behind "no benchmark slower than before by more than 5%": the steps of
# synth_bench, ingest_bench, timeline_bench, link_bench and metrics_bench (and so of the demo,
# which is those steps), run by an OLD and a NEW binary, alternated round by round on the same
# machine, so that a load that comes and goes hits both alike.
#
#   bench/compare_builds.sh OLD_BIN NEW_BIN [--population N] [--records R] [--rounds K]
#                           [--work DIR] [--keep]
#
#   OLD_BIN, NEW_BIN  release builds of `pioneer` (e.g. a worktree of the older commit built
#                     with `cmake --preset release && cmake --build --preset release`)
#   --population N    people in the synthetic area (default 100000)
#   --records R       rows of the generated file for `pioneer match --dedupe` (default 100000)
#   --rounds K        rounds; each runs every step with OLD then NEW, or NEW then OLD in
#                     alternate rounds (default 3)
#   --work DIR        folder for the generated data (default a fresh /tmp folder; never the
#                     repository)
#
# Each round and binary: `synth` (seed 1), `ingest` of that area, `timeline` (the person
# timeline; a build that writes the snapshot, or opens it when the build already wrote one
# at the end of ingest), `link` (NHS Number tracing, 1 thread), `metrics --by ccg` and
# `metrics --by practice` (every metric), and `match --dedupe` (1 thread) on the generated
# file. Steps are timed with /usr/bin/time: wall seconds, CPU seconds (user + system, which a
# busy machine inflates less than wall time) and peak memory. Reported per step: the median
# of each over the rounds and NEW/OLD ratios (> 1.05 CPU: more than 5% slower). Steps whose
# work changed between the builds (e.g. ingest that now also writes the snapshot) are read
# together with the step that no longer does it: the report also gives ingest + timeline and
# ingest + link + timeline + metrics ("pipeline").
# Exit: 0 done, 2 usage error, 3 a step failed (its log is named).
set -uo pipefail

usage() {
  sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[ $# -ge 2 ] || usage
OLD="$1"
NEW="$2"
shift 2
N=100000
RECORDS=100000
ROUNDS=3
WORK=""
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --population) N="$2"; shift 2 ;;
    --records) RECORDS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) usage ;;
  esac
done
for b in "$OLD" "$NEW"; do
  [ -x "$b" ] || { echo "compare_builds: no executable at $b" >&2; exit 2; }
done
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
[ -n "$WORK" ] || WORK="$(mktemp -d /tmp/pioneer-compare.XXXXXX)"
mkdir -p "$WORK"
[ "$KEEP" = 1 ] || trap 'rm -rf "$WORK"' EXIT
TIMES="$WORK/times.tsv"
: >"$TIMES"

DATA="$WORK/people_$RECORDS.csv"
python3 "$ROOT/bench/link_fake_people.py" "$RECORDS" "$DATA" >/dev/null

# step NAME BUILD ROUND CMD...: runs CMD under /usr/bin/time, appends a line to $TIMES.
step() {
  local name="$1" build="$2" round="$3"
  shift 3
  local log="$WORK/$build.$round.$name.log"
  if ! /usr/bin/time -f "%e %U %S %M" -o "$log.time" "$@" >"$log" 2>&1; then
    # exit 1 is "findings" (e.g. quarantined rows, metrics below plan): the step ran.
    local rc
    rc=$(grep -o 'exited with non-zero status [0-9]*' "$log.time" | awk '{print $NF}')
    if [ "${rc:-0}" != 1 ]; then
      echo "compare_builds: $build $name failed (exit ${rc:-?}); see $log" >&2
      exit 3
    fi
  fi
  read -r wall user sys kb < <(tail -1 "$log.time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$build" "$round" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$kb" >>"$TIMES"
}

run_build() {  # run_build BUILD BIN ROUND
  local build="$1" bin="$2" round="$3" dir="$WORK/$1.$3"
  rm -rf "$dir"
  mkdir -p "$dir"
  step synth "$build" "$round" "$bin" synth --population "$N" --seed 1 --out "$dir/area"
  step ingest "$build" "$round" "$bin" ingest --progress never --db "$dir/store.db" "$dir/area"
  step timeline "$build" "$round" "$bin" timeline --db "$dir/store.db"
  step link "$build" "$round" "$bin" link --db "$dir/store.db" --threads 1
  step metrics_ccg "$build" "$round" "$bin" metrics --db "$dir/store.db" --by ccg
  step metrics_practice "$build" "$round" "$bin" metrics --db "$dir/store.db" --by practice
  step match "$build" "$round" "$bin" match "$DATA" --dedupe --id record_id \
    --out "$dir/pairs.csv" --clusters "$dir/clusters.csv" --threads 1
  rm -rf "$dir"
}

echo "compare_builds: $N people, $RECORDS match records, $ROUNDS rounds; work $WORK" >&2
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) = 1 ]; then
    run_build old "$OLD" "$r"
    run_build new "$NEW" "$r"
  else
    run_build new "$NEW" "$r"
    run_build old "$OLD" "$r"
  fi
  echo "round $r of $ROUNDS done (load average $(cut -d' ' -f1-3 /proc/loadavg))" >&2
done

python3 - "$TIMES" <<'EOF'
import statistics, sys
from collections import defaultdict
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
t = defaultdict(list)  # (step, build) -> [(wall, cpu, kb)]
for name, build, rnd, wall, cpu, kb in rows:
    t[(name, build)].append((float(wall), float(cpu), int(kb)))
steps = list(dict.fromkeys(r[0] for r in rows))
def per_round(names, build):
    rounds = defaultdict(lambda: [0.0, 0.0])
    for name, b, rnd, wall, cpu, kb in rows:
        if b == build and name in names:
            rounds[rnd][0] += float(wall); rounds[rnd][1] += float(cpu)
    return list(rounds.values())
def med(xs, i): return statistics.median(x[i] for x in xs)
print(f"{'step':<20} {'old wall':>9} {'new wall':>9} {'old cpu':>8} {'new cpu':>8} "
      f"{'cpu new/old':>11} {'wall new/old':>12} {'old MB':>7} {'new MB':>7}")
def line(label, o, n, mem=True):
    ow, nw, oc, nc = med(o, 0), med(n, 0), med(o, 1), med(n, 1)
    flag = "  <- slower by more than 5%" if nc > 1.05 * oc else ""
    mems = f" {med(o, 2) / 1024:7.0f} {med(n, 2) / 1024:7.0f}" if mem else ""
    print(f"{label:<20} {ow:9.2f} {nw:9.2f} {oc:8.2f} {nc:8.2f} {nc / oc:11.3f} "
          f"{nw / ow:12.3f}{mems}{flag}")
for s in steps:
    line(s, t[(s, "old")], t[(s, "new")])
for label, names in [("ingest+timeline", {"ingest", "timeline"}),
                     ("pipeline", {"ingest", "timeline", "link", "metrics_ccg",
                                   "metrics_practice"})]:
    line(label, per_round(names, "old"), per_round(names, "new"), mem=False)
EOF
