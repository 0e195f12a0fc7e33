#!/usr/bin/env python3
"""revsearch against its peers, in one invocation on the same data: indexing throughput and memory, index size,
adding 1,000 reviews, query latency in-process and end to end, and the cost of the helpfulness/rating blend.
Run through scripts/bench (docs/benchmarks.md says what each figure means and how it was measured)."""

import argparse
import datetime
import functools
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus as corpora  # noqa: E402
import measure  # noqa: E402
import peers  # noqa: E402
import queries as query_sets  # noqa: E402
import report  # noqa: E402

log = corpora.log
PLAIN = ["--weights", "helpful=0,rating=0"]  # docs/ranking.md: plain BM25


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench", description=__doc__.splitlines()[0])
    p.add_argument("--full", action="store_true", help="the scaled corpus (1,000,000 reviews) instead of aclImdb")
    p.add_argument("--reviews", type=int, default=0,
                   help="corpus size: a slice of aclImdb in quick mode, the scaled corpus size with --full")
    p.add_argument("--batches", type=int, default=0,
                   help="split the corpus into this many batch files, each indexer gets them all (one "
                        "transaction per file where it has transactions); implies --serial")
    p.add_argument("--index-only", action="store_true", help="measure indexing only (no queries, no adding 1,000)")
    p.add_argument("--build-dir", required=True)
    p.add_argument("--data-dir", default="/tmp/revsearch-bench", help="work folder: converted corpora, indexes")
    corpora.datasets.add_option(p)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 2, help="revindex add --jobs")
    p.add_argument("--repeat", type=int, default=3, help="indexing runs per tool (median); one when a run is slow")
    p.add_argument("--slow", type=float, default=60, help="seconds after which an indexing run is not repeated")
    p.add_argument("--queries", type=int, default=200, help="in-process queries per class")
    p.add_argument("--e2e", type=int, default=30, help="end-to-end (one process each) queries per class")
    p.add_argument("--serial", action="store_true", help="also time revindex add without --jobs (slow)")
    p.add_argument("--out", help="the Markdown file to write (docs/benchmarks.md)")
    p.add_argument("--growth", metavar="N,N,...",
                   help="search latency as the index grows: these sizes of the scaled corpus, ours blend and plain "
                        "beside the search floor (Xapian alone), FTS5, quest (scripts/benchmark/growth.py); writes "
                        "docs/scaling.md")
    p.add_argument("--adding-only", action="store_true",
                   help="with --growth: only adding 1,000 new and 1,000 updated reviews to each size (ours and FTS5), "
                        "no queries")
    p.add_argument("--before", metavar="REVSEARCH",
                   help="with --growth: another revsearch binary, measured in one process in the same rounds")
    p.add_argument("--before-revindex", metavar="REVINDEX",
                   help="another revindex binary (e.g. main's build), indexing the same inputs in the same run: "
                        "rows 'before' beside ours, for a change's before/after")
    return p.parse_args(argv)


def tool_paths(build_dir):
    tools = {"revindex": os.path.join(build_dir, "indexer/revindex"),
             "revsearch": os.path.join(build_dir, "searcher/revsearch"),
             "floor": os.path.join(build_dir, "scripts/benchmark/floor/xapian_floor"),
             "search_floor": os.path.join(build_dir, "scripts/benchmark/floor/xapian_search_floor")}
    for name in ("scriptindex", "quest", "sqlite3", "stdbuf"):
        tools[name] = shutil.which(name)
    missing = [name for name in ("revindex", "revsearch", "floor", "search_floor") if not os.access(tools[name], os.X_OK)]
    if missing:
        sys.exit(f"bench: {', '.join(missing)} not built in {build_dir}")
    return tools


# ---- indexing -------------------------------------------------------------------------------------------------

