"""The tables: printed by scripts/bench and written into docs/benchmarks.md between markers, one section per
mode (quick, full), so that the hand-written text around them stays."""

import re

CLASS_NAMES = {"one_word": "1 word", "two_words": "2 words (OR)", "three_words": "3 words (OR)",
               "phrase": "phrase", "filtered": "2 words, rating >= 7"}


def _ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def _mb(n):
    return n / 1e6


def indexing_table(r):
    text = r["corpus"]["text_bytes"]
    reviews = r["corpus"]["reviews"]
    ours = r["indexing"]["ours"]
    ours_mbs = _mb(text) / ours["seconds"]
    rows = ["| indexer | runs | time s | CPU s | MB/s | reviews/s | peak MiB | index MiB | index / text "
            "| ours / it (MB/s) | ours / it (peak) |", "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, x in r["indexing"].items():
        mbs = _mb(text) / x["seconds"]
        rows.append(f"| {x['label']} | {x['runs']} | {x['seconds']:.1f} | {x['cpu_seconds']:.1f} | {mbs:.2f} | {reviews / x['seconds']:,.0f} "
                    f"| {x['peak_mib']:.0f} | {x['index_bytes'] / 2**20:.0f} | {x['index_bytes'] / text:.2f} "
                    f"| {_ratio(ours_mbs, mbs)} | {_ratio(ours['peak_mib'], x['peak_mib'])} |")
    return "\n".join(rows)


def tables_table(r):
    """Index / text by glass table, for each Xapian index of the run (docs/benchmarks.md, "Index size")."""
    text = r["corpus"]["text_bytes"]
    tables = ("postlist", "position", "termlist", "docdata", "spelling")
    rows = ["| index / text | " + " | ".join(tables) + " | all tables |", "|---" * (len(tables) + 2) + "|"]
    for x in r["indexing"].values():
        if x.get("tables"):
            rows.append(f"| {x['label']} | " + " | ".join(f"{x['tables'].get(t, 0) / text:.2f}" for t in tables)
                        + f" | {sum(x['tables'].values()) / text:.2f} |")
    return "\n".join(rows) if len(rows) > 2 else ""


# (numerator, denominator, what the row says): ours against the floor first, then against the peers.
RATIO_ROWS = [
    ("serial", "floor", "serial: revindex add / Xapian floor"),
    ("serial", "floor_features", "serial: revindex add / Xapian floor + our features"),
    ("uncompacted", "floor", "serial --compact never: revindex add / Xapian floor"),
    ("uncompacted", "floor_features", "serial --compact never: revindex add / Xapian floor + our features (ours alone)"),
    ("floor_features", "floor", "our features in the engine: Xapian floor + our features / Xapian floor"),
    ("serial", "uncompacted", "serial: revindex add / the same --compact never"),
    ("ours", "floor_jobs", "--jobs: revindex add --jobs / Xapian floor --jobs"),
    ("ours", "floor", "--jobs: revindex add --jobs / Xapian floor serial"),
    ("serial", "fts5", "serial: revindex add / FTS5"),
    ("ours", "fts5", "--jobs: revindex add --jobs / FTS5"),
    ("serial", "scriptindex", "serial: revindex add / scriptindex"),
    ("ours", "scriptindex", "--jobs: revindex add --jobs / scriptindex"),
    ("before_serial", "floor", "before (--before-revindex), serial: revindex add / Xapian floor"),
    ("before_serial", "floor_features", "before, serial: revindex add / Xapian floor + our features"),
    ("before", "floor_jobs", "before, --jobs: revindex add --jobs / Xapian floor --jobs"),
    ("before_serial", "fts5", "before, serial: revindex add / FTS5"),
    ("before", "fts5", "before, --jobs: revindex add --jobs / FTS5"),
    ("serial", "before_serial", "this build / before, serial"),
    ("ours", "before", "this build / before, --jobs"),
    ("floor", "fts5", "the engine's floor: Xapian floor serial / FTS5"),
    ("floor_jobs", "fts5", "the engine's floor: Xapian floor --jobs / FTS5"),
]


def ratio_table(r):
    """Every ratio from the same invocation: the machine's load changes between runs, ratios less so."""
    x = r["indexing"]
    rows = ["| ratio (same run) | wall | CPU | peak memory | index size |", "|---|---|---|---|---|"]
    for a, b, label in RATIO_ROWS:
        if a in x and b in x:
            rows.append(f"| {label} | {_ratio(x[a]['seconds'], x[b]['seconds'])} "
                        f"| {_ratio(x[a]['cpu_seconds'], x[b]['cpu_seconds'])} "
                        f"| {_ratio(x[a]['peak_mib'], x[b]['peak_mib'])} "
                        f"| {_ratio(x[a]['index_bytes'], x[b]['index_bytes'])} |")
    return "\n".join(rows)


def add_table(r):
    ours = r["add_1000"]["ours"]["seconds"]
    rows = ["| adding 1,000 reviews to the index above | median s (3 batches) | ours / it |", "|---|---|---|"]
    labels = {"ours": "revindex add", "scriptindex": "scriptindex (update)", "fts5": "FTS5 INSERT, one transaction"}
    for key, x in r["add_1000"].items():
        rows.append(f"| {labels[key]} | {x['seconds']:.2f} | {_ratio(ours, x['seconds'])} |")
    return "\n".join(rows)


def _lat(x):
    cpu = f" (CPU {x['cpu_p50']:.1f})" if "cpu_p50" in x else ""
    return f"{x['p50']:.2f} / {x['p95']:.2f} / {x['p99']:.2f}{cpu}"


def in_process_table(r):
    rows = ["| query (ms: p50 / p95 / p99) | ours, blend | ours, plain BM25 | FTS5 bm25() | FTS5 + blend "
            "| ours plain / FTS5 p50 | p99 | blend cost (ours p50) | ours q/s |",
            "|---|---|---|---|---|---|---|---|---|"]
    for kind, x in r["in_process"].items():
        ob, op, fp, fb = x["ours_blend"], x["ours_plain"], x["fts5_plain"], x["fts5_blend"]
        rows.append(f"| {CLASS_NAMES[kind]} | {_lat(ob)} | {_lat(op)} | {_lat(fp)} | {_lat(fb)} "
                    f"| {_ratio(op['p50'], fp['p50'])} | {_ratio(op['p99'], fp['p99'])} "
                    f"| {_ratio(ob['p50'], op['p50'])}x | {ob['qps']:,.0f} |")
    return "\n".join(rows)


def e2e_table(r):
    peers = [p for p in ("quest", "sqlite3") if any(p in x for x in r["end_to_end"].values())]
    head = "| query (ms: p50 / p95 / p99 (CPU p50)) | revsearch, blend | revsearch, plain |" + "".join(
        f" {p} |" for p in peers) + "".join(f" ours plain / {p} p50 | p99 |" for p in peers)
    rows = [head, "|---" * (3 + 3 * len(peers)) + "|"]
    for kind, x in r["end_to_end"].items():
        cells = [CLASS_NAMES[kind], _lat(x["ours_blend"]), _lat(x["ours_plain"])]
        cells += [_lat(x[p]) if p in x else "-" for p in peers]
        for p in peers:
            cells += [_ratio(x["ours_plain"]["p50"], x[p]["p50"]), _ratio(x["ours_plain"]["p99"], x[p]["p99"])]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def markdown(r):
    m = r["machine"]
    c = r["corpus"]
    files = f" in {c['files']} batch files" if c.get("files", 1) > 1 else ""
    parts = [
        f"Run {r['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}: "
        f"`{r['command']}` ({r['seconds'] / 60:.0f} min). Corpus `{c['path']}`: {c['reviews']:,} reviews{files}, "
        f"{c['text_bytes'] / 1e6:.1f} MB of text (body and headline), `--jobs {r['jobs']}`. Load average "
        f"{r['load'][0]:.1f} before, {r['load'][1]:.1f} after (other work on the machine shares the cores).",
        "Indexing (a fresh index each run; median of the runs; peak = the indexer process's maximum RSS):",
        indexing_table(r), ratio_table(r)]
    if tables_table(r):
        parts += ["Index size by glass table (bytes of each table file of the live generation over the text bytes; "
                  "docs/benchmarks.md, \"Index size\"):", tables_table(r)]
    if not r.get("in_process"):  # --index-only
        return "\n\n".join(parts)
    return "\n\n".join(parts + [
        add_table(r),
        "Query latency in one process (revsearch `--queries` batch mode: no snippets, no spelling hint; FTS5 "
        "through Python's sqlite3 module), 10 hits, ratios below 1 mean ours is faster:",
        in_process_table(r),
        "End to end, one process per query as a shell user runs it (start to exit, output read through a pipe); "
        "quest cannot blend signals, so compare it with the plain column:",
        e2e_table(r),
    ])


def write_section(path, mode, text):
    begin, end = f"<!-- bench:{mode}:begin -->", f"<!-- bench:{mode}:end -->"
    try:
        with open(path, encoding="utf-8") as f:
            doc = f.read()
    except FileNotFoundError:
        doc = "# Benchmarks\n"
    block = f"{begin}\n{text}\n{end}"
    if begin in doc and end in doc:
        doc = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + f"\n\n## Results: {mode} mode\n\n{block}\n"
    with open(path, "w", encoding="utf-8") as f:
        f.write(doc)
