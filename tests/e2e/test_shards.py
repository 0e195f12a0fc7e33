"""Sharded indexes on one machine (docs/scaling.md): `revindex add --shards 3` and `rebuild --shards N` rank
exactly as one database holding the same reviews (Xapian merges the shards' statistics), an update lands in
the shard that holds the review (no duplicate), `stats` reports each shard, `delete` finds a review in its
shard, the shard count of an existing index cannot change under `add`, the bulk path builds the same shards,
and a crash between shard commits is completed by the next add of the same file.
(The search tests run every search over one database and over three shards too: conftest.py, shards.)
"""
import signal

import pytest

FILES = ["pusher-ii-2004.txt", "blitzer-books-positive-100.review", "canonical-sample.jsonl",
         "fine-food-reviews-300.csv"]
QUERIES = [["heroin"], ["mads mikkelsen acting"], ['"the first one"'], ["--sort", "helpful", "book"],
           ["--min-rating", "8", "story"], ["--no-spoilers", "great", "movie"], ["author:ulriksander"],
           ["coffee OR tea"], ["--bm25", "k1=2,b=1", "love"], ["headline:great -boring"],
           ["--field-weights", "headline=0.5", "great coffee -tea"], ["--match", "all", "--field-weights",
                                                                       "headline=2", "great movie"]]
# Xapian 1.4 expands a trailing wildcard in each shard against that shard's terms, so its scores differ from
# one index (docs/scaling.md); its matches do not.
WILDCARD_QUERIES = [["dog*"], ["mikkel*"]]




@pytest.fixture(scope="module")
def files(corpus):
    return [corpus(name) for name in FILES]


@pytest.fixture(scope="module")
def one(new_index, files):
    return new_index(*files)


@pytest.fixture(scope="module")
def three(new_index, files):
    return new_index(*files, shards=3)


def ranking(revsearch, db, query, limit=100):
    result = revsearch.json(db, "--limit", str(limit), *query, timeout=300)
    hits = [(hit["id"], round(hit["score"], 9), text_of(hit["review"])) for hit in result.hits]
    return result.code, hits, result.summary, result.stderr


def text_of(review):
    return (review.get("headline") or "") + "\n" + review.get("body", "")


def same_ranking(a, b):
    """Equal scores in the same order, and the same reviews within each run of equal scores. Documents with
    equal scores are ordered by document number, which sharding interleaves; and of a text listed several
    times (collapsed, docs/ranking.md) the copy with the lowest document number is shown, so reviews are
    compared by their text."""
    if [score for _, score, _ in a] != [score for _, score, _ in b]:
        return False
    groups_a, groups_b = {}, {}
    for (_, score, text_a), (_, _, text_b) in zip(a, b):
        groups_a.setdefault(score, []).append(text_a)
        groups_b.setdefault(score, []).append(text_b)
    last = a[-1][1] if a else None  # the run cut by the limit may hold other reviews of the same score
    return all(sorted(groups_a[s]) == sorted(groups_b[s]) for s in groups_a if s != last)


def assert_same_ranking(revsearch, one, other, query):
    code_a, a, summary_a, _ = ranking(revsearch, one, query)
    code_b, b, summary_b, err = ranking(revsearch, other, query)
    assert code_a == code_b and (a or code_a == 1) and same_ranking(a, b), \
        f"{query}: {[h[:2] for h in b[:3]]} vs one index {[h[:2] for h in a[:3]]} {err}"
    assert summary_a.get("parsed") == summary_b.get("parsed"), f"{query}: parsed query differs"
    assert summary_a.get("weights") == summary_b.get("weights"), f"{query}: signal factors differ"


def assert_same_matches(revsearch, one, other, query):
    _, a, _, _ = ranking(revsearch, one, query, limit=1000)
    _, b, _, _ = ranking(revsearch, other, query, limit=1000)
    assert a and sorted(h[2] for h in a) == sorted(h[2] for h in b), f"{query}: matches differ ({len(a)} vs {len(b)})"


def assert_same_answers(revsearch, one, other):
    for query in QUERIES:
        assert_same_ranking(revsearch, one, other, query)
    for query in WILDCARD_QUERIES:
        assert_same_matches(revsearch, one, other, query)


@pytest.mark.parametrize("query", QUERIES, ids=[" ".join(query) for query in QUERIES])
def test_three_shards_rank_as_one_database(revsearch, one, three, query):
    assert_same_ranking(revsearch, one, three, query)


@pytest.mark.parametrize("query", WILDCARD_QUERIES, ids=[" ".join(query) for query in WILDCARD_QUERIES])
def test_a_wildcard_matches_the_same_reviews_on_three_shards(revsearch, one, three, query):
    assert_same_matches(revsearch, one, three, query)


