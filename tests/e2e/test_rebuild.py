#!/usr/bin/env python3
"""End-to-end: `revindex rebuild` and `revindex compact` (docs/rebuild.md).

Checks: a new index is generation 1 behind the stub DIR/XAPIANDB; a rebuild from the ledger and one from another
--from set switch generations and searches follow; --keep; --if-changed skips, and does not skip after a source
changed; compact keeps the documents; --log-json lines; a legacy plain glass DIR keeps working and is converted
by its first rebuild; a rebuild while an add (or flock(1)) holds the index exits 3; a rebuild killed at each
named fault point (REVSEARCH_FAULT_AT) or by SIGKILL after 0.05..0.5 s leaves the live index answering the same,
and the next run removes its scratch and succeeds; every generation passes xapian-check.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from e2e import REVINDEX, REVSEARCH, SOURCE, XAPIAN_CHECK, check, failures

CORPORA = os.path.join(SOURCE, "corpora")
PAGE = os.path.join(CORPORA, "pusher-ii-2004.txt")               # 25 IMDb reviews
BOOKS = os.path.join(CORPORA, "blitzer-books-positive-100.review")
FOOD = os.path.join(CORPORA, "fine-food-reviews-300.csv")
BEAUTY = os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json")


def run(*args, env=None, timeout=120):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, env=env,
                          stdin=subprocess.DEVNULL)


def rebuild(db, *args, env=None):
    return run(REVINDEX, "rebuild", "--db", db, *args, env=env)


def documents(db):
    proc = run(REVINDEX, "stats", "--db", db, "--json")
    return json.loads(proc.stdout)["documents"] if proc.returncode == 0 else None


def answer(db, query="good"):
    """The match count and the hit ids of a search: what a user sees."""
    proc = run(REVSEARCH, "--db", db, "--json", "--facets", "--limit", "1000", query)
    if proc.returncode not in (0, 1):
        return ("error", proc.stderr)
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
    hits = sorted(line["data"].get("id", "") for line in lines if line.get("type") == "hit")
    summary = [line["data"] for line in lines if line.get("type") == "summary"]
    return (summary[-1].get("estimated") if summary else None, hits)


def entries(db):
    return sorted(os.listdir(db))


def live_generation(db):
    with open(os.path.join(db, "XAPIANDB")) as stub:
        return stub.read().strip().split()[-1]


def xapian_check_generations(db, context):
    if not XAPIAN_CHECK:
        return
    for name in entries(db):
        if name.startswith("gen-"):
            proc = run(XAPIAN_CHECK, os.path.join(db, name))
            check(proc.returncode == 0 and "No errors found" in proc.stdout,
                  f"{context}: xapian-check {name}: {proc.stdout[-300:]}")


def test_generations(tmp):
    db = os.path.join(tmp, "db")
    proc = run(REVINDEX, "add", "--quiet", "--db", db, PAGE)
    check(proc.returncode == 0, f"add: {proc.stderr}")
    check(entries(db) == [".revindex.lock", "XAPIANDB", "gen-000001"], f"new layout: {entries(db)}")
    check(live_generation(db) == "gen-000001", "the stub names gen-000001")
    before = answer(db)

    proc = rebuild(db)
    check(proc.returncode == 0, f"rebuild from the ledger: {proc.returncode} {proc.stdout} {proc.stderr}")
    for event in ("start:", "built gen-000002: 25 reviews", "checked gen-000002: 25 documents",
                  "switched gen-000001 -> gen-000002", "done in"):
        check(f"revindex rebuild: {event}" in proc.stdout, f"log line '{event}': {proc.stdout}")
    check(live_generation(db) == "gen-000002", "switched to gen-000002")
    check(answer(db) == before, "the same answers after a rebuild from the same sources")
    check("gen-000001" in entries(db), "--keep 2 (default) keeps the previous generation")

    proc = rebuild(db, "--if-changed")
    check(proc.returncode == 0 and "skipped: no source changed" in proc.stdout,
          f"--if-changed skips: {proc.returncode} {proc.stdout}")
    check(live_generation(db) == "gen-000002", "a skipped rebuild switches nothing")

    proc = rebuild(db, "--from", PAGE, BOOKS, "--log-json")
    check(proc.returncode == 0, f"rebuild from another set: {proc.stderr} {proc.stdout}")
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    check([e["event"] for e in events] == ["start", "built", "checked", "checked-tables", "switched", "removed", "done"],
          f"JSON events: {[e['event'] for e in events]}")
    check(all({"time", "command", "event", "message"} <= e.keys() for e in events), "JSON keys")
    switched = [e for e in events if e["event"] == "switched"]
    check(switched and switched[0]["from"] == "gen-000002" and switched[0]["to"] == "gen-000003", f"{switched}")
    check(entries(db) == [".revindex.lock", "XAPIANDB", "gen-000002", "gen-000003"], f"keep 2: {entries(db)}")
    check(documents(db) == 125, f"25 + 100 documents: {documents(db)}")
    grown = answer(db)
    check(grown[0] > before[0], f"more matches from the larger set: {grown[0]} vs {before[0]}")

    # --if-changed notices a changed source (a copy, so the corpus file is not touched).
    books_copy = os.path.join(tmp, "books.review")
    shutil.copy(BOOKS, books_copy)
    proc = rebuild(db, "--from", PAGE, books_copy)
    check(proc.returncode == 0, f"rebuild from the copy: {proc.stdout} {proc.stderr}")
    proc = rebuild(db, "--if-changed")
    check("skipped" in proc.stdout, f"unchanged copy: skipped: {proc.stdout}")
    with open(books_copy, "a") as out:
        out.write("\n")  # a byte more: another content hash, same reviews
    proc = rebuild(db, "--if-changed")
    check(proc.returncode == 0 and "skipped" not in proc.stdout and f"{books_copy} changed" in proc.stdout,
          f"--if-changed rebuilds after a change: {proc.stdout}")
    check(documents(db) == 125, "the same 125 documents")

    proc = rebuild(db, "--keep", "1", "--quiet")
    check(proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", f"--quiet: {proc.stdout!r} {proc.stderr!r}")
    gens = [n for n in entries(db) if n.startswith("gen-")]
    check(gens == [live_generation(db)], f"--keep 1 leaves the live generation only: {gens}")

    proc = run(REVINDEX, "compact", "--db", db)
    check(proc.returncode == 0 and "switched" in proc.stdout, f"compact: {proc.stdout} {proc.stderr}")
    check(documents(db) == 125 and answer(db) == grown, "compact keeps documents and answers")
    xapian_check_generations(db, "after compact")

    proc = rebuild(db, "--expect-documents", "7")
    check(proc.returncode == 1 and "125 documents, 7 expected" in proc.stderr,
          f"a failed check exits 1: {proc.returncode} {proc.stderr}")
    check(not any(n.startswith(".building") for n in entries(db)), "a failed check leaves no scratch")
    check(answer(db) == grown, "a failed check keeps the live index")

    proc = rebuild(os.path.join(tmp, "nothing"))
    check(proc.returncode == 2 and "no index" in proc.stderr, f"no index: {proc.returncode} {proc.stderr}")
    check(not os.path.exists(os.path.join(tmp, "nothing")), "a rebuild of no index creates no directory")
    return db


def make_legacy(tmp):
    """A plain glass DIR, as revindex made before generations: generation 1's files moved up, stub removed."""
    db = os.path.join(tmp, "legacy")
    proc = run(REVINDEX, "add", "--quiet", "--db", db, PAGE)
    check(proc.returncode == 0, f"add: {proc.stderr}")
    for name in os.listdir(os.path.join(db, "gen-000001")):
        os.rename(os.path.join(db, "gen-000001", name), os.path.join(db, name))
    os.rmdir(os.path.join(db, "gen-000001"))
    os.remove(os.path.join(db, "XAPIANDB"))
    return db


