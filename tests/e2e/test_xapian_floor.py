"""The benchmark's floor (scripts/benchmark/floor/xapian_floor.cpp): its --with switches are parsed strictly, each
adds only its own piece of engine work, the default adds none of them (the benchmark's floor figures stay what they
were), and --with all holds what our index holds: the same value slots, the same kinds of filter terms and the same
stored record, so that ours / (the floor --with all) compares like with like (docs/benchmarks.md, "The two
floors"); --append adds to an existing index (a copy of ours, through its stub) and keeps what it held, and refuses
a missing one. Run on corpora/canonical-sample.jsonl; Xapian's xapian-delve reads the indexes."""

import json
import os
import re
import subprocess

import pytest

FLOOR = os.environ.get("XAPIAN_FLOOR")
SOURCE = os.environ.get("REVSEARCH_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
SAMPLE = os.path.join(SOURCE, "corpora", "canonical-sample.jsonl")
FILTER_PREFIXES = ("XI", "XA", "XF", "XSPOILER")


@pytest.fixture(scope="module")
def floor():
    if not FLOOR or not os.access(FLOOR, os.X_OK):
        pytest.skip("XAPIAN_FLOOR (the built xapian_floor) not given: run through ctest")
    return FLOOR


def run_floor(floor, *args):
    return subprocess.run([floor, *map(str, args)], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def build(floor, tmp_path_factory):
    """build(*switches): the floor's index of the sample with these options, made once per set of switches."""
    made = {}

    def make(*switches):
        if switches not in made:
            db = tmp_path_factory.mktemp("floor") / "db"
            proc = run_floor(floor, *switches, db, SAMPLE)
            assert proc.returncode == 0, proc.stderr
            made[switches] = str(db)
        return made[switches]
    return make


def delve(tool, *args):
    proc = subprocess.run([tool, *map(str, args)], capture_output=True, text=True, errors="replace", timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def all_terms(tool, db):
    return delve(tool, "-1", "-a", db).splitlines()  # a term may hold spaces (XA: an author)


def average_length(tool, db):
    return float(re.search(r"average document length = ([0-9.]+)", delve(tool, db))[1])


def value_slots(tool, db, docid=1):
    """The slots doc DOCID has a value in: delve prints them as "slot:value", space-separated, on one line."""
    out = delve(tool, "-V", "-r", docid, db)
    line = out.split(f"Values for record #{docid}:", 1)[1].split("\n", 1)[0]
    return {int(slot) for slot in re.findall(r" (\d+):", line)}


def data_of(tool, db, docid=1):
    out = delve(tool, "-d", "-r", docid, db)
    return out.split(f"Data for record #{docid}:\n", 1)[1].split("\nTerm List for record", 1)[0].strip()


@pytest.mark.parametrize("args, message", [
    (["--with", "bogus", "DB", "FILE"], "unknown feature in --with bogus"),
    (["--with", "record,nope", "DB", "FILE"], "unknown feature in --with record,nope"),
    (["--with", "record,", "DB", "FILE"], "unknown feature in --with record,"),
    (["--jobs", "two", "DB", "FILE"], "--jobs takes a number, not 'two'"),
    (["--frobnicate", "DB", "FILE"], "unknown option --frobnicate"),
    (["DB", "FILE", "--with"], "--with needs a value"),
    (["DB", "FILE", "--jobs"], "--jobs needs a value"),
    (["--append", "--jobs", "2", "DB", "FILE"], "--append adds serially, not with --jobs"),
])
def test_bad_switches_are_one_error_and_the_usage(floor, tmp_path, args, message):
    db = tmp_path / "db"
    proc = run_floor(floor, *[{"DB": db, "FILE": SAMPLE}.get(a, a) for a in args])
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == f"xapian_floor: {message}"
    assert "usage: xapian_floor" in proc.stderr
    assert not db.exists()


def test_missing_arguments_print_the_usage(floor):
    proc = run_floor(floor, "--with", "all")
    assert proc.returncode == 2 and proc.stderr.startswith("usage: xapian_floor")


def test_the_default_floor_has_postings_only(build, xapian_delve):
    db = build()
    terms = all_terms(xapian_delve, db)
    assert any(t.startswith("Q") for t in terms)
    assert not [t for t in terms if t.startswith(FILTER_PREFIXES)]
    assert value_slots(xapian_delve, db) == set()
    assert data_of(xapian_delve, db) == ""
    assert not os.path.exists(os.path.join(db, "spelling.glass"))


def test_each_switch_adds_its_own_piece_only(build, xapian_delve):
    default = build()
    default_terms = set(all_terms(xapian_delve, default))
    default_length = average_length(xapian_delve, default)

    record = build("--with", "record")
    assert json.loads(data_of(xapian_delve, record))["source"] == f"{os.path.abspath(SAMPLE)}:1"
    assert set(all_terms(xapian_delve, record)) == default_terms and value_slots(xapian_delve, record) == set()

    values = build("--with", "values")
    assert {0, 4, 7, 8, 11} <= value_slots(xapian_delve, values)
    assert data_of(xapian_delve, values) == "" and set(all_terms(xapian_delve, values)) == default_terms

    filters = build("--with", "filters")
    added = set(all_terms(xapian_delve, filters)) - default_terms
    assert added and all(t.startswith(FILTER_PREFIXES) for t in added)
    assert {p for p in ("XI", "XA", "XF") if any(t.startswith(p) for t in added)} == {"XI", "XA", "XF"}

    spelling = build("--with", "spelling")
    assert os.path.getsize(os.path.join(spelling, "spelling.glass")) > 0
    assert set(all_terms(xapian_delve, spelling)) == default_terms and data_of(xapian_delve, spelling) == ""

    twice = build("--with", "headline-twice")
    assert average_length(xapian_delve, twice) > default_length
    assert not [t for t in all_terms(xapian_delve, twice) if t.startswith(FILTER_PREFIXES)]


def test_all_is_every_switch(build, xapian_delve):
    every = build("--with", "record,values,spelling,filters,headline-twice")
    all_ = build("--with", "all")
    assert all_terms(xapian_delve, every) == all_terms(xapian_delve, all_)
    assert average_length(xapian_delve, every) == average_length(xapian_delve, all_)
    assert data_of(xapian_delve, every) == data_of(xapian_delve, all_)


def test_all_holds_what_our_index_holds(build, new_index, live_database, xapian_delve):
    """The floor --with all against `revindex add` of the same file: the same value slots and kinds of filter
    terms for each review, the same stored record, as many documents and about the same text length (ours folds
    diacritics and cleans the text; the floor does not)."""
    floor_db = build("--with", "all")
    ours = live_database(new_index(SAMPLE))
    ours_terms, floor_terms = all_terms(xapian_delve, ours), all_terms(xapian_delve, floor_db)
    for prefix in ("Q", *FILTER_PREFIXES):
        assert len([t for t in ours_terms if t.startswith(prefix)]) == \
            len([t for t in floor_terms if t.startswith(prefix)]), prefix
    lines = sum(1 for line in open(SAMPLE, encoding="utf-8") if line.strip())
    for docid in range(1, lines + 1):
        assert value_slots(xapian_delve, ours, docid) == value_slots(xapian_delve, floor_db, docid), docid
        assert len(data_of(xapian_delve, ours, docid)) == pytest.approx(len(data_of(xapian_delve, floor_db, docid)),
                                                                        rel=0.02), docid
    assert average_length(xapian_delve, floor_db) == pytest.approx(average_length(xapian_delve, ours), rel=0.02)


def document_count(tool, db):
    return int(re.search(r"number of documents = (\d+)", delve(tool, db))[1])


def test_append_adds_to_our_index_and_keeps_what_it_held(floor, new_index, live_database, xapian_delve, tmp_path):
    """scripts/bench --growth measures the floor adding new reviews to a copy of our big index this way."""
    ours = new_index(SAMPLE)
    before = document_count(xapian_delve, live_database(ours))
    ids_before = {t for t in all_terms(xapian_delve, live_database(ours)) if t.startswith("Q")}
    new_reviews = tmp_path / "new.jsonl"
    with open(SAMPLE, encoding="utf-8") as sample, open(new_reviews, "w", encoding="utf-8") as out:
        for line in sample:
            if line.strip():
                review = json.loads(line)
                review["id"] = "new-" + review["id"]
                out.write(json.dumps(review) + "\n")
    for switches in [(), ("--with", "all")]:
        proc = run_floor(floor, "--append", *switches, os.path.join(ours, "XAPIANDB"), new_reviews)
        assert proc.returncode == 0, proc.stderr
        assert document_count(xapian_delve, live_database(ours)) == 2 * before, switches
        ids = {t for t in all_terms(xapian_delve, live_database(ours)) if t.startswith("Q")}
        assert ids_before < ids and len(ids) == 2 * before, "the old reviews stay, the new ones are added once"
    missing = run_floor(floor, "--append", tmp_path / "none", new_reviews)
    assert missing.returncode == 2 and missing.stderr.startswith("xapian_floor: ")
    assert not (tmp_path / "none").exists()