def test_stats_reports_each_shard(revindex, one, three):
    s = revindex.stats(three)
    assert len(s.get("shards", [])) == 3, s.get("shards")
    assert sum(shard["documents"] for shard in s["shards"]) == s.get("documents"), \
        "the shards' documents add up to the index's"
    assert all(shard["documents"] > 0 for shard in s["shards"]), "every shard holds reviews"
    assert s.get("documents") == revindex.stats(one).get("documents"), "as many documents as one index"
    assert s.get("batches") == len(FILES), "the ledger lists every batch"
    assert sum(shard["bytes"] for shard in s["shards"]) == s.get("bytes"), "bytes are the shards' bytes"


def test_the_shard_count_of_an_index_cannot_change_under_add(revindex, three, files):
    proc = revindex("add", "--db", three, "--shards", "2", files[0], timeout=300)
    assert proc.returncode == 2 and "has 3 shard(s)" in proc.stderr, f"{proc.returncode} {proc.stderr}"


def test_update_delete_and_rebuild_keep_shards_ranking_as_one_database(revindex, revsearch, new_index, files,
                                                                       tmp_path):
    one, three = new_index(*files), new_index(*files, shards=3)
    # An update (re-scraped page, newer votes) lands where the review is: no duplicate in another shard.
    with open(files[0], encoding="utf-8") as text:
        scraped = text.read().replace("54 out of 62 found this helpful", "60 out of 70 found this helpful")
    assert "60 out of 70" in scraped, "the fixture holds the 54 of 62 review"
    page = tmp_path / "page.txt"
    page.write_text(scraped, encoding="utf-8")
    for db in (one, three):
        proc = revindex("add", "--db", db, page, timeout=300)
        assert proc.returncode == 0 and "updated 1," in proc.stderr and "added 0," in proc.stderr, \
            f"{db}: re-scraped page: {proc.stderr}"
    assert revindex.stats(three)["documents"] == revindex.stats(one)["documents"], "the update made no duplicate"
    assert_same_answers(revsearch, one, three)

    _, hits, _, _ = ranking(revsearch, three, ["heroin"], limit=1)
    review_id = hits[0][0] if hits else "none"
    for db in (one, three):
        proc = revindex("delete", "--db", db, "--id", review_id, timeout=300)
        assert proc.returncode == 0 and "deleted 1" in proc.stderr, f"{db}: delete --id {review_id}: {proc.stderr}"
    assert_same_answers(revsearch, one, three)

    # Rebuild changes the shard count. A rebuild reads the sources again, so the deleted review comes back: in
    # both.
    assert revindex("rebuild", "-q", "--db", one, timeout=300).returncode == 0, "rebuild the one index"
    for count in ("2", "1", "4"):
        proc = revindex("rebuild", "-q", "--db", three, "--shards", count, timeout=300)
        assert proc.returncode == 0, f"rebuild --shards {count}: {proc.stderr}"
        assert len(revindex.stats(three).get("shards", [])) == int(count), f"rebuild made {count} shard(s)"
    assert_same_answers(revsearch, one, three)


def test_bulk_load_builds_the_same_shards_and_compact_keeps_them(revindex, new_index, files):
    bulk = new_index(*files, shards=3, options=["--jobs", "2"])
    assert len(revindex.stats(bulk).get("shards", [])) == 3, "the bulk load made 3 shards"
    proc = revindex("compact", "-q", "--db", bulk, timeout=300)
    assert proc.returncode == 0 and len(revindex.stats(bulk).get("shards", [])) == 3, \
        f"compact keeps the shards: {proc.stderr}"


def test_crash_between_shard_commits_is_completed_by_the_next_add(revindex, new_index, files, fault_points):
    """The other shards hold the batch, shard 0's ledger not; the next add of the same file reads it again and
    completes it, without duplicates."""
    crash = new_index(files[0], shards=3)
    proc = revindex("add", "--db", crash, files[1], env={"REVSEARCH_FAULT_AT": "between-shard-commits"}, timeout=300)
    assert proc.returncode == -signal.SIGKILL, "the fault point killed the add"
    assert revindex.stats(crash).get("batches") == 1, "the ledger does not claim the interrupted batch"
    proc = revindex("add", "--db", crash, files[1], timeout=300)
    assert proc.returncode == 0 and "read 100," in proc.stderr, f"the next add reads the batch again: {proc.stderr}"
    info = revindex.stats(crash)
    assert info.get("documents") == 125 and info.get("batches") == 2, \
        f"completed without duplicates: {info.get('documents')}"
