#!/usr/bin/env bash
# Bounded soak of the shared care record (on demand, not in CI): `pioneer serve` on
# 127.0.0.1 under steady wrk load (Patient search by NHS Number as a GP, authentication, IG gate
# and audit on) for DURATION seconds (default 600), sampling the server's resident memory every
# 10 s. Passes (exit 0) when no request failed (no socket error, no non-2xx answer) and memory
# is flat: the last minute's median RSS within 10% (or 20 MB) of the second minute's, after
# warm-up. Four connections, as many as the server's workers (cpp-httplib holds a worker per
# kept-alive connection, so more connections would measure queueing, not stability).
# Writes WORKDIR/soak-rss.csv and WORKDIR/soak-rss.svg (RSS over time).
#
# Usage: bench/soak.sh [DURATION_SECONDS] [WORKDIR]   (the store of bench/server_bench.sh,
#        built first if missing: 200,000 people)
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${1:-600}"
WORK="${2:-/tmp/pioneer-bench-server-200000}"
if [ ! -f "$WORK/search.paths" ]; then
  bench/server_bench.sh 200000 "$WORK" 5 >/dev/null
fi
BIN=build/release/pioneer
DB="$WORK/pioneer.db"
"$BIN" serve --db "$DB" --listen 127.0.0.1:0 --threads 4 --rate-limit 1000000000 --token-ttl 7200 \
  > "$WORK/soak-server.out" 2>"$WORK/soak-server.log" &
SERVER_PID=$!
trap 'kill $SERVER_PID 2>/dev/null || true' EXIT
PORT=""
for _ in $(seq 1 100); do
  PORT=$(sed -n 's|^listening on http://127.0.0.1:\([0-9]*\).*|\1|p' "$WORK/soak-server.out")
  [ -n "$PORT" ] && break
  sleep 0.1
done
[ -n "$PORT" ] || { echo "server did not start" >&2; exit 3; }
TOKEN=$(curl -s -d grant_type=password -d username=bench-gp -d 'password=bench password' "http://127.0.0.1:$PORT/auth/token" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
PATHS="$WORK/search.paths" wrk -t2 -c4 -d"${DURATION}s" --latency -s "$WORK/paths.lua" \
  -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT" > "$WORK/soak-wrk.txt" 2>&1 &
WRK_PID=$!
echo "seconds,rss_kb" > "$WORK/soak-rss.csv"
T0=$(date +%s)
while kill -0 "$WRK_PID" 2>/dev/null; do
  echo "$(( $(date +%s) - T0 )),$(ps -o rss= -p "$SERVER_PID" | tr -d ' ')" >> "$WORK/soak-rss.csv"
  sleep 10
done
wait "$WRK_PID" || true
kill "$SERVER_PID"; wait "$SERVER_PID" || true
trap - EXIT
python3 - "$WORK" <<'PY'
import re, statistics, sys
work = sys.argv[1]
rows = [tuple(map(int, l.split(","))) for l in open(f"{work}/soak-rss.csv").read().split()[1:] if "," in l]
text = open(f"{work}/soak-wrk.txt").read()
reqs = int(re.search(r"(\d+) requests in", text).group(1))
bad = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)) else 0
errs = sum(map(int, m.groups())) if (m := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)) else 0
early = [r for t, r in rows if 60 <= t < 120] or [rows[0][1]]
late = [r for t, r in rows if t >= rows[-1][0] - 60]
e, l = statistics.median(early), statistics.median(late)
flat = l <= max(e * 1.10, e + 20 * 1024)
w, h, tmax, rmax = 640, 240, max(t for t, _ in rows) or 1, max(r for _, r in rows)
pts = " ".join(f"{40 + 580 * t / tmax:.1f},{210 - 180 * r / rmax:.1f}" for t, r in rows)
open(f"{work}/soak-rss.svg", "w").write(
    f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}"><rect width="100%" height="100%" fill="white"/>'
    f'<text x="40" y="20" font-family="sans-serif" font-size="13">pioneer serve resident memory during the soak (max {rmax/1024:.0f} MB, {tmax} s)</text>'
    f'<polyline fill="none" stroke="#005eb8" stroke-width="2" points="{pts}"/>'
    f'<line x1="40" y1="210" x2="620" y2="210" stroke="#888"/></svg>')
print(f"requests {reqs:,}; non-2xx {bad}; socket errors {errs}; RSS second minute {e/1024:.1f} MB, last minute {l/1024:.1f} MB: {'flat' if flat else 'GROWING'}")
sys.exit(0 if bad == 0 and errs == 0 and flat else 1)
PY
