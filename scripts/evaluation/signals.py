"""Evidence for the signal weights: how the helpfulness and rating blend changes the top 10 of fixed queries.

usage: python3 -m evaluation.signals --build-dir DIR [--corpora DIR] [--work DIR] [--doc FILE] [--jobs N]
(scripts/eval-signals runs it after building; method and figures: docs/ranking.md, "Evidence for the signal
weights".)

For each Amazon set that carries votes (SETS) the corpus is indexed with `revindex add`, and each query of
signal_queries.tsv is run once as plain BM25 (`--weights helpful=0,rating=0 --limit 1000`, the reference order)
and once per weight setting of the grid (`--limit 10`), all with `revsearch --json`. Each blended top 10 is
compared with the BM25 order (compare()), the comparisons are summed over the queries (aggregate()) and written
as one table per set. Only BM25 parts, the stored review (votes, rating) and ranks are used: no relevance
judgements exist for these corpora, so the table shows what the signals do to the ranking, not whether the
result is better; the choice of weights is argued from it in docs/ranking.md.
"""

import argparse
import concurrent.futures
import datetime
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time

import datasets  # scripts/datasets.py: where each public set is under --data, and where it is published

from . import generated as generated_doc

HERE = os.path.dirname(os.path.abspath(__file__))
QUERIES = os.path.join(HERE, "signal_queries.tsv")

# Set name -> (paths under the corpora directory, what it is, whether its reviews have a Wilson score). Every
# set is indexed on its own. A set without vote totals has H = 0 throughout, so only the rating weight can
# change its ranking and only the rating grid is run on it.
SETS = {
    "fine-food": (["amazon-fine-food-subset"], "Amazon Fine Food Reviews, CSV (votes: numerator of denominator)",
                  True),
    "blitzer": (["amazon-mdsd-blitzer2007/sorted_data_acl"],
                "Blitzer et al. 2007 Multi-Domain Sentiment, 4 domains (votes: \"x of y\")", True),
    "all-beauty": (["amazon-2018-all-beauty-5core/All_Beauty_5.json"],
                   "Amazon 2018 All_Beauty 5-core (a `vote` count without a total: no Wilson score, H = 0, so "
                   "the helpful weight changes nothing)", False),
}

# Fractions of the query's BM25 ceiling (docs/ranking.md). Until issue 19 they were fractions of the best attained
# BM25 score, on a grid of 0.05, 0.1, 0.2, 0.4 and 0.02, 0.05; the best score is 0.75 of the ceiling at the median
# query, so this grid is that one times 0.75, and each row reads against the same row of earlier runs.
HELPFUL_GRID = ("0", "0.0375", "0.075", "0.15", "0.3")
RATING_GRID = ("0", "0.015", "0.0375")
TOP = 10                # the top k compared
BASELINE_LIMIT = 1000   # depth of the BM25 reference order (ranks beyond it are censored)
STRONG = 0.9            # a strong match: BM25 >= STRONG * A (A = the query's best BM25)
WEAK = 0.5              # a weak match: BM25 < WEAK * A
HELPFUL_BAR = 0.5       # a "helpful" hit: Wilson lower bound > HELPFUL_BAR
Z = 1.96                # common/signals/include/revsearch/helpfulness.hpp: 95%
TIE = 1e-9              # BM25 scores within TIE * A of each other are a tie (the same floating-point sum)

BEGIN_MARK = "<!-- scripts/eval-signals: begin generated figures -->"
END_MARK = "<!-- scripts/eval-signals: end generated figures -->"


# --- signals, as the indexer computes them ------------------------------------------------------------------

def wilson_lower_bound(yes, total, z=Z):
    """common/signals/src/helpfulness.cpp: lower bound of the Wilson score interval of yes/total, 0 without votes,
    yes clamped to 0..total."""
    if total is None or yes is None or total <= 0:
        return 0.0
    yes = min(max(yes, 0), total)
    n = float(total)
    p = yes / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    margin = z * math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)
    return max(0.0, (centre - margin) / (1 + z2 / n))


