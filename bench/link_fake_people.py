#!/usr/bin/env python3
"""Writes a synthetic UK-style person file for bench/link_bench.sh (never committed).

    bench/link_fake_people.py RECORDS OUT.csv [--seed S]

Columns: record_id, person_id (ground truth), given_name, family_name, birth_date
(YYYY-MM-DD), sex (1/2), postcode. About 80% of the rows are distinct people; the rest
are duplicates of them (1-3 per duplicated person) with FEBRL-like corruption: typing
errors in names (substitution, transposition, deletion, insertion), given/family swaps,
missing values, date-of-birth typos and day/month swaps, moves to another postcode and
postcode typos. Names follow skewed frequencies (common UK names plus a long tail of
syllable-built rare ones), so blocks are as uneven as real data. Deterministic for a seed.
"""
import argparse
import csv
import random

GIVEN_F = ("olivia amelia isla ava mia ivy lily isabella rosie sophia grace freya willow "
           "florence emily ella poppy evie elsie charlotte evelyn sienna daisy sophie "
           "matilda harper alice ruby margaret susan patricia linda elizabeth mary sarah "
           "karen helen jennifer joan dorothy irene jean barbara christine janet ann anne "
           "julie claire emma rebecca laura hannah jessica lucy katie amy chloe megan").split()
GIVEN_M = ("muhammad noah oliver george arthur leo harry oscar archie henry theodore "
           "freddie jack charlie finley alfie thomas william james david john robert michael "
           "peter paul richard christopher mark stephen andrew anthony kevin gary ian brian "
           "alan keith colin graham daniel matthew joshua ryan luke adam jamie liam samuel "
           "benjamin jacob ethan lewis callum connor kieran dylan").split()
FAMILY = ("smith jones taylor brown williams wilson johnson davies patel robinson wright "
          "thompson evans walker white roberts green hall thomas clarke jackson wood "
          "harris edwards turner martin cooper hill ward hughes moore clark king harrison "
          "lewis baker lee allen morris khan scott watson davis parker james bennett young "
          "phillips richardson mitchell bailey carter cook singh shaw bell collins morgan "
          "kelly begum miller cox hussain marshall simpson price anderson adams wilkinson "
          "ali ahmed foster ellis murphy chapman mason gray richards webb griffiths hunt "
          "palmer campbell holmes mills rogers barnes knight matthews barker powell stevens "
          "kaur fisher butler dixon russell harvey pearson graham").split()
SYLLABLES = ("ab ac ad al an ar as ba be bo bu ca ce co da de di do el en er fa fe fi ga "
             "ge go ha he ho ia in is ka ke ko la le li lo lu ma me mi mo mu na ne ni no "
             "ol om on or pa pe po ra re ri ro ru sa se si so ta te ti to tu va ve vi wa "
             "we wi ya yo za ze").split()
AREAS = ("LS BD HX HD WF YO HG S DN M OL BL WN WA SK L CH PR BB LA B CV WV WS DY NG DE LE "
         "N E SE SW W NW EC WC BS BA GL CF NP SA").split()
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def zipf_choice(rng, items, s=1.1):
    # Cumulative weights 1/k^s, built once per list.
    key = id(items)
    cum = _CUM.get(key)
    if cum is None:
        total, cum = 0.0, []
        for k in range(1, len(items) + 1):
            total += 1.0 / k ** s
            cum.append(total)
        _CUM[key] = cum
    x = rng.random() * cum[-1]
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return items[lo]


_CUM = {}


def rare_name(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def postcode(rng):
    area = zipf_choice(rng, AREAS, 0.6)
    return "%s%d %d%s%s" % (area, rng.randint(1, 30), rng.randint(0, 9),
                            rng.choice(LETTERS), rng.choice(LETTERS))


def typo(rng, s):
    if len(s) < 3:
        return s
    i = rng.randrange(len(s) - 1)
    op = rng.randrange(4)
    if op == 0:
        return s[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + s[i + 1:]
    if op == 1:
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if op == 2:
        return s[:i] + s[i + 1:]
    return s[:i] + rng.choice("aeiou") + s[i:]


def person(rng):
    sex = rng.choice((1, 2))
    if rng.random() < 0.15:
        given = rare_name(rng)
    else:
        given = zipf_choice(rng, GIVEN_M if sex == 1 else GIVEN_F)
    family = rare_name(rng) if rng.random() < 0.35 else zipf_choice(rng, FAMILY)
    y, m, d = rng.randint(1920, 2020), rng.randint(1, 12), rng.randint(1, 28)
    return [given.capitalize(), family.capitalize(), "%04d-%02d-%02d" % (y, m, d), str(sex),
            postcode(rng)]


def corrupt(rng, rec):
    given, family, dob, sex, pc = rec
    if rng.random() < 0.25:
        given = typo(rng, given)
    if rng.random() < 0.2:
        family = typo(rng, family)
    if rng.random() < 0.03:
        given, family = family, given
    if rng.random() < 0.05:
        given = ""
    if rng.random() < 0.1:
        y, m, d = dob.split("-")
        r = rng.random()
        if r < 0.5:
            d = "%02d" % min(28, max(1, int(d) + rng.choice((-1, 1))))
        elif r < 0.8 and int(d) <= 12:
            m, d = d, m
        else:
            y = str(int(y) + rng.choice((-1, 1)))
        dob = "%s-%s-%s" % (y, m, d)
    if rng.random() < 0.03:
        dob = ""
    r = rng.random()
    if r < 0.15:
        pc = postcode(rng)  # moved
    elif r < 0.2:
        pc = pc[:-1] + rng.choice(LETTERS)
    elif r < 0.25:
        pc = ""
    if rng.random() < 0.05:
        sex = ""
    return [given, family, dob, sex, pc]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    with open(a.out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["record_id", "person_id", "given_name", "family_name", "birth_date", "sex",
                    "postcode"])
        n = pid = 0
        while n < a.records:
            rec = person(rng)
            w.writerow(["r%d" % n, "p%d" % pid] + rec)
            n += 1
            if rng.random() < 0.12:
                for _ in range(rng.randint(1, 3)):
                    if n >= a.records:
                        break
                    w.writerow(["r%d" % n, "p%d" % pid] + corrupt(rng, rec))
                    n += 1
            pid += 1


if __name__ == "__main__":
    main()
