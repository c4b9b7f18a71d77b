#!/usr/bin/env bash
# metrics_bench.sh: the fast metrics engine against the same definitions run as SQL by DuckDB
# and PostgreSQL 15, on the same data, with the numbers checked identical.
#
#   bench/metrics_bench.sh [--population N] [--pioneer PATH] [--db FILE] [--no-postgres]
#                          [--pg-statement-timeout SECONDS] [--keep]
#
#   --population N  synthetic area size (default 1000000, the issue's target; use 50000-100000
#                   for a quick look)
#   --pioneer PATH  the binary (default build/release/pioneer; release preset)
#   --db FILE       use this store instead of generating and ingesting an area
#   --no-postgres   DuckDB only
#   --pg-statement-timeout SECONDS
#                   time budget per PostgreSQL statement (default 0: none). A statement over
#                   budget is cancelled, listed as timed out, not compared, and counted at the
#                   full budget, so the PostgreSQL figure and its ratios become LOWER BOUNDS.
#                   For 1,000,000 people: a few statements are quadratic on PostgreSQL (see
#                   bench/README.md, metrics section) and would take many hours.
#   --keep          keep the work folder
#
# Workload: every metric, every month of the 4 financial years 2012/13-2015/16, broken down
# by CCG and by GP practice (two evaluations).
#  1. Pioneer: `pioneer metrics --timing` = reference data + person timeline opened from its
#     snapshot, which `pioneer ingest` wrote ("load"), then Evaluate with the fast engine
#     ("evaluate"); both timed. Then the whole command (`pioneer metrics --json`, process
#     start to exit: open the store and the snapshot, evaluate, write the JSON), wall time and
#     peak memory, the figure compared with DuckDB's persistent-file run.
#  2. The same definitions rendered by Pioneer's SQL renderer (`--emit-sql duckdb|postgres`,
#     one statement per counting call, the statements the SQLite reference engine runs, in
#     the peer's dialect), each with the cells the fast engine counted.
#  3. DuckDB (npm @duckdb/node-api, 2 threads): tables created with the store's column types
#     (+ _rowid, the SQLite rowid) and loaded from CSV exports of the store, load timed apart;
#     every statement run and its cells compared (bench/metrics_duckdb/run.mjs); once in
#     memory and once from its own persistent database file (open + queries timed).
#  4. PostgreSQL 15 (throwaway server as in bench/README.md, settings
#     in PG_SETTINGS below): the same CSVs COPYed into the same typed tables, indexes on NHS
#     Number and on the lookup keys the SQL probes per row, ANALYZE; every statement run in one
#     psql session, timed on the server clock and compared (bench/metrics_pg_run.py).
# Ratios: peer query seconds / Pioneer evaluate seconds, and / (load + evaluate).
# Not part of CI. Needs node/npm, sqlite3, python3, postgresql-15; run as root or a user that
# can run initdb.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
POPULATION=1000000
PIONEER="$ROOT/build/release/pioneer"
DB=""
PG=1
PG_TIMEOUT=0
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --population) POPULATION="$2"; shift 2 ;;
    --pioneer) PIONEER="$2"; shift 2 ;;
    --db) DB="$2"; shift 2 ;;
    --no-postgres) PG=0; shift ;;
    --pg-statement-timeout) PG_TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,37p' "$0"; exit 0 ;;
    *) echo "metrics_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

PGBIN=/usr/lib/postgresql/15/bin
PORT=55433
WORK="$(mktemp -d /tmp/pioneer_metrics_bench.XXXXXX)"
chmod 755 "$WORK"
PGDIR=/tmp/pioneer_mbench_pg
# Server settings for an analytic, single-user, throwaway database (see bench/README.md):
# durability off (it is rebuilt every run), memory for 2 cores / 23 GB, 2 parallel workers, and
# two planner settings this SQL needs on PostgreSQL 15: nested loops off (the planner estimates
# the materialised `person` and `cand` CTEs at ~0.5% of their real size and then nests loops that
# re-evaluate each record's link sub-query for every pair: 16 s -> 0.2 s for one statement at
# 20,000 people) and JIT off (with nested loops "disabled" every plan's cost passes the JIT
# thresholds and compiling took ~1.4 s a statement, more than the query).
PG_SETTINGS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off \
-c shared_buffers=2GB -c work_mem=256MB -c maintenance_work_mem=1GB -c effective_cache_size=8GB \
-c max_parallel_workers_per_gather=2 -c enable_nestloop=off -c jit=off"
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
# Published figures (disclosure control on, as every user gets them): --emit-sql and --timing
# compare and time the engines' exact counts, which disclosure control does not touch.
ARGS=(--db "$DB" --period 2012-04..2016-03 --every month)