def helpfulness(review):
    """H of a stored review (docs/formats.md keys): the Wilson bound, 0 unless both counts are known."""
    return wilson_lower_bound(review.get("helpful_yes"), review.get("helpful_total"))


def rating_signal(review):
    """R of a stored review (common/core/src/review.cpp normalised_rating): rating / rating_max, 0.5 when unknown."""
    rating, top = review.get("rating"), review.get("rating_max")
    if rating is None or top is None or top <= 0 or not 0 <= rating / top <= 1:
        return 0.5
    return rating / top


# --- input ------------------------------------------------------------------------------------------------

def read_queries(lines, problems=None):
    """SET<TAB>QUERY lines ('#' comments and blank lines skipped) -> {set: [query, ...]} in file order."""
    queries = {}
    for number, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[0].strip() or not fields[1].strip():
            if problems is not None:
                problems.append((number, "expected SET<TAB>QUERY"))
            continue
        queries.setdefault(fields[0].strip(), []).append(fields[1].strip())
    return queries


def hit_key(review, fallback):
    """What identifies a hit across runs: its white-space-normalised, lower-cased body, as revsearch collapses
    hits on the body hash (docs/ranking.md, Duplicates), so two copies of one text count as the same hit."""
    body = (review or {}).get("body")
    return " ".join(body.lower().split()) if body else f"id:{fallback}"


def read_hits(lines):
    """revsearch --json lines -> (hits, summary): hits as dicts {key, id, bm25, H, R} in rank order."""
    hits, summary = [], None
    for line in lines:
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("type") == "hit":
            data = record["data"]
            review = data.get("review") or {}
            parts = data["parts"]
            # The text score the blend added its signals to: the words, their close pairs and expansion terms.
            text = parts["bm25"] + parts.get("proximity", 0) + parts.get("expansion", 0)
            hits.append({"key": hit_key(review, data["id"]), "id": data["id"], "bm25": text,
                         "H": helpfulness(review), "R": rating_signal(review)})
        elif record.get("type") == "summary":
            summary = record["data"]
    return hits, summary


# --- comparison of one query's blended top k with its BM25 order --------------------------------------------

def bm25_rank_range(score, baseline_scores, tolerance, truncated):
    """The ranks (first, last), 1-based, that the BM25 order gives a hit with this BM25 score: all documents with
    the same score form a tie, whose order (by docid) means nothing. baseline_scores are the BM25 order's scores,
    descending. When the order was cut (truncated) and the score is below its last one, the hit ranks somewhere
    after it: (len + 1, None), a lower bound."""
    above = sum(1 for s in baseline_scores if s > score + tolerance)
    through = sum(1 for s in baseline_scores if s >= score - tolerance)
    if truncated and through == len(baseline_scores) and above == len(baseline_scores):
        return len(baseline_scores) + 1, None
    if truncated and through == len(baseline_scores):
        return above + 1, None  # the tie may run on past the cut
    return above + 1, through


def displacement(rank, rank_range):
    """How far rank lies outside the BM25 ranks of its tie (0 inside it)."""
    first, last = rank_range
    if rank < first:
        return first - rank
    if last is not None and rank > last:
        return rank - last
    return 0


