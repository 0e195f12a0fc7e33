"""Issue 16, points 8 and 9: a shell tool people trust. Spelling that corrects a typo found in the data and says
so; --version; --help whose every example works on the bundled sample; one-line usage errors; an index path
that is no index; man pages and completions, installed by `cmake --install`.
"""
import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def db(new_index, corpora_dir):
    """The bundled sample, corpora/, as scripts/demo.sh indexes it."""
    return new_index(corpora_dir)


@pytest.fixture(scope="module")
def build_dir(revsearch):
    """The build directory: REVSEARCH is BUILD/searcher/revsearch."""
    return Path(revsearch.path).resolve().parents[1]


def project_version(source_dir):
    text = (Path(source_dir) / "CMakeLists.txt").read_text()
    return re.search(r"project\(revsearch VERSION ([0-9.]+)", text).group(1)


# --- spelling (point 8) ------------------------------------------------------------------------------------

def test_a_typo_in_the_data_is_corrected_and_named(revsearch, db):
    # corpora/ has `coffe` in 1 review and `coffee` in 25 (27 with `coffees`: the index counts a word's stem, and
    # the correction says how many reviews each search finds): the typo itself is in the data.
    typed = revsearch.json(db, "--as-typed", "coffe")
    assert typed.code == 0 and typed.summary["estimated"] == 1 and typed.summary["suggestion"] == "coffee"
    corrected = revsearch.json(db, "coffe")
    assert corrected.code == 0 and corrected.summary["corrected"] == "coffee"
    assert corrected.summary["estimated"] >= 25, corrected.summary
    record = corrected.lines[0]
    assert record["type"] == "correction" and record["data"]["as_typed"] == "coffe"
    assert record["data"]["words"] == [{"typed": "coffe", "corrected": "coffee", "typed_reviews": 1,
                                        "corrected_reviews": 27}]
    text = revsearch("--db", db, "coffe").stdout
    assert text.startswith("Showing results for coffee (search instead for coffe: --as-typed)\n"), text[:200]


def test_an_unknown_word_is_corrected_not_just_hinted(revsearch, db):
    result = revsearch.json(db, "mikelsen")
    assert result.code == 0 and result.summary["corrected"] == "mikkelsen" and result.hits


def test_a_rare_real_word_is_not_corrected(revsearch, db):
    # `butter` (2 reviews) is 1 edit from `better` (79), but not a slip of it: at most a hint.
    result = revsearch.json(db, "butter")
    assert result.summary["corrected"] is None and result.summary["query"] == "butter"


# --- conventions (point 9) -----------------------------------------------------------------------------------

@pytest.mark.parametrize("tool", ["revsearch", "revindex"])
def test_version(revsearch, revindex, source_dir, tool):
    proc = {"revsearch": revsearch, "revindex": revindex}[tool]("--version")
    assert proc.returncode == 0 and proc.stderr == ""
    assert re.fullmatch(rf"{tool} {re.escape(project_version(source_dir))} \(Xapian 1\.\d+\.\d+\)\n", proc.stdout), \
        proc.stdout


def help_examples(text, tool):
    lines = text.split("Examples")[1].splitlines()[1:]
    commands = []
    for line in lines:
        if line.startswith(f"  {tool} "):
            command = re.split(r"\s{3,}", line.strip())[0]  # the comment starts after 3 spaces or more
            commands.append(shlex.split(command)[1:])
    return commands


def test_every_revsearch_help_example_finds_reviews_in_the_sample(revsearch, db):
    help_text = revsearch("--help").stdout
    for heading in ["Query:", "Filters:", "Output:", "Ranking:", "Index:", "Examples"]:
        assert heading in help_text
    assert " arg" not in help_text, "every value has a name"
    examples = help_examples(help_text, "revsearch")
    assert len(examples) >= 5, examples
    for args in examples:
        proc = revsearch("--db", db, *args)
        assert proc.returncode == 0 and proc.stdout.strip(), f"revsearch {args}: exit {proc.returncode} {proc.stderr}"


def test_every_revindex_help_example_works_on_the_sample(revindex, source_dir, tmp_path):
    examples = help_examples(revindex("--help").stdout, "revindex")
    assert [args[0] for args in examples] == ["add", "stats", "parse", "check"], examples
    for args in examples:
        args = [str(tmp_path / "reviews") if arg == "/tmp/reviews" else arg for arg in args]
        proc = revindex(*args, cwd=source_dir, timeout=300)
        assert proc.returncode == 0 and (proc.stdout or proc.stderr), f"revindex {args}: {proc.stderr[-300:]}"


