"""Cranfield and MEDLINE with revsearch and SQLite FTS5 bm25(): index, run every query, score, report.

usage: python3 -m evaluation.classic --build-dir DIR [--data DIR] [--collections cranfield,medline] [--work DIR]
       [--doc FILE] [--jobs N]
(scripts/eval runs it after building; see docs/ranking-classic.md for the method and the figures.)

Per collection: the SMART files in its tar.gz (smart.py) -> canonical JSON lines -> `revindex add`, and the same
lines into an FTS5 table the way the benchmark loads its peer (benchmark/peers.py: same schema, porter stemming).
The queries run through `revsearch --queries` (TSV, TREC output, --limit 1000) with our default command line, with
a BM25 grid on the tune half (beir.split_of: a fixed half by SHA-256 of the query id) whose best setting is then
reported on the test half, and as a diagnostic with hyphens replaced by spaces; FTS5 runs the same queries as its
words OR-ed (peers.fts5_or_query), ordered by bm25(). nDCG@10, MAP and Recall@100 (metrics.py) on tune, test and
all; paired randomisation tests (metrics.paired_randomisation) between our default and FTS5.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

import datasets  # scripts/datasets.py: where each public set is under --data, and where it is published

from . import beir, generated as generated_doc, metrics, smart, trec

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "benchmark"))
import peers  # noqa: E402  (the FTS5 schema, loader and OR query of the benchmark)

RUN_LIMIT = 1000  # trec_eval's usual depth for MAP; the collections have 1,400 and 1,033 documents

# name -> (tar.gz under --data's classic-ir/ (datasets.py), documents, queries, judgments, Cranfield's traps)
COLLECTIONS = {
    "cranfield": {"set": "cranfield", "docs": "cran.all.1400", "queries": "cran.qry", "qrels": "cranqrel",
                  "renumber": True, "gain": smart.cranfield_gain, "title": "Cranfield"},
    "medline": {"set": "medline", "docs": "MED.ALL", "queries": "MED.QRY", "qrels": "MED.REL",
                "renumber": False, "gain": None, "title": "MEDLINE"},
}

# The grid the tune half chooses from (`--bm25 k1=K,b=B`); revsearch's default is k1=1.2, b=0.75
# (docs/ranking.md). A wider first look on Cranfield's tune half (2026-12-01, nDCG@10) ruled out the rest: k1=0.6
# with b=0.3/0.5/0.75/0.9/1 gave 0.308/0.315/0.328/0.336/0.336, k1=0.9 0.318/0.328/0.342/0.343/0.347, k1=1.2 with
# b=0.3/0.5 0.324/0.334 and k1=1.6 with b=0.3/0.5 0.327/0.339: stronger length normalisation and larger k1 pay.
# Each run of 1,000 hits takes tens of seconds on the shared 2 cores, hence nine cells.
GRID = [(k1, b) for k1 in ("1.2", "1.6", "2") for b in ("0.75", "0.9", "1")]
# Query expansion (`--expand-with`) the tune half chooses from by MAP: feedback documents, scheme, weight of the
# expansion terms (the default 10 of them). revsearch's `--expand` default is the cell with the best mean tune MAP
# over Cranfield and MEDLINE, re-examined by nDCG@10 in evaluation.expansion_grid
# (searcher/search/include/revsearch/expansion.hpp).
EXPANSION_GRID = [f"docs={docs},scheme={scheme},weight={weight}"
                  for docs in (3, 5, 10) for scheme in ("bo1", "trad") for weight in ("0.5", "1")]
# The proximity boost (`--proximity`) the tune half chooses from by nDCG@10: the boost's weight and the window
# its pairs of adjacent query words must fall within (either order, words in over half the documents skipped).
# Its default comes from this grid's tune halves and the other evidence of docs/ranking.md, "Proximity" (which
# kept it off); "off" is the run without it. Larger weights (0.5 and up) lost on MEDLINE's tune half.
PROXIMITY_GRID = (["weight=0.05,window=8"] + [f"weight=0.1,window={window}" for window in (2, 4, 8)]
                  + ["weight=0.25,window=2", "weight=0.25,window=4", "weight=0.5,window=4"])
# A word whose documents are more than this share of the collection is "common" in the analysis below (Xapian
# 1.4's BM25 idf keeps such words weightier than FTS5's and Lucene's do).
COMMON_SHARE = 1 / 3
WORST = 10


def begin_mark(name):
    return f"<!-- scripts/eval {name}: begin generated figures -->"


def end_mark(name):
    return f"<!-- scripts/eval {name}: end generated figures -->"


class Collection:
    """One collection converted, indexed twice (ours and FTS5), with its queries and qrels."""

    def __init__(self, name, archive, work, revindex):
        spec = COLLECTIONS[name]
        self.name, self.work = name, os.path.join(work, name)
        os.makedirs(self.work, exist_ok=True)
        self.problems = []
        docs = smart.documents(smart.read_records(smart.read_member(archive, spec["docs"]).splitlines()),
                               self.problems)
        self.documents = len(docs)
        self.jsonl = os.path.join(self.work, "corpus.jsonl")
        with open(self.jsonl, "w", encoding="utf-8") as out:
            for doc in docs:
                out.write(json_line(doc))
        self.db = os.path.join(self.work, "db")
        shutil.rmtree(self.db, ignore_errors=True)
        started = time.monotonic()
        subprocess.run([revindex, "add", "--db", self.db, "--quiet", self.jsonl], check=True,
                       stdout=subprocess.DEVNULL)
        self.index_seconds = time.monotonic() - started
        self.queries = smart.query_records(
            smart.read_records(smart.read_member(archive, spec["queries"]).splitlines()), spec["renumber"])
        qrels = trec.read_qrels(smart.read_member(archive, spec["qrels"]).splitlines(), self.problems)
        gain = spec["gain"] or (lambda rel: rel)
        self.qrels = {qid: {docid: gain(rel) for docid, rel in docs.items()} for qid, docs in qrels.items()}
        ids = [qid for qid, _ in self.queries]
        self.splits = {"tune": [q for q in ids if beir.split_of(q) == "tune"],
                       "test": [q for q in ids if beir.split_of(q) == "test"], "all": ids}
        fts5 = os.path.join(self.work, "fts5.sqlite")
        if os.path.exists(fts5):
            os.remove(fts5)
        self.sqlite = sqlite3.connect(fts5, check_same_thread=False)
        self.sqlite.execute(peers.FTS5_SCHEMA)
        peers.fts5_insert(self.sqlite, self.jsonl)

    def query_file(self, split, transform=None):
        path = os.path.join(self.work, f"queries-{split}{'-' + transform.__name__ if transform else ''}.tsv")
        wanted = set(self.splits[split])
        with open(path, "w", encoding="utf-8") as out:
            for qid, text in self.queries:
                if qid in wanted:
                    out.write(f"{qid}\t{transform(text) if transform else text}\n")
        return path

    def fts5_run(self, path):
        """FTS5 bm25() over every query into a TREC run (score = -bm25(), so larger is better)."""
        started = time.monotonic()
        with open(path, "w", encoding="utf-8") as out:
            for qid, text in self.queries:
                match = peers.fts5_or_query(text)
                if match is None:
                    continue
                rows = self.sqlite.execute("SELECT id, bm25(reviews) FROM reviews WHERE reviews MATCH ? "
                                           "ORDER BY bm25(reviews) LIMIT ?", (match, RUN_LIMIT)).fetchall()
                for rank, (docid, score) in enumerate(rows, 1):
                    out.write(f"{qid} Q0 {docid} {rank} {-score:.6f} FTS5\n")
        return time.monotonic() - started

    def stems(self):
        """({qid: {stem}} of the queries' words, {stem: documents}) with FTS5's porter tokenizer, for the
        common-word analysis (our Snowball stems are close: the point is the document frequency)."""
        db = self.sqlite
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.q USING fts5(text, "
                   "tokenize = 'porter unicode61 remove_diacritics 2')")
        db.execute("DELETE FROM temp.q")
        position = {}
        for number, (qid, text) in enumerate(self.queries, 1):
            db.execute("INSERT INTO temp.q(rowid, text) VALUES (?, ?)", (number, text))
            position[number] = qid
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.qv USING fts5vocab(temp, q, instance)")
        db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.dv USING fts5vocab(main, reviews, row)")
        stems = {}
        for term, doc in db.execute("SELECT term, doc FROM temp.qv"):
            stems.setdefault(position[doc], set()).add(term)
        df = dict(db.execute("SELECT term, doc FROM temp.dv"))
        return stems, df


def json_line(record):
    return json.dumps(record, ensure_ascii=False) + "\n"


def hyphens_as_spaces(text):
    """Diagnostic: `lift-drag` -> `lift drag`. revsearch's parser reads a hyphenated word as a phrase of its
    unstemmed parts (docs/query-syntax.md); this shows what that costs without changing the searcher."""
    return re.sub(r"(?<=\w)-(?=\w)", " ", text)


def run_revsearch(revsearch, db, queries, extra, tag, run_path, limit=RUN_LIMIT):
    started = time.monotonic()
    with open(run_path, "w", encoding="utf-8") as out:
        result = subprocess.run([revsearch, "--db", db, "--queries", queries, "--limit", str(limit),
                                 "--run-tag", tag, "--quiet"] + extra,
                                stdout=out, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):  # 1: no query matched anything
        raise RuntimeError(f"revsearch failed ({result.returncode}): {result.stderr.strip()}")
    return time.monotonic() - started, result.stderr.splitlines()


def score(run_path, collection):
    with open(run_path, encoding="utf-8") as lines:
        run = trec.read_run(lines)
    return {split: metrics.evaluate(run, collection.qrels, query_ids=ids)
            for split, ids in collection.splits.items()}


def evaluate_collection(name, args):
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    archive = datasets.path(args.data, COLLECTIONS[name]["set"])
    c = Collection(name, archive, args.work, revindex)
    stderr = set()

    def runs(jobs):
        """[(label, queries file, extra args)] -> {label: scores}, args.jobs revsearch processes at a time."""
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            futures = {}
            for label, queries, extra in jobs:
                tag = re.sub(r"\W+", "_", f"{name} {label}").strip("_")
                path = os.path.join(c.work, f"run-{tag}.txt")
                futures[label] = (path, pool.submit(run_revsearch, revsearch, c.db, queries, extra, tag, path))
            out = {}
            for label, (path, future) in futures.items():
                _, lines = future.result()
                stderr.update(lines)
                out[label] = score(path, c)
            return out

    tune = c.query_file("tune")
    # The BM25 grid ranks the words alone (--no-expand), as before long queries were expanded by default, so its
    # cells read against earlier runs; the expansion grid expands every query (--expand-with).
    grid = runs([(f"k1={k1},b={b}", tune, ["--no-expand", "--bm25", f"k1={k1},b={b}"]) for k1, b in GRID])
    best = max(grid, key=lambda label: (grid[label]["tune"]["ndcg"], grid[label]["tune"]["map"]))
    expansions = runs([(spec, tune, ["--expand-with", spec]) for spec in EXPANSION_GRID])
    best_expansion = max(expansions, key=lambda label: (expansions[label]["tune"]["map"],
                                                        expansions[label]["tune"]["ndcg"]))
    proximities = runs([(spec, tune, ["--proximity", spec]) for spec in ["off"] + PROXIMITY_GRID])
    best_proximity = max(proximities, key=lambda label: (proximities[label]["tune"]["ndcg"],
                                                         proximities[label]["tune"]["map"]))
    every = c.query_file("all")
    finals = runs([("default", every, []), ("no expand", every, ["--no-expand"]),
                   ("best on tune", every, ["--no-expand", "--bm25", best]),
                   ("expand", every, ["--expand"]), ("expand best on tune", every, ["--expand-with", best_expansion]),
                   ("proximity off", every, ["--proximity", "off"]),
                   ("proximity best on tune", every, ["--proximity", best_proximity]),
                   ("hyphens as spaces", c.query_file("all", hyphens_as_spaces), [])])
    fts5_path = os.path.join(c.work, "run-FTS5.txt")
    c.fts5_run(fts5_path)
    finals["FTS5"] = score(fts5_path, c)
    return {"collection": c, "grid": grid, "best": best, "expansions": expansions, "best_expansion": best_expansion,
            "proximities": proximities, "best_proximity": best_proximity,
            "finals": finals, "stderr": sorted(stderr)}


def per_query(scores, split, index=0):
    return {qid: values[index] for qid, values in scores[split]["per_query"].items()}


def paired(finals, a, b, split, index):
    x, y = per_query(finals[a], split, index), per_query(finals[b], split, index)
    qids = sorted(x)
    diff, p = metrics.paired_randomisation([x[q] for q in qids], [y[q] for q in qids])
    wins = sum(x[q] > y[q] + 1e-12 for q in qids)
    losses = sum(x[q] < y[q] - 1e-12 for q in qids)
    return f"{diff:+.4f} (p = {p:.4f}; {wins} queries better, {losses} worse)"


def power(finals, a, b, names):
    """How large a mean nDCG@10 gain of `a` over `b` a paired test would find with the spread their per-query
    differences have (metrics.detectable_gain): on a small collection the answer can be larger than any lever."""
    parts = []
    for split in ("all", "test"):
        x, y = per_query(finals[a], split), per_query(finals[b], split)
        diffs = [x[q] - y[q] for q in sorted(x)]
        mean = sum(diffs) / len(diffs)
        sd = (sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)) ** 0.5
        parts.append(f"{split} ({len(diffs)} queries, standard deviation {sd:.4f}): "
                     f"{metrics.detectable_gain(diffs):.4f} for p < 0.05, "
                     f"{metrics.detectable_gain(diffs, 2.80):.4f} to be found with 80% power")
    return (f"The smallest mean nDCG@10 gain that a paired test finds, of {names[a]} over {names[b]}, at the spread "
            f"of their per-query differences (normal approximation): " + "; ".join(parts) + ".")


def report(result):
    c, finals, best = result["collection"], result["finals"], result["best"]
    splits = c.splits
    judged = sum(1 for docs in c.qrels.values() for rel in docs.values() if rel > 0)
    lines = [f"{c.documents:,} documents indexed in {c.index_seconds:.1f} s"
             + (f" ({', '.join(f'{doc} {why}' for doc, why in c.problems)}: left out)" if c.problems else "")
             + f"; {len(splits['all'])} queries ({len(splits['tune'])} tune, {len(splits['test'])} test), "
             f"{judged:,} relevant judgments. Runs: `--limit {RUN_LIMIT}`.", "",
             "| system | nDCG@10 tune | nDCG@10 test | nDCG@10 all | MAP tune | MAP test | MAP all "
             "| R@100 tune | R@100 test | R@100 all |", "|---|---|---|---|---|---|---|---|---|---|"]
    names = {"default": "revsearch, default command line (long queries expanded)",
             "no expand": "revsearch `--no-expand` (the words alone)",
             "best on tune": f"revsearch `--no-expand --bm25 {best}` (best on tune)",
             "hyphens as spaces": "revsearch default, hyphens as spaces (diagnostic)",
             "expand": "revsearch `--expand` (every query)",
             "expand best on tune": f"revsearch `--expand-with {result['best_expansion']}` (best on tune)",
             "proximity off": "revsearch `--proximity off`",
             "proximity best on tune": f"revsearch `--proximity {result['best_proximity']}` (best on tune)",
             "FTS5": "SQLite FTS5 `bm25()`, words OR-ed"}
    for label in ("default", "no expand", "best on tune", "expand", "expand best on tune", "proximity off",
                  "proximity best on tune", "FTS5", "hyphens as spaces"):
        cells = [f"{finals[label][split][metric]:.4f}" for metric in ("ndcg", "map", "recall")
                 for split in ("tune", "test", "all")]
        lines.append(f"| {names[label]} | " + " | ".join(cells) + " |")
    lines += ["", f"Paired randomisation tests ({metrics.PERMUTATIONS:,} sign flips, seed {metrics.SEED}, "
              "two-sided):", ""]
    for a, b, split in (("default", "FTS5", "all"), ("default", "FTS5", "test"), ("no expand", "FTS5", "all"),
                        ("default", "no expand", "all"), ("default", "no expand", "test"),
                        ("best on tune", "FTS5", "test"), ("best on tune", "no expand", "test"),
                        ("expand", "no expand", "all"), ("expand", "no expand", "test"),
                        ("expand best on tune", "no expand", "test"),
                        ("proximity best on tune", "proximity off", "test"), ("proximity off", "FTS5", "all"),
                        ("hyphens as spaces", "default", "all")):
        lines.append(f"- {names[a]} - {names[b]}, {split} ({len(per_query(finals[a], split))} queries): "
                     f"nDCG@10 {paired(finals, a, b, split, 0)}; MAP {paired(finals, a, b, split, 2)}")
    lines += ["", power(finals, "default", "FTS5", names)]
    top = sorted(result["grid"].items(), key=lambda item: -item[1]["tune"]["ndcg"])
    lines += ["", "BM25 grid on the tune half (nDCG@10 / MAP): " + "; ".join(
        f"{label} {s['tune']['ndcg']:.4f} / {s['tune']['map']:.4f}" for label, s in top) + "."]
    top = sorted(result["expansions"].items(), key=lambda item: -item[1]["tune"]["map"])
    lines += ["", "`--expand-with` grid on the tune half (MAP / nDCG@10): " + "; ".join(
        f"{label} {s['tune']['map']:.4f} / {s['tune']['ndcg']:.4f}" for label, s in top) + "."]
    top = sorted(result["proximities"].items(), key=lambda item: -item[1]["tune"]["ndcg"])
    lines += ["", "`--proximity` grid on the tune half (nDCG@10 / MAP): " + "; ".join(
        f"{label} {s['tune']['ndcg']:.4f} / {s['tune']['map']:.4f}" for label, s in top) + "."]
    lines += [""] + analysis(result)
    if result["stderr"]:
        lines += ["", f"revsearch stderr lines: {len(result['stderr'])}, first: {result['stderr'][0]}"]
    return "\n".join(lines) + "\n"


def analysis(result):
    """Where ours loses to FTS5, query by query: hyphenated words and words in more than COMMON_SHARE of the
    documents (by FTS5's porter stems and document counts)."""
    c, finals = result["collection"], result["finals"]
    ours, fts5 = per_query(finals["default"], "all"), per_query(finals["FTS5"], "all")
    spaced = per_query(finals["hyphens as spaces"], "all")
    stems, df = c.stems()
    texts = dict(c.queries)
    limit = COMMON_SHARE * c.documents
    common = {qid: sorted((s for s in stems.get(qid, ()) if df.get(s, 0) > limit), key=lambda s: -df[s])
              for qid in ours}
    hyphenated = {qid: re.findall(r"\w+(?:-\w+)+", texts[qid]) for qid in ours}

    def group(label, qids):
        if not qids:
            return f"{label}: none"
        diff = sum(ours[q] - fts5[q] for q in qids) / len(qids)
        return (f"{label}: {len(qids)} queries, ours - FTS5 nDCG@10 {diff:+.4f} "
                f"({sum(ours[q] < fts5[q] - 1e-12 for q in qids)} worse, {sum(ours[q] > fts5[q] + 1e-12 for q in qids)} better)")

    words_alone = per_query(finals["no expand"], "all")
    trailing = [q for q in ours if ours[q] < fts5[q] - 1e-12]
    lost_by_expansion = [q for q in trailing if words_alone[q] >= fts5[q] - 1e-12]
    with_hyphen = [q for q in ours if hyphenated[q]]
    with_common = [q for q in ours if common[q]]
    counts = {}
    for q in ours:
        for s in common[q]:
            counts[s] = counts.get(s, 0) + 1
    lines = ["Per query (all queries, default against FTS5):", "",
             f"- ours trails FTS5 on {len(trailing)} queries; on {len(lost_by_expansion)} of them the words alone "
             f"(`--no-expand`) are level with FTS5 or ahead: the expansion lost them "
             f"({sum(ours[q] - fts5[q] for q in lost_by_expansion):+.3f} nDCG@10 summed over those, "
             f"{sum(ours[q] - fts5[q] for q in trailing):+.3f} over all {len(trailing)})",
             "- " + group("with a hyphenated word", with_hyphen),
             "- " + group("without", [q for q in ours if not hyphenated[q]]),
             "- " + group(f"with a word in more than a third of the documents (> {limit:.0f})", with_common),
             "- " + group("without", [q for q in ours if not common[q]]),
             f"- hyphens as spaces, the queries with a hyphenated word: nDCG@10 "
             f"{sum(ours[q] for q in with_hyphen) / max(len(with_hyphen), 1):.4f} -> "
             f"{sum(spaced[q] for q in with_hyphen) / max(len(with_hyphen), 1):.4f}",
             "- common words (stem: documents, queries using it): " + (", ".join(
                 f"{s}: {df[s]}, {n}" for s, n in sorted(counts.items(), key=lambda i: -df[i[0]])) or "none"),
             "", f"The {WORST} queries where ours trails FTS5 most (nDCG@10):", "",
             "| query | ours | `--no-expand` | FTS5 | hyphens as spaces | hyphenated | common stems (documents) "
             "| text |",
             "|---|---|---|---|---|---|---|---|"]
    for q in sorted(ours, key=lambda q: ours[q] - fts5[q])[:WORST]:
        text = texts[q] if len(texts[q]) <= 90 else texts[q][:87] + "..."
        lines.append(f"| {q} | {ours[q]:.3f} | {words_alone[q]:.3f} | {fts5[q]:.3f} | {spaced[q]:.3f} | "
                     f"{' '.join(hyphenated[q])} | "
                     f"{', '.join(f'{s} ({df[s]})' for s in common[q])} | {text.replace('|', '/')} |")
    return lines


def write_doc(doc_path, name, generated):
    generated_doc.replace_between(doc_path, begin_mark(name), end_mark(name), generated)


def selected_collections(spec, program):
    """The names of a comma-separated --collections; None, after one line on stderr, when one is unknown."""
    names = [n for n in spec.split(",") if n]
    unknown = [n for n in names if n not in COLLECTIONS]
    if unknown:
        print(f"{program}: unknown collection {unknown[0]} (known: {', '.join(COLLECTIONS)})", file=sys.stderr)
        return None
    return names


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.classic", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--collections", default=",".join(COLLECTIONS), help="comma-separated: cranfield,medline")
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/classic)")
    parser.add_argument("--doc", help="Markdown file whose generated sections get the figures")
    parser.add_argument("--jobs", type=int, default=2, help="revsearch runs at once")
    parser.add_argument("--command", default="scripts/eval", help="the command named in the document")
    args = parser.parse_args(argv)
    names = selected_collections(args.collections, "evaluation.classic")
    if names is None:
        return 2
    datasets.require("scripts/eval", args.data, names)
    args.work = args.work or os.path.join(args.build_dir, "classic")
    for name in names:
        started = time.monotonic()
        result = evaluate_collection(name, args)
        generated = (f"Generated by `{args.command} --collections {name}` on {datetime.date.today().isoformat()} "
                     f"({time.monotonic() - started:.0f} s on {os.cpu_count()} cores).\n\n" + report(result))
        print(f"## {COLLECTIONS[name]['title']}\n\n{generated}")
        if args.doc:
            write_doc(args.doc, name, generated)
            print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
