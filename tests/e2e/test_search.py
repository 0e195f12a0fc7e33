"""End-to-end test of revsearch: index the bundled IMDb page with `revindex add`, then search it, over one database
and over three shards alike (conftest.py: shards).

The expectations come from the page itself (`revindex parse` gives the canonical records), so filters are checked
against an independent oracle.
"""
import json
import re

import pytest


@pytest.fixture(scope="module")
def db(new_index, page, shards):
    return new_index(page, shards=shards)


@pytest.fixture(scope="module")
def records(revindex, page):
    parsed = revindex("parse", page)
    return [json.loads(line) for line in parsed.stdout.splitlines() if line.strip()]


def search(revsearch, db, *args, **kwargs):
    """A --json search of up to 100 hits; its output must end with its one summary line."""
    result = revsearch.json(db, "--limit", "100", *args, **kwargs)
    assert len(result.summaries) == 1 and result.lines[-1]["type"] == "summary", f"{args}: one summary line, last"
    return result


def authors(result):
    return [hit["review"]["author"] for hit in result.hits]


def rating10(record):
    if record["rating"] is None or not record["rating_max"]:
        return None
    return record["rating"] * 10 / record["rating_max"]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def test_parse_reads_the_25_reviews_of_the_page(records):
    assert len(records) == 25


def test_best_match_first(revsearch, db):
    result = search(revsearch, db, "heroin toilet")
    assert result.code == 0
    assert result.hits and authors(result)[0] == "UlrikSander", authors(result)[:3]


def test_score_parts_add_up_to_the_score(revsearch, db):
    for extra in ([], ["--proximity", "weight=0.5,window=4", "--expand"]):
        result = search(revsearch, db, "heroin toilet", *extra)
        assert result.hits, extra
        for hit in result.hits:
            parts = hit["parts"]
            assert set(parts) == {"bm25", "proximity", "expansion", "helpful", "rating"}
            assert abs(sum(parts.values()) - hit["score"]) < 1e-9, (extra, parts, hit["score"])
            if not extra:
                assert parts["proximity"] == 0 and parts["expansion"] == 0, parts
        if extra:
            assert any(hit["parts"]["expansion"] > 0 for hit in result.hits), "the expansion terms are a part"
            explained = revsearch("--db", db, "heroin toilet", "--explain", *extra)
            assert "+ proximity " in explained.stdout and "+ expansion " in explained.stdout, explained.stdout


def test_summary_keys(revsearch, db):
    summary = search(revsearch, db, "heroin toilet").summary
    assert summary.get("query") == "heroin toilet" and "estimated" in summary and "ms" in summary


def test_phrase(revsearch, db):
    assert authors(search(revsearch, db, '"once were warriors"')) == ["gotchast"]


def test_rating_range_matches_exactly_the_ratings_in_it(revsearch, db, records):
    expected = {r["id"] for r in records if rating10(r) is not None and 9 <= rating10(r) <= 10}
    assert expected and set(search(revsearch, db, "rating:9..10").ids) == expected


def test_no_spoilers_keeps_exactly_the_reviews_without_spoilers(revsearch, db, records):
    expected = {r["id"] for r in records if not r["spoiler"]}
    assert 0 < len(expected) < len(records), "the page has spoilers and non-spoilers"
    assert set(search(revsearch, db, "--no-spoilers").ids) == expected


@pytest.mark.parametrize("query", ["Sorensen", "Sørensen"])
def test_folded_spelling_finds_both_spellings(revsearch, db, query):
    assert set(authors(search(revsearch, db, query))) == {"UlrikSander", "nesfilmreviews"}


def test_ascii_query_finds_the_diacritic_spelling(revsearch, db):
    result = search(revsearch, db, "Drasbaek")
    assert authors(result) == ["lastliberal"], "Drasbaek finds Drasbæk"
    assert any("Drasbæk" in hit["snippet"] for hit in result.hits), "the snippet shows the original spelling"


def test_did_you_mean(revsearch, db):
    assert search(revsearch, db, "Mikkelson").summary.get("suggestion") == "mikkelsen"
    assert "Did you mean: mikkelsen" in revsearch("--db", db, "Mikkelson").stdout, "the text output shows the hint"


def test_plain_text_in_a_pipe(revsearch, db):
    text = revsearch("--db", db, "Sorensen")
    assert text.returncode == 0 and "Sørensen" in text.stdout and "\x1b[" not in text.stdout
    assert "helpful 54/62" in text.stdout, "helpful votes shown"


def test_color_always_highlights_even_with_no_color(revsearch, db):
    coloured = revsearch("--db", db, "--color", "always", "Sorensen", env={"NO_COLOR": "1"})
    assert "\x1b[1;33mSørensen\x1b[0m" in coloured.stdout


