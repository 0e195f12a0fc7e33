#!/usr/bin/env python3
"""Shards served by stock xapian-tcpsrv (docs/scaling.md). A corpus indexed as 2 shards, each served by its own
xapian-tcpsrv on 127.0.0.1 (started by scripts/serve-shards), searched through a stub of remote entries: the
top 100 of a set of queries, scores included, equal the same corpus in one local index, with the index's own
stemming language (Danish here). Then one server is killed in the middle of a batch of searches: revsearch
names the shard that failed and exits 2, or with --allow-partial answers from the other shard and says so.
Skipped when xapian-tcpsrv is absent.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile

from e2e import REVINDEX, REVSEARCH, SOURCE, check, failures, skip

SERVE = os.path.join(SOURCE, "scripts", "serve-shards")
CORPORA = os.path.join(SOURCE, "corpora")
FILES = [os.path.join(CORPORA, name) for name in
         ("pusher-ii-2004.txt", "blitzer-books-positive-100.review", "canonical-sample.jsonl",
          "fine-food-reviews-300.csv")]
QUERIES = [["heroin"], ["filmene"], ["mads mikkelsen"], ['"the first one"'], ["--sort", "helpful", "book"],
           ["--min-rating", "8", "story"], ["--no-spoilers", "great", "movie"], ["coffee OR tea"],
           ["--weights", "helpful=0.3,rating=0.1", "good"], ["item:pusher drugs"]]


def search(db, *args, limit=100):
    proc = subprocess.run([REVSEARCH, "--db", db, "--json", "--limit", str(limit), *args], capture_output=True,
                          text=True, timeout=60)
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    hits = [(round(line["data"]["score"], 9), (line["data"]["review"].get("headline") or "") + "\n" +
             line["data"]["review"].get("body", "")) for line in lines if line["type"] == "hit"]
    return proc.returncode, hits, (lines[-1]["data"] if lines else {}), proc.stderr


def same(a, b):
    """Scores equal in order; the same review texts within each run of equal scores (tie order follows
    document numbers, which sharding interleaves), except the run cut by the limit."""
    if [score for score, _ in a] != [score for score, _ in b]:
        return False
    last = a[-1][0] if a else None
    return all(sorted(t for s, t in a if s == score) == sorted(t for s, t in b if s == score)
               for score, _ in a if score != last)


def free_port_pair():
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        if port < 65000:
            with socket.socket() as second:
                try:
                    second.bind(("127.0.0.1", port + 1))
                    return port
                except OSError:
                    continue
    raise RuntimeError("no two free ports in a row")


def kill_server(pid):
    # serve-shards starts each server in its own session: its group holds the children serving connections.
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def batch_killing_a_shard(stub, queries_file, pid, *extra):
    """Runs a batch of searches and kills one shard's server once the first results are out."""
    proc = subprocess.Popen([REVSEARCH, "--db", stub, "--queries", queries_file, "--limit", "5", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # the run is block-buffered: this returns after the first few queries
    kill_server(pid)
    rest, err = proc.communicate(timeout=300)
    return proc.returncode, [line for line in (first + rest).splitlines() if line], err


def main():
    if not shutil.which("xapian-tcpsrv"):
        skip("xapian-tcpsrv not installed (Debian package xapian-tools, scripts/install-deps.sh)")
    work = tempfile.mkdtemp(prefix="revsearch-e2e-remote-shards-")
    stub = os.path.join(work, "shards.remote")
    try:
        one, two = os.path.join(work, "one"), os.path.join(work, "two")
        for db, extra in ((one, []), (two, ["--shards", "2"])):
            proc = subprocess.run([REVINDEX, "add", "-q", "--db", db, "--language", "danish", *extra, *FILES],
                                  capture_output=True, text=True, timeout=120)
            check(proc.returncode == 0, f"add {extra}: {proc.stderr}")
        port = free_port_pair()
        started = subprocess.run([SERVE, "--port", str(port), "--stub", stub, two], capture_output=True, text=True,
                                 timeout=60)
        if not check(started.returncode == 0, f"serve-shards: {started.stderr}"):
            return 1
        with open(stub) as text:
            entries = text.read().split("\n")
        check(entries[:2] == [f"remote 127.0.0.1:{port}", f"remote 127.0.0.1:{port + 1}"], f"stub: {entries}")

        with_hits = 0
        for query in QUERIES:
            code_local, local, summary_local, _ = search(one, *query)
            code_remote, remote, summary_remote, err = search(stub, *query)
            with_hits += bool(local)
            check(code_local == code_remote and same(local, remote),
                  f"{query}: remote shards rank {remote[:2]} where one index ranks {local[:2]} {err}")
            check(summary_local.get("parsed") == summary_remote.get("parsed"),
                  f"{query}: parsed {summary_remote.get('parsed')} vs {summary_local.get('parsed')}")
        check(with_hits >= 8, f"the queries find something: {with_hits} of {len(QUERIES)}")
        _, _, summary, _ = search(stub, "filmene")
        check("Zfilm@1" in summary.get("parsed", ""), f"the index's Danish stemmer at query time: {summary}")

        with open(stub + ".pids") as text:
            pids = [int(line) for line in text.read().split()]
        queries_file = os.path.join(work, "queries.tsv")
        words = ["heroin", "book", "coffee", "story", "great movie", "good", "love", "pusher", "tea", "dog"]
        with open(queries_file, "w") as out:
            for i in range(3000):
                out.write(f"q{i}\t{words[i % len(words)]}\n")

        # Without --allow-partial: the failed shard is named, exit 2.
        code, lines, err = batch_killing_a_shard(stub, queries_file, pids[1])
        check(code == 2 and f"shard 2 of 2 (line 2: remote 127.0.0.1:{port + 1})" in err,
              f"a server killed mid-batch: exit {code}, {err[-400:]!r}")
        check(len(lines) < 3000 * 5, "the batch stopped at the failure")
        code, _, _, err = search(stub, "heroin")
        check(code == 2 and "shard 2 of 2" in err and "--allow-partial" in err, f"after the kill: {code} {err!r}")

        # With --allow-partial: the rest of the batch is answered by shard 1 alone, and stderr says so.
        subprocess.run([SERVE, "--stop", "--stub", stub, two], capture_output=True, timeout=30)
        started = subprocess.run([SERVE, "--port", str(port), "--stub", stub, two], capture_output=True, text=True,
                                 timeout=60)
        check(started.returncode == 0, f"serve-shards again: {started.stderr}")
        with open(stub + ".pids") as text:
            pids = [int(line) for line in text.read().split()]
        code, lines, err = batch_killing_a_shard(stub, queries_file, pids[1], "--allow-partial")
        answered = {line.split()[0] for line in lines}
        check(code == 0 and "partial answer from 1 of 2 shards" in err,
              f"--allow-partial mid-batch: exit {code}, {err[-400:]!r}")
        check(len(answered) >= 2900, f"--allow-partial answered the batch: {len(answered)} queries with hits")
        code, hits, summary, err = search(stub, "--allow-partial", "book")
        partial = summary.get("partial") or {}
        check(code == 0 and hits and partial.get("shards") == 2 and len(partial.get("failed", [])) == 1,
              f"--allow-partial --json: {code} {summary.get('partial')} {err!r}")
        _, local, _, _ = search(one, "book", limit=1000)
        check({t for _, t in hits} <= {t for _, t in local}, "a partial answer holds only real matches")

        kill_server(pids[0])
        code, _, _, err = search(stub, "--allow-partial", "book")
        check(code == 2 and "no shard answers" in err, f"every shard down: {code} {err!r}")
    finally:
        subprocess.run([SERVE, "--stop", "--stub", stub, os.path.join(work, "two")], capture_output=True, timeout=30)
        shutil.rmtree(work, ignore_errors=True)
    print(f"test_shards_remote: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