def index_runs(name, make_argv, target, repeat, slow):
    """Runs an indexer on a fresh target until `repeat` runs (or one run, when it took over `slow` s)."""
    runs = []
    while len(runs) < repeat:
        measure.remove_index(target)
        result = measure.spawn(make_argv(), capture=False)
        runs.append(result)
        log(f"{name}: {result.seconds:.1f} s ({result.cpu_seconds:.1f} s CPU), peak {result.peak_mib:.0f} MiB")
        if result.seconds > slow:
            break
    return {"runs": len(runs), "seconds": measure.median([r.seconds for r in runs]),
            "cpu_seconds": measure.median([r.cpu_seconds for r in runs]),
            "peak_mib": measure.median([r.peak_mib for r in runs]),
            "index_bytes": measure.directory_bytes(target), "tables": measure.table_bytes(target),
            "all_seconds": [r.seconds for r in runs]}


def indexing(args, tools, inputs, dumps, work):
    """Each indexer over the same input files (the corpus, or its --batches files, in order)."""
    script = os.path.join(work, "scriptindex.script")
    with open(script, "w") as f:
        f.write(peers.SCRIPTINDEX_SCRIPT)
    dbs = {key: os.path.join(work, f"{key}.db") for key in ("ours", "serial", "floor", "floor_jobs", "scriptindex")}
    dbs["fts5"] = os.path.join(work, "fts5.sqlite")
    per_file = "one transaction per file" if len(inputs) > 1 else "one transaction"
    plan = [("ours", f"revindex add --jobs {args.jobs}",
             lambda: [tools["revindex"], "add", "--quiet", "--jobs", str(args.jobs), "--db", dbs["ours"], *inputs])]
    if args.serial or args.batches:
        plan.append(("serial", f"revindex add ({per_file})",
                     lambda: [tools["revindex"], "add", "--quiet", "--db", dbs["serial"], *inputs]))
    if args.batches:
        # The same without the compaction that follows a run writing half of the index (docs/indexing.md):
        # what the file-by-file commits leave, and the compaction's CPU as the difference.
        dbs["uncompacted"] = os.path.join(work, "uncompacted.db")
        plan.append(("uncompacted", f"revindex add --compact never ({per_file})",
                     lambda: [tools["revindex"], "add", "--quiet", "--compact", "never", "--db", dbs["uncompacted"],
                              *inputs]))
    if args.before_revindex:
        before = os.path.abspath(args.before_revindex)
        dbs["before"], dbs["before_serial"] = os.path.join(work, "before.db"), os.path.join(work, "before-serial.db")
        plan.append(("before", f"before: revindex add --jobs {args.jobs}",
                     lambda: [before, "add", "--quiet", "--jobs", str(args.jobs), "--db", dbs["before"], *inputs]))
        if args.serial or args.batches:
            plan.append(("before_serial", f"before: revindex add ({per_file})",
                         lambda: [before, "add", "--quiet", "--db", dbs["before_serial"], *inputs]))
    plan.append(("floor_jobs", f"Xapian floor --jobs {args.jobs}",
                 lambda: [tools["floor"], "--jobs", str(args.jobs), dbs["floor_jobs"], *inputs]))
    plan.append(("floor", f"Xapian floor ({per_file})", lambda: [tools["floor"], dbs["floor"], *inputs]))
    # The same with the engine's share of every feature our schema keeps (stored record, values, spelling table,
    # filter terms, the headline's second copy: xapian_floor --with all): ours over it is what our own code costs
    # (docs/benchmarks.md, "The two floors").
    dbs["floor_features"] = os.path.join(work, "floor_features.db")
    plan.append(("floor_features", f"Xapian floor + our features ({per_file})",
                 lambda: [tools["floor"], "--with", "all", dbs["floor_features"], *inputs]))
    if tools["scriptindex"]:
        plan.append(("scriptindex", "Xapian scriptindex",
                     lambda: [tools["scriptindex"], "--overwrite", dbs["scriptindex"], script, *dumps]))
    plan.append(("fts5", f"SQLite FTS5 ({per_file})",
                 lambda: [sys.executable, os.path.join(HERE, "fts5_index.py"), dbs["fts5"], *inputs]))
    results = {}
    for key, label, make_argv in plan:
        results[key] = {"label": label, **index_runs(label, make_argv, dbs[key], args.repeat, args.slow)}
    for key in ("serial", "uncompacted", "floor", "floor_features", "floor_jobs", "before", "before_serial"):
        if key in dbs:
            shutil.rmtree(dbs[key], ignore_errors=True)  # only their figures were wanted
    return results, dbs, script


