"""BEIR ArguAna with revsearch: index, run the 1,406 test queries under several settings, score, report.

usage: python3 -m evaluation.arguana --build-dir DIR [--data DIR] [--work DIR] [--doc FILE] [--jobs N]
(scripts/eval runs it after building; see docs/ranking-arguana.md for the method and the figures.)

Steps: BEIR corpus -> canonical JSON lines (beir.py) -> `revindex add`; the test queries (queries.jsonl lines
whose id is in test.tsv) -> `revsearch --queries` once per setting: the default command line (which expands
these long queries), the same with --no-expand, and a grid of BM25 parameters and headline weights with the words
alone and helpful/rating weights 0 (ArguAna has no votes or ratings); each query's own document removed from its ranking (BEIR's convention); nDCG@10 and
Recall@100 (metrics.py) on the tune half, the test half and all queries. The BM25 parameters are chosen on
the tune half only (best nDCG@10) and the choice is reported on test and all.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import time

import datasets  # scripts/datasets.py: where each public set is under --data, and where it is published

from . import beir, generated as generated_doc, metrics, trec

# Runs ask for 101 hits: the query's own document is removed, which leaves the 100 that Recall@100 needs (and
# takes half the time of --limit 1000 on this 2-core machine).
RUN_LIMIT = 101

# Run on all queries for reference: revsearch's default command line (no --bm25, --weights or --no-expand: long
# queries, as every ArguAna query is, are expanded; docs/ranking.md, "Long queries"), and the same words alone.
REFERENCES = [("revsearch default command line", None), ("revsearch --no-expand", None)]
# The BM25 parameters of the default, for the rows below that set --bm25 (the grid, the headline weights).
DEFAULT_BM25 = "k1=1.2,b=0.75"
# The grid the tune half chooses from. ArguAna queries are whole arguments (median 174 words) and a long
# document matches many of their words by chance, so strong length normalisation (b near 1) pays off. A wider
# first look (scripts/eval of 2026-11-22, nDCG@10 on tune) ruled out the rest: k1=0.6 with b=0.3/0.5/0.75/0.9
# gave 0.348/0.377/0.413/0.432; k1=0.9 with b=0.75/0.9/1 gave 0.432/0.452/0.462; b=0.75 with k1=1.2/1.6 gave
# 0.441/0.441.
FLAT_GRID = [(k1, b) for k1 in ("1.2", "1.6", "2") for b in ("0.9", "1")]
# Headline weights (`--field-weights headline=W`, docs/ranking.md "Headline weight"): the query's words again in
# the title (BEIR's title field), weighted apart, as Anserini's multifield run scores the title as a field of
# its own. Tried at the default BM25 (what a user gets) and the best W again at the best flat setting.
HEADLINE_WEIGHTS = ("0.25", "0.5", "1", "2")

BEGIN_MARK = "<!-- scripts/eval: begin generated figures -->"
END_MARK = "<!-- scripts/eval: end generated figures -->"


def prepare(data_dir, work_dir, revindex):
    """Converts and indexes the corpus, writes the query files; returns (qrels, query ids, problems)."""
    os.makedirs(work_dir, exist_ok=True)
    problems = []
    corpus = os.path.join(work_dir, "corpus.jsonl")
    with open(os.path.join(data_dir, "corpus.jsonl"), encoding="utf-8") as lines, \
            open(corpus, "w", encoding="utf-8") as out:
        documents = beir.convert_corpus(lines, out, problems)
    db = os.path.join(work_dir, "db")
    shutil.rmtree(db, ignore_errors=True)
    started = time.monotonic()
    subprocess.run([revindex, "add", "--db", db, "--quiet", corpus], check=True, stdout=subprocess.DEVNULL)
    index_seconds = time.monotonic() - started

    with open(os.path.join(data_dir, "test.tsv"), encoding="utf-8") as lines:
        qrels = trec.read_qrels(lines, problems)
    with open(os.path.join(data_dir, "queries.jsonl"), encoding="utf-8") as lines, \
            open(os.path.join(work_dir, "queries-selected.jsonl"), "w", encoding="utf-8") as out:
        query_ids = beir.select_queries(lines, set(qrels), out)
    return {"qrels": qrels, "query_ids": query_ids, "documents": documents, "problems": problems,
            "index_seconds": index_seconds, "db": db, "twins": text_twins(corpus)}


def run_setting(revsearch, db, queries, bm25, headline, tag, run_path, collapse=True, extra=()):
    """One revsearch batch run into run_path; returns (seconds, stderr lines). With `bm25` None, the default
    command line (plus `extra`); with BM25 parameters, the words alone (--no-expand), signals off, as the grid
    has always been run."""
    started = time.monotonic()
    settings = (["--weights", "helpful=0,rating=0", "--no-expand", "--bm25", bm25] if bm25 else []) + list(extra)
    with open(run_path, "w", encoding="utf-8") as out:
        result = subprocess.run([revsearch, "--db", db, "--queries", queries, "--limit", str(RUN_LIMIT),
                                 "--run-tag", tag, "--quiet"] + settings
                                + (["--field-weights", f"headline={headline}"] if headline else [])
                                + ([] if collapse else ["--no-collapse"]),
                                stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):  # 1: no query matched anything
        raise RuntimeError(f"revsearch failed ({result.returncode}): {result.stderr.strip()}")
    return time.monotonic() - started, result.stderr.splitlines()


def text_twins(corpus_path):
    """{docid: [other docids with the same text]}. revsearch collapses hits on a hash of the folded,
    white-space-normalised body (docs/ranking.md, Duplicates); ArguAna lists 109 arguments under two debates
    (e.g. test-environment-assgbatj-pro02b and test-science-eassgbatj-pro02b), so one of each pair is hidden."""
    groups = {}
    with open(corpus_path, encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            groups.setdefault(" ".join(record["body"].lower().split()), []).append(record["id"])
    return {docid: [other for other in group if other != docid]
            for group in groups.values() if len(group) > 1 for docid in group}


def without_collapse(run, qrels, twins):
    """Diagnostic only: the run as if the collapse had kept the relevant copy. Where a query's relevant
    document is missing but a twin with the same text was returned, the relevant one takes the twin's score.
    An upper bound of what turning the collapse off would give. Returns (run, queries changed)."""
    changed = 0
    repaired = {}
    for qid, docs in run.items():
        docs = dict(docs)
        for relevant in (d for d, rel in qrels.get(qid, {}).items() if rel > 0 and d not in docs):
            returned = [twin for twin in twins.get(relevant, []) if twin in docs]
            if returned:
                docs[relevant] = docs.pop(returned[0])
                changed += 1
        repaired[qid] = docs
    return repaired, changed


def score(run_path, qrels, splits, twins):
    with open(run_path, encoding="utf-8") as lines:
        run = trec.remove_own_documents(trec.read_run(lines))
    figures = {split: metrics.evaluate(run, qrels, query_ids=ids) for split, ids in splits.items()}
    figures["no_hits"] = [qid for qid in splits["all"] if not run.get(qid)]
    repaired, figures["collapsed"] = without_collapse(run, qrels, twins)
    figures["uncollapsed"] = metrics.evaluate(repaired, qrels, query_ids=splits["all"])
    return figures


class Setting:
    """`--bm25 BM25` (None: the default command line), `--field-weights headline=HEADLINE` when HEADLINE is set,
    and `extra` options."""

    def __init__(self, name, bm25, headline=None, collapse=True, extra=()):
        self.name, self.bm25, self.headline, self.collapse, self.extra = name, bm25, headline, collapse, extra

    def queries_file(self, work, split):
        return os.path.join(work, f"queries-{split}.jsonl")


def evaluate_all(args):
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    work = args.work or os.path.join(args.build_dir, "arguana")
    prepared = prepare(args.data, work, revindex)
    ids = prepared["query_ids"]
    splits = {"tune": [q for q in ids if beir.split_of(q) == "tune"],
              "test": [q for q in ids if beir.split_of(q) == "test"], "all": ids}
    write_query_files(work, splits)

    def run_jobs(jobs):
        """[(Setting, split)] -> rows, run args.jobs revsearch processes at a time."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = []
            for setting, split in jobs:
                tag = re.sub(r"\W+", "_", f"{setting.name} {split}").strip("_")
                run_path = os.path.join(work, f"run-{tag}.txt")
                futures.append((setting, split, run_path, pool.submit(
                    run_setting, revsearch, prepared["db"], setting.queries_file(work, split), setting.bm25,
                    setting.headline, tag, run_path, setting.collapse, setting.extra)))
            rows = []
            for setting, split, run_path, future in futures:
                seconds, stderr = future.result()
                rows.append({"setting": setting, "split": split, "seconds": seconds, "stderr": stderr,
                             **score(run_path, prepared["qrels"], splits, prepared["twins"])})
            return rows

    default_bm25 = DEFAULT_BM25
    grid_rows = run_jobs([(Setting(f"k1={k1} b={b}", f"k1={k1},b={b}"), "tune") for k1, b in FLAT_GRID])
    grid_rows += run_jobs([(Setting(f"default + headline={w}", default_bm25, w), "tune") for w in HEADLINE_WEIGHTS])
    best_flat = max(grid_rows[:len(FLAT_GRID)], key=lambda row: row["tune"]["ndcg"])
    best_weight = max(grid_rows[len(FLAT_GRID):], key=lambda row: row["tune"]["ndcg"])["setting"].headline
    flat = best_flat["setting"]
    grid_rows += run_jobs([(Setting(f"{flat.name} + headline={best_weight}", flat.bm25, best_weight), "tune")])
    best = max(grid_rows, key=lambda row: row["tune"]["ndcg"])
    finals = [Setting(REFERENCES[0][0], None), Setting(REFERENCES[1][0], None, extra=("--no-expand",))]
    finals.append(Setting(f"default + best headline weight on tune: {best_weight}", default_bm25, best_weight))
    finals.append(Setting(f"best flat on tune: {flat.name}", flat.bm25))
    if best is not best_flat:
        finals.append(Setting(f"best on tune: {best['setting'].name}", best["setting"].bm25, best["setting"].headline))
    # The chosen setting again with every copy of a text shown, as BEIR counts (its 109 duplicated arguments).
    chosen = finals[-1]
    uncollapsed = Setting(f"{chosen.name}, --no-collapse", chosen.bm25, chosen.headline, collapse=False)
    final_rows = run_jobs([(setting, "all") for setting in finals + [uncollapsed]])
    return {"grid_rows": grid_rows, "final_rows": final_rows[:-1], "no_collapse_row": final_rows[-1],
            "splits": splits, **prepared}