def test_legacy(tmp):
    db = make_legacy(tmp)
    check(os.path.exists(os.path.join(db, "iamglass")), "legacy layout")
    before = answer(db)
    check(before[0] and before[0] > 0, f"a legacy index answers: {before}")
    proc = run(REVINDEX, "add", "--quiet", "--db", db, PAGE)
    check(proc.returncode == 0 and not os.path.exists(os.path.join(db, "XAPIANDB")),
          f"add keeps a legacy index as it is: {proc.stderr} {entries(db)}")
    proc = rebuild(db, "--from", PAGE, BOOKS)
    check(proc.returncode == 0 and "switched legacy -> gen-000002" in proc.stdout, f"legacy rebuild: {proc.stdout}")
    check(entries(db) == [".revindex.lock", "XAPIANDB", "gen-000001", "gen-000002"],
          f"converted: the old index is gen-000001, nothing of it left in DIR: {entries(db)}")
    check(documents(db) == 125, "the new generation answers")
    xapian_check_generations(db, "converted legacy")

    # Killed in the middle of the legacy move: new readers already see the new generation; the next run
    # finishes the move.
    db = make_legacy(tmp + "/again")
    env = dict(os.environ, REVSEARCH_FAULT_AT="legacy-mid-move")
    proc = rebuild(db, "--from", PAGE, BOOKS, env=env)
    check(proc.returncode == -signal.SIGKILL, f"killed at legacy-mid-move: {proc.returncode}")
    check(documents(db) == 125, "after the switch rename, DIR opens the new generation")
    check(any(n.endswith(".glass") for n in entries(db)), f"glass files left in DIR: {entries(db)}")
    proc = rebuild(db, "--from", PAGE)
    check(proc.returncode == 0 and "finished moving the legacy index" in proc.stdout, f"recovery: {proc.stdout}")
    check(not any(n.endswith(".glass") for n in entries(db)), f"no glass file in DIR: {entries(db)}")
    check(documents(db) == 25, "the next rebuild works")
    xapian_check_generations(db, "recovered legacy")


