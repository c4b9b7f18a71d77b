#!/usr/bin/env bash
# metrics_bench.sh: the fast metrics engine against the same definitions run as SQL by DuckDB
# and PostgreSQL 15, on the same data, with the numbers checked identical.
#
#   bench/metrics_bench.sh [--population N] [--pioneer PATH] [--db FILE] [--no-postgres] [--keep]
#
#   --population N  synthetic area size (default 1000000, the issue's target; use 50000-100000
#                   for a quick look)
#   --pioneer PATH  the binary (default build/release/pioneer; release preset)
#   --db FILE       use this store instead of generating and ingesting an area
#   --no-postgres   DuckDB only
#   --keep          keep the work folder
#
# Workload (issue 4): every metric, every month of the 4 financial years 2012/13-2015/16,
# broken down by CCG and by GP practice (two evaluations).
#  1. Pioneer: `pioneer metrics --timing` = reference data + person timeline built from the
#     store ("load"), then Evaluate with the fast engine ("evaluate"); both timed.
#  2. The same definitions rendered by Pioneer's SQL renderer (`--emit-sql duckdb|postgres`,
#     one statement per counting call, the statements the SQLite reference engine runs, in
#     the peer's dialect), each with the cells the fast engine counted.
#  3. DuckDB (npm @duckdb/node-api, 2 threads, in memory): tables loaded from CSV exports of
#     the store (every column text + _rowid), load timed apart; every statement run and its
#     cells compared (bench/metrics_duckdb/run.mjs).
#  4. PostgreSQL 15 (throwaway server as in ../shared/specs/toolchain.md section 4): the same
#     CSVs COPYed into text tables, NHS Number indexes, ANALYZE; every statement run in one
#     psql session and compared (bench/metrics_pg_run.py).
# Ratios: peer query seconds / Pioneer evaluate seconds, and / (load + evaluate).
# Not part of CI. Needs node/npm, sqlite3, python3, postgresql-15; run as root or a user that
# can run initdb.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
POPULATION=1000000
PIONEER="$ROOT/build/release/pioneer"
DB=""
PG=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --population) POPULATION="$2"; shift 2 ;;
    --pioneer) PIONEER="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --no-postgres) PG=0; shift ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
    *) echo "metrics_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

PGBIN=/usr/lib/postgresql/15/bin
PORT=55433
WORK="$(mktemp -d /tmp/pioneer_metrics_bench.XXXXXX)"
chmod 755 "$WORK"
PGDIR=/tmp/pioneer_mbench_pg
AS_PG=()
if [ "$(id -u)" -eq 0 ]; then AS_PG=(runuser -u postgres --); fi
cleanup() {
  if [ -d "$PGDIR/data" ]; then
    "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PGDIR"
  if [ "$KEEP" -eq 0 ]; then rm -rf "$WORK"; else echo "kept $WORK"; fi
}
trap cleanup EXIT
[ -x "$PIONEER" ] || { echo "metrics_bench: no binary at $PIONEER" >&2; exit 2; }
now() { date +%s.%N; }

# --- data ---------------------------------------------------------------------------------
LABEL="$POPULATION people"
if [ -n "$DB" ]; then LABEL="store $(basename "$DB")"; fi
if [ -z "$DB" ]; then
  DB="$WORK/area.db"
  echo "generating $POPULATION people and ingesting them ..." >&2
  "$PIONEER" synth --population "$POPULATION" --out "$WORK/area" --skip-calibration >/dev/null
  "$PIONEER" ingest --db "$DB" "$WORK/area" >/dev/null || [ $? -eq 1 ]  # 1: rows quarantined
  rm -rf "$WORK/area"
fi
ARGS=(--db "$DB" --period 2012-04..2016-03 --every month --no-disclosure-control)

# --- Pioneer fast engine ----------------------------------------------------------------------
FAST_LOAD=0; FAST_EVAL=0
for BY in ccg practice; do
  T=$("$PIONEER" metrics "${ARGS[@]}" --by "$BY" --timing 2>&1 >/dev/null | tail -1)
  echo "pioneer by $BY: $T" >&2
  FAST_LOAD=$(python3 -c "import json,sys; print($FAST_LOAD + json.loads(sys.argv[1])['load_seconds'])" "$T")
  FAST_EVAL=$(python3 -c "import json,sys; print($FAST_EVAL + json.loads(sys.argv[1])['evaluate_seconds'])" "$T")
