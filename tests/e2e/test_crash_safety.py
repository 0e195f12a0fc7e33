#!/usr/bin/env python3
"""End-to-end: `revindex add` of a multi-batch set survives SIGKILL at random moments.

The set: 13 batches from the repository's corpora/, copied to a temp dir: the first 10 reviews of each of the 8
Blitzer files, the 100 Blitzer books reviews (the first 10 also in blitzer-mdsd-10-each/books-positive), the 300
Fine Food rows cut into two CSVs of 150, and both All_Beauty slices (McAuley layout; one repeats reviews within
itself): 890 records, 862 distinct reviews. A clean single run gives the reference: each batch's review ids (from `revindex parse`), its unique ids
(in no other batch) and the final document count.

Then, in rounds on a fresh index: `revindex add` of the whole set is started and killed with SIGKILL after a
seeded random delay (uniform over the clean run's duration), again and again on the same index, until an add
runs to completion. After every kill:
  - the index opens (`revindex stats --json`) and `xapian-check` passes on it;
  - a batch in the ledger has all its review ids in the index;
  - a batch not in the ledger has none of its unique ids in the index;
  - the document count equals the number of distinct Q (id) terms.
When an add completes: the ledger holds every batch and the document count equals the clean run's (no duplicates).

Env: REVSEARCH_CRASH_KILLS (default 20), REVSEARCH_CRASH_SEED (default: random, printed).
"""

import csv
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from e2e import CORPORA, REVINDEX, XAPIAN_CHECK, check, failures, live_database, skip

XAPIAN_DELVE = shutil.which("xapian-delve") or (
    os.path.join(os.path.dirname(XAPIAN_CHECK), "xapian-delve") if XAPIAN_CHECK else None)
KILLS = int(os.environ.get("REVSEARCH_CRASH_KILLS", "20"))
SEED = int(os.environ.get("REVSEARCH_CRASH_SEED", str(random.SystemRandom().randrange(1 << 31))))

BLITZER = sorted(glob.glob(os.path.join(CORPORA, "blitzer-mdsd-10-each", "*.review"))) + [
    os.path.join(CORPORA, "blitzer-books-positive-100.review")]
FINE_FOOD = os.path.join(CORPORA, "fine-food-reviews-300.csv")
CSV_PARTS = 2
MCAULEY = [os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json"),
           os.path.join(CORPORA, "mcauley-all-beauty-5core-repeats-110.json")]


