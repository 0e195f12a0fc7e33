#!/usr/bin/env python3
"""Builds (or adds to) the SQLite FTS5 peer database from canonical JSON lines, as a child process of the
benchmark so that its time and peak memory are measured like the other indexers'.

usage: fts5_index.py DATABASE JSONL... [--add | --replace]

One transaction per file, as revindex add commits each batch file. --replace: each review deleted and inserted
again under its rowid (the scaled corpus's reviews scraped again: peers.fts5_replace).
"""

import os
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import peers  # noqa: E402


def main(argv):
    if len(argv) < 3:
        print(next(line for line in __doc__.splitlines() if line.startswith("usage")), file=sys.stderr)
        return 2
    database = argv[1]
    files = [a for a in argv[2:] if a not in ("--add", "--replace")]
    replacing = "--replace" in argv[2:]
    adding = "--add" in argv[2:] or replacing
    if not adding and os.path.exists(database):
        os.remove(database)
    connection = sqlite3.connect(database)
    if not adding:
        connection.execute(peers.FTS5_SCHEMA)
    for jsonl in files:
        (peers.fts5_replace if replacing else peers.fts5_insert)(connection, jsonl)
    connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
