#!/usr/bin/env python3
"""Search latency as the index grows (scripts/bench --growth 50000,200000,1000000): in one invocation, for each
size, ours with the default blend and as plain BM25, SQLite FTS5 bm25() in one process, and ours and Xapian's
quest end to end, p50 and p99 per query class, with the blend's cost (blend / plain), and beside each of ours, in
the same round, its floor: the same query through Xapian alone (scripts/benchmark/floor/xapian_search_floor.cpp).
docs/scaling.md explains the figures ("Latency as the index grows"). Then adding 1,000 new and 1,000 updated
reviews to each size, ours and FTS5 (incremental.py; docs/benchmarks.md, "Adding to a big index"); --adding-only measures that alone.

The sizes are prefixes of one scaled corpus (scripts/benchmark/scaled_corpus.py: the 1,000,000 reviews of --full), so
every size has the same kind of reviews and the same queries (drawn from the first 20,000 reviews). Indexes are
built once per size under --data-dir/growth and reused by later runs while this build reads them (one of an older
schema is built again; delete the folder to rebuild anyway).
"""

import datetime
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus as corpora  # noqa: E402
import incremental  # noqa: E402
import measure  # noqa: E402
import queries as query_sets  # noqa: E402
import run  # noqa: E402

log = corpora.log


def prefix_of(big, count, data_dir):
    """The first `count` reviews of the corpus `big`, as a file of their own (made once)."""
    path = os.path.join(data_dir, f"{os.path.splitext(os.path.basename(big))[0]}-first-{count}.jsonl")
    if os.path.exists(path) and os.path.getsize(path) > 0:
        return path
    with open(big, encoding="utf-8") as src, open(path + ".tmp", "w", encoding="utf-8") as dst:
        for number, line in enumerate(src):
            if number >= count:
                break
            dst.write(line)
    os.replace(path + ".tmp", path)
    return path


def build_once(label, target, argv, readable=None):
    """Runs an indexer unless `target` was finished by an earlier run (a marker file beside it) and, when
    `readable` is given, `readable(target)` says the index is still one the current build reads: an index of an
    older schema is built again, so that the build times shown are of the schema measured."""
    done = target + ".done.json"
    if os.path.exists(done) and (readable is None or readable(target)):
        with open(done) as f:
            return json.load(f)
    measure.remove_index(target)
    result = measure.spawn(argv, capture=False)
    figures = {"seconds": result.seconds, "cpu_seconds": result.cpu_seconds, "peak_mib": result.peak_mib,
               "index_bytes": measure.directory_bytes(target)}
    log(f"{label}: {result.seconds:.0f} s ({result.cpu_seconds:.0f} s CPU)")
    with open(done, "w") as f:
        json.dump(figures, f)
    return figures


def readable_by(revsearch):
    """A check for build_once: whether `revsearch` opens the index (it refuses one of another schema version, exit
    2). An empty --queries file searches nothing: exit 1, no hits."""
    def readable(db):
        searched = subprocess.run([revsearch, "--db", db, "--queries", os.devnull], capture_output=True)
        return searched.returncode in (0, 1)
    return readable


def schema_of(revindex, db):
    """The index's schema version, as `revindex stats` reads it from its metadata."""
    stats = subprocess.run([revindex, "stats", "--json", "--db", db], capture_output=True, text=True)
    return json.loads(stats.stdout).get("schema") if stats.returncode == 0 else None


def prepare(args, tools, sizes):
    """The corpus of each size and its two indexes (ours, FTS5); returns {size: {...}}."""
    os.makedirs(args.data_dir, exist_ok=True)
    imdb = corpora.aclimdb(args.data, args.data_dir)
    sources = [imdb, *corpora.amazon(args.data, args.data_dir, tools["revindex"])]
    # The corpus of --full (1,000,000 reviews) or a bigger one: every size is a prefix of it.
    largest = max(max(sizes), 1_000_000)
    big = corpora.scaled(sources, args.data_dir, largest, 20111, "scaled:", f"scaled-{largest}.jsonl")
    work = os.path.join(args.data_dir, "growth")
    os.makedirs(work, exist_ok=True)
    prepared = {}
    for size in sizes:
        path = big if size == largest else prefix_of(big, size, args.data_dir)
        ours = os.path.join(work, f"ours-{size}.db")
        fts5 = os.path.join(work, f"fts5-{size}.sqlite")
        prepared[size] = {
            "corpus": path, "ours": ours, "fts5": fts5,
            "build_ours": {**build_once(f"revindex add --jobs {args.jobs}, {size:,} reviews", ours,
                                        [tools["revindex"], "add", "--quiet", "--jobs", str(args.jobs), "--db", ours,
                                         path], readable_by(tools["revsearch"])),
                           "schema": schema_of(tools["revindex"], ours)},
            "build_fts5": build_once(f"FTS5, {size:,} reviews", fts5,
                                     [sys.executable, os.path.join(HERE, "fts5_index.py"), fts5, path]),
        }
    return prepared, big


