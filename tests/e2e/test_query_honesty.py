#!/usr/bin/env python3
"""End-to-end: nothing fails silently and counts are true (issue 16, points 2, 3, 4 and part of 9).

An unknown field, an impossible range, an unparsable bound, crossed filter options and a query with no word are
each an error (exit 2) with one line saying why; `rating:8` is an equality; listing every review is asked for with
--all; the summary's count is exact (no "about") and the same whatever -n. Reads only corpora/.
"""
import json
import os
import subprocess
import sys
import tempfile

from e2e import CORPORA, REVINDEX, REVSEARCH, check, failures

PAGE = os.path.join(CORPORA, "pusher-ii-2004.txt")
FIELDS = "the fields are headline:, author:, item:, rating:, date: (docs/query-syntax.md)"
NO_WORD = ("revsearch: the query has no word to search; give a word, or --all to list every review "
           "(revsearch --all --facets -n0: an overview)")
# (arguments, the one line on stderr) of each case that must be an error.
ERRORS = [
    (["--", "title:coffee"], f'revsearch: unknown field "title:"; {FIELDS}'),
    (["--", "body:coffee"], f'revsearch: unknown field "body:"; {FIELDS}'),
    (["--", "asin:B000G1X45G"], f'revsearch: unknown field "asin:"; {FIELDS}'),
    (["--", "rating:8..3"], "revsearch: rating:8..3 is an empty range: 8 is above 3"),
    (["--", "rating:120%"], 'revsearch: rating:120%: a rating is a number as shown (4 for 4/5) or a share of its scale (80%), not "120%"'),
    (["--", "rating:4..90%"], 'revsearch: rating:4..90%: give both bounds as ratings (4..5) or both as shares (80%..100%)'),
    (["--min-rating", "11", "pusher"], 'revsearch: --min-rating 11 is above every rating scale in the index (the highest is 10)'),
    (["--", "date:2005..nonsense"],
     'revsearch: date:2005..nonsense: a date is YYYY, YYYY-MM or YYYY-MM-DD, not "nonsense"'),
    (["--", "date:2010..2005"], "revsearch: date:2010..2005 is an empty range: 2010 is after 2005"),
    (["--since", "2012", "--until", "2011", "pusher"], "revsearch: --since 2012 is after --until 2011: no date is both"),
    (["--min-rating", "5", "--max-rating", "4", "pusher"],
     "revsearch: --min-rating 5 is above --max-rating 4: no rating is both"),
    (["--since", "soon", "pusher"], 'revsearch: --since needs a date as YYYY, YYYY-MM or YYYY-MM-DD, not "soon"'),
    *[(["--", query], NO_WORD) for query in (" ", "!!!", '"', "*", "-")],
    (["--facets", "-n0"], "revsearch: no query given; give words to search, or --all to list every review "
                          "(revsearch --help)"),
    (["--all", "pusher"], "revsearch: --all lists every review: give it no query"),
]


def run(db, *args):
    return subprocess.run([REVSEARCH, "--db", db, "--color", "never", *args], capture_output=True, text=True,
                          timeout=60)


def summary(db, *args):
    """(exit code, ids of the hits, the JSON summary) of one search."""
    proc = run(db, "--json", *args)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    ids = [line["data"]["id"] for line in lines if line["type"] == "hit"]
    return proc.returncode, ids, lines[-1]["data"] if lines else {}


def check_errors(db):
    for args, message in ERRORS:
        for output in ([], ["--json"]):
            proc = run(db, *output, *args)
            check(proc.returncode == 2, f"{args}: exit {proc.returncode}, expected 2")
            check(proc.stderr == message + "\n", f"{args}: stderr {proc.stderr!r}, expected {message!r}")
            check(proc.stdout == "", f"{args}: nothing on stdout: {proc.stdout[:200]!r}")


