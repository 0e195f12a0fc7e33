#!/usr/bin/env python3
"""End-to-end: a second writer waits --lock-timeout, then exits 3 naming the index; the first writer finishes.

The first `revindex add -` holds the write lock while it waits for its standard input, which this script keeps
open: a lock held for exactly as long as the test needs, with no timing guesswork.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from e2e import REVINDEX, SOURCE, XAPIAN_CHECK, check, failures, live_database

PAGE = os.path.join(SOURCE, "corpora", "pusher-ii-2004.txt")


def stats(db):
    proc = subprocess.run([REVINDEX, "stats", "--db", db, "--json"], capture_output=True, text=True, timeout=60)
    return json.loads(proc.stdout) if proc.returncode == 0 else {}


def wait_for_lock(db, deadline_seconds=20):
    """Until the first writer has created the index and holds its lock (a glass db has flintlock; a new index is
    generation 1 behind the stub DIR/XAPIANDB, docs/rebuild.md)."""
    end = time.monotonic() + deadline_seconds
    while time.monotonic() < end:
        if os.path.exists(os.path.join(db, "XAPIANDB")) and os.path.exists(os.path.join(live_database(db), "flintlock")):
            return True
        time.sleep(0.05)
    return False


def main():
    tmp = tempfile.mkdtemp(prefix="revsearch-e2e-lock-")
    db = os.path.join(tmp, "db")
    holder = subprocess.Popen([REVINDEX, "add", "--db", db, "--quiet", "--format", "imdb", "-"],
                              stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        check(wait_for_lock(db), "the first writer created the index")
        time.sleep(0.3)
        started = time.monotonic()
        second = subprocess.run([REVINDEX, "add", "--db", db, "--lock-timeout", "1", PAGE],
                                capture_output=True, text=True, timeout=60)
        waited = time.monotonic() - started
        check(second.returncode == 3, f"second writer exits 3, got {second.returncode}: {second.stderr}")
        check(f"another revindex holds the index at {db}" in second.stderr, f"lock message: {second.stderr}")
        check(1.0 <= waited < 5.0, f"second writer waited about --lock-timeout 1 s: {waited:.2f} s")

        deleter = subprocess.run([REVINDEX, "delete", "--db", db, "--lock-timeout", "0.2", "--id", "x"],
                                 capture_output=True, text=True, timeout=60)
        check(deleter.returncode == 3, f"delete waits on the lock too: {deleter.returncode} {deleter.stderr}")

        with open(PAGE, "rb") as f:
            holder.stdin.write(f.read())
        holder.stdin.close()
        holder_err = holder.stderr.read().decode()
        code = holder.wait(timeout=120)
        check(code == 0, f"first writer finishes: {code} {holder_err}")
        check("added 25" in holder_err, f"first writer indexed the page from stdin: {holder_err}")
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()

    # Now the lock is free: a waiting writer gets it, and the index is whole.
    third = subprocess.run([REVINDEX, "add", "--db", db, "--lock-timeout", "1", PAGE],
                           capture_output=True, text=True, timeout=120)
    check(third.returncode == 0, f"third writer succeeds: {third.returncode} {third.stderr}")
    check("unchanged 25" in third.stderr, f"stdin batch and file batch hold the same reviews: {third.stderr}")
    check(stats(db).get("documents") == 25, "25 documents")
    if XAPIAN_CHECK:
        proc = subprocess.run([XAPIAN_CHECK, live_database(db)], capture_output=True, text=True, timeout=120)
        check(proc.returncode == 0, f"xapian-check: {proc.stdout[-300:]}")
    shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("test_index_lock: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
