"""Rebuilds replay the truth and inputs are what they seem (issue 18, docs/reliability.md "Ledger and inputs").
Each case was a way to lose, resurrect or half-index reviews through ordinary commands:
  3  stdin batches survive a rebuild (kept as DIR/inputs/stdin-NNNNNN);
  4  a file rewritten while it is read is reported, not indexed, not recorded: the next add reads it whole;
  5  pipes work (<(cat page.txt) reads the 25 reviews), /dev/stdin is never recorded as a path, /dev/zero is
     refused, the index's own directory is never read;
  6  a deleted review never comes back through rebuild or compact; a later batch brings it back;
  7  batches replay in the order they were added, not in path order;
  plus: a rebuild that would lose documents without a reason refuses (exit 2, --allow-loss overrides), and any
  command that takes the lock removes stale scratch.
Inputs are generated in a temporary directory, besides corpora/pusher-ii-2004.txt (25 reviews).
"""
import json
import os
import shutil
import subprocess
import time

import pytest


@pytest.fixture(scope="module")
def run(revindex):
    """run(ARGS...) of revindex, or run(COMMAND, shell=True) of a bash command line: (exit, stdout, stderr)."""
    def run_command(*argv, stdin=None, shell=False):
        if shell:
            proc = subprocess.run(argv[0], capture_output=True, text=True, timeout=120, shell=True,
                                  executable="/bin/bash")
        else:
            proc = revindex(*argv, stdin=stdin)
        return proc.returncode, proc.stdout, proc.stderr
    return run_command


@pytest.fixture(scope="module")
def count(revsearch):
    return lambda db, query="*": revsearch.exact_match_count(db, query)[1]


@pytest.fixture(scope="module")
def documents(revindex):
    return revindex.documents


def jsonl(path, rows):
    with open(path, "w") as out:
        for row in rows:
            out.write(json.dumps(row) + "\n")


def rows(prefix, n, word):
    return [{"id": f"{prefix}{i}", "body": f"review {i} of the {word} gadget, solid and useful"} for i in range(n)]


def test_stdin_batches_survive_a_rebuild(run, count, documents, page, tmp_path):
    """Case 3."""
    work = str(tmp_path)
    db = os.path.join(work, "stdin-db")
    other = os.path.join(work, "other.jsonl")
    jsonl(other, rows("o", 25, "stdin"))
    assert run("add", "--db", db, "-q", page)[0] == 0, "case 3: add page"
    with open(other) as stdin:
        code, _, err = run("add", "--db", db, "-", stdin=stdin)
    assert code == 0 and "added 25," in err, f"case 3: add - < other.jsonl: {code} {err}"
    assert documents(db) == 50, f"case 3: 50 documents before the rebuild: {documents(db)}"
    assert os.path.isfile(os.path.join(db, "inputs", "stdin-000002")), "case 3: the stdin batch is kept"
    for jobs in ([], ["--jobs", "2"]):
        code, out, err = run("rebuild", "--db", db, *jobs)
        assert code == 0 and documents(db) == 50, f"case 3: rebuild {jobs} keeps the 50: {code} {documents(db)} {err}"
    # The same stream again changes nothing and is not kept twice.
    with open(other) as stdin:
        code, _, err = run("add", "--db", db, "-", stdin=stdin)
    assert code == 0 and sorted(os.listdir(os.path.join(db, "inputs"))) == ["stdin-000002"], \
        f"case 3: the same stream again keeps no second copy: {os.listdir(os.path.join(db, 'inputs'))}"
    # A kept stream batch is deleted by the name the ledger gives it, and stays deleted through a rebuild.
    code, _, err = run("delete", "--db", db, "--source", "inputs/stdin-000002")
    assert code == 0 and "deleted 25" in err, f"case 3: delete --source inputs/stdin-000002: {code} {err}"
    code, _, err = run("rebuild", "--db", db, "--from", page)
    assert code == 0 and documents(db) == 25 and count(db, "stdin") == 0, \
        f"case 3: the deleted stream batch stays out of a rebuild --from: {code} {documents(db)} {err}"


