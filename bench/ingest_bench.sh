#!/usr/bin/env bash
# ingest_bench.sh: times `pioneer ingest` against PostgreSQL 15 COPY on the same files.
#
#   bench/ingest_bench.sh [--population N] [--pioneer PATH] [--data DIR] [--runs R] [--keep]
#
#   --population N  size of the synthetic area (default 100000 people)
#   --pioneer PATH  the binary to time (default build/release/pioneer; build it first with
#                   `cmake --preset release && cmake --build --preset release`)
#   --data DIR      time these extract files instead of generating an area
#   --runs R        repetitions of each side; the best (fastest) run is reported (default 3)
#   --keep          keep the work folder (data, store, PostgreSQL log) for inspection
#
# What it does, in one run on the same machine and the same files:
#  1. Data: `pioneer synth --population N --out DIR`; if that subcommand is not available,
#     bench/ingest_fake_area.py writes type-valid files of similar shape instead.
#  2. Pioneer: `pioneer ingest --db NEW.db DIR` into a fresh store each run. This is the whole
#     job: header checks, SHA-256, CSV parsing, validation and normalisation of every field,
#     quarantine, inserts, the NHS Number indexes, commit and WAL checkpoint.
#  3. PostgreSQL 15: a throwaway server (initdb as the postgres user, port 55432, socket in
#     /tmp, fsync/synchronous_commit/full_page_writes off, as in
#     bench/README.md). One table per file with every column TEXT (the
#     files contain deliberately bad values, which typed columns would reject), then
#     server-side `COPY table FROM 'file' (FORMAT csv, HEADER)` for every file in ONE
#     transaction; then the same NHS Number indexes, timed separately.
#  4. Runs are interleaved (pioneer, then PostgreSQL, R times) so both see the same machine
#     load; the best run of each is reported with rows/s, MB/s and the ratio.
#
# Not part of CI. Needs postgresql-15 (scripts/install-deps.sh installs it), sqlite3 and
# python3; run as root (initdb runs via runuser -u postgres) or as a user that can run initdb.
# The numbers in docs/ingest.md come from this script.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
POPULATION=100000
PIONEER="$ROOT/build/release/pioneer"
DATA=""
RUNS=3
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --population) POPULATION="$2"; shift 2 ;;
    --pioneer) PIONEER="$2"; shift 2 ;;
    --data) DATA="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
    *) echo "ingest_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

PGBIN=/usr/lib/postgresql/15/bin
PORT=55432
WORK="$(mktemp -d /tmp/pioneer_ingest_bench.XXXXXX)"
PGDIR=/tmp/pioneer_bench_pg   # short: the socket path must stay under 107 bytes
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

[ -x "$PIONEER" ] || { echo "ingest_bench: no binary at $PIONEER (build the release preset)" >&2; exit 2; }
[ -x "$PGBIN/postgres" ] || { echo "ingest_bench: PostgreSQL 15 is not installed" >&2; exit 2; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# CPU seconds (user + system) of every child this shell has waited for, from the `times`
# builtin. It must run in this shell (not in a $(...) subshell), so it writes to a file.
children_cpu_to() {
  times >"$WORK/times"
  awk 'NR == 2 { s = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); s += a[1] * 60 + a[2] }
                 printf "%.3f", s }' "$WORK/times" >"$1"
}

# --- 1. Data ----------------------------------------------------------------------------
if [ -z "$DATA" ]; then
  DATA="$WORK/area"
  if "$PIONEER" synth --population "$POPULATION" --out "$DATA" >"$WORK/synth.log" 2>&1; then
    echo "data: pioneer synth --population $POPULATION"
  else
    echo "data: pioneer synth unavailable ($(tail -1 "$WORK/synth.log")); using bench/ingest_fake_area.py"
    rm -rf "$DATA"
    python3 "$ROOT/bench/ingest_fake_area.py" "$PIONEER" "$POPULATION" "$DATA"
  fi
