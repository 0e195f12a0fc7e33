#!/usr/bin/env python3
"""Makes a large, realistic review corpus from real ones, deterministically (same inputs and seed: same bytes).

usage: scaled_corpus.py --count N [--seed S] [--id-prefix P] CANONICAL.jsonl... > scaled.jsonl

Each generated review copies the shape of a real one (the "template", drawn uniformly, so the mix of IMDb and
Amazon reviews is kept): the same film or product and the same number of sentences. Its sentences are drawn from
all real reviews of that film or product, so words, their co-occurrence and review lengths stay those of real
reviews of that item. Its headline (when the template has one), author, date, rating and helpfulness votes are
each drawn from a random real review of the same item: the per-item rating and vote distributions are the real
ones. Ids are P<number>, so a generated corpus never collides with a real one.
"""

import argparse
import json
import random
import re
import sys

# A sentence ends at . ! ? followed by space, or at a line break (aclImdb's "<br />" became "\n" in the reader,
# but aclimdb_to_jsonl.py keeps the raw "<br />", so both count).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\s*<br\s*/?>\s*|\n+")


def sentences_of(body):
    return [s for s in (part.strip() for part in SENTENCE_END.split(body)) if s]


class Item:
    __slots__ = ("sentences", "reviews")

    def __init__(self):
        self.sentences = []
        self.reviews = []


def load_items(paths):
    """item key -> Item, in first-seen order (dicts keep insertion order: deterministic)."""
    items = {}
    templates = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                review = json.loads(line)
                key = review.get("item_id") or review.get("item") or "?"
                item = items.setdefault(key, Item())
                sentences = sentences_of(review.get("body") or "")
                if not sentences:
                    continue
                item.sentences.extend(sentences)
                slim = {k: review.get(k) for k in ("item", "item_id", "item_year", "headline", "author", "date",
                                                   "rating", "rating_max", "helpful_yes", "helpful_total")}
                slim["n"] = len(sentences)
                item.reviews.append(slim)
                templates.append((key, len(item.reviews) - 1))
    return items, templates


def generate(items, templates, count, seed, id_prefix, out):
    rng = random.Random(seed)
    for number in range(count):
        key, index = templates[rng.randrange(len(templates))]
        item = items[key]
        template = item.reviews[index]
        body = " ".join(item.sentences[rng.randrange(len(item.sentences))] for _ in range(template["n"]))
        rated = item.reviews[rng.randrange(len(item.reviews))]
        voted = item.reviews[rng.randrange(len(item.reviews))]
        other = item.reviews[rng.randrange(len(item.reviews))]
        headline = None
        if template["headline"] is not None:
            headline = item.reviews[rng.randrange(len(item.reviews))]["headline"] or template["headline"]
        record = {
            "id": f"{id_prefix}{number}", "source": None,
            "item": template["item"], "item_id": template["item_id"], "item_year": template["item_year"],
            "headline": headline, "author": other["author"], "byline": None, "date": other["date"],
            "rating": rated["rating"], "rating_max": rated["rating_max"],
            "helpful_yes": voted["helpful_yes"], "helpful_total": voted["helpful_total"],
            "spoiler": False, "body": body,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=20111)
    parser.add_argument("--id-prefix", default="scaled:")
    parser.add_argument("inputs", nargs="+")
    args = parser.parse_args(argv[1:])
    items, templates = load_items(args.inputs)
    if not templates:
        print("scaled_corpus: no review with text in the inputs", file=sys.stderr)
        return 2
    generate(items, templates, args.count, args.seed, args.id_prefix, sys.stdout)
    print(f"{args.count} reviews from {len(templates)} real ones over {len(items)} items", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
