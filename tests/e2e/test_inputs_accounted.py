"""End-to-end: every input of `revindex add` is accounted for (issue 16, points 5, 6 and 10).

Checks: a folder of an ELF binary, random bytes, a .gz, an empty file, a truncated JSON lines file and a good file
names each bad file once and counts it in the summary (`unreadable files 4`), commits the good one, exits 0 (1 with
--strict); --quiet keeps the errors and drops the rest; an add that reads nothing (a missing path, only unreadable
files, every record rejected) leaves no index behind; JSON lines with the text under another key are one line
with a hint, and --json-map reads them (and a rebuild reads them again the same way); the first add of a file
with repeated ids counts them as repeated, not as updated or unchanged; stats shows the disk use of kept
generations.
"""

import gzip
import json
import os
import random
import re
import shutil

import pytest

SUMMARY = re.compile(r"^read (\d+), added (\d+), updated (\d+), unchanged (\d+), repeated (\d+), rejected (\d+), "
                     r"skipped files (\d+), unreadable files (\d+) in \d+\.\d\d s$")
KEYS = ["read", "added", "updated", "unchanged", "repeated", "rejected", "skipped", "unreadable"]
# 110 All_Beauty lines, 18 of which repeat an (asin, reviewerID) pair (corpora/README.md).
ALL_BEAUTY_REPEATS = "mcauley-all-beauty-5core-repeats-110.json"


def summary_of(stderr):
    lines = stderr.strip().splitlines()
    match = SUMMARY.match(lines[-1]) if lines else None
    return dict(zip(KEYS, map(int, match.groups()))) if match else None


@pytest.fixture()
def junk_folder(tmp_path, corpus):
    """A folder as a download leaves it: four files that are no review batch, one truncated, one good."""
    folder = tmp_path / "inputs"
    folder.mkdir()
    shutil.copy("/bin/true", folder / "true-elf")
    (folder / "random.bin").write_bytes(random.Random(16).randbytes(4096) + b"\0")
    with open(corpus("canonical-sample.jsonl"), "rb") as f:
        (folder / "sample.jsonl.gz").write_bytes(gzip.compress(f.read()))
    (folder / "empty.json").write_bytes(b"")
    with open(corpus("canonical-sample.jsonl"), "rb") as f:
        lines = f.read().splitlines(keepends=True)
    (folder / "truncated.jsonl").write_bytes(b"".join(lines[:3]) + lines[3][:200])  # cut inside record 4
    shutil.copy(corpus("mcauley-all-beauty-5core-300.json"), folder / "good.json")
    return folder


def test_unreadable_files_are_named_once_and_counted(revindex, junk_folder, tmp_path):
    db = tmp_path / "db"
    proc = revindex("add", "--db", db, junk_folder)
    counts = summary_of(proc.stderr)
    assert proc.returncode == 0, f"good files are committed, bad ones reported: exit {proc.returncode}: {proc.stderr}"
    assert counts == {"read": 303, "added": 303, "updated": 0, "unchanged": 0, "repeated": 0, "rejected": 1,
                      "skipped": 0, "unreadable": 4}, f"summary: {proc.stderr}"
    expected = {"true-elf": "executable (ELF)", "random.bin": "binary file", "sample.jsonl.gz": "gzip-compressed file",
                "empty.json": "empty file"}
    for name, says in expected.items():
        lines = [line for line in proc.stderr.splitlines() if line.startswith(f"{junk_folder / name}:")]
        assert len(lines) == 1 and ": error: " in lines[0] and says in lines[0], f"{name}: {lines}"
    assert f"{junk_folder / 'truncated.jsonl'}:4: error: bad JSON" in proc.stderr, proc.stderr
    assert revindex.documents(db) == 303

    # --strict: the same folder, a new index: the good files are committed, the exit code says not all were.
    proc = revindex("add", "--strict", "--db", tmp_path / "strict-db", junk_folder)
    assert proc.returncode == 1, f"--strict with unreadable files: exit {proc.returncode}"


def test_quiet_keeps_errors_and_drops_the_rest(revindex, junk_folder, tmp_path):
    proc = revindex("add", "--quiet", "--db", tmp_path / "db", junk_folder)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert all(": error: " in line for line in lines), f"--quiet prints errors only: {lines}"
    assert len(lines) == 5, f"four unreadable files and one rejected record: {lines}"
    assert summary_of(proc.stderr) is None, "--quiet prints no summary"
    # The good file's warning (a record without reviewText kept with its summary) is not an error.
    assert "warning" not in proc.stderr

    proc = revindex("parse", "--quiet", junk_folder)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 5 and all(": error: " in line for line in lines), f"parse --quiet: {lines}"