fi
mapfile -t FILES < <(cd "$DATA" && ls -1 -- *.csv)
BYTES=$(cd "$DATA" && cat -- "${FILES[@]}" | wc -c)
# Data rows (records, not lines: quoted fields may hold newlines) = what ingest reads.
ROWS=$(cd "$DATA" && python3 -c '
import csv, sys
n = 0
for f in sys.argv[1:]:
    with open(f, newline="", encoding="utf-8", errors="replace") as fh:
        n += max(0, sum(1 for r in csv.reader(fh) if r) - 1)
print(n)' "${FILES[@]}")
echo "files: ${#FILES[@]}, $ROWS rows, $BYTES bytes ($(python3 -c "print(f'{$BYTES/1e6:.1f}')") MB)"
sync

# --- 2. PostgreSQL server ----------------------------------------------------------------
rm -rf "$PGDIR"
mkdir -p "$PGDIR/sock"
if [ "$(id -u)" -eq 0 ]; then chown -R postgres:postgres "$PGDIR"; fi
chmod 700 "$PGDIR"
chmod -R a+rX "$DATA" 2>/dev/null || true
chmod a+x "$WORK"
"${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PGDIR/initdb.log"
"${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
  -o "-k $PGDIR/sock -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB -c maintenance_work_mem=256MB" start >/dev/null
PSQL=("${AS_PG[@]}" "$PGBIN/psql" -h "$PGDIR/sock" -p "$PORT" -U postgres -X -q -v ON_ERROR_STOP=1)
"${AS_PG[@]}" "$PGBIN/createdb" -h "$PGDIR/sock" -p "$PORT" -U postgres bench

# One table per file from its header, every column TEXT; all COPYs in one transaction.
DDL="SET client_min_messages = warning;"
COPY_SQL="BEGIN;"
for f in "${FILES[@]}"; do
  t="${f%.csv}"
  cols=$(head -1 "$DATA/$f" | sed 's/^\xEF\xBB\xBF//; s/\r$//')
  DDL+="DROP TABLE IF EXISTS $t; CREATE TABLE $t ($(echo "$cols" | sed 's/,/ text, /g') text);"
  COPY_SQL+="COPY $t ($cols) FROM '$DATA/$f' (FORMAT csv, HEADER true);"
done
COPY_SQL+="COMMIT;"

# --- 3. Timed runs, interleaved so both sides see the same machine load ------------------
better() { [ -z "$2" ] || awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'; }
BEST_P=""; BEST_C=""; BEST_I=""; BEST_PC=""; BEST_CC=""; BEST_CI=""
TICKS=$(getconf CLK_TCK)
for r in $(seq "$RUNS"); do
  rm -f "$WORK"/store.db*
  sync
  t0=$(now)
  children_cpu_to "$WORK/cpu0"
  "$PIONEER" ingest --progress never --db "$WORK/store.db" "$DATA" >"$WORK/ingest.log"
  t1=$(now)
  children_cpu_to "$WORK/cpu1"
  p=$(elapsed "$t0" "$t1")
  pc=$(elapsed "$(cat "$WORK/cpu0")" "$(cat "$WORK/cpu1")")  # both threads
  echo "run $r: pioneer ingest $p s (CPU $pc s; $(grep -E '^[0-9]+ file' "$WORK/ingest.log" | sed 's/.*(//; s/)$//'))"
  if better "$p" "$BEST_P"; then BEST_P=$p; fi
  if better "$pc" "$BEST_PC"; then BEST_PC=$pc; fi
  if [ "$r" -eq 1 ]; then
    STORED=$(sqlite3 "$WORK/store.db" "SELECT rows_read FROM ingest_runs")
    [ "$STORED" = "$ROWS" ] || echo "warning: ingest read $STORED rows, the files hold $ROWS"
    # The same NHS Number indexes on the PostgreSQL side.
    INDEX_SQL=$(sqlite3 "$WORK/store.db" \
      "SELECT 'CREATE INDEX ON ' || tbl_name || '(' || substr(name, length('idx_' || tbl_name || '_') + 1) || ');'
         FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' AND tbl_name NOT IN ('quarantine', 'ingest_runs', 'ingest_files', 'link_runs', 'record_links', 'link_reviews')")
  fi
  "${PSQL[@]}" -d bench -c "$DDL" >/dev/null
  # One session: COPY, then the indexes. The backend's own CPU time (utime + stime from
  # /proc, read with psql's \! escape) is recorded around each step; unlike wall time it
  # does not depend on what else the machine is doing.
  cat >"$PGDIR/run.sql" <<SQL
SELECT pg_backend_pid() AS pid \gset
\setenv BACKEND_PID :pid
\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat > $PGDIR/cpu0
$COPY_SQL
\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat > $PGDIR/cpu1
\! date +%s.%N > $PGDIR/t1
BEGIN; $INDEX_SQL COMMIT;
\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat > $PGDIR/cpu2
SQL
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$PGDIR/run.sql"; fi
  sync
  t0=$(now)
  "${PSQL[@]}" -d bench -f "$PGDIR/run.sql" >/dev/null
  t2=$(now)
  t1=$(cat "$PGDIR/t1")
  c=$(elapsed "$t0" "$t1"); i=$(elapsed "$t1" "$t2")
  cc=$(awk -v a="$(cat "$PGDIR/cpu0")" -v b="$(cat "$PGDIR/cpu1")" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')
  ci=$(awk -v a="$(cat "$PGDIR/cpu1")" -v b="$(cat "$PGDIR/cpu2")" -v t="$TICKS" 'BEGIN { printf "%.2f", (b - a) / t }')
  echo "run $r: postgres COPY $c s (backend CPU $cc s), then indexes $i s (CPU $ci s)" \
       "(load average $(cut -d' ' -f1 /proc/loadavg))"
  if better "$cc" "$BEST_CC"; then BEST_CC=$cc; fi
  if better "$ci" "$BEST_CI"; then BEST_CI=$ci; fi
  if better "$c" "$BEST_C"; then BEST_C=$c; fi
  if better "$i" "$BEST_I"; then BEST_I=$i; fi
done
PG_ROWS=$("${PSQL[@]}" -d bench -t -A -c "SELECT $(for f in "${FILES[@]}"; do printf '(SELECT count(*) FROM %s)+' "${f%.csv}"; done)0")
[ "$PG_ROWS" = "$ROWS" ] || echo "warning: PostgreSQL holds $PG_ROWS rows, the files hold $ROWS"

# --- 4. Summary -------------------------------------------------------------------------
python3 - "$ROWS" "$BYTES" "$BEST_P" "$BEST_C" "$BEST_I" "$BEST_PC" "$BEST_CC" "$BEST_CI" <<'EOF'
import sys
rows, size = int(sys.argv[1]), int(sys.argv[2])
p, c, i, pc, cc, ci = map(float, sys.argv[3:])
mb = size / 1e6
print()
print(f"best of each ({rows:,} rows, {mb:.1f} MB)")
print(f"{'':34} {'wall s':>7} {'rows/s':>11} {'MB/s':>7} {'CPU s':>7}")
for name, s, cpu in [("pioneer ingest (validate+store)", p, pc),
                     ("postgres COPY (text columns)", c, cc),
                     ("postgres COPY + same indexes", c + i, cc + ci)]:
    print(f"{name:34} {s:7.2f} {rows / s:11,.0f} {mb / s:7.1f} {cpu:7.2f}")
print(f"\nwall-clock ratio (COPY time / pioneer time; > 1 means pioneer is faster): "
      f"{c / p:.2f} against COPY alone, {(c + i) / p:.2f} against COPY + indexes")
print(f"CPU ratio (postgres backend CPU / pioneer CPU, both threads): "
      f"{cc / pc:.2f} against COPY alone, {(cc + ci) / pc:.2f} against COPY + indexes")
EOF