def test_lock(tmp):
    db = os.path.join(tmp, "locked")
    check(run(REVINDEX, "add", "--quiet", "--db", db, PAGE).returncode == 0, "add")
    holder = subprocess.Popen([REVINDEX, "add", "--db", db, "--quiet", "--format", "imdb", "-"],
                              stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)  # the holder opens the index and waits on stdin
        started = time.monotonic()
        proc = rebuild(db, "--lock-timeout", "1")
        waited = time.monotonic() - started
        check(proc.returncode == 3, f"a rebuild while an add holds the index exits 3: {proc.returncode}")
        check(f"another revindex holds the index at {db}" in proc.stderr, f"lock message: {proc.stderr}")
        check(1.0 <= waited < 5.0, f"waited about --lock-timeout: {waited:.2f} s")
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    # flock(1), as the cron example uses, excludes the same way (the lock is flock(2) on DIR/.revindex.lock).
    with subprocess.Popen(["flock", os.path.join(db, ".revindex.lock"), "sleep", "2"]) as holder:
        time.sleep(0.3)
        proc = rebuild(db, "--lock-timeout", "0.2", "--log-json")
        line = json.loads(proc.stdout.splitlines()[-1]) if proc.stdout else {}
        check(proc.returncode == 3 and line.get("event") == "error" and line.get("exit") == 3,
              f"locked, as a JSON error event: {proc.returncode} {proc.stdout}")
        # A rebuild that may wait gets the lock once flock(1) lets go.
        proc = rebuild(db, "--lock-timeout", "10")
        check(proc.returncode == 0, f"waits for the lock and rebuilds: {proc.stdout} {proc.stderr}")
    proc = run(REVINDEX, "add", "--db", db, "--lock-timeout", "0.2", PAGE)
    check(proc.returncode == 0, "add after the rebuild")


