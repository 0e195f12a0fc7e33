"""End-to-end test of query expansion: `--expand` (pseudo-relevance feedback), the expansion of long queries by
default (`--no-expand` turns it off) and `--like ID` (reviews like one review), over one database and three local shards holding the same reviews, which must rank alike
(docs/ranking.md, "Query expansion"). Remote shards: test_shards_remote.py.
"""
import pytest

from rankings import same_ranking, scored_texts

FILES = ["pusher-ii-2004.txt", "fine-food-reviews-300.csv", "blitzer-books-positive-100.review"]


@pytest.fixture(scope="module")
def indexes(new_index, corpus):
    files = [corpus(name) for name in FILES]
    return new_index(*files), new_index(*files, shards=3)


def test_expand_adds_the_telling_words_of_the_top_hits(revsearch, indexes):
    plain = revsearch.json(indexes[0], "--limit", "1000", "coffee")
    expanded = revsearch.json(indexes[0], "--limit", "1000", "--expand", "coffee")
    assert expanded.code == 0
    terms = expanded.summary["expansion"]
    assert 0 < len(terms) <= 10 and all(set(term) == {"stem", "weight"} for term in terms), terms
    assert "coffe" not in [term["stem"] for term in terms], "the query's own word is not added again"
    assert [term["weight"] for term in terms] == sorted((term["weight"] for term in terms), reverse=True)
    # Bare words are an OR: expansion may only add matches.
    assert set(plain.ids) <= set(expanded.ids) and len(expanded.ids) > len(plain.ids)
    assert plain.summary["expansion"] == [] and plain.summary["like"] is None


def test_expand_keeps_the_matches_of_a_query_with_operators(revsearch, indexes):
    plain = revsearch.json(indexes[0], "--limit", "1000", "coffee AND bitter")
    expanded = revsearch.json(indexes[0], "--limit", "1000", "--expand", "coffee AND bitter")
    assert expanded.summary["expansion"] and sorted(plain.ids) == sorted(expanded.ids)


def test_expand_says_what_it_searched_in_text(revsearch, indexes):
    proc = revsearch("--db", indexes[0], "--expand", "-n", "2", "coffee")
    assert proc.returncode == 0 and proc.stdout.startswith("searched with: "), proc.stdout[:200]


LONG = "strong bitter coffee dark roast flavour"  # six distinct words: a long query (search.hpp, long_query_terms)


def test_a_long_query_is_expanded_by_default_and_says_so(revsearch, indexes):
    default = revsearch.json(indexes[0], "--limit", "1000", LONG)
    alone = revsearch.json(indexes[0], "--limit", "1000", "--no-expand", LONG)
    asked = revsearch.json(indexes[0], "--limit", "1000", "--expand", LONG)
    assert default.summary["terms"] >= 5 and default.summary["long_query"] is True
    assert default.summary["expand"] == "long" and default.summary["expanded"] is True
    # A written-out need (fewer than pasted_text_terms words) expands with Bo1, 20 terms; --expand keeps its own.
    assert default.summary["expansion"] and default.summary["expanded_with"] != asked.summary["expanded_with"]
    assert alone.summary["expand"] == "off" and alone.summary["expanded"] is False
    assert alone.summary["expansion"] == [] and set(alone.ids) <= set(default.ids)
    assert asked.summary["expand"] == "on"
    text = revsearch("--db", indexes[0], "-n", "1", LONG)
    assert text.returncode == 0 and text.stdout.startswith("searched with: ")
    assert ("(added to a long query, docs=3,terms=20,weight=1,scheme=bo1,mindocs=1; --no-expand searches its words "
            "alone)") in text.stdout.splitlines()[0]
    assert not revsearch("--db", indexes[0], "-n", "1", "--no-expand", LONG).stdout.startswith("searched with")


# A review pasted whole: more distinct words than a written-out need has (search.hpp, pasted_text_terms).
PASTED = ("I bought this dark roast coffee after reading about the beans in a book my sister gave me for my "
          "birthday. The flavour is strong and bitter, never sour, the package arrived quickly and the price "
          "was fair. My husband drinks three cups every morning before work; our friends asked where we found "
          "it. Grinding the whole beans fresh makes a real difference, though the smell fills the kitchen for "
          "hours. Would recommend to anyone who likes a heavy cup without sugar or milk.")


