"""What the end-to-end tests share: the binaries and directories ctest passes them (tests/CMakeLists.txt), the
list of failures with its check(), and the live database of an index directory. Not a test itself (ctest runs
tests/e2e/test_*.py); each test imports it from its own directory."""
import json
import os
import shutil
import subprocess
import sys
import time

REVINDEX = os.environ["REVINDEX"]
REVSEARCH = os.environ["REVSEARCH"]
SOURCE = os.environ["REVSEARCH_SOURCE_DIR"]
CORPORA = os.path.join(SOURCE, "corpora")
XAPIAN_CHECK = os.environ.get("XAPIAN_CHECK") or shutil.which("xapian-check")

failures = []

# The exit code of a test that cannot run here (a missing tool, no permission): tests/CMakeLists.txt declares it
# as ctest's SKIP_RETURN_CODE, so ctest counts the test as skipped, not passed. 77 is the Automake convention.
SKIP = 77


def skip(reason):
    """Ends a test that cannot run here: says why on stdout and exits with SKIP."""
    print(f"SKIP: {reason}")
    sys.exit(SKIP)


def check(condition, message):
    """Records a failure (printed at once on stderr) instead of stopping at the first one."""
    if not condition:
        failures.append(message)
        print("FAIL:", message, file=sys.stderr)
    return condition


def live_database(db):
    """xapian-check does not follow a Xapian stub: the generation DIR/XAPIANDB names (docs/rebuild.md)."""
    stub = os.path.join(db, "XAPIANDB")
    if os.path.exists(stub) and not os.path.exists(os.path.join(db, "iamglass")):
        with open(stub) as text:
            return os.path.join(db, text.read().split()[1])
    return db


def exact_match_count(db, query):
    """(exit code, exact match count or None, stderr, seconds) of one revsearch process: --facets counts every
    match, so the count says which committed state of the index the search saw."""
    started = time.monotonic()
    proc = subprocess.run([REVSEARCH, "--db", db, "--json", "--facets", "--limit", "0", query],
                          capture_output=True, text=True, timeout=60)
    seconds = time.monotonic() - started
    for line in proc.stdout.splitlines():
        record = json.loads(line)
        if record.get("type") == "summary":
            return proc.returncode, record["data"]["estimated"], proc.stderr, seconds
    return proc.returncode, None, proc.stderr, seconds


def batch_hit_counts(db, queries_file):
    """(exit code, {qid: hits}, stderr) of one revsearch --queries run: one process, one Searcher, many searches."""
    proc = subprocess.run([REVSEARCH, "--db", db, "--queries", queries_file, "--limit", "1000", "--quiet"],
                          capture_output=True, text=True, timeout=60)
    counts = {}
    for line in proc.stdout.splitlines():
        qid = line.split(" ", 1)[0]
        counts[qid] = counts.get(qid, 0) + 1
    return proc.returncode, counts, proc.stderr
