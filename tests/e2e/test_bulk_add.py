#!/usr/bin/env python3
"""End-to-end: `revindex add --jobs 2` (the bulk path) against plain `revindex add` on real data.

Checks: on an All_Beauty slice (with repeated reviews) and 100 reviews of the Blitzer books file (corpora/), --jobs gives the same read/added/
unchanged counts, the same documents, batches and terms in `stats --json`, and the same ranking (scores) for a
word, a phrase and a filtered query; the index passes xapian-check; --jobs into an existing index and with
--strict falls back to file-by-file adding, with a note; the bulk index is published as generation 1 behind
the stub, as `add` creates one, so a later rebuild can switch it; a directory holding other files is a fine
target (they are left alone). No timings are checked.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from e2e import CORPORA, REVINDEX, REVSEARCH, XAPIAN_CHECK, check, failures

INPUTS = [os.path.join(CORPORA, "mcauley-all-beauty-5core-repeats-110.json"),
          os.path.join(CORPORA, "blitzer-books-positive-100.review")]
SUMMARY = re.compile(r"^read (\d+), added (\d+), updated (\d+), unchanged (\d+), rejected (\d+), "
                     r"skipped files (\d+) in \d+\.\d\d s$")


def run(*argv):
    proc = subprocess.run(argv, capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def add(db, *args):
    code, _, err = run(REVINDEX, "add", "--db", db, *args)
    lines = err.strip().splitlines()
    match = SUMMARY.match(lines[-1]) if lines else None
    return code, (tuple(map(int, match.groups())) if match else None), err


def stats(db):
    code, out, err = run(REVINDEX, "stats", "--db", db, "--json")
    check(code == 0, f"stats exit {code}: {err}")
    info = json.loads(out) if code == 0 else {}
    for source in info.get("sources", []):
        source.pop("time", None)
    return {k: info.get(k) for k in ("documents", "terms", "batches", "language", "schema", "sources")}


def hits(db, *args):
    code, out, err = run(REVSEARCH, "--db", db, "--json", "--limit", "20", *args)
    check(code in (0, 1), f"revsearch {args} exit {code}: {err}")
    lines = [json.loads(line) for line in out.splitlines() if line.strip()]
    # Scores, not ids: documents are numbered differently, so equal scores (the same text under two ids,
    # which All_Beauty has) may come in another order, and collapsing may keep the other copy.
    return [round(line["data"]["score"], 9) for line in lines if line.get("type") == "hit"]


def main():
    work = tempfile.mkdtemp(prefix="revsearch-bulk-e2e-")
    try:
        serial, bulk = os.path.join(work, "serial"), os.path.join(work, "bulk")
        code_s, counts_s, err_s = add(serial, "--quiet", *INPUTS)
        code_b, counts_b, err_b = add(bulk, "--jobs", "2", *INPUTS)
        check(code_s == 0 and code_b == 0, f"exit codes {code_s}, {code_b}: {err_s} {err_b}")
        check(counts_s is not None and counts_b is not None, f"summary lines: {err_s!r} {err_b!r}")
        if counts_s and counts_b:
            check(counts_s[:5] == counts_b[:5], f"counts differ: serial {counts_s}, bulk {counts_b}")
            check(counts_b[3] > 0, f"All_Beauty's repeated reviews are counted unchanged: {counts_b}")
        check("bulk load: 2 parts built in" in err_b, f"the bulk path reports its phases: {err_b!r}")
        check(stats(serial) == stats(bulk), "stats --json differ between serial and bulk")
        for query in (["moisturizer"], ['"great product"'], ["shampoo", "--min-rating", "4"]):
            serial_scores, bulk_scores = hits(serial, *query), hits(bulk, *query)
            check(serial_scores and serial_scores == bulk_scores,
                  f"{query}: serial {serial_scores[:5]} vs bulk {bulk_scores[:5]}")
        with open(os.path.join(bulk, "XAPIANDB")) as stub:
            check(stub.read() == "auto gen-000001\n", "the bulk index is generation 1 behind the stub")
        check(os.path.exists(os.path.join(bulk, ".revindex.lock")), "the bulk load took the index lock")
        check(not [n for n in os.listdir(bulk) if n.startswith(".building-")], "no scratch space is left behind")
        if XAPIAN_CHECK:
            code, out, err = run(XAPIAN_CHECK, os.path.join(bulk, "gen-000001"))
            check(code == 0, f"xapian-check on the bulk index: {out[-500:]} {err[-500:]}")

        # An existing index: --jobs falls back to adding file by file (and the file is skipped: same content).
        code, counts, err = add(bulk, "--jobs", "2", INPUTS[1])
        check(code == 0 and "adding file by file" in err, f"--jobs into an existing index: {code} {err!r}")
        check(counts is not None and counts[5] == 1, f"the unchanged file is skipped: {counts}")
        code, counts, err = add(os.path.join(work, "strict"), "--jobs", "2", "--strict", INPUTS[1])
        check(code == 0 and "adding file by file" in err, f"--jobs --strict: {code} {err!r}")

        # A directory holding something else but no index: bulk-loaded beside it, the file left alone.
        occupied = os.path.join(work, "occupied")
        os.makedirs(occupied)
        with open(os.path.join(occupied, "notes.txt"), "w") as f:
            f.write("mine")
        code, counts, err = add(occupied, "--jobs", "2", INPUTS[1])
        check(code == 0 and "bulk load" in err and "adding file by file" not in err,
              f"--jobs into a directory with a file but no index: {err!r}")
        check(os.path.exists(os.path.join(occupied, "notes.txt")), "the file in the target is left alone")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{0 if failures else 1} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
