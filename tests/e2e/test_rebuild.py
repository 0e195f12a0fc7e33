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
import time

import pytest

CORPORA = os.path.join(os.environ.get("REVSEARCH_SOURCE_DIR") or
                       os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "corpora")
PAGE = os.path.join(CORPORA, "pusher-ii-2004.txt")               # 25 IMDb reviews
BOOKS = os.path.join(CORPORA, "blitzer-books-positive-100.review")
FOOD = os.path.join(CORPORA, "fine-food-reviews-300.csv")
BEAUTY = os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json")


def rebuild(revindex, db, *args, env=None):
    return revindex("rebuild", "--db", db, *args, env=env)


def answer(revsearch, db, query="good"):
    """The match count and the hit ids of a search: what a user sees."""
    result = revsearch("--db", db, "--json", "--facets", "--limit", "1000", query)
    if result.returncode not in (0, 1):
        return ("error", result.stderr)
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    hits = sorted(line["data"].get("id", "") for line in lines if line.get("type") == "hit")
    summary = [line["data"] for line in lines if line.get("type") == "summary"]
    return (summary[-1].get("estimated") if summary else None, hits)


def entries(db):
    return sorted(os.listdir(db))


def live_generation(db):
    with open(os.path.join(db, "XAPIANDB")) as stub:
        return stub.read().strip().split()[-1]


def xapian_check_generations(xapian_check, db, context):
    for name in entries(db):
        if name.startswith("gen-"):
            xapian_check(os.path.join(db, name), context)


