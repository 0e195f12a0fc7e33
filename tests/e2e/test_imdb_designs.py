#!/usr/bin/env python3
"""End-to-end: a folder of IMDb pages in every design (our own fixtures, tests/fixtures/imdb/), through
`revindex parse` (each file's design named in a note) and `revindex add` (every review of every design indexed)."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from e2e import REVINDEX, SOURCE, check, failures

FIXTURES = os.path.join(SOURCE, "tests", "fixtures", "imdb")

# file -> (design named in the note, reviews, reviews with warnings)
PAGES = {
    "mini-page.txt": ("2017-2023", 3, 0),
    "cards-2024.txt": ("2024+", 5, 1),
    "before-2017.txt": ("pre-2017", 3, 0),
    "without-details.txt": ("headline-and-body copy (no review details)", 2, 2),
}


def run(*args):
    proc = subprocess.run([REVINDEX, *args], capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    check(proc.returncode >= 0, f"revindex {args} killed by a signal")
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8", "replace")


def test_parse_names_each_design(folder):
    code, out, err = run("parse", folder)
    check(code == 0, f"parse: exit {code}: {err}")
    records = [json.loads(line) for line in out.splitlines()]
    for name, (design, count, _) in PAGES.items():
        path = os.path.join(folder, name)
        check(f"{path}: note: IMDb page design: {design}" in err, f"parse: no design note for {name}: {err}")
        got = sum(1 for r in records if r["source"].startswith(path + ":"))
        check(got == count, f"parse: {name}: {got} reviews, expected {count}")
    total = sum(count for _, count, _ in PAGES.values())
    warned = sum(warned for _, _, warned in PAGES.values())
    last = err.strip().splitlines()[-1]
    expected = f"revindex parse: {len(PAGES)} files, {total} read, {warned} with warnings, 0 rejected"
    check(last == expected, f"parse summary: {last!r}, expected {expected!r}")
    # --strict refuses the warnings, but a note is no warning: the clean pages alone pass it.
    code, _, err = run("parse", "--strict", os.path.join(folder, "before-2017.txt"))
    check(code == 0, f"parse --strict on a clean pre-2017 page: exit {code}: {err}")


def test_add_indexes_every_design(folder, db):
    code, _, err = run("add", "--db", db, folder)
    check(code == 0, f"add: exit {code}: {err}")
    summary = re.search(r"^read (\d+), added (\d+)", err, re.M)
    total = sum(count for _, count, _ in PAGES.values())
    check(summary is not None and summary.groups() == (str(total), str(total)),
          f"add: expected {total} read and added: {err[-400:]}")
    code, out, err = run("stats", "--db", db, "--json")
    check(code == 0 and json.loads(out).get("documents") == total, f"stats: {out} {err}")


def main():
    tmp = tempfile.mkdtemp(prefix="revsearch-e2e-imdb-")
    try:
        folder = os.path.join(tmp, "pages")
        os.mkdir(folder)
        for name in PAGES:
            shutil.copy(os.path.join(FIXTURES, name), folder)
        test_parse_names_each_design(folder)
        test_add_indexes_every_design(folder, os.path.join(tmp, "db"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("test_imdb_designs: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
