"""Judged review queries: nDCG@10 and P@10 of plain BM25, revsearch's default blend and SQLite FTS5 bm25() on
shopper queries over the Amazon sets, graded blind 0-3 by a person.

usage: python3 -m evaluation.reviews --build-dir DIR [--data DIR] [--work DIR] [--doc FILE] [--grid]
       python3 -m evaluation.reviews --build-dir DIR --pool FILE    (writes the blind pool for grading)
       python3 -m evaluation.reviews --build-dir DIR --grades FILE  (pool grades -> review_qrels.tsv)
(scripts/eval-reviews runs it after building; queries, rubric, method and figures: docs/ranking.md, "Judged review
queries".)

Each set of signals.SETS is indexed on its own with `revindex add` (signals.index_set), read once more with
`revindex parse` into canonical JSON lines, and loaded into an FTS5 table the way the benchmark loads its peer
(benchmark/peers.py: same schema, porter stemming). Every query of review_queries.tsv runs as

- "BM25": `revsearch --weights helpful=0,rating=0`,
- "blend": `revsearch` with its default weights (no --weights),
- "FTS5": `... WHERE reviews MATCH '"w1" OR "w2"' ORDER BY bm25(reviews)` (the benchmark's spelling of an OR query),

each cut to its first 10 distinct texts. revsearch shows one copy of a text (docs/ranking.md, Duplicates); FTS5
does not, so its rows are collapsed the same way (signals.hit_key: lower-cased, white-space-normalised body) before
the cut. Every hit is then named by the first id of its text in the corpus (the canonical id), so that the copy a
ranker happened to show is judged once. Runs go to TREC run files in --work and are scored with trec.py and
metrics.py; a document without a grade counts 0 and the share of such documents in each top 10 is reported.
"""

import argparse
import datetime
import json
import os
import random
import sqlite3
import subprocess
import sys
import time

from . import generated as generated_doc, metrics, signals, trec
from .signals import datasets  # scripts/datasets.py: where each public set is, and where it is published

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "scripts", "benchmark"))
import peers  # noqa: E402  (the FTS5 schema and loader of the benchmark)

QUERIES = os.path.join(HERE, "review_queries.tsv")
QRELS = os.path.join(HERE, "review_qrels.tsv")
# The held-out set (--validation): other queries over the same sets, graded the same way, kept apart so that what
# was chosen on the first set is checked on queries it was not chosen on (docs/ranking.md, "A second, held-out set").
VALIDATION_QUERIES = os.path.join(HERE, "review_validation_queries.tsv")
VALIDATION_QRELS = os.path.join(HERE, "review_validation_qrels.tsv")
K = 10
USEFUL = 2              # P@10 counts grades >= USEFUL (rubric: 2 "useful", 3 "very useful")
FTS5_DEPTH = 200        # FTS5 rows read before collapsing copies (All_Beauty lists a text up to 8 times)
PERMUTATIONS, SEED = metrics.PERMUTATIONS, metrics.SEED  # the paired test is metrics.paired_randomisation
# name -> (kind, --weights, more revsearch options). "BM25" is the fixed baseline of issue 17's target (k1 1.2,
# b 0.75, no signals) whatever the defaults become; "default" is revsearch as a user runs it, and equals one of
# the two blends.
SYSTEMS = {
    "BM25": ("revsearch", "helpful=0,rating=0", ("--bm25", "k1=1.2,b=0.75")),
    "BM25 b=0.5": ("revsearch", "helpful=0,rating=0", ("--bm25", "k1=1.2,b=0.5")),
    "blend b=0.75": ("revsearch", None, ("--bm25", "k1=1.2,b=0.75")),
    "blend b=0.5": ("revsearch", None, ("--bm25", "k1=1.2,b=0.5")),
    "default": ("revsearch", None, ()),
    "FTS5": ("fts5", None, ()),
}
PAIRS = (("default", "BM25"), ("default", "FTS5"), ("blend b=0.5", "blend b=0.75"), ("BM25 b=0.5", "BM25"),
         ("blend b=0.5", "BM25 b=0.5"))