def compare(baseline, blended, k=TOP, truncated=False):
    """One query: the blended ranking's first k hits against the BM25 order `baseline` (hits from read_hits, the
    first being the best BM25 score A). Returns the counts aggregate() sums:

    hits         hits in the blended top k
    helpful      of those, hits with a Wilson lower bound > HELPFUL_BAR
    rating_sum   sum of their R
    kept         of those, hits also in the BM25 top k
    shift_sum    sum of |blended rank - BM25 rank| over them, ties in BM25 counted as one rank range
    censored     of those, hits below the cut of a truncated BM25 order (their shift is a lower bound)
    strong       hits of the BM25 top k with BM25 >= STRONG * A
    strong_lost  of those, hits missing from the blended top k
    weak_above   1 if a hit with BM25 < WEAK * A is in the blended top k above a strong match (one ranked below
                 it, or any strong match of the BM25 order left out of the blended top k), else 0
    weakest      the lowest BM25 / A in the blended top k (None without hits)
    overturned   the largest BM25 gap, as a share of A, that the blend overturned: max over the blended top k of
                 (BM25 of the best document of the BM25 order not ranked above the hit) - (the hit's BM25), 0
                 when the blend only re-ordered exact ties or nothing
    """
    top_bm25 = baseline[0]["bm25"] if baseline else 0.0
    tolerance = TIE * max(top_bm25, 1.0)
    scores = [hit["bm25"] for hit in baseline]
    bm25_top_keys = {hit["key"] for hit in baseline[:k]}
    top = blended[:k]
    top_keys = {hit["key"] for hit in top}
    result = {"hits": len(top), "helpful": 0, "rating_sum": 0.0, "kept": 0, "shift_sum": 0, "censored": 0,
              "strong": 0, "strong_lost": 0, "weak_above": 0, "weakest": None, "overturned": 0.0}
    strong_total = sum(1 for s in scores if s >= STRONG * top_bm25 - tolerance)
    strong_seen = 0
    above = set()  # keys of the blended hits ranked above the current one
    for rank, hit in enumerate(top, 1):
        best_below = next((other["bm25"] for other in baseline if other["key"] not in above), hit["bm25"])
        if top_bm25 > 0 and best_below - hit["bm25"] > tolerance:
            result["overturned"] = max(result["overturned"], (best_below - hit["bm25"]) / top_bm25)
        above.add(hit["key"])
        result["helpful"] += hit["H"] > HELPFUL_BAR
        result["rating_sum"] += hit["R"]
        result["kept"] += hit["key"] in bm25_top_keys
        rank_range = bm25_rank_range(hit["bm25"], scores, tolerance, truncated)
        result["censored"] += rank_range[1] is None and rank_range[0] > len(scores)
        result["shift_sum"] += displacement(rank, rank_range)
        relative = hit["bm25"] / top_bm25 if top_bm25 > 0 else 1.0
        result["weakest"] = relative if result["weakest"] is None else min(result["weakest"], relative)
        if hit["bm25"] >= STRONG * top_bm25 - tolerance:
            strong_seen += 1
        elif hit["bm25"] < WEAK * top_bm25 and strong_seen < strong_total:
            result["weak_above"] = 1
    for hit in baseline[:k]:
        if hit["bm25"] >= STRONG * top_bm25 - tolerance:
            result["strong"] += 1
            result["strong_lost"] += hit["key"] not in top_keys
    return result


def aggregate(comparisons):
    """Sums compare() results over queries -> the table row: shares over hits, means over queries."""
    total = lambda name: sum(c[name] for c in comparisons)
    hits, queries = total("hits"), len(comparisons)
    weakest = [c["weakest"] for c in comparisons if c["weakest"] is not None]
    ratio = lambda a, b: a / b if b else 0.0
    return {"queries": queries, "hits": hits,
            "helpful_share": ratio(total("helpful"), hits),
            "mean_rating": ratio(total("rating_sum"), hits),
            "kept_share": ratio(total("kept"), hits),
            "mean_shift": ratio(total("shift_sum"), hits),
            "censored": total("censored"),
            "strong": total("strong"), "strong_lost": total("strong_lost"),
            "strong_lost_share": ratio(total("strong_lost"), total("strong")),
            "weak_above": total("weak_above"),
            "mean_weakest": ratio(sum(weakest), len(weakest)),
            "mean_overturned": ratio(total("overturned"), queries),
            "max_overturned": max((c["overturned"] for c in comparisons), default=0.0)}


# --- running revsearch ----------------------------------------------------------------------------------------

def settings(wilson=True):
    """The grid: (helpful, rating) strings, plain BM25 first; the rating grid alone (helpful 0) for a set
    without Wilson scores."""
    return [(h, r) for h in (HELPFUL_GRID if wilson else HELPFUL_GRID[:1]) for r in RATING_GRID]


def default_weights(source_dir):
    """(helpful, rating) defaults of the ranking (common/signals/include/revsearch/signal_prior.hpp, which
    RankingParams uses and the index's prior slot is made of), as floats."""
    path = os.path.join(source_dir, "common", "signals", "include", "revsearch", "signal_prior.hpp")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    found = lambda name: float(re.search(rf"double {name}\s*=\s*([0-9.]+)", text).group(1))
    return found("default_helpful_weight"), found("default_rating_weight")