def check_kept_behaviour(db):
    # rating:8 is rating:8..8, not the phrase "rating 8".
    code, ids, data = summary(db, "-n100", "rating:8")
    _, range_ids, _ = summary(db, "-n100", "rating:8..8")
    check(code == 0 and ids and sorted(ids) == sorted(range_ids), f"rating:8 = rating:8..8: {ids} vs {range_ids}")
    # A query of excluded words alone: every review without them (24 of the page's 25).
    code, ids, data = summary(db, "-n100", "--", "-heroin")
    check(code == 0 and len(ids) == 24 and data["exact"], f"-- -heroin: {len(ids)} hits, {data}")
    # Pasted punctuation still falls back to the words.
    code, ids, data = summary(db, "heroin AND")
    check(code == 0 and data["fell_back"] and ids, f"'heroin AND' falls back to its words: {data}")
    # Filters alone need no --all.
    code, ids, data = summary(db, "--min-rating", "9", "-n100")
    check(code == 0 and ids and data["exact"] and data["estimated"] == len(ids), f"--min-rating 9 alone: {data}")
    # --all: every review, an overview with --facets; a count with no "about".
    code, _, data = summary(db, "--all", "--facets", "-n0")
    check(code == 0 and data["estimated"] == 25 and data["exact"], f"--all --facets -n0: {data}")
    proc = run(db, "-n0", "--item", "Pusher II")
    check(proc.returncode == 0 and proc.stdout.strip().startswith("25 matches"),
          f"-n0 --item 'Pusher II' says 25 matches: {proc.stdout!r}")
    # A batch names a query with no word and goes on with the others.
    with tempfile.NamedTemporaryFile("w", suffix=".tsv", delete=False) as queries:
        queries.write("q1\t!!!\nq2\theroin\n")
    proc = subprocess.run([REVSEARCH, "--db", db, "--queries", queries.name, "--quiet"], capture_output=True,
                          text=True, timeout=60)
    os.unlink(queries.name)
    check(proc.returncode == 0 and proc.stderr == NO_WORD.replace("revsearch: ", "revsearch: query q1: ") + "\n"
          and proc.stdout.startswith("q2 "), f"batch with a no-word query: {proc.returncode} {proc.stderr!r}")


def check_counts(db):
    """Counts over every bundled corpus: exact, and the same for every -n."""
    for query in (["coffe"], ["coffee"], ["the"], ["coffee", "rating:8..10"], ["--min-rating", "9"]):
        exact = subprocess.run([REVSEARCH, "--db", db, "--json", "--facets", "-n0", *query], capture_output=True,
                               text=True, timeout=60)
        counted = json.loads(exact.stdout.splitlines()[-1])["data"]["estimated"]
        seen = set()
        for limit in ("0", "1", "3", "10"):
            _, ids, data = summary(db, "-n", limit, *query)
            seen.add((data["estimated"], data["exact"]))
            check(len(ids) == min(int(limit), counted), f"{query} -n{limit}: {len(ids)} hits of {counted}")
        check(seen == {(counted, True)}, f"{query}: the count is {counted}, exact, for every -n: {seen}")
        print(f"ok  {' '.join(query)}: {counted} matches, exact, for -n 0, 1, 3 and 10")


def check_rating_scales(db):
    """Over mixed scales (x/5 shops, x/10 films), a rating filter means the number shown; "%" the share of the scale;
    --facets has one histogram per scale."""
    def hits(*query):
        out = subprocess.run([REVSEARCH, "--db", db, "--json", "-n", "2000", *query], capture_output=True, text=True,
                             timeout=60).stdout.splitlines()
        return [json.loads(line)["data"]["review"] for line in out if json.loads(line)["type"] == "hit"]
    shown = hits("good", "rating:4..5")
    check(shown and all(4 <= r["rating"] <= 5 for r in shown), "rating:4..5 finds ratings shown as 4 or 5")
    check({r["rating_max"] for r in shown} >= {5, 10}, f"rating:4..5 spans both scales: {({r['rating_max'] for r in shown})}")
    share = hits("good", "rating:80%..100%")
    check(share and all(r["rating"] / r["rating_max"] >= 0.8 for r in share), "rating:80%.. is a share of the scale")
    check(hits("good", "--min-rating", "4", "--max-rating", "5") == shown,
          "--min-rating 4 --max-rating 5 equals rating:4..5")
    facets = subprocess.run([REVSEARCH, "--db", db, "--json", "--facets", "-n0", "good"], capture_output=True,
                            text=True, timeout=60).stdout.splitlines()[-1]
    by_scale = json.loads(facets)["data"]["facets"]["rating_by_scale"]
    check(set(by_scale) >= {"5", "10"} and set(by_scale["5"]) <= {"1", "2", "3", "4", "5"},
          f"--facets: one histogram per scale, ratings as shown: {by_scale}")
    print(f"ok  rating filters over mixed scales: {len(shown)} hits rated 4..5 as shown, {len(share)} at 80%..100%")


def main():
    with tempfile.TemporaryDirectory(prefix="revsearch-query-honesty-") as work:
        page_db = os.path.join(work, "page")
        subprocess.run([REVINDEX, "add", "--quiet", "--db", page_db, PAGE], check=True, capture_output=True,
                       timeout=120)
        check_errors(page_db)
        check_kept_behaviour(page_db)
        all_db = os.path.join(work, "all")
        corpora = [os.path.join(CORPORA, name) for name in sorted(os.listdir(CORPORA)) if name != "README.md"]
        subprocess.run([REVINDEX, "add", "--quiet", "--db", all_db, *corpora], check=True, capture_output=True,
                       timeout=300)
        check_counts(all_db)
        check_rating_scales(all_db)
    print(f"{len(ERRORS)} error cases x 2 outputs, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