BEGIN_MARK = "<!-- scripts/eval-reviews: begin generated figures -->"
END_MARK = "<!-- scripts/eval-reviews: end generated figures -->"
VALIDATION_BEGIN_MARK = "<!-- scripts/eval-reviews --validation: begin generated figures -->"
VALIDATION_END_MARK = "<!-- scripts/eval-reviews --validation: end generated figures -->"


# --- statistics ------------------------------------------------------------------------------------------------

def precision_at_k(ranking, judgements, k, threshold=1):
    """trec_eval's P@k: documents in the first k with a grade >= threshold, divided by k (also when fewer than k
    were returned; unjudged documents count as not relevant)."""
    return sum(1 for docid in ranking[:k] if judgements.get(docid, 0) >= threshold) / k


def unjudged_share(ranking, judgements, k):
    """Share of the first k returned documents that have no grade (None when nothing was returned)."""
    top = ranking[:k]
    return sum(1 for docid in top if docid not in judgements) / len(top) if top else None


# --- input -------------------------------------------------------------------------------------------------------

def read_queries(lines, problems=None):
    """QID<TAB>SET<TAB>QUERY<TAB>NEED lines ('#' comments, blank lines skipped) -> [dict] in file order."""
    queries = []
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = [field.strip() for field in line.split("\t")]
        if len(fields) != 4 or not all(fields):
            if problems is not None:
                problems.append((number, "expected QID<TAB>SET<TAB>QUERY<TAB>NEED"))
            continue
        queries.append(dict(zip(("qid", "set", "query", "need"), fields)))
    return queries


# signals.SETS names -> scripts/datasets.py names
DATASET_OF_SET = {"fine-food": "finefood", "blitzer": "blitzer", "all-beauty": "beauty"}


# --- one set: index, canonical ids, FTS5 ----------------------------------------------------------------------

class Corpus:
    def __init__(self, name, corpora, work, build_dir, reuse=False):
        revindex = os.path.join(build_dir, "indexer", "revindex")
        self.field_weights = None  # --field-weights for every revsearch run (main sets it)
        self.proximity = None  # --proximity for every revsearch run (main sets it)
        self.db = os.path.join(work, f"db-{name}")  # signals.index_set's place for it
        if not (reuse and os.path.isdir(self.db)):
            self.db, _, _ = signals.index_set(revindex, corpora, name, work)
        parsed = os.path.join(work, f"{name}-parsed.jsonl")
        with open(parsed, "w", encoding="utf-8") as out:
            subprocess.run([revindex, "parse", "--quiet",
                            *(os.path.join(corpora, path) for path in signals.SETS[name][0])],
                           check=True, stdout=out)
        # The index keeps the last record of an id (revindex add updates it: All_Beauty repeats 151 ids with
        # another text), so the reviews here, FTS5's rows and the canonical ids are taken from the last record
        # of each id too, and both rankers see the same documents.
        self.reviews = {}
        with open(parsed, encoding="utf-8") as lines:
            for line in lines:
                review = json.loads(line)
                self.reviews[review["id"]] = review
        self.jsonl = os.path.join(work, f"{name}.jsonl")
        self.key_of, self.canonical = {}, {}
        with open(self.jsonl, "w", encoding="utf-8") as out:
            for docid, review in self.reviews.items():
                out.write(json.dumps(review, ensure_ascii=False) + "\n")
                key = signals.hit_key(review, docid)
                self.key_of[docid] = key
                self.canonical.setdefault(key, docid)
        fts5 = os.path.join(work, f"fts5-{name}.sqlite")
        if os.path.exists(fts5):
            os.remove(fts5)
        self.sqlite = sqlite3.connect(fts5, check_same_thread=False)
        self.sqlite.execute(peers.FTS5_SCHEMA)
        peers.fts5_insert(self.sqlite, self.jsonl)

    def fts5(self, query, k=K):
        """[(canonical id, H)] of FTS5's first k distinct texts."""
        match = peers.fts5_or_query(query)
        if match is None:
            return []
        rows = self.sqlite.execute("SELECT id FROM reviews WHERE reviews MATCH ? ORDER BY bm25(reviews) LIMIT ?",
                                   (match, FTS5_DEPTH)).fetchall()
        hits, seen = [], set()
        for (docid,) in rows:
            key = self.key_of[docid]
            if key not in seen:
                seen.add(key)
                hits.append((self.canonical[key], signals.helpfulness(self.reviews[docid])))
        return hits[:k]

    def revsearch(self, revsearch, query, weights, k=K, extra=()):
        """[(canonical id, H)] of revsearch's first k hits; weights None = the defaults; extra: more options."""
        command = [revsearch, "--db", self.db, "--json", "--color", "never", "--limit", str(k), *extra]
        command += ["--weights", weights] if weights is not None else []
        command += ["--field-weights", self.field_weights] if self.field_weights else []
        command += ["--proximity", self.proximity] if self.proximity else []
        result = subprocess.run(command + ["--", query], capture_output=True, text=True, timeout=120)
        if result.returncode not in (0, 1):
            raise RuntimeError(f"revsearch {query!r} failed ({result.returncode}): {result.stderr.strip()}")
        hits, _ = signals.read_hits(result.stdout.splitlines())
        return [(self.canonical.get(hit["key"], hit["id"]), hit["H"]) for hit in hits]


