#!/usr/bin/env bash
# Risk stratification benchmark (on demand, not in CI).
#
# For a synthetic area (default 1,000,000 people, trained at 2013-04-01): feature extraction
# (people/s), XGBoost training of the emergency-admission model through Pioneer's risk module
# (bench/risk_bench.cc, the code `pioneer risk train` runs), scoring (people/s) and peak memory;
# next to the peer measured in the same run on the same rows with the same parameters: the
# `xgboost` command-line program (Debian package xgboost) reading the training matrix as LibSVM.
# The peer is timed twice, with the rounds and with one, so that its text parsing can be
# taken out (its training time is R x the time per round, (T(R) - T(1)) / (R - 1)): the ratio
# that matters is Pioneer's training time over the peer's training time.
#
# Usage: bench/risk_bench.sh [POPULATION] [ROUNDS] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
ROUNDS="${2:-100}"
WORK="${3:-/tmp/pioneer-bench-risk-$N}"
[ "${PIONEER_BENCH_SKIP_DEPS:-0}" = 1 ] || scripts/install-deps.sh --bench
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
cmake --preset bench >/dev/null && cmake --build --preset bench --target pioneer_risk_bench >/dev/null
BIN=build/release/pioneer
mkdir -p "$WORK"
if [ ! -f "$WORK/pioneer.db" ]; then
  "$BIN" synth --population "$N" --seed 1 --skip-calibration --out "$WORK/extracts" >/dev/null
  "$BIN" ingest --progress never --db "$WORK/pioneer.db" "$WORK/extracts" >/dev/null
fi

/usr/bin/time -f "%e %M" -o "$WORK/time.txt" build/bench/bench/pioneer_risk_bench \
  "$WORK/pioneer.db" 2013-04-01 "$WORK/train.libsvm" "$ROUNDS" \
  --benchmark_out="$WORK/pioneer.json" --benchmark_out_format=json | tee "$WORK/pioneer.txt"
read -r total_secs total_kb < "$WORK/time.txt"

# The same parameters as risk::BoostParams (boosted.h), fixed rounds, no base margin.
peer() {  # $1 rounds -> "seconds peak_kb"
  cat > "$WORK/peer.conf" <<CONF
booster = gbtree
objective = binary:logistic
tree_method = hist
max_depth = 4
eta = 0.1
min_child_weight = 20
lambda = 5
seed = 1
nthread = 2
num_round = $1
save_period = 0
data = "$WORK/train.libsvm?format=libsvm"
model_out = "$WORK/peer.model"
CONF
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" xgboost "$WORK/peer.conf" >/dev/null 2>&1
  cat "$WORK/time.txt"
}
read -r peer_secs peer_kb < <(peer "$ROUNDS")
read -r one_secs _ < <(peer 1)

python3 - "$WORK" "$N" "$ROUNDS" "$total_secs" "$total_kb" "$peer_secs" "$peer_kb" "$one_secs" <<'PY'
import json, sys
work, n, rounds, total, total_kb, peer, peer_kb, one = sys.argv[1:]
b = {x["name"].split("/")[0]: x for x in json.load(open(f"{work}/pioneer.json"))["benchmarks"]}
train = b["train_emergency"]["real_time"]
r = int(rounds)
per_round = (float(peer) - float(one)) / max(r - 1, 1)
peer_train = max(per_round * r, 1e-9)
parse = float(peer) - peer_train
print(f"population {n}: {int(b['train_emergency']['rows']):,} people in the cohort, {rounds} rounds")
print(f"features   {b['features']['real_time']:.1f} s  ({b['features']['people_per_s']:,.0f} people/s)")
print(f"train      {train:.1f} s   peer xgboost CLI: {float(peer):.1f} s total, "
      f"{parse:.1f} s of it reading the text matrix, {peer_train:.1f} s training")
print(f"           ratio Pioneer / peer training: {train / peer_train:.2f}")
print(f"score      {b['score']['real_time']:.2f} s  ({b['score']['people_per_s']:,.0f} people/s)")
print(f"peak memory: Pioneer bench process {int(total_kb) / 1024:.0f} MB (timeline + features + "
      f"model), peer {int(peer_kb) / 1024:.0f} MB; whole bench process {float(total):.0f} s")
PY