# --- Pioneer fast engine ----------------------------------------------------------------------
FAST_LOAD=0; FAST_EVAL=0
for BY in ccg practice; do
  T=$("$PIONEER" metrics "${ARGS[@]}" --by "$BY" --timing 2>&1 >/dev/null | tail -1)
  echo "pioneer by $BY: $T" >&2
  FAST_LOAD=$(python3 -c "import json,sys; print($FAST_LOAD + json.loads(sys.argv[1])['load_seconds'])" "$T")
  FAST_EVAL=$(python3 -c "import json,sys; print($FAST_EVAL + json.loads(sys.argv[1])['evaluate_seconds'])" "$T")
done
# The whole command, as a user runs it (the snapshot is current: no rebuild).
FAST_WHOLE=0; FAST_PEAK_KB=0
for BY in ccg practice; do
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$PIONEER" metrics "${ARGS[@]}" --by "$BY" --json \
    >"$WORK/pioneer.$BY.json" 2>"$WORK/pioneer.$BY.err"
  if grep -q rebuilding "$WORK/pioneer.$BY.err"; then echo "metrics_bench: snapshot rebuilt" >&2; fi
  read -r W K <"$WORK/time.txt"
  echo "pioneer metrics --by $BY (whole command): ${W}s, peak ${K} kB" >&2
  FAST_WHOLE=$(python3 -c "print($FAST_WHOLE + $W)")
  FAST_PEAK_KB=$(( K > FAST_PEAK_KB ? K : FAST_PEAK_KB ))
done

# --- the same definitions as SQL ----------------------------------------------------------------
for D in duckdb postgres; do
  for BY in ccg practice; do
    "$PIONEER" metrics "${ARGS[@]}" --by "$BY" --emit-sql "$D" >"$WORK/$D.$BY.json"
  done
done
# CSV exports (no header; NULL and '' both empty) and the store's column types (schema.json),
# so that both peers get the same typed tables as the store (SQLite INTEGER -> bigint, REAL ->
# double, TEXT -> text; _rowid = the SQLite rowid, bigint; an extract table's _row column,
# store schema 9, holds the same value and is loaded like any column).
python3 - "$DB" "$WORK/csv" <<'PY'
import json, os, sqlite3, subprocess, sys
db, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
con = sqlite3.connect(db)
schema = {}
for (t,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE "
                        "'sqlite_%' AND name NOT IN ('quarantine', 'ingest_runs', 'ingest_files') "
                        "ORDER BY name"):
    schema[t] = [["_rowid", "INTEGER"]] + [[r[1], r[2].upper()]
                                          for r in con.execute(f'PRAGMA table_info("{t}")')]
    with open(f"{out}/{t}.csv", "wb") as f:
        subprocess.run(["sqlite3", "-csv", "-noheader", db, f'SELECT rowid, * FROM "{t}"'],
                       stdout=f, check=True)
json.dump(schema, open(f"{out}/schema.json", "w"))
PY
chmod -R a+rX "$WORK"

# --- DuckDB ------------------------------------------------------------------------------------
[ -d "$ROOT/bench/metrics_duckdb/node_modules/@duckdb/node-api" ] ||
  (cd "$ROOT/bench/metrics_duckdb" && npm ci --no-audit --no-fund >/dev/null)
DUCK=$(node "$ROOT/bench/metrics_duckdb/run.mjs" "$WORK/csv" "$WORK/duckdb.ccg.json" "$WORK/duckdb.practice.json")
echo "duckdb: $DUCK" >&2
DUCKP=$(node "$ROOT/bench/metrics_duckdb/run.mjs" --persistent="$WORK/duck.db" "$WORK/csv" \
  "$WORK/duckdb.ccg.json" "$WORK/duckdb.practice.json")
echo "duckdb (persistent file): $DUCKP" >&2

