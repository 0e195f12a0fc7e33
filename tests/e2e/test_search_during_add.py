"""End-to-end: several revsearch processes search in a loop while `revindex add` commits batch after batch.

The bundled corpora, as canonical JSON lines, are cut into batch files. A reference index built batch by batch
gives the exact match count of the query after each commit. Then, on a fresh index, one process adds the
batches one `revindex add` at a time while SEARCHERS threads each run revsearch processes in a loop. Every
answer must exit 0 with an empty stderr and an exact count (--facets) that is one of the reference counts: a
whole number of batches, never part of one; and each searcher's counts never go down (a later search never sees
an older revision than an earlier one did). Beside them, `revsearch --queries` runs the query 200 times in one
process (one long-lived Searcher that reopens for each query), with the same checks on each query's hits. Prints the searches run, the commits they saw and the longest search.
"""

import os
import statistics
import subprocess
import threading
import time


CORPORA = os.path.join(os.environ.get("REVSEARCH_SOURCE_DIR") or
                       os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "corpora")
SOURCES = ["pusher-ii-2004.txt", "blitzer-books-positive-100.review", "mcauley-all-beauty-5core-300.json",
           "fine-food-reviews-300.csv"]
QUERY = "good"
BATCHES = 16
SEARCHERS = 3
MIN_SEARCHES = 150
# A safety bound, not a timing assertion: searching goes on until MIN_SEARCHES, however slow a shared machine is.
SAFETY_SECONDS = 400


def write_batches(revindex, work):
    """The corpora read once (revindex parse) and dealt round-robin into BATCHES canonical JSONL files."""
    parsed = subprocess.run([revindex.path, "parse", *[os.path.join(CORPORA, name) for name in SOURCES]],
                            capture_output=True, text=True, check=True).stdout.splitlines()
    paths = [os.path.join(work, f"batch-{i:02d}.jsonl") for i in range(BATCHES)]
    for i, path in enumerate(paths):
        with open(path, "w", encoding="utf-8") as out:
            out.writelines(line + "\n" for line in parsed[i::BATCHES])
    return paths, len(parsed)


def add(revindex, db, batch):
    return subprocess.run([revindex.path, "add", "--quiet", "--lock-timeout", "30", "--db", db, batch],
                          capture_output=True, text=True, timeout=120)


def reference_counts(revindex, revsearch, work, batches):
    """The query's exact count after each batch is committed, batch by batch on a fresh index."""
    db = os.path.join(work, "reference")
    counts = []
    for batch in batches:
        assert add(revindex, db, batch).returncode == 0, f"reference add of {batch}"
        counts.append(revsearch.exact_match_count(db, QUERY)[1])
    return counts


def test_searches_see_whole_batches_while_adds_commit(revindex, revsearch, tmp_path):
    work = str(tmp_path)
    batches, reviews = write_batches(revindex, work)
    expected = reference_counts(revindex, revsearch, work, batches)
    print(f"{reviews} reviews in {BATCHES} batches; matches for '{QUERY}' after each commit: {expected}")
    assert len(set(expected)) >= BATCHES // 2, "the batches change the answer as they commit"

    db = os.path.join(work, "db")
    assert add(revindex, db, batches[0]).returncode == 0, "first batch"  # revsearch on no index is an error, exit 2
    done = threading.Event()
    results = [[] for _ in range(SEARCHERS)]  # per searcher: (exit, count, stderr, seconds)
    batch_runs = []  # (exit, {qid: hits}, stderr)
    queries_file = os.path.join(work, "queries.tsv")
    with open(queries_file, "w") as out:
        out.writelines(f"q{i:03d}\t{QUERY}\n" for i in range(200))

    def search_loop(mine):
        while not done.is_set():
            mine.append(revsearch.exact_match_count(db, QUERY))

    def batch_loop():
        while not done.is_set():
            batch_runs.append(revsearch.batch_hit_counts(db, queries_file))

    threads = [threading.Thread(target=search_loop, args=(results[i],)) for i in range(SEARCHERS)]
    threads.append(threading.Thread(target=batch_loop))
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + SAFETY_SECONDS
    try:
        for batch in batches[1:]:
            proc = add(revindex, db, batch)
            assert proc.returncode == 0, f"add {os.path.basename(batch)}: exit {proc.returncode}: {proc.stderr}"
            time.sleep(0.05)
        # Keep searching the final state until enough searches ran (or the safety bound is reached).
        while sum(map(len, results)) < MIN_SEARCHES and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        done.set()
        for thread in threads:
            thread.join()

    allowed = set(expected)
    for index, mine in enumerate(results):
        previous = 0
        for n, (code, count, err, _) in enumerate(mine):
            assert code == 0 and not err.strip() and count in allowed, \
                (f"searcher {index} search {n}: exit {code}, {count} matches (allowed {sorted(allowed)}): "
                 f"{err.strip()[:300]}")
            if count is not None and expected == sorted(expected):  # commits only add matches
                assert count >= previous, f"searcher {index} search {n}: {count} matches after {previous}"
                previous = max(previous, count)
    for n, (code, counts, err) in enumerate(batch_runs):
        hits = [counts.get(f"q{i:03d}", 0) for i in range(200)]
        assert code == 0 and not err.strip() and set(hits) <= allowed, \
            f"--queries run {n}: exit {code}, hits {sorted(set(hits))} (allowed {sorted(allowed)}): {err[:300]}"
        if expected == sorted(expected):
            assert hits == sorted(hits), f"--queries run {n}: hits went down from one query to the next"
    searches = [entry for mine in results for entry in mine]
    assert len(searches) >= MIN_SEARCHES, f"at least {MIN_SEARCHES} searches within {SAFETY_SECONDS} s: {len(searches)}"
    assert revsearch.exact_match_count(db, QUERY)[1] == expected[-1], "the index ends where the reference did"
    seen = {count for _, count, _, _ in searches}
    times = sorted(seconds for _, _, _, seconds in searches)
    print(f"{len(searches)} searches by {SEARCHERS} concurrent searchers (each search a revsearch process) "
          f"during {BATCHES - 1} commits; they saw {len(seen & allowed)} of "
          f"{len(allowed)} committed states; {len(batch_runs)} --queries runs of 200 searches beside them; search time median {statistics.median(times) * 1000:.1f} ms, "
          f"longest {times[-1] * 1000:.1f} ms")
