"""End-to-end: `revindex parse` on the real slices in corpora/, stdin, --format, the broken-inputs folder and
--strict.

Runs the built binary ($REVINDEX) and checks counts against the figures of each slice in corpora/README.md,
counted there from the data (Python's csv and json modules, grep), not by revindex.
"""

import csv
import json
import os
import shutil
import signal

import pytest


@pytest.fixture(scope="module")
def parse(revindex):
    def run(*args, stdin=None, timeout=120):
        """Runs revindex parse; returns (exit code, parsed JSON records, stderr). Fails on a signal."""
        proc = revindex("parse", *args, input=stdin, timeout=timeout, text=False)
        assert proc.returncode >= 0, f"revindex parse {args} was killed by {signal.Signals(-proc.returncode).name}"
        records = [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()]
        return proc.returncode, records, proc.stderr.decode("utf-8", "replace")
    return run


def summary(stderr):
    return stderr.strip().splitlines()[-1]


def canonical(record):
    keys = ["id", "source", "item", "item_id", "item_year", "headline", "author", "byline", "date", "rating",
            "rating_max", "helpful_yes", "helpful_total", "spoiler", "body"]
    # A body may be empty only when a headline carries the text (McAuley's rating-only "Five Stars" reviews).
    has_text = record["body"] != "" or bool(record["headline"])
    return sorted(record.keys()) == sorted(keys) and isinstance(record["body"], str) and has_text


def test_blitzer(parse, corpora_dir, tmp_path):
    # The first 10 reviews of each of the 8 files (4 domains x 2 polarities), one file a batch, and a README.md
    # beside them that parse leaves out (as it leaves out PROVENANCE.md beside the full set).
    root = os.path.join(tmp_path, "blitzer")
    shutil.copytree(os.path.join(corpora_dir, "blitzer-mdsd-10-each"), root)
    with open(os.path.join(root, "README.md"), "w") as f:
        f.write("# not a review file\n")
    code, records, stderr = parse(root)
    assert code == 0, f"blitzer: exit {code}"
    assert len(records) == 80, f"blitzer: {len(records)} reviews, expected 80"
    assert len({r["id"] for r in records}) == 80, "blitzer: ids not distinct"
    assert sum(1 for r in records if r["helpful_total"]) == 63, "blitzer: expected 63 reviews with votes"
    assert all(canonical(r) for r in records), "blitzer: a record is not canonical"
    assert "8 files, 80 read, 0 with warnings, 0 rejected" in summary(stderr), f"blitzer summary: {summary(stderr)}"


def test_fine_food(parse, corpora_dir):
    path = os.path.join(corpora_dir, "fine-food-reviews-300.csv")
    code, records, stderr = parse(path)
    assert code == 0, f"fine food: exit {code}"
    assert len(records) == 300, f"fine food: {len(records)} reviews, expected 300"
    assert len({r["id"] for r in records}) == 300, "fine food: ids not distinct"
    with open(path, encoding="utf-8") as f:
        assert "<br />" in f.read(), "fine food: the slice no longer has a <br /> to remove"
    assert not any("<br" in r["body"] for r in records), "fine food: <br /> left in a body"
    # Each source names the line its row starts on (rows would span lines where Text had quoted line breaks).
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        starts, previous_end = [], 0
        for _ in reader:
            starts.append(previous_end + 1)
            previous_end = reader.line_num
    assert [r["source"].rsplit(":", 1)[1] for r in records] == [str(n) for n in starts[1:]], \
        "fine food: sources do not name the lines rows start on"
    assert sum(1 for r in records if r["helpful_total"]) == 163, "fine food: expected 163 rows with votes"


def test_all_beauty(parse, corpora_dir):
    path = os.path.join(corpora_dir, "mcauley-all-beauty-5core-repeats-110.json")
    code, records, stderr = parse(path)
    assert code == 0, f"all beauty: exit {code}"
    # 110 lines: 1 has no reviewText, only a summary ("Five Stars"): kept with an empty body, one warning.
    assert len(records) == 110, f"all beauty: {len(records)} reviews, expected 110"
    assert stderr.count("warning: no reviewText") == 1, "all beauty: expected 1 'no reviewText' warning"
    assert "110 read, 1 with warnings, 0 rejected" in summary(stderr), f"all beauty summary: {summary(stderr)}"
    # The id is exactly the natural key (asin, reviewerID): as many ids as distinct pairs among the kept lines.
    with open(path, encoding="utf-8") as raw:
        lines = [json.loads(line) for line in raw]
    pairs = {(r["asin"], r["reviewerID"]) for r in lines}
    assert len({r["id"] for r in records}) == len(pairs) == 92, \
        f"all beauty: {len({r['id'] for r in records})} ids for {len(pairs)} (asin, reviewerID) pairs"
    assert max(r["helpful_yes"] for r in records) == 1341, "all beauty: vote \"1,341\" not read as 1341"
    assert all(r["helpful_total"] is None for r in records), "all beauty: helpful_total must be null"


