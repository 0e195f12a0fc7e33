#!/usr/bin/env python3
"""End-to-end test of revsearch: index the bundled IMDb page with `revindex add`, then search it.

Env: REVINDEX, REVSEARCH (binaries), REVSEARCH_SOURCE_DIR (repo). The expectations come from the page itself
(`revindex parse` gives the canonical records), so filters are checked against an independent oracle.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

from e2e import REVINDEX, REVSEARCH, SOURCE, check, failures

PAGE = os.path.join(SOURCE, "corpora", "pusher-ii-2004.txt")


def run(*args, env=None):
    full_env = dict(os.environ)
    full_env.pop("NO_COLOR", None)
    full_env.update(env or {})
    return subprocess.run(list(args), capture_output=True, text=True, timeout=60, env=full_env)


def search_json(db, *args):
    result = run(REVSEARCH, "--db", db, "--json", "--limit", "100", *args)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    hits = [line["data"] for line in lines if line["type"] == "hit"]
    summaries = [line["data"] for line in lines if line["type"] == "summary"]
    check(len(summaries) == 1 and lines[-1]["type"] == "summary", f"{args}: one summary line, last")
    return result.returncode, hits, summaries[0] if summaries else {}


def authors(hits):
    return [hit["review"]["author"] for hit in hits]


def rating10(record):
    if record["rating"] is None or not record["rating_max"]:
        return None
    return record["rating"] * 10 / record["rating_max"]


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")


def split_queries(queries, tmp):
    """One file per line of the batch file `queries`."""
    paths = []
    with open(queries, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            paths.append(os.path.join(tmp, f"query-{number}.tsv"))
            with open(paths[-1], "w", encoding="utf-8") as out:
                out.write(line)
    return paths


def check_collapse(tmp):
    """Two reviews of one body under two ids (a text listed under two product variants): shown and counted once by
    default, both with --no-collapse; the facets count what the hits show."""
    body = "A velvety dark roast with a smoky finish; the beans arrived fresh and the aroma filled the kitchen."
    variants = os.path.join(tmp, "variants.jsonl")
    write_jsonl(variants, [
        {"id": "variant-a", "item": "Roast (1 lb)", "item_id": "B000A", "author": "ann", "rating": 5, "rating_max": 5, "body": body},
        {"id": "variant-b", "item": "Roast (2 lb)", "item_id": "B000B", "author": "ann", "rating": 5, "rating_max": 5, "body": body},
        {"id": "other", "item": "Tea", "item_id": "B000C", "author": "bob", "rating": 2, "rating_max": 5,
         "body": "Weak tea with a smoky smell, nothing like the roast it claims to be."},
    ])
    db = os.path.join(tmp, "variants-index")
    added = run(REVINDEX, "add", "--db", db, variants)
    check(added.returncode == 0 and "added 3," in added.stderr, f"index the variants: {added.stderr}")
    for options, ids in (([], {"other", "variant-a"}), (["--no-collapse"], {"other", "variant-a", "variant-b"})):
        code, hits, summary = search_json(db, "--facets", *options, "smoky roast")
        label = " ".join(options) or "default"
        check(code == 0 and {hit["id"] for hit in hits} == ids, f"{label}: hits {[hit['id'] for hit in hits]}")
        check(summary.get("estimated") == len(ids) and summary.get("exact"), f"{label}: estimated {summary.get('estimated')}")
        rating = (summary.get("facets") or {}).get("rating", {})
        check(rating.get("10") == len(ids) - 1 and rating.get("4") == 1 and sum(rating.values()) == len(ids),
              f"{label}: facets count what is shown: {rating}")
    text = run(REVSEARCH, "--db", db, "--no-collapse", "velvety")
    check(text.returncode == 0 and "Roast (1 lb)" in text.stdout and "Roast (2 lb)" in text.stdout,
          f"--no-collapse in text: both listings: {text.stdout}")
    check("no-collapse" in run(REVSEARCH, "--help").stdout, "--help lists --no-collapse")


def check_item_fallback(tmp):
    """A review with no item title shows its item id where the title goes; one with neither shows neither, never
    "null". JSON keeps the stored record as it is (item null, item_id set)."""
    path = os.path.join(tmp, "untitled.jsonl")
    write_jsonl(path, [
        {"id": "untitled", "item": None, "item_id": "B00UNTITLED", "author": "cho", "date": "2012-05-01",
         "body": "The grinder jammed twice in the first week and the burrs rattle loudly."},
        {"id": "anonymous", "item": None, "item_id": None, "author": "dee", "date": "2013-06-02",
         "body": "The kettle whistles loudly but boils water fast."},
    ])
    db = os.path.join(tmp, "untitled-index")
    check(run(REVINDEX, "add", "--db", db, path).returncode == 0, "index the untitled reviews")
    text = run(REVSEARCH, "--db", db, "--color", "never", "grinder")
    check(text.returncode == 0 and "     B00UNTITLED · cho · 2012-05-01" in text.stdout,
          f"item id in place of the missing title: {text.stdout!r}")
    text = run(REVSEARCH, "--db", db, "--color", "never", "kettle")
    check(text.returncode == 0 and "     dee · 2013-06-02" in text.stdout and "null" not in text.stdout,
          f"neither title nor id: nothing shown for them: {text.stdout!r}")
    _, hits, _ = search_json(db, "grinder")
    check(hits and hits[0]["review"]["item"] is None and hits[0]["review"]["item_id"] == "B00UNTITLED",
          "JSON: the stored record, item null and item_id set")


def main():
    with tempfile.TemporaryDirectory(prefix="revsearch-e2e-") as tmp:
        db = os.path.join(tmp, "index")
        added = run(REVINDEX, "add", "--db", db, PAGE)
        if added.returncode != 0:
            print(f"revindex add failed ({added.returncode}): {added.stderr}", file=sys.stderr)
            return 1
        parsed = run(REVINDEX, "parse", PAGE)
        records = [json.loads(line) for line in parsed.stdout.splitlines() if line.strip()]
        check(len(records) == 25, f"revindex parse read {len(records)} reviews, expected 25")

        code, hits, summary = search_json(db, "heroin toilet")
        check(code == 0, "heroin toilet: exit 0")
        check(hits and hits[0]["review"]["author"] == "UlrikSander", f"heroin toilet: UlrikSander first, got {authors(hits)[:3]}")
        for hit in hits:
            parts = hit["parts"]
            check(abs(parts["bm25"] + parts["helpful"] + parts["rating"] - hit["score"]) < 1e-9, "parts add up")
        check(summary.get("query") == "heroin toilet" and "estimated" in summary and "ms" in summary, "summary keys")

        code, hits, _ = search_json(db, '"once were warriors"')
        check(authors(hits) == ["gotchast"], f"phrase finds gotchast only, got {authors(hits)}")

        code, hits, _ = search_json(db, "rating:9..10")
        expected = {r["id"] for r in records if rating10(r) is not None and 9 <= rating10(r) <= 10}
        check(expected and {hit["id"] for hit in hits} == expected, "rating:9..10 matches exactly the 9 and 10 ratings")

        code, hits, _ = search_json(db, "--no-spoilers")
        expected = {r["id"] for r in records if not r["spoiler"]}
        check(0 < len(expected) < len(records), "the page has spoilers and non-spoilers")
        check({hit["id"] for hit in hits} == expected, "--no-spoilers keeps exactly the reviews without spoilers")

        for query in ("Sorensen", "Sørensen"):
            code, hits, _ = search_json(db, query)
            check(set(authors(hits)) == {"UlrikSander", "nesfilmreviews"}, f"{query} finds both spellings")
        code, hits, _ = search_json(db, "Drasbaek")
        check(authors(hits) == ["lastliberal"], f"Drasbaek finds Drasbæk, got {authors(hits)}")
        check(any("Drasbæk" in hit["snippet"] for hit in hits), "the snippet shows the original spelling")

        code, hits, summary = search_json(db, "Mikkelson")
        check(summary.get("suggestion") == "mikkelsen", f"Mikkelson suggests mikkelsen, got {summary.get('suggestion')}")
        text = run(REVSEARCH, "--db", db, "Mikkelson")
        check("Did you mean: mikkelsen" in text.stdout, "the text output shows the hint")

        # Text for a pipe: no colour; --color always forces it; NO_COLOR does not override always.
        text = run(REVSEARCH, "--db", db, "Sorensen")
        check(text.returncode == 0 and "Sørensen" in text.stdout and "\x1b[" not in text.stdout, "plain text in a pipe")
        check("helpful 54/62" in text.stdout, "helpful votes shown")
        coloured = run(REVSEARCH, "--db", db, "--color", "always", "Sorensen", env={"NO_COLOR": "1"})
        check("\x1b[1;33mSørensen\x1b[0m" in coloured.stdout, "--color always highlights Sørensen")
        explained = run(REVSEARCH, "--db", db, "--explain", "--facets", "heroin toilet")
        check("parsed: " in explained.stdout and "= bm25 " in explained.stdout, "--explain shows the parts")
        check("rating, of 10" in explained.stdout, "--facets shows the histogram of the page's scale")
        code, _, summary = search_json(db, "--facets", "pusher")
        facets = (summary.get("facets") or {}).get("rating", {})
        check(sum(facets.values()) == summary.get("estimated"), "facet counts add up to the matches")

        # Exit codes, grep's way.
        check(run(REVSEARCH, "--db", db, "casablanca").returncode == 1, "no match: exit 1")
        missing = run(REVSEARCH, "--db", os.path.join(tmp, "nothing-here"), "heroin")
        check(missing.returncode == 2 and "no index at" in missing.stderr and "revindex add" in missing.stderr,
              f"no index: exit 2 with a hint, got {missing.returncode} {missing.stderr!r}")
        for bad in (["--sort", "sideways", "x"], ["--bm25", "k1=fast", "x"], ["--no-such-option"], ["--since", "soon", "x"], []):
            result = run(REVSEARCH, "--db", db, *bad)
            check(result.returncode == 2 and result.stderr.startswith("revsearch: "), f"{bad}: exit 2 with a message")
        broken = os.path.join(tmp, "broken-index")
        os.makedirs(broken)
        with open(os.path.join(broken, "iamglass"), "wb") as out:
            out.write(b"not a database")
        unreadable = run(REVSEARCH, "--db", broken, "heroin")
        check(unreadable.returncode == 2 and "cannot read the index" in unreadable.stderr,
              f"unreadable index: exit 2, got {unreadable.returncode} {unreadable.stderr!r}")
        check(run(REVSEARCH, "--db", db, "heroin AND").returncode == 0, "a bad query still searches")
        env_db = run(REVSEARCH, "heroin", env={"REVSEARCH_DB": db})
        check(env_db.returncode == 0, "$REVSEARCH_DB names the index")

        check_collapse(tmp)
        check_item_fallback(tmp)

        # Batch mode: a TREC run.
        queries = os.path.join(tmp, "queries.tsv")
        with open(queries, "w", encoding="utf-8") as out:
            out.write("q1\theroin toilet\n")
            out.write(json.dumps({"_id": "q2", "text": "once were warriors"}) + "\n")
        batch = run(REVSEARCH, "--db", db, "--queries", queries, "--run-tag", "e2e", "--limit", "5")
        rows = [line.split() for line in batch.stdout.splitlines()]
        check(batch.returncode == 0 and rows and all(len(row) == 6 and row[1] == "Q0" and row[5] == "e2e" for row in rows),
              "TREC run lines")
        ulrik = next(r["id"] for r in records if r["author"] == "UlrikSander")
        check(rows and rows[0][0] == "q1" and rows[0][2] == ulrik and rows[0][3] == "1", "q1's first hit is UlrikSander's id")
        check(len([row for row in rows if row[0] == "q1"]) <= 5, "--limit bounds each query")
        # stderr ends with the timing summary; stdout is the TREC run alone, the same with --quiet (no summary).
        summary = re.fullmatch(r"revsearch: 2 queries in \d+\.\d\d s; per query p50 (\d+\.\d) ms, "
                               r"p95 (\d+\.\d) ms, max (\d+\.\d) ms\n", batch.stderr)
        check(summary and float(summary[1]) <= float(summary[2]) <= float(summary[3]),
              f"batch: timing summary on stderr: {batch.stderr!r}")
        quiet = run(REVSEARCH, "--db", db, "--queries", queries, "--run-tag", "e2e", "--limit", "5", "--quiet")
        check(quiet.returncode == 0 and quiet.stdout == batch.stdout and quiet.stderr == "",
              f"batch --quiet: the same run, nothing on stderr: {quiet.stderr!r}")
        singles = "".join(run(REVSEARCH, "--db", db, "--queries", one_query, "--run-tag", "e2e", "--limit", "5").stdout
                          for one_query in split_queries(queries, tmp))
        check(singles == batch.stdout, "batch: stdout is each query's run, one after the other")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    print("test_search: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
