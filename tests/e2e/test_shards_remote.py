"""Shards served by stock xapian-tcpsrv (docs/scaling.md). A corpus indexed as 2 shards, each served by its own
xapian-tcpsrv on 127.0.0.1 (started by scripts/serve-shards), searched through a stub of remote entries: the
top 100 of a set of queries, scores included, equal the same corpus in one local index, with the index's own
stemming language (Danish here). Then one server is killed in the middle of a batch of searches: revsearch
names the shard that failed and exits 2, or with --allow-partial answers from the other shard and says so.
Skipped when xapian-tcpsrv is absent.
"""
import os
import shutil
import signal
import socket
import subprocess

import pytest

from rankings import same_ranking, scored_texts

FILES = ["pusher-ii-2004.txt", "blitzer-books-positive-100.review", "canonical-sample.jsonl",
         "fine-food-reviews-300.csv"]
QUERIES = [["heroin"], ["filmene"], ["mads mikkelsen"], ['"the first one"'], ["--sort", "helpful", "book"],
           ["--min-rating", "8", "story"], ["--no-spoilers", "great", "movie"], ["coffee OR tea"],
           ["--weights", "helpful=0.3,rating=0.1", "good"], ["item:pusher drugs"], ["--expand", "heroin"],
           ["--expand", "coffee"], ["--expand-with", "docs=5,mindocs=2", "good book story"],
           ["--field-weights", "headline=0.5", "great coffee"],
           ["--scheme", "lm:mu=500", "great movie"], ["--scheme", "dph", "heroin OR book"],
           ["--scheme", "pl2:c=4", "story"], ["--proximity", "weight=1,window=4", "great coffee"],
           ["--proximity", "weight=0.5,window=3,order=typed", "mads mikkelsen heroin"],
           ["--proximity", "weight=2,window=8", "--field-weights", "headline=0.5", "--expand", "good book story"],
           # Long queries expanded by default, each kind with its settings (search.hpp, expansion_for): a need
           # written out (Bo1, 20 terms) and pasted text (trad, 10 terms).
           ["gangster heroin copenhagen drugs film story"],
           ["The second film follows Tonny out of prison, a small gangster in Copenhagen whose father never wanted "
            "him; heroin, debts and a baby he did not ask for. The acting is raw, the story bleak, the coffee in "
            "every kitchen cold. A good book about the same world would read like this, honest and hard."]]


BATCH_WORDS = ["heroin", "book", "coffee", "story", "great movie", "good", "love", "pusher", "tea", "dog"]
BATCH_QUERIES = 3000


def search(revsearch, db, *args, limit=100):
    result = revsearch.json(db, "--limit", str(limit), *args, timeout=60)
    return result.code, scored_texts(result), result.summary, result.stderr


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


@pytest.fixture(scope="module")
def indexes(new_index, corpus):
    """(one local index, the same reviews as 2 shards), both with the Danish stemmer."""
    if not shutil.which("xapian-tcpsrv"):
        pytest.skip("xapian-tcpsrv not installed (Debian package xapian-tools, scripts/install-deps.sh)")
    files = [corpus(name) for name in FILES]
    return (new_index(*files, options=["--language", "danish"]),
            new_index(*files, shards=2, options=["--language", "danish"]))


class Servers:
    """scripts/serve-shards on a pair of free ports: the stub, the first port, the servers' process ids."""

    def __init__(self, serve, two, work):
        self.serve, self.two = serve, two
        self.stub = os.path.join(work, "shards.remote")
        self.port = free_port_pair()
        started = subprocess.run([serve, "--port", str(self.port), "--stub", self.stub, two], capture_output=True,
                                 text=True, timeout=60)
        assert started.returncode == 0, f"serve-shards: {started.stderr}"
        with open(self.stub + ".pids") as text:
            self.pids = [int(line) for line in text.read().split()]

    def stop(self):
        subprocess.run([self.serve, "--stop", "--stub", self.stub, self.two], capture_output=True, timeout=30)


@pytest.fixture
def serve(indexes, source_dir, tmp_path):
    """serve(): servers for the two shards, stopped after the test."""
    started = []

    def start():
        work = tmp_path / f"servers-{len(started)}"
        work.mkdir()
        started.append(Servers(os.path.join(source_dir, "scripts", "serve-shards"), indexes[1], work))
        return started[-1]
    yield start
    for servers in started:
        servers.stop()


@pytest.fixture(scope="module")
def served(indexes, source_dir, tmp_path_factory):
    servers = Servers(os.path.join(source_dir, "scripts", "serve-shards"), indexes[1],
                      tmp_path_factory.mktemp("served"))
    yield servers
    servers.stop()


@pytest.fixture(scope="module")
def queries_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("batch") / "queries.tsv"
    with open(path, "w") as out:
        for i in range(BATCH_QUERIES):
            out.write(f"q{i}\t{BATCH_WORDS[i % len(BATCH_WORDS)]}\n")
    return path


