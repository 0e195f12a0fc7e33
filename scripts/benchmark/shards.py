#!/usr/bin/env python3
"""Sharded indexes measured (docs/scaling.md): the same reviews built as 1, 2 and 4 shards with `revindex rebuild
--shards N --jobs J`, then for each: build time and memory, bytes on disk per shard, and query latency as a shell
user sees it (one revsearch process per query) and in one process (`revsearch --queries`), both on the local
index directory and through a stub of `remote` entries served by one xapian-tcpsrv per shard (scripts/serve-shards).
Run through scripts/bench-shards; the query set, timing and corpus helpers are scripts/benchmark's."""

import argparse
import datetime
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import corpus as corpora  # noqa: E402
import measure  # noqa: E402
import queries as query_sets  # noqa: E402
import report  # noqa: E402
import run as bench  # noqa: E402  (tool_paths, ours_in_process, summary)

log = corpora.log
SERVE = os.path.join(os.path.dirname(HERE), "serve-shards")
TABLES = ("postlist", "position", "termlist", "docdata", "spelling")
CLK_TCK = os.sysconf("SC_CLK_TCK")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench-shards", description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="10,000 aclImdb reviews, fewer queries and rounds")
    p.add_argument("--reviews", type=int, default=0, help="aclImdb reviews to index (default 50,000; --quick 10,000)")
    p.add_argument("--shards", default="1,2,4", help="shard counts to build (the first is the baseline)")
    p.add_argument("--jobs", type=int, default=2, help="revindex rebuild --jobs")
    p.add_argument("--rounds", type=int, default=0, help="latency rounds, interleaved (median of rounds; default 5, "
                   "--quick 2)")
    p.add_argument("--queries", type=int, default=0, help="in-process queries per class (default 200, --quick 50)")
    p.add_argument("--e2e", type=int, default=0, help="one-process-per-query queries per class (default 30, --quick 10)")
    p.add_argument("--big-index", help="an existing one-database index (e.g. scripts/bench --full's ours.db): its "
                   "latency on the same queries, for the growth with documents per shard; only read")
    p.add_argument("--build-dir", required=True)
    p.add_argument("--data-dir", default="/tmp/revsearch-bench", help="work folder: converted corpora, indexes")
    corpora.datasets.add_option(p)
    p.add_argument("--out", help="the Markdown file whose <!-- bench:shards --> section is rewritten")
    args = p.parse_args(argv)
    args.reviews = args.reviews or (10_000 if args.quick else 50_000)
    args.rounds = args.rounds or (2 if args.quick else 5)
    args.queries = args.queries or (50 if args.quick else 200)
    args.e2e = args.e2e or (10 if args.quick else 30)
    args.shard_counts = [int(n) for n in args.shards.split(",")]
    return args


# ---- building ---------------------------------------------------------------------------------------------------

def live_generation(db):
    with open(os.path.join(db, "XAPIANDB")) as f:
        return os.path.join(db, f.read().split()[1])


def index_files(db):
    """The files of the live generation (all shards), for sizes per table and page-cache residency."""
    files = []
    for root, _, names in os.walk(live_generation(db)):
        files += [os.path.join(root, n) for n in names if n.endswith(".glass")]
    return sorted(files)


def table_bytes(db):
    sizes = dict.fromkeys(TABLES, 0)
    for path in index_files(db):
        table = os.path.basename(path).split(".")[0]
        sizes[table] = sizes.get(table, 0) + os.path.getsize(path)
    return sizes


def build(tools, corpus, db, shards, jobs):
    shutil.rmtree(db, ignore_errors=True)
    r = measure.spawn([tools["revindex"], "rebuild", "--quiet", "--db", db, "--from", corpus, "--shards", str(shards),
                       "--jobs", str(jobs)], capture=False)
    stats = json.loads(subprocess.run([tools["revindex"], "stats", "--db", db, "--json"], capture_output=True,
                                      check=True, text=True).stdout)
    log(f"{shards} shard(s): built in {r.seconds:.1f} s ({r.cpu_seconds:.1f} s CPU, peak {r.peak_mib:.0f} MiB), "
        f"{stats['bytes'] / 2**20:.0f} MiB")
    return {"seconds": r.seconds, "cpu_seconds": r.cpu_seconds, "peak_mib": r.peak_mib, "bytes": stats["bytes"],
            "documents": stats["documents"], "tables": table_bytes(db),
            "shards": [{"documents": s["documents"], "bytes": s["bytes"]} for s in stats["shards"]]}


