#!/usr/bin/env python3
"""revsearch against a remote Xapian server: the blended ranking is built from stock parts only, so a stock
xapian-tcpsrv must rank exactly as the local index does (docs/ranking.md). Skipped when xapian-tcpsrv is absent.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

from e2e import REVINDEX, REVSEARCH, SOURCE, check, failures, skip

PAGE = os.path.join(SOURCE, "corpora", "pusher-ii-2004.txt")


def hits(db, *args):
    result = subprocess.run([REVSEARCH, "--db", db, "--json", *args], capture_output=True, text=True, timeout=30)
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    summary = lines[-1]["data"] if lines else {}  # nothing on stdout while the server is not up yet (exit 2)
    return result.returncode, [line["data"] for line in lines if line["type"] == "hit"], summary


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    server_binary = shutil.which("xapian-tcpsrv")
    if not server_binary:
        skip("xapian-tcpsrv not installed (Debian package xapian-tools, scripts/install-deps.sh)")
    with tempfile.TemporaryDirectory(prefix="revsearch-e2e-remote-") as tmp:
        db = os.path.join(tmp, "index")
        added = subprocess.run([REVINDEX, "add", "--db", db, PAGE], capture_output=True, text=True, timeout=60)
        if added.returncode != 0:
            print(f"revindex add failed: {added.stderr}", file=sys.stderr)
            return 1
        port = free_port()
        # Its own session: xapian-tcpsrv's SIGTERM handler signals its whole process group (on_SIGTERM in
        # xapian-core's net/tcpserver.cc).
        server = subprocess.Popen([server_binary, "--interface", "127.0.0.1", "--port", str(port), db],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            stub = os.path.join(tmp, "remote.stub")
            with open(stub, "w", encoding="utf-8") as out:
                out.write(f"remote 127.0.0.1:{port}\n")
            for _ in range(50):
                code, _, _ = hits(stub, "heroin")
                if code == 0:
                    break
                time.sleep(0.1)
            for query in (["heroin toilet"], ["mads mikkelsen acting"], ["--sort", "helpful", "gangster"],
                          ["--no-spoilers", "--min-rating", "8", "pusher"]):
                local_code, local, local_summary = hits(db, *query)
                remote_code, remote, remote_summary = hits(stub, *query)
                same = [(h["id"], round(h["score"], 9)) for h in local] == [(h["id"], round(h["score"], 9)) for h in remote]
                check(local_code == remote_code == 0 and local and same, f"{query}: remote ranking differs from local")
                check(local_summary.get("weights") == remote_summary.get("weights"),
                      f"{query}: signal factors differ ({local_summary.get('weights')} vs "
                      f"{remote_summary.get('weights')})")
        finally:
            server.terminate()
            server.wait(timeout=10)
    if failures:
        return 1
    print("test_search_remote: remote ranking equals local ranking")
    return 0


if __name__ == "__main__":
    sys.exit(main())
