#!/usr/bin/env python3
"""Adding to a big index (scripts/bench --growth): for each size, 1,000 new reviews and 1,000 of the index's own
reviews scraped again (new vote counts, same text) added to a copy of ours and of FTS5's, and the same 1,000 new
reviews into an empty index, in one invocation. Wall and CPU seconds of the adding process, and the bytes it
wrote (ru_oublock). docs/benchmarks.md, "Adding to a big index", says what the figures mean."""

import json
import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus as corpora  # noqa: E402
import measure  # noqa: E402

log = corpora.log
BATCH = 1000


def updated_batch(prefix, size, work):
    """Every (size / 1,000)-th review of the index's corpus with three more helpful votes of four more: a page
    scraped again. The scaled corpus's ids are "scaled:N", N its line, which FTS5's rowid N + 1 mirrors."""
    path = os.path.join(work, f"updated-{size}.jsonl")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    step = max(1, size // BATCH)
    with open(prefix, encoding="utf-8") as src, open(path + ".tmp", "w", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if number % step or number // step >= BATCH:
                continue
            review = json.loads(line)
            review["helpful_yes"] = (review.get("helpful_yes") or 0) + 3
            review["helpful_total"] = max((review.get("helpful_total") or 0) + 4, review["helpful_yes"])
            dst.write(json.dumps(review) + "\n")
    os.replace(path + ".tmp", path)
    return path


def _copy(source, target):
    measure.remove_index(target)
    if source is None:
        return
    if os.path.isdir(source):
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copyfile(source, target)


def _runs(label, source, target, argv, repeat):
    """`argv` on a fresh copy of `source` (None: no index yet), `repeat` times; the median of each figure."""
    runs = []
    for _ in range(repeat):
        _copy(source, target)
        os.sync()  # the copy's own writes are not the adding process's
        runs.append(measure.spawn(argv, capture=False))
    figures = {"seconds": measure.median([r.seconds for r in runs]),
               "cpu_seconds": measure.median([r.cpu_seconds for r in runs]),
               "written_bytes": measure.median([r.written_bytes for r in runs]),
               "all_seconds": [r.seconds for r in runs]}
    log(f"{label}: {figures['seconds']:.2f} s ({figures['cpu_seconds']:.2f} s CPU, "
        f"{figures['written_bytes'] / 1e6:.1f} MB written)")
    measure.remove_index(target)
    return figures


def measure_size(args, tools, entry, size, new_batch, work):
    """The adds of one size: {case: {ours: figures, fts5: figures}}."""
    updated = updated_batch(entry["corpus"], size, work)
    ours_copy, fts5_copy = os.path.join(work, "adding-ours.db"), os.path.join(work, "adding-fts5.sqlite")
    fts5_add = os.path.join(HERE, "fts5_index.py")
    repeat = max(1, args.repeat)

    def ours(batch):
        return [tools["revindex"], "add", "--quiet", "--db", ours_copy, batch]

    return {
        "new": {
            "ours": _runs(f"{size:,} + 1,000 new, ours", entry["ours"], ours_copy, ours(new_batch), repeat),
            "fts5": _runs(f"{size:,} + 1,000 new, FTS5", entry["fts5"], fts5_copy,
                          [sys.executable, fts5_add, fts5_copy, new_batch, "--add"], repeat),
        },
        "updated": {
            "ours": _runs(f"{size:,} + 1,000 updated, ours", entry["ours"], ours_copy, ours(updated), repeat),
            "fts5": _runs(f"{size:,} + 1,000 updated, FTS5", entry["fts5"], fts5_copy,
                          [sys.executable, fts5_add, fts5_copy, updated, "--replace"], repeat),
        },
    }


def measure_empty(args, tools, new_batch, work):
    """The same 1,000 new reviews into an empty index: what indexing them costs by itself."""
    ours_copy, fts5_copy = os.path.join(work, "adding-ours.db"), os.path.join(work, "adding-fts5.sqlite")
    repeat = max(1, args.repeat)
    return {
        "ours": _runs("empty + 1,000 new, ours", None, ours_copy,
                      [tools["revindex"], "add", "--quiet", "--db", ours_copy, new_batch], repeat),
        "fts5": _runs("empty + 1,000 new, FTS5", None, fts5_copy,
                      [sys.executable, os.path.join(HERE, "fts5_index.py"), fts5_copy, new_batch], repeat),
    }


LABELS = {"new": "1,000 new", "updated": "1,000 scraped again (votes)"}


def _cell(x):
    return f"{x['seconds']:.2f} ({x['cpu_seconds']:.2f}) {x['written_bytes'] / 1e6:.1f}"


def markdown(results):
    """The table of docs/benchmarks.md, "Adding to a big index"."""
    empty = results["empty"]
    lines = ["Adding 1,000 reviews, each add on a fresh copy of the index (median of the runs): wall s (CPU s) and "
             "MB written by the adding process; ratios ours / FTS5:", "",
             "| index | batch | ours | FTS5 | ours / FTS5 wall | CPU | ours / ours into empty, CPU |",
             "|---|---|---|---|---|---|---|",
             f"| empty | 1,000 new | {_cell(empty['ours'])} | {_cell(empty['fts5'])} | "
             f"{empty['ours']['seconds'] / empty['fts5']['seconds']:.1f} | "
             f"{empty['ours']['cpu_seconds'] / empty['fts5']['cpu_seconds']:.1f} | 1.0 |"]
    for size, cases in results["sizes"].items():
        for case, row in cases.items():
            o, f = row["ours"], row["fts5"]
            lines.append(f"| {int(size):,} | {LABELS[case]} | {_cell(o)} | {_cell(f)} | "
                         f"{o['seconds'] / f['seconds']:.1f} | {o['cpu_seconds'] / f['cpu_seconds']:.1f} | "
                         f"{o['cpu_seconds'] / empty['ours']['cpu_seconds']:.1f} |")
    return "\n".join(lines)