def test_a_written_need_and_pasted_text_expand_with_their_own_settings(revsearch, indexes):
    need = revsearch.json(indexes[0], "--limit", "20", LONG)
    pasted = revsearch.json(indexes[0], "--limit", "20", PASTED)
    assert need.summary["long_query"] and pasted.summary["long_query"]
    assert need.summary["terms"] < pasted.summary["terms"], (need.summary["terms"], pasted.summary["terms"])
    assert need.summary["expanded_with"] == "docs=3,terms=20,weight=1,scheme=bo1,mindocs=1"
    assert pasted.summary["expanded_with"] == "docs=3,terms=10,weight=1,scheme=trad,mindocs=1"
    assert len(need.summary["expansion"]) == 20 and len(pasted.summary["expansion"]) == 10
    # Each ranks as its settings given explicitly would; --expand alone keeps its own settings for a need too.
    assert need.ids == revsearch.json(indexes[0], "--limit", "20", "--expand-with", "scheme=bo1,terms=20", LONG).ids
    assert pasted.ids == revsearch.json(indexes[0], "--limit", "20", "--expand", PASTED).ids
    asked = revsearch.json(indexes[0], "--limit", "20", "--expand", LONG)
    assert asked.summary["expanded_with"] == "docs=3,terms=10,weight=1,scheme=trad,mindocs=1"
    text = revsearch("--db", indexes[0], "-n", "1", PASTED)
    assert "(added to a long query, docs=3,terms=10,weight=1,scheme=trad,mindocs=1; --no-expand" in \
        text.stdout.splitlines()[0], text.stdout.splitlines()[0]
    assert revsearch.json(indexes[0], "--no-expand", PASTED).summary["expanded_with"] is None
    # Asked for, the expansion is not "added to a long query": the line names the settings alone.
    asked_text = revsearch("--db", indexes[0], "-n", "1", "--expand", PASTED).stdout.splitlines()[0]
    assert "(docs=3,terms=10,weight=1,scheme=trad,mindocs=1)" in asked_text, asked_text
    assert "long query" not in asked_text, asked_text


def test_a_short_query_is_searched_as_typed(revsearch, indexes):
    short = revsearch.json(indexes[0], "--limit", "5", "bitter coffee")
    assert short.summary["long_query"] is False and short.summary["expanded"] is False
    assert short.summary["expand"] == "long" and short.summary["expansion"] == []


def test_like_finds_other_reviews_and_leaves_the_review_out(revsearch, indexes):
    source = revsearch.json(indexes[0], "--limit", "1", "heroin toilet").ids[0]
    like = revsearch.json(indexes[0], "--limit", "20", "--like", source)
    assert like.code == 0 and like.summary["like"] == source
    assert len(like.summary["expansion"]) == 25
    assert like.hits and source not in like.ids
    # The review is about the Pusher films: reviews of the same page come first, not coffee or books.
    assert "pusher-ii-2004.txt:" in like.hits[0]["review"].get("source", ""), like.hits[0]["review"]


def test_like_with_filters(revsearch, indexes):
    source = revsearch.json(indexes[0], "--limit", "1", "heroin toilet").ids[0]
    filtered = revsearch.json(indexes[0], "--limit", "100", "--like", source, "--min-rating", "9")
    assert filtered.hits and all(hit["review"]["rating"] >= 9 for hit in filtered.hits)


@pytest.mark.parametrize("query", [["--expand", "coffee"], ["--expand", "heroin drugs"], [LONG], [PASTED],
                                   ["--expand-with", "docs=10,terms=20,scheme=bo1", "good book"],
                                   ["--expand-with", "docs=5,mindocs=2,scheme=trad", "good book"]],
                         ids=lambda query: " ".join(query))
def test_shards_expand_as_one_index(revsearch, indexes, query):
    one = revsearch.json(indexes[0], "--limit", "50", *query)
    three = revsearch.json(indexes[1], "--limit", "50", *query)
    assert one.summary["expansion"] == three.summary["expansion"]
    a, b = scored_texts(one), scored_texts(three)
    assert same_ranking(a, b), f"{a[:2]} against {b[:2]}"


def test_shards_find_reviews_like_one_as_one_index(revsearch, indexes):
    source = revsearch.json(indexes[0], "--limit", "1", "coffee").ids[0]
    one = revsearch.json(indexes[0], "--limit", "50", "--like", source)
    three = revsearch.json(indexes[1], "--limit", "50", "--like", source)
    assert one.summary["expansion"] == three.summary["expansion"]
    assert same_ranking(scored_texts(one), scored_texts(three))


def test_like_an_unknown_id_exits_2_naming_it(revsearch, indexes):
    proc = revsearch("--db", indexes[0], "--like", "no-such-review")
    assert proc.returncode == 2 and "no review with id no-such-review" in proc.stderr, proc.stderr


@pytest.mark.parametrize("args", [["--like", "x", "coffee"], ["--like", "x", "--expand"],
                                  ["--no-expand", "--expand", "coffee"], ["--no-expand", "--expand-with", "docs=3", "x"],
                                  ["--expand-with", "docs=0", "coffee"], ["--expand-with", "mindocs=0", "coffee"]],
                         ids=lambda args: " ".join(args))
def test_expansion_usage_errors_exit_2(revsearch, indexes, args):
    proc = revsearch("--db", indexes[0], *args)
    assert proc.returncode == 2 and proc.stderr.count("\n") <= 2, proc.stderr
