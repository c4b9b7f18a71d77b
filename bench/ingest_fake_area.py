#!/usr/bin/env python3
"""Fallback data for bench/ingest_bench.sh when `pioneer synth` is not available.

Writes every extract of `pioneer formats` (the format reference printed by the binary, so the
columns always match this build) with valid values of the right type, in roughly the row
proportions of a real area: per person, 1 PDS row (+10% history), 8 GP events, 0.3 APC
episodes, 0.35 A&E attendances, 1.5 outpatient appointments, 1 community contact, ...
A few percent of rows are made invalid (bad date, bad code) so quarantine is exercised too.
The data carries no realism beyond types and code sets: it exists to time ingest.

usage: ingest_fake_area.py PIONEER_BINARY POPULATION OUT_DIR [SEED]
"""
import csv
import os
import random
import re
import subprocess
import sys
from datetime import date, timedelta

ROWS_PER_PERSON = {
    "pds.csv": 1.1, "gp_registrations.csv": 1.2, "gp_events.csv": 8.0,
    "apc_episodes.csv": 0.3, "ae_attendances.csv": 0.35, "op_appointments.csv": 1.5,
    "community_contacts.csv": 1.0, "mh_contacts.csv": 0.2, "social_care_events.csv": 0.1,
}
FIXED_ROWS = {"organisations.csv": 200, "lsoa.csv": 300, "population.csv": 1820,
              "unit_costs.csv": 20}


def parse_reference(text):
    """(extracts: {file: [(field, type, required, code_set)]}, code_sets: {name: [codes]})"""
    extracts, sets, current, current_set = {}, {}, None, None
    for line in text.splitlines():
        m = re.match(r"^### `([a-z_]+\.csv)`", line)
        if m:
            current, current_set = m.group(1), None
            extracts[current] = []
            continue
        m = re.match(r"^#### `([a-z0-9_]+)`", line)
        if m:
            current, current_set = None, m.group(1)
            sets[current_set] = []
            continue
        if current:
            m = re.match(r"^\| \d+ \| `([a-z0-9_]+)` \| ([a-z0-9_]+) \| (yes|no) \| `?([a-z0-9_]*)`? \|", line)
            if m:
                extracts[current].append((m.group(1), m.group(2), m.group(3) == "yes", m.group(4)))
        elif current_set:
            m = re.match(r"^\| `([^`]+)` \|", line)
            if m:
                sets[current_set].append(m.group(1))
    return extracts, sets


def nhs_number(rng):
    while True:
        d = [rng.randrange(10) for _ in range(9)]
        check = 11 - sum(x * (10 - i) for i, x in enumerate(d)) % 11
        if check == 11:
            check = 0
        if check == 10 or len(set(d + [check])) == 1:
            continue
        return "".join(map(str, d)) + str(check)


def main():
    binary, population, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    ref = subprocess.run([binary, "formats"], check=True, capture_output=True, text=True).stdout
    extracts, sets = parse_reference(ref)
    os.makedirs(out, exist_ok=True)
    people = [nhs_number(rng) for _ in range(min(population, 200000))]
    base = date(2013, 4, 1)
    texts = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
             "12 Park Row", "Flat 3, 7 Mill Lane", "Leeds 001A", "E01011234", "E08000035"]
    icd10 = ["J45.9", "I10", "E11.9", "C34.1", "S72.0", "F03", "J18.9", "N39.0", "R69"]
    opcs4 = ["K40.1", "W37.1", "H22.9", "-", "X29.2"]
    ods = ["RR8", "RAE", "B86001", "B86002", "15F", "RGD", "RXF"]
    postcodes = ["LS1 4AP", "LS6 2QA", "BD1 1HY", "LS11 5DT", "WF1 2EE"]
    for file, fields in extracts.items():
        n = FIXED_ROWS.get(file) or int(population * ROWS_PER_PERSON.get(file, 0.1))
        with open(os.path.join(out, file), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow([name for name, *_ in fields])
            for i in range(n):
                day = (base + timedelta(days=rng.randrange(730))).isoformat()
                row = []
                for name, typ, required, code_set in fields:
                    if not required and typ != "nhs_number" and rng.random() < 0.3:
                        row.append("")
                    elif typ == "text":
                        row.append(f"{rng.choice(texts)} {i}" if name.endswith("_id") else rng.choice(texts))
                    elif typ == "integer":
                        row.append(str(rng.randrange(1, 100)))
                    elif typ == "decimal":
                        row.append(f"{rng.randrange(20000) / 100:.2f}")
                    elif typ == "date":
                        row.append(day)
                    elif typ == "nhs_number":
                        row.append(rng.choice(people) if rng.random() < 0.95 else "")
                    elif typ == "code":
                        row.append(rng.choice(sets[code_set]))
                    elif typ == "icd10":
                        row.append(rng.choice(icd10))
                    elif typ == "opcs4":
                        row.append(rng.choice(opcs4))
                    elif typ == "ods_code":
                        row.append(rng.choice(ods))
                    elif typ == "postcode":
                        row.append(rng.choice(postcodes))
                    else:
                        row.append("")
                if rng.random() < 0.02:  # a few bad rows for quarantine
                    row[rng.randrange(len(row))] = rng.choice(["2015-02-30", "??", "x" * 3])
                w.writerow(row)


if __name__ == "__main__":
    main()