# ---- page cache -------------------------------------------------------------------------------------------------

def evict(db):
    """Drops this index's own pages from the page cache (fsync, then POSIX_FADV_DONTNEED): nothing else's."""
    for path in index_files(db):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def resident(db):
    """Bytes of each table in the page cache (util-linux fincore), or None without fincore."""
    if not shutil.which("fincore"):
        return None
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES,FILE", *index_files(db)],
                         capture_output=True, text=True, check=True).stdout
    sizes = dict.fromkeys(TABLES, 0)
    for line in out.splitlines():
        res, path = line.split(None, 1)
        table = os.path.basename(path).split(".")[0]
        sizes[table] = sizes.get(table, 0) + int(res)
    return sizes


# ---- servers ----------------------------------------------------------------------------------------------------

def free_port_run(count, avoid=()):
    """The first of `count` consecutive free ports on 127.0.0.1."""
    for _ in range(200):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        ports = range(first, first + count)
        if first + count >= 65000 or any(p in avoid for p in ports):
            continue
        sockets = []
        try:
            for port in ports:
                s = socket.socket()
                sockets.append(s)
                s.bind(("127.0.0.1", port))
            return first
        except OSError:
            continue
        finally:
            for s in sockets:
                s.close()
    raise RuntimeError("no free run of ports")


def serve(db, count, avoid):
    port = free_port_run(count, avoid)
    stub = db + ".remote"
    subprocess.run([SERVE, "--port", str(port), "--stub", stub, db], check=True, capture_output=True, timeout=120)
    with open(stub + ".pids") as f:
        pids = [int(x) for x in f.read().split()]
    return stub, pids, range(port, port + count)


def stop(db):
    subprocess.run([SERVE, "--stop", "--stub", db + ".remote", db], capture_output=True, timeout=60)