def add_batches(tools, dbs, script, batches, work):
    """Adds each 1,000-review batch to each big index (median of the three)."""
    results = {}
    plan = [("ours", lambda b: [tools["revindex"], "add", "--quiet", "--db", dbs["ours"], b])]
    if tools["scriptindex"]:
        plan.append(("scriptindex", lambda b: [tools["scriptindex"], dbs["scriptindex"], script,
                                               os.path.join(work, os.path.basename(b) + ".dump")]))
    plan.append(("fts5", lambda b: [sys.executable, os.path.join(HERE, "fts5_index.py"), dbs["fts5"], b, "--add"]))
    for key, make_argv in plan:
        times = [measure.spawn(make_argv(batch), capture=False).seconds for batch in batches]
        results[key] = {"seconds": measure.median(times), "all_seconds": times}
        log(f"add 1,000 to {key}: {results[key]['seconds']:.2f} s")
    return results


# ---- queries --------------------------------------------------------------------------------------------------

def summary(latencies_s):
    ms = [x * 1000 for x in latencies_s]
    return {"n": len(ms), "p50": measure.median(ms), "p95": measure.percentile(ms, 95),
            "p99": measure.percentile(ms, 99)}


CPU_SUMMARY = re.compile(rb"CPU p50 ([0-9.]+) ms, p99 ([0-9.]+) ms")


def query_file(work, kind, query_list):
    """The queries of one class as `revsearch --queries` reads them (id<TAB>text), a warm-up query first."""
    path = os.path.join(work, f"q-{kind}.tsv")
    with open(path, "w") as f:
        f.write(f"warmup\t{query_sets.xapian_text(kind, query_list[0])}\n")
        for i, words in enumerate(query_list):
            f.write(f"q{i}\t{query_sets.xapian_text(kind, words)}\n")
    return path


def batch_in_process(tools, argv, query_list, work):
    """Runs a batch searcher that answers a query file in one process as `revsearch --queries` does (a TREC run on
    stdout, a summary line with the CPU percentiles on stderr): each query's latency is the time between the first
    output lines of consecutive queries, read through a line-buffered pipe (stdbuf -oL); the warm-up query is not
    counted. Also the whole run's queries/s, the CPU time per query from the summary line, and under "ranked" the
    ids each query ranked, in order (the caller compares two runs and drops them)."""
    if tools["stdbuf"]:
        argv = [tools["stdbuf"], "-oL", *argv]
    first_seen, ranked = {}, {}
    started = time.perf_counter()
    with open(os.path.join(work, "stderr.txt"), "w+b") as err:
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=err)
        for line in child.stdout:
            qid = line.split(b" ", 1)[0]
            if qid not in first_seen:
                first_seen[qid] = time.perf_counter()
            fields = line.split()
            if len(fields) >= 3:
                ranked.setdefault(qid.decode(), []).append(fields[2].decode())
        child.wait()
        wall = time.perf_counter() - started
        err.seek(0)
        cpu = CPU_SUMMARY.search(err.read())
    order = [b"warmup"] + [f"q{i}".encode() for i in range(len(query_list))]
    latencies = [first_seen[b] - first_seen[a] for a, b in zip(order, order[1:]) if a in first_seen and b in first_seen]
    return {**summary(latencies), "qps": len(query_list) / wall, "answered": len(first_seen) - 1,
            "cpu_p50": float(cpu[1]) if cpu else None, "cpu_p99": float(cpu[2]) if cpu else None,
            "ranked": ranked}


