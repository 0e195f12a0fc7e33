"""Length normalisation on the judged review queries: a grid of BM25's k1 and b, and BM25+, under the default blend.

usage: python3 -m evaluation.length --build-dir DIR [--data DIR] [--work DIR] [--reuse] [--doc FILE]
(scripts/eval-reviews --length runs it; the figures and what was chosen: docs/ranking.md, "Document length".)

The most useful reviews are long (median body of grade-3 reviews about twice that of the rest: eval-reviews prints
the medians), and BM25's b (how much a long document is discounted) and k1 (how soon repeats of a word stop
counting) decide how long reviews fare. Every cell runs the 30 queries of review_queries.tsv with the default
signal weights and `--bm25 k1=K,b=B` (or `--scheme bm25+:...`), through reviews.Corpus as eval-reviews does (first
10 distinct texts, canonical ids, unjudged reviews count 0). Thirty queries are few, so the cell is chosen on a
fixed tune half (beir.split_of: SHA-256 of the query id) and reported on the other half and on all queries, each
against the default with the paired randomisation test, and against plain BM25 and FTS5 as eval-reviews runs them.
"""

import argparse
import datetime
import os
import sys
import time

from . import beir, generated as generated_doc, metrics, reviews, signals
from .signals import datasets

K1_GRID = ("0.6", "0.9", "1.2", "1.6", "2")
B_GRID = ("0.3", "0.5", "0.75", "0.9", "1")
# BM25+ (Lv & Zhai 2011): a floor of delta for every matching word, whatever the document's length.
PLUS_GRID = ("bm25+", "bm25+:b=0.5", "bm25+:delta=0.5", "bm25+:k1=2,b=0.9")
DEFAULT_CELL = "k1=1.2,b=0.75"

BEGIN_MARK = "<!-- scripts/eval-reviews --length: begin generated figures -->"
END_MARK = "<!-- scripts/eval-reviews --length: end generated figures -->"
UNION_BEGIN_MARK = "<!-- scripts/eval-reviews --length --union: begin generated figures -->"
UNION_END_MARK = "<!-- scripts/eval-reviews --length --union: end generated figures -->"


def cells():
    """[(label, revsearch options)]: the BM25 grid, then BM25+."""
    out = [(f"k1={k1},b={b}", ["--bm25", f"k1={k1},b={b}"]) for k1 in K1_GRID for b in B_GRID]
    return out + [(f"--scheme {spec}", ["--scheme", spec]) for spec in PLUS_GRID]


def run_cells(revsearch, queries, corpora, settings):
    """[(label, options)] -> {label: {qid: [(docid, H)]}} under the default signal weights."""
    tops = {label: {} for label, _ in settings}
    for query in queries:
        corpus = corpora[query["set"]]
        for label, extra in settings:
            tops[label][query["qid"]] = corpus.revsearch(revsearch, query["query"], None, extra=extra)
    return tops


def scored(work, label, top, qrels, qids):
    path = os.path.join(work, "run-length-" + "".join(c if c.isalnum() else "_" for c in label) + ".txt")
    reviews.write_run(path, "length", top)
    return reviews.score(path, top, qrels, qids)


def paired(a, b, qids):
    diff, p = metrics.paired_randomisation([a[q] for q in qids], [b[q] for q in qids])
    return f"{diff:+.3f} (p = {p:.2f})"


def report(queries, scores, chosen, words, tops, splits):
    mean = lambda values, ids: sum(values[q] for q in ids) / len(ids)
    lines = [f"{len(splits['all'])} queries: {len(splits['tune'])} tune ({', '.join(splits['tune'])}), "
             f"{len(splits['test'])} test. Every cell under the default signal weights; nDCG@10 of the first 10 "
             f"distinct texts, unjudged reviews count 0. Best on tune: **{chosen}**.", "",
             "| setting | nDCG@10 tune | nDCG@10 test | nDCG@10 all | against k1=1.2,b=0.75, test | against "
             "k1=1.2,b=0.75, all | unjudged in top 10 | median words, top 10 |", "|---|---|---|---|---|---|---|---|"]
    default = scores[DEFAULT_CELL]["ndcg"]
    order = sorted(scores, key=lambda label: -mean(scores[label]["ndcg"], splits["tune"]))
    for label in order:
        s = scores[label]
        cells = [label] + [f"{mean(s['ndcg'], splits[x]):.3f}" for x in ("tune", "test", "all")]
        cells += [paired(s["ndcg"], default, splits["test"]), paired(s["ndcg"], default, splits["all"]),
                  f"{mean(s['unjudged'], splits['all']):.1%}",
                  f"{reviews.median(words[d] for hits in tops[label].values() for d, _ in hits):.0f}"]
        if label == chosen:
            cells = [f"**{c}**" for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.length", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/reviews, shared with eval-reviews)")
    parser.add_argument("--reuse", action="store_true", help="keep the indexes already in --work (same corpora)")
    parser.add_argument("--doc", help="Markdown file whose generated section gets the table")
    parser.add_argument("--union", action="store_true",
                        help="the queries of both judged sets (review_queries.tsv and the held-out "
                             "review_validation_queries.tsv), split into halves together")
    parser.add_argument("--command", default="scripts/eval-reviews --length", help="the command named in the doc")
    args = parser.parse_args(argv)
    sources = [(reviews.QUERIES, reviews.QRELS)]
    if args.union:
        sources.append((reviews.VALIDATION_QUERIES, reviews.VALIDATION_QRELS))
        args.command += " --union"
    queries, qrels = [], {}
    for queries_path, qrels_path in sources:
        with open(queries_path, encoding="utf-8") as lines:
            queries += reviews.read_queries(lines)
        qrels.update(reviews.read_qrels_file(qrels_path))
    datasets.require("scripts/eval-reviews", args.data,
                     sorted({reviews.DATASET_OF_SET[q["set"]] for q in queries}))
    started = time.monotonic()
    work = args.work or os.path.join(args.build_dir, "reviews")
    os.makedirs(work, exist_ok=True)
    corpora = {name: reviews.Corpus(name, args.data, work, args.build_dir, args.reuse)
               for name in dict.fromkeys(q["set"] for q in queries)}
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    qids = [q["qid"] for q in queries]
    splits = {"tune": [q for q in qids if beir.split_of(q) == "tune"],
              "test": [q for q in qids if beir.split_of(q) == "test"], "all": qids}
    tops = run_cells(revsearch, queries, corpora, cells())
    scores = {label: scored(work, label, top, qrels, qids) for label, top in tops.items()}
    mean_tune = lambda label: sum(scores[label]["ndcg"][q] for q in splits["tune"]) / len(splits["tune"])
    chosen = max(scores, key=lambda label: (round(mean_tune(label), 6), label == DEFAULT_CELL))
    words = {docid: len((review.get("body") or "").split())
             for corpus in corpora.values() for docid, review in corpus.reviews.items()}
    generated = (f"Generated by `{args.command}` on {datetime.date.today().isoformat()} "
                 f"({time.monotonic() - started:.0f} s on {os.cpu_count()} cores).\n\n"
                 + report(queries, scores, chosen, words, tops, splits))
    print(generated)
    if args.doc:
        begin, end = (UNION_BEGIN_MARK, UNION_END_MARK) if args.union else (BEGIN_MARK, END_MARK)
        generated_doc.replace_between(args.doc, begin, end, generated)
        print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
