"""What the end-to-end tests share (pytest loads this file for every tests/e2e/test_*.py): the binaries ctest
passes them, temporary indexes, the helpers that run the commands, and how a skipped test reaches ctest.

Environment (tests/CMakeLists.txt sets it): REVINDEX and REVSEARCH (the binaries under test), REVSEARCH_SOURCE_DIR
(the repository: corpora/, tests/fixtures/, scripts/), XAPIAN_CHECK (xapian-check, found at configure time).
Run by hand: `REVINDEX=build/indexer/revindex REVSEARCH=build/searcher/revsearch python3 -m pytest tests/e2e`.

Skips: a test that cannot run here (a missing tool, no permission, a build without fault points) calls pytest.skip
with its reason. ctest must count such a file as skipped, never as passed, so a session in which a test was
skipped and none failed exits 77, ctest's SKIP_RETURN_CODE (tests/CMakeLists.txt); -rs (pytest.ini) prints each
skipped test with its reason.
"""
import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

# ctest's SKIP_RETURN_CODE for these tests (tests/CMakeLists.txt); 77 is the Automake convention.
SKIP_RETURN_CODE = 77

SOURCE_DIR = Path(os.environ.get("REVSEARCH_SOURCE_DIR") or Path(__file__).resolve().parents[2])


# --- skipped tests reach ctest as skipped --------------------------------------------------------------------

_skipped = []  # node ids of the tests skipped in this session


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        _skipped.append(report.nodeid)


def pytest_sessionfinish(session, exitstatus):
    if exitstatus == pytest.ExitCode.OK and _skipped:
        session.exitstatus = SKIP_RETURN_CODE


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _skipped and not terminalreporter.stats.get("failed") and not terminalreporter.stats.get("error"):
        terminalreporter.write_line(
            f"{len(_skipped)} test(s) skipped, none failed: exit {SKIP_RETURN_CODE}, so that ctest reports this file "
            f"as skipped, not passed (tests/CMakeLists.txt)")


# --- one temporary directory per session, removed at its end ------------------------------------------------

@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config):
    """pytest's own temporary root keeps the last three sessions (indexes, 50 MB hostile inputs) and is shared by
    the sessions ctest -j runs side by side; each session gets a fresh root instead, removed when it ends."""
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="revsearch-e2e-")
        config.add_cleanup(lambda: remove_tree(config.option.basetemp))


def remove_tree(root):
    """rmtree, after giving back the write permission a test took away (a read-only index)."""
    for folder, dirs, _ in os.walk(root):
        for name in dirs:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | stat.S_IRWXU)
    shutil.rmtree(root, ignore_errors=True)


# --- the repository -------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def source_dir():
    return str(SOURCE_DIR)


@pytest.fixture(scope="session")
def corpora_dir():
    return str(SOURCE_DIR / "corpora")


@pytest.fixture(scope="session")
def corpus():
    """corpus(NAME): the path of corpora/NAME."""
    return lambda name: str(SOURCE_DIR / "corpora" / name)


@pytest.fixture(scope="session")
def fixtures_dir():
    return str(SOURCE_DIR / "tests" / "fixtures")


@pytest.fixture(scope="session")
def page(corpus):
    """The bundled IMDb page: 25 reviews of Pusher II."""
    return corpus("pusher-ii-2004.txt")


# --- running the binaries ------------------------------------------------------------------------------------

class Command:
    """One binary under test. Calling it runs it with the given arguments and returns the CompletedProcess, output
    as text (undecodable bytes replaced), stdin closed unless given. A signal shows as a negative returncode, which
    the tests check. NO_COLOR from the caller's shell is dropped, so output depends only on what a test sets."""

    def __init__(self, variable):
        self.path = os.environ.get(variable)
        if not self.path:
            pytest.skip(f"{variable} is not set: run the end-to-end tests through ctest (tests/CMakeLists.txt) or "
                        f"set it to the built binary")

    def __call__(self, *args, env=None, input=None, stdin=subprocess.DEVNULL, timeout=120, cwd=None, text=True):
        full_env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
        full_env.update(env or {})
        io = {"input": input} if input is not None else {"stdin": stdin}
        encoding = {"encoding": "utf-8", "errors": "replace"} if text else {}
        return subprocess.run([self.path, *map(str, args)], capture_output=True, timeout=timeout, env=full_env,
                              cwd=cwd, **io, **encoding)


class Revindex(Command):
    def __init__(self):
        super().__init__("REVINDEX")

    def stats(self, db):
        """stats --json of DB as a dict; asserts that stats succeeds."""
        proc = self("stats", "--db", db, "--json")
        assert proc.returncode == 0, f"revindex stats --db {db}: exit {proc.returncode}: {proc.stderr}"
        return json.loads(proc.stdout)

    def documents(self, db):
        """The document count of DB, or None when stats fails."""
        proc = self("stats", "--db", db, "--json")
        return json.loads(proc.stdout)["documents"] if proc.returncode == 0 else None


