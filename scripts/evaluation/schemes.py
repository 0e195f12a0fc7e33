"""Xapian's weighting schemes (`revsearch --scheme`) on Cranfield and MEDLINE: a grid on the tune half, each
family's best reported on the test half and on short and long queries, with paired tests against the default
(bm25) and SQLite FTS5 bm25().

usage: python3 -m evaluation.schemes --build-dir DIR [--data DIR] [--collections cranfield,medline] [--work DIR]
       [--doc FILE] [--jobs N]
       python3 -m evaluation.schemes --build-dir DIR --reviews SCHEME,... [--data DIR] [--work DIR]
(from scripts/; the collections, the runs and the scoring are classic.py's; the figures go into docs/ranking.md,
"Weighting schemes"). --reviews runs the judged review queries of reviews.py (1 to 4 words) with each scheme as
plain text ranking (`--weights helpful=0,rating=0`) and prints nDCG@10, P@10 and the share of unjudged reviews in
the top 10 (the grades pool only bm25, the blend and FTS5, so a scheme that brings in unjudged reviews is scored
low by construction: read its nDCG with that share).
"""

import argparse
import datetime
import os
import re
import statistics
import subprocess
import sys
import time

import datasets

from . import classic, generated as generated_doc, metrics

# The grid the tune half chooses from, by family. The values around each scheme's published default: BM25+'s
# delta (Lv & Zhai 2011: 1), the Dirichlet prior mu (Zhai & Lafferty 2001: 2000 for news, less for short
# documents such as these abstracts of about 100 words), PL2's c (Amati 2003: 1, larger for short documents).
GRID = {
    "bm25": ["bm25"],
    "bm25+": ["bm25+:delta=0.5", "bm25+:delta=1"],
    "lm": ["lm:mu=100", "lm:mu=500", "lm:mu=2000"],
    "dph": ["dph"],
    "pl2": ["pl2:c=1", "pl2:c=4", "pl2:c=10"],
}
DEFAULT = "bm25"


def begin_mark(name):
    return f"<!-- evaluation.schemes {name}: begin generated figures -->"


def end_mark(name):
    return f"<!-- evaluation.schemes {name}: end generated figures -->"


def evaluate(name, args):
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    c = classic.Collection(name, datasets.path(args.data, classic.COLLECTIONS[name]["set"]), args.work, revindex)

    def runs(jobs):
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {}
            for label, queries in jobs:
                tag = re.sub(r"\W+", "_", f"{name} scheme {label}").strip("_")
                path = os.path.join(c.work, f"run-{tag}.txt")
                futures[label] = (path, pool.submit(classic.run_revsearch, revsearch, c.db, queries,
                                                    ["--scheme", label], tag, path))
            out = {}
            for label, (path, future) in futures.items():
                future.result()
                out[label] = classic.score(path, c)
            return out

    grid = runs([(spec, c.query_file("tune")) for specs in GRID.values() for spec in specs])
    best = {family: max(specs, key=lambda s: (grid[s]["tune"]["ndcg"], grid[s]["tune"]["map"]))
            for family, specs in GRID.items()}
    finals = runs([(spec, c.query_file("all")) for spec in best.values()])
    fts5_path = os.path.join(c.work, "run-FTS5.txt")
    c.fts5_run(fts5_path)
    finals["FTS5"] = classic.score(fts5_path, c)
    # Short and long queries: the halves of all queries by their number of words (ties go to the short half).
    words = {qid: len(re.findall(r"\w+", text)) for qid, text in c.queries}
    median = statistics.median(words.values())
    lengths = {"short": [q for q in c.splits["all"] if words[q] <= median],
               "long": [q for q in c.splits["all"] if words[q] > median]}
    return {"collection": c, "grid": grid, "best": best, "finals": finals, "lengths": lengths, "median": median,
            "words": words}


def mean(scores, qids, index=0):
    return sum(scores["all"]["per_query"][q][index] for q in qids) / max(len(qids), 1)


def paired(finals, a, b, qids, split="all", index=0):
    x, y = classic.per_query(finals[a], split, index), classic.per_query(finals[b], split, index)
    qids = sorted(q for q in qids if q in x)
    diff, p = metrics.paired_randomisation([x[q] for q in qids], [y[q] for q in qids])
    return f"{diff:+.4f} (p = {p:.3f})"