def ours_in_process(tools, db, kind, query_list, blend, work, ranked=False):
    """revsearch --queries (one process, one Searcher), through batch_in_process. The CPU time per query is its
    thread's, from revsearch's summary on stderr, which leaves the warm-up out with --warm-up 1; a binary from
    before that option counts it, and the result says so: on a shared machine a wall-clock gap mostly measures
    waiting for a core, the CPU time does not. With `ranked`, the ids each query ranked too."""
    path = query_file(work, kind, query_list)
    warm_up_left_out = takes_warm_up(tools["revsearch"])
    argv = [tools["revsearch"], "--db", db, "--limit", "10", "--queries", path]
    if warm_up_left_out:
        argv += ["--warm-up", "1"]
    if not blend:
        argv += PLAIN
    if kind == "filtered":
        argv += ["--min-rating", str(query_sets.MIN_RATING)]
    result = batch_in_process(tools, argv, query_list, work)
    if not ranked:
        del result["ranked"]
    return {**result, "cpu_warm_up_left_out": warm_up_left_out}


def floor_in_process(tools, db, kind, query_list, blend, work):
    """The search floor (scripts/benchmark/floor/xapian_search_floor.cpp): the same queries through Xapian alone,
    the query revsearch builds (its blend with `blend`, the same rating filter), 10 hits and their data; under
    "ranked" the ids each query ranked."""
    path = query_file(work, kind, query_list)
    argv = [tools["search_floor"], "--warm-up", "1"] + (["--blend"] if blend else [])
    if kind == "filtered":
        argv += ["--min-rating", str(query_sets.MIN_RATING)]
    return batch_in_process(tools, argv + [db, path], query_list, work)


@functools.lru_cache(maxsize=None)
def takes_warm_up(revsearch):
    """Whether this revsearch has --warm-up (a --before binary may predate it)."""
    return "--warm-up" in subprocess.run([revsearch, "--help"], capture_output=True, text=True).stdout


def fts5_in_process(db, kind, query_list, blend):
    connection = sqlite3.connect(db)
    sql = peers.fts5_sql(kind, blend)
    connection.execute(sql, (query_sets.fts5_text(kind, query_list[0]),)).fetchall()  # warm-up
    latencies, cpu = [], []
    started = time.perf_counter()
    for words in query_list:
        t0, c0 = time.perf_counter(), time.thread_time()
        connection.execute(sql, (query_sets.fts5_text(kind, words),)).fetchall()
        latencies.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    wall = time.perf_counter() - started
    connection.close()
    cpu_ms = summary(cpu)
    return {**summary(latencies), "qps": len(query_list) / wall, "cpu_p50": cpu_ms["p50"], "cpu_p99": cpu_ms["p99"]}


def end_to_end(argv_of, query_list, kind):
    """One process per query, start to exit (its last byte of output read), as a shell user waits for it."""
    measure.spawn(argv_of(kind, query_list[0]), check=False)  # warm the page cache and the binary
    runs = [measure.spawn(argv_of(kind, words), check=False) for words in query_list]
    # CPU time too: on a shared machine the wall time includes waiting for a core, CPU time does not.
    cpu = summary([r.cpu_seconds for r in runs])
    return {**summary([r.seconds for r in runs]), "cpu_p50": cpu["p50"], "cpu_p99": cpu["p99"]}