def write_query_files(work, splits):
    """queries-{all,tune}.jsonl from queries-selected.jsonl."""
    with open(os.path.join(work, "queries-selected.jsonl"), encoding="utf-8") as lines:
        queries = [json.loads(line) for line in lines]
    for split in ("all", "tune"):
        wanted = set(splits[split])
        with open(os.path.join(work, f"queries-{split}.jsonl"), "w", encoding="utf-8") as out:
            for query in queries:
                if query["_id"] in wanted:
                    out.write(json.dumps({"_id": query["_id"], "text": query["text"]}, ensure_ascii=False) + "\n")


def table(result):
    """Markdown: the settings run on all queries (tune/test/all), then the grid (tune only)."""
    header = ("| setting | `--bm25` | `--field-weights` | nDCG@10 tune | nDCG@10 test | nDCG@10 all "
              "| R@100 tune | R@100 test | R@100 all |\n|---|---|---|---|---|---|---|---|---|\n")
    lines = []
    for row in result["final_rows"] + [result["no_collapse_row"]] + result["grid_rows"]:
        setting = row["setting"]
        splits = ("tune", "test", "all") if row["split"] == "all" else ("tune",)
        cells = []
        for metric in ("ndcg", "recall"):
            cells += [f"{row[split][metric]:.4f}" if split in splits else "" for split in ("tune", "test", "all")]
        queries = f"headline={setting.headline}" if setting.headline else ""
        name = setting.name if row["split"] == "all" else f"grid {setting.name}"
        bm25 = f"{setting.bm25}, `--no-expand`" if setting.bm25 else " ".join(setting.extra) or "(default)"
        lines.append(f"| {name} | {bm25} | {queries} | " + " | ".join(cells) + " |")
    return header + "\n".join(lines) + "\n"


