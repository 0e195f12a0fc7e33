"""End-to-end test of the proximity boost (`--proximity`, docs/ranking.md, "Proximity"): a review where the words
of a query stand side by side outranks one where they are scattered, the matches stay the same, and one database
and three local shards rank alike (remote shards: test_shards_remote.py).
"""
import json

import pytest

from rankings import same_ranking, scored_texts

FILES = ["pusher-ii-2004.txt", "fine-food-reviews-300.csv", "blitzer-books-positive-100.review"]
ON = ["--proximity", "weight=0.5,window=2"]
OFF = ["--proximity", "off"]

# Pairs of reviews of equal length and words: in each, the first says the two words side by side, the second has
# them apart and is shorter by one word, so that BM25 alone puts it first.
PAIRS = [
    ("coffee cake", "this coffee cake was moist and sweet and we ate all of it by noon today",
     "the coffee was bitter and the service slow though the cake itself was fine"),
    ("battery life", "the battery life is the best thing about this little phone of mine so far",
     "the battery died after a week and my life got harder without this phone"),
    ("customer service", "customer service answered within an hour and replaced the broken unit for free",
     "as a customer I waited weeks for anyone to service the unit"),
]


@pytest.fixture(scope="module")
def pairs_db(new_index, tmp_path_factory, shards):
    path = tmp_path_factory.mktemp("proximity") / "pairs.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for number, (_, together, apart) in enumerate(PAIRS):
            out.write(json.dumps({"id": f"together-{number}", "body": together}) + "\n")
            out.write(json.dumps({"id": f"apart-{number}", "body": apart}) + "\n")
        out.write(json.dumps({"id": "neither", "body": "a plain loaf of bread with butter and jam"}) + "\n")
    return new_index(path, shards=shards)


@pytest.mark.parametrize("number", range(len(PAIRS)), ids=[query for query, _, _ in PAIRS])
def test_words_side_by_side_outrank_words_apart(revsearch, pairs_db, number):
    query = PAIRS[number][0]
    off = revsearch.json(pairs_db, *OFF, query)
    on = revsearch.json(pairs_db, *ON, query)
    assert off.code == on.code == 0
    # Their own two reviews first (other pairs may share a word), in BM25's order without, the boost's with it.
    mine = {f"together-{number}", f"apart-{number}"}
    assert [i for i in off.ids if i in mine] == [f"apart-{number}", f"together-{number}"], off.ids
    assert [i for i in on.ids if i in mine] == [f"together-{number}", f"apart-{number}"], on.ids
    assert sorted(off.ids) == sorted(on.ids), "the boost adds no match and takes none away"
    assert "NEAR 2" in on.summary["parsed"] and "NEAR" not in off.summary["parsed"]


def test_words_in_another_order_count_unless_typed_order_is_asked(revsearch, pairs_db):
    either = revsearch.json(pairs_db, "--proximity", "weight=0.5,window=2", "cake coffee")
    typed = revsearch.json(pairs_db, "--proximity", "weight=0.5,window=2,order=typed", "cake coffee")
    assert either.ids[0] == "together-0", either.ids
    assert typed.ids.index("apart-0") < typed.ids.index("together-0"), typed.ids


def test_a_phrase_is_left_as_it_is(revsearch, pairs_db):
    result = revsearch.json(pairs_db, *ON, '"coffee cake"')
    assert result.ids == ["together-0"] and "NEAR" not in result.summary["parsed"]


@pytest.mark.parametrize("spec, message", [("weight=-1", "weight must be between 0 and 10"),
                                           ("window=1", "window takes a whole number of positions from 2 to 50"),
                                           ("near=3", "unknown setting \"near\"")])
def test_a_bad_setting_is_one_line_and_exit_2(revsearch, pairs_db, spec, message):
    proc = revsearch("--db", pairs_db, "--proximity", spec, "coffee cake")
    assert proc.returncode == 2 and f"--proximity: {message}" in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def indexes(new_index, corpus):
    files = [corpus(name) for name in FILES]
    return new_index(*files), new_index(*files, shards=3)


@pytest.mark.parametrize("query", [["great coffee"], ["mads mikkelsen heroin"], ON + ["good book story"],
                                   ["--proximity", "weight=2,window=8,order=typed", "dark chocolate flavor"],
                                   ["--proximity", "weight=1,window=4", "--expand", "strong coffee"],
                                   ["--proximity", "weight=1,window=3", "--match", "all", "great book"]],
                         ids=lambda query: " ".join(query))
def test_shards_rank_as_one_index(revsearch, indexes, query):
    one = revsearch.json(indexes[0], "--limit", "50", *query)
    three = revsearch.json(indexes[1], "--limit", "50", *query)
    assert one.code == three.code == 0
    a, b = scored_texts(one), scored_texts(three)
    assert same_ranking(a, b), f"{a[:2]} against {b[:2]}"
    assert one.summary["parsed"] == three.summary["parsed"]