def test_explain_and_facets_in_text(revsearch, db):
    explained = revsearch("--db", db, "--explain", "--facets", "heroin toilet")
    assert "parsed: " in explained.stdout and "= bm25 " in explained.stdout, "--explain shows the parts"
    assert "rating, of 10" in explained.stdout, "--facets shows the histogram of the page's scale"


def test_facet_counts_add_up_to_the_matches(revsearch, db):
    summary = search(revsearch, db, "--facets", "pusher").summary
    facets = (summary.get("facets") or {}).get("rating", {})
    assert sum(facets.values()) == summary.get("estimated")


# --- exit codes, grep's way ---

def test_no_match_exits_1(revsearch, db):
    assert revsearch("--db", db, "casablanca").returncode == 1


def test_no_index_exits_2_with_a_hint(revsearch, tmp_path):
    missing = revsearch("--db", tmp_path / "nothing-here", "heroin")
    assert missing.returncode == 2 and "no index at" in missing.stderr and "revindex add" in missing.stderr, \
        f"{missing.returncode} {missing.stderr!r}"


@pytest.mark.parametrize("bad", [["--sort", "sideways", "x"], ["--bm25", "k1=fast", "x"], ["--no-such-option"],
                                 ["--since", "soon", "x"], []],
                         ids=["bad-sort", "bad-bm25", "unknown-option", "bad-since", "no-arguments"])
def test_usage_error_exits_2_with_a_message(revsearch, db, bad):
    result = revsearch("--db", db, *bad)
    assert result.returncode == 2 and result.stderr.startswith("revsearch: "), result.stderr


def test_unreadable_index_exits_2(revsearch, tmp_path):
    broken = tmp_path / "broken-index"
    broken.mkdir()
    (broken / "iamglass").write_bytes(b"not a database")
    unreadable = revsearch("--db", broken, "heroin")
    assert unreadable.returncode == 2 and "cannot read the index" in unreadable.stderr, \
        f"{unreadable.returncode} {unreadable.stderr!r}"


def test_a_bad_query_still_searches(revsearch, db):
    assert revsearch("--db", db, "heroin AND").returncode == 0


def test_revsearch_db_names_the_index(revsearch, db):
    assert revsearch("heroin", env={"REVSEARCH_DB": db}).returncode == 0


# --- collapsing copies of one text ---

@pytest.fixture(scope="module")
def variants_db(new_index, tmp_path_factory, shards):
    """Two reviews of one body under two ids (a text listed under two product variants), and another."""
    body = "A velvety dark roast with a smoky finish; the beans arrived fresh and the aroma filled the kitchen."
    variants = tmp_path_factory.mktemp("variants") / "variants.jsonl"
    write_jsonl(variants, [
        {"id": "variant-a", "item": "Roast (1 lb)", "item_id": "B000A", "author": "ann", "rating": 5,
         "rating_max": 5, "body": body},
        {"id": "variant-b", "item": "Roast (2 lb)", "item_id": "B000B", "author": "ann", "rating": 5,
         "rating_max": 5, "body": body},
        {"id": "other", "item": "Tea", "item_id": "B000C", "author": "bob", "rating": 2, "rating_max": 5,
         "body": "Weak tea with a smoky smell, nothing like the roast it claims to be."},
    ])
    return new_index(variants, shards=shards)


def test_variants_are_indexed(revindex, variants_db):
    assert revindex.documents(variants_db) == 3


@pytest.mark.parametrize("options, ids", [([], {"other", "variant-a"}),
                                          (["--no-collapse"], {"other", "variant-a", "variant-b"})],
                         ids=["default", "no-collapse"])
def test_one_text_is_shown_and_counted_once_unless_no_collapse(revsearch, variants_db, options, ids):
    result = search(revsearch, variants_db, "--facets", *options, "smoky roast")
    assert result.code == 0 and set(result.ids) == ids, result.ids
    assert result.summary.get("estimated") == len(ids) and result.summary.get("exact"), result.summary
    rating = (result.summary.get("facets") or {}).get("rating", {})
    assert rating.get("10") == len(ids) - 1 and rating.get("4") == 1 and sum(rating.values()) == len(ids), \
        f"facets count what is shown: {rating}"


def test_no_collapse_in_text_shows_both_listings(revsearch, variants_db):
    text = revsearch("--db", variants_db, "--no-collapse", "velvety")
    assert text.returncode == 0 and "Roast (1 lb)" in text.stdout and "Roast (2 lb)" in text.stdout, text.stdout


def test_help_lists_no_collapse(revsearch):
    assert "no-collapse" in revsearch("--help").stdout


# --- a review without an item title ---

