#!/usr/bin/env python3
"""PostgreSQL peer of bench/metrics_bench.sh.

Runs every counting statement that `pioneer metrics --emit-sql postgres` printed, in ONE psql
session (so connection set-up is paid once), times each statement on the server clock, and
checks each result against the cells the fast engine counted. Prints one JSON line: query
seconds, statements, mismatches, and the statements stopped by the time budget.
  metrics_pg_run.py PSQL_CONNINFO TIMEOUT_SECONDS STATEMENTS.json [STATEMENTS2.json ...]
TIMEOUT_SECONDS = 0: no budget. Otherwise each statement runs under statement_timeout; one that
is cancelled counts as `timedOut` (its cells are not compared) and adds the full budget to
`querySecondsLowerBound` (the total PostgreSQL would need is at least that).
"""
import json
import subprocess
import sys
import time

conninfo, timeout, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
stmts = []
for f in files:
    stmts.extend(json.load(open(f)))
script = [f"SET statement_timeout = {int(timeout * 1000)};"]
for i, s in enumerate(stmts):
    script.append(f"SELECT '@@BEGIN {i} ' || extract(epoch FROM clock_timestamp());")
    script.append(s["sql"].rstrip().rstrip(";") + ";")
    script.append(f"\\if :ERROR\n\\echo '@@FAILED {i}' :SQLSTATE\n\\endif")
    script.append(f"SELECT '@@END {i} ' || extract(epoch FROM clock_timestamp());")
t0 = time.perf_counter()
out = subprocess.run(["/usr/lib/postgresql/15/bin/psql", conninfo, "-X", "-q", "-At", "-F", "\t"],
                     input="\n".join(script), capture_output=True, text=True)
wall = time.perf_counter() - t0
results, failed, begin, seconds, cur = {}, {}, {}, {}, {}
for line in out.stdout.splitlines():
    if line.startswith("@@BEGIN "):
        _, i, t = line.split(" ")
        begin[int(i)] = float(t)
        cur = {}
    elif line.startswith("@@END "):
        _, i, t = line.split(" ")
        seconds[int(i)] = float(t) - begin[int(i)]
        results[int(i)] = cur
    elif line.startswith("@@FAILED "):
        _, i, state = line.split(" ")
        failed[int(i)] = state
    else:
        p, g, band, sex, n = line.split("\t")
        cur[f"{int(p)}|{g}|{int(band)}|{int(sex)}"] = int(float(n))
mismatches, problems, timed_out, errors = 0, [], [], []
for i, s in enumerate(stmts):
    if i in failed:
        (timed_out if failed[i] == "57014" else errors).append(s["metric"])
        continue
    want = {f"{c[0]}|{c[1]}|{c[2]}|{c[3]}": int(c[4]) for c in s["expected"]}
    got = results.get(i)
    if want != got:
        mismatches += 1
        if len(problems) < 5:
            problems.append(f"{s['metric']}: {len(want)} cells expected, "
                            f"{'no result' if got is None else len(got)} got")
done = sum(seconds.get(i, 0.0) for i in range(len(stmts)) if i not in failed)
slowest = sorted(((seconds.get(i, 0.0), s["metric"]) for i, s in enumerate(stmts)), reverse=True)[:5]
res = {"peer": "postgresql", "querySeconds": done, "statements": len(stmts),
       "completed": len(stmts) - len(failed), "mismatches": mismatches, "problems": problems,
       "timeoutSeconds": timeout, "timedOut": timed_out,
       "querySecondsLowerBound": done + timeout * len(timed_out), "wallSeconds": wall,
       "slowest": [[round(t, 2), m] for t, m in slowest]}
if errors or out.returncode != 0:
    res["errors"] = errors
    res["stderr"] = "\n".join(l for l in out.stderr.splitlines() if "57014" not in l
                              and "statement timeout" not in l)[-2000:]
print(json.dumps(res))
sys.exit(1 if errors else 0)
