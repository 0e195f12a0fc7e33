#!/usr/bin/env python3
"""Adding to a big index (scripts/bench --growth): for each size, 1,000 new reviews and 1,000 of the index's own
reviews scraped again (new vote counts, same text) added to a copy of ours and of FTS5's, and the same 1,000 new
reviews into an empty index, in one invocation. The 1,000 new reviews also through the engine's floor
(floor/xapian_floor.cpp) into a copy of our index, bare and with our features (`--with all`): what Xapian alone
costs to add the same postings, and the same postings, record, values and spelling, to an index of that size.
Wall and CPU seconds of the adding process, and the bytes it wrote (ru_oublock). docs/benchmarks.md, "Adding to a
big index", says what the figures mean."""

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


def _floor_argv(tools, target, batch, with_features, append):
    """The floor adding `batch` to the index at `target` (ours: through its stub file), or creating it there."""
    stub = os.path.join(target, "XAPIANDB")
    database = stub if append else target
    return [tools["floor"], *(["--append"] if append else []), *(["--with", "all"] if with_features else []),
            database, batch]


def _floors(tools, source, target, batch, label, repeat):
    """The floor's two runs of adding the new reviews to a copy of `source` (None: into no index): bare, and with
    our features."""
    return {name: _runs(f"{label}, {title}", source, target,
                        _floor_argv(tools, target, batch, features, source is not None), repeat)
            for name, title, features in (("floor", "Xapian floor", False),
                                          ("floor_features", "Xapian floor + our features", True))}


def measure_size(args, tools, entry, size, new_batch, work):
    """The adds of one size: {case: {ours: figures, fts5: figures[, floor:, floor_features:]}}."""
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
            **_floors(tools, entry["ours"], ours_copy, new_batch, f"{size:,} + 1,000 new", repeat),
        },
        # No floor for updates: the floor indexes a review again whole, where ours keeps the postings of a review
        # whose text did not change, so it would be no lower bound.
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
        **_floors(tools, None, ours_copy, new_batch, "empty + 1,000 new", repeat),
    }


LABELS = {"new": "1,000 new", "updated": "1,000 scraped again (votes)"}


def _cell(x):
    return f"{x['seconds']:.2f} ({x['cpu_seconds']:.2f}) {x['written_bytes'] / 1e6:.1f}" if x else "-"


def _ratio(x, y, key):
    return f"{x[key] / y[key]:.1f}" if x and y else "-"


def markdown(results):
    """The table of docs/benchmarks.md, "Adding to a big index"."""
    empty = results["empty"]
    lines = ["Adding 1,000 reviews, each add on a fresh copy of the index (median of the runs): wall s (CPU s) and "
             "MB written by the adding process. The floors add the same new reviews to a copy of our index (no "
             "floor for updates: it would index each review again whole); ratios of CPU seconds unless marked:", "",
             "| index | batch | ours | Xapian floor | floor + our features | FTS5 | ours / FTS5 wall | ours / FTS5 "
             "| floor / FTS5 | floor + features / FTS5 | ours / floor + features | ours / ours into empty |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    rows = [("empty", "1,000 new", empty)]
    for size, cases in results["sizes"].items():
        rows += [(f"{int(size):,}", LABELS[case], row) for case, row in cases.items()]
    for index, batch, row in rows:
        o, f = row["ours"], row["fts5"]
        floor, features = row.get("floor"), row.get("floor_features")
        lines.append(f"| {index} | {batch} | {_cell(o)} | {_cell(floor)} | {_cell(features)} | {_cell(f)} | "
                     f"{_ratio(o, f, 'seconds')} | {_ratio(o, f, 'cpu_seconds')} | {_ratio(floor, f, 'cpu_seconds')} | "
                     f"{_ratio(features, f, 'cpu_seconds')} | {_ratio(o, features, 'cpu_seconds')} | "
                     f"{_ratio(o, empty['ours'], 'cpu_seconds')} |")
    return "\n".join(lines)
