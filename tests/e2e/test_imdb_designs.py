"""End-to-end: a folder of IMDb pages in every design (our own fixtures, tests/fixtures/imdb/), through
`revindex parse` (each file's design named in a note) and `revindex add` (every review of every design indexed)."""

import json
import os
import re
import shutil

import pytest

# file -> (design named in the note, reviews, reviews with warnings)
PAGES = {
    "mini-page.txt": ("2017-2023", 3, 0),
    "cards-2024.txt": ("2024+", 5, 1),
    "before-2017.txt": ("pre-2017", 3, 0),
    "without-details.txt": ("headline-and-body copy (no review details)", 2, 2),
}


@pytest.fixture(scope="module")
def run(revindex):
    def run_revindex(*args):
        proc = revindex(*args)
        assert proc.returncode >= 0, f"revindex {args} killed by a signal"
        return proc.returncode, proc.stdout, proc.stderr
    return run_revindex


@pytest.fixture(scope="module")
def folder(fixtures_dir, tmp_path_factory):
    """A folder of one page of each design."""
    folder = tmp_path_factory.mktemp("pages")
    for name in PAGES:
        shutil.copy(os.path.join(fixtures_dir, "imdb", name), folder)
    return str(folder)


def test_parse_names_each_design(run, folder):
    code, out, err = run("parse", folder)
    assert code == 0, f"parse: exit {code}: {err}"
    records = [json.loads(line) for line in out.splitlines()]
    for name, (design, count, _) in PAGES.items():
        path = os.path.join(folder, name)
        assert f"{path}: note: IMDb page design: {design}" in err, f"parse: no design note for {name}: {err}"
        got = sum(1 for r in records if r["source"].startswith(path + ":"))
        assert got == count, f"parse: {name}: {got} reviews, expected {count}"
    total = sum(count for _, count, _ in PAGES.values())
    warned = sum(warned for _, _, warned in PAGES.values())
    last = err.strip().splitlines()[-1]
    expected = f"revindex parse: {len(PAGES)} files, {total} read, {warned} with warnings, 0 rejected"
    assert last == expected, f"parse summary: {last!r}, expected {expected!r}"
    # --strict refuses the warnings, but a note is no warning: the clean pages alone pass it.
    code, _, err = run("parse", "--strict", os.path.join(folder, "before-2017.txt"))
    assert code == 0, f"parse --strict on a clean pre-2017 page: exit {code}: {err}"


def test_add_indexes_every_design(run, folder, tmp_path):
    db = tmp_path / "db"
    code, _, err = run("add", "--db", db, folder)
    assert code == 0, f"add: exit {code}: {err}"
    summary = re.search(r"^read (\d+), added (\d+)", err, re.M)
    total = sum(count for _, count, _ in PAGES.values())
    assert summary is not None and summary.groups() == (str(total), str(total)), \
        f"add: expected {total} read and added: {err[-400:]}"
    code, out, err = run("stats", "--db", db, "--json")
    assert code == 0 and json.loads(out).get("documents") == total, f"stats: {out} {err}"
