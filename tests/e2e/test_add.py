"""End-to-end: `revindex add`, `delete` and `stats` on the real sample page and an All_Beauty slice with repeats.

Checks: the page indexed twice gives 25 documents and the second run skips the file; a copy with changed votes
updates in place; --strict refuses a batch with a bad record and commits nothing of it; the language is fixed by
the first add; delete by id and by source; stats --json; every index passes xapian-check.
"""

import json
import os
import re
import signal
import subprocess

import pytest

# 110 All_Beauty lines, 18 of which repeat an (asin, reviewerID) pair: 15 unchanged, 3 with new text or votes.
ALL_BEAUTY = "mcauley-all-beauty-5core-repeats-110.json"
SUMMARY = re.compile(r"^read (\d+), added (\d+), updated (\d+), unchanged (\d+), repeated (\d+), rejected (\d+), "
                     r"skipped files (\d+), unreadable files (\d+) in \d+\.\d\d s$")


@pytest.fixture(scope="module")
def run(revindex):
    """revindex ARGS: (exit code, stdout, stderr); a signal fails the test."""
    def run_revindex(*args, timeout=300):
        proc = revindex(*args, timeout=timeout)
        assert proc.returncode >= 0, f"revindex {args} was killed by {signal.Signals(-proc.returncode).name}"
        return proc.returncode, proc.stdout, proc.stderr
    return run_revindex


@pytest.fixture(scope="module")
def add(run):
    def run_add(db, *args):
        """Runs revindex add; returns (exit code, summary dict or None, stderr)."""
        code, _, err = run("add", "--db", db, *args)
        lines = err.strip().splitlines()
        match = SUMMARY.match(lines[-1]) if lines else None
        counts = None
        if match:
            keys = ["read", "added", "updated", "unchanged", "repeated", "rejected", "skipped", "unreadable"]
            counts = dict(zip(keys, map(int, match.groups())))
        return code, counts, err
    return run_add


def stored_review(xapian_delve, db, review_id):
    """The document data stored under Q<id>, via xapian-delve."""
    postings = subprocess.run([xapian_delve, "-1", "-t", "Q" + review_id, db], capture_output=True, text=True)
    docids = [line for line in postings.stdout.splitlines()[1:] if line.strip().isdigit()]
    if len(docids) != 1:
        return None
    data = subprocess.run([xapian_delve, "-r", docids[0].strip(), "-d", db], capture_output=True, text=True)
    lines = data.stdout.splitlines()
    return json.loads(lines[1]) if len(lines) > 1 else None


@pytest.fixture(scope="module")
def parsed(revindex):
    return lambda path: [json.loads(line) for line in revindex("parse", path, timeout=60).stdout.splitlines()]


def test_page_twice_then_changed_votes(revindex, revsearch, run, add, parsed, page, xapian_check, xapian_delve,
                                       tmp_path):
    tmp = str(tmp_path)
    db = os.path.join(tmp, "nested", "dirs", "page-db")  # parents are created
    code, counts, err = add(db, page)
    assert code == 0, f"first add exit {code}: {err}"
    assert counts == {"read": 25, "added": 25, "updated": 0, "unchanged": 0, "repeated": 0, "rejected": 0,
                      "skipped": 0, "unreadable": 0}, \
        f"first add summary: {counts}"
    code, counts, err = add(db, page)
    assert code == 0, f"second add exit {code}: {err}"
    assert counts is not None and counts["skipped"] == 1 and counts["added"] == 0 and counts["read"] == 0, \
        f"second add must skip the unchanged file: {counts}"
    info = revindex.stats(db)
    assert info.get("documents") == 25, f"25 documents after two adds, got {info.get('documents')}"
    assert info.get("batches") == 1, f"one batch in the ledger: {info.get('batches')}"

    # A re-scraped copy: one review got more votes. Same reviews, one updated in place.
    with open(page, encoding="utf-8") as f:
        text = f.read()
    assert "54 out of 62 found this helpful" in text, "sample page has the 54/62 review"
    rescraped = os.path.join(tmp, "pusher-ii-2004-rescraped.txt")
    with open(rescraped, "w", encoding="utf-8") as f:
        f.write(text.replace("54 out of 62 found this helpful", "61 out of 70 found this helpful"))
    code, counts, err = add(db, rescraped)
    assert code == 0, f"re-scraped add exit {code}: {err}"
    assert counts is not None and counts["updated"] == 1 and counts["unchanged"] == 24 and counts["added"] == 0, \
        f"re-scraped copy: 1 updated, 24 unchanged: {counts}"
    assert revindex.stats(db).get("documents") == 25, "still 25 documents after the re-scraped copy"
    changed = [r for r in parsed(rescraped) if r.get("helpful_total") == 70]
    assert len(changed) == 1, "parse finds the changed review"
    if changed:
        stored = stored_review(xapian_delve, db, changed[0]["id"])
        assert stored is not None and stored["helpful_yes"] == 61 and stored["helpful_total"] == 70, \
            f"new votes stored: {stored and (stored['helpful_yes'], stored['helpful_total'])}"
        # The update kept the stored document's terms and positions (docs/indexing.md, "Adding to a big index"):
        # a phrase of its body still finds it, with the new votes, and no other copy of it.
        words = re.search(r"\b([A-Za-z]{4,}) ([A-Za-z]{4,}) ([A-Za-z]{4,})\b", changed[0]["body"])
        assert words, "the changed review has three plain words in a row"
        search = revsearch.json(db, f'"{words.group(0)}"', "--no-collapse")
        found = [hit for hit in search.hits if hit["id"] == changed[0]["id"]]
        assert len(found) == 1 and found[0]["review"]["helpful_total"] == 70, \
            f"phrase search finds the updated review once, with its new votes: {search.hits}"

    # The language is fixed by the first add.
    code, _, err = add(db, "--language", "danish", page)
    assert code == 2 and "'english'" in err and "'danish'" in err, f"language mismatch exit 2: {code} {err}"
    code, _, err = add(db, "--language", "klingon", page)
    assert code == 2 and "english" in err, f"unknown language exit 2 listing languages: {code} {err}"
    xapian_check(db)

    # Delete by source: the re-scraped file's one updated review now belongs to it; by id: one more.
    code, _, err = run("delete", "--db", db, "--source", rescraped)
    assert code == 0 and "deleted 1" in err, f"delete --source: {code} {err}"
    assert revindex.stats(db).get("documents") == 24, "24 documents after deleting the re-scraped batch"
    some_id = parsed(page)[3]["id"]
    code, _, err = run("delete", "--db", db, "--id", some_id)
    assert code == 0 and "deleted 1" in err, f"delete --id: {code} {err}"
    code, _, err = run("delete", "--db", db, "--id", "0000000000000000")
    assert code == 1, f"deleting an unknown id exits 1: {code} {err}"
    info = revindex.stats(db)
    assert info.get("documents") == 23 and info.get("batches") == 1, f"after deletes: {info}"
    # The page's ledger entry still exists: adding it again skips. After delete --source it is read again.
    code, _, err = run("delete", "--db", db, "--source", page)
    assert code == 0 and "deleted 23" in err, f"delete --source page: {code} {err}"
    code, counts, err = add(db, page)
    assert counts is not None and counts["added"] == 25 and counts["skipped"] == 0, \
        f"a forgotten batch is read again: {counts} {err}"
    xapian_check(db)