def search(revsearch, db, query, weights, limit):
    """One `revsearch --json` run -> (hits, summary). Exit 1 (no match) gives no hits."""
    result = subprocess.run([revsearch, "--db", db, "--json", "--color", "never", "--limit", str(limit),
                             "--weights", weights, "--", query], capture_output=True, text=True, timeout=120)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"revsearch {query!r} --weights {weights} failed ({result.returncode}): "
                           f"{result.stderr.strip()}")
    hits, summary = read_hits(result.stdout.splitlines())
    return hits, summary, result.stderr.splitlines()


def run_query(revsearch, db, query, grid):
    """The BM25 order and every setting's top 10 of one query -> ({setting: compare()}, facts)."""
    baseline, summary, stderr = search(revsearch, db, query, "helpful=0,rating=0", BASELINE_LIMIT)
    truncated = len(baseline) >= BASELINE_LIMIT and (summary or {}).get("estimated", 0) > len(baseline)
    rows = {}
    for helpful, rating in grid:
        if (helpful, rating) == ("0", "0"):
            blended = baseline[:TOP]
        else:
            blended, _, more = search(revsearch, db, query, f"helpful={helpful},rating={rating}", TOP)
            stderr += more
        rows[(helpful, rating)] = compare(baseline, blended, TOP, truncated)
    return rows, {"matches": (summary or {}).get("estimated", 0), "returned": len(baseline),
                  "truncated": truncated, "stderr": stderr}


def index_set(revindex, corpora, name, work):
    db = os.path.join(work, f"db-{name}")
    shutil.rmtree(db, ignore_errors=True)
    paths = [os.path.join(corpora, path) for path in SETS[name][0]]
    started = time.monotonic()
    subprocess.run([revindex, "add", "--db", db, "--quiet", *paths], check=True, stdout=subprocess.DEVNULL)
    stats = json.loads(subprocess.run([revindex, "stats", "--db", db, "--json"], check=True,
                                      capture_output=True, text=True).stdout)
    return db, stats["documents"], time.monotonic() - started