# --- PostgreSQL 15 -----------------------------------------------------------------------------
PGRES='{"querySeconds": 0, "mismatches": -1, "skipped": true}'
if [ "$PG" -eq 1 ]; then
  rm -rf "$PGDIR"; mkdir -p "$PGDIR/sock"
  if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PGDIR"; fi
  chmod 700 "$PGDIR"
  "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
    -o "-k $PGDIR/sock -p $PORT -c listen_addresses=127.0.0.1 $PG_SETTINGS" start >/dev/null
  CONN="host=$PGDIR/sock port=$PORT user=postgres dbname=postgres"
  SQL="$WORK/load.sql"
  python3 - "$WORK/csv" >"$SQL" <<'PY'
import json, sys
d = sys.argv[1]
types = {"INTEGER": "bigint", "REAL": "double precision"}
for t, cols in json.load(open(f"{d}/schema.json")).items():
    print(f'CREATE TABLE "{t}" (' + ", ".join(f'"{c}" {types.get(y, "text")}' for c, y in cols) + ");")
    print(f"\\copy \"{t}\" FROM '{d}/{t}.csv' (FORMAT csv)")
    names = [c for c, _ in cols]
    if "nhs_number" in names:
        print(f'CREATE INDEX ON "{t}" (nhs_number);')
# The lookup keys the rendered SQL probes once per row: the link of a record (the _pkey of
# every source view), the practice -> CCG parent, the LSOA reference row.
print("CREATE INDEX ON record_links (source_table, row_id);")
print("CREATE INDEX ON organisations (ods_code);")
print("CREATE INDEX ON lsoa (lsoa_code);")
PY
  echo "ANALYZE;" >>"$SQL"
  T0=$(now)
  "$PGBIN/psql" "$CONN" -X -q -v ON_ERROR_STOP=1 -f "$SQL" >/dev/null
  PGLOAD=$(awk -v a="$T0" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
  echo "postgresql load: ${PGLOAD}s" >&2
  PGRES=$(python3 "$ROOT/bench/metrics_pg_run.py" "$CONN" "$PG_TIMEOUT" \
    "$WORK/postgres.ccg.json" "$WORK/postgres.practice.json") || true
  echo "postgresql: $PGRES" >&2
fi

python3 - "$LABEL" "$FAST_LOAD" "$FAST_EVAL" "$DUCK" "$PGRES" "$FAST_WHOLE" "$FAST_PEAK_KB" "$DUCKP" <<'PY'
import json, sys
pop, load, ev = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
duck, pg = json.loads(sys.argv[4]), json.loads(sys.argv[5])
whole, peak_kb, duckp = float(sys.argv[6]), int(sys.argv[7]), json.loads(sys.argv[8])
print(f"metrics benchmark, {pop}, every metric x 48 months x (CCG, practice)")
print(f"  pioneer fast engine: evaluate {ev:.2f} s (+ load: reference data + timeline open {load:.2f} s)")
print(f"  pioneer metrics, whole command x 2: {whole:.2f} s, peak {peak_kb / 1024:.0f} MB")
if "querySeconds" in duckp:
    q = duckp["querySeconds"]
    print(f"  duckdb from its persistent file: open {duckp['openSeconds']:.2f} s + queries = {q:.2f} s"
          f" for {duckp['statements']} statements, {duckp['mismatches']} mismatching"
          f" -> {q / whole:.1f}x the whole pioneer command (goal 5x)")
for name, r in (("duckdb", duck), ("postgresql", pg)):
    if r.get("skipped"):
        print(f"  {name}: skipped"); continue
    if "querySeconds" not in r:
        print(f"  {name}: FAILED {r}"); continue
    q = r.get("querySecondsLowerBound", r["querySeconds"])
    bound = ">= " if r.get("timedOut") else ""
    print(f"  {name}: {bound}{q:.2f} s for {r['statements']} statements, {r['mismatches']} mismatching"
          f" -> {bound}{q / ev:.1f}x the evaluate time, {bound}{q / (ev + load):.1f}x load + evaluate")
    if r.get("timedOut"):
        print(f"    {len(r['timedOut'])} statements cancelled at the {r['timeoutSeconds']:g} s budget"
              f" (counted at the budget, not compared): {', '.join(r['timedOut'])};"
              f" the {r['completed']} completed took {r['querySeconds']:.2f} s")
    if r.get("errors"):
        print(f"    ERRORS in {r['errors']}: {r.get('stderr', '')[:500]}")
PY
