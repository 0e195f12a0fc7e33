#!/usr/bin/env python3
"""A one-word query from the shell: revsearch against Xapian's quest, the same query on the same index, one
process each, interleaved (the order alternates every round, so both see the same machine load). Prints the
median and p90 of wall and CPU time and their ratios, the median of minor page faults (the same from run to run
whatever the load), and the dynamic loader's own statistics (LD_DEBUG=statistics). Run through
scripts/bench-startup (docs/benchmarks.md)."""

import argparse
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import measure  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench-startup", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, help="the index both programs read (quest opens ours as it is)")
    p.add_argument("--query", default="great", help="the query (default: one frequent word)")
    p.add_argument("--runs", type=int, default=40, help="rounds; each runs both programs once")
    p.add_argument("--revsearch", required=True)
    p.add_argument("--quest", default=shutil.which("quest"))
    p.add_argument("--other", action="append", default=[], metavar="NAME=PATH",
                   help="another revsearch binary in the same rounds (e.g. before=/tmp/revsearch-of-main)")
    return p.parse_args(argv)


def loader_statistics(argv):
    """Cycles in the dynamic loader and relocations done at start-up, from glibc's LD_DEBUG=statistics."""
    run = subprocess.run(argv, env={**os.environ, "LD_DEBUG": "statistics"}, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True)
    found = {}
    for key, pattern in (("cycles", r"total startup time in dynamic loader: (\d+)"),
                         ("symbol_relocations", r"final number of relocations: (\d+)"),
                         ("relative_relocations", r"number of relative relocations: (\d+)")):
        values = re.findall(pattern, run.stderr)
        if values:
            found[key] = int(values[0])
    return found


def row(name, runs):
    wall = [r.seconds * 1000 for r in runs]
    cpu = [r.cpu_seconds * 1000 for r in runs]
    return {"name": name, "wall_p50": measure.median(wall), "wall_p90": measure.percentile(wall, 90),
            "cpu_p50": measure.median(cpu), "cpu_p90": measure.percentile(cpu, 90),
            "page_faults": measure.median([r.page_faults for r in runs])}


def main(argv):
    args = parse_args(argv[1:])
    if not args.quest:
        sys.exit("bench-startup: quest not found (Debian xapian-tools; scripts/bench --deps)")
    programs = {
        "revsearch": [args.revsearch, "--db", args.db, "--", args.query],
        # quest's QueryParser stems with STEM_SOME (Z + stem), terms our index no longer has (schema version 3:
        # STEM_ALL, each word as its stem, no Z): unstemmed (-s none), a word that is its own stem ("great", the
        # default) is the same term in both.
        "quest": [args.quest, "-d", args.db, "-m", "10", "-s", "none", args.query],
    **{name: [path, "--db", args.db, "--", args.query]
       for name, path in (other.split("=", 1) for other in args.other)},
    }
    # Warm the page cache, and check that each program answers: a refused index (an older schema: "rebuild it")
    # exits 2 at once, and timing that exit compared nothing.
    for name, argv_ in programs.items():
        warm = measure.spawn(argv_, check=False)
        if warm.returncode != 0 or not warm.stdout:
            sys.exit(f"bench-startup: {name} exited {warm.returncode}: "
                     f"{warm.stderr.decode(errors='replace').strip()[-500:]}")
    runs = {name: [] for name in programs}
    names = list(programs)
    for round_ in range(args.runs):
        for name in (names if round_ % 2 == 0 else names[::-1]):
            runs[name].append(measure.spawn(programs[name], check=False))
    rows = [row(name, runs[name]) for name in names]
    ours, quest = rows[:2]
    load = os.getloadavg()[0]
    print(f"{args.runs} interleaved runs of each, query {args.query!r}, load average {load:.1f}")
    print("| program | wall p50 ms | wall p90 ms | CPU p50 ms | CPU p90 ms | page faults | loader cycles "
          "| symbol relocations | relative relocations |")
    print("|---|---|---|---|---|---|---|---|---|")
    for r, name in zip(rows, names):
        stats = loader_statistics(programs[name])
        print(f"| {name} | {r['wall_p50']:.2f} | {r['wall_p90']:.2f} | {r['cpu_p50']:.2f} | {r['cpu_p90']:.2f} "
              f"| {r['page_faults']:.0f} | {stats.get('cycles', 0) / 1e6:.1f} M "
              f"| {stats.get('symbol_relocations', '-')} "
              f"| {stats.get('relative_relocations', '-')} |")
    for r in rows[2:]:
        print(f"| {r['name']} / quest | {r['wall_p50'] / quest['wall_p50']:.2f} | {r['wall_p90'] / quest['wall_p90']:.2f} "
              f"| {r['cpu_p50'] / quest['cpu_p50']:.2f} | {r['cpu_p90'] / quest['cpu_p90']:.2f} | | | | |")
    print(f"| revsearch / quest | {ours['wall_p50'] / quest['wall_p50']:.2f} | {ours['wall_p90'] / quest['wall_p90']:.2f} "
          f"| {ours['cpu_p50'] / quest['cpu_p50']:.2f} | {ours['cpu_p90'] / quest['cpu_p90']:.2f} | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