def quest_argv(quest, db):
    # quest on our own index (it opens it as it is): Xapian's QueryParser, its default BM25 parameters, 10 hits,
    # process start included. It has no filter on our value slots, so the filtered class is left out for it.
    # quest stems with STEM_SOME (Z + stem), terms our index lacks since schema version 3 (STEM_ALL, no Z), and has
    # no option for another strategy: unstemmed (-s none), it finds the query words that are their own stem.
    def argv(kind, words):
        return [quest, "-d", db, "-m", "10", "-s", "none", query_sets.xapian_text(kind, words)]
    return argv


def revsearch_argv(revsearch, db, blend):
    def argv(kind, words):
        a = [revsearch, "--db", db, "--limit", "10"] + ([] if blend else run.PLAIN)
        if kind == "filtered":
            a += ["--min-rating", str(query_sets.MIN_RATING)]
        return a + ["--", query_sets.xapian_text(kind, words)]
    return argv


def measure_size(args, tools, entry, sets, work):
    rows = {}
    for kind in query_sets.CLASSES:
        qs = sets[kind]
        # Each of ours beside its floor (Xapian alone, the same query: xapian_search_floor.cpp), in one round,
        # after an unmeasured pass of the floor over the same queries: without it the first run of a class pays
        # for reading the new words' postings into the page cache (kernel CPU time in pread), a cost the runs after
        # it do not, and it was always ours.
        run.floor_in_process(tools, entry["ours"], kind, qs[:args.queries], True, work)
        row = {
            "ours_blend": run.ours_in_process(tools, entry["ours"], kind, qs[:args.queries], True, work, ranked=True),
            "floor_blend": run.floor_in_process(tools, entry["ours"], kind, qs[:args.queries], True, work),
            "ours_plain": run.ours_in_process(tools, entry["ours"], kind, qs[:args.queries], False, work, ranked=True),
            "floor_plain": run.floor_in_process(tools, entry["ours"], kind, qs[:args.queries], False, work),
            "fts5_plain": run.fts5_in_process(entry["fts5"], kind, qs[:args.queries], False),
        }
        # The floor must answer what ours answers: the same ids in the same order, query by query.
        for mode in ("blend", "plain"):
            ours, floor = row[f"ours_{mode}"].pop("ranked"), row[f"floor_{mode}"].pop("ranked")
            row[f"floor_{mode}"]["same_top10"] = sum(ours.get(q) == ids for q, ids in floor.items() if q != "warmup")
            row[f"floor_{mode}"]["queries"] = sum(1 for q in floor if q != "warmup")
        if args.before:
            other = dict(tools, revsearch=args.before)
            row["before_blend"] = run.ours_in_process(other, entry["ours"], kind, qs[:args.queries], True, work)
            row["before_plain"] = run.ours_in_process(other, entry["ours"], kind, qs[:args.queries], False, work)
        if args.e2e:
            row["e2e_blend"] = run.end_to_end(revsearch_argv(tools["revsearch"], entry["ours"], True),
                                              qs[:args.e2e], kind)
            row["e2e_plain"] = run.end_to_end(revsearch_argv(tools["revsearch"], entry["ours"], False),
                                              qs[:args.e2e], kind)
            if tools["quest"] and kind != "filtered":
                row["e2e_quest"] = run.end_to_end(quest_argv(tools["quest"], entry["ours"]), qs[:args.e2e], kind)
        log(f"{kind}: CPU blend {_cpu(row['ours_blend'])} ms (floor {_cpu(row['floor_blend'])}), plain "
            f"{_cpu(row['ours_plain'])} ms (floor {_cpu(row['floor_plain'])}), FTS5 {_cpu(row['fts5_plain'])} ms")
        rows[kind] = row
    return rows


def command_line(argv):
    """The scripts/bench command that was run, without the wrapper's --build-dir and --out, and with --before's
    binary unnamed (a path on one machine)."""
    words, drop_next = ["scripts/bench"], False
    for a in argv:
        if drop_next:
            drop_next = False
        elif a in ("--build-dir", "--out"):
            drop_next = True
        elif a.startswith(("--build-dir=", "--out=")):
            pass
        elif a == "--before" or a.startswith("--before="):
            words.append("--before REVSEARCH")
            drop_next = a == "--before"
        else:
            words.append(a)
    return " ".join(words)


