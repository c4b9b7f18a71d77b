#!/usr/bin/env bash
# Shared care record load benchmark (on demand, not in CI).
#
# On a synthetic area (default 200,000 people) served by `pioneer serve` on 127.0.0.1 with
# authentication, the IG gate and the audit trail on (every read appended to the hash chain):
# wrk (Debian) drives, for 20 s each at 32 connections,
#   search   GET /fhir/Patient?identifier=...|NHS as a GP, cycling through 1,000 of the
#            GP's registered patients (a legitimate relationship, so each is disclosed);
#   read     GET /fhir/Patient/ID for the same people;
#   everything  GET /fhir/Patient/ID/$everything for the practice's patient with the longest
#            history (requests/s, latency);
# next to the peer measured in the same run: bare cpp-httplib (bench/bare_httplib.cc) with the
# same thread pool answering a fixed body of the same size.
# Each row also gives the server's CPU time per request (user + system, from
# /proc/PID/stat): on a shared machine it moves less with the load than requests/s. Goal (docs/fhir.md): at least
# 8,000 requests/s with p99 under 20 ms for search and read on 2 cores.
#
# cpp-httplib keeps a worker thread for each kept-alive connection, so more connections than
# worker threads only queue (p99 becomes waiting time, for the peer as much as for Pioneer):
# both servers run THREADS workers (default 8) and wrk opens as many connections.
#
# Usage: [THREADS=8] [PIONEER_BIN=path] bench/server_bench.sh [POPULATION] [WORKDIR] [DURATION_SECONDS]
# (PIONEER_BIN runs another build of pioneer, e.g. an older one, against the same store.)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-200000}"
WORK="${2:-/tmp/pioneer-bench-server-$N}"
DURATION="${3:-20}"
[ "${PIONEER_BENCH_SKIP_DEPS:-0}" = 1 ] || scripts/install-deps.sh --bench
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
cmake --preset bench >/dev/null && cmake --build --preset bench --target pioneer_bare_httplib >/dev/null
BIN="${PIONEER_BIN:-build/release/pioneer}"
THREADS="${THREADS:-8}"
PEER=build/bench/bench/pioneer_bare_httplib
mkdir -p "$WORK"
if [ ! -f "$WORK/pioneer.db" ]; then
  "$BIN" synth --population "$N" --seed 1 --skip-calibration --out "$WORK/extracts" >/dev/null
  "$BIN" ingest --progress never --db "$WORK/pioneer.db" "$WORK/extracts" >/dev/null
