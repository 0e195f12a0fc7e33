"""scripts/benchmark/floor_features.py's arguments (docs/benchmarks.md, "The two floors" and "Spelling words and
stems"): --other NAME=REVINDEX adds another build's `revindex add` to each round, run like ours; a malformed or
repeated NAME is a usage error, not a run; --no-switches leaves out the floor's single switches. Reads only the
script: nothing is run or indexed."""

import os
import sys

import pytest

SOURCE = os.environ.get("REVSEARCH_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SOURCE, "scripts", "benchmark"))
import floor_features  # noqa: E402


def names(runs):
    return [name for name, _, _ in runs]


def test_default_round_is_the_floor_each_switch_all_and_ours():
    args = floor_features.parse_args(["--floor", "F", "--revindex", "R", "a.jsonl"])
    assert args.other == [] and not args.no_switches
    runs = floor_features.variants("F", "R", args.other, not args.no_switches)
    assert names(runs) == ["floor"] + [f"floor --with {f}" for f in floor_features.FEATURES] + [
        "floor --with all", floor_features.OURS]


def test_other_runs_like_ours_after_it():
    args = floor_features.parse_args(["--floor", "F", "--revindex", "R", "--other", "main=/m/revindex",
                                      "--other", "old=/o/revindex", "--no-switches", "a.jsonl", "b.jsonl"])
    assert args.other == [("main", "/m/revindex"), ("old", "/o/revindex")]
    runs = floor_features.variants("F", "R", args.other, not args.no_switches)
    assert names(runs) == ["floor", "floor --with all", floor_features.OURS,
                           "main: revindex add --compact never", "old: revindex add --compact never"]
    ours, main = runs[2], runs[3]
    assert main[1] == ["/m/revindex"] + ours[1][1:]  # the same options: only the binary differs


@pytest.mark.parametrize("bad", [["--other", "main"], ["--other", "=/m/revindex"], ["--other", "main="],
                                 ["--other", "a=/x", "--other", "a=/y"], ["--rounds", "0"]])
def test_bad_arguments_are_usage_errors(bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        floor_features.parse_args(["--floor", "F", "--revindex", "R", *bad, "a.jsonl"])
    assert exit_.value.code == 2
    assert "error:" in capsys.readouterr().err