def test_strict(revindex, add, parsed, page, xapian_check, tmp_path):
    tmp = str(tmp_path)
    db = os.path.join(tmp, "strict-db")
    batch = os.path.join(tmp, "with-bad-record.jsonl")
    good = parsed(page)[:3]
    with open(batch, "w", encoding="utf-8") as f:
        f.write(json.dumps(good[0]) + "\n")
        f.write('{"headline": "no body at all"}\n')
        f.write(json.dumps(good[1]) + "\n")
    code, counts, err = add(db, "--strict", batch)
    assert code == 1, f"--strict refusing a batch exits 1: {code} {err}"
    assert ":2:" in err and "refused" in err, f"--strict names the bad line and the refusal: {err}"
    assert counts is not None and counts["added"] == 0, f"nothing added under --strict: {counts}"
    assert not os.path.exists(db), "nothing committed under --strict: not even a new, empty index"
    code, counts, err = add(db, batch)
    assert code == 0 and counts is not None and counts["added"] == 2 and counts["rejected"] == 1, \
        f"without --strict the good records go in: {code} {counts} {err}"
    code, _, err = add(db, os.path.join(tmp, "does-not-exist.jsonl"))
    assert code == 2 and "does-not-exist" in err, f"a missing PATH exits 2: {code} {err}"
    xapian_check(db)


def test_all_beauty(revindex, run, add, corpus, xapian_check, tmp_path):
    tmp = str(tmp_path)
    ALL_BEAUTY_PATH = corpus(ALL_BEAUTY)
    # Expected: one document per distinct (asin, reviewerID), the McAuley review's natural key: 110 lines, 18 of
    # them repeat a pair (corpora/README.md), so 92 reviews; the full file gives 4,092 of 5,269 the same way.
    lines = 0
    distinct = set()
    with open(ALL_BEAUTY_PATH, encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            distinct.add((record["asin"], record["reviewerID"]))
            lines += 1
    db = os.path.join(tmp, "beauty-db")
    code, counts, err = add(db, ALL_BEAUTY_PATH)
    assert code == 0, f"All_Beauty add exit {code}: {err[-500:]}"
    info = revindex.stats(db)
    assert info.get("documents") == len(distinct) == 92, \
        f"All_Beauty: {info.get('documents')} documents, {len(distinct)} distinct keyed reviews"
    assert (counts is not None and counts["read"] + counts["rejected"] == lines == 110
            and counts["added"] == 92 and counts["repeated"] == 18 and counts["unchanged"] == counts["updated"] == 0
            and counts["added"] + counts["repeated"] == counts["read"]), \
        f"All_Beauty summary {counts}"
    for key in ["documents", "terms", "bytes", "batches", "language"]:
        assert key in info, f"stats --json has key {key}"
    # terms: distinct stems (body and headline), field stems and filter terms: 1,926 with schema version 3, whose
    # index holds no word as written
    assert (info.get("language") == "english" and info.get("batches") == 1 and info.get("terms", 0) > 1500
            and info.get("bytes", 0) > 300_000), f"stats values: {info}"
    sources = info.get("sources", [])
    assert (len(sources) == 1 and sources[0]["documents"] == 92
            and sources[0]["path"] == os.path.abspath(ALL_BEAUTY_PATH)), \
        f"per-source counts: {sources}"
    code, out, err = run("stats", "--db", db)
    assert code == 0 and "documents    92\n" in out, f"stats text: {out}"
    code, _, err = run("stats", "--db", os.path.join(tmp, "no-such-db"))
    assert code == 2 and "no index" in err, f"stats of a missing index exits 2: {code} {err}"
    xapian_check(db)
