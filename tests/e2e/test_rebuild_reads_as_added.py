"""A rebuild reads each batch file as `revindex add` read it: the --format and --csv-map given at add time are
recorded in the ledger (docs/indexing.md) and used again, so a CSV export with its own column names rebuilds into
the same index, with one writer and with --jobs.
"""
import pytest

EXPORT = """opinion,subject,marks,who
"The grinder is loud but the coffee is superb",Superb coffee,9,anna
"Broke after a week, the motor burned out",Burned out,2,bo
"Fine for tea, too weak for espresso",Weak,6,carl
"""


def ratings(revsearch, db, query):
    result = revsearch.json(db, query)
    return result.code, [(hit["review"]["headline"], hit["review"]["rating"], hit["review"]["rating_max"])
                         for hit in result.hits]


@pytest.fixture
def db(revindex, revsearch, tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(EXPORT)
    db = tmp_path / "index"
    proc = revindex("add", "--db", db, "--format", "csv", "--csv-map",
                    "body=opinion,headline=subject,rating=marks,rating_max=10,author=who", export)
    assert proc.returncode == 0 and "added 3," in proc.stderr, f"add with --csv-map: {proc.stderr}"
    return db


def test_add_applies_the_csv_map(revsearch, db):
    _, added = ratings(revsearch, db, "coffee")
    assert added == [("Superb coffee", 9, 10)]


def test_stats_reads_the_ledger(revindex, db):
    assert revindex("stats", "--db", db, "--json").returncode == 0


@pytest.mark.parametrize("jobs", [[], ["--jobs", "2"]], ids=["one-writer", "jobs-2"])
def test_rebuild_reads_the_file_as_add_did(revindex, revsearch, db, jobs):
    _, added = ratings(revsearch, db, "coffee")
    proc = revindex("rebuild", "--db", db, "--expect-documents", "3", *jobs)
    assert proc.returncode == 0, f"rebuild {jobs} from the ledger: exit {proc.returncode} {proc.stdout} {proc.stderr}"
    _, rebuilt = ratings(revsearch, db, "coffee")
    assert rebuilt == added
