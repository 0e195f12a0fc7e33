"""The generated part of a document: the figures an evaluation writes between two HTML-comment markers, so the
prose around them stays hand-written."""


def replace_between(doc_path, begin_mark, end_mark, generated):
    """Replaces what lies between begin_mark and end_mark in doc_path, reading the file just before writing."""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    begin, end = text.find(begin_mark), text.find(end_mark)
    if begin < 0 or end < begin:
        raise RuntimeError(f"{doc_path}: the markers {begin_mark} / {end_mark} are missing")
    with open(doc_path, "w", encoding="utf-8") as f:
        f.write(text[:begin + len(begin_mark)] + "\n" + generated + text[end:])
