#!/usr/bin/env python3
"""A rebuild reads each batch file as `revindex add` read it: the --format and --csv-map given at add time are
recorded in the ledger (docs/indexing.md) and used again, so a CSV export with its own column names rebuilds into
the same index, with one writer and with --jobs.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from e2e import REVINDEX, REVSEARCH, check, failures

EXPORT = """opinion,subject,marks,who
"The grinder is loud but the coffee is superb",Superb coffee,9,anna
"Broke after a week, the motor burned out",Burned out,2,bo
"Fine for tea, too weak for espresso",Weak,6,carl
"""


def run(*argv):
    proc = subprocess.run(list(argv), capture_output=True, text=True, timeout=120)
    return proc.returncode, proc.stdout, proc.stderr


def ratings(db, query):
    code, out, _ = run(REVSEARCH, "--db", db, "--json", query)
    hits = [json.loads(line)["data"]["review"] for line in out.splitlines() if '"type":"hit"' in line]
    return code, [(hit["headline"], hit["rating"], hit["rating_max"]) for hit in hits]


def main():
    work = tempfile.mkdtemp(prefix="revsearch-e2e-rebuild-ledger-")
    try:
        export = os.path.join(work, "export.csv")
        with open(export, "w") as out:
            out.write(EXPORT)
        db = os.path.join(work, "index")
        code, _, err = run(REVINDEX, "add", "--db", db, "--format", "csv", "--csv-map",
                           "body=opinion,headline=subject,rating=marks,rating_max=10,author=who", export)
        check(code == 0 and "added 3," in err, f"add with --csv-map: {err}")
        _, added = ratings(db, "coffee")
        check(added == [("Superb coffee", 9, 10)], f"the mapping was applied: {added}")
        code, out, _ = run(REVINDEX, "stats", "--db", db, "--json")
        check(code == 0, "stats")
        for jobs in ([], ["--jobs", "2"]):
            code, out, err = run(REVINDEX, "rebuild", "--db", db, "--expect-documents", "3", *jobs)
            check(code == 0, f"rebuild {jobs} from the ledger: exit {code} {out} {err}")
            _, rebuilt = ratings(db, "coffee")
            check(rebuilt == added, f"rebuild {jobs} read the file as add did: {rebuilt}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"test_rebuild_reads_as_added: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
