"""Timing and memory of child processes, and the statistics the tables print."""

import os
import platform
import shutil
import subprocess
import tempfile
import time


class Run:
    """One child process: wall seconds, CPU seconds (user + system), peak resident memory (MiB), bytes written to
    storage (ru_oublock, Linux's block output count of 512 bytes: what the child dirtied and wrote or fsynced), all
    from wait4's rusage, i.e. that child alone; and its minor page faults (the same from run to run, where times
    vary with the machine's load)."""

    def __init__(self, seconds, cpu_seconds, peak_mib, returncode, stdout=b"", stderr=b"", written_bytes=0,
                 page_faults=0):
        self.seconds = seconds
        self.page_faults = page_faults
        self.cpu_seconds = cpu_seconds
        self.peak_mib = peak_mib
        self.written_bytes = written_bytes
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def spawn(argv, env=None, stdin_path=None, capture=True, check=True):
    """Runs argv to its exit and returns a Run. Reaps the child with os.wait4, whose rusage is that child's
    own (resource.getrusage(RUSAGE_CHILDREN) would give the maximum over every child so far)."""
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    out = subprocess.PIPE if capture else subprocess.DEVNULL
    # stderr goes to a file, not a second pipe: reading two pipes in turn can deadlock on a chatty child.
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(argv, stdout=out, stderr=errors, stdin=stdin,
                                 env=None if env is None else {**os.environ, **env})
        stdout = child.stdout.read() if capture else b""
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait again
        if capture:
            child.stdout.close()
        errors.seek(0)
        stderr = errors.read()
    if stdin_path:
        stdin.close()
    result = Run(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024.0, child.returncode, stdout, stderr,
                 usage.ru_oublock * 512, usage.ru_minflt)
    if check and child.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {child.returncode}: "
                           f"{stderr.decode(errors='replace')[-2000:]}")
    return result


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return float("nan")
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100): a value that was actually measured."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, -(-len(ordered) * p // 100))  # ceil
    return ordered[int(rank) - 1]


TABLES = ("postlist", "position", "termlist", "docdata", "spelling", "synonym")


def table_bytes(path):
    """Bytes of each glass table of the live database at PATH (through the stub DIR/XAPIANDB to the live
    generation; shards summed): the index size by what it holds (docs/benchmarks.md, "Index size"). {} for a
    file (SQLite) or a directory without glass tables."""
    if not os.path.isdir(path):
        return {}
    stub = os.path.join(path, "XAPIANDB")
    if os.path.isfile(stub) and not os.path.exists(os.path.join(path, "iamglass")):
        with open(stub) as f:
            words = [line.split() for line in f if line.strip() and not line.startswith("#")]
        if len(words) == 1 and len(words[0]) == 2:
            path = os.path.join(path, words[0][1])
    sizes = {}
    for root, _, files in os.walk(path):
        for name in files:
            table, _, ext = name.partition(".")
            if ext == "glass" and table in TABLES:
                sizes[table] = sizes.get(table, 0) + os.path.getsize(os.path.join(root, name))
    return sizes


def remove_index(path):
    """Removes an index, a directory (ours, Xapian's) or a file (FTS5's), if there is one."""
    shutil.rmtree(path, ignore_errors=True)
    if os.path.isfile(path):
        os.remove(path)


def directory_bytes(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def machine():
    """nproc, CPU model, RAM, OS: printed with every table."""
    cpu = platform.processor() or "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"nproc": os.cpu_count(), "cpu": cpu, "ram_gib": round(ram_gib, 1),
            "os": platform.platform(terse=True)}
