#!/usr/bin/env bash
# Person timeline benchmark (on demand, not in CI).
#
# For a synthetic area (default 1,000,000 people): the timeline build from the store (and the
# write of its snapshot, `pioneer timeline --rebuild`), and the open of that snapshot
# (`pioneer timeline`: map + validate + checksums, docs/snapshot.md), each with its peak
# memory, next to a peer measured in the same run on the same store: the sqlite3 shell
# reading the same columns of the same tables ordered by NHS Number and date (what a SQL
# analyst would do to get the same person-ordered view). The ratios are the figures
# (targets: open < 5% of the peer, and < 2 s at 1,000,000 people).
#
# Usage: bench/timeline_bench.sh [POPULATION] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
WORK="${2:-/tmp/pioneer-bench-timeline-$N}"
scripts/install-deps.sh --bench
cmake --preset release >/dev/null && cmake --build --preset release >/dev/null
BIN=build/release/pioneer
mkdir -p "$WORK"
if [ ! -f "$WORK/pioneer.db" ]; then
  "$BIN" synth --population "$N" --seed 1 --out "$WORK/extracts" >/dev/null
  "$BIN" ingest --db "$WORK/pioneer.db" "$WORK/extracts" >/dev/null
fi

measure() {  # prints "seconds peak_kb" for a command
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >/dev/null
  cat "$WORK/time.txt"
}

read -r t_secs t_kb < <(measure "$BIN" timeline --db "$WORK/pioneer.db" --rebuild)
read -r o_secs o_kb < <(measure "$BIN" timeline --db "$WORK/pioneer.db")
PEER_SQL=""
for t in gp_registrations:registration_start_date gp_events:event_date apc_episodes:episode_start_date \
         ae_attendances:arrival_date op_appointments:appointment_date community_contacts:contact_date \
         mh_contacts:contact_date social_care_events:event_start_date; do
  table="${t%%:*}"; col="${t##*:}"
  PEER_SQL+="SELECT count(*) FROM (SELECT rowid, nhs_number, $col FROM $table WHERE nhs_number_status='valid' ORDER BY nhs_number, $col);"
done
read -r p_secs p_kb < <(measure sqlite3 "$WORK/pioneer.db" "$PEER_SQL")
"$BIN" timeline --db "$WORK/pioneer.db"
echo
printf "timeline build + snapshot write: %6.1f s, peak %7.0f MB\n" "$t_secs" "$(echo "$t_kb/1024" | bc -l)"
printf "snapshot open (whole command):   %6.2f s, peak %7.0f MB, file %s\n" "$o_secs" \
  "$(echo "$o_kb/1024" | bc -l)" "$(du -h "$WORK/pioneer.db.timeline" | cut -f1)"
printf "sqlite3 peer:                    %6.1f s, peak %7.0f MB\n" "$p_secs" "$(echo "$p_kb/1024" | bc -l)"
printf "ratio build / peer time: %.2f\n" "$(echo "$t_secs/$p_secs" | bc -l)"
printf "ratio open / peer time:  %.4f (target < 0.05)\n" "$(echo "$o_secs/$p_secs" | bc -l)"
