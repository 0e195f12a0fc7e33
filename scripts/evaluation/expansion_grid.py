"""The expansion settings of long queries on Cranfield and MEDLINE: a wide grid on the tune halves, its best cells
read on the test halves (issue 17's first target; docs/ranking-classic.md, "Reading").

usage: python3 -m evaluation.expansion_grid --build-dir DIR [--data DIR] [--work DIR] [--collections ...]
       [--jobs N] [--best N]
(from scripts/; about 10 minutes on 2 loaded cores.)

Every cell runs the tune half of each collection with `--limit 10` (nDCG@10 needs no more, and the matcher stops
early), and the cells are ranked by their mean tune nDCG@10 over the collections, the measure of the target. The
`--best` first cells, the default command line, `--expand` and FTS5 then run every query (`--limit 1000`, MAP
too), and each is compared with the default, with `--expand` (pasted text's settings on every query, as each cell
expands every query) and with FTS5 on the test half and on all queries (paired randomisation tests).
scripts/eval's own expansion grid (classic.py) is narrower and chooses by MAP; this one crosses the term selection
rule of `--expand-with` (mindocs) with the scheme, the feedback depth and the number of terms.
"""

import argparse
import concurrent.futures
import os
import re
import sys

import datasets  # scripts/datasets.py

from . import classic

# Issue 17's term selection (expansion.hpp): a term held by at least 2 of the feedback documents (mindocs=2),
# crossed with the scheme, the feedback depth and the number of terms (weight 1: the earlier grid's best weight for
# both schemes). A document-frequency ceiling and leaving out stems with digits were measured in the same grid
# (commit 267406f, its `maxdf` and `digits` settings) and are no settings: neither gained on tune.
CELLS = [["--expand-with", f"docs={d},terms={t},scheme={s},mindocs={m}"]
         for s in ("bo1", "trad") for d in (3, 5, 10) for t in (10, 20, 30) for m in (1, 2)]
DEFAULT = []  # the default command line: long queries expanded by kind (search.hpp, expansion_for)
EVERY = ["--expand"]  # the same settings on every query, as each cell (--expand-with) expands every query


def label(args):
    return " ".join(args) or "default command line"


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.expansion_grid", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    datasets.add_option(parser)
    parser.add_argument("--collections", default="cranfield,medline")
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/expansion-grid)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--best", type=int, default=3, help="best tune cells run on every query")
    args = parser.parse_args(argv)
    names = classic.selected_collections(args.collections, "evaluation.expansion_grid")
    if names is None:
        return 2
    datasets.require("scripts/eval", args.data, names)
    work = args.work or os.path.join(args.build_dir, "expansion-grid")
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    collections = {name: classic.Collection(name, datasets.path(args.data, classic.COLLECTIONS[name]["set"]), work,
                                            revindex) for name in names}
    # Each query file written once, before any run reads it (runs go side by side).
    query_files = {(name, split): c.query_file(split) for name, c in collections.items() for split in ("tune", "all")}

    def run(name, extra, split, limit):
        c = collections[name]
        tag = re.sub(r"\W+", "_", f"{name} {split} {limit} {label(extra)}").strip("_")
        path = os.path.join(c.work, f"run-{tag}.txt")
        classic.run_revsearch(revsearch, c.db, query_files[(name, split)], extra, "grid", path, limit)
        return classic.score(path, c)

    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        tune = {(label(cell), name): pool.submit(run, name, cell, "tune", 10)
                for cell in [DEFAULT] + CELLS for name in names}
        tune = {key: future.result()["tune"]["ndcg"] for key, future in tune.items()}
    mean = {label(cell): sum(tune[(label(cell), n)] for n in names) / len(names) for cell in [DEFAULT] + CELLS}
    ranked = sorted([DEFAULT] + CELLS, key=lambda cell: -mean[label(cell)])
    print(f"Tune halves, nDCG@10 (mean over {', '.join(names)}; then each):")
    for cell in ranked:
        print(f"- {label(cell)}: {mean[label(cell)]:.4f} (" +
              ", ".join(f"{n} {tune[(label(cell), n)]:.4f}" for n in names) + ")")

    chosen = [cell for cell in ranked if cell != DEFAULT][:args.best]
    print(f"\nThe {args.best} best on tune, the default, --expand and FTS5 on every query "
          f"(--limit {classic.RUN_LIMIT}):")
    for name in names:
        c = collections[name]
        fts5_path = os.path.join(c.work, "run-FTS5.txt")
        c.fts5_run(fts5_path)
        finals = {"FTS5": classic.score(fts5_path, c), label(DEFAULT): run(name, DEFAULT, "all", classic.RUN_LIMIT),
                  label(EVERY): run(name, EVERY, "all", classic.RUN_LIMIT)}
        for cell in chosen:
            finals[label(cell)] = run(name, cell, "all", classic.RUN_LIMIT)
        for key, scores in finals.items():
            line = (f"- {name}, {key}: nDCG@10 tune {scores['tune']['ndcg']:.4f}, test {scores['test']['ndcg']:.4f}, "
                    f"all {scores['all']['ndcg']:.4f}; MAP all {scores['all']['map']:.4f}")
            for other in (label(DEFAULT), label(EVERY), "FTS5"):
                if other != key and key not in ("FTS5", label(EVERY)):
                    line += "; - " + other + ": " + ", ".join(
                        f"{split} {classic.paired(finals, key, other, split, 0)}" for split in ("test", "all"))
            print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
