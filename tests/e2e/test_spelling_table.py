#!/usr/bin/env python3
"""End-to-end: numbered tokens do not break the spelling table (issue 18, point 1;
common/schema/include/revsearch/spelling_table.hpp says why).

Xapian 1.4.22 cannot read back a spelling fragment list as repetitive as the one 2,745 words uniq0..uniq2744
make ("Too few chunks of compressed data"), whether they come in one commit or in 2,745. The reproduction: 3,000
reviews, each with a new numbered token, the first 2,745 in one batch file and the other 255 one per file, so the
3,000-small-batches case runs in seconds (the trigger is the list's content, not the number of commits:
tests/unit/spelling_table_test.cpp). Checks: `revindex add` of the directory (one transaction per file), a
rebuild and a bulk `add --jobs 2` all exit 0, pass xapian-check, find the last token, and keep "did you mean".
"""

import json
import os
import subprocess
import sys
import tempfile

from e2e import REVINDEX, REVSEARCH, XAPIAN_CHECK, check, failures, live_database

ONE_BATCH = 2745
TOTAL = 3000


def run(*args, timeout=300):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def write_batches(directory):
    with open(os.path.join(directory, "a-first.jsonl"), "w") as out:
        for i in range(ONE_BATCH):
            out.write(json.dumps({"id": f"t{i}", "body": f"review text uniq{i} gangster"}) + "\n")
    for i in range(ONE_BATCH, TOTAL):
        with open(os.path.join(directory, f"b-{i}.jsonl"), "w") as out:
            out.write(json.dumps({"id": f"t{i}", "body": f"review text uniq{i}"}) + "\n")


def summary(db, query):
    proc = run(REVSEARCH, "--db", db, "--json", "--facets", "--limit", "0", query)
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") == "summary":
            return proc.returncode, record["data"]
    return proc.returncode, {"stderr": proc.stderr}


def check_index(db, what):
    if XAPIAN_CHECK:
        proc = run(XAPIAN_CHECK, live_database(db))
        check(proc.returncode == 0 and "No errors found" in proc.stdout,
              f"{what}: xapian-check: {proc.stdout[-300:]!r} {proc.stderr[-300:]!r}")
    code, data = summary(db, f"uniq{TOTAL - 1}")
    check(code == 0 and data.get("estimated") == 1, f"{what}: uniq{TOTAL - 1} found once: {code} {data}")
    code, data = summary(db, "review")
    check(data.get("estimated") == TOTAL, f"{what}: {TOTAL} reviews: {data}")
    code, data = summary(db, "gangstr")
    check(data.get("suggestion") == "gangster", f"{what}: did you mean gangster: {data}")


with tempfile.TemporaryDirectory(prefix="revsearch-spelling-") as tmp:
    batches = os.path.join(tmp, "batches")
    os.mkdir(batches)
    write_batches(batches)

    db = os.path.join(tmp, "index")
    proc = run(REVINDEX, "add", "--db", db, batches)
    check(proc.returncode == 0, f"add of {TOTAL - ONE_BATCH + 1} batch files exits 0: {proc.returncode} {proc.stderr[-400:]}")
    check_index(db, "add")

    proc = run(REVINDEX, "rebuild", "--db", db)
    check(proc.returncode == 0, f"rebuild exits 0: {proc.returncode} {proc.stderr[-400:]}")
    check_index(db, "rebuild")

    bulk = os.path.join(tmp, "bulk")
    proc = run(REVINDEX, "add", "--db", bulk, "--jobs", "2", batches)
    check(proc.returncode == 0, f"add --jobs 2 exits 0: {proc.returncode} {proc.stderr[-400:]}")
    check_index(bulk, "add --jobs 2")

if failures:
    sys.exit(1)
print("ok")