class Search:
    """One revsearch --json run: exit code, hits (each hit's data), the summary, stderr."""

    def __init__(self, proc):
        self.code = proc.returncode
        self.stderr = proc.stderr
        self.lines = [json.loads(line) for line in proc.stdout.splitlines() if line.strip()]
        self.hits = [line["data"] for line in self.lines if line["type"] == "hit"]
        summaries = [line["data"] for line in self.lines if line["type"] == "summary"]
        self.summaries = summaries
        self.summary = summaries[-1] if summaries else {}

    @property
    def ids(self):
        return [hit["id"] for hit in self.hits]


class Revsearch(Command):
    def __init__(self):
        super().__init__("REVSEARCH")

    def json(self, db, *args, **kwargs):
        """A search with --json: a Search."""
        return Search(self("--db", db, "--json", *args, **kwargs))

    def exact_match_count(self, db, query):
        """(exit code, exact match count or None, stderr, seconds) of one revsearch process: --facets counts
        every match, so the count says which committed state of the index the search saw."""
        started = time.monotonic()
        proc = self("--db", db, "--json", "--facets", "--limit", "0", query, timeout=60)
        seconds = time.monotonic() - started
        search = Search(proc)
        return proc.returncode, search.summary.get("estimated") if search.summaries else None, proc.stderr, seconds

    def batch_hit_counts(self, db, queries_file):
        """(exit code, {qid: hits}, stderr) of one revsearch --queries run: one process, one Searcher, many
        searches."""
        proc = self("--db", db, "--queries", queries_file, "--limit", "1000", "--quiet", timeout=60)
        counts = {}
        for line in proc.stdout.splitlines():
            qid = line.split(" ", 1)[0]
            counts[qid] = counts.get(qid, 0) + 1
        return proc.returncode, counts, proc.stderr


@pytest.fixture(scope="session")
def revindex():
    return Revindex()


@pytest.fixture(scope="session")
def revsearch():
    return Revsearch()


# --- Xapian's own tools ----------------------------------------------------------------------------------------

def live_database(db):
    """The glass directory of DB: xapian-check does not follow a Xapian stub, so for an index of generations the
    one DIR/XAPIANDB names (docs/rebuild.md); DB itself when it is a glass directory (or a generation)."""
    db = str(db)
    stub = os.path.join(db, "XAPIANDB")
    if os.path.exists(stub) and not os.path.exists(os.path.join(db, "iamglass")):
        with open(stub) as text:
            return os.path.join(db, text.read().split()[1])
    return db


@pytest.fixture(scope="session", name="live_database")
def live_database_fixture():
    return live_database


def _xapian_tool(name):
    configured = os.environ.get("XAPIAN_CHECK") or shutil.which("xapian-check")
    if name == "xapian-check":
        found = configured
    else:
        found = shutil.which(name) or (os.path.join(os.path.dirname(configured), name) if configured else None)
    if not found or not os.path.exists(found):
        pytest.skip(f"{name} not found (Debian package xapian-tools, scripts/install-deps.sh)")
    return found


@pytest.fixture(scope="session")
def xapian_check():
    """xapian_check(DB): asserts that Xapian's own checker finds no error in DB's live database (or in the
    generation or glass directory given)."""
    tool = _xapian_tool("xapian-check")

    def run_check(db, context=""):
        proc = subprocess.run([tool, live_database(db)], capture_output=True, text=True, errors="replace",
                              timeout=120)
        assert proc.returncode == 0 and "No errors found" in proc.stdout, \
            f"{context} xapian-check {db}: {proc.stdout[-300:]!r} {proc.stderr[-300:]!r}"
    return run_check


@pytest.fixture(scope="session")
def xapian_delve():
    return _xapian_tool("xapian-delve")


# --- indexes -------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def new_index(revindex, tmp_path_factory):
    """new_index(FILE..., shards=1, options=()): a fresh index of the files (revindex add --quiet), as one database
    or as SHARDS local shards; returns its directory."""
    def build(*files, shards=1, options=()):
        db = tmp_path_factory.mktemp("index") / "db"
        sharding = ["--shards", str(shards)] if shards > 1 else []
        proc = revindex("add", "--quiet", "--db", db, *sharding, *options, *files, timeout=300)
        assert proc.returncode == 0, f"revindex add {files} (shards {shards}): exit {proc.returncode}: {proc.stderr}"
        return str(db)
    return build


@pytest.fixture(scope="module", params=[1, 3], ids=["one-database", "three-shards"])
def shards(request):
    """The search tests run over one database and over three local shards holding the same reviews, as Xapian runs
    each of its tests on every backend: a test that uses this fixture (through an index built with
    new_index(..., shards=shards)) runs once for each, and must give the same results on both."""
    return request.param


# --- fault points ------------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def fault_points(revindex):
    """For the crash tests: skips unless revindex was built with fault points (REVSEARCH_FAULT_AT=NAME kills it at
    the point NAME; common/core/include/revsearch/fault_point.hpp). They are compiled only under the CMake option
    REVSEARCH_FAULT_POINTS; the probe is the point "start", which such a binary reaches before main."""
    proc = revindex("--help", env={"REVSEARCH_FAULT_AT": "start"})
    if proc.returncode != -signal.SIGKILL:
        pytest.skip(f"{revindex.path} was built without fault points (exit {proc.returncode} at "
                    f"REVSEARCH_FAULT_AT=start): configure with -DREVSEARCH_FAULT_POINTS=ON, as scripts/build.sh and "
                    f"scripts/sanitize.sh do")
