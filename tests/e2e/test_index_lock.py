"""End-to-end: a second writer waits --lock-timeout, then exits 3 naming the index; the first writer finishes.

The first `revindex add -` holds the write lock while it waits for its standard input, which this script keeps
open: a lock held for exactly as long as the test needs, with no timing guesswork.
"""

import os
import subprocess
import time

import pytest


def wait_for_lock(db, live_database, deadline_seconds=20):
    """Until the first writer has created the index and holds its lock (a glass db has flintlock; a new index is
    generation 1 behind the stub DIR/XAPIANDB, docs/rebuild.md)."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        if os.path.exists(os.path.join(db, "XAPIANDB")) and os.path.exists(os.path.join(live_database(db), "flintlock")):
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def holder(revindex, live_database, tmp_path):
    """The first writer: `revindex add -` on a new index, holding its lock while its stdin is open."""
    db = str(tmp_path / "db")
    proc = subprocess.Popen([revindex.path, "add", "--db", db, "--format", "imdb", "-"],
                            stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    assert wait_for_lock(db, live_database), "the first writer created the index"
    time.sleep(0.3)
    yield db, proc
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_a_second_writer_waits_then_exits_3_and_the_first_finishes(revindex, holder, page, xapian_check):
    db, first = holder
    started = time.monotonic()
    second = revindex("add", "--db", db, "--lock-timeout", "1", page, timeout=60)
    waited = time.monotonic() - started
    assert second.returncode == 3, f"second writer exits 3: {second.stderr}"
    assert f"another revindex holds the index at {db}" in second.stderr, f"lock message: {second.stderr}"
    assert 1.0 <= waited < 5.0, f"second writer waited about --lock-timeout 1 s: {waited:.2f} s"

    deleter = revindex("delete", "--db", db, "--lock-timeout", "0.2", "--id", "x", timeout=60)
    assert deleter.returncode == 3, f"delete waits on the lock too: {deleter.returncode} {deleter.stderr}"

    with open(page, "rb") as f:
        first.stdin.write(f.read())
    first.stdin.close()
    first_err = first.stderr.read().decode()
    assert first.wait(timeout=120) == 0, f"first writer finishes: {first_err}"
    assert "added 25" in first_err, f"first writer indexed the page from stdin: {first_err}"

    # Now the lock is free: a waiting writer gets it, and the index is whole.
    third = revindex("add", "--db", db, "--lock-timeout", "1", page)
    assert third.returncode == 0, f"third writer succeeds: {third.stderr}"
    assert "unchanged 25" in third.stderr, f"stdin batch and file batch hold the same reviews: {third.stderr}"
    assert revindex.stats(db).get("documents") == 25
    xapian_check(db)