def test_faults(tmp):
    db = os.path.join(tmp, "faults")
    check(run(REVINDEX, "add", "--quiet", "--db", db, PAGE).returncode == 0, "add")
    old = answer(db)
    for point in ("after-scratch", "mid-build", "before-check", "before-switch", "after-switch"):
        env = dict(os.environ, REVSEARCH_FAULT_AT=point)
        live_before = live_generation(db)
        proc = rebuild(db, "--from", PAGE, BOOKS, env=env)
        check(proc.returncode == -signal.SIGKILL, f"{point}: killed ({proc.returncode} {proc.stderr})")
        now = answer(db)
        if point == "after-switch":
            check(now[0] > old[0] and live_generation(db) != live_before, f"{point}: the switch was done: {now[0]}")
        else:
            check(now == old and live_generation(db) == live_before, f"{point}: the live index answers the same")
        proc = rebuild(db, "--from", PAGE)
        check(proc.returncode == 0, f"{point}: the next rebuild succeeds: {proc.stdout} {proc.stderr}")
        if point != "after-switch":
            check("recovered" not in proc.stdout or "removed" in proc.stdout, f"{point}: recovery logged")
        check(not any(n.startswith(".building") or n.startswith("XAPIANDB.tmp") for n in entries(db)),
              f"{point}: scratch cleaned: {entries(db)}")
        check(answer(db) == old, f"{point}: back to the page's answers")

    # SIGKILL at arbitrary moments of a larger rebuild (about 700 reviews).
    for delay in (0.05, 0.2, 0.5, 1.0):
        live_before = live_generation(db)
        proc = subprocess.Popen([REVINDEX, "rebuild", "--db", db, "--from", PAGE, BOOKS, FOOD, BEAUTY],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.kill()
        out, _ = proc.communicate()
        now = answer(db)
        switched = "switched" in out.decode()
        check(now == old or (switched and now[0] > old[0]), f"killed after {delay} s: whole answers {now[0]}")
        check(switched or live_generation(db) == live_before, f"killed after {delay} s before the switch: same gen")
        proc = rebuild(db, "--from", PAGE)
        check(proc.returncode == 0 and answer(db) == old, f"after the kill at {delay} s the next rebuild works")
        check(not any(n.startswith(".building") for n in entries(db)), f"scratch cleaned after the kill at {delay} s")
    xapian_check_generations(db, "after the kills")

    # --jobs: the same index built in parallel parts; killed inside, its work directory is cleaned too.
    sources = [PAGE, BOOKS, FOOD, BEAUTY]
    check(rebuild(db, "--from", *sources).returncode == 0, "one-writer rebuild of 725 reviews")
    one_writer = answer(db)
    env = dict(os.environ, REVSEARCH_FAULT_AT="after-scratch")
    proc = rebuild(db, "--jobs", "2", "--from", *sources, env=env)
    check(proc.returncode == -signal.SIGKILL and any(n.startswith(".building") for n in entries(db)),
          f"--jobs killed after-scratch: {proc.returncode} {entries(db)}")
    proc = rebuild(db, "--jobs", "2", "--from", *sources)
    check(proc.returncode == 0 and "removed scratch" in proc.stdout, f"--jobs 2 rebuild: {proc.stdout} {proc.stderr}")
    check(documents(db) == 725 and answer(db) == one_writer, "--jobs 2 gives the one-writer index's answers")
    check(not any(n.startswith(".") and n != ".revindex.lock" for n in entries(db)), f"no scratch: {entries(db)}")


def main():
    tmp = tempfile.mkdtemp(prefix="revsearch-e2e-rebuild-")
    try:
        test_generations(tmp)
        test_legacy(tmp)
        test_lock(tmp)
        test_faults(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("test_rebuild: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