fi
DB="$WORK/pioneer.db"
PRACTICE=$(sqlite3 "$DB" "SELECT gp_practice_code FROM pds WHERE death_date IS NULL AND gp_practice_code <> '' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
sqlite3 "$DB" "SELECT DISTINCT nhs_number FROM pds WHERE gp_practice_code = '$PRACTICE' AND death_date IS NULL AND nhs_number_status = 'valid' ORDER BY nhs_number LIMIT 1000" > "$WORK/nhs.txt"
if ! "$BIN" users list --db "$DB" | grep -q '^bench-gp '; then
  echo 'bench password' | "$BIN" users add --db "$DB" --username bench-gp --role gp --org "$PRACTICE" --password-stdin >/dev/null
fi

start_server() {  # $@: command; sets SERVER_PID and PORT
  "$@" > "$WORK/server.out" 2>"$WORK/server.log" &
  SERVER_PID=$!
  for _ in $(seq 1 100); do
    PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/server.out")
    [ -n "$PORT" ] && return 0
    sleep 0.1
  done
  echo "server did not start" >&2; exit 3
}
stop_server() { kill "$SERVER_PID"; wait "$SERVER_PID" || true; }

start_server "$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads "$THREADS" --rate-limit 1000000000 --token-ttl 3600
TOKEN=$(curl -s -d grant_type=password -d username=bench-gp -d 'password=bench password' "http://127.0.0.1:$PORT/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
patient_id() {  # $1 NHS Number -> the Patient resource id the GP's search returns
  curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C$1" |
    python3 -c 'import json,sys; e=json.load(sys.stdin).get("entry",[]); print(e[0]["resource"]["id"] if e else "")'
}
# Patient ids of the same people (the search answers them), and the longest history.
head -200 "$WORK/nhs.txt" | while read -r n; do patient_id "$n"; done | grep -v '^$' > "$WORK/ids.txt"
LONGEST=$(sqlite3 "$DB" "SELECT nhs_number FROM apc_episodes WHERE nhs_number IN (SELECT nhs_number FROM pds WHERE gp_practice_code = '$PRACTICE') GROUP BY 1 ORDER BY count(*) DESC LIMIT 1")
LONGEST_ID=$(patient_id "$LONGEST")

cat > "$WORK/paths.lua" <<'LUA'
-- Cycles through the request paths in the file named by the PATHS environment variable.
local paths = {}
for line in io.lines(os.getenv("PATHS")) do paths[#paths + 1] = line end
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
LUA
sed 's|^|/fhir/Patient?identifier=https://fhir.nhs.uk/Id/nhs-number%7C|' "$WORK/nhs.txt" > "$WORK/search.paths"
sed 's|^|/fhir/Patient/|' "$WORK/ids.txt" > "$WORK/read.paths"
echo "/fhir/Patient/$LONGEST_ID/\$everything" > "$WORK/everything.paths"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }  # server user+system time
run_wrk() {  # $1 name, $2 paths file, $3 connections -> "name req/s p50 p99 non2xx cpu_us/request"
  local before
  before=$(cpu_ticks)
  PATHS="$2" wrk -t2 -c"$3" -d"${DURATION}s" --latency -s "$WORK/paths.lua" \
    -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT" > "$WORK/wrk-$1.txt" 2>&1
  echo "server_cpu_seconds $(python3 -c "print(($(cpu_ticks) - $before) / $(getconf CLK_TCK))")" >> "$WORK/wrk-$1.txt"
  python3 - "$1" "$WORK/wrk-$1.txt" <<'PY'
import re, sys
name, text = sys.argv[1], open(sys.argv[2]).read()
def ms(label):
    m = re.search(r"^\s*%s\s+([\d.]+)(us|ms|s)" % label, text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
requests = int(re.search(r"(\d+) requests in", text).group(1))
cpu = float(re.search(r"server_cpu_seconds ([\d.]+)", text).group(1))
print(f"{name} {rps:.0f} {ms('50%'):.2f} {ms('99%'):.2f} {bad.group(1) if bad else 0} {cpu * 1e6 / max(requests, 1):.0f}")
PY
}
RESULTS=()
RESULTS+=("$(run_wrk search "$WORK/search.paths" "$THREADS")")
RESULTS+=("$(run_wrk read "$WORK/read.paths" "$THREADS")")
RESULTS+=("$(run_wrk everything "$WORK/everything.paths" "$THREADS")")
stop_server
start_server "$PEER" 0 "$THREADS"
RESULTS+=("$(run_wrk bare "$WORK/search.paths" "$THREADS")")
stop_server

printf '%-12s %10s %9s %9s %8s %12s\n' "endpoint" "req/s" "p50 ms" "p99 ms" "non-2xx" "cpu us/req"
BARE=0
for r in "${RESULTS[@]}"; do
  read -r name rps p50 p99 bad cpu <<< "$r"
  [ "$name" = bare ] && BARE=$rps
  printf '%-12s %10s %9s %9s %8s %12s\n' "$name" "$rps" "$p50" "$p99" "$bad" "$cpu"
done
for r in "${RESULTS[@]}"; do
  read -r name rps _ <<< "$r"
  [ "$name" = bare ] && continue
  python3 -c "print(f'ratio {\"$name\"} / bare cpp-httplib: {$rps / $BARE:.3f}')"
done
echo "store: $DB ($N people); practice $PRACTICE; the audit trail grew by every request above"