def growth(args, tools):
    sizes = sorted(int(s) for s in args.growth.split(","))
    started = time.time()
    load_before = os.getloadavg()[0]
    prepared, big = prepare(args, tools, sizes)
    work = os.path.join(args.data_dir, "growth")
    results = {"sizes": {}}
    if not args.adding_only:
        sets, vocabulary = query_sets.build(big, max(args.queries, args.e2e))
        log(f"queries: {max(args.queries, args.e2e)} per class from {vocabulary:,} mid-frequency words")
        for size in sizes:
            log(f"measuring {size:,} reviews")
            entry = prepared[size]
            results["sizes"][str(size)] = {"build_ours": entry["build_ours"], "build_fts5": entry["build_fts5"],
                                          "corpus": entry["corpus"], "load": os.getloadavg()[0],
                                          "classes": measure_size(args, tools, entry, sets, work)}
    # The same batch of new reviews as quick and full mode's "adding 1,000" (a scaled sample with its own ids).
    new_batch = corpora.prepare_batches(args.data, args.data_dir, tools["revindex"])[0]
    results["adding"] = {"empty": incremental.measure_empty(args, tools, new_batch, work),
                         "sizes": {str(size): incremental.measure_size(args, tools, prepared[size], size, new_batch,
                                                                       work) for size in sizes}}
    results.update({
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": measure.machine(), "seconds": time.time() - started, "load": [load_before, os.getloadavg()[0]],
        "queries": args.queries, "e2e": args.e2e, "before": bool(args.before),
        "command": command_line(sys.argv[1:]),
    })
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    return results


# ---- report ---------------------------------------------------------------------------------------------------

LABELS = {"one_word": "1 word", "two_words": "2 words (OR)", "three_words": "3 words (OR)", "phrase": "phrase",
          "filtered": "2 words, rating >= 7"}


def _pair(x):
    return f"{x['p50']:.2f} / {x['p99']:.2f}" if x else "-"


def _cpu(x):
    return f"{x['cpu_p50']:.3f} / {x['cpu_p99']:.3f}" if x and x.get("cpu_p50") is not None else "-"


def _same(floor):
    """How many of the floor's queries ranked the same ids in the same order as ours."""
    return f"{floor['same_top10']} of {floor['queries']}" if "same_top10" in floor else "-"