def test_an_add_that_reads_nothing_creates_nothing(revindex, junk_folder, tmp_path):
    db = tmp_path / "new" / "index.db"
    proc = revindex("add", "--db", db, tmp_path / "nonexistent.json")
    assert proc.returncode == 2, proc.stderr
    assert "no such file or directory" in proc.stderr
    assert not (tmp_path / "new").exists(), "a missing input must not create an index"

    unreadable = [junk_folder / name for name in ("true-elf", "random.bin", "sample.jsonl.gz", "empty.json")]
    for options in ((), ("--jobs", "2")):
        proc = revindex("add", *options, "--db", db, *unreadable)
        assert proc.returncode == 1, f"{options}: nothing read: exit {proc.returncode}: {proc.stderr}"
        assert summary_of(proc.stderr)["unreadable"] == 4, proc.stderr
        assert "no index was created" in proc.stderr or "--jobs" in options, proc.stderr
        assert not (tmp_path / "new").exists(), f"{options}: only unreadable files must not create an index"

    queries = tmp_path / "queries.jsonl"
    queries.write_text("".join(json.dumps({"id": str(i), "query": f"q{i}"}) + "\n" for i in range(50)))
    proc = revindex("add", "--db", db, queries)
    assert proc.returncode == 1 and not (tmp_path / "new").exists(), f"every record rejected: {proc.stderr}"

    # An existing index is never removed, whatever an add reads.
    existing = tmp_path / "existing"
    assert revindex("add", "--quiet", "--db", existing, junk_folder / "good.json").returncode == 0
    proc = revindex("add", "--db", existing, *unreadable)
    assert proc.returncode == 1 and revindex.documents(existing) == 300, proc.stderr


def test_json_lines_of_ones_own_get_one_hint_and_a_mapping(revindex, tmp_path):
    queries = tmp_path / "queries.jsonl"
    queries.write_text("".join(json.dumps({"id": f"q{i}", "text": f"review number {i} of a kettle", "title": "T"})
                               + "\n" for i in range(1406)))
    db = tmp_path / "db"
    proc = revindex("add", "--db", db, queries)
    errors = [line for line in proc.stderr.splitlines() if ": error: " in line]
    assert len(errors) == 1, f"one line, not 1,406: {errors[:3]}"
    assert 'key "body" is missing in every record (1406 records, all rejected)' in errors[0]
    assert '"id", "text", "title"' in errors[0] and "--json-map body=KEY" in errors[0], errors[0]
    assert summary_of(proc.stderr)["rejected"] == 1406
    assert proc.returncode == 1 and not db.exists()

    # The same records without the .jsonl name: not taken for a layout, with the same hint.
    renamed = tmp_path / "queries.json"
    shutil.copy(queries, renamed)
    proc = revindex("parse", renamed)
    assert proc.returncode == 1 and "--json-map body=KEY" in proc.stderr, proc.stderr

    proc = revindex("add", "--db", db, "--json-map", "body=text,headline=title", queries, renamed)
    counts = summary_of(proc.stderr)
    assert proc.returncode == 0, proc.stderr
    assert counts["added"] == 1406 and counts["repeated"] == 1406 and counts["rejected"] == 0, proc.stderr
    parsed = revindex("parse", "--json-map", "body=text,headline=title", queries)
    first = json.loads(parsed.stdout.splitlines()[0])
    assert first["body"] == "review number 0 of a kettle" and first["headline"] == "T" and first["id"] == "q0"

    # A rebuild reads each batch with the mapping it was added with (the ledger keeps it).
    proc = revindex("rebuild", "--db", db, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert revindex.documents(db) == 1406

    bad = revindex("add", "--db", db, "--json-map", "text=body", queries)
    assert bad.returncode == 2 and 'unknown key "text"' in bad.stderr, bad.stderr


def test_first_add_names_repeats_within_the_input(revindex, corpus, tmp_path):
    for options in ((), ("--jobs", "2")):
        db = tmp_path / ("bulk" if options else "serial")
        proc = revindex("add", *options, "--db", db, corpus(ALL_BEAUTY_REPEATS))
        counts = summary_of(proc.stderr)
        assert proc.returncode == 0, proc.stderr
        assert counts is not None and counts["read"] == 110 and counts["added"] == 92 and counts["repeated"] == 18 \
            and counts["updated"] == 0 and counts["unchanged"] == 0, f"{options}: {proc.stderr}"
    # Into the index that holds them: updated and unchanged say what changed in it; the file's own repeats are
    # still repeats.
    copy = tmp_path / "again.json"
    shutil.copy(corpus(ALL_BEAUTY_REPEATS), copy)
    proc = revindex("add", "--db", tmp_path / "serial", copy)
    counts = summary_of(proc.stderr)
    assert counts["added"] == 0 and counts["unchanged"] + counts["updated"] == 92 and counts["repeated"] == 18, \
        proc.stderr


def test_stats_shows_disk_use_with_kept_generations(revindex, corpus, tmp_path):
    db = tmp_path / "db"
    assert revindex("add", "--quiet", "--db", db, corpus("mcauley-all-beauty-5core-300.json")).returncode == 0
    before = revindex.stats(db)["disk"]
    assert before["kept_generation_count"] == 0 and before["kept_generations"] == 0
    assert before["live"] > 0 and before["total"] >= before["live"]
    assert revindex("rebuild", "--db", db, "--quiet").returncode == 0
    info = revindex.stats(db)
    disk = info["disk"]
    assert disk["kept_generation_count"] == 1 and disk["kept_generations"] > 0, disk
    assert disk["total"] >= disk["live"] + disk["kept_generations"] + disk["inputs"], disk
    du = sum(os.lstat(os.path.join(folder, name)).st_blocks * 512
             for folder, dirs, files in os.walk(db) for name in dirs + files) + os.lstat(db).st_blocks * 512
    assert disk["total"] == du, f"total is what du counts: {disk['total']} vs {du}"
    text = revindex("stats", "--db", db).stdout
    assert re.search(r"^disk +[\d.]+ MB in all .*1 kept generation [\d.]+ MB", text, re.M), text