def test_generations_rebuild_compact_and_their_checks(revindex, revsearch, xapian_check, tmp_path):
    tmp = str(tmp_path)
    db = os.path.join(tmp, "db")
    proc = revindex("add", "--quiet", "--db", db, PAGE)
    assert proc.returncode == 0, f"add: {proc.stderr}"
    assert entries(db) == [".revindex.lock", "XAPIANDB", "gen-000001"], f"new layout: {entries(db)}"
    assert live_generation(db) == "gen-000001", "the stub names gen-000001"
    before = answer(revsearch, db)

    proc = rebuild(revindex, db)
    assert proc.returncode == 0, f"rebuild from the ledger: {proc.returncode} {proc.stdout} {proc.stderr}"
    for event in ("start:", "built gen-000002: 25 reviews", "checked gen-000002: 25 documents",
                  "switched gen-000001 -> gen-000002", "done in"):
        assert f"revindex rebuild: {event}" in proc.stdout, f"log line '{event}': {proc.stdout}"
    assert live_generation(db) == "gen-000002", "switched to gen-000002"
    assert answer(revsearch, db) == before, "the same answers after a rebuild from the same sources"
    assert "gen-000001" in entries(db), "--keep 2 (default) keeps the previous generation"

    proc = rebuild(revindex, db, "--if-changed")
    assert proc.returncode == 0 and "skipped: no source changed" in proc.stdout, \
        f"--if-changed skips: {proc.returncode} {proc.stdout}"
    assert live_generation(db) == "gen-000002", "a skipped rebuild switches nothing"

    proc = rebuild(revindex, db, "--from", PAGE, BOOKS, "--log-json")
    assert proc.returncode == 0, f"rebuild from another set: {proc.stderr} {proc.stdout}"
    events = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [e["event"] for e in events] == ["start", "built", "checked", "checked-tables", "switched", "removed", "done"], \
        f"JSON events: {[e['event'] for e in events]}"
    assert all({"time", "command", "event", "message"} <= e.keys() for e in events), "JSON keys"
    switched = [e for e in events if e["event"] == "switched"]
    assert switched and switched[0]["from"] == "gen-000002" and switched[0]["to"] == "gen-000003", f"{switched}"
    assert entries(db) == [".revindex.lock", "XAPIANDB", "gen-000002", "gen-000003"], f"keep 2: {entries(db)}"
    assert revindex.documents(db) == 125, f"25 + 100 documents: {revindex.documents(db)}"
    grown = answer(revsearch, db)
    assert grown[0] > before[0], f"more matches from the larger set: {grown[0]} vs {before[0]}"

    # --if-changed notices a changed source (a copy, so the corpus file is not touched).
    books_copy = os.path.join(tmp, "books.review")
    shutil.copy(BOOKS, books_copy)
    proc = rebuild(revindex, db, "--from", PAGE, books_copy)
    assert proc.returncode == 0, f"rebuild from the copy: {proc.stdout} {proc.stderr}"
    proc = rebuild(revindex, db, "--if-changed")
    assert "skipped" in proc.stdout, f"unchanged copy: skipped: {proc.stdout}"
    with open(books_copy, "a") as out:
        out.write("\n")  # a byte more: another content hash, same reviews
    proc = rebuild(revindex, db, "--if-changed")
    assert proc.returncode == 0 and "skipped" not in proc.stdout and f"{books_copy} changed" in proc.stdout, \
        f"--if-changed rebuilds after a change: {proc.stdout}"
    assert revindex.documents(db) == 125, "the same 125 documents"

    proc = rebuild(revindex, db, "--keep", "1", "--quiet")
    assert proc.returncode == 0 and proc.stdout == "" and proc.stderr == "", f"--quiet: {proc.stdout!r} {proc.stderr!r}"
    gens = [n for n in entries(db) if n.startswith("gen-")]
    assert gens == [live_generation(db)], f"--keep 1 leaves the live generation only: {gens}"

    proc = revindex("compact", "--db", db)
    assert proc.returncode == 0 and "switched" in proc.stdout, f"compact: {proc.stdout} {proc.stderr}"
    assert revindex.documents(db) == 125 and answer(revsearch, db) == grown, "compact keeps documents and answers"
    xapian_check_generations(xapian_check, db, "after compact")

    proc = rebuild(revindex, db, "--expect-documents", "7")
    assert proc.returncode == 1 and "125 documents, 7 expected" in proc.stderr, \
        f"a failed check exits 1: {proc.returncode} {proc.stderr}"
    assert not any(n.startswith(".building") for n in entries(db)), "a failed check leaves no scratch"
    assert answer(revsearch, db) == grown, "a failed check keeps the live index"

    proc = rebuild(revindex, os.path.join(tmp, "nothing"))
    assert proc.returncode == 2 and "no index" in proc.stderr, f"no index: {proc.returncode} {proc.stderr}"
    assert not os.path.exists(os.path.join(tmp, "nothing")), "a rebuild of no index creates no directory"


def make_legacy(revindex, tmp):
    """A plain glass DIR, as revindex made before generations: generation 1's files moved up, stub removed."""
    db = os.path.join(tmp, "legacy")
    proc = revindex("add", "--quiet", "--db", db, PAGE)
    assert proc.returncode == 0, f"add: {proc.stderr}"
    for name in os.listdir(os.path.join(db, "gen-000001")):
        os.rename(os.path.join(db, "gen-000001", name), os.path.join(db, name))
    os.rmdir(os.path.join(db, "gen-000001"))
    os.remove(os.path.join(db, "XAPIANDB"))
    return db


def test_a_legacy_index_works_and_its_first_rebuild_converts_it(revindex, revsearch, xapian_check, tmp_path):
    db = make_legacy(revindex, str(tmp_path))
    assert os.path.exists(os.path.join(db, "iamglass")), "legacy layout"
    before = answer(revsearch, db)
    assert before[0] and before[0] > 0, f"a legacy index answers: {before}"
    proc = revindex("add", "--quiet", "--db", db, PAGE)
    assert proc.returncode == 0 and not os.path.exists(os.path.join(db, "XAPIANDB")), \
        f"add keeps a legacy index as it is: {proc.stderr} {entries(db)}"
    proc = rebuild(revindex, db, "--from", PAGE, BOOKS)
    assert proc.returncode == 0 and "switched legacy -> gen-000002" in proc.stdout, f"legacy rebuild: {proc.stdout}"
    assert entries(db) == [".revindex.lock", "XAPIANDB", "gen-000001", "gen-000002"], \
        f"converted: the old index is gen-000001, nothing of it left in DIR: {entries(db)}"
    assert revindex.documents(db) == 125, "the new generation answers"
    xapian_check_generations(xapian_check, db, "converted legacy")


