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

Env: REVSEARCH_CRASH_KILLS (default 20), REVSEARCH_CRASH_SEED (default: random, printed on failure).
"""

import csv
import glob
import json
import os
import random
import shutil
import signal
import subprocess
import time

import pytest

KILLS = int(os.environ.get("REVSEARCH_CRASH_KILLS", "20"))
SEED = int(os.environ.get("REVSEARCH_CRASH_SEED", str(random.SystemRandom().randrange(1 << 31))))

CORPORA = os.path.join(os.environ.get("REVSEARCH_SOURCE_DIR") or
                       os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "corpora")
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


class Crashes:
    """The binaries and checks of the kill rounds."""

    def __init__(self, revindex, xapian_delve, xapian_check, live_database):
        self.revindex, self.delve, self.xapian_check, self.live_database = \
            revindex, xapian_delve, xapian_check, live_database

    def run(self, *args, timeout=600):
        proc = subprocess.run([str(arg) for arg in args], capture_output=True, timeout=timeout,
                              stdin=subprocess.DEVNULL)
        assert proc.returncode >= 0, f"{args} was killed by {signal.Signals(-proc.returncode).name}"
        return proc

    def batch_ids(self, path):
        proc = self.run(self.revindex.path, "parse", "--quiet", path)
        assert proc.returncode == 0, f"revindex parse {path}: exit {proc.returncode}: {proc.stderr[-500:]!r}"
        return {json.loads(line)["id"] for line in proc.stdout.decode().splitlines() if line.strip()}

    def index_ids(self, db):
        proc = self.run(self.delve, "-1", "-A", "Q", db)
        if proc.returncode != 0:
            return None
        return {line[1:] for line in proc.stdout.decode("utf-8", "replace").splitlines() if line.startswith("Q")}

    def stats(self, db):
        proc = self.run(self.revindex.path, "stats", "--db", db, "--json")
        if proc.returncode != 0:
            return None, proc.stderr.decode("utf-8", "replace")
        return json.loads(proc.stdout), ""

    def add_command(self, db, paths):
        return [self.revindex.path, "add", "--quiet", "--db", db, *paths]

    def assert_consistent(self, db, ids_of, unique_of, context):
        """The invariants after a kill; returns the ledger's batch paths."""
        if not os.path.exists(os.path.join(self.live_database(db), "iamglass")):
            # Killed before Xapian finished creating the database: nothing was committed, there is nothing to
            # open (the re-run creates it).
            return set()
        summary, err = self.stats(db)
        assert summary is not None, f"{context}: the index does not open after the kill: {err}"
        self.xapian_check(db, context)
        ledger = {source["path"] for source in summary.get("sources", [])}
        present = self.index_ids(db)
        assert present is not None, f"{context}: xapian-delve cannot list the ids"
        assert summary["documents"] == len(present), \
            f"{context}: {summary['documents']} documents but {len(present)} distinct ids"
        for path, ids in ids_of.items():
            if path in ledger:
                missing = ids - present
                assert not missing, (f"{context}: {os.path.basename(path)} is in the ledger but {len(missing)} of "
                                     f"its {len(ids)} reviews are missing")
            else:
                partial = unique_of[path] & present
                assert not partial, (f"{context}: {os.path.basename(path)} is not in the ledger but {len(partial)} "
                                     f"of its {len(unique_of[path])} unique reviews are in the index (a partial "
                                     f"batch)")
        return ledger

    def assert_complete(self, db, ids_of, clean_count, context):
        summary, err = self.stats(db)
        assert summary is not None, f"{context}: stats after completion: {err}"
        self.xapian_check(db, f"{context} completed")
        assert summary["documents"] == clean_count, \
            f"{context}: completed with {summary['documents']} documents, clean run {clean_count}"
        ledger = {s["path"] for s in summary["sources"]}
        assert ledger == set(ids_of), f"{context}: completed with {len(ledger)} ledger entries"


@pytest.fixture(scope="module")
def crashes(revindex, xapian_delve, xapian_check, live_database):
    return Crashes(revindex, xapian_delve, xapian_check, live_database)


