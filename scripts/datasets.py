#!/usr/bin/env python3
"""The public data sets that the benchmark and evaluation scripts read (the tests never do: they read only the
repository), where each is expected under the --data folder, and where it is published.

Each script checks its sets before it builds or reads anything; a missing one ends it with one line on stderr
naming what is missing and where to get it, and exit 2. The wrappers call this file first:

    python3 scripts/datasets.py PROG [--data DIR] [the script's other options]

--data DIR defaults to ../shared/corpora beside the repository when that folder exists (where the project's
machines keep the sets); any folder with the same layout works.
"""

import argparse
import os
import sys

SOURCE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT = os.path.normpath(os.path.join(SOURCE_DIR, "..", "shared", "corpora"))

# name -> (path under DIR, the set and where it is published)
SETS = {
    "aclimdb": ("imdb-aclimdb-maas2011/aclImdb_train_test.tar.gz",
                "aclImdb, the Large Movie Review Dataset (Maas et al., ACL 2011; a tar.gz holding aclImdb/): "
                "https://ai.stanford.edu/~amaas/data/sentiment/"),
    "blitzer": ("amazon-mdsd-blitzer2007/sorted_data_acl",
                "the Multi-Domain Sentiment Dataset (Blitzer et al., ACL 2007; sorted_data_acl/ of "
                "domain_sentiment_data.tar.gz): https://www.cs.jhu.edu/~mdredze/datasets/sentiment/"),
    "finefood": ("amazon-fine-food-subset",
                 "Amazon Fine Food Reviews (McAuley & Leskovec, WWW 2013; its Reviews.csv): "
                 "https://snap.stanford.edu/data/web-FineFoods.html"),
    "beauty": ("amazon-2018-all-beauty-5core/All_Beauty_5.json",
               "Amazon Review Data 2018, All_Beauty 5-core (Ni, Li & McAuley, EMNLP 2019): "
               "https://nijianmo.github.io/amazon/"),
    "arguana": ("beir-arguana",
                "BEIR ArguAna (Thakur et al., NeurIPS 2021; corpus.jsonl, queries.jsonl and qrels/test.tsv as "
                "test.tsv): https://github.com/beir-cellar/beir"),
    "cranfield": ("classic-ir/cran.tar.gz",
                  "the Cranfield collection in SMART format (Cleverdon 1967; the University of Glasgow's "
                  "cran.tar.gz, as in github.com/lailaglez/belief-network-irs cran/): "
                  "http://ir.dcs.gla.ac.uk/resources/test_collections/cran/"),
    "medline": ("classic-ir/med.tar.gz",
                "the MEDLINE collection in SMART format (the University of Glasgow's med.tar.gz, as in "
                "github.com/lailaglez/belief-network-irs med/): http://ir.dcs.gla.ac.uk/resources/test_collections/medl/"),
}

# What each script reads.
NEEDS = {
    "scripts/bench": ["aclimdb", "blitzer", "finefood", "beauty"],
    "scripts/bench-shards": ["aclimdb", "blitzer", "finefood", "beauty"],
    "scripts/bench-startup": ["aclimdb", "blitzer", "finefood", "beauty"],
    "scripts/eval": ["arguana", "cranfield", "medline"],  # --collections chooses among them
    "scripts/eval-signals": ["finefood", "blitzer", "beauty"],
    "scripts/eval-reviews": ["finefood", "blitzer", "beauty"],
}


def default_data():
    return DEFAULT if os.path.isdir(DEFAULT) else None


def add_option(parser):
    """--data DIR (also spelt --corpora, the older name)."""
    parser.add_argument("--data", "--corpora", dest="data", metavar="DIR", default=default_data(),
                        help="the folder of the public data sets (default: ../shared/corpora beside the "
                             "repository, when it exists); scripts/datasets.py lists where each is published")


def path(data, name):
    """Where set `name` is under `data`. ArguAna may also be given as its own folder (the BEIR download)."""
    if name == "arguana" and data and os.path.exists(os.path.join(data, "corpus.jsonl")):
        return data
    return os.path.join(data or "", SETS[name][0])


def require(prog, data, wanted=None):
    """Exits 2 with one line when a set that `prog` reads (or, given, the sets `wanted`) is missing."""
    if data is None:
        names = wanted or NEEDS[prog]
        where = "no --data DIR given and no ../shared/corpora beside the repository"
    else:
        names = [name for name in wanted or NEEDS[prog] if not os.path.exists(path(data, name))]
        where = f"not in {data}"
    if names:
        wanted = "; ".join(f"{SETS[name][0]} ({SETS[name][1]})" for name in names)
        print(f"{prog}: data missing ({where}): {wanted}; pass --data DIR", file=sys.stderr)
        sys.exit(2)


def main(argv):
    if not argv or argv[0] not in NEEDS:
        print(f"usage: scripts/datasets.py {{{','.join(NEEDS)}}} [--data DIR] [other options]", file=sys.stderr)
        return 2
    if "-h" in argv or "--help" in argv:
        return 0  # the script's own --help needs no data
    parser = argparse.ArgumentParser(prog=argv[0], add_help=False)
    add_option(parser)
    parser.add_argument("--collections", default=",".join(NEEDS[argv[0]]))
    args, _ = parser.parse_known_args(argv[1:])
    wanted = [name for name in args.collections.split(",") if name]
    unknown = [name for name in wanted if name not in NEEDS[argv[0]]]
    if unknown:
        print(f"{argv[0]}: unknown collection {unknown[0]} (known: {','.join(NEEDS[argv[0]])})", file=sys.stderr)
        sys.exit(2)
    require(argv[0], args.data, wanted)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
