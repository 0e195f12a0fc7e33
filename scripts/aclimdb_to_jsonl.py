#!/usr/bin/env python3
"""Converts the unpacked aclImdb corpus (Maas et al. 2011) to canonical JSON lines for revindex add.

usage: scripts/aclimdb_to_jsonl.py ACLIMDB_DIR > aclimdb.jsonl

Each review file <n>_<rating>.txt under {train,test}/{pos,neg}/ becomes one record: the body as the file has it
(the "<br />" breaks are kept: the JSON-lines reader's text cleanup turns them into line breaks), the rating from
the file name on a 0..10 scale, and the item id (IMDb tt-id) from line n of the matching urls_<label>.txt.
The id names the file ("aclimdb:train/pos/0_9"): the corpus has no author, so no natural key would tell two
reviews of one film apart. See docs/indexing.md for the throughput figures measured with it.
"""

import json
import os
import re
import sys

URL_TT = re.compile(r"/title/(tt\d+)/")
FILE_NAME = re.compile(r"^(\d+)_(\d+)\.txt$")


def item_ids(urls_path):
    with open(urls_path, encoding="utf-8") as f:
        return [m.group(1) if (m := URL_TT.search(line)) else None for line in f]


def main(argv):
    if len(argv) != 2 or not os.path.isdir(argv[1]):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    root = argv[1]
    out = sys.stdout
    written = 0
    for split in ("train", "test"):
        for label in ("pos", "neg"):
            folder = os.path.join(root, split, label)
            ids = item_ids(os.path.join(root, split, f"urls_{label}.txt"))
            names = sorted((n for n in os.listdir(folder) if FILE_NAME.match(n)),
                           key=lambda n: int(FILE_NAME.match(n).group(1)))
            for name in names:
                number, rating = map(int, FILE_NAME.match(name).groups())
                with open(os.path.join(folder, name), encoding="utf-8") as f:
                    body = f.read().strip()
                record = {
                    "id": f"aclimdb:{split}/{label}/{number}_{rating}",
                    "source": None, "item": None,
                    "item_id": ids[number] if number < len(ids) else None,
                    "item_year": None, "headline": None, "author": None, "byline": None, "date": None,
                    "rating": rating, "rating_max": 10, "helpful_yes": None, "helpful_total": None,
                    "spoiler": False, "body": body,
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                written += 1
    print(f"{written} reviews", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
