#!/usr/bin/env python3
"""PostgreSQL peer of bench/metrics_bench.sh.

Runs every counting statement that `pioneer metrics --emit-sql postgres` printed, in ONE psql
session (so connection set-up is paid once), and checks each result against the cells the fast
engine counted. Prints one JSON line: query seconds, statements, mismatches.
  metrics_pg_run.py PSQL_CONNINFO STATEMENTS.json [STATEMENTS2.json ...]
"""
import json
import subprocess
import sys
import time

conninfo, files = sys.argv[1], sys.argv[2:]
stmts = []
for f in files:
    stmts.extend(json.load(open(f)))
script = []
for i, s in enumerate(stmts):
    script.append(s["sql"].rstrip().rstrip(";") + ";")
    script.append(f"SELECT '@@END {i}';")
t0 = time.perf_counter()
out = subprocess.run(["/usr/lib/postgresql/15/bin/psql", conninfo, "-X", "-q", "-At", "-F", "\t",
                      "-v", "ON_ERROR_STOP=1"], input="\n".join(script), capture_output=True,
                     text=True)
seconds = time.perf_counter() - t0
if out.returncode != 0:
    print(json.dumps({"peer": "postgresql", "error": out.stderr[-2000:]}))
    sys.exit(1)
results, cur = [], {}
for line in out.stdout.splitlines():
    if line.startswith("@@END "):
        results.append(cur)
        cur = {}
        continue
    p, g, band, sex, n = line.split("\t")
    cur[f"{int(p)}|{g}|{int(band)}|{int(sex)}"] = int(float(n))
mismatches, problems = 0, []
for s, got in zip(stmts, results):
    want = {f"{c[0]}|{c[1]}|{c[2]}|{c[3]}": int(c[4]) for c in s["expected"]}
    if want != got:
        mismatches += 1
        if len(problems) < 5:
            problems.append(f"{s['metric']}: {len(want)} cells expected, {len(got)} got")
print(json.dumps({"peer": "postgresql", "querySeconds": seconds, "statements": len(stmts),
                  "mismatches": mismatches, "problems": problems}))