def test_pipes_work_and_devices_and_the_index_itself_are_never_recorded(revindex, run, count, documents, page,
                                                                        tmp_path):
    """Case 5."""
    work = str(tmp_path)
    db = os.path.join(work, "pipe-db")
    code, _, err = run(f"'{revindex.path}' add --db '{db}' <(cat '{page}')", shell=True)
    assert code == 0 and "read 25," in err, f"case 5: add <(cat page) reads 25: {code} {err}"
    code, _, err = run(f"'{revindex.path}' add --db '{db}' --format imdb <(cat '{page}')", shell=True)
    assert code == 0, f"case 5: --format imdb <(cat page): {code} {err}"
    # /dev/stdin from a file: recorded as a kept copy, never as /dev/stdin (a later rebuild < other must not
    # replace the index with what its stdin happens to hold).
    db2 = os.path.join(work, "devstdin-db")
    other = os.path.join(work, "devstdin-other.jsonl")
    jsonl(other, rows("d", 3, "devstdin"))
    with open(page) as stdin:
        code, _, err = run("add", "--db", db2, "/dev/stdin", stdin=stdin)
    assert code == 0 and "read 25," in err, f"case 5: add /dev/stdin < page: {code} {err}"
    with open(other) as stdin:
        code, _, err = run("rebuild", "--db", db2, stdin=stdin)
    assert code == 0 and documents(db2) == 25 and count(db2, "devstdin") == 0, \
        f"case 5: rebuild < other keeps the 25 page reviews: {code} {documents(db2)} {err}"
    for db_ in (db, db2):
        code, out, _ = run("stats", "--db", db_, "--json")
        assert "/dev/" not in out, f"case 5: no /dev path in the ledger of {db_}: {out}"
    code, _, err = run("rebuild", "--db", db)
    assert code == 0 and documents(db) == 25, f"case 5: rebuild after pipes: {code} {err}"
    code, _, err = run("add", "--db", db, "/dev/zero")
    assert code == 2 and "device" in err, f"case 5: /dev/zero refused: {code} {err}"
    # The index's own directory is not read as input.
    cwd_db = os.path.join(work, "cwd")
    os.makedirs(cwd_db)
    shutil.copy(page, cwd_db)
    proc = revindex("add", "--db", "./index", ".", cwd=cwd_db)
    proc2 = revindex("add", "--db", "./index", ".", cwd=cwd_db)
    assert (proc.returncode == 0 and proc2.returncode == 0 and "error" not in proc2.stderr
            and "the index's own directory, not read" in proc2.stderr
            and documents(os.path.join(cwd_db, "index")) == 25), \
        f"own directory skipped: {proc.returncode} {proc2.returncode} {proc2.stderr}"