done

# --- the same definitions as SQL ----------------------------------------------------------------
for D in duckdb postgres; do
  for BY in ccg practice; do
    "$PIONEER" metrics "${ARGS[@]}" --by "$BY" --emit-sql "$D" >"$WORK/$D.$BY.json"
  done
done
mkdir -p "$WORK/csv"
for T in $(sqlite3 "$DB" "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('quarantine', 'ingest_runs', 'ingest_files')"); do
  sqlite3 -header -csv "$DB" "SELECT rowid AS _rowid, * FROM \"$T\"" >"$WORK/csv/$T.csv"
done
chmod -R a+rX "$WORK"

# --- DuckDB ------------------------------------------------------------------------------------
[ -d "$ROOT/bench/metrics_duckdb/node_modules/@duckdb/node-api" ] ||
  (cd "$ROOT/bench/metrics_duckdb" && npm ci --no-audit --no-fund >/dev/null)
DUCK=$(node "$ROOT/bench/metrics_duckdb/run.mjs" "$WORK/csv" "$WORK/duckdb.ccg.json" "$WORK/duckdb.practice.json")
echo "duckdb: $DUCK" >&2

# --- PostgreSQL 15 -----------------------------------------------------------------------------
PGRES='{"querySeconds": 0, "mismatches": -1, "skipped": true}'
if [ "$PG" -eq 1 ]; then
  rm -rf "$PGDIR"; mkdir -p "$PGDIR/sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PGDIR"; fi
  chmod 700 "$PGDIR"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-k $PGDIR/sock -p $PORT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c work_mem=256MB -c shared_buffers=512MB" start >/dev/null
  CONN="host=$PGDIR/sock port=$PORT user=postgres dbname=postgres"
  SQL="$WORK/load.sql"
  : >"$SQL"
  for F in "$WORK"/csv/*.csv; do
    T=$(basename "$F" .csv)
    COLS=$(head -1 "$F" | python3 -c "import sys; print(', '.join('\"%s\" text' % c for c in sys.stdin.read().strip().split(',')))")
    echo "CREATE TABLE \"$T\" ($COLS);" >>"$SQL"
    echo "\\copy \"$T\" FROM '$F' (FORMAT csv, HEADER)" >>"$SQL"
    if head -1 "$F" | grep -q nhs_number; then echo "CREATE INDEX ON \"$T\" (nhs_number);" >>"$SQL"; fi
  done
  echo "ANALYZE;" >>"$SQL"
  T0=$(now)
  "$PGBIN/psql" "$CONN" -X -q -v ON_ERROR_STOP=1 -f "$SQL" >/dev/null
  PGLOAD=$(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  echo "postgresql load: ${PGLOAD}s" >&2
  PGRES=$(python3 "$ROOT/bench/metrics_pg_run.py" "$CONN" "$WORK/postgres.ccg.json" "$WORK/postgres.practice.json")
  echo "postgresql: $PGRES" >&2
fi

python3 - "$LABEL" "$FAST_LOAD" "$FAST_EVAL" "$DUCK" "$PGRES" <<'PY'
import json, sys
pop, load, ev = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
duck, pg = json.loads(sys.argv[4]), json.loads(sys.argv[5])
print(f"metrics benchmark, {pop}, every metric x 48 months x (CCG, practice)")
print(f"  pioneer fast engine: evaluate {ev:.2f} s (+ load/timeline {load:.2f} s)")
for name, r in (("duckdb", duck), ("postgresql", pg)):
    if r.get("skipped"):
        print(f"  {name}: skipped"); continue
    q = r["querySeconds"]
    print(f"  {name}: {q:.2f} s for {r['statements']} statements, {r['mismatches']} mismatching"
          f" -> {q / ev:.1f}x the evaluate time, {q / (ev + load):.1f}x load + evaluate")
PY