@pytest.mark.parametrize("tool,args", [
    ("revindex", ["add", "/x", "--db"]),
    ("revindex", ["add", "--bogus", "x"]),
    ("revindex", []),
    ("revindex", ["bogus"]),
    ("revsearch", ["--bogus", "x"]),
    ("revsearch", ["--limit"]),
])
def test_usage_errors_are_one_line_pointing_at_help(revsearch, revindex, tool, args):
    proc = {"revsearch": revsearch, "revindex": revindex}[tool](*args)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr.count("\n") == 1 and "--help" in proc.stderr, proc.stderr


@pytest.mark.parametrize("args,message", [
    (["--since", "2012", "--until", "2011", "good"], "--since 2012 is after --until 2011"),
    (["--min-rating", "5", "--max-rating", "4", "good"], "--min-rating 5 is above --max-rating 4"),
    (["date:2005..nonsense"], "a date is YYYY, YYYY-MM or YYYY-MM-DD"),
    (["--since", "soon", "good"], "--since needs a date"),
])
def test_impossible_ranges_and_bad_dates_are_errors(revsearch, db, args, message):
    proc = revsearch("--db", db, *args)
    assert proc.returncode == 2 and message in proc.stderr and proc.stderr.count("\n") == 1, proc.stderr


def test_a_file_that_is_no_index(revsearch, corpus):
    proc = revsearch("--db", corpus("canonical-sample.jsonl"), "good")
    assert proc.returncode == 2 and "is not a revsearch index" in proc.stderr, proc.stderr
    assert proc.stderr.count("\n") == 1


# --- man pages, completions, install ---------------------------------------------------------------------------

@pytest.mark.parametrize("tool", ["revsearch", "revindex"])
def test_man_pages_are_made_from_the_help(build_dir, tool):
    page = build_dir / "shell" / f"{tool}.1"
    assert page.exists(), f"{page}: help2man missing? (scripts/install-deps.sh)"
    text = page.read_text()
    assert f".TH {tool.upper()} \"1\"" in text and "\n.SH EXAMPLES\n" in text and "\\-\\-version" in text


def complete_in_bash(source_dir, build_dir, words):
    """COMPREPLY of the bash completion (shell/revsearch.bash) for the command line WORDS, the last being
    completed."""
    script = (f"source {shlex.quote(str(Path(source_dir) / 'shell' / 'revsearch.bash'))}\n"
              f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)}); COMP_CWORD={len(words) - 1}\n"
              f"_revsearch_complete {words[0]}\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n")
    path = f"{build_dir / 'searcher'}:{build_dir / 'indexer'}:{os.environ.get('PATH', '')}"
    proc = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env={**os.environ, "PATH": path},
                          timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.split()


def test_bash_completion(source_dir, build_dir):
    assert complete_in_bash(source_dir, build_dir, ["revsearch", "--so"]) == ["--sort"]
    assert "--as-typed" in complete_in_bash(source_dir, build_dir, ["revsearch", "--"])
    assert complete_in_bash(source_dir, build_dir, ["revindex", "re"]) == ["rebuild"]
    assert complete_in_bash(source_dir, build_dir, ["revindex", "add", "--lo"]) == ["--lock-timeout"]


def test_completion_lists_every_option_of_the_help(revsearch, source_dir, build_dir):
    declared = set(re.findall(r"^  (?:-\w \[ )?(--[\w-]+)", revsearch("--help").stdout, re.M))
    assert set(complete_in_bash(source_dir, build_dir, ["revsearch", "--"])) >= declared


def test_zsh_completion_parses(source_dir):
    proc = subprocess.run(["zsh", "-n", str(Path(source_dir) / "shell" / "_revsearch")], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr


def test_install_puts_everything_in_place(build_dir, tmp_path):
    proc = subprocess.run(["cmake", "--install", str(build_dir), "--prefix", str(tmp_path)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    for path in ["bin/revsearch", "bin/revindex", "share/man/man1/revsearch.1", "share/man/man1/revindex.1",
                 "share/bash-completion/completions/revsearch", "share/bash-completion/completions/revindex",
                 "share/zsh/vendor-completions/_revsearch"]:
        assert (tmp_path / path).exists(), path