def copy_set(target):
    """Copies the batch files into `target`, the Fine Food CSV cut into CSV_PARTS files; returns their paths."""
    paths = []
    for source in BLITZER + MCAULEY:
        path = os.path.join(target, os.path.basename(source))
        shutil.copyfile(source, path)
        paths.append(path)
    # Cut on record boundaries, each part with the header: the csv module knows where quoted cells end.
    with open(FINE_FOOD, newline="", encoding="utf-8", errors="surrogateescape") as f:
        header, *rows = list(csv.reader(f))
    size = -(-len(rows) // CSV_PARTS)
    for part in range(CSV_PARTS):
        path = os.path.join(target, f"fine-food-part{part + 1}.csv")
        with open(path, "w", newline="", encoding="utf-8", errors="surrogateescape") as out:
            csv.writer(out, lineterminator="\n").writerows([header, *rows[part * size:(part + 1) * size]])
        paths.append(path)
    return paths


def run(*args, timeout=600):
    proc = subprocess.run(list(args), capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode < 0:
        raise SystemExit(f"{args} was killed by {signal.Signals(-proc.returncode).name}")
    return proc


def batch_ids(path):
    proc = run(REVINDEX, "parse", "--quiet", path)
    if proc.returncode != 0:
        raise SystemExit(f"revindex parse {path}: exit {proc.returncode}: {proc.stderr[-500:]!r}")
    return {json.loads(line)["id"] for line in proc.stdout.decode().splitlines() if line.strip()}


def index_ids(db):
    proc = run(XAPIAN_DELVE, "-1", "-A", "Q", db)
    if proc.returncode != 0:
        return None
    return {line[1:] for line in proc.stdout.decode("utf-8", "replace").splitlines() if line.startswith("Q")}


def stats(db):
    proc = run(REVINDEX, "stats", "--db", db, "--json")
    if proc.returncode != 0:
        return None, proc.stderr.decode("utf-8", "replace")
    return json.loads(proc.stdout), ""


def xapian_check(db, context):
    if not XAPIAN_CHECK:
        return
    proc = run(XAPIAN_CHECK, live_database(db), timeout=120)
    check(proc.returncode == 0 and b"No errors found" in proc.stdout,
          f"{context}: xapian-check: {proc.stdout[-300:]!r} {proc.stderr[-300:]!r}")


def add_command(db, paths):
    return [REVINDEX, "add", "--quiet", "--db", db, *paths]


def check_consistent(db, ids_of, unique_of, context):
    """The invariants after a kill; returns the ledger's batch paths."""
    if not os.path.exists(os.path.join(live_database(db), "iamglass")):
        # Killed before Xapian finished creating the database: nothing was committed, there is nothing to open
        # (the re-run creates it).
        return set()
    summary, err = stats(db)
    if not check(summary is not None, f"{context}: the index does not open after the kill: {err}"):
        return set()
    xapian_check(db, context)
    ledger = {source["path"] for source in summary.get("sources", [])}
    present = index_ids(db)
    if not check(present is not None, f"{context}: xapian-delve cannot list the ids"):
        return ledger
    check(summary["documents"] == len(present),
          f"{context}: {summary['documents']} documents but {len(present)} distinct ids")
    for path, ids in ids_of.items():
        if path in ledger:
            missing = ids - present
            check(not missing, f"{context}: {os.path.basename(path)} is in the ledger but {len(missing)} of its "
                               f"{len(ids)} reviews are missing")
        else:
            partial = unique_of[path] & present
            check(not partial, f"{context}: {os.path.basename(path)} is not in the ledger but {len(partial)} of its "
                               f"{len(unique_of[path])} unique reviews are in the index (a partial batch)")
    return ledger


def main():
    if not XAPIAN_DELVE or not os.path.exists(XAPIAN_DELVE):
        skip("xapian-delve not found (Debian package xapian-tools, scripts/install-deps.sh)")
    print(f"seed {SEED} (REVSEARCH_CRASH_SEED={SEED} repeats this run), {KILLS} kills")
    rng = random.Random(SEED)
    work = tempfile.mkdtemp(prefix="revsearch-crash-")
    try:
        data = os.path.join(work, "batches")
        os.mkdir(data)
        paths = copy_set(data)
        ids_of = {os.path.abspath(p): batch_ids(p) for p in paths}
        unique_of = {}
        for path, ids in ids_of.items():
            others = set().union(*(other for p, other in ids_of.items() if p != path))
            unique_of[path] = ids - others
        all_ids = set().union(*ids_of.values())
        print(f"{len(paths)} batches, {sum(len(i) for i in ids_of.values())} records, {len(all_ids)} distinct ids")

        clean_db = os.path.join(work, "clean")
        started = time.monotonic()
        proc = run(*add_command(clean_db, paths))
        clean_seconds = time.monotonic() - started
        check(proc.returncode == 0, f"clean run: exit {proc.returncode}: {proc.stderr[-500:]!r}")
        clean, _ = stats(clean_db)
        clean_count = clean["documents"]
        check(clean_count == len(all_ids), f"clean run: {clean_count} documents, {len(all_ids)} distinct ids read")
        xapian_check(clean_db, "clean run")
        print(f"clean run: {clean_count} documents in {clean_seconds:.1f} s")

        kills = completions = rounds = 0
        db = None
        while kills < KILLS:
            if db is None:
                rounds += 1
                db = os.path.join(work, f"round-{rounds}")
                round_started_empty = True
            # Uniform over a whole run from an empty index, re-measured each time a round completes one (the
            # machine's load changes): most kills land inside a batch, some in a commit, some between batches.
            delay = rng.uniform(0, clean_seconds)
            started = time.monotonic()
            writer = subprocess.Popen(add_command(db, paths), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, start_new_session=True)
            try:
                writer.wait(timeout=delay)
            except subprocess.TimeoutExpired:
                # The whole process group: a lock-holding helper Xapian may fork dies with the writer.
                os.killpg(writer.pid, signal.SIGKILL)
                writer.wait()
                kills += 1
                round_started_empty = False
                ledger = check_consistent(db, ids_of, unique_of, f"round {rounds}, kill {kills} after {delay:.2f} s")
                print(f"kill {kills:3d} (round {rounds}) after {delay:5.2f} s: {len(ledger)}/{len(paths)} batches "
                      f"committed")
                continue
            err = writer.stderr.read().decode("utf-8", "replace")
            writer.stderr.close()
            check(writer.returncode == 0, f"round {rounds}: the re-run exited {writer.returncode}: {err[-500:]}")
            summary, err = stats(db)
            if check(summary is not None, f"round {rounds}: stats after completion: {err}"):
                xapian_check(db, f"round {rounds} completed")
                check(summary["documents"] == clean_count,
                      f"round {rounds}: completed with {summary['documents']} documents, clean run {clean_count}")
                ledger = {s["path"] for s in summary["sources"]}
                check(ledger == set(ids_of), f"round {rounds}: completed with {len(ledger)} ledger entries")
            completions += 1
            if round_started_empty:
                clean_seconds = time.monotonic() - started
            shutil.rmtree(db, ignore_errors=True)
            db = None
        if db is not None:
            # The last round ends with a re-run to completion too.
            proc = run(*add_command(db, paths))
            check(proc.returncode == 0, f"final re-run: exit {proc.returncode}: {proc.stderr[-500:]!r}")
            summary, err = stats(db)
            if check(summary is not None, f"final re-run: stats: {err}"):
                xapian_check(db, "final re-run")
                check(summary["documents"] == clean_count,
                      f"final re-run: {summary['documents']} documents, clean run {clean_count}")
            completions += 1
        print(f"{kills} kills in {rounds} rounds, {completions} re-runs completed the set; "
              f"{len(failures)} failures (seed {SEED})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
