"""revsearch against a remote Xapian server: the blended ranking is built from stock parts only, so a stock
xapian-tcpsrv must rank exactly as the local index does (docs/ranking.md). Skipped when xapian-tcpsrv is absent.
"""
import shutil
import socket
import subprocess
import time

import pytest

QUERIES = [["heroin toilet"], ["mads mikkelsen acting"], ["--sort", "helpful", "gangster"],
           ["--no-spoilers", "--min-rating", "8", "pusher"]]


def hits(revsearch, db, *args):
    result = revsearch.json(db, *args, timeout=30)
    # Nothing on stdout while the server is not up yet (exit 2): an empty summary.
    return result.code, result.hits, result.summary


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def local_and_remote(new_index, page, revsearch, tmp_path_factory):
    server_binary = shutil.which("xapian-tcpsrv")
    if not server_binary:
        pytest.skip("xapian-tcpsrv not installed (Debian package xapian-tools, scripts/install-deps.sh)")
    db = new_index(page)
    port = free_port()
    # Its own session: xapian-tcpsrv's SIGTERM handler signals its whole process group (on_SIGTERM in
    # xapian-core's net/tcpserver.cc).
    server = subprocess.Popen([server_binary, "--interface", "127.0.0.1", "--port", str(port), db],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        stub = tmp_path_factory.mktemp("remote") / "remote.stub"
        stub.write_text(f"remote 127.0.0.1:{port}\n", encoding="utf-8")
        for _ in range(50):  # until the server answers
            if hits(revsearch, stub, "heroin")[0] == 0:
                break
            time.sleep(0.1)
        yield db, stub
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.parametrize("query", QUERIES, ids=[" ".join(query) for query in QUERIES])
def test_remote_ranking_equals_local_ranking(revsearch, local_and_remote, query):
    db, stub = local_and_remote
    local_code, local, local_summary = hits(revsearch, db, *query)
    remote_code, remote, remote_summary = hits(revsearch, stub, *query)
    assert local_code == remote_code == 0 and local
    assert [(h["id"], round(h["score"], 9)) for h in local] == [(h["id"], round(h["score"], 9)) for h in remote]
    assert local_summary.get("weights") == remote_summary.get("weights"), "signal factors differ"
