#!/usr/bin/env python3
"""What each feature our schema keeps costs the engine, and what is left that is ours (issue 15).

One invocation, interleaved rounds, each run into a fresh index: the floor (xapian_floor: postings only), the floor
with each of its --with switches alone, the floor --with all, and `revindex add --quiet --compact never`, all over
the same batch files; CPU time from `perf stat -e task-clock` (rusage when perf is missing). Prints a Markdown table:
median CPU seconds over the rounds, each / the floor, ours / each (docs/benchmarks.md, "The two floors").
`--other NAME=REVINDEX` (repeatable) adds another build's `revindex add` to each round, run the same way (e.g. main's
Release build against this tree's: "ours / it" is then this / main); `--no-switches` leaves out the floor's single
switches (the floor, the floor --with all, ours and the others only: a shorter round).

  scripts/benchmark/floor_features.py --floor BUILD/scripts/benchmark/floor/xapian_floor \\
      --revindex BUILD/indexer/revindex [--other main=MAIN_BUILD/indexer/revindex] [--no-switches] \\
      [--rounds 3] [--work DIR] BATCH_FILE...
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import measure  # noqa: E402

FEATURES = ("record", "values", "spelling", "filters", "headline-twice")
OURS = "revindex add --compact never"


def add_argv(revindex):
    """How each revindex of a round indexes: serial, no compaction (the floor compacts nothing), quiet."""
    return [revindex, "add", "--quiet", "--compact", "never", "--db"]


def other_run(text):
    """--other NAME=REVINDEX: (name, path); argparse turns the ValueError into a one-line usage error."""
    name, sep, path = text.partition("=")
    if not sep or not name.strip() or not path:
        raise ValueError(text)
    return name.strip(), path


other_run.__name__ = "NAME=REVINDEX"  # argparse names the type in its error message


def variants(floor, revindex, others=(), switches=True):
    """(name, argv before the DB, argv after the DB) of each run of a round, in the order they run."""
    runs = [("floor", [floor], [])]
    if switches:
        runs += [(f"floor --with {f}", [floor, "--with", f], []) for f in FEATURES]
    runs += [("floor --with all", [floor, "--with", "all"], [])]
    runs += [(OURS, add_argv(revindex), [])]
    runs += [(f"{name}: revindex add --compact never", add_argv(path), []) for name, path in others]
    return runs


def cpu_seconds(argv):
    """task-clock of argv (perf stat), else user + system time from rusage."""
    if shutil.which("perf"):
        with tempfile.NamedTemporaryFile("r", suffix=".perf") as out:
            subprocess.run(["perf", "stat", "-x,", "-e", "task-clock", "-o", out.name, "--", *argv], check=True,
                           stdout=subprocess.DEVNULL)
            for line in out.read().splitlines():
                fields = line.split(",")
                if len(fields) > 2 and fields[2].startswith("task-clock"):
                    return float(fields[0]) / 1000
    return measure.spawn(argv, capture=False).cpu_seconds


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--floor", required=True)
    p.add_argument("--revindex", required=True, help="ours: the build whose ratios the table gives")
    p.add_argument("--other", type=other_run, action="append", default=[], metavar="NAME=REVINDEX",
                   help="another build's revindex, run in each round like ours (repeatable)")
    p.add_argument("--no-switches", action="store_true", help="leave out the floor's single --with switches")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--work", default=None, help="where the indexes go (default: a temporary folder)")
    p.add_argument("files", nargs="+")
    args = p.parse_args(argv)
    names = [name for name, _ in args.other]
    if len(set(names)) != len(names):
        p.error("--other: each NAME once")
    if args.rounds < 1:
        p.error("--rounds: at least 1")
    return args


def main(argv=None):
    args = parse_args(argv)
    work = args.work or tempfile.mkdtemp(prefix="floor-features-")
    os.makedirs(work, exist_ok=True)
    files = [os.path.abspath(f) for f in args.files]
    others = [(name, os.path.abspath(path)) for name, path in args.other]
    runs = variants(os.path.abspath(args.floor), os.path.abspath(args.revindex), others, not args.no_switches)
    seconds = {name: [] for name, _, _ in runs}
    for round_number in range(1, args.rounds + 1):
        for name, head, tail in runs:
            db = os.path.join(work, "index.db")
            measure.remove_index(db)
            seconds[name].append(cpu_seconds([*head, db, *tail, *files]))
            print(f"round {round_number}: {name}: {seconds[name][-1]:.2f} s CPU", file=sys.stderr, flush=True)
    measure.remove_index(os.path.join(work, "index.db"))
    floor, ours = measure.median(seconds["floor"]), measure.median(seconds[OURS])
    print("| run | CPU s (median; each round) | / floor | ours / it |")
    print("|---|---|---|---|")
    for name, _, _ in runs:
        median = measure.median(seconds[name])
        each = ", ".join(f"{s:.2f}" for s in seconds[name])
        print(f"| {name} | {median:.2f} ({each}) | {median / floor:.2f} | {ours / median:.2f} |")


if __name__ == "__main__":
    main()