def querying(args, tools, dbs, corpus, work):
    per_class = max(args.queries, args.e2e)
    sets, vocabulary = query_sets.build(corpus, per_class)
    log(f"queries: {per_class} per class from {vocabulary:,} mid-frequency words")
    inproc, e2e = {}, {}

    def revsearch_argv(blend):
        def argv(kind, words):
            a = [tools["revsearch"], "--db", dbs["ours"], "--limit", "10"]
            a += [] if blend else PLAIN
            if kind == "filtered":
                a += ["--min-rating", str(query_sets.MIN_RATING)]
            return a + ["--", query_sets.xapian_text(kind, words)]
        return argv

    def quest_argv(kind, words):
        return [tools["quest"], "-d", dbs["scriptindex"], "-m", "10", "-b", "rating:XR",
                query_sets.quest_text(kind, words)]

    def sqlite_argv(blend):
        def argv(kind, words):
            text = query_sets.fts5_text(kind, words).replace("'", "''")
            return [tools["sqlite3"], dbs["fts5"],
                    peers.fts5_sql(kind, blend, shell=True).replace("?", f"'{text}'", 1)]
        return argv

    for kind in query_sets.CLASSES:
        qs = sets[kind]
        inproc[kind] = {
            "ours_blend": ours_in_process(tools, dbs["ours"], kind, qs[:args.queries], True, work),
            "ours_plain": ours_in_process(tools, dbs["ours"], kind, qs[:args.queries], False, work),
            "fts5_plain": fts5_in_process(dbs["fts5"], kind, qs[:args.queries], False),
            "fts5_blend": fts5_in_process(dbs["fts5"], kind, qs[:args.queries], True),
        }
        e2e[kind] = {"ours_blend": end_to_end(revsearch_argv(True), qs[:args.e2e], kind),
                     "ours_plain": end_to_end(revsearch_argv(False), qs[:args.e2e], kind)}
        if tools["quest"] and os.path.isdir(dbs["scriptindex"]):
            e2e[kind]["quest"] = end_to_end(quest_argv, qs[:args.e2e], kind)
        if tools["sqlite3"]:
            e2e[kind]["sqlite3"] = end_to_end(sqlite_argv(False), qs[:args.e2e], kind)
        log(f"{kind}: in-process p50 ours {inproc[kind]['ours_blend']['p50']:.2f} ms "
            f"(plain {inproc[kind]['ours_plain']['p50']:.2f}), FTS5 {inproc[kind]['fts5_plain']['p50']:.2f} ms")
    return inproc, e2e


# ---- main -----------------------------------------------------------------------------------------------------

def main(argv):
    args = parse_args(argv[1:])
    corpora.datasets.require("scripts/bench", args.data)
    tools = tool_paths(args.build_dir)
    if args.growth:
        import growth  # noqa: E402
        import incremental  # noqa: E402
        results = growth.growth(args, tools)
        adding = growth.header(results) + "\n\n" + incremental.markdown(results["adding"])
        if not args.adding_only:
            text = growth.markdown(results)
            print(text)
            if args.out:
                out = os.path.join(os.path.dirname(args.out), "scaling.md")
                report.write_section(out, "growth", text)
                log(f"wrote {out}")
        print(adding)
        if args.out:
            report.write_section(args.out, "adding", adding)
            log(f"wrote {args.out}")
        return 0
    count = args.reviews or (1_000_000 if args.full else 50_000)
    corpus, batches = corpora.prepare(args.data, args.data_dir, tools["revindex"], args.full, count)
    reviews, text_bytes = corpora.text_stats(corpus)
    log(f"corpus {corpus}: {reviews:,} reviews, {text_bytes / 1e6:.1f} MB of text")
    inputs = corpora.split(corpus, args.batches) if args.batches > 1 else [corpus]
    mode = ("full" if args.full else "quick") if args.batches <= 1 else "batches"

    work = os.path.join(args.data_dir, f"run-{mode}")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    dumps = [os.path.join(work, f"input-{n}.dump") for n in range(len(inputs))]
    if tools["scriptindex"]:
        for path, dump in zip(inputs, dumps):
            peers.write_scriptindex_dump(path, dump)
        for batch in batches:
            peers.write_scriptindex_dump(batch, os.path.join(work, os.path.basename(batch) + ".dump"))

    started = time.time()
    load_before = os.getloadavg()[0]
    index_results, dbs, script = indexing(args, tools, inputs, dumps, work)
    inproc, e2e, added = {}, {}, {}
    if not args.index_only:
        inproc, e2e = querying(args, tools, dbs, corpus, work)
        added = add_batches(tools, dbs, script, batches, work)
    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": measure.machine(), "mode": mode,
        "corpus": {"path": corpus, "reviews": reviews, "text_bytes": text_bytes, "files": len(inputs)},
        "jobs": args.jobs, "indexing": index_results, "add_1000": added, "in_process": inproc, "end_to_end": e2e,
        "seconds": time.time() - started, "load": [load_before, os.getloadavg()[0]],
        "command": " ".join(["scripts/bench", *(a for a in argv[1:] if not a.startswith(("--build-dir=", "--out=")))]),
    }
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    text = report.markdown(results)
    print(text)
    if args.out:
        report.write_section(args.out, results["mode"], text)
        log(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
