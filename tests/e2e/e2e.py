"""What the end-to-end tests share: the binaries and directories ctest passes them (tests/CMakeLists.txt), the
list of failures with its check(), and the live database of an index directory. Not a test itself (ctest runs
tests/e2e/test_*.py); each test imports it from its own directory."""
import os
import shutil
import sys

REVINDEX = os.environ["REVINDEX"]
REVSEARCH = os.environ["REVSEARCH"]
SOURCE = os.environ["REVSEARCH_SOURCE_DIR"]
SHARED = os.environ.get("REVSEARCH_SHARED", os.path.join(SOURCE, "..", "shared"))
XAPIAN_CHECK = os.environ.get("XAPIAN_CHECK") or shutil.which("xapian-check")

failures = []


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
