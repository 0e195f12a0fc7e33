#!/usr/bin/env python3
"""End-to-end: `revindex add` when the disk is full or the index is read-only.

Full disk: an index of the sample page on a 2 MB tmpfs, then a batch too large for what is left (every review
in corpora/, as one canonical JSON lines file of 0.7 MB written by `revindex parse`: about 4 MB of index). The add must
fail with a clear message (exit 2, no signal), and the committed index must be intact: it opens, holds the
page's 25 documents, passes xapian-check, and revsearch still answers from it.

Read-only index: an index made read-only with chmod -R a-w. `revindex add` must give a clear error (exit 2) and
revsearch and `revindex stats` must still serve it. Root ignores permissions, so as root the commands run as
the user nobody (setpriv).

A part that cannot run here (no tmpfs mount: not root, or no mount permission in the container; no setpriv as
root) is reported with its reason, and the test ends as skipped (e2e.SKIP) unless a part that ran failed.
"""

import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile

from e2e import CORPORA, REVINDEX, REVSEARCH, XAPIAN_CHECK, check, failures, live_database, skip

PAGE = os.path.join(CORPORA, "pusher-ii-2004.txt")
NOBODY = 65534
skipped = []


def write_large_batch(work):
    """One batch of every review in corpora/ (about 900, 4 MB of index: far more than a 2 MB tmpfs holds after
    the page), as canonical JSON lines; each id once, and no record that canonical JSON lines would reject (a
    McAuley review whose only text is its headline), so that the whole batch is read."""
    proc = subprocess.run([REVINDEX, "parse", "--quiet", CORPORA], capture_output=True, timeout=120)
    check(proc.returncode == 0, f"revindex parse corpora/: exit {proc.returncode}: {proc.stderr[-300:]!r}")
    path, seen = os.path.join(work, "large-batch.jsonl"), set()
    with open(path, "wb") as out:
        for line in proc.stdout.splitlines():
            record = json.loads(line)
            if record["body"] and record["id"] not in seen:
                seen.add(record["id"])
                out.write(line + b"\n")
    return path


def run(argv, user=None, timeout=300):
    if user is not None:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
    proc = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
    if proc.returncode < 0:
        check(False, f"{argv[-4:]}: killed by {signal.Signals(-proc.returncode).name}: {proc.stderr[-500:]!r}")
    return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")


def document_count(db, user=None):
    code, out, err = run([REVINDEX, "stats", "--db", db, "--json"], user)
    if not check(code == 0, f"stats {db}: exit {code}: {err}"):
        return None
    return json.loads(out)["documents"]


def intact(db, label, user=None):
    """The index opens, holds the page's 25 reviews, passes xapian-check and answers a search."""
    check(document_count(db, user) == 25, f"{label}: the committed index does not hold the page's 25 documents")
    if XAPIAN_CHECK and user is None:  # xapian-check opens the tables read/write: not on a read-only index
        code, out, err = run([XAPIAN_CHECK, live_database(db)], user)
        check(code == 0 and "No errors found" in out, f"{label}: xapian-check: {out[-300:]} {err[-300:]}")
    code, out, err = run([REVSEARCH, "--db", db, "--color", "never", "heroin"], user)
    check(code == 0 and "Pusher" in out, f"{label}: revsearch does not answer from the index: exit {code} {err}")


def test_full_disk(work, large_batch):
    mount_point = os.path.join(work, "small-disk")
    os.mkdir(mount_point)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point], capture_output=True)
    if proc.returncode != 0:
        skipped.append(f"full disk: cannot mount a 2 MB tmpfs here ({proc.stderr.decode().strip() or 'not root'})")
        print(f"SKIP {skipped[-1]}")
        return
    try:
        db = os.path.join(mount_point, "db")
        code, _, err = run([REVINDEX, "add", "--quiet", "--db", db, PAGE])
        if not check(code == 0, f"full disk: the page does not fit on 2 MB: exit {code}: {err}"):
            return
        code, _, err = run([REVINDEX, "add", "--quiet", "--db", db, large_batch])
        last = err.strip().splitlines()[-1] if err.strip() else ""
        check(code == 2, f"full disk: add exited {code}, expected 2: {err[-500:]}")
        check("No space left on device" in err,
                        f"full disk: the message does not say the disk is full: {err[-300:]}")
        print(f"full disk: exit {code}: {last[:160]}")
        intact(db, "full disk")
        # Room again (the tmpfs grows): the same add now completes, so nothing was left half-written.
        subprocess.run(["mount", "-o", "remount,size=64m", mount_point], check=True)
        code, _, err = run([REVINDEX, "add", "--quiet", "--db", db, large_batch])
        check(code == 0, f"full disk: after freeing space the add exited {code}: {err[-300:]}")
        count = document_count(db)
        check(count is not None and count > 25, f"full disk: after freeing space {count} documents")
        print(f"full disk: index intact (25 documents); with space again the batch completes ({count} documents)")
    finally:
        subprocess.run(["umount", mount_point], capture_output=True)


def test_read_only(work, large_batch):
    user = None
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            skipped.append("read-only index: running as root (which ignores permissions) and setpriv is missing")
            print(f"SKIP {skipped[-1]}")
            return
        user = NOBODY
        # nobody must reach the binaries and the work directory (mkdtemp makes it 0700).
        os.chmod(work, 0o755)
        code, _, err = run([REVINDEX, "--help"], user)
        if code != 0:
            skipped.append(f"read-only index: user nobody cannot run {REVINDEX} ({err.strip()[:200]})")
            print(f"SKIP {skipped[-1]}")
            return
    db = os.path.join(work, "read-only")
    code, _, err = run([REVINDEX, "add", "--quiet", "--db", db, PAGE])
    if not check(code == 0, f"read-only: indexing the page: exit {code}: {err}"):
        return
    for root, dirs, files in os.walk(db):
        for name in dirs + files + ["."]:
            path = os.path.join(root, name)
            os.chmod(path, os.stat(path).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    code, _, err = run([REVINDEX, "add", "--quiet", "--lock-timeout", "1", "--db", db, large_batch], user)
    check(code in (2, 3), f"read-only: add exited {code}, expected 2: {err[-500:]}")
    check(code == 2 and ("ermission denied" in err or "read-only" in err.lower()),
                    f"read-only: add exited {code}, expected 2 saying the index cannot be written: {err[-300:]}")
    print(f"read-only{' (as nobody)' if user else ''}: add exit {code}: {err.strip().splitlines()[0][:160]}")
    intact(db, "read-only", user)
    code, _, err = run([REVINDEX, "delete", "--lock-timeout", "1", "--db", db, "--id", "nothing"], user)
    check(code in (2, 3), f"read-only: delete exited {code}: {err[-300:]}")
    check(code == 2, f"read-only: delete exited {code}, expected 2: {err[-300:]}")


def main():
    work = tempfile.mkdtemp(prefix="revsearch-storage-")
    try:
        large_batch = write_large_batch(work)
        test_full_disk(work, large_batch)
        test_read_only(work, large_batch)
    finally:
        subprocess.run(["umount", os.path.join(work, "small-disk")], capture_output=True)
        for root, dirs, _ in os.walk(work):
            for name in dirs:
                os.chmod(os.path.join(root, name), 0o755)
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(failures)} failures")
    if not failures and skipped:
        skip("; ".join(skipped))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
