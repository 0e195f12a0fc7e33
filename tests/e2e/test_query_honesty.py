"""End-to-end: nothing fails silently and counts are true (issue 16, points 2, 3, 4 and part of 9), over one
database and over three shards alike (conftest.py: shards).

An unknown field, an impossible range, an unparsable bound, crossed filter options and a query with no word are
each an error (exit 2) with one line saying why; `rating:8` is an equality; listing every review is asked for with
--all; the summary's count is exact (no "about") and the same whatever -n. Reads only corpora/.
"""
import os

import pytest

FIELDS = "the fields are headline:, author:, item:, rating:, date: (docs/query-syntax.md)"
NO_WORD = ("revsearch: the query has no word to search; give a word, or --all to list every review "
           "(revsearch --all --facets -n0: an overview)")
# (arguments, the one line on stderr) of each case that must be an error.
ERRORS = [
    (["--", "title:coffee"], f'revsearch: unknown field "title:"; {FIELDS}'),
    (["--", "body:coffee"], f'revsearch: unknown field "body:"; {FIELDS}'),
    (["--", "asin:B000G1X45G"], f'revsearch: unknown field "asin:"; {FIELDS}'),
    (["--", "rating:8..3"], "revsearch: rating:8..3 is an empty range: 8 is above 3"),
    (["--", "rating:120%"], 'revsearch: rating:120%: a rating is a number as shown (4 for 4/5) or a share of its scale (80%), not "120%"'),
    (["--", "rating:4..90%"], 'revsearch: rating:4..90%: give both bounds as ratings (4..5) or both as shares (80%..100%)'),
    (["--min-rating", "11", "pusher"], 'revsearch: --min-rating 11 is above every rating scale in the index (the highest is 10)'),
    (["--", "date:2005..nonsense"],
     'revsearch: date:2005..nonsense: a date is YYYY, YYYY-MM or YYYY-MM-DD, not "nonsense"'),
    (["--", "date:2010..2005"], "revsearch: date:2010..2005 is an empty range: 2010 is after 2005"),
    (["--since", "2012", "--until", "2011", "pusher"], "revsearch: --since 2012 is after --until 2011: no date is both"),
    (["--min-rating", "5", "--max-rating", "4", "pusher"],
     "revsearch: --min-rating 5 is above --max-rating 4: no rating is both"),
    (["--since", "soon", "pusher"], 'revsearch: --since needs a date as YYYY, YYYY-MM or YYYY-MM-DD, not "soon"'),
    *[(["--", query], NO_WORD) for query in (" ", "!!!", '"', "*", "-")],
    (["--facets", "-n0"], "revsearch: no query given; give words to search, or --all to list every review "
                          "(revsearch --help)"),
    (["--all", "pusher"], "revsearch: --all lists every review: give it no query"),
]


COUNTED_QUERIES = [["coffe"], ["coffee"], ["the"], ["coffee", "rating:8..10"], ["--min-rating", "9"]]


@pytest.fixture(scope="module")
def page_db(new_index, page, shards):
    return new_index(page, shards=shards)


@pytest.fixture(scope="module")
def all_db(new_index, source_dir, shards):
    corpora = os.path.join(source_dir, "corpora")
    return new_index(*[os.path.join(corpora, name) for name in sorted(os.listdir(corpora)) if name != "README.md"],
                     shards=shards)


def run(revsearch, db, *args):
    return revsearch("--db", db, "--color", "never", *args, timeout=60)


def summary(revsearch, db, *args):
    """(exit code, ids of the hits, the JSON summary) of one search."""
    result = revsearch.json(db, "--color", "never", *args, timeout=60)
    return result.code, result.ids, result.summary


@pytest.mark.parametrize("output", [[], ["--json"]], ids=["text", "json"])
@pytest.mark.parametrize("args, message", ERRORS, ids=[" ".join(args) for args, _ in ERRORS])
def test_error_is_one_line_and_exit_2(revsearch, page_db, args, message, output):
    proc = run(revsearch, page_db, *output, *args)
    assert proc.returncode == 2
    assert proc.stderr == message + "\n"
    assert proc.stdout == "", "nothing on stdout"


