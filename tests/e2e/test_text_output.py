"""End-to-end: text that fits (issue 16, point 7).

Checks: with --width N every line of a search's text output fits in N columns (East Asian wide characters count
two) and wrapping loses and splits no word (the lines of a block, rejoined, give the unwrapped text); a long item
title is shortened with "…" while --json keeps it whole; in a pipe nothing wraps (as --width 0); each hit shows
its id and source path:line; --show ID prints the review whole (every paragraph of its body), --json --show one
{"type":"review"} line; a missing id exits 1 naming it; --full prints whole bodies; bad --width or --show with a
query exit 2 with one line. A review's control characters (ESC, BEL, the C1 controls) never reach the terminal: the
text output shows them (a C1 control as its Windows-1252 character), --json keeps them, escaped (C1 and DEL too).
"""

import json
import re
import unicodedata

import pytest


def columns(line):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def blocks(text):
    """Hit blocks (blank-line separated) without the trailing count line."""
    parts = [block for block in text.split("\n\n") if block.strip()]
    return [block for block in parts if not re.match(r"^(about )?\d+ match", block.strip())]


def rejoined(block):
    # ICU may break after a hyphen or a slash (a path): rejoined without the space the break became.
    return re.sub(r"([-/]) ", r"\1", re.sub(r"\s+", " ", " ".join(line.strip() for line in block.splitlines())))


@pytest.fixture(scope="module")
def db(new_index, corpora_dir):
    return new_index(corpora_dir)


def json_hits(revsearch, db, *args):
    return revsearch.json(db, *args).hits


@pytest.mark.parametrize("query", ["coffee taste", "heroin toilet", "gangster"])
def test_text_wraps_to_the_width_and_loses_no_word(revsearch, db, query):
    narrow = revsearch("--db", db, "-n5", "--width", "50", query)
    wide = revsearch("--db", db, "-n5", "--width", "0", query)
    piped = revsearch("--db", db, "-n5", query)
    assert narrow.returncode == 0 and wide.returncode == 0
    # The last line holds the time of the search.
    assert piped.stdout.splitlines()[:-1] == wide.stdout.splitlines()[:-1], "nothing wraps in a pipe"
    too_wide = [line for line in narrow.stdout.splitlines() if columns(line) > 50]
    assert not too_wide, f"every line fits in 50 columns: {too_wide[:2]}"
    narrow_blocks = blocks(narrow.stdout)
    hits = json_hits(revsearch, db, "-n5", query)
    assert len(narrow_blocks) == len(hits) >= 3, f"one block a hit: {len(narrow_blocks)} {len(hits)}"
    for block, hit in zip(narrow_blocks, hits):
        text = rejoined(block)
        for part in [hit["review"]["headline"] or "(no headline)", hit["snippet"],
                     hit["id"] + " · " + hit["review"]["source"]]:
            assert rejoined(part) in text, f"wrapping loses no word of {part[:50]!r}:\n{block}"


def test_each_hit_shows_its_id_and_source_and_a_long_title_is_shortened(revsearch, db):
    hits = json_hits(revsearch, db, "-n20", "coffee")
    text = revsearch("--db", db, "-n20", "--width", "60", "coffee").stdout
    for hit in hits:
        source = hit["review"]["source"]
        assert hit["id"] in text, f"hit {hit['id']} shows its id"
        assert rejoined(source) in rejoined(text), f"hit {hit['id']} shows its source {source}"
    long_items = [hit["review"]["item"] for hit in hits
                  if hit["review"].get("item") and columns(hit["review"]["item"]) > 60]
    for item in long_items:
        assert item not in text and item.split()[0] in text, f"a long item title is shortened: {item[:40]}"


@pytest.fixture(scope="module")
def page_hit(revsearch, db):
    return json_hits(revsearch, db, "-n1", "heroin toilet")[0]