def test_a_kill_in_the_middle_of_the_legacy_move_is_finished_by_the_next_run(revindex, xapian_check, tmp_path,
                                                                              fault_points):
    """New readers already see the new generation; the next run finishes the move."""
    db = make_legacy(revindex, str(tmp_path))
    proc = rebuild(revindex, db, "--from", PAGE, BOOKS, env={"REVSEARCH_FAULT_AT": "legacy-mid-move"})
    assert proc.returncode == -signal.SIGKILL, f"killed at legacy-mid-move: {proc.returncode}"
    assert revindex.documents(db) == 125, "after the switch rename, DIR opens the new generation"
    assert any(n.endswith(".glass") for n in entries(db)), f"glass files left in DIR: {entries(db)}"
    proc = rebuild(revindex, db, "--from", PAGE)
    assert proc.returncode == 0 and "finished moving the legacy index" in proc.stdout, f"recovery: {proc.stdout}"
    assert not any(n.endswith(".glass") for n in entries(db)), f"no glass file in DIR: {entries(db)}"
    assert revindex.documents(db) == 25, "the next rebuild works"
    xapian_check_generations(xapian_check, db, "recovered legacy")


def test_a_rebuild_waits_for_the_lock_then_exits_3(revindex, tmp_path):
    db = os.path.join(tmp_path, "locked")
    assert revindex("add", "--quiet", "--db", db, PAGE).returncode == 0, "add"
    holder = subprocess.Popen([revindex.path, "add", "--db", db, "--quiet", "--format", "imdb", "-"],
                              stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        time.sleep(0.5)  # the holder opens the index and waits on stdin
        started = time.monotonic()
        proc = rebuild(revindex, db, "--lock-timeout", "1")
        waited = time.monotonic() - started
        assert proc.returncode == 3, f"a rebuild while an add holds the index exits 3: {proc.returncode}"
        assert f"another revindex holds the index at {db}" in proc.stderr, f"lock message: {proc.stderr}"
        assert 1.0 <= waited < 5.0, f"waited about --lock-timeout: {waited:.2f} s"
    finally:
        holder.stdin.close()
        holder.wait(timeout=60)
    # flock(1), as the cron example uses, excludes the same way (the lock is flock(2) on DIR/.revindex.lock).
    with subprocess.Popen(["flock", os.path.join(db, ".revindex.lock"), "sleep", "2"]) as holder:
        time.sleep(0.3)
        proc = rebuild(revindex, db, "--lock-timeout", "0.2", "--log-json")
        line = json.loads(proc.stdout.splitlines()[-1]) if proc.stdout else {}
        assert proc.returncode == 3 and line.get("event") == "error" and line.get("exit") == 3, \
            f"locked, as a JSON error event: {proc.returncode} {proc.stdout}"
        # A rebuild that may wait gets the lock once flock(1) lets go.
        proc = rebuild(revindex, db, "--lock-timeout", "10")
        assert proc.returncode == 0, f"waits for the lock and rebuilds: {proc.stdout} {proc.stderr}"
    proc = revindex("add", "--db", db, "--lock-timeout", "0.2", PAGE)
    assert proc.returncode == 0, "add after the rebuild"


@pytest.fixture
def faults_db(revindex, tmp_path):
    db = os.path.join(tmp_path, "faults")
    assert revindex("add", "--quiet", "--db", db, PAGE).returncode == 0, "add"
    return db


@pytest.mark.parametrize("point", ["after-scratch", "mid-build", "before-check", "before-switch", "after-switch"])
def test_a_rebuild_killed_at_a_fault_point_leaves_a_whole_index(revindex, revsearch, faults_db, point,
                                                                fault_points):
    db = faults_db
    old = answer(revsearch, db)
    live_before = live_generation(db)
    proc = rebuild(revindex, db, "--from", PAGE, BOOKS, env={"REVSEARCH_FAULT_AT": point})
    assert proc.returncode == -signal.SIGKILL, f"{point}: killed ({proc.returncode} {proc.stderr})"
    now = answer(revsearch, db)
    if point == "after-switch":
        assert now[0] > old[0] and live_generation(db) != live_before, f"{point}: the switch was done: {now[0]}"
    else:
        assert now == old and live_generation(db) == live_before, f"{point}: the live index answers the same"
    proc = rebuild(revindex, db, "--from", PAGE)
    assert proc.returncode == 0, f"{point}: the next rebuild succeeds: {proc.stdout} {proc.stderr}"
    if point != "after-switch":
        assert "recovered" not in proc.stdout or "removed" in proc.stdout, f"{point}: recovery logged"
    assert not any(n.startswith(".building") or n.startswith("XAPIANDB.tmp") for n in entries(db)), \
        f"{point}: scratch cleaned: {entries(db)}"
    assert answer(revsearch, db) == old, f"{point}: back to the page's answers"


def test_a_rebuild_killed_at_arbitrary_moments_leaves_a_whole_index(revindex, revsearch, faults_db, xapian_check):
    """SIGKILL at arbitrary moments of a larger rebuild (about 700 reviews)."""
    db = faults_db
    old = answer(revsearch, db)
    for delay in (0.05, 0.2, 0.5, 1.0):
        live_before = live_generation(db)
        proc = subprocess.Popen([revindex.path, "rebuild", "--db", db, "--from", PAGE, BOOKS, FOOD, BEAUTY],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        proc.kill()
        out, _ = proc.communicate()
        now = answer(revsearch, db)
        switched = "switched" in out.decode()
        assert now == old or (switched and now[0] > old[0]), f"killed after {delay} s: whole answers {now[0]}"
        assert switched or live_generation(db) == live_before, f"killed after {delay} s before the switch: same gen"
        proc = rebuild(revindex, db, "--from", PAGE)
        assert proc.returncode == 0 and answer(revsearch, db) == old, \
            f"after the kill at {delay} s the next rebuild works"
        assert not any(n.startswith(".building") for n in entries(db)), f"scratch cleaned after the kill at {delay} s"
    xapian_check_generations(xapian_check, db, "after the kills")


def test_a_parallel_rebuild_killed_inside_is_cleaned_and_gives_the_one_writer_answers(revindex, revsearch,
                                                                                      faults_db, fault_points):
    """--jobs: the same index built in parallel parts; killed inside, its work directory is cleaned too."""
    db = faults_db
    sources = [PAGE, BOOKS, FOOD, BEAUTY]
    assert rebuild(revindex, db, "--from", *sources).returncode == 0, "one-writer rebuild of 725 reviews"
    one_writer = answer(revsearch, db)
    proc = rebuild(revindex, db, "--jobs", "2", "--from", *sources, env={"REVSEARCH_FAULT_AT": "after-scratch"})
    assert proc.returncode == -signal.SIGKILL and any(n.startswith(".building") for n in entries(db)), \
        f"--jobs killed after-scratch: {proc.returncode} {entries(db)}"
    proc = rebuild(revindex, db, "--jobs", "2", "--from", *sources)
    assert proc.returncode == 0 and "removed scratch" in proc.stdout, f"--jobs 2 rebuild: {proc.stdout} {proc.stderr}"
    assert revindex.documents(db) == 725 and answer(revsearch, db) == one_writer, \
        "--jobs 2 gives the one-writer index's answers"
    assert not any(n.startswith(".") and n != ".revindex.lock" for n in entries(db)), f"no scratch: {entries(db)}"
