"""Comparing two rankings of the same reviews: one index against shards (local or remote), which must rank alike."""


def scored_texts(result):
    """The hits of a `revsearch --json` run as (score, headline and body) pairs: reviews are compared by their text,
    because of a text listed several times the copy with the lowest document number is shown (docs/ranking.md)."""
    return [(round(hit["score"], 9), (hit["review"].get("headline") or "") + "\n" + hit["review"].get("body", ""))
            for hit in result.hits]


def same_ranking(a, b):
    """Scores equal in order, and the same texts within each run of equal scores but the last, which the limit may
    cut elsewhere (ties follow document numbers, which sharding interleaves)."""
    if [score for score, _ in a] != [score for score, _ in b]:
        return False
    last = a[-1][0] if a else None
    return all(sorted(t for s, t in a if s == score) == sorted(t for s, t in b if s == score)
               for score, _ in a if score != last)