def batch_killing_a_shard(revsearch, stub, queries_file, pid, *extra):
    """Runs a batch of searches and kills one shard's server once the first results are out."""
    proc = subprocess.Popen([revsearch.path, "--db", stub, "--queries", queries_file, "--limit", "5", *extra],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = proc.stdout.readline()  # the run is block-buffered: this returns after the first few queries
    kill_server(pid)
    rest, err = proc.communicate(timeout=300)
    return proc.returncode, [line for line in (first + rest).splitlines() if line], err


def test_the_stub_lists_one_server_a_shard(served):
    with open(served.stub) as text:
        entries = text.read().split("\n")
    assert entries[:2] == [f"remote 127.0.0.1:{served.port}", f"remote 127.0.0.1:{served.port + 1}"], entries


@pytest.mark.parametrize("query", QUERIES, ids=[" ".join(query) for query in QUERIES])
def test_remote_shards_rank_as_one_local_index(revsearch, indexes, served, query):
    code_local, local, summary_local, _ = search(revsearch, indexes[0], *query)
    code_remote, remote, summary_remote, err = search(revsearch, served.stub, *query)
    assert code_local == code_remote and same_ranking(local, remote), \
        f"remote shards rank {remote[:2]} where one index ranks {local[:2]} {err}"
    assert summary_local.get("parsed") == summary_remote.get("parsed")
    assert summary_local.get("expanded_with") == summary_remote.get("expanded_with")


def test_remote_shards_find_reviews_like_one_as_one_local_index(revsearch, indexes, served):
    source = revsearch.json(indexes[0], "--limit", "1", "heroin").ids[0]
    code_local, local, summary_local, _ = search(revsearch, indexes[0], "--like", source)
    code_remote, remote, summary_remote, err = search(revsearch, served.stub, "--like", source)
    assert code_local == code_remote == 0 and same_ranking(local, remote), err
    assert summary_local["expansion"] == summary_remote["expansion"]


def test_the_queries_find_something(revsearch, indexes):
    with_hits = sum(bool(search(revsearch, indexes[0], *query)[1]) for query in QUERIES)
    assert with_hits >= 8, f"{with_hits} of {len(QUERIES)}"


def test_the_index_language_stems_the_query(revsearch, served):
    _, _, summary, _ = search(revsearch, served.stub, "filmene")
    assert "film@1" in summary.get("parsed", ""), f"the index's Danish stemmer at query time: {summary}"


def test_a_server_killed_mid_batch_is_named_and_fails_the_search(revsearch, serve, queries_file):
    servers = serve()
    code, lines, err = batch_killing_a_shard(revsearch, servers.stub, queries_file, servers.pids[1])
    assert code == 2 and f"shard 2 of 2 (line 2: remote 127.0.0.1:{servers.port + 1})" in err, \
        f"exit {code}, {err[-400:]!r}"
    assert len(lines) < BATCH_QUERIES * 5, "the batch stopped at the failure"
    code, _, _, err = search(revsearch, servers.stub, "heroin")
    assert code == 2 and "shard 2 of 2" in err and "--allow-partial" in err, f"after the kill: {code} {err!r}"


def test_allow_partial_answers_from_the_shards_left(revsearch, indexes, serve, queries_file):
    servers = serve()
    code, lines, err = batch_killing_a_shard(revsearch, servers.stub, queries_file, servers.pids[1],
                                             "--allow-partial")
    answered = {line.split()[0] for line in lines}
    assert code == 0 and "partial answer from 1 of 2 shards" in err, f"exit {code}, {err[-400:]!r}"
    assert len(answered) >= 2900, f"{len(answered)} queries with hits"
    code, hits, summary, err = search(revsearch, servers.stub, "--allow-partial", "book")
    partial = summary.get("partial") or {}
    assert code == 0 and hits and partial.get("shards") == 2 and len(partial.get("failed", [])) == 1, \
        f"--allow-partial --json: {code} {summary.get('partial')} {err!r}"
    _, local, _, _ = search(revsearch, indexes[0], "book", limit=1000)
    assert {t for _, t in hits} <= {t for _, t in local}, "a partial answer holds only real matches"

    kill_server(servers.pids[0])
    code, _, _, err = search(revsearch, servers.stub, "--allow-partial", "book")
    assert code == 2 and "no shard answers" in err, f"every shard down: {code} {err!r}"


SPELLING_QUERIES = ["coffe", "mikelsen heroin", "agian", "Mikkelson", "--as-typed coffe"]


@pytest.mark.parametrize("query", SPELLING_QUERIES)
def test_spelling_help_over_remote_shards_as_on_one_index(revsearch, indexes, served, query):
    """Xapian sends no spelling data over its remote protocol: serve-shards copies the shards' spelling tables
    beside the stub (STUB.spelling), and the correction or hint is the one a local index gives."""
    assert os.path.isdir(served.stub + ".spelling"), "serve-shards wrote the spelling side table"
    _, _, local, _ = search(revsearch, indexes[0], *query.split())
    _, _, remote, err = search(revsearch, served.stub, *query.split())
    assert (remote.get("corrected"), remote.get("suggestion")) == (local.get("corrected"), local.get("suggestion")), \
        f"remote {remote.get('corrected')!r}/{remote.get('suggestion')!r}, local {local.get('corrected')!r}/" \
        f"{local.get('suggestion')!r} {err}"


def test_the_spelling_queries_get_help(revsearch, indexes):
    summaries = [search(revsearch, indexes[0], *query.split())[2] for query in SPELLING_QUERIES]
    assert summaries[0].get("corrected") == "coffee" and summaries[4].get("suggestion") == "coffee", summaries