# --- runs and scores -------------------------------------------------------------------------------------------

def write_run(path, tag, top):
    """{qid: [(docid, H)]} -> a TREC run file, score K - rank + 1 so trec.ranked keeps the order."""
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in top.items():
            for rank, (docid, _) in enumerate(hits, 1):
                out.write(f"{qid} Q0 {docid} {rank} {K - rank + 1} {tag}\n")


def score(run_path, top, qrels, qids):
    """Per query nDCG@10, P@10, unjudged share and mean H of the top 10 -> {metric: {qid: value}}."""
    with open(run_path, encoding="utf-8") as lines:
        run = trec.read_run(lines)
    out = {"ndcg": {}, "p10": {}, "unjudged": {}, "wilson": {}}
    for qid in qids:
        judgements = qrels.get(qid, {})
        ranking = trec.ranked(run.get(qid, {}))
        out["ndcg"][qid] = metrics.ndcg_at_k(ranking, judgements, K) or 0.0
        out["p10"][qid] = precision_at_k(ranking, judgements, K, USEFUL)
        out["unjudged"][qid] = unjudged_share(ranking, judgements, K) or 0.0
        hits = top.get(qid, [])
        out["wilson"][qid] = sum(h for _, h in hits) / len(hits) if hits else 0.0
    return out


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def run_all(args, queries, corpora, settings):
    """settings: [(name, kind, weights, more options)] -> {name: {qid: [(docid, H)]}}."""
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    tops = {name: {} for name, *_ in settings}
    for query in queries:
        corpus = corpora[query["set"]]
        for name, kind, weights, extra in settings:
            tops[name][query["qid"]] = (corpus.fts5(query["query"]) if kind == "fts5"
                                        else corpus.revsearch(revsearch, query["query"], weights, extra=extra))
    return tops


# --- pooling and grading ---------------------------------------------------------------------------------------

def write_pool(path, queries, corpora, tops, judged=None, seed=SEED):
    """The pool for blind grading: per query its need, then its pooled reviews not yet in `judged` (qrels),
    shuffled, as text alone (headline and body; no ranker, rank, votes, rating or id). The key (pool item ->
    query, canonical id) goes to path + '.key', which the assessor does not open until every grade is written."""
    judged = judged or {}
    rng = random.Random(seed)
    key_lines, number = [], 0
    with open(path, "w", encoding="utf-8") as out:
        for query in queries:
            pooled = sorted({docid for top in tops.values() for docid, _ in top.get(query["qid"], [])}
                            - set(judged.get(query["qid"], {})))
            rng.shuffle(pooled)
            out.write(f"=== {query['qid']} [{query['query']}] NEED: {query['need']}\n\n")
            for docid in pooled:
                number += 1
                review = corpora[query["set"]].reviews[docid]
                headline = (review.get("headline") or "").strip()
                body = " ".join((review.get("body") or "").split())
                out.write(f"--- P{number:04d}\n{headline}\n{body}\n\n")
                key_lines.append(f"P{number:04d}\t{query['qid']}\t{docid}\n")
    with open(path + ".key", "w", encoding="utf-8") as out:
        out.writelines(key_lines)
    return number