def test_a_file_rewritten_while_it_is_read_is_reported_not_indexed(revindex, run, count, documents, page, tmp_path,
                                                                   fault_points):
    """Case 4 (a pause point holds the add after reading)."""
    work = str(tmp_path)
    db = os.path.join(work, "changed-db")
    batch = os.path.join(work, "download.jsonl")
    jsonl(batch, rows("c", 40, "download"))
    marker = os.path.join(work, "paused")
    env = dict(os.environ, REVSEARCH_PAUSE_AT="input-read", REVSEARCH_PAUSE_FILE=marker)
    proc = subprocess.Popen([revindex.path, "add", "--db", db, batch], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60  # a bound on waiting for the pause, not a timed assertion
    while not os.path.exists(marker) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    # Truncated and rewritten in place, as curl -o does, while add holds what it read.
    jsonl(batch, rows("c", 45, "download"))
    os.remove(marker)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 2 and "changed while it was read" in err, \
        f"case 4: a rewritten file is reported, exit 2: {proc.returncode} {err}"
    assert count(db, "download") in (0, None), f"case 4: nothing of it indexed: {count(db, 'download')}"
    code, _, err = run("add", "--db", db, batch)
    assert code == 0 and "added 45," in err, f"case 4: the next add reads the whole file: {code} {err}"
    code, _, err = run("add", "--db", db, batch)
    assert code == 0 and "skipped files 1" in err, f"case 4: then it is skipped: {err}"


def test_batches_replay_in_order_and_deleted_reviews_stay_deleted(run, count, documents, page, tmp_path):
    """Cases 6 and 7."""
    work = str(tmp_path)
    db = os.path.join(work, "order-db")
    old, new = os.path.join(work, "z-old.jsonl"), os.path.join(work, "a-new.jsonl")
    jsonl(old, [{"id": "x1", "body": "the old text says broken hinge"}, {"id": "x2", "body": "kept review two"}])
    jsonl(new, [{"id": "x1", "body": "the new text says sturdy hinge"}])
    run("add", "--db", db, "-q", old)
    run("add", "--db", db, "-q", new)
    for jobs in ([], ["--jobs", "2"]):
        code, _, err = run("rebuild", "--db", db, *jobs)
        assert code == 0 and count(db, "sturdy") == 1 and count(db, "broken") == 0, \
            f"case 7: rebuild {jobs} keeps the newer text: {code} {err}"
    # case 6: a takedown survives rebuild and compact.
    code, _, err = run("delete", "--db", db, "--id", "x2")
    assert code == 0, f"case 6: delete: {err}"
    for step in (["rebuild"], ["compact"], ["rebuild", "--jobs", "2"]):
        code, _, err = run(*step, "--db", db)
        assert code == 0 and count(db, "kept") == 0, f"case 6: x2 stays deleted after {step}: {code} {err}"
    # A later batch brings it back, live and through a rebuild.
    again = os.path.join(work, "again.jsonl")
    jsonl(again, [{"id": "x2", "body": "kept review two, posted again"}])
    run("add", "--db", db, "-q", again)
    run("rebuild", "--db", db)
    assert count(db, "kept") == 1, "case 6: a later batch brings the review back through a rebuild"
    # delete --source: ids of the batch get tombstones, so an older batch holding them does not bring them back.
    run("delete", "--db", db, "--source", new)
    code, _, err = run("rebuild", "--db", db)
    assert code == 0 and count(db, "hinge") == 0, f"case 6: delete --source outlives a rebuild: {code} {err}"


def test_a_rebuild_that_would_lose_documents_without_a_reason_refuses(run, count, documents, page, tmp_path):
    work = str(tmp_path)
    db = os.path.join(work, "loss-db")
    batch, spare = os.path.join(work, "shrinks.jsonl"), os.path.join(work, "spare.jsonl")
    jsonl(batch, rows("s", 10, "shrinking"))
    jsonl(spare, rows("p", 5, "spare"))
    run("add", "--db", db, "-q", batch, spare)
    jsonl(batch, rows("s", 7, "shrinking"))  # three reviews gone from the file, none deleted from the index
    code, _, err = run("rebuild", "--db", db)
    assert code == 2 and "lacks 3 of the live index's 15 documents" in err and documents(db) == 15, \
        f"loss: refused with figures, live kept: {code} {err} {documents(db)}"
    code, _, err = run("rebuild", "--db", db, "--allow-loss")
    assert code == 0 and documents(db) == 12, f"loss: --allow-loss switches: {code} {err}"
    code, _, err = run("rebuild", "--db", db, "--from", batch)
    assert code == 0 and documents(db) == 7, f"loss: a source left out of --from is a reason: {code} {err}"


def test_any_command_that_takes_the_lock_removes_stale_scratch(run, count, documents, page, tmp_path):
    work = str(tmp_path)
    db = os.path.join(work, "scratch-db")
    run("add", "--db", db, "-q", page)
    stale = os.path.join(db, ".building-999999-gen-000009")
    os.makedirs(os.path.join(stale, "index"))
    code, _, err = run("delete", "--db", db, "--id", "no-such-id")
    assert not os.path.exists(stale), f"scratch removed by delete: {code} {err}"
    os.makedirs(stale)
    run("add", "--db", db, "-q", page)
    assert not os.path.exists(stale), "scratch removed by add"