def test_rating_equality_is_a_one_point_range(revsearch, page_db):
    # rating:8 is rating:8..8, not the phrase "rating 8".
    code, ids, _ = summary(revsearch, page_db, "-n100", "rating:8")
    _, range_ids, _ = summary(revsearch, page_db, "-n100", "rating:8..8")
    assert code == 0 and ids and sorted(ids) == sorted(range_ids)


def test_excluded_words_alone_match_every_review_without_them(revsearch, page_db):
    code, ids, data = summary(revsearch, page_db, "-n100", "--", "-heroin")
    assert code == 0 and len(ids) == 24 and data["exact"], f"{len(ids)} hits, {data}"


def test_pasted_punctuation_falls_back_to_the_words(revsearch, page_db):
    code, ids, data = summary(revsearch, page_db, "heroin AND")
    assert code == 0 and data["fell_back"] and ids, data


def test_filters_alone_need_no_all(revsearch, page_db):
    code, ids, data = summary(revsearch, page_db, "--min-rating", "9", "-n100")
    assert code == 0 and ids and data["exact"] and data["estimated"] == len(ids), data


def test_all_lists_every_review_with_an_exact_count(revsearch, page_db):
    code, _, data = summary(revsearch, page_db, "--all", "--facets", "-n0")
    assert code == 0 and data["estimated"] == 25 and data["exact"], data


def test_item_filter_count_in_text(revsearch, page_db):
    proc = run(revsearch, page_db, "-n0", "--item", "Pusher II")
    assert proc.returncode == 0 and proc.stdout.strip().startswith("25 matches"), repr(proc.stdout)


def test_batch_names_a_query_with_no_word_and_goes_on(revsearch, page_db, tmp_path):
    queries = tmp_path / "queries.tsv"
    queries.write_text("q1\t!!!\nq2\theroin\n")
    proc = revsearch("--db", page_db, "--queries", queries, "--quiet", timeout=60)
    assert proc.returncode == 0
    assert proc.stderr == NO_WORD.replace("revsearch: ", "revsearch: query q1: ") + "\n"
    assert proc.stdout.startswith("q2 ")


@pytest.mark.parametrize("limit", ["0", "1", "3", "10"])
@pytest.mark.parametrize("query", COUNTED_QUERIES, ids=[" ".join(query) for query in COUNTED_QUERIES])
def test_count_is_exact_and_the_same_for_every_limit(revsearch, all_db, query, limit):
    """Counts over every bundled corpus: exact, and the same for every -n."""
    counted = revsearch.json(all_db, "--facets", "-n0", *query, timeout=60).summary["estimated"]
    _, ids, data = summary(revsearch, all_db, "-n", limit, *query)
    assert len(ids) == min(int(limit), counted), f"{len(ids)} hits of {counted}"
    assert (data["estimated"], data["exact"]) == (counted, True)


def rated_hits(revsearch, db, *query):
    return [hit["review"] for hit in revsearch.json(db, "-n", "2000", *query, timeout=60).hits]


def test_rating_filter_means_the_number_shown_on_each_scale(revsearch, all_db):
    """Over mixed scales (x/5 shops, x/10 films), rating:4..5 finds 4/5, 5/5, 4/10 and 5/10, never a 2/5."""
    shown = rated_hits(revsearch, all_db, "good", "rating:4..5")
    assert shown and all(4 <= review["rating"] <= 5 for review in shown)
    assert {review["rating_max"] for review in shown} >= {5, 10}
    assert rated_hits(revsearch, all_db, "good", "--min-rating", "4", "--max-rating", "5") == shown


def test_rating_share_with_percent_spans_scales(revsearch, all_db):
    share = rated_hits(revsearch, all_db, "good", "rating:80%..100%")
    assert share and all(review["rating"] / review["rating_max"] >= 0.8 for review in share)
    assert {review["rating_max"] for review in share} >= {5, 10}


def test_facets_have_one_histogram_per_scale(revsearch, all_db):
    by_scale = revsearch.json(all_db, "--facets", "-n0", "good", timeout=60).summary["facets"]["rating_by_scale"]
    assert set(by_scale) >= {"5", "10"}
    assert set(by_scale["5"]) <= {"1", "2", "3", "4", "5"}
    text = run(revsearch, all_db, "--facets", "-n0", "good").stdout
    assert "rating, of 5" in text and "rating, of 10" in text