def read_qrels_file(path):
    """review_qrels.tsv ('#' comments allowed) -> {qid: {docid: grade}}; {} when it does not exist yet."""
    if not os.path.exists(path):
        return {}
    with open(path, encoding="utf-8") as lines:
        return trec.read_qrels(line for line in lines if not line.startswith("#"))


def grades_to_qrels(grades_path, key_path, qrels_path, queries_name="review_queries.tsv"):
    """'P0001 2' lines (the assessor's grades) + the pool key, added to the qrels already in qrels_path -> TREC
    qrels 'QID 0 DOCID GRADE', sorted. Returns the number of new grades."""
    key = {}
    with open(key_path, encoding="utf-8") as lines:
        for line in lines:
            item, qid, docid = line.split()
            key[item] = (qid, docid)
    rows = []
    with open(grades_path, encoding="utf-8") as lines:
        for line in lines:
            fields = line.split("#")[0].split()
            if not fields:
                continue
            item, grade = fields
            if item not in key or grade not in ("0", "1", "2", "3"):
                raise ValueError(f"{grades_path}: bad grade line {line.strip()!r}")
            rows.append((*key.pop(item), int(grade)))
    if key:
        raise ValueError(f"{grades_path}: {len(key)} pooled reviews have no grade (first {sorted(key)[0]})")
    existing = read_qrels_file(qrels_path)
    new = len(rows)
    rows += [(qid, docid, grade) for qid, docs in existing.items() for docid, grade in docs.items()]
    with open(qrels_path, "w", encoding="utf-8") as out:
        out.write(f"# Blind grades of scripts/evaluation/{queries_name} (TREC qrels: QID 0 DOCID GRADE 0-3;\n"
                  "# rubric: docs/ranking.md, \"Judged review queries\"). DOCID: the first id of the text in its set.\n")
        for qid, docid, grade in sorted(rows):
            out.write(f"{qid} 0 {docid} {grade}\n")
    return new


# --- report ------------------------------------------------------------------------------------------------------

def summarise(scores, qids):
    return {metric: mean(values[q] for q in qids) for metric, values in scores.items()}


