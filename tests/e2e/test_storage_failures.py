"""End-to-end: `revindex add` when the disk is full or the index is read-only.

Full disk: an index of the sample page on a 2 MB tmpfs, then a batch too large for what is left (every review
in corpora/, as one canonical JSON lines file of 0.7 MB written by `revindex parse`: about 4 MB of index). The add must
fail with a clear message (exit 2, no signal), and the committed index must be intact: it opens, holds the
page's 25 documents, passes xapian-check, and revsearch still answers from it.

Read-only index: an index made read-only with chmod -R a-w. `revindex add` must give a clear error (exit 2) and
revsearch and `revindex stats` must still serve it. Root ignores permissions, so as root the commands run as
the user nobody (setpriv).

A part that cannot run here (no tmpfs mount: not root, or no mount permission in the container; no setpriv as
root) is skipped with its reason (conftest.py: ctest then reports the file as skipped unless a part failed).
"""

import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile

import pytest

NOBODY = 65534


@pytest.fixture(scope="module")
def large_batch(revindex, corpora_dir, tmp_path_factory):
    """One batch of every review in corpora/ (about 900, 4 MB of index: far more than a 2 MB tmpfs holds after
    the page), as canonical JSON lines; each id once, and no record that canonical JSON lines would reject (a
    McAuley review whose only text is its headline), so that the whole batch is read."""
    proc = revindex("parse", "--quiet", corpora_dir, text=False)
    assert proc.returncode == 0, f"revindex parse corpora/: exit {proc.returncode}: {proc.stderr[-300:]!r}"
    path, seen = str(tmp_path_factory.mktemp("large") / "large-batch.jsonl"), set()
    with open(path, "wb") as out:
        for line in proc.stdout.splitlines():
            record = json.loads(line)
            if record["body"] and record["id"] not in seen:
                seen.add(record["id"])
                out.write(line + b"\n")
    return path


class Storage:
    """Runs the binaries, as another user when given (root ignores permissions)."""

    def __init__(self, revindex, revsearch, xapian_check):
        self.revindex, self.revsearch, self.xapian_check = revindex.path, revsearch.path, xapian_check

    def run(self, argv, user=None, timeout=300):
        if user is not None:
            argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
        proc = subprocess.run(argv, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)
        assert proc.returncode >= 0, \
            f"{argv[-4:]}: killed by {signal.Signals(-proc.returncode).name}: {proc.stderr[-500:]!r}"
        return proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")

    def document_count(self, db, user=None):
        code, out, err = self.run([self.revindex, "stats", "--db", db, "--json"], user)
        assert code == 0, f"stats {db}: exit {code}: {err}"
        return json.loads(out)["documents"]

    def assert_intact(self, db, label, user=None):
        """The index opens, holds the page's 25 reviews, passes xapian-check and answers a search."""
        assert self.document_count(db, user) == 25, f"{label}: the committed index does not hold the page's 25"
        if user is None:  # xapian-check opens the tables read/write: not on a read-only index
            self.xapian_check(db, label)
        code, out, err = self.run([self.revsearch, "--db", db, "--color", "never", "heroin"], user)
        assert code == 0 and "Pusher" in out, f"{label}: revsearch does not answer from the index: exit {code} {err}"


@pytest.fixture
def storage(revindex, revsearch, xapian_check):
    return Storage(revindex, revsearch, xapian_check)


@pytest.fixture
def work():
    """A directory of its own in /tmp (the read-only case may open it to the user nobody); given back its write
    permissions and removed afterwards."""
    work = tempfile.mkdtemp(prefix="revsearch-storage-")
    yield work
    for root, dirs, _ in os.walk(work):
        for name in dirs:
            os.chmod(os.path.join(root, name), 0o755)
    shutil.rmtree(work, ignore_errors=True)


@pytest.fixture
def small_disk(work):
    """A 2 MB tmpfs, unmounted afterwards; skips where it cannot be mounted."""
    mount_point = os.path.join(work, "small-disk")
    os.mkdir(mount_point)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount_point], capture_output=True)
    if proc.returncode != 0:
        pytest.skip(f"full disk: cannot mount a 2 MB tmpfs here ({proc.stderr.decode().strip() or 'not root'})")
    yield mount_point
    subprocess.run(["umount", mount_point], capture_output=True)


def test_a_full_disk_fails_the_add_clearly_and_keeps_the_index_whole(storage, small_disk, page, large_batch):
    db = os.path.join(small_disk, "db")
    code, _, err = storage.run([storage.revindex, "add", "--quiet", "--db", db, page])
    assert code == 0, f"full disk: the page does not fit on 2 MB: exit {code}: {err}"
    code, _, err = storage.run([storage.revindex, "add", "--quiet", "--db", db, large_batch])
    assert code == 2, f"full disk: add exited {code}, expected 2: {err[-500:]}"
    assert "No space left on device" in err, f"full disk: the message does not say the disk is full: {err[-300:]}"
    storage.assert_intact(db, "full disk")
    # Room again (the tmpfs grows): the same add now completes, so nothing was left half-written.
    subprocess.run(["mount", "-o", "remount,size=64m", small_disk], check=True)
    code, _, err = storage.run([storage.revindex, "add", "--quiet", "--db", db, large_batch])
    assert code == 0, f"full disk: after freeing space the add exited {code}: {err[-300:]}"
    count = storage.document_count(db)
    assert count > 25, f"full disk: after freeing space {count} documents"


def test_a_read_only_index_refuses_writes_clearly_and_still_serves(storage, work, page, large_batch):
    user = None
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("read-only index: running as root (which ignores permissions) and setpriv is missing")
        user = NOBODY
        # nobody must reach the binaries and the work directory (mkdtemp makes it 0700), and read the batch.
        os.chmod(work, 0o755)
        shutil.copy(large_batch, work)
        large_batch = os.path.join(work, os.path.basename(large_batch))
        os.chmod(large_batch, 0o644)
        code, _, err = storage.run([storage.revindex, "--help"], user)
        if code != 0:
            pytest.skip(f"read-only index: user nobody cannot run {storage.revindex} ({err.strip()[:200]})")
    db = os.path.join(work, "read-only")
    code, _, err = storage.run([storage.revindex, "add", "--quiet", "--db", db, page])
    assert code == 0, f"read-only: indexing the page: exit {code}: {err}"
    for root, dirs, files in os.walk(db):
        for name in dirs + files + ["."]:
            path = os.path.join(root, name)
            os.chmod(path, os.stat(path).st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    code, _, err = storage.run([storage.revindex, "add", "--quiet", "--lock-timeout", "1", "--db", db, large_batch],
                               user)
    assert code in (2, 3), f"read-only: add exited {code}, expected 2: {err[-500:]}"
    assert code == 2 and ("ermission denied" in err or "read-only" in err.lower()), \
        f"read-only: add exited {code}, expected 2 saying the index cannot be written: {err[-300:]}"
    storage.assert_intact(db, "read-only", user)
    code, _, err = storage.run([storage.revindex, "delete", "--lock-timeout", "1", "--db", db, "--id", "nothing"],
                               user)
    assert code in (2, 3), f"read-only: delete exited {code}: {err[-300:]}"
    assert code == 2, f"read-only: delete exited {code}, expected 2: {err[-300:]}"