def summary(result):
    splits = result["splits"]
    rows = result["final_rows"] + result["grid_rows"]
    chosen = result["final_rows"][-1]
    problems = sorted({line for row in rows for line in row["stderr"]})
    no_hits = sorted({qid for row in result["final_rows"] for qid in row["no_hits"]})
    lines = [
        f"- Corpus: {result['documents']:,} documents indexed in {result['index_seconds']:.0f} s. Queries: "
        f"{len(splits['all']):,} ({len(splits['tune'])} tune, {len(splits['test'])} test), "
        f"{chosen['all']['queries']:,} scored (every query has a relevant document). Runs: `--limit {RUN_LIMIT}`, "
        f"the query's own document removed; rows with `--bm25` also `--weights helpful=0,rating=0 --no-expand`.",
        f"- Chosen: **{chosen['setting'].name}** (`--bm25 {chosen['setting'].bm25}`"
        + (f" `--field-weights headline={chosen['setting'].headline}`" if chosen['setting'].headline else "")
        + "): "
        f"nDCG@10 {chosen['test']['ndcg']:.4f} on test, "
        f"{chosen['all']['ndcg']:.4f} on all; R@100 {chosen['test']['recall']:.4f} on test, "
        f"{chosen['all']['recall']:.4f} on all.",
        f"- Queries without any hit (after removing the own document), any setting run on all: {len(no_hits)}"
        + (f" ({', '.join(no_hits)})" if no_hits else "") + f". revsearch stderr lines: {len(problems)}.",
        f"- Collapse of equal texts: in the chosen run {chosen['collapsed']} queries lack their relevant document "
        f"while a document with the same text was returned instead. Counting those as found (an upper bound of "
        f"turning the collapse off): nDCG@10 {chosen['uncollapsed']['ndcg']:.4f}, R@100 "
        f"{chosen['uncollapsed']['recall']:.4f} on all. Measured with `--no-collapse` (every copy shown, as BEIR "
        f"counts): nDCG@10 {result['no_collapse_row']['all']['ndcg']:.4f}, "
        f"R@100 {result['no_collapse_row']['all']['recall']:.4f} on all.",
    ]
    lines += [f"    revsearch: {problem}" for problem in problems[:5]]
    return "\n".join(lines) + "\n"


def write_doc(doc_path, generated):
    generated_doc.replace_between(doc_path, BEGIN_MARK, END_MARK, generated)


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.arguana", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--work", help="index and runs (default: BUILD_DIR/arguana)")
    parser.add_argument("--doc", help="Markdown file whose generated section gets the table")
    parser.add_argument("--jobs", type=int, default=2, help="revsearch runs at once")
    parser.add_argument("--command", default="scripts/eval", help="the command named in the document")
    args = parser.parse_args(argv)
    datasets.require("scripts/eval", args.data, ["arguana"])
    args.data = datasets.path(args.data, "arguana")
    started = time.monotonic()
    result = evaluate_all(args)
    generated = (f"Generated by `{args.command}` on {datetime.date.today().isoformat()} "
                 f"({time.monotonic() - started:.0f} s on {os.cpu_count()} cores).\n\n"
                 + table(result) + "\n" + summary(result))
    print(generated)
    if args.doc:
        write_doc(args.doc, generated)
        print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