def median(values):
    values = sorted(values)
    if not values:
        return 0
    middle = len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def report(queries, scores, grid_scores, qrels, defaults, words=None, tops=None):
    """The Markdown figures. words: {docid: body length in words}; tops: {system: {qid: [(docid, H)]}}, for the
    length lines (left out without them)."""
    qids = [q["qid"] for q in queries]
    judged = sum(len(v) for v in qrels.values())
    grades = [g for v in qrels.values() for g in v.values()]
    lines = [f"{len(qids)} queries ({', '.join(f'{n} {s}' for s, n in _count_sets(queries))}); {judged} graded "
             f"reviews (grade 0/1/2/3: {'/'.join(str(grades.count(g)) for g in range(4))}). Top {K} distinct texts "
             f"per system; P@{K} counts grades >= {USEFUL}; W = mean Wilson lower bound of the top {K}'s "
             f"helpfulness votes (0 without votes: All_Beauty has no vote totals).\n",
             f"| system | nDCG@{K} | P@{K} | unjudged in top {K} | W top {K} | W top {K}, sets with votes |",
             "|---|---|---|---|---|---|"]
    voted = [q["qid"] for q in queries if signals.SETS[q["set"]][2]]
    names = {"BM25": "plain BM25, k1 1.2, b 0.75 (`--weights helpful=0,rating=0 --bm25 k1=1.2,b=0.75`)",
             "BM25 b=0.5": "plain BM25, b 0.5 (`--weights helpful=0,rating=0 --bm25 k1=1.2,b=0.5`)",
             "blend b=0.75": "blend, b 0.75 (`--bm25 k1=1.2,b=0.75`)",
             "blend b=0.5": "blend, b 0.5 (`--bm25 k1=1.2,b=0.5`)",
             "default": f"**default** (`revsearch` as typed: helpful {defaults[0]:g}, rating {defaults[1]:g})",
             "FTS5": "SQLite FTS5 `bm25()`, copies collapsed"}
    for system in SYSTEMS:
        s, v = summarise(scores[system], qids), summarise(scores[system], voted)
        lines.append(f"| {names[system]} | {s['ndcg']:.3f} | {s['p10']:.3f} | {s['unjudged']:.1%} | "
                     f"{s['wilson']:.3f} | {v['wilson']:.3f} |")
    lines += ["", f"Paired randomisation test ({PERMUTATIONS:,} sign flips, seed {SEED}, two-sided), over the "
              f"{len(qids)} queries:", ""]
    for a, b in PAIRS:
        for metric, label in (("ndcg", f"nDCG@{K}"), ("p10", f"P@{K}"), ("wilson", f"W top {K}")):
            diff, p = metrics.paired_randomisation([scores[a][metric][q] for q in qids],
                                           [scores[b][metric][q] for q in qids])
            wins = sum(scores[a][metric][q] > scores[b][metric][q] + 1e-12 for q in qids)
            losses = sum(scores[a][metric][q] < scores[b][metric][q] - 1e-12 for q in qids)
            lines.append(f"- {a} - {b}, {label}: {diff:+.3f} (p = {p:.4f}; {wins} queries better, {losses} worse)")
    if words and tops:
        by_grade = " / ".join(f"{median(words[d] for v in qrels.values() for d, g in v.items() if g == grade):.0f}"
                              for grade in range(4))
        in_top = " / ".join(f"{median(words[d] for hits in tops[s].values() for d, _ in hits):.0f}"
                            for s in SYSTEMS)
        lines += ["", f"Length (body words, median): graded reviews by grade 0 / 1 / 2 / 3: {by_grade}; "
                  f"the top {K} of {' / '.join(SYSTEMS)}: {in_top}."]
    lines.append("")
    lines.append(f"Per set, nDCG@10 {' / '.join(SYSTEMS)}:")
    lines.append("")
    for name, _ in _count_sets(queries):
        ids = [q["qid"] for q in queries if q["set"] == name]
        cells = " / ".join(f"{summarise(scores[s], ids)['ndcg']:.3f}" for s in SYSTEMS)
        lines.append(f"- {name} ({len(ids)} queries): {cells}")
    if grid_scores:
        lines += ["", f"Weight grid (**measured on the same queries it would be chosen on**, so the best cell "
                  f"flatters itself; unjudged documents count 0):", "",
                  f"| helpful | rating | nDCG@{K} | against plain BM25, b 0.75 (p) | P@{K} | unjudged "
                  f"| W top {K}, sets with votes |",
                  "|---|---|---|---|---|---|---|"]
        plain = scores["BM25"]["ndcg"]
        for (helpful, rating), s in grid_scores.items():
            a, v = summarise(s, qids), summarise(s, voted)
            diff, p = metrics.paired_randomisation([s["ndcg"][q] for q in qids], [plain[q] for q in qids])
            cells = [helpful, rating, f"{a['ndcg']:.3f}", f"{diff:+.3f} ({p:.2f})", f"{a['p10']:.3f}",
                     f"{a['unjudged']:.1%}", f"{v['wilson']:.3f}"]
            if (float(helpful), float(rating)) == defaults:
                cells = [f"**{c}**" for c in cells]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_doc(doc_path, generated):
    generated_doc.replace_between(doc_path, BEGIN_MARK, END_MARK, generated)


def _count_sets(queries):
    counts = {}
    for q in queries:
        counts[q["set"]] = counts.get(q["set"], 0) + 1
    return list(counts.items())


