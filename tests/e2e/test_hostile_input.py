"""End-to-end: `revindex add` on the hostile-input catalogue never crashes, never hangs, and says what is wrong.

tests/fixtures/hostile/EXPECTED.tsv lists each case: file, options, expected exit code, the number of reviews
read (the summary's "read N"), and a text its stderr must contain. Small files are stored beside it
(make_fixtures.py writes them from the bundled real samples); the large ones are written here at run time
(GENERATED). Each case runs into a fresh index and must finish within TIME_LIMIT seconds with an exit code (not a
signal); after a case that read reviews, the index must pass xapian-check.
"""

import csv
import os
import re
import signal
import subprocess

import pytest

SOURCE = os.environ.get("REVSEARCH_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
HOSTILE = os.path.join(SOURCE, "tests", "fixtures", "hostile")
CORPORA = os.path.join(SOURCE, "corpora")
TIME_LIMIT = float(os.environ.get("REVSEARCH_HOSTILE_TIME_LIMIT", "30")) * float(
    os.environ.get("REVSEARCH_TIME_SCALE", "1"))  # scripts/sanitize.sh scales it for the sanitizer build
SUMMARY = re.compile(r"^read (\d+), added \d+, updated \d+, unchanged \d+, repeated \d+, rejected \d+, skipped files \d+, "
                     r"unreadable files \d+ in ")
MB = 1 << 20


def check_target(db):
    """What to give xapian-check: the index directory; conftest's xapian_check follows its stub DIR/XAPIANDB to
    the live generation (docs/rebuild.md), or takes the glass directory itself."""
    return db


def good_canonical_line():
    with open(os.path.join(CORPORA, "canonical-sample.jsonl"), "rb") as f:
        return f.readline()


def write_one_line_jsonl(path):
    """50 MB of one JSON line (real words repeated), then a good record: the long one is skipped, unbuffered."""
    words = b"Refn's Pusher II is bleak and unforgettable "
    with open(path, "wb") as f:
        f.write(b'{"id":"fifty-megabytes","body":"')
        for _ in range(50 * MB // (len(words) * 1024)):
            f.write(words * 1024)
        f.write(b'"}\n')
        f.write(good_canonical_line())


def write_one_line_no_newline(path):
    """50 MB without a single newline: no layout can be detected from a head that is one cut line."""
    with open(path, "wb") as f:
        for _ in range(50):
            f.write(b"x" * MB)


def write_csv_huge_cell(path):
    """A Fine Food row whose Text cell is 50 MB (quoted, no newline): the record is over the bound."""
    with open(os.path.join(CORPORA, "fine-food-reviews-300.csv"), "rb") as f:
        header, row, second = f.readline(), f.readline(), f.readline()
    cells = row.rstrip(b"\n").split(b",")
    with open(path, "wb") as f:
        f.write(header)
        f.write(b",".join(cells[:9]) + b',"')
        for _ in range(50):
            f.write(b"tasty " * (MB // 6))
        f.write(b'"\n')
        f.write(second)


def write_deep_nesting(path):
    with open(path, "wb") as f:
        f.write(b'{"id":"deep","body":' + b"[" * 500000 + b"]" * 500000 + b"}\n")
        f.write(good_canonical_line())


def write_deep_nesting_unclosed(path):
    with open(os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json"), "rb") as f:
        good = f.readline()
    with open(path, "wb") as f:
        f.write(b'{"reviewerID":"A1","asin":"B1","reviewText":' + b'{"a":' * 500000 + b"\n")
        f.write(good)


def write_many_keys(path):
    with open(path, "wb") as f:
        f.write(b"{" + b",".join(b'"k%d":[%d,"v"]' % (i, i) for i in range(300000)) + b',"body":"x"}\n')
        f.write(good_canonical_line())


def write_nul_after_head(path):
    """A real McAuley file over the 64 KB detection window with NUL bytes in a review past it: only that record
    is affected."""
    with open(os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json"), "rb") as f:
        lines = f.readlines()
    lines[250] = lines[250].replace(b'"reviewText": "', b'"reviewText": "\x00\x00NUL\x00 ', 1)
    with open(path, "wb") as f:
        f.writelines(lines)


GENERATED = {
    "generated/one-line-50mb.jsonl": write_one_line_jsonl,
    "generated/one-line-50mb-no-newline.txt": write_one_line_no_newline,
    "generated/csv-50mb-cell.csv": write_csv_huge_cell,
    "generated/deep-nesting.jsonl": write_deep_nesting,
    "generated/deep-nesting-unclosed.json": write_deep_nesting_unclosed,
    "generated/many-keys.jsonl": write_many_keys,
    "generated/nul-after-detection-window.json": write_nul_after_head,
}


def load_catalogue():
    with open(os.path.join(HOSTILE, "EXPECTED.tsv"), newline="") as f:
        rows = [row for row in csv.DictReader((line for line in f if not line.startswith("#")), delimiter="\t")]
    return rows


CATALOGUE = load_catalogue()


def test_every_stored_fixture_has_a_row():
    stored = {name for name in os.listdir(HOSTILE) if name not in ("EXPECTED.tsv", "make_fixtures.py")}
    assert stored <= {row["file"] for row in CATALOGUE}, "fixtures without an EXPECTED.tsv row"


def test_every_generated_row_can_be_written():
    listed = {row["file"] for row in CATALOGUE}
    assert {n for n in listed if n.startswith("generated/")} <= set(GENERATED), \
        "EXPECTED.tsv names a generated file the test cannot write"


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """A directory holding generated/, the large inputs written at run time."""
    work = tmp_path_factory.mktemp("hostile")
    os.mkdir(work / "generated")
    for name, write in GENERATED.items():
        write(os.path.join(work, name))
    return str(work)


@pytest.mark.parametrize("row", CATALOGUE, ids=[f"{row['file']} {row['options']}".strip() for row in CATALOGUE])
def test_hostile_input(revindex, xapian_check, work, row, tmp_path):
    """Each case into a fresh index (a file may be listed twice, with other options)."""
    name = row["file"]
    path = os.path.join(work, name) if name.startswith("generated/") else os.path.join(HOSTILE, name)
    db = tmp_path / "db"
    try:
        proc = revindex("add", "--db", db, *row["options"].split(), path, timeout=TIME_LIMIT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: no answer within {TIME_LIMIT:.0f} s (a hang)")
    err = proc.stderr
    assert proc.returncode >= 0, f"{name}: killed by {signal.Signals(-proc.returncode).name}: {err[-800:]}"
    lines = err.strip().splitlines()
    summary = SUMMARY.match(lines[-1]) if lines else None
    read = int(summary.group(1)) if summary else None
    assert proc.returncode == int(row["exit"]), f"{name}: exit {proc.returncode}, expected {row['exit']}: {err[-600:]}"
    assert read == int(row["read"]), f"{name}: read {read}, expected {row['read']}: {err[-600:]}"
    assert row["message"] in err, f"{name}: stderr lacks {row['message']!r}: {err[-600:]}"
    if proc.returncode == 1:
        # Nothing committed (nothing read, or --strict refused the file): a new index is not even created.
        assert not db.exists(), f"{name}: an add that indexed nothing left an index behind"
    elif read:
        xapian_check(check_target(db), name)
