"""End-to-end test of BM25's length normalisation by query length: a short query (fewer than 5 distinct words,
what a shopper types) ranks with b = 0.5, a long one (pasted text, search.hpp long_query_terms) and --like with
b = 0.75; an explicit b (--bm25, --scheme bm25:b=) applies to both; shards still rank as one index
(docs/ranking.md, "Document length on review queries")."""
import pytest

from rankings import same_ranking, scored_texts

FILES = ["pusher-ii-2004.txt", "fine-food-reviews-300.csv", "blitzer-books-positive-100.review"]
SHORT = "bitter coffee"
LONG = "strong bitter coffee dark roast flavour"  # six distinct words: a long query


@pytest.fixture(scope="module")
def indexes(new_index, corpus):
    files = [corpus(name) for name in FILES]
    return new_index(*files), new_index(*files, shards=3)


def test_a_short_query_ranks_with_b_one_half(revsearch, indexes):
    default = revsearch.json(indexes[0], "--limit", "50", SHORT)
    half = revsearch.json(indexes[0], "--limit", "50", "--bm25", "b=0.5", SHORT)
    classic = revsearch.json(indexes[0], "--limit", "50", "--bm25", "b=0.75", SHORT)
    assert default.code == 0 and default.summary["long_query"] is False
    assert default.summary["bm25_b"] == 0.5 and classic.summary["bm25_b"] == 0.75
    assert scored_texts(default) == scored_texts(half)
    assert scored_texts(default) != scored_texts(classic)


def test_a_long_query_keeps_b_three_quarters(revsearch, indexes):
    default = revsearch.json(indexes[0], "--limit", "50", "--no-expand", LONG)
    classic = revsearch.json(indexes[0], "--limit", "50", "--no-expand", "--bm25", "b=0.75", LONG)
    half = revsearch.json(indexes[0], "--limit", "50", "--no-expand", "--bm25", "b=0.5", LONG)
    assert default.summary["long_query"] is True and default.summary["bm25_b"] == 0.75
    assert scored_texts(default) == scored_texts(classic)
    assert scored_texts(default) != scored_texts(half)
    # Expanded by default, as before: the feedback pass and the final ranking both keep b.
    assert revsearch.json(indexes[0], "--limit", "5", LONG).summary["bm25_b"] == 0.75


def test_like_ranks_its_terms_as_a_long_query(revsearch, indexes):
    source = revsearch.json(indexes[0], "--limit", "1", "heroin toilet").ids[0]
    assert revsearch.json(indexes[0], "--limit", "5", "--like", source).summary["bm25_b"] == 0.75


@pytest.mark.parametrize("options,b", [(["--bm25", "b=0.3"], 0.3), (["--bm25", "k1=2"], 0.5),
                                       (["--scheme", "bm25:b=0.9"], 0.9), (["--scheme", "bm25+"], 0.5),
                                       (["--scheme", "lm"], None)], ids=str)
def test_an_explicit_b_applies_to_every_query(revsearch, indexes, options, b):
    assert revsearch.json(indexes[0], "--limit", "5", *options, SHORT).summary["bm25_b"] == b


def test_shards_rank_a_short_query_as_one_index(revsearch, indexes):
    one = revsearch.json(indexes[0], "--limit", "50", SHORT)
    three = revsearch.json(indexes[1], "--limit", "50", SHORT)
    assert three.summary["bm25_b"] == 0.5 and same_ranking(scored_texts(one), scored_texts(three))
