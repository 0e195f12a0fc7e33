"""BEIR files -> what revindex and revsearch read, and the tune/test split of the queries.

BEIR corpus.jsonl ({"_id", "title", "text", "metadata"}) -> canonical JSON lines (docs/formats.md):
`id` = the BEIR _id (the jsonl reader keeps an input id, so TREC runs name BEIR documents and the qrels apply
unchanged), `headline` = title (null when empty: 5,975 of ArguAna's 8,674 titles are), `body` = text. The title
is a field, not glued to the text: our schema indexes headline words both S-prefixed and unprefixed, so a plain
query still matches them and `headline:` can address them alone. A record without text but with a title keeps
the title as its body (the body is required); one with neither, or a line that is not a JSON object with a string
_id, is reported as (line number, reason) and skipped.
"""

import hashlib
import json


def canonical_record(beir_doc):
    """One BEIR corpus object -> canonical record dict, or raises ValueError with the reason."""
    if not isinstance(beir_doc, dict):
        raise ValueError("not a JSON object")
    doc_id = beir_doc.get("_id")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise ValueError('"_id" is missing or not a non-empty string')
    title = beir_doc.get("title")
    text = beir_doc.get("text")
    title = title.strip() if isinstance(title, str) else ""
    text = text.strip() if isinstance(text, str) else ""
    if not text and not title:
        raise ValueError(f"{doc_id}: neither text nor title")
    return {"id": doc_id, "headline": title if (title and text) else None, "body": text or title}


def convert_corpus(lines, out, problems=None):
    """Writes one canonical JSON line to `out` per good corpus line; returns how many were written."""
    written = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = canonical_record(json.loads(line))
        except ValueError as error:  # json.JSONDecodeError is a ValueError
            if problems is not None:
                problems.append((number, str(error)))
            continue
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        written += 1
    return written


def select_queries(lines, query_ids, out):
    """Copies the BEIR queries.jsonl lines whose _id is in `query_ids` to `out` unchanged (revsearch --queries
    reads BEIR JSON lines itself); returns the ids written, in file order."""
    written = []
    for line in lines:
        if not line.strip():
            continue
        try:
            query_id = json.loads(line).get("_id")
        except (ValueError, AttributeError):
            continue
        if query_id in query_ids:
            out.write(line if line.endswith("\n") else line + "\n")
            written.append(query_id)
    return written


def split_of(query_id):
    """"tune" or "test": a fixed half of the queries, from SHA-256 of the id (stable across machines and
    Python versions, unlike hash()). Parameters are chosen on tune and reported on test."""
    return "tune" if hashlib.sha256(query_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"
