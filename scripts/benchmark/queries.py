"""Query sets drawn deterministically (fixed seed) from the benchmark corpus's own vocabulary.

Words are taken from the middle of the document-frequency range (in 0.1% to 5% of the reviews): neither stop
words, which every engine handles by brute force, nor hapaxes, which are free. Phrases are real adjacent word
pairs from random reviews, so each phrase has at least one match.
"""

import collections
import json
import random
import re

WORD = re.compile(r"[a-z]{4,}")
BREAK = re.compile(r"<br\s*/?>", re.I)
# Lower-case words only, so that Xapian's AND/OR/NOT/NEAR and FTS5's operators never appear as operators; the
# generic English words below would also be in the mid-frequency band of any review corpus but say little.
SKIP = {"this", "that", "with", "have", "from", "they", "were", "what", "when", "there", "their", "about",
        "would", "which", "near", "than", "then", "them", "been", "into", "also", "some", "will", "just"}
CLASSES = ("one_word", "two_words", "three_words", "phrase", "filtered")


def words_of(text):
    return WORD.findall(BREAK.sub(" ", text).lower())


def sample_reviews(corpus_path, limit):
    with open(corpus_path, encoding="utf-8") as f:
        for number, line in enumerate(f):
            if number >= limit:
                break
            review = json.loads(line)
            yield (review.get("headline") or "") + " " + (review.get("body") or "")


def build(corpus_path, per_class, seed=4242, sample=20000):
    """{class: [query words, ...]}; a phrase is a list of two words meant to be adjacent."""
    df = collections.Counter()
    texts = []
    for text in sample_reviews(corpus_path, sample):
        texts.append(text)
        df.update(set(words_of(text)))
    n = len(texts)
    vocabulary = sorted(w for w, c in df.items() if 0.001 * n <= c <= 0.05 * n and w not in SKIP)
    rng = random.Random(seed)
    queries = {
        "one_word": [[rng.choice(vocabulary)] for _ in range(per_class)],
        "two_words": [rng.sample(vocabulary, 2) for _ in range(per_class)],
        "three_words": [rng.sample(vocabulary, 3) for _ in range(per_class)],
        "filtered": [rng.sample(vocabulary, 2) for _ in range(per_class)],
    }
    phrases = []
    while len(phrases) < per_class:
        words = BREAK.sub(" ", rng.choice(texts)).lower().split()
        if len(words) < 2:
            continue
        i = rng.randrange(len(words) - 1)
        pair = [words[i], words[i + 1]]
        if all(re.fullmatch(r"[a-z]{3,}", w) and w not in SKIP for w in pair):
            phrases.append(pair)
    queries["phrase"] = phrases
    return queries, len(vocabulary)


# How each engine spells a query of each class. The filter is "rating at least 7 of 10".
MIN_RATING = 7


def xapian_text(kind, words):
    """For revsearch and quest (both Xapian QueryParser syntax, OR of the words by default)."""
    return f'"{words[0]} {words[1]}"' if kind == "phrase" else " ".join(words)


def quest_text(kind, words):
    text = xapian_text(kind, words)
    if kind == "filtered":  # boolean terms of one prefix are OR-ed, then filter the rest
        text += " " + " ".join(f"rating:{r}" for r in range(MIN_RATING, 11))
    return text


def fts5_text(kind, words):
    if kind == "phrase":
        return f'"{words[0]} {words[1]}"'
    return " OR ".join(f'"{w}"' for w in words)
