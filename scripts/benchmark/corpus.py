"""The benchmark's data, made on demand under the data directory (never in the repository): the 50,000 aclImdb
reviews and the three Amazon sets as canonical JSON lines, the scaled corpus, and the 1,000-review batches."""

import json
import os
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPTS = os.path.dirname(HERE)
sys.path.insert(0, SCRIPTS)
import datasets  # noqa: E402  (where each public set is under --data, and where it is published)

AMAZON = ["blitzer", "finefood", "beauty"]  # sets of scripts/datasets.py, read with `revindex parse`


def log(message):
    print(f"bench: {message}", file=sys.stderr, flush=True)


def _fresh(path):
    return os.path.exists(path) and os.path.getsize(path) > 0


def aclimdb(data, data_dir):
    out = os.path.join(data_dir, "aclimdb.jsonl")
    if _fresh(out):
        return out
    unpacked = os.path.join(data_dir, "aclImdb")
    if not os.path.isdir(unpacked):
        log("unpacking aclImdb")
        with tarfile.open(datasets.path(data, "aclimdb")) as tar:
            tar.extractall(data_dir, filter="data")
    log("converting aclImdb to JSON lines")
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        subprocess.run([sys.executable, os.path.join(SCRIPTS, "aclimdb_to_jsonl.py"), unpacked], stdout=f,
                       check=True)
    os.replace(out + ".tmp", out)
    return out


def amazon(data, data_dir, revindex):
    outs = []
    for name in AMAZON:
        out = os.path.join(data_dir, f"{name}.jsonl")
        if not _fresh(out):
            log(f"converting {datasets.SETS[name][0]} with revindex parse")
            with open(out + ".tmp", "w", encoding="utf-8") as f:
                # The folder of the set: All_Beauty's path names its file, and a PROVENANCE.md beside it is skipped.
                folder = datasets.path(data, name)
                if name == "beauty":
                    folder = os.path.dirname(folder)
                subprocess.run([revindex, "parse", "--quiet", folder], stdout=f, check=True)
            os.replace(out + ".tmp", out)
        outs.append(out)
    return outs


def scaled(sources, data_dir, count, seed, id_prefix, name):
    out = os.path.join(data_dir, name)
    if _fresh(out):
        return out
    log(f"generating {count:,} reviews into {out}")
    with open(out + ".tmp", "w", encoding="utf-8") as f:
        subprocess.run([sys.executable, os.path.join(HERE, "scaled_corpus.py"), "--count", str(count), "--seed",
                        str(seed), "--id-prefix", id_prefix, *sources], stdout=f, check=True)
    os.replace(out + ".tmp", out)
    return out


def text_stats(jsonl_path):
    """(reviews, raw text bytes): body and headline as UTF-8, the denominator of MB/s and of index size."""
    reviews = text = 0
    with open(jsonl_path, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            reviews += 1
            text += len((r.get("body") or "").encode()) + len((r.get("headline") or "").encode())
    return reviews, text


def split(jsonl_path, count):
    """The corpus cut into `count` batch files of consecutive reviews (sizes differ by at most one), made once
    next to it: the "new review batches" an indexer receives."""
    with open(jsonl_path, encoding="utf-8") as f:
        lines = f.readlines()
    stem = os.path.splitext(jsonl_path)[0]
    folder = f"{stem}-in-{count}"
    paths = [os.path.join(folder, f"batch-{n + 1:03d}.jsonl") for n in range(count)]
    if all(_fresh(p) for p in paths):
        return paths
    os.makedirs(folder, exist_ok=True)
    start = 0
    for n, path in enumerate(paths):
        end = start + len(lines) // count + (1 if n < len(lines) % count else 0)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            out.writelines(lines[start:end])
        os.replace(path + ".tmp", path)
        start = end
    return paths


def prepare(data, data_dir, revindex, full, count):
    """The corpus to index and three batches of 1,000 new reviews to add to it afterwards, from the public sets
    under `data` (--data), made in the work folder `data_dir`."""
    os.makedirs(data_dir, exist_ok=True)
    imdb = aclimdb(data, data_dir)
    sources = [imdb, *amazon(data, data_dir, revindex)]
    if full:
        corpus = scaled(sources, data_dir, count, 20111, "scaled:", f"scaled-{count}.jsonl")
    elif count and count != 50000:
        corpus = os.path.join(data_dir, f"aclimdb-{count}.jsonl")
        if not _fresh(corpus):
            with open(imdb, encoding="utf-8") as src, open(corpus, "w", encoding="utf-8") as dst:
                for number, line in enumerate(src):
                    if number >= count:
                        break
                    dst.write(line)
    else:
        corpus = imdb
    return corpus, prepare_batches(data, data_dir, revindex)


def prepare_batches(data, data_dir, revindex):
    """Three batches of 1,000 new reviews (scaled samples with other seeds and ids) to add to a big index."""
    sources = [aclimdb(data, data_dir), *amazon(data, data_dir, revindex)]
    return [scaled(sources, data_dir, 1000, 7000 + k, f"batch{k}:", f"batch-{k}.jsonl") for k in range(3)]