def evaluate_all(args, queries):
    revindex = os.path.join(args.build_dir, "indexer", "revindex")
    revsearch = os.path.join(args.build_dir, "searcher", "revsearch")
    work = args.work or os.path.join(args.build_dir, "signals")
    os.makedirs(work, exist_ok=True)
    results = {}
    for name in SETS:
        if name not in queries:
            continue
        db, documents, index_seconds = index_set(revindex, args.data, name, work)
        grid = settings(SETS[name][2])
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            outcomes = list(pool.map(lambda query: run_query(revsearch, db, query, grid), queries[name]))
        answered = [rows for rows, facts in outcomes if facts["returned"]]
        facts = [facts for _, facts in outcomes]
        results[name] = {
            "documents": documents, "index_seconds": index_seconds, "queries": len(queries[name]),
            "no_hits": [q for q, f in zip(queries[name], facts) if not f["returned"]],
            "few_hits": sum(1 for f in facts if 0 < f["returned"] < TOP),
            "truncated": sum(1 for f in facts if f["truncated"]),
            "median_matches": sorted(f["matches"] for f in facts)[len(facts) // 2],
            "stderr": sorted({line for f in facts for line in f["stderr"]}),
            "wilson": SETS[name][2],
            "rows": {setting: aggregate([rows[setting] for rows in answered]) for setting in grid},
        }
    return results


# --- report ---------------------------------------------------------------------------------------------------

def table(rows, defaults, wilson=True):
    """Markdown table of one set: a row per setting, the defaults in bold. Without Wilson scores the helpful
    weight changes nothing: its column says "any" and the row of the default rating is bold."""
    lines = ["| helpful | rating | hits with W > 0.5 | mean R | kept from BM25 top 10 | mean \\|Δrank\\| "
             "| strong lost | weak above strong | overturned gap mean / max |",
             "|---|---|---|---|---|---|---|---|---|"]
    for (helpful, rating), row in rows.items():
        cells = [helpful if wilson else "any", rating, f"{row['helpful_share']:.1%}", f"{row['mean_rating']:.3f}",
                 f"{row['kept_share']:.1%}", f"{row['mean_shift']:.2f}",
                 f"{row['strong_lost_share']:.1%} ({row['strong_lost']}/{row['strong']})",
                 f"{row['weak_above']}/{row['queries']}",
                 f"{row['mean_overturned']:.3f} / {row['max_overturned']:.3f}"]
        if (float(helpful) if wilson else defaults[0], float(rating)) == defaults:
            cells = [f"**{cell}**" for cell in cells]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def report(results, defaults):
    parts = []
    for name, result in results.items():
        bm25 = result["rows"][("0", "0")]
        parts.append(f"**{name}**: {SETS[name][1]}; {result['documents']:,} documents, {result['queries']} queries "
                     f"({bm25['queries']} with hits, {result['few_hits']} with fewer than {TOP}; a median "
                     f"of about {result['median_matches']:,} matches, Xapian's estimate), {bm25['hits']:,} hits a setting. In plain "
                     f"BM25's top {TOP}, {bm25['strong']} hits are strong (BM25 >= {STRONG:.0%} of A) and the "
                     f"weakest hit of a query has {bm25['mean_weakest']:.2f} A on average.\n\n")
        parts.append(table(result["rows"], defaults, result["wilson"]))
        notes = []
        if result["no_hits"]:
            notes.append(f"queries without a hit: {', '.join(result['no_hits'])}")
        if result["truncated"]:
            censored = max(row["censored"] for row in result["rows"].values())
            notes.append(f"{result['truncated']} queries match more than {BASELINE_LIMIT} reviews; top-10 hits "
                         f"from beyond BM25 rank {BASELINE_LIMIT} in any setting: at most {censored} "
                         f"(their shift counted as a lower bound)")
        notes += [f"revsearch stderr: {line}" for line in result["stderr"][:5]]
        if notes:
            parts.append("\n" + "".join(f"- {note}\n" for note in notes))
        parts.append("\n")
    return "".join(parts)


def write_doc(doc_path, generated):
    generated_doc.replace_between(doc_path, BEGIN_MARK, END_MARK, generated)


def main(argv):
    source_dir = os.path.dirname(os.path.dirname(HERE))
    parser = argparse.ArgumentParser(prog="evaluation.signals", description=__doc__.splitlines()[0])
    parser.add_argument("--build-dir", required=True, help="holds indexer/revindex and searcher/revsearch")
    datasets.add_option(parser)
    parser.add_argument("--queries", default=QUERIES, help="SET<TAB>QUERY lines (default: signal_queries.tsv)")
    parser.add_argument("--work", help="indexes (default: BUILD_DIR/signals)")
    parser.add_argument("--doc", help="Markdown file whose generated section gets the tables")
    parser.add_argument("--jobs", type=int, default=2, help="queries run at once")
    parser.add_argument("--command", default="scripts/eval-signals", help="the command named in the document")
    args = parser.parse_args(argv)
    datasets.require("scripts/eval-signals", args.data)
    problems = []
    with open(args.queries, encoding="utf-8") as lines:
        queries = read_queries(lines, problems)
    for number, reason in problems:
        print(f"{args.queries}:{number}: {reason}", file=sys.stderr)
    unknown = sorted(set(queries) - set(SETS))
    if unknown:
        print(f"{args.queries}: unknown sets {', '.join(unknown)} (known: {', '.join(SETS)})", file=sys.stderr)
        return 2
    started = time.monotonic()
    results = evaluate_all(args, queries)
    defaults = default_weights(source_dir)
    generated = (f"Generated by `{args.command}` on {datetime.date.today().isoformat()} "
                 f"({time.monotonic() - started:.0f} s on {os.cpu_count()} cores); defaults "
                 f"(common/signals/include/revsearch/signal_prior.hpp) in bold.\n\n" + report(results, defaults))
    print(generated)
    if args.doc:
        write_doc(args.doc, generated)
        print(f"written into {args.doc}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