def test_imdb_page(parse, page):
    code, records, _ = parse(page)
    assert code == 0, f"imdb page: exit {code}"
    assert len(records) == 25, f"imdb page: {len(records)} reviews, expected 25"


def test_stdin_and_format(parse, fixtures_dir):
    with open(os.path.join(fixtures_dir, "mcauley", "all-beauty-sample.json"), "rb") as f:
        sample = f.read()
    code, records, stderr = parse("-", stdin=sample)
    assert code == 0 and len(records) == 6, f"stdin: exit {code}, {len(records)} records"
    assert all(r["source"].startswith("<stdin>:") for r in records), "stdin: source should name <stdin>"
    # Forced to canonical JSON lines, McAuley records have no "body": all rejected, nothing read -> exit 1.
    code, records, stderr = parse("--format", "jsonl", "-", stdin=sample)
    assert code == 1 and not records, f"--format jsonl on McAuley: exit {code}, {len(records)} records"
    assert "6 rejected" in summary(stderr), f"--format jsonl summary: {summary(stderr)}"
    # Output of parse reads back as canonical JSON lines with the same ids.
    code, first, _ = parse(os.path.join(fixtures_dir, "blitzer", "books-positive-sample.review"))
    lines = "".join(json.dumps(r) + "\n" for r in first).encode()
    code, again, _ = parse("-", stdin=lines)
    assert [r["id"] for r in again] == [r["id"] for r in first], "canonical round trip changed ids"
    assert [r["body"] for r in again] == [r["body"] for r in first], "canonical round trip changed bodies"


def test_usage_errors(parse, revindex, fixtures_dir):
    for args in (["--format", "xml", fixtures_dir], ["--bogus", fixtures_dir], [], ["/no/such/path"],
                 ["--csv-map", "colour=red", fixtures_dir]):
        code, _, stderr = parse(*args)
        assert code == 2, f"usage error {args}: exit {code}"
        assert stderr.strip() != "", f"usage error {args}: no message"
    proc = revindex("parse", "--help")
    assert proc.returncode == 0 and "Exit codes" in proc.stdout, "--help must document the exit codes"


def test_broken_inputs(parse, fixtures_dir, tmp_path):
    broken = os.path.join(tmp_path, "broken")
    shutil.copytree(os.path.join(fixtures_dir, "broken"), broken)
    # Generated, not committed: a 20 MB line, and a file of NUL bytes.
    with open(os.path.join(broken, "huge-line.jsonl"), "w") as f:
        f.write('{"body": "' + "x" * (20 << 20) + '"}\n{"body": "after the huge line"}\n')
    with open(os.path.join(broken, "zeros.csv"), "wb") as f:
        f.write(b"\0" * 100000)
    code, records, stderr = parse(broken, timeout=60)
    assert code == 0, f"broken folder: exit {code} (some records are good)"
    assert any(r["body"] == "after the huge line" for r in records), "broken: record after the 20 MB line lost"
    assert "record longer than" in stderr, "broken: the 20 MB line was not reported"
    for name in ("binary.dat", "zeros.csv", "empty.jsonl", "not-a-review-layout.txt", "csv-no-body-column.csv"):
        assert f"{name}: error:" in stderr, f"broken: no file-level error for {name}"
    for expected in ("nested deeper", "bad JSON", "never closed", "helpful 12 of 5 is impossible",
                     "rating 7 out of 5 is impossible", "absurd count", "invalid UTF-8", "row has 9 fields"):
        assert expected in stderr, f"broken: no message mentioning {expected!r}"
    assert all(canonical(r) for r in records), "broken: a kept record is not canonical"
    # --strict turns any rejected or warned record into exit 1; --quiet keeps the errors only.
    code, _, quiet_stderr = parse("--strict", "--quiet", broken, timeout=60)
    assert code == 1, f"--strict on broken inputs: exit {code}"
    errors = [line for line in stderr.splitlines() if ": error: " in line]
    assert quiet_stderr.strip().splitlines() == errors, "--quiet should print the errors and nothing else"
    # Nothing readable at all: exit 1.
    code, records, _ = parse(os.path.join(broken, "binary.dat"), os.path.join(broken, "empty.jsonl"))
    assert code == 1 and not records, f"only unreadable files: exit {code}"
    code, _, _ = parse("--strict", os.path.join(fixtures_dir, "csv", "fine-food-sample.csv"))
    assert code == 0, f"--strict on a clean file: exit {code}"