def main(argv):
    parser = argparse.ArgumentParser(prog="evaluation.reviews", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--work", help="indexes and runs (default: BUILD_DIR/reviews)")
    parser.add_argument("--doc", help="Markdown file whose generated section gets the figures")
    parser.add_argument("--grid", action="store_true",
                        help="also run the helpful x rating grid of eval-signals (with --pool: pool it too)")
    parser.add_argument("--pool", help="write the blind pool to this file (and FILE.key) instead of scoring")
    parser.add_argument("--grades", help="turn this file of 'P0001 GRADE' lines into review_qrels.tsv")
    parser.add_argument("--reuse", action="store_true", help="keep the indexes already in --work (same corpora)")
    parser.add_argument("--field-weights", help="what if: every revsearch system run with --field-weights SPEC "
                                                "(e.g. headline=0.5); pass no --doc with it, unless it is the default")
    parser.add_argument("--proximity", help="what if: every revsearch system run with --proximity SPEC (e.g. off); "
                                            "pass no --doc with it, unless it is the default")
    parser.add_argument("--validation", action="store_true",
                        help="the held-out set (review_validation_queries.tsv and its qrels) instead of the first")
    parser.add_argument("--command", default="scripts/eval-reviews", help="the command named in the document")
    args = parser.parse_args(argv)
    queries_path, qrels_path = (VALIDATION_QUERIES, VALIDATION_QRELS) if args.validation else (QUERIES, QRELS)
    if args.validation:
        args.command += " --validation"
    with open(queries_path, encoding="utf-8") as lines:
        problems = []
        queries = read_queries(lines, problems)
    for number, reason in problems:
        print(f"{queries_path}:{number}: {reason}", file=sys.stderr)
    unknown = sorted({q["set"] for q in queries} - set(signals.SETS))
    if problems or unknown:
        print(f"{queries_path}: bad lines or unknown sets {', '.join(unknown)}", file=sys.stderr)
        return 2
    work = args.work or os.path.join(args.build_dir, "reviews")
    if args.grades:
        count = grades_to_qrels(args.grades, (args.pool or os.path.join(work, "pool.txt")) + ".key", qrels_path,
                                os.path.basename(queries_path))
        print(f"{count} grades written to {qrels_path}")
        return 0
    datasets.require("scripts/eval-reviews", args.data,
                     sorted({DATASET_OF_SET[q["set"]] for q in queries}))
    started = time.monotonic()
    os.makedirs(work, exist_ok=True)
    corpora = {name: Corpus(name, args.data, work, args.build_dir, args.reuse)
               for name in dict.fromkeys(q["set"] for q in queries)}
    for corpus in corpora.values():
        corpus.field_weights = args.field_weights
        corpus.proximity = args.proximity
    tops = run_all(args, queries, corpora, [(name, *system) for name, system in SYSTEMS.items()])
    grid = [(h, r) for h in signals.HELPFUL_GRID for r in signals.RATING_GRID] if args.grid else []
    grid_tops = run_all(args, queries, corpora,
                        [(f"{h},{r}", "revsearch", f"helpful={h},rating={r}", ()) for h, r in grid])
    if args.pool:
        count = write_pool(args.pool, queries, corpora, {**tops, **grid_tops}, read_qrels_file(qrels_path))
        print(f"{count} pooled reviews written to {args.pool} (key: {args.pool}.key)")
        return 0
    qrels = read_qrels_file(qrels_path)
    qids = [q["qid"] for q in queries]
    scores = {}
    for system in SYSTEMS:
        tag = system.replace(" ", "-")  # a TREC run's tag is one field
        path = os.path.join(work, f"run-{'validation-' if args.validation else ''}{tag}.txt")
        write_run(path, tag, tops[system])
        scores[system] = score(path, tops[system], qrels, qids)
    grid_scores = {}
    for h, r in grid:
        path = os.path.join(work, f"run-grid-{h}-{r}.txt")
        write_run(path, f"h{h}r{r}", grid_tops[f"{h},{r}"])
        grid_scores[(h, r)] = score(path, grid_tops[f"{h},{r}"], qrels, qids)
    defaults = signals.default_weights(SOURCE)
    words = {docid: len((review.get("body") or "").split())
             for corpus in corpora.values() for docid, review in corpus.reviews.items()}
    generated = (f"Generated by `{args.command}{' --grid' if args.grid else ''}` on "
                 f"{datetime.date.today().isoformat()} ({time.monotonic() - started:.0f} s on {os.cpu_count()} "
                 f"cores{', indexes of an earlier run reused' if args.reuse else ''}).\n\n" + report(queries, scores, grid_scores, qrels, defaults, words, tops))
    print(generated)
    if args.doc:
        if args.validation:
            generated_doc.replace_between(args.doc, VALIDATION_BEGIN_MARK, VALIDATION_END_MARK, generated)
        else:
            write_doc(args.doc, generated)
        print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
