"""nDCG@k, Recall@k and MAP with trec_eval's definitions (trec_eval 9.0.7: m_ndcg_cut.c, m_recall.c, m_map.c),
and the paired randomisation test that the evaluation scripts compare two systems with.

- The ranking is trec_eval's (trec.ranked: score descending, ties by docid descending); rank columns are ignored.
- nDCG@k: DCG@k = sum over ranks i = 1..k of gain(doc_i) / log2(i + 1), gain = the qrels relevance (0 for an
  unjudged document, negative judgements count 0). The ideal DCG sorts *all* judged gains of the query from the
  qrels, not the run, so a relevant document the run never returns (also one missing from the corpus) still
  lowers the score.
- Recall@k = relevant documents (rel >= 1) in the first k / all relevant documents in the qrels.
- AP = the sum, over the relevant documents the run returns (at any depth), of the precision at the rank of each,
  divided by all relevant documents in the qrels (so an unreturned one adds 0); MAP is its mean. The depth is the
  run's: the classic collections ask for 1,000 hits, trec_eval's usual cut.
- A query with no relevant document in the qrels is skipped (it has no ideal ranking). A query with relevant
  documents but absent from the run scores 0 (trec_eval -c; plain trec_eval would leave it out of the mean,
  which would flatter a searcher that fails on hard queries).
"""

import math
import random

from . import trec

PERMUTATIONS = 10000
SEED = 20261201


def ndcg_at_k(ranking, judgements, k):
    """ranking: docids best first; judgements: {docid: rel}. None when the query has no relevant document."""
    ideal_gains = sorted((rel for rel in judgements.values() if rel > 0), reverse=True)[:k]
    if not ideal_gains:
        return None
    ideal = sum(gain / math.log2(rank + 1) for rank, gain in enumerate(ideal_gains, 1))
    dcg = sum(max(judgements.get(docid, 0), 0) / math.log2(rank + 1) for rank, docid in enumerate(ranking[:k], 1))
    return dcg / ideal


def recall_at_k(ranking, judgements, k):
    """Share of the query's relevant documents in the first k. None when it has none."""
    relevant = {docid for docid, rel in judgements.items() if rel >= 1}
    if not relevant:
        return None
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def average_precision(ranking, judgements):
    """trec_eval's AP over the whole ranking. None when the query has no relevant document."""
    relevant = {docid for docid, rel in judgements.items() if rel >= 1}
    if not relevant:
        return None
    found, total = 0, 0.0
    for rank, docid in enumerate(ranking, 1):
        if docid in relevant:
            found += 1
            total += found / rank
    return total / len(relevant)


def evaluate(run, qrels, query_ids=None, ndcg_k=10, recall_k=100):
    """Mean nDCG@ndcg_k, Recall@recall_k and AP over the queries of `qrels` (restricted to `query_ids` when
    given) that have a relevant document. Returns {"ndcg": mean, "recall": mean, "map": mean, "queries": n,
    "missing": number of those queries absent from the run, "per_query": {qid: (ndcg, recall, ap)}}."""
    per_query = {}
    missing = 0
    for qid in sorted(qrels if query_ids is None else set(query_ids) & set(qrels)):
        judgements = qrels[qid]
        ranking = trec.ranked(run.get(qid, {}))
        ndcg = ndcg_at_k(ranking, judgements, ndcg_k)
        if ndcg is None:
            continue
        missing += qid not in run
        per_query[qid] = (ndcg, recall_at_k(ranking, judgements, recall_k), average_precision(ranking, judgements))
    count = len(per_query)
    mean = lambda index: sum(scores[index] for scores in per_query.values()) / count if count else 0.0
    return {"ndcg": mean(0), "recall": mean(1), "map": mean(2), "queries": count, "missing": missing,
            "per_query": per_query}


def paired_randomisation(a, b, permutations=PERMUTATIONS, seed=SEED):
    """Two-sided paired randomisation (sign-flip) test of mean(a) - mean(b) over the same queries (Smucker, Allan
    & Carterette, CIKM 2007): each permutation swaps the two systems' scores of each query with probability 1/2.
    Returns (observed mean difference, p), p = (permutations at least as extreme + 1) / (permutations + 1), so it
    is never 0. Seeded: the same inputs give the same p."""
    if len(a) != len(b):
        raise ValueError("paired scores of unequal length")
    if not a:
        return 0.0, 1.0
    diffs = [x - y for x, y in zip(a, b)]
    observed = abs(sum(diffs))
    rng = random.Random(seed)
    extreme = 0
    for _ in range(permutations):
        total = sum(d if rng.random() < 0.5 else -d for d in diffs)
        extreme += abs(total) >= observed - 1e-12
    return sum(diffs) / len(diffs), (extreme + 1) / (permutations + 1)


def detectable_gain(diffs, z=1.96):
    """The mean paired difference a test at this spread would just call significant: z times the standard error
    of the mean of `diffs` (per-query differences of two systems), z = 1.96 for p < 0.05 two-sided (the normal
    approximation of the sign-flip test above, close to it from about 20 queries); z = 2.80 for a gain found
    with 80% power. None for fewer than two queries."""
    if len(diffs) < 2:
        return None
    mean = sum(diffs) / len(diffs)
    variance = sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)
    return z * math.sqrt(variance / len(diffs))