def test_show_prints_the_whole_review_wrapped(revsearch, db, page_hit):
    shown = revsearch("--db", db, "--width", "70", "--show", page_hit["id"])
    assert shown.returncode == 0, shown.stderr
    for paragraph in page_hit["review"]["body"].split("\n"):
        if paragraph.strip():
            assert rejoined(paragraph) in rejoined(shown.stdout), f"--show prints the paragraph {paragraph[:40]!r}"
    assert all(columns(line) <= 70 for line in shown.stdout.splitlines()), "--show wraps to --width"


def test_json_show_is_one_review_line(revsearch, db, page_hit):
    lines = revsearch("--db", db, "--json", "--show", page_hit["id"]).stdout.splitlines()
    assert len(lines) == 1 and json.loads(lines[0]) == {"type": "review", "data": {"id": page_hit["id"],
                                                                                  "review": page_hit["review"]}}, \
        lines[:1]


def test_show_of_a_missing_id_exits_1_naming_it_and_prints_the_others(revsearch, db, page_hit):
    missing = revsearch("--db", db, "--show", page_hit["id"], "--show", "no-such-id")
    assert missing.returncode == 1 and "no-such-id" in missing.stderr and page_hit["id"] in missing.stdout, \
        f"{missing.returncode} {missing.stderr}"


def test_full_prints_the_whole_body(revsearch, db, page_hit):
    full = revsearch("--db", db, "--full", "--width", "0", "-n1", "heroin toilet")
    assert " ".join(page_hit["review"]["body"].split()[-3:]) in rejoined(full.stdout)


@pytest.mark.parametrize("args", [["--width", "-1", "x"], ["--show", "a", "x"]],
                         ids=["negative-width", "show-with-a-query"])
def test_bad_width_or_show_with_a_query_exits_2_with_one_line(revsearch, db, args):
    proc = revsearch("--db", db, *args)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_control_characters_of_a_review_are_shown_not_sent_to_the_terminal(revindex, revsearch, tmp_path):
    # A scraped review may carry terminal commands (ESC sequences that recolour, move the cursor or retitle the
    # window; U+009B, a one-character CSI) and aclImdb's Windows-1252 dashes and quotes read as C1 controls.
    review = {"id": "ctl1", "headline": "title \u001b]0;owned\u0007 here", "author": "evil\u001b[2J",
              "body": "a bitter \u0096 albeit resourceful showman, don\u0092t \u001b[31mred\u001b[0m \u009b2J end",
              "rating": 7, "rating_max": 10}
    batch = tmp_path / "controls.jsonl"
    batch.write_text(json.dumps(review) + "\n", encoding="utf-8")
    db = tmp_path / "db"
    assert revindex("add", "--db", db, batch).returncode == 0
    for args in [("showman",), ("--full", "showman"), ("--show", "ctl1")]:
        result = revsearch("--db", db, "--color", "always", *args)
        assert result.returncode == 0, result.stderr
        shown = result.stdout
        # Only our own colour codes: ESC followed by "[" and the digits and ";" of an SGR code, then "m".
        assert not re.search(r"\x1b(?!\[[0-9;]*m)", shown), f"{args}: an ESC of the review's own: {shown!r}"
        assert not re.search("[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f\x80-\x9f]", shown), f"{args}: {shown!r}"
        assert "bitter \u2013 albeit" in shown and "don\u2019t" in shown, f"{args}: Windows-1252 shown: {shown!r}"
        assert "\ufffd[31mred\ufffd[0m" in shown and "\u203a2J" in shown
    plain = revsearch("--db", db, "--color", "never", "showman").stdout
    assert "\x1b" not in plain
    data = revsearch.json(db, "showman").hits[0]["review"]
    assert data["body"] == review["body"] and data["author"] == review["author"], "--json keeps the text as stored"
    for args in [("--json", "showman"), ("--json", "--show", "ctl1")]:
        raw = revsearch("--db", db, *args, text=False).stdout
        assert not re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", raw), f"{args}: escaped, not sent: {raw!r}"
        assert b"\\u009b2J" in raw and b"\\u001b[31m" in raw
