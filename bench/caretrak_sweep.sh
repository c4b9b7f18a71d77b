#!/usr/bin/env bash
# Care Trak against planted truth over several seeds and effect sizes (docs/caretrak.md,
# "Validation against planted truth"): builds synthetic areas with two planted schemes each
# (emergency admissions and A&E), evaluates every scheme under several comparison settings and
# prints, per setting and outcome, the mean estimate minus the truth, its standard error, the
# interval coverage and the mean interval width. On demand, never in CI (8 areas of 20,000:
# about 6-10 minutes on 2 cores, release build).
#
#   bench/caretrak_sweep.sh [--pioneer build/release/pioneer] [--population 20000]
#                           [--work DIR] [--configs "k1_noreg k1_reg k3_reg"]
#                           [--scenarios "SEED:NE_EFFECT:AE_EFFECT ..."]
# A config name is k<N>_<reg|noreg>: 1:N matching, with or without regression adjustment.
# The default scenarios are seeds 41-48 with effects 0 to -0.3 (docs/caretrak.md); the
# documented second set is "49:0:-0.1 50:-0.2:0 51:-0.1:-0.2 52:0:-0.3 53:-0.3:-0.1
# 54:-0.15:0 55:0:-0.15 56:-0.2:-0.2".
# Areas are kept in --work (default /tmp/caretrak_sweep) and reused on a second run.
set -euo pipefail
PIONEER=build/release/pioneer
POP=20000
WORK=/tmp/caretrak_sweep
CONFIGS="k1_noreg k1_reg"
SCENARIOS="41:-0.3:0 42:0:-0.2 43:-0.3:-0.15 44:-0.1:-0.3 45:0:0 46:-0.2:-0.1 47:-0.3:-0.3 48:0:-0.2"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --pioneer) PIONEER="$2"; shift 2 ;;
    --population) POP="$2"; shift 2 ;;
    --work) WORK="$2"; shift 2 ;;
    --configs) CONFIGS="$2"; shift 2 ;;
    --scenarios) SCENARIOS="$2"; shift 2 ;;
    -h|--help) sed -n 2,16p "$0"; exit 0 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
PIONEER=$(readlink -f "$PIONEER")
mkdir -p "$WORK"
RESULTS="$WORK/results.csv"
echo "config,seed,outcome,truth,estimate,low,high,unregressed,naive,pairs" > "$RESULTS"
for sc in $SCENARIOS; do
  IFS=: read -r seed ne ae <<< "$sc"
  area="$WORK/p${POP}_s${seed}_${ne}_${ae}"
  if [[ ! -f "$area/area.db" ]]; then
    echo "building area seed $seed (ne $ne, ae $ae)" >&2
    rm -rf "$area"; mkdir -p "$area"
    "$PIONEER" synth --population "$POP" --seed "$seed" --threads 2 --skip-calibration \
      --intervention "ne:non_elective_admissions:$ne" --intervention "ae:ae_attendances:$ae" \
      --out "$area/extracts" > /dev/null
    "$PIONEER" ingest --progress never --db "$area/area.db" "$area/extracts" > /dev/null
  fi
  for cfg in $CONFIGS; do
    k=${cfg%%_*}; k=${k#k}; reg=false; [[ $cfg == *_reg ]] && reg=true
    for scheme in ne ae; do
      outcome=non_elective_admissions; truth=$ne
      [[ $scheme == ae ]] && { outcome=ae_attendances; truth=$ae; }
      cat > "$area/$cfg.$scheme.json" <<JSON
{"name": "$scheme", "entry": {"type": "enrolment_list", "file": "extracts/interventions/$scheme.csv"},
 "outcomes": ["$outcome"],
 "comparison": {"controls_per_case": $k, "regression_adjustment": $reg}}
JSON
      out="$area/out_$cfg.$scheme"
      rm -rf "$out"
      "$PIONEER" caretrak --db "$area/area.db" --cohort "$area/$cfg.$scheme.json" --out "$out" \
        > /dev/null 2> "$out.err" || { echo "caretrak failed: $out.err" >&2; continue; }
      python3 - "$out/caretrak.json" "$cfg" "$seed" "$outcome" "$truth" >> "$RESULTS" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); e = j["effect"]
print(",".join(map(str, [sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], e["relative"],
      e["relative_ci95"][0], e["relative_ci95"][1],
      e.get("relative_without_regression_adjustment", e["relative"]),
      j["naive"]["relative"], j["matched_group"]["size"]])))
PY
    done
  done
done
python3 - "$RESULTS" <<'PY'
import csv, sys, statistics as st
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{'config':10} {'outcome':24} {'n':>3} {'bias':>7} {'se':>6} {'cover':>6} {'width':>6} {'pairs':>6}")
for cfg in dict.fromkeys(r["config"] for r in rows):
    for out in dict.fromkeys(r["outcome"] for r in rows):
        rs = [r for r in rows if r["config"] == cfg and r["outcome"] == out]
        if not rs: continue
        d = [float(r["estimate"]) - float(r["truth"]) for r in rs]
        cov = sum(float(r["low"]) <= float(r["truth"]) <= float(r["high"]) for r in rs)
        w = st.mean(float(r["high"]) - float(r["low"]) for r in rs)
        se = st.stdev(d) / len(d) ** 0.5 if len(d) > 1 else float("nan")
        print(f"{cfg:10} {out:24} {len(rs):3d} {st.mean(d):+7.3f} {se:6.3f} {cov:3d}/{len(rs):<2d} {w:6.3f} {st.mean(int(r['pairs']) for r in rs):6.0f}")
PY
echo "per-scheme results: $RESULTS" >&2
