"""The expansion settings of a long query by its kind (issue 17): how many distinct words the queries of each
evaluation set search, and the tune halves' nDCG@10 when a query of long_query_terms .. N-1 distinct words expands
with the settings of a written-out need and one of N or more with those of pasted text, for each N.

usage: python3 -m evaluation.expansion_kinds --build-dir DIR [--data DIR] [--work DIR] [--collections ...]
       [--need SPEC] [--counts-only] [--jobs N]
(from scripts/; Cranfield and MEDLINE take a few minutes on 2 loaded cores, ArguAna's tune half about 10 more.)

The count is the one the JSON summary reports as `terms` (revsearch --json --as-typed --no-expand, one run per
query: a batch run corrects no spelling either). The review queries of scripts/eval-reviews are counted too (they
need no index: the count is the parser's). Each collection's tune half then runs three times (`--limit 10`,
ArguAna 11: its own document is removed): the default command line (for the short queries, searched as typed),
every query expanded with --need's settings (`--expand-with`) and every query expanded with `--expand`'s (trad, 3
documents, 10 terms: pasted text's); for each N the runs are mixed query by query (fewer than long_query_terms
words: the default's; long_query_terms..N-1: --need's; N or more: --expand's) and scored on the tune half. Chosen
with it (2026-12-02, on the build before the kinds): N = 40 (search.hpp, pasted_text_terms).
Nothing here reads a test half: the test halves are scripts/eval's, run once on the chosen build.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

import datasets  # scripts/datasets.py

from . import arguana, beir, classic, metrics, trec

LONG_QUERY_TERMS = 5  # revsearch::long_query_terms (searcher/search/include/revsearch/search.hpp)
HERE = os.path.dirname(os.path.abspath(__file__))
REVIEW_QUERY_FILES = ("review_queries.tsv", "review_validation_queries.tsv")


def distinct_terms(revsearch, db, text):
    """The `terms` of the JSON summary for `text` searched as typed, without expansion."""
    result = subprocess.run([revsearch, "--db", db, "--json", "-n", "0", "--as-typed", "--no-expand", "--", text],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in result.stdout.splitlines():
        record = json.loads(line)
        if record["type"] == "summary":
            return record["data"]["terms"]
    return None  # a query the parser refuses (an unknown field): a batch run skips it too


def count_all(revsearch, db, queries, jobs):
    """{qid: terms} for [(qid, text)]."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {qid: pool.submit(distinct_terms, revsearch, db, text) for qid, text in queries}
        return {qid: future.result() for qid, future in futures.items()}


def describe(counts):
    counts = list(counts)
    refused = sum(v is None for v in counts)
    values = sorted(v for v in counts if v is not None)
    if not values:
        return "none"
    quantile = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    return (f"{len(values)} queries: min {values[0]}, 10% {quantile(0.1)}, median {quantile(0.5)}, "
            f"90% {quantile(0.9)}, max {values[-1]}; {sum(v < LONG_QUERY_TERMS for v in values)} short"
            + (f"; {refused} refused by the parser" if refused else ""))


