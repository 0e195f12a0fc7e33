"""End-to-end: searches never fail and never see part of an index while `revindex rebuild` switches generations.

One process searches in a loop (revsearch run again and again, each opening DIR afresh) while another rebuilds
the index over and over, alternating between two source sets of different sizes, with --keep 1 so that the
previous generation is deleted right after each switch (the worst case for a search still reading it).
Each answer's exact match count (--facets) must be the old set's or the new set's: never an error, never
another number. A second reader, revsearch --queries with hundreds of queries in one process (one long-lived
Searcher, which reopen()s its generation while the stub is unchanged and opens DIR anew after a switch), must
see whole generations too. Prints the longest search.
"""

import os
import statistics
import subprocess
import threading
import time


CORPORA = os.path.join(os.environ.get("REVSEARCH_SOURCE_DIR") or
                       os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "corpora")
SMALL = [os.path.join(CORPORA, "pusher-ii-2004.txt")]
LARGE = SMALL + [os.path.join(CORPORA, "blitzer-books-positive-100.review"),
                 os.path.join(CORPORA, "mcauley-all-beauty-5core-300.json")]
QUERY = "good"
MIN_SEARCHES = 300
# A safety bound, not a timing assertion: the loop runs until it has MIN_SEARCHES searches and 6 rebuilds, however
# slow a shared machine is (40 s when quiet; a loaded one made 232 searches in 40 s and failed a time-boxed loop).
SAFETY_SECONDS = 400


def rebuild(revindex, db, sources):
    return subprocess.run([revindex.path, "rebuild", "--db", db, "--keep", "1", "--lock-timeout", "30", "--from",
                           *sources], capture_output=True, text=True, timeout=120)


def test_searches_see_whole_generations_while_rebuilds_switch(revindex, revsearch, tmp_path):
    tmp = str(tmp_path)
    db = os.path.join(tmp, "db")
    queries_file = os.path.join(tmp, "queries.tsv")
    with open(queries_file, "w") as out:
        for i in range(200):
            out.write(f"q{i}\t{QUERY}\n")
    assert revindex("add", "--quiet", "--db", db, *LARGE).returncode == 0, "add"
    _, large_count, _ = revsearch.exact_match_count(db, QUERY)[:3]
    _, large_batch, _ = revsearch.batch_hit_counts(db, queries_file)
    assert rebuild(revindex, db, SMALL).returncode == 0, "first rebuild"
    _, small_count, _ = revsearch.exact_match_count(db, QUERY)[:3]
    _, small_batch, _ = revsearch.batch_hit_counts(db, queries_file)
    small_hits, large_hits = small_batch.get("q0"), large_batch.get("q0")
    print(f"matches for '{QUERY}': {small_count} (small set), {large_count} (large set); "
          f"--queries hits {small_hits} / {large_hits}")
    assert small_count and large_count and small_count != large_count and small_hits != large_hits, \
        "the two sets give different answers"

    done = threading.Event()
    rebuilds = []

    def rebuild_loop():
        sets = [LARGE, SMALL]
        while not done.is_set() and len(rebuilds) < 40:
            started = time.monotonic()
            proc = rebuild(revindex, db, sets[len(rebuilds) % 2])
            rebuilds.append((started, time.monotonic(), proc.returncode, proc.stderr))

    rebuilder = threading.Thread(target=rebuild_loop)
    rebuilder.start()
    searches = []  # (start, seconds, count)
    batch_runs = 0
    deadline = time.monotonic() + SAFETY_SECONDS
    try:
        while time.monotonic() < deadline and (len(searches) < MIN_SEARCHES or len(rebuilds) < 6):
            started = time.monotonic()
            code, count, err = revsearch.exact_match_count(db, QUERY)[:3]
            searches.append((started, time.monotonic() - started, count))
            assert code == 0 and count in (small_count, large_count), \
                (f"search {len(searches)}: exit {code}, {count} matches (expected {small_count} or "
                 f"{large_count}): {err.strip()}")
            if len(searches) % 25 == 0:
                code, counts, err = revsearch.batch_hit_counts(db, queries_file)
                batch_runs += 1
                bad = {q: n for q, n in counts.items() if n not in (small_hits, large_hits)}
                assert code == 0 and len(counts) == 200 and not bad, \
                    f"--queries run: exit {code}, {len(counts)} queries answered, off counts {bad}: {err}"
    finally:
        done.set()
        rebuilder.join()

    failed_rebuilds = [r for r in rebuilds if r[2] != 0]
    assert not failed_rebuilds, f"every rebuild succeeded: {failed_rebuilds[:2]}"
    assert len(rebuilds) >= 6, f"at least 6 rebuilds under the searches within {SAFETY_SECONDS} s: {len(rebuilds)}"
    assert len(searches) >= MIN_SEARCHES, f"at least {MIN_SEARCHES} searches within {SAFETY_SECONDS} s: {len(searches)}"
    seen = {count for _, _, count in searches}
    assert seen == {small_count, large_count}, f"answers from both generations: {seen}"

    times = sorted(seconds for _, seconds, _ in searches)
    # A search "during a switch" started within a rebuild's last 100 ms or just after it ended.
    ends = [end for _, end, _, _ in rebuilds]
    near = [seconds for start, seconds, _ in searches if any(end - 0.1 <= start <= end + 0.05 for end in ends)]
    print(f"{len(searches)} searches (each a revsearch process) and {batch_runs} --queries runs of 200 "
          f"searches during {len(rebuilds)} rebuilds")
    print(f"search time: median {statistics.median(times) * 1000:.1f} ms, "
          f"p99 {times[int(len(times) * 0.99) - 1] * 1000:.1f} ms, longest {times[-1] * 1000:.1f} ms; "
          f"longest near a switch ({len(near)} searches): {max(near, default=0) * 1000:.1f} ms")
