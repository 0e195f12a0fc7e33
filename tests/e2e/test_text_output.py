#!/usr/bin/env python3
"""End-to-end: text that fits (issue 16, point 7).

Checks: with --width N every line of a search's text output fits in N columns (East Asian wide characters count
two) and wrapping loses and splits no word (the lines of a block, rejoined, give the unwrapped text); a long item
title is shortened with "…" while --json keeps it whole; in a pipe nothing wraps (as --width 0); each hit shows
its id and source path:line; --show ID prints the review whole (every paragraph of its body), --json --show one
{"type":"review"} line; a missing id exits 1 naming it; --full prints whole bodies; bad --width or --show with a
query exit 2 with one line.
"""

import json
import os
import re
import subprocess
import tempfile
import unicodedata

from e2e import CORPORA, REVINDEX, REVSEARCH, check, failures


def run(*args):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def columns(line):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def blocks(text):
    """Hit blocks (blank-line separated) without the trailing count line."""
    parts = [block for block in text.split("\n\n") if block.strip()]
    return [block for block in parts if not re.match(r"^(about )?\d+ match", block.strip())]


def rejoined(block):
    # ICU may break after a hyphen or a slash (a path): rejoined without the space the break became.
    return re.sub(r"([-/]) ", r"\1", re.sub(r"\s+", " ", " ".join(line.strip() for line in block.splitlines())))


with tempfile.TemporaryDirectory(prefix="revsearch-text-") as tmp:
    db = os.path.join(tmp, "index")
    check(run(REVINDEX, "add", "--db", db, "--quiet", CORPORA).returncode == 0, "index the bundled corpora")

    def json_hits(*args):
        out = run(REVSEARCH, "--db", db, "--json", *args).stdout.splitlines()
        return [json.loads(line)["data"] for line in out if json.loads(line)["type"] == "hit"]

    for query in ["coffee taste", "heroin toilet", "gangster"]:
        narrow = run(REVSEARCH, "--db", db, "-n5", "--width", "50", query)
        wide = run(REVSEARCH, "--db", db, "-n5", "--width", "0", query)
        piped = run(REVSEARCH, "--db", db, "-n5", query)
        check(narrow.returncode == 0 and wide.returncode == 0, f"{query}: exit 0")
        # The last line holds the time of the search.
        check(piped.stdout.splitlines()[:-1] == wide.stdout.splitlines()[:-1], f"{query}: nothing wraps in a pipe")
        too_wide = [line for line in narrow.stdout.splitlines() if columns(line) > 50]
        check(not too_wide, f"{query}: every line fits in 50 columns: {too_wide[:2]}")
        narrow_blocks = blocks(narrow.stdout)
        hits = json_hits("-n5", query)
        check(len(narrow_blocks) == len(hits) >= 3, f"{query}: one block a hit: {len(narrow_blocks)} {len(hits)}")
        for block, hit in zip(narrow_blocks, hits):
            text = rejoined(block)
            for part in [hit["review"]["headline"] or "(no headline)", hit["snippet"], hit["id"] + " · " + hit["review"]["source"]]:
                check(rejoined(part) in text, f"{query}: wrapping loses no word of {part[:50]!r}:\n{block}")

    # The id and source line, and a long item title shortened on a narrow terminal but whole in JSON.
    hits = json_hits("-n20", "coffee")
    text = run(REVSEARCH, "--db", db, "-n20", "--width", "60", "coffee").stdout
    for hit in hits:
        source = hit["review"]["source"]
        check(hit["id"] in text, f"hit {hit['id']} shows its id")
        check(rejoined(source) in rejoined(text), f"hit {hit['id']} shows its source {source}")
    long_items = [hit["review"]["item"] for hit in hits if hit["review"].get("item") and columns(hit["review"]["item"]) > 60]
    for item in long_items:
        check(item not in text and item.split()[0] in text, f"a long item title is shortened: {item[:40]}")

    # --show: the whole review by id, paragraphs as stored.
    page_hit = json_hits("-n1", "heroin toilet")[0]
    shown = run(REVSEARCH, "--db", db, "--width", "70", "--show", page_hit["id"])
    check(shown.returncode == 0, f"--show exit 0: {shown.stderr}")
    for paragraph in page_hit["review"]["body"].split("\n"):
        if paragraph.strip():
            check(rejoined(paragraph) in rejoined(shown.stdout), f"--show prints the paragraph {paragraph[:40]!r}")
    check(all(columns(line) <= 70 for line in shown.stdout.splitlines()), "--show wraps to --width")
    lines = run(REVSEARCH, "--db", db, "--json", "--show", page_hit["id"]).stdout.splitlines()
    check(len(lines) == 1 and json.loads(lines[0]) == {"type": "review", "data": {"id": page_hit["id"], "review": page_hit["review"]}},
          f"--json --show: one review line: {lines[:1]}")
    missing = run(REVSEARCH, "--db", db, "--show", page_hit["id"], "--show", "no-such-id")
    check(missing.returncode == 1 and "no-such-id" in missing.stderr and page_hit["id"] in missing.stdout,
          f"a missing id: exit 1, named, the others printed: {missing.returncode} {missing.stderr}")

    full = run(REVSEARCH, "--db", db, "--full", "--width", "0", "-n1", "heroin toilet")
    last_words = page_hit["review"]["body"].split()[-3:]
    check(" ".join(last_words) in rejoined(full.stdout), "--full prints the whole body")

    for args, what in [(["--width", "-1", "x"], "a negative width"), (["--show", "a", "x"], "--show with a query")]:
        proc = run(REVSEARCH, "--db", db, *args)
        check(proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1, f"{what}: exit 2, one line: {proc.stderr}")

if failures:
    raise SystemExit(1)
print("ok")