@pytest.fixture(scope="module")
def untitled_db(new_index, tmp_path_factory, shards):
    path = tmp_path_factory.mktemp("untitled") / "untitled.jsonl"
    write_jsonl(path, [
        {"id": "untitled", "item": None, "item_id": "B00UNTITLED", "author": "cho", "date": "2012-05-01",
         "body": "The grinder jammed twice in the first week and the burrs rattle loudly."},
        {"id": "anonymous", "item": None, "item_id": None, "author": "dee", "date": "2013-06-02",
         "body": "The kettle whistles loudly but boils water fast."},
    ])
    return new_index(path, shards=shards)


def test_item_id_in_place_of_a_missing_title(revsearch, untitled_db):
    text = revsearch("--db", untitled_db, "--color", "never", "grinder")
    assert text.returncode == 0 and "     B00UNTITLED · cho · 2012-05-01" in text.stdout, repr(text.stdout)


def test_neither_title_nor_id_shows_nothing_for_them(revsearch, untitled_db):
    text = revsearch("--db", untitled_db, "--color", "never", "kettle")
    assert text.returncode == 0 and "     dee · 2013-06-02" in text.stdout and "null" not in text.stdout, \
        repr(text.stdout)


def test_json_keeps_the_stored_record(revsearch, untitled_db):
    hits = search(revsearch, untitled_db, "grinder").hits
    assert hits and hits[0]["review"]["item"] is None and hits[0]["review"]["item_id"] == "B00UNTITLED"


# --- batch mode: a TREC run ---

@pytest.fixture(scope="module")
def queries(tmp_path_factory):
    path = tmp_path_factory.mktemp("queries") / "queries.tsv"
    with open(path, "w", encoding="utf-8") as out:
        out.write("q1\theroin toilet\n")
        out.write(json.dumps({"_id": "q2", "text": "once were warriors"}) + "\n")
    return path


@pytest.fixture(scope="module")
def batch(revsearch, db, queries):
    return revsearch("--db", db, "--queries", queries, "--run-tag", "e2e", "--limit", "5")


def rows_of(batch):
    return [line.split() for line in batch.stdout.splitlines()]


def test_batch_writes_trec_run_lines(batch):
    rows = rows_of(batch)
    assert batch.returncode == 0 and rows and all(len(row) == 6 and row[1] == "Q0" and row[5] == "e2e"
                                                  for row in rows)


def test_batch_first_hit(batch, records):
    rows = rows_of(batch)
    ulrik = next(r["id"] for r in records if r["author"] == "UlrikSander")
    assert rows and rows[0][0] == "q1" and rows[0][2] == ulrik and rows[0][3] == "1", "q1's first hit is UlrikSander's"


def test_batch_limit_bounds_each_query(batch):
    assert len([row for row in rows_of(batch) if row[0] == "q1"]) <= 5


def test_batch_timing_summary_on_stderr(batch):
    summary = re.fullmatch(r"revsearch: 2 queries in \d+\.\d\d s; per query p50 (\d+\.\d) ms, "
                           r"p95 (\d+\.\d) ms, max (\d+\.\d) ms; CPU p50 (\d+\.\d{3}) ms, p99 (\d+\.\d{3}) ms\n",
                           batch.stderr)
    assert summary and float(summary[1]) <= float(summary[2]) <= float(summary[3]), repr(batch.stderr)
    assert float(summary[4]) <= float(summary[5]), repr(batch.stderr)


def test_batch_quiet_is_the_same_run_without_summary(revsearch, db, queries, batch):
    quiet = revsearch("--db", db, "--queries", queries, "--run-tag", "e2e", "--limit", "5", "--quiet")
    assert quiet.returncode == 0 and quiet.stdout == batch.stdout and quiet.stderr == "", repr(quiet.stderr)


def test_batch_stdout_is_each_querys_run_one_after_the_other(revsearch, db, queries, batch, tmp_path):
    singles = ""
    with open(queries, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            one_query = tmp_path / f"query-{number}.tsv"
            one_query.write_text(line, encoding="utf-8")
            singles += revsearch("--db", db, "--queries", one_query, "--run-tag", "e2e", "--limit", "5").stdout
    assert singles == batch.stdout


def test_hyphenated_words_match_their_parts(revsearch, db):
    # `heroin-toilet` is no phrase of the page: its parts are searched as words, each by its stem.
    assert authors(search(revsearch, db, "heroin-toilet"))[:1] == ["UlrikSander"]
    assert "heroin@1 OR toilet@2" in search(revsearch, db, "heroin-toilet").summary["parsed"]


def test_plain_reads_operators_and_fields_as_words(revsearch, db):
    assert "UlrikSander" not in authors(search(revsearch, db, "heroin NOT toilet"))
    plain = search(revsearch, db, "--plain", "heroin NOT toilet")
    assert plain.code == 0 and authors(plain)[:1] == ["UlrikSander"]
    refused = revsearch("--db", db, "bad are:heroin")
    assert refused.returncode == 2 and "unknown field" in refused.stderr
    assert search(revsearch, db, "--plain", "bad are:heroin").code == 0
