#!/usr/bin/env python3
"""The peer of bench/caretrak_bench.sh: Pioneer's greedy caliper matching (matching.h) redone
in plain Python 3 (standard library only) from the matching table `pioneer caretrak
--matching-table` writes, and every pair compared with Pioneer's.

The algorithm is the one matching.h documents: candidates per exact stratum sorted by logit
(then row); cohort rows from the highest logit down (ties in row order); each takes the nearest
unused candidate row of its stratum inside the caliper (0.2 SD of every row's logit, sample SD),
never a row of its own person; a tie in distance goes to the lower row number; a candidate row
is used once, a person may serve several rows (reuse_controls, the default).

  caretrak_match_peer.py TABLE.csv [--caliper-sd 0.2]
Prints one JSON line: rows, cohort rows, matched, pairs identical to Pioneer's, seconds.
"""
import bisect
import csv
import json
import math
import sys
import time


def main():
    path = sys.argv[1]
    caliper_sd = 0.2
    if '--caliper-sd' in sys.argv:
        caliper_sd = float(sys.argv[sys.argv.index('--caliper-sd') + 1])
    t0 = time.perf_counter()
    treated, stratum, person, logit, pioneer = [], [], [], [], []
    with open(path, newline='') as f:
        r = csv.reader(f)
        next(r)
        for row in r:
            treated.append(row[1] == '1')
            stratum.append(int(row[2]))
            person.append(int(row[3]))
            logit.append(float(row[4]))
            pioneer.append(int(row[5]))
    t_read = time.perf_counter()
    n = len(logit)
    mean = 0.0
    for v in logit:
        mean += v
    mean /= max(1, n)
    ss = 0.0
    for v in logit:
        ss += (v - mean) * (v - mean)
    caliper = caliper_sd * math.sqrt(ss / max(1, n - 1))
    pools = {}
    order = []
    for i in range(n):
        if treated[i]:
            order.append(i)
        else:
            pools.setdefault(stratum[i], []).append(i)
    keys = {}
    for s, rows in pools.items():
        rows.sort(key=lambda i: (logit[i], i))
        keys[s] = [logit[i] for i in rows]
    order.sort(key=lambda i: -logit[i])  # stable: ties stay in row order
    used = bytearray(n)
    control = [-1] * n
    for t in order:
        rows = pools.get(stratum[t])
        if rows is None:
            continue
        ks = keys[stratum[t]]
        v = logit[t]
        pos = bisect.bisect_left(ks, v)
        best, best_d = -1, caliper
        j = pos - 1
        while j >= 0:
            d = v - ks[j]
            if d > best_d:
                break
            c = rows[j]
            if not used[c] and person[c] != person[t]:
                best, best_d = c, d
                break
            j -= 1
        j = pos
        while j < len(rows):
            d = ks[j] - v
            if d > best_d:
                break
            c = rows[j]
            if not used[c] and person[c] != person[t]:
                if best < 0 or d < best_d or (d == best_d and c < best):
                    best = c
                break
            j += 1
        if best >= 0:
            used[best] = 1
            control[t] = best
    t_done = time.perf_counter()
    cohort = sum(treated)
    matched = sum(1 for i in range(n) if treated[i] and control[i] >= 0)
    same = sum(1 for i in range(n) if treated[i] and control[i] == pioneer[i])
    print(json.dumps({'rows': n, 'cohort_rows': cohort, 'matched': matched,
                      'identical_to_pioneer': same, 'caliper': caliper,
                      'read_seconds': round(t_read - t0, 3),
                      'match_seconds': round(t_done - t_read, 3)}))
    return 0 if same == cohort else 1


if __name__ == '__main__':
    sys.exit(main())
