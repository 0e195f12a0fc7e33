"""End-to-end: `revindex add --compact auto|always|never` (docs/indexing.md, "Compaction after a large add").

Checks: `--compact always` compacts a new index into generation 2, removes the uncompacted generation 1 (same
reviews), answers every search as the uncompacted index does, passes xapian-check and is smaller; into an existing
index it keeps the previous generation (as `revindex compact`); the default (auto) leaves a small index as it is
(below 5,000 reviews written), and so does `never`; a later add into a compacted index works (upserts, the
ledger); a bad --compact value is a usage error; an add killed inside its compaction (each fault point of
`revindex compact`) keeps every review the run committed, and the next command removes the scratch. The policy
itself (half the index, at least 5,000 reviews) is unit-tested (tests/unit/compaction_policy_test.cpp).
"""

import json
import os

import pytest

CORPORA = os.path.join(os.environ.get("REVSEARCH_SOURCE_DIR") or
                       os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "corpora")
PAGE = os.path.join(CORPORA, "pusher-ii-2004.txt")               # 25 IMDb reviews
BOOKS = os.path.join(CORPORA, "blitzer-books-positive-100.review")
FOOD = os.path.join(CORPORA, "fine-food-reviews-300.csv")
QUERIES = ["good", "great book", "coffee", '"pusher"', "rating:8..10 good"]


def entries(db):
    return sorted(os.listdir(db))


def generations(db):
    return [name for name in entries(db) if name.startswith("gen-")]


def live(db):
    with open(os.path.join(db, "XAPIANDB")) as stub:
        return stub.read().split()[1]


def glass_bytes(path):
    return sum(os.path.getsize(os.path.join(path, name)) for name in os.listdir(path) if name.endswith(".glass"))


def answers(revsearch, db):
    """What a user sees for each query: the match count and the hit ids in rank order."""
    seen = []
    for query in QUERIES:
        result = revsearch("--db", db, "--json", "--limit", "50", query)
        assert result.returncode in (0, 1), f"{query}: {result.stderr}"
        lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
        seen.append(([line["data"]["id"] for line in lines if line.get("type") == "hit"],
                     [line["data"].get("estimated") for line in lines if line.get("type") == "summary"]))
    return seen


def add(revindex, db, *args, env=None):
    return revindex("add", "--db", db, *args, env=env)


def test_always_compacts_a_new_index_into_generation_2_answering_the_same(revindex, revsearch, xapian_check,
                                                                           tmp_path):
    plain, compacted = str(tmp_path / "plain"), str(tmp_path / "compacted")
    proc = add(revindex, plain, "--compact", "never", PAGE, BOOKS, FOOD)
    assert proc.returncode == 0 and generations(plain) == ["gen-000001"], f"never: {proc.stderr} {entries(plain)}"
    proc = add(revindex, compacted, "--compact", "always", PAGE, BOOKS, FOOD)
    assert proc.returncode == 0, f"always: {proc.stderr}"
    assert "compacted the index (425 reviews, 425 of them written by this run) into gen-000002" in proc.stderr
    assert generations(compacted) == ["gen-000002"] and live(compacted) == "gen-000002", \
        f"a new index keeps no uncompacted copy: {entries(compacted)}"
    assert answers(revsearch, compacted) == answers(revsearch, plain), "the compacted index answers the same"
    xapian_check(compacted, "after add --compact always")
    assert glass_bytes(os.path.join(compacted, "gen-000002")) < glass_bytes(os.path.join(plain, "gen-000001")), \
        "compaction makes it smaller"
    stats = json.loads(revindex("stats", "--json", "--db", compacted).stdout)
    assert stats["documents"] == 425 and stats["batches"] == 3, f"documents and ledger kept: {stats}"


def test_into_an_existing_index_the_previous_generation_is_kept_and_adds_go_on(revindex, revsearch, xapian_check,
                                                                                tmp_path):
    db = str(tmp_path / "db")
    assert add(revindex, db, "--quiet", PAGE).returncode == 0
    proc = add(revindex, db, "--quiet", "--compact", "always", BOOKS)
    assert proc.returncode == 0 and proc.stderr == "", f"--quiet says nothing: {proc.stderr!r}"
    assert generations(db) == ["gen-000001", "gen-000002"] and live(db) == "gen-000002", \
        f"the previous generation kept, as revindex compact --keep 2: {entries(db)}"
    # The compacted generation takes further adds (its blocks are full: they split) and upserts by id.
    proc = add(revindex, db, "--compact", "never", FOOD, PAGE)
    assert proc.returncode == 0 and "added 300" in proc.stderr and "skipped files 1" in proc.stderr, proc.stderr
    xapian_check(db, "an add after a compaction")
    assert revindex.documents(db) == 425
    assert answers(revsearch, db)[2][0], "the later batch is searchable"


def test_auto_leaves_a_small_index_and_never_leaves_any(revindex, tmp_path):
    for mode in ([], ["--compact", "auto"], ["--compact", "never"]):
        db = str(tmp_path / ("db" + "".join(mode).replace("-", "")))
        proc = add(revindex, db, *mode, PAGE, BOOKS)
        assert proc.returncode == 0 and "compacted" not in proc.stderr, f"{mode}: {proc.stderr}"
        assert generations(db) == ["gen-000001"], f"{mode}: 125 reviews are below the threshold: {entries(db)}"


def test_a_bad_compact_value_is_a_usage_error(revindex, tmp_path):
    proc = add(revindex, str(tmp_path / "db"), "--compact", "sometimes", PAGE)
    assert proc.returncode == 2 and "--compact takes auto, always or never" in proc.stderr, proc.stderr
    assert not os.path.exists(tmp_path / "db"), "nothing created"


@pytest.mark.parametrize("point", ["after-scratch", "before-check", "before-switch", "after-switch"])
def test_an_add_killed_in_its_compaction_keeps_every_committed_review(revindex, revsearch, fault_points, tmp_path,
                                                                      point):
    reference = str(tmp_path / "reference")
    assert add(revindex, reference, "--quiet", "--compact", "never", PAGE, BOOKS).returncode == 0
    db = str(tmp_path / "db")
    proc = add(revindex, db, "--quiet", "--compact", "always", PAGE, BOOKS, env={"REVSEARCH_FAULT_AT": point})
    assert proc.returncode == -9, f"killed at {point}: exit {proc.returncode} {proc.stderr}"
    assert answers(revsearch, db) == answers(revsearch, reference), f"killed at {point}: every batch still answers"
    # The next writer (here an add of a file already recorded) cleans up what the kill left, and the index
    # answers the same.
    proc = add(revindex, db, "--compact", "never", PAGE)
    assert proc.returncode == 0 and "skipped files 1" in proc.stderr, proc.stderr
    assert not [name for name in entries(db) if name.startswith(".building")], f"scratch removed: {entries(db)}"
    assert answers(revsearch, db) == answers(revsearch, reference)
