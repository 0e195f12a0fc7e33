"""The peers' inputs and command lines: Xapian's own scriptindex/quest (Debian xapian-omega, xapian-tools) and
SQLite FTS5 (bm25(), porter stemming), over the same reviews and fields as revindex/revsearch.

Both peers index what ours indexes, as far as they can say it: headline (prefixed and plain) and body with
positions, author and item words, the review id as the unique key, item id and rating as filter terms, rating and
votes as values, the review stored for display. Ours also feeds a spelling table; scriptindex is asked to do
the same (its "spell" action); FTS5 has no such thing.
"""

import json
import re

BREAK = re.compile(r"<br\s*/?>", re.I)

SCRIPTINDEX_SCRIPT = """\
id : field boolean=Q unique=Q
item_id : field boolean=XI
item : field index=XT
author : field index=A lower boolean=XA
headline : field spell index=S index
body : field spell index
rating : field boolean=XR valuenumeric=1
helpful_yes : valuenumeric=2
helpful_total : valuenumeric=3
date : value=5
"""


def text_of(value):
    """The reader turns aclImdb's <br /> into line breaks; the peers get the same text."""
    return BREAK.sub("\n", value) if value else value


def rating10(review):
    if review.get("rating") is None:
        return None
    scale = review.get("rating_max") or 10
    return round(review["rating"] / scale * 10)


def rows(jsonl_path):
    """(id, headline, body, author, item, item_id, rating10, helpful_yes, helpful_total, date) per review."""
    with open(jsonl_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            yield (r["id"], text_of(r.get("headline")), text_of(r.get("body")), r.get("author"), r.get("item"),
                   r.get("item_id"), rating10(r), r.get("helpful_yes"), r.get("helpful_total"), r.get("date"))


def write_scriptindex_dump(jsonl_path, dump_path):
    """scriptindex's input: name=value lines, a newline inside a value continued by '=', a blank line after
    each record. Not timed: it plays the part of our JSON lines reader's input format."""
    names = ("id", "headline", "body", "author", "item", "item_id", "rating", "helpful_yes", "helpful_total",
             "date")
    with open(dump_path, "w", encoding="utf-8") as out:
        for row in rows(jsonl_path):
            for name, value in zip(names, row):
                if value is None or value == "":
                    continue
                out.write(f"{name}=" + str(value).replace("\n", "\n=") + "\n")
            out.write("\n")


FTS5_SCHEMA = ("CREATE VIRTUAL TABLE reviews USING fts5(id UNINDEXED, headline, body, author, item, "
               "item_id UNINDEXED, rating UNINDEXED, helpful UNINDEXED, "
               "tokenize = 'porter unicode61 remove_diacritics 2')")


def wilson_lower_bound(yes, total, z=1.96):
    """The helpfulness signal ours ranks with (docs/ranking.md), for FTS5's blended ORDER BY."""
    if not total:
        return 0.0
    p = yes / total
    denominator = 1 + z * z / total
    centre = p + z * z / (2 * total)
    margin = z * ((p * (1 - p) + z * z / (4 * total)) / total) ** 0.5
    return max(0.0, (centre - margin) / denominator)


def fts5_insert(connection, jsonl_path):
    """All rows in one transaction, as a bulk load would."""
    with connection:
        connection.executemany(
            "INSERT INTO reviews VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((i, h, b, a, it, iid, r, wilson_lower_bound(y, t))
             for i, h, b, a, it, iid, r, y, t, _ in rows(jsonl_path)))


def fts5_replace(connection, jsonl_path):
    """FTS5's upsert of a scraped-again review: the row under its rowid deleted and inserted again, one
    transaction (fts5_index.py --replace). The scaled corpus's ids are "scaled:N", N its line, and FTS5 gave that
    line rowid N + 1 when it loaded the corpus: the id-to-row lookup an application would keep."""
    with connection:
        for i, h, b, a, it, iid, r, y, t, _ in rows(jsonl_path):
            rowid = int(i.rsplit(":", 1)[1]) + 1
            connection.execute("DELETE FROM reviews WHERE rowid = ?", (rowid,))
            connection.execute("INSERT INTO reviews (rowid, id, headline, body, author, item, item_id, rating, "
                               "helpful) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               (rowid, i, h, b, a, it, iid, r, wilson_lower_bound(y, t)))


def fts5_or_query(text):
    """Typed or pasted text -> an FTS5 MATCH expression of its words, each quoted and OR-ed ('"w1" OR "w2"', the
    benchmark's spelling of an OR query), so that no word or character of the text is read as an FTS5 operator.
    None when the text has no word. The evaluation scripts rank FTS5 with it."""
    words = re.findall(r"\w+", text.lower())
    return " OR ".join(f'"{word}"' for word in words) if words else None


# Our default signal weights (common/signals/include/revsearch/signal_prior.hpp). Ours are fractions of the query's
# BM25 ceiling, which FTS5 does not offer; here they weigh FTS5's bm25() directly: the same work per row (two
# columns read, one sum), which is what the "+ blend" column compares, not the same ranking.
HELPFUL_WEIGHT, RATING_WEIGHT = 0.075, 0.015


def fts5_sql(kind, blend, limit=10, shell=False):
    """The search statement. The blend mirrors ours: BM25 plus weighted helpfulness and rating signals
    (FTS5's bm25() is negative, smaller is better)."""
    order = "bm25(reviews)"
    if blend:
        order += f" - {HELPFUL_WEIGHT} * helpful - {RATING_WEIGHT} * coalesce(rating, 5) / 10.0"
    where = "reviews MATCH ?"
    if kind == "filtered":
        where += " AND rating >= 7"
    columns = "id, rating, snippet(reviews, 2, '[', ']', '...', 12)" if shell else "id"
    return f"SELECT {columns} FROM reviews WHERE {where} ORDER BY {order} LIMIT {limit}"