def mix(runs, terms, n):
    """The run where each query takes the default's ranking when short (the words alone), --need's from
    long_query_terms to n-1 words, --expand's from n."""
    mixed = {}
    for qid, count in terms.items():
        if count is None:
            continue
        source = "default" if count < LONG_QUERY_TERMS else "need" if count < n else "pasted"
        mixed[qid] = runs[source].get(qid, {})
    return mixed


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.expansion_kinds", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True)
    datasets.add_option(parser)
    parser.add_argument("--collections", default="cranfield,medline,arguana")
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/expansion-kinds)")
    parser.add_argument("--need", default="docs=3,terms=20,scheme=bo1")
    parser.add_argument("--counts-only", action="store_true", help="count the words, run nothing")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    names = [n for n in args.collections.split(",") if n]
    work = args.work or os.path.join(args.build_dir, "expansion-kinds")
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")

    sets = {}  # name -> {"db", "queries": [(qid, text)], "qrels", "tune": [qid], "limit", "own"}
    for name in names:
        if name == "arguana":
            datasets.require("scripts/eval", args.data, ["arguana"])
            folder = os.path.join(work, "arguana")
            prepared = arguana.prepare(datasets.path(args.data, "arguana"), folder, revindex)
            with open(os.path.join(folder, "queries-selected.jsonl"), encoding="utf-8") as lines:
                queries = [(q["_id"], q["text"]) for q in map(json.loads, lines)]
            tune = [q for q in prepared["query_ids"] if beir.split_of(q) == "tune"]
            sets[name] = {"db": prepared["db"], "queries": queries, "qrels": prepared["qrels"], "tune": tune,
                          "limit": 11, "own": True, "work": folder}
        else:
            datasets.require("scripts/eval", args.data, [name])
            c = classic.Collection(name, datasets.path(args.data, classic.COLLECTIONS[name]["set"]), work, revindex)
            sets[name] = {"db": c.db, "queries": c.queries, "qrels": c.qrels, "tune": c.splits["tune"],
                          "limit": 10, "own": False, "work": c.work}

    counts = {}
    any_db = next(iter(sets.values()))["db"]
    for name, s in sets.items():
        counts[name] = count_all(revsearch, s["db"], s["queries"], args.jobs)
        tune = set(s["tune"])
        print(f"{name}: all {describe(counts[name].values())}")
        print(f"{name}: tune {describe([v for q, v in counts[name].items() if q in tune])}; "
              f"test {describe([v for q, v in counts[name].items() if q not in tune])}")
    for file in REVIEW_QUERY_FILES:
        with open(os.path.join(HERE, file), encoding="utf-8") as lines:
            # QID<TAB>SET<TAB>QUERY<TAB>NEED (reviews.py)
            queries = [(fields[0], fields[2]) for fields in (line.rstrip("\n").split("\t") for line in lines
                                                              if not line.startswith("#")) if len(fields) >= 3]
        review_counts = count_all(revsearch, any_db, queries, args.jobs)
        print(f"{file}: {describe(review_counts.values())}")
    with open(os.path.join(work, "terms.json"), "w", encoding="utf-8") as out:
        json.dump(counts, out)
    if args.counts_only:
        return 0

    def run(name, label, extra):
        s = sets[name]
        query_file = os.path.join(s["work"], "queries-kinds-tune.tsv")
        path = os.path.join(s["work"], "run-kinds-" + re.sub(r"\W+", "_", label) + ".txt")
        classic.run_revsearch(revsearch, s["db"], query_file, extra, "kinds", path, s["limit"])
        with open(path, encoding="utf-8") as lines:
            result = trec.read_run(lines)
        return trec.remove_own_documents(result) if s["own"] else result

    for name, s in sets.items():
        tune = set(s["tune"])
        with open(os.path.join(s["work"], "queries-kinds-tune.tsv"), "w", encoding="utf-8") as out:
            for qid, text in s["queries"]:
                if qid in tune:
                    out.write(f"{qid}\t{' '.join(text.split())}\n")
    # The default command line only for the short queries: its long queries already expand by kind.
    settings = {"default": [], "need": ["--expand-with", args.need], "pasted": ["--expand"]}
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = {(name, label): pool.submit(run, name, label, extra)
                   for name in sets for label, extra in settings.items()}
        runs = {key: future.result() for key, future in futures.items()}

    longest = max(v for c in counts.values() for v in c.values() if v is not None)
    thresholds = sorted({LONG_QUERY_TERMS} | {v + 1 for c in counts.values() for v in c.values()
                                               if v is not None and v >= LONG_QUERY_TERMS} | {longest + 1})
    print(f"\nTune halves, nDCG@10, a query of {LONG_QUERY_TERMS}..N-1 distinct words expanded with {args.need}, "
          f"N or more with --expand's (N = {LONG_QUERY_TERMS}: --expand's for every long query, the default before; "
          f"N = {longest + 1}: --need for every long query):")
    for n in thresholds:
        cells = {}
        for name, s in sets.items():
            tune_terms = {q: counts[name][q] for q in s["tune"]}
            mixed = mix({label: runs[(name, label)] for label in settings}, tune_terms, n)
            cells[name] = metrics.evaluate(mixed, s["qrels"], query_ids=s["tune"])["ndcg"]
        classic_names = [name for name in sets if name != "arguana"]
        mean = sum(cells[name] for name in classic_names) / len(classic_names) if classic_names else float("nan")
        print(f"- N = {n}: mean of {', '.join(classic_names)} {mean:.4f}; " +
              ", ".join(f"{name} {value:.4f}" for name, value in cells.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