@pytest.fixture(scope="module")
def batch_set(crashes, tmp_path_factory):
    """(paths, ids of each batch, ids of each batch in no other, every id)."""
    paths = copy_set(str(tmp_path_factory.mktemp("batches")))
    ids_of = {os.path.abspath(p): crashes.batch_ids(p) for p in paths}
    unique_of = {}
    for path, ids in ids_of.items():
        others = set().union(*(other for p, other in ids_of.items() if p != path))
        unique_of[path] = ids - others
    return paths, ids_of, unique_of, set().union(*ids_of.values())


@pytest.fixture(scope="module")
def clean_run(crashes, batch_set, tmp_path_factory):
    """(document count, seconds) of a clean single run: the reference."""
    paths = batch_set[0]
    clean_db = str(tmp_path_factory.mktemp("clean") / "db")
    started = time.monotonic()
    proc = crashes.run(*crashes.add_command(clean_db, paths))
    seconds = time.monotonic() - started
    assert proc.returncode == 0, f"clean run: exit {proc.returncode}: {proc.stderr[-500:]!r}"
    clean, _ = crashes.stats(clean_db)
    crashes.xapian_check(clean_db, "clean run")
    return clean["documents"], seconds


def test_the_set_is_13_batches_of_862_distinct_reviews(batch_set):
    paths, _, _, all_ids = batch_set
    assert (len(paths), len(all_ids)) == (13, 862)


def test_a_clean_run_holds_every_distinct_review(batch_set, clean_run):
    assert clean_run[0] == len(batch_set[3])


def test_sigkill_at_random_moments_leaves_a_consistent_index_and_a_rerun_completes_it(crashes, batch_set,
                                                                                      clean_run, tmp_path):
    print(f"seed {SEED} (REVSEARCH_CRASH_SEED={SEED} repeats this run), {KILLS} kills")
    paths, ids_of, unique_of, _ = batch_set
    clean_count, clean_seconds = clean_run
    rng = random.Random(SEED)
    kills = completions = rounds = 0
    db = None
    while kills < KILLS:
        if db is None:
            rounds += 1
            db = str(tmp_path / f"round-{rounds}")
            round_started_empty = True
        # Uniform over a whole run from an empty index, re-measured each time a round completes one (the
        # machine's load changes): most kills land inside a batch, some in a commit, some between batches.
        delay = rng.uniform(0, clean_seconds)
        started = time.monotonic()
        writer = subprocess.Popen(crashes.add_command(db, paths), stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        try:
            writer.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            # The whole process group: a lock-holding helper Xapian may fork dies with the writer.
            os.killpg(writer.pid, signal.SIGKILL)
            writer.wait()
            writer.stderr.close()
            kills += 1
            round_started_empty = False
            ledger = crashes.assert_consistent(db, ids_of, unique_of,
                                               f"seed {SEED}, round {rounds}, kill {kills} after {delay:.2f} s")
            print(f"kill {kills:3d} (round {rounds}) after {delay:5.2f} s: {len(ledger)}/{len(paths)} batches "
                  f"committed")
            continue
        err = writer.stderr.read().decode("utf-8", "replace")
        writer.stderr.close()
        assert writer.returncode == 0, \
            f"seed {SEED}, round {rounds}: the re-run exited {writer.returncode}: {err[-500:]}"
        crashes.assert_complete(db, ids_of, clean_count, f"seed {SEED}, round {rounds}")
        completions += 1
        if round_started_empty:
            clean_seconds = time.monotonic() - started
        shutil.rmtree(db, ignore_errors=True)
        db = None
    if db is not None:
        # The last round ends with a re-run to completion too.
        proc = crashes.run(*crashes.add_command(db, paths))
        assert proc.returncode == 0, f"seed {SEED}, final re-run: exit {proc.returncode}: {proc.stderr[-500:]!r}"
        crashes.assert_complete(db, ids_of, clean_count, f"seed {SEED}, final re-run")
        completions += 1
    print(f"{kills} kills in {rounds} rounds, {completions} re-runs completed the set (seed {SEED})")