def report(result):
    c, finals, best, lengths = result["collection"], result["finals"], result["best"], result["lengths"]
    lines = [f"{c.documents:,} documents; {len(c.splits['all'])} queries ({len(c.splits['tune'])} tune, "
             f"{len(c.splits['test'])} test); short queries: at most {result['median']:.0f} words "
             f"({len(lengths['short'])}), long: more ({len(lengths['long'])}). Runs: `--limit {classic.RUN_LIMIT}`.",
             "", "| system (best of its family on tune) | nDCG@10 tune | nDCG@10 test | nDCG@10 all | MAP test "
             "| MAP all | nDCG@10 short | nDCG@10 long | test: - bm25, nDCG@10 | test: - FTS5, nDCG@10 |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label in list(best.values()) + ["FTS5"]:
        s = finals[label]
        name = f"`--scheme {label}`" if label != "FTS5" else "SQLite FTS5 `bm25()`, words OR-ed"
        versus_default = "" if label == DEFAULT else paired(finals, label, DEFAULT, c.splits["test"], "test")
        versus_fts5 = "" if label == "FTS5" else paired(finals, label, "FTS5", c.splits["test"], "test")
        lines.append(f"| {name} | {s['tune']['ndcg']:.4f} | {s['test']['ndcg']:.4f} | {s['all']['ndcg']:.4f} | "
                     f"{s['test']['map']:.4f} | {s['all']['map']:.4f} | {mean(s, lengths['short']):.4f} | "
                     f"{mean(s, lengths['long']):.4f} | {versus_default} | {versus_fts5} |")
    lines += ["", f"Paired randomisation tests ({metrics.PERMUTATIONS:,} sign flips, seed {metrics.SEED}, two-sided): "
              "mean difference and p. Short and long queries, each family's best - bm25, nDCG@10: " + "; ".join(
                  f"{label} {paired(finals, label, DEFAULT, lengths['short'])} short, "
                  f"{paired(finals, label, DEFAULT, lengths['long'])} long"
                  for label in best.values() if label != DEFAULT) + "."]
    top = sorted(result["grid"].items(), key=lambda item: -item[1]["tune"]["ndcg"])
    lines += ["", "Grid on the tune half (nDCG@10 / MAP): " + "; ".join(
        f"{label} {s['tune']['ndcg']:.4f} / {s['tune']['map']:.4f}" for label, s in top) + "."]
    return "\n".join(lines) + "\n"


def review_queries(args, schemes):
    from . import reviews
    with open(reviews.QUERIES, encoding="utf-8") as lines:
        queries = reviews.read_queries(lines)
    work = args.work or os.path.join(args.build_dir, "reviews")
    os.makedirs(work, exist_ok=True)
    corpora = {name: reviews.Corpus(name, args.data, work, args.build_dir, reuse=True)
               for name in dict.fromkeys(q["set"] for q in queries)}
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    qrels = reviews.read_qrels_file(reviews.QRELS)
    qids = [q["qid"] for q in queries]
    scores = {}
    for scheme in schemes:
        top = {}
        for q in queries:
            corpus = corpora[q["set"]]
            command = [revsearch, "--db", corpus.db, "--json", "--color", "never", "--limit", str(reviews.K),
                       "--weights", "helpful=0,rating=0", "--scheme", scheme, "--", q["query"]]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
            if result.returncode not in (0, 1):
                raise RuntimeError(f"revsearch {q['query']!r} failed: {result.stderr.strip()}")
            hits, _ = reviews.signals.read_hits(result.stdout.splitlines())
            top[q["qid"]] = [(corpus.canonical.get(h["key"], h["id"]), h["H"]) for h in hits]
        tag = re.sub(r"\W+", "_", scheme)
        path = os.path.join(work, f"run-scheme-{tag}.txt")
        reviews.write_run(path, scheme, top)
        scores[scheme] = reviews.score(path, top, qrels, qids)
        # Condensed nDCG@10 (Sakai 2007): the unjudged reviews left out of the ranking, so that a scheme is not
        # scored down for reviews the pool never showed the grader (it is scored on the judged ones it ranks).
        scores[scheme]["condensed"] = {
            q: metrics.ndcg_at_k([d for d, _ in top[q] if d in qrels.get(q, {})], qrels.get(q, {}), reviews.K) or 0.0
            for q in qids}
    lines = [f"{len(qids)} judged review queries, plain text ranking (`--weights helpful=0,rating=0`):", "",
             "| `--scheme` | nDCG@10 | P@10 | unjudged in top 10 | - bm25, nDCG@10 | condensed nDCG@10 | - bm25 |",
             "|---|---|---|---|---|---|---|"]
    for scheme, s in scores.items():
        summary = reviews.summarise(s, qids)
        versus = {"ndcg": "", "condensed": ""}
        for metric in versus if scheme != schemes[0] else ():
            diff, p = metrics.paired_randomisation([s[metric][q] for q in qids],
                                                   [scores[schemes[0]][metric][q] for q in qids])
            versus[metric] = f"{diff:+.3f} (p = {p:.3f})"
        lines.append(f"| {scheme} | {summary['ndcg']:.3f} | {summary['p10']:.3f} | {summary['unjudged']:.1%} | "
                     f"{versus['ndcg']} | {summary['condensed']:.3f} | {versus['condensed']} |")
    print("\n".join(lines))
    return 0


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.schemes", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--collections", default="cranfield,medline", help="comma-separated: cranfield,medline")
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/schemes)")
    parser.add_argument("--doc", help="Markdown file whose generated sections get the figures")
    parser.add_argument("--jobs", type=int, default=2, help="revsearch runs at once")
    parser.add_argument("--reviews", help="comma-separated schemes, the first the reference: the judged review "
                        "queries instead of the collections")
    args = parser.parse_args(argv)
    if args.reviews:
        return review_queries(args, args.reviews.split(","))
    names = classic.selected_collections(args.collections, "evaluation.schemes")
    if names is None:
        return 2
    datasets.require("evaluation.schemes", args.data, names)
    args.work = args.work or os.path.join(args.build_dir, "schemes")
    for name in names:
        started = time.monotonic()
        result = evaluate(name, args)
        generated = (f"Generated by `python3 -m evaluation.schemes --build-dir ../build --collections {name}` (from "
                     f"scripts/) on {datetime.date.today().isoformat()} ({time.monotonic() - started:.0f} s on "
                     f"{os.cpu_count()} cores).\n\n" + report(result))
        print(f"## {classic.COLLECTIONS[name]['title']}\n\n{generated}")
        if args.doc:
            generated_doc.replace_between(args.doc, begin_mark(name), end_mark(name), generated)
            print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
