"""End-to-end: `revindex add --jobs 2` (the bulk path) against plain `revindex add` on real data.

Checks: on an All_Beauty slice (with repeated reviews) and 100 reviews of the Blitzer books file (corpora/), --jobs gives the same read/added/
unchanged counts, the same documents, batches and terms in `stats --json`, and the same ranking (scores) for a
word, a phrase and a filtered query; the index passes xapian-check; --jobs into an existing index and with
--strict falls back to file-by-file adding, with a note; the bulk index is published as generation 1 behind
the stub, as `add` creates one, so a later rebuild can switch it; a directory holding other files is a fine
target (they are left alone). No timings are checked.
"""

import os
import re

import pytest

INPUTS = ["mcauley-all-beauty-5core-repeats-110.json", "blitzer-books-positive-100.review"]
SUMMARY = re.compile(r"^read (\d+), added (\d+), updated (\d+), unchanged (\d+), repeated (\d+), rejected (\d+), "
                     r"skipped files (\d+), unreadable files (\d+) in \d+\.\d\d s$")


@pytest.fixture(scope="module")
def inputs(corpus):
    return [corpus(name) for name in INPUTS]


@pytest.fixture(scope="module")
def add(revindex):
    def run_add(db, *args):
        proc = revindex("add", "--db", db, *args)
        lines = proc.stderr.strip().splitlines()
        match = SUMMARY.match(lines[-1]) if lines else None
        return proc.returncode, (tuple(map(int, match.groups())) if match else None), proc.stderr
    return run_add


def stats(revindex, db):
    info = revindex.stats(db)
    for source in info.get("sources", []):
        source.pop("time", None)
    return {k: info.get(k) for k in ("documents", "terms", "batches", "language", "schema", "sources")}


def hits(revsearch, db, *args):
    result = revsearch.json(db, "--limit", "20", *args)
    assert result.code in (0, 1), f"revsearch {args}: {result.stderr}"
    # Scores, not ids: documents are numbered differently, so equal scores (the same text under two ids,
    # which All_Beauty has) may come in another order, and collapsing may keep the other copy.
    return [round(hit["score"], 9) for hit in result.hits]


@pytest.fixture(scope="module")
def serial_and_bulk(add, inputs, tmp_path_factory):
    work = tmp_path_factory.mktemp("bulk")
    serial, bulk = str(work / "serial"), str(work / "bulk")
    return (serial, *add(serial, *inputs)), (bulk, *add(bulk, "--jobs", "2", *inputs))


def test_jobs_counts_as_the_serial_add(serial_and_bulk):
    (_, code_s, counts_s, err_s), (_, code_b, counts_b, err_b) = serial_and_bulk
    assert code_s == 0 and code_b == 0, f"{err_s} {err_b}"
    assert counts_s is not None and counts_b is not None, f"summary lines: {err_s!r} {err_b!r}"
    assert counts_s[:6] == counts_b[:6], f"serial {counts_s}, bulk {counts_b}"
    assert counts_b[4] == 18 and counts_b[2] == counts_b[3] == 0, \
        f"All_Beauty's repeated reviews are counted as repeated, not updated or unchanged: {counts_b}"
    assert "bulk load: 2 parts built in" in err_b, f"the bulk path reports its phases: {err_b!r}"


def test_jobs_gives_the_same_stats(revindex, serial_and_bulk):
    (serial, *_), (bulk, *_) = serial_and_bulk
    assert stats(revindex, serial) == stats(revindex, bulk)


@pytest.mark.parametrize("query", [["moisturizer"], ['"great product"'], ["shampoo", "--min-rating", "4"]],
                         ids=["word", "phrase", "filtered"])
def test_jobs_ranks_as_the_serial_add(revsearch, serial_and_bulk, query):
    (serial, *_), (bulk, *_) = serial_and_bulk
    serial_scores, bulk_scores = hits(revsearch, serial, *query), hits(revsearch, bulk, *query)
    assert serial_scores and serial_scores == bulk_scores, f"serial {serial_scores[:5]} vs bulk {bulk_scores[:5]}"


def test_the_bulk_index_is_generation_1_behind_the_stub(serial_and_bulk, xapian_check):
    _, (bulk, *_) = serial_and_bulk
    with open(os.path.join(bulk, "XAPIANDB")) as stub:
        assert stub.read() == "auto gen-000001\n"
    assert os.path.exists(os.path.join(bulk, ".revindex.lock")), "the bulk load took the index lock"
    assert not [n for n in os.listdir(bulk) if n.startswith(".building-")], "no scratch space is left behind"
    xapian_check(os.path.join(bulk, "gen-000001"))


def test_jobs_into_an_existing_index_adds_file_by_file(add, inputs, tmp_path):
    db = str(tmp_path / "existing")
    assert add(db, "--quiet", *inputs)[0] == 0
    # An existing index: --jobs falls back to adding file by file (and the file is skipped: same content).
    code, counts, err = add(db, "--jobs", "2", inputs[1])
    assert code == 0 and "adding file by file" in err, f"{code} {err!r}"
    assert counts is not None and counts[6] == 1, f"the unchanged file is skipped: {counts}"


def test_jobs_with_strict_adds_file_by_file(add, inputs, tmp_path):
    code, counts, err = add(str(tmp_path / "strict"), "--jobs", "2", "--strict", inputs[1])
    assert code == 0 and "adding file by file" in err, f"{code} {err!r}"


def test_a_directory_with_other_files_is_bulk_loaded_and_they_are_left_alone(add, inputs, tmp_path):
    occupied = tmp_path / "occupied"
    occupied.mkdir()
    (occupied / "notes.txt").write_text("mine")
    code, counts, err = add(occupied, "--jobs", "2", inputs[1])
    assert code == 0 and "bulk load" in err and "adding file by file" not in err, err
    assert (occupied / "notes.txt").exists(), "the file in the target is left alone"