def proc_cpu_seconds(pid):
    """utime + stime + cutime + cstime of a process: xapian-tcpsrv forks a child per connection and reaps it,
    so the children's CPU time ends up in the parent's c*time."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return sum(int(x) for x in fields[11:15]) / CLK_TCK
    except OSError:
        return 0.0


class ServerWatch:
    """Server CPU seconds over a phase and the largest resident set of a server or its connection children,
    sampled every 5 ms (a child lives as long as one revsearch connection)."""

    def __init__(self, pids):
        self.pids = pids
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _rss_kib(self, pid):
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            pass
        return 0

    def _sample(self):
        while not self._stop.is_set():
            for pid in self.pids:
                try:
                    with open(f"/proc/{pid}/task/{pid}/children") as f:
                        children = [int(x) for x in f.read().split()]
                except OSError:
                    children = []
                for p in (pid, *children):
                    self.peak_kib = max(self.peak_kib, self._rss_kib(p))
            self._stop.wait(0.005)

    def __enter__(self):
        self.cpu0 = sum(proc_cpu_seconds(p) for p in self.pids)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = sum(proc_cpu_seconds(p) for p in self.pids) - self.cpu0


# ---- queries ----------------------------------------------------------------------------------------------------

def e2e_argv(tools, db, kind, words):
    argv = [tools["revsearch"], "--db", db, "--limit", "10"]
    if kind == "filtered":
        argv += ["--min-rating", str(query_sets.MIN_RATING)]
    return argv + ["--", query_sets.xapian_text(kind, words)]


def e2e_runs(tools, db, sets, per_class):
    """One revsearch process per query (scripts/benchmark/run.py's end_to_end, keeping each run): wall ms,
    CPU ms, peak RSS MiB, by class. Exit 2 (an error) stops the benchmark; 1 (no match) is an answer."""
    out = {}
    for kind in query_sets.CLASSES:
        rows = []
        for words in sets[kind][:per_class]:
            r = measure.spawn(e2e_argv(tools, db, kind, words), check=False)
            if r.returncode not in (0, 1):
                raise RuntimeError(f"revsearch {db} {words}: exit {r.returncode}: {r.stderr.decode()[-500:]}")
            rows.append((r.seconds * 1000, r.cpu_seconds * 1000, r.peak_mib))
        out[kind] = rows
    return out


def e2e_summary(runs):
    everything = [row for rows in runs.values() for row in rows]
    wall = [w for w, _, _ in everything]
    return {"p50": measure.median(wall), "p95": measure.percentile(wall, 95), "p99": measure.percentile(wall, 99),
            "cpu_p50": measure.median([c for _, c, _ in everything]),
            "rss_p50": measure.median([m for _, _, m in everything]), "rss_max": max(m for _, _, m in everything),
            "class_p50": {kind: measure.median([w for w, _, _ in rows]) for kind, rows in runs.items()}}


def in_process(tools, db, sets, per_class, work):
    return {kind: bench.ours_in_process(tools, db, kind, sets[kind][:per_class], True, work)
            for kind in query_sets.CLASSES}


def median_of(dicts, *path):
    values = []
    for d in dicts:
        for key in path:
            d = d[key]
        values.append(d)
    return measure.median(values)


# ---- main -------------------------------------------------------------------------------------------------------

def main(argv):
    args = parse_args(argv[1:])
    corpora.datasets.require("scripts/bench-shards", args.data)
    tools = bench.tool_paths(args.build_dir)
    if not shutil.which("xapian-tcpsrv"):
        sys.exit("bench-shards: xapian-tcpsrv not found (apt-get install xapian-tools)")
    corpus, _ = corpora.prepare(args.data, args.data_dir, tools["revindex"], False, args.reviews)
    reviews, text_bytes = corpora.text_stats(corpus)
    log(f"corpus {corpus}: {reviews:,} reviews, {text_bytes / 1e6:.1f} MB of text")
    work = os.path.join(args.data_dir, "shards-quick" if args.quick else "shards")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)

    started = time.time()
    load = [os.getloadavg()]
    dbs = {n: os.path.join(work, f"shards-{n}") for n in args.shard_counts}
    builds = {str(n): build(tools, corpus, dbs[n], n, args.jobs) for n in args.shard_counts}
    load.append(os.getloadavg())

    per_class = max(args.queries, args.e2e)
    sets, vocabulary = query_sets.build(corpus, per_class)
    log(f"queries: {per_class} per class from {vocabulary:,} mid-frequency words")

    # Cold: this index's pages dropped from the page cache, one pass; then what the pass read (fincore).
    cold = {}
    for n in args.shard_counts:
        evict(dbs[n])
        before = resident(dbs[n])
        runs = e2e_runs(tools, dbs[n], sets, args.e2e)
        cold[str(n)] = x = {"e2e": e2e_summary(runs), "resident_before": before, "resident_after": resident(dbs[n])}
        log(f"{n} shard(s) cold: p50 {x['e2e']['p50']:.1f} ms, read "
            f"{sum((x['resident_after'] or {}).values()) / 2**20:.1f} MiB")

    servers, stubs, used_ports = {}, {}, set()
    configs = [(n, "local") for n in args.shard_counts] + [(n, "remote") for n in args.shard_counts]
    if args.big_index:
        configs.append(("big", "local"))
    raw = {c: {"e2e": [], "inproc": [], "server": []} for c in configs}
    try:
        for n in args.shard_counts:
            stubs[n], servers[n], ports = serve(dbs[n], n, used_ports)
            used_ports.update(ports)
        for r in range(args.rounds):
            # Interleaved, and rotated each round, so that a burst of load on the machine hits every configuration.
            order = configs[r % len(configs):] + configs[:r % len(configs)]
            for config in order:
                n, mode = config
                db = args.big_index if n == "big" else stubs[n] if mode == "remote" else dbs[n]
                if n == "big" and r >= 3:
                    continue  # the big index costs most; three rounds are enough for a median
                watch = ServerWatch(servers[n] if mode == "remote" else [])
                with watch:
                    e2e = e2e_runs(tools, db, sets, args.e2e)
                    inproc = in_process(tools, db, sets, args.queries, work)
                raw[config]["e2e"].append(e2e_summary(e2e))
                raw[config]["inproc"].append(inproc)
                queries = args.e2e * len(query_sets.CLASSES) + sum(x["answered"] + 1 for x in inproc.values())
                raw[config]["server"].append({"cpu_ms_per_query": watch.cpu_seconds * 1000 / queries,
                                              "peak_mib": watch.peak_kib / 1024})
            log(f"round {r + 1} of {args.rounds} done ({(time.time() - started) / 60:.1f} min)")
            load.append(os.getloadavg())
    finally:
        for n in servers:
            stop(dbs[n])

    latency = {}
    for config, x in raw.items():
        key = f"{config[0]}-{config[1]}"
        latency[key] = {
            "rounds": len(x["e2e"]),
            "e2e": {stat: median_of(x["e2e"], stat) for stat in ("p50", "p95", "p99", "cpu_p50", "rss_p50")}
            | {"rss_max": max(s["rss_max"] for s in x["e2e"]),
               "class_p50": {k: median_of(x["e2e"], "class_p50", k) for k in query_sets.CLASSES}},
            "inproc": {k: {stat: median_of(x["inproc"], k, stat) for stat in ("p50", "p95", "p99", "qps")}
                       for k in query_sets.CLASSES},
            "server": {"cpu_ms_per_query": median_of(x["server"], "cpu_ms_per_query"),
                       "peak_mib": max(s["peak_mib"] for s in x["server"])} if config[1] == "remote" else None,
        }
    big = None
    if args.big_index:
        stats = json.loads(subprocess.run([tools["revindex"], "stats", "--db", args.big_index, "--json"],
                                          capture_output=True, check=True, text=True).stdout)
        big = {"path": args.big_index, "documents": stats["documents"], "bytes": stats["bytes"],
               "tables": table_bytes(args.big_index)}

    results = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": measure.machine(), "load": [list(x) for x in load], "seconds": time.time() - started,
        "command": " ".join(["scripts/bench-shards", *(a for a in argv[1:]
                                                       if not a.startswith(("--build-dir=", "--out=")))]),
        "corpus": {"path": corpus, "reviews": reviews, "text_bytes": text_bytes},
        "jobs": args.jobs, "shard_counts": args.shard_counts, "queries_per_class": args.queries,
        "e2e_per_class": args.e2e, "builds": builds, "cold": cold, "latency": latency, "big": big,
    }
    with open(os.path.join(work, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    text = markdown(results)
    print(text)
    if args.out:
        report.write_section(args.out, "shards", text)
        log(f"wrote {args.out}")
    return 0


# ---- report -----------------------------------------------------------------------------------------------------

def _r(a, b):
    return f"{a / b:.2f}" if a and b else "-"


def markdown(r):
    m, c, base = r["machine"], r["corpus"], r["shard_counts"][0]
    lat = r["latency"]
    ref = lat[f"{base}-local"]
    loads = ", ".join(f"{x[0]:.1f}" for x in r["load"])
    out = [
        f"Run {r['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gib']} GiB RAM, {m['os']}: `{r['command']}` "
        f"({r['seconds'] / 60:.0f} min). Corpus `{c['path']}`: {c['reviews']:,} reviews, {c['text_bytes'] / 1e6:.1f} "
        f"MB of text. 1-minute load average at the start, after the builds and after each latency round: {loads}.",
        f"Building (`revindex rebuild --from CORPUS --shards N --jobs {r['jobs']}` into an empty directory, one run "
        "each; peak = the process's maximum RSS; bytes from `revindex stats --json`):",
    ]
    rows = ["| shards | build s | CPU s | peak MiB | index MiB | bytes / review | postlist / position / termlist / "
            "docdata / spelling MiB | documents per shard | MiB per shard |", "|---|---|---|---|---|---|---|---|---|"]
    for n in r["shard_counts"]:
        b = r["builds"][str(n)]
        t = " / ".join(f"{b['tables'][k] / 2**20:.1f}" for k in TABLES)
        docs = ", ".join(f"{s['documents']:,}" for s in b["shards"])
        mib = ", ".join(f"{s['bytes'] / 2**20:.1f}" for s in b["shards"])
        rows.append(f"| {n} | {b['seconds']:.1f} | {b['cpu_seconds']:.1f} | {b['peak_mib']:.0f} | "
                    f"{b['bytes'] / 2**20:.1f} | {b['bytes'] / b['documents']:,.0f} | {t} | {docs} | {mib} |")
    out.append("\n".join(rows))

    out.append(f"End to end: one `revsearch --db X --limit 10 QUERY` process per query, start to exit, as a shell user "
               f"waits for it; {r['e2e_per_class']} queries of each of the 5 classes, all 5 pooled for the percentiles; "
               f"median over {ref['rounds']} interleaved rounds. Ratios against {base} shard(s), local. Peak RSS is the "
               "revsearch process's; a remote search's server side is in the last two columns (CPU per query over the "
               "whole phase, end-to-end and in-process queries; largest sampled RSS of a server or a connection's "
               "child).")
    rows = ["| shards | --db | p50 ms | p95 ms | p99 ms | p50 / local-1 | p99 / local-1 | client CPU p50 ms "
            "| client peak RSS MiB | servers' CPU ms / query | server peak RSS MiB |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key, x in lat.items():
        n, mode = key.split("-")
        e = x["e2e"]
        s = x["server"]
        label = "1 (big)" if n == "big" else n
        server_cpu = f"{s['cpu_ms_per_query']:.2f}" if s else "-"
        server_rss = f"{s['peak_mib']:.0f}" if s else "-"
        rows.append(f"| {label} | {'stub of remotes' if mode == 'remote' else 'DIR'} | {e['p50']:.1f} | {e['p95']:.1f} "
                    f"| {e['p99']:.1f} | {_r(e['p50'], ref['e2e']['p50'])} | {_r(e['p99'], ref['e2e']['p99'])} "
                    f"| {e['cpu_p50']:.1f} | {e['rss_p50']:.0f} (max {e['rss_max']:.0f}) | {server_cpu} | {server_rss} |")
    out.append("\n".join(rows))

    classes = query_sets.CLASSES
    out.append(f"In one process (`revsearch --queries`, {r['queries_per_class']} queries per class, no snippets or "
               "spelling hint; per-query time = gap between the first output lines of consecutive queries, "
               "scripts/benchmark/run.py), ms p50 / p99, median over the rounds; the last column is the mean over the "
               f"classes of the p50 ratio against {base} shard(s), local:")
    head = "| shards | --db | " + " | ".join(report.CLASS_NAMES[k] for k in classes) + " | q/s | p50 / local-1 |"
    rows = [head, "|---" * (len(classes) + 4) + "|"]
    for key, x in lat.items():
        n, mode = key.split("-")
        i = x["inproc"]
        ratio = sum(i[k]["p50"] / ref["inproc"][k]["p50"] for k in classes) / len(classes)
        qps = len(classes) / sum(1 / i[k]["qps"] for k in classes)
        rows.append(f"| {'1 (big)' if n == 'big' else n} | {'stub of remotes' if mode == 'remote' else 'DIR'} | "
                    + " | ".join(f"{i[k]['p50']:.2f} / {i[k]['p99']:.2f}" for k in classes)
                    + f" | {qps:,.0f} | {ratio:.2f} |")
    out.append("\n".join(rows))

    out.append("Cold page cache (this index's files dropped from the cache with `POSIX_FADV_DONTNEED`, then one "
               "end-to-end pass of the queries above): latency, and what the pass read into the cache (`fincore`):")
    rows = ["| shards | p50 ms | p95 ms | p99 ms | read MiB: postlist / position / termlist / docdata / spelling "
            "| read / index |", "|---|---|---|---|---|---|"]
    for n in r["shard_counts"]:
        x, b = r["cold"][str(n)], r["builds"][str(n)]
        after = x["resident_after"]
        read = " / ".join(f"{after[k] / 2**20:.1f}" for k in TABLES) if after else "-"
        frac = f"{sum(after.values()) / b['bytes']:.2f}" if after else "-"
        rows.append(f"| {n} | {x['e2e']['p50']:.1f} | {x['e2e']['p95']:.1f} | {x['e2e']['p99']:.1f} | {read} | {frac} |")
    out.append("\n".join(rows))

    if r.get("big"):
        b = r["big"]
        t = " / ".join(f"{b['tables'][k] / 2**20:.0f}" for k in TABLES)
        out.append(f"\"1 (big)\" is `{b['path']}`: {b['documents']:,} documents, {b['bytes'] / 2**20:,.0f} MiB "
                   f"({b['bytes'] / b['documents']:,.0f} bytes per document; postlist / position / termlist / docdata / "
                   f"spelling {t} MiB), one database, measured with the same queries in the same rounds (at most 3).")
    return "\n\n".join(out)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
