"""End-to-end: numbered tokens do not break the spelling table (issue 18, point 1;
common/schema/include/revsearch/spelling_table.hpp says why).

Xapian 1.4.22 cannot read back a spelling fragment list as repetitive as the one 2,745 words uniq0..uniq2744
make ("Too few chunks of compressed data"), whether they come in one commit or in 2,745. The reproduction: 3,000
reviews, each with a new numbered token, the first 2,745 in one batch file and the other 255 one per file, so the
3,000-small-batches case runs in seconds (the trigger is the list's content, not the number of commits:
tests/unit/spelling_table_test.cpp). Checks: `revindex add` of the directory (one transaction per file), a
rebuild and a bulk `add --jobs 2` all exit 0, pass xapian-check, find the last token, and keep "did you mean".
"""

import json

import pytest

ONE_BATCH = 2745
TOTAL = 3000


@pytest.fixture(scope="module")
def batches(tmp_path_factory):
    directory = tmp_path_factory.mktemp("batches")
    with open(directory / "a-first.jsonl", "w") as out:
        for i in range(ONE_BATCH):
            out.write(json.dumps({"id": f"t{i}", "body": f"review text uniq{i} gangster"}) + "\n")
    for i in range(ONE_BATCH, TOTAL):
        with open(directory / f"b-{i}.jsonl", "w") as out:
            out.write(json.dumps({"id": f"t{i}", "body": f"review text uniq{i}"}) + "\n")
    return directory


def add(revindex, batches, db):
    proc = revindex("add", "--db", db, batches, timeout=300)
    assert proc.returncode == 0, f"add of {TOTAL - ONE_BATCH + 1} batch files: {proc.stderr[-400:]}"
    return db


@pytest.fixture(scope="module")
def added(revindex, batches, tmp_path_factory):
    return add(revindex, batches, tmp_path_factory.mktemp("added") / "index")


@pytest.fixture(scope="module")
def rebuilt(revindex, batches, tmp_path_factory):
    """Another index added the same way, then rebuilt."""
    db = add(revindex, batches, tmp_path_factory.mktemp("rebuilt") / "index")
    proc = revindex("rebuild", "--db", db, timeout=300)
    assert proc.returncode == 0, f"rebuild: {proc.stderr[-400:]}"
    return db


@pytest.fixture(scope="module")
def bulk(revindex, batches, tmp_path_factory):
    db = tmp_path_factory.mktemp("bulk") / "index"
    proc = revindex("add", "--db", db, "--jobs", "2", batches, timeout=300)
    assert proc.returncode == 0, f"add --jobs 2: {proc.stderr[-400:]}"
    return db


# The same checks on the index after each way of writing it.
@pytest.fixture(params=["added", "rebuilt", "bulk"], ids=["add", "rebuild", "add-jobs-2"])
def db(request):
    return request.getfixturevalue(request.param)


def summary(revsearch, db, *query):
    result = revsearch.json(db, "--facets", "--limit", "0", *query, timeout=300)
    return result.code, result.summary if result.summaries else {"stderr": result.stderr}


def test_passes_xapian_check(db, xapian_check):
    xapian_check(db)


def test_finds_the_last_token_once(revsearch, db):
    code, data = summary(revsearch, db, f"uniq{TOTAL - 1}")
    assert code == 0 and data.get("estimated") == 1, data


def test_holds_every_review(revsearch, db):
    assert summary(revsearch, db, "review")[1].get("estimated") == TOTAL


def test_keeps_spelling_help(revsearch, db):
    assert summary(revsearch, db, "gangstr")[1].get("corrected") == "gangster"
    assert summary(revsearch, db, "--as-typed", "gangstr")[1].get("suggestion") == "gangster"