def _ratio(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def header(r):
    """The line that says when, where and how a --growth run measured."""
    m = r["machine"]
    return (f"Run {r['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}: "
            f"`{r['command']}` ({r['seconds'] / 60:.0f} min, index builds of earlier runs reused). Load average "
            f"{r['load'][0]:.1f} before, {r['load'][1]:.1f} after (other work shares the cores). Sizes are prefixes "
            f"of one scaled corpus.")


def markdown(r):
    """The query tables (docs/scaling.md); adding_markdown has the adding table (docs/benchmarks.md)."""
    sizes = list(r["sizes"])
    smallest = sizes[0]
    lines = [
        header(r) + f" The same {r['queries']} queries per class at every size.",
        "",
        "Indexes (`revindex add --jobs 2` into an empty index: the bulk path of a first load; built once and reused "
        "while the build reads them; FTS5 one transaction):",
        "",
        "| reviews | schema | ours build s (CPU s) | ours MiB | FTS5 build s (CPU s) | FTS5 MiB |",
        "|---|---|---|---|---|---|",
    ]
    for size in sizes:
        s = r["sizes"][size]
        lines.append(f"| {int(size):,} | {s['build_ours'].get('schema') or '-'} | "
                     f"{s['build_ours']['seconds']:.0f} ({s['build_ours']['cpu_seconds']:.0f}) | "
                     f"{s['build_ours']['index_bytes'] / 2**20:.0f} | "
                     f"{s['build_fts5']['seconds']:.0f} ({s['build_fts5']['cpu_seconds']:.0f}) | "
                     f"{s['build_fts5']['index_bytes'] / 2**20:.0f} |")
    lines += [
        "",
        "In one process (revsearch `--queries`: no snippets, spelling hint or count; FTS5 through Python's sqlite3), "
        "10 hits, **CPU ms per query (the searching thread's), p50 / p99**; blend cost = blend / plain CPU; wall = "
        "the p50 / p99 of the gaps between output lines (includes waiting for a core):",
        "",
    ]
    before = r.get("before")
    columns = ("| reviews | query | ours, blend | ours, plain | blend cost p50 | p99 | FTS5 bm25() | plain / FTS5 p50 "
               "| wall: blend | wall: plain |")
    if before:
        columns += " before: blend | before: plain | before blend / now blend p50 |"
    lines += [columns, "|" + "---|" * (columns.count("|") - 1)]
    for size in sizes:
        for kind, row in r["sizes"][size]["classes"].items():
            b, p, f = row["ours_blend"], row["ours_plain"], row["fts5_plain"]
            cells = [f"{int(size):,}", LABELS[kind], _cpu(b), _cpu(p), _ratio(b.get("cpu_p50"), p.get("cpu_p50")),
                     _ratio(b.get("cpu_p99"), p.get("cpu_p99")), _cpu(f), _ratio(p.get("cpu_p50"), f.get("cpu_p50")),
                     _pair(b), _pair(p)]
            if before:
                bb, bp = row.get("before_blend"), row.get("before_plain")
                cells += [_cpu(bb), _cpu(bp), _ratio((bb or {}).get("cpu_p50"), b.get("cpu_p50"))]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "The search floor in the same rounds (`xapian_search_floor`: Xapian alone, the same query as revsearch's, "
              "parsed by Xapian's QueryParser into the same stems, the same BM25 parameters, blend and rating filter, "
              "hits collapsed on the body hash as ours, 10 hits and their stored data; one process, CPU ms per query, "
              "p50 / p99), ours over it, and how many queries ranked the same ids in the same order as ours:", "",
              "| reviews | query | floor, blend | floor, plain | ours / floor, blend p50 | p99 "
              "| ours / floor, plain p50 | p99 | same top 10 as ours: blend, plain |",
              "|---|---|---|---|---|---|---|---|---|"]
    for size in sizes:
        for kind, row in r["sizes"][size]["classes"].items():
            b, p = row["ours_blend"], row["ours_plain"]
            fb, fp = row.get("floor_blend") or {}, row.get("floor_plain") or {}
            lines.append("| " + " | ".join([
                f"{int(size):,}", LABELS[kind], _cpu(fb), _cpu(fp),
                _ratio(b.get("cpu_p50"), fb.get("cpu_p50")), _ratio(b.get("cpu_p99"), fb.get("cpu_p99")),
                _ratio(p.get("cpu_p50"), fp.get("cpu_p50")), _ratio(p.get("cpu_p99"), fp.get("cpu_p99")),
                f"{_same(fb)}, {_same(fp)}"]) + " |")
    lines += ["", "Growth of the CPU p50 in one process, against the smallest size (ours, and the floor):", "",
              "| reviews | " + " | ".join(f"{LABELS[k]}: blend / plain (floor: blend / plain)"
                                          for k in query_sets.CLASSES) + " |",
              "|" + "---|" * (len(query_sets.CLASSES) + 1)]

    def grown(row, base, key):
        return f"{_ratio((row.get(key) or {}).get('cpu_p50'), (base.get(key) or {}).get('cpu_p50'))}x"

    for size in sizes:
        cells = [f"{int(size):,} ({int(size) / int(smallest):.0f}x the reviews)"]
        for kind in query_sets.CLASSES:
            row, base = r["sizes"][size]["classes"][kind], r["sizes"][smallest]["classes"][kind]
            cells.append(f"{grown(row, base, 'ours_blend')} / {grown(row, base, 'ours_plain')} "
                         f"({grown(row, base, 'floor_blend')} / {grown(row, base, 'floor_plain')})")
        lines.append("| " + " | ".join(cells) + " |")
    if r.get("e2e"):
        lines += ["", f"End to end, one process per query ({r['e2e']} per class; start to exit, output read through "
                  "a pipe; revsearch prints snippets and counts), ms p50 / p99 (CPU p50 / p99); quest runs on our index "
                  "and has no filter on its value slots:", "",
                  "| reviews | query | revsearch, blend | revsearch, plain | quest | plain / quest CPU p50 |",
                  "|---|---|---|---|---|---|"]
        for size in sizes:
            for kind, row in r["sizes"][size]["classes"].items():
                cells = [f"{int(size):,}", LABELS[kind]]
                for key in ("e2e_blend", "e2e_plain", "e2e_quest"):
                    x = row.get(key)
                    cells.append(f"{x['p50']:.1f} / {x['p99']:.1f} (CPU {x['cpu_p50']:.1f} / {x.get('cpu_p99', 0):.1f})"
                                 if x else "-")
                cells.append(_ratio(row["e2e_plain"]["cpu_p50"], row.get("e2e_quest", {}).get("cpu_p50")))
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
