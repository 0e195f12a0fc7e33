"""Tests of scripts/evaluation/signals.py (the evidence behind scripts/eval-signals) on hand-made rankings.

Every expected value is worked out by hand in a comment. A ranking is a list of hits {key, bm25, H, R}; the BM25
order's first hit has the best score A. The last test indexes the bundled 300-review Fine Food sample with
the built binaries (conftest.py) and checks that the Python Wilson bound is the one revsearch blends.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

import pytest

SOURCE_DIR = os.environ.get("REVSEARCH_SOURCE_DIR",
                            os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts"))

from evaluation import signals  # noqa: E402


def hit(key, bm25, H=0.0, R=0.5):
    return {"key": key, "id": key, "bm25": bm25, "H": H, "R": R}


class Signals(unittest.TestCase):
    def test_wilson_matches_the_documented_values(self):
        # docs/ranking.md: 54 of 62 gives 0.766, 2 of 2 gives 0.342.
        self.assertAlmostEqual(signals.wilson_lower_bound(54, 62), 0.766, places=3)
        self.assertAlmostEqual(signals.wilson_lower_bound(2, 2), 0.342, places=3)
        # No votes, unknown total: 0. Bad counts clamped as in helpfulness.cpp: 9 of 5 is 5 of 5, -1 of 5 is 0.
        self.assertEqual(signals.wilson_lower_bound(0, 0), 0.0)
        self.assertEqual(signals.wilson_lower_bound(3, None), 0.0)
        self.assertEqual(signals.wilson_lower_bound(9, 5), signals.wilson_lower_bound(5, 5))
        self.assertEqual(signals.wilson_lower_bound(-1, 5), 0.0)

    def test_signals_of_stored_reviews(self):
        self.assertAlmostEqual(signals.helpfulness({"helpful_yes": 54, "helpful_total": 62}), 0.766, places=3)
        # All_Beauty: a vote count without a total has no Wilson score.
        self.assertEqual(signals.helpfulness({"helpful_yes": 25, "helpful_total": None}), 0.0)
        self.assertAlmostEqual(signals.rating_signal({"rating": 4, "rating_max": 5}), 0.8)
        self.assertAlmostEqual(signals.rating_signal({"rating": 8, "rating_max": 10}), 0.8)
        self.assertEqual(signals.rating_signal({"rating": None, "rating_max": None}), 0.5)
        self.assertEqual(signals.rating_signal({"rating": 7, "rating_max": 5}), 0.5)  # impossible: unknown


class Input(unittest.TestCase):
    def test_query_file_lines(self):
        problems = []
        queries = signals.read_queries(io.StringIO(
            "# comment\n\nfood\tcoffee\nfood\t\"too sweet\"\nbooks\tnovel\nno tab here\nfood\t \n"), problems)
        self.assertEqual(queries, {"food": ["coffee", '"too sweet"'], "books": ["novel"]})
        self.assertEqual([number for number, _ in problems], [6, 7])

    def test_committed_query_set(self):
        # The fixed set: known set names, 30 to 60 distinct queries each, no bad lines.
        problems = []
        with open(signals.QUERIES, encoding="utf-8") as lines:
            queries = signals.read_queries(lines, problems)
        self.assertEqual(problems, [])
        self.assertEqual(set(queries), set(signals.SETS))
        for name, texts in queries.items():
            self.assertTrue(30 <= len(texts) <= 60, (name, len(texts)))
            self.assertEqual(len(set(texts)), len(texts), name)

    def test_hits_from_json_lines(self):
        # Hits keyed by their normalised body (the collapse key), so two copies of one text are one hit.
        lines = [
            json.dumps({"type": "hit", "data": {"rank": 1, "id": "a", "score": 3.5,
                                                "parts": {"bm25": 3.0, "helpful": 0.4, "rating": 0.1},
                        "review": {"body": "Great  Coffee\n", "helpful_yes": 2, "helpful_total": 2,
                                   "rating": 5, "rating_max": 5}}}),
            json.dumps({"type": "future-kind", "data": {}}),
            json.dumps({"type": "summary", "data": {"estimated": 7}}),
        ]
        hits, summary = signals.read_hits(lines)
        self.assertEqual(summary, {"estimated": 7})
        self.assertEqual(len(hits), 1)
        self.assertEqual(hits[0]["key"], "great coffee")
        self.assertEqual(hits[0]["bm25"], 3.0)
        self.assertAlmostEqual(hits[0]["H"], 0.342, places=3)
        self.assertEqual(hits[0]["R"], 1.0)


class Ranks(unittest.TestCase):
    SCORES = [5.0, 4.0, 4.0, 4.0, 2.0]  # the BM25 order: a tie of three at ranks 2..4

    def test_rank_range_spans_a_tie(self):
        self.assertEqual(signals.bm25_rank_range(5.0, self.SCORES, 1e-9, False), (1, 1))
        self.assertEqual(signals.bm25_rank_range(4.0, self.SCORES, 1e-9, False), (2, 4))
        self.assertEqual(signals.bm25_rank_range(2.0, self.SCORES, 1e-9, False), (5, 5))
        # Cut after 5 hits: a lower score ranks 6 or later; the last score's tie may run past the cut.
        self.assertEqual(signals.bm25_rank_range(1.0, self.SCORES, 1e-9, True), (6, None))
        self.assertEqual(signals.bm25_rank_range(2.0, self.SCORES, 1e-9, True), (5, None))

    def test_displacement_outside_the_tie_only(self):
        self.assertEqual(signals.displacement(2, (2, 4)), 0)
        self.assertEqual(signals.displacement(4, (2, 4)), 0)
        self.assertEqual(signals.displacement(1, (2, 4)), 1)
        self.assertEqual(signals.displacement(7, (2, 4)), 3)
        self.assertEqual(signals.displacement(3, (6, None)), 3)
        self.assertEqual(signals.displacement(9, (6, None)), 0)


class Compare(unittest.TestCase):
    # The BM25 order of one query, A = 10: s1..s3 strong (>= 9), m4 middle, w5 weak (< 5), w6 weaker.
    BASELINE = [hit("s1", 10.0), hit("s2", 9.5, H=0.8), hit("s3", 9.0), hit("m4", 7.0, H=0.6, R=1.0),
                hit("w5", 4.0, H=0.9), hit("w6", 3.0)]

    def test_identical_ranking_changes_nothing(self):
        result = signals.compare(self.BASELINE, self.BASELINE[:4], k=4)
        self.assertEqual(result["hits"], 4)
        self.assertEqual(result["kept"], 4)
        self.assertEqual(result["shift_sum"], 0)
        # s2 (H 0.8) and m4 (H 0.6) have W > 0.5; R = 0.5 + 0.5 + 0.5 + 1.0.
        self.assertEqual(result["helpful"], 2)
        self.assertAlmostEqual(result["rating_sum"], 2.5)
        self.assertEqual((result["strong"], result["strong_lost"], result["weak_above"]), (3, 0, 0))
        self.assertAlmostEqual(result["weakest"], 0.7)
        self.assertEqual(result["overturned"], 0.0)

    def test_near_tie_swap(self):
        # Blend top 3: s2, s1, s3. s2 rises 1 (BM25 rank 2 -> 1), s1 falls 1; gap overturned: s1 over s2 at
        # rank 1 = (10 - 9.5) / 10 = 0.05. Nothing lost, no weak hit.
        result = signals.compare(self.BASELINE, [self.BASELINE[i] for i in (1, 0, 2)], k=3)
        self.assertEqual(result["shift_sum"], 2)
        self.assertEqual(result["kept"], 3)
        self.assertEqual((result["strong"], result["strong_lost"], result["weak_above"]), (3, 0, 0))
        self.assertAlmostEqual(result["overturned"], 0.05)

    def test_weak_hit_buries_a_strong_one(self):
        # Blend top 3: s1, w5, s2. w5 (BM25 rank 5) at rank 2: shift 3; s2 at rank 3: shift 1. s3 (strong, in
        # the BM25 top 3) is lost. w5 (4 < 5) ranks above s2 and s3 (9.5 and 9 >= 9): weak above strong.
        # Overturned: at rank 2 the best document not above is s2 (9.5): (9.5 - 4) / 10 = 0.55.
        result = signals.compare(self.BASELINE, [self.BASELINE[i] for i in (0, 4, 1)], k=3)
        self.assertEqual(result["kept"], 2)
        self.assertEqual(result["shift_sum"], 4)
        self.assertEqual((result["strong"], result["strong_lost"], result["weak_above"]), (3, 1, 1))
        self.assertAlmostEqual(result["overturned"], 0.55)
        self.assertAlmostEqual(result["weakest"], 0.4)

    def test_weak_hit_below_every_strong_one_is_no_burial(self):
        # k = 5, blend: s1, s2, s3, w5, m4. w5 is weak but all three strong hits are above it: weak_above 0.
        # w5 at rank 4 (BM25 5): shift 1; m4 at rank 5 (BM25 4): shift 1; overturned (7 - 4) / 10 = 0.3.
        result = signals.compare(self.BASELINE, [self.BASELINE[i] for i in (0, 1, 2, 4, 3)], k=5)
        self.assertEqual(result["weak_above"], 0)
        self.assertEqual(result["shift_sum"], 2)
        self.assertAlmostEqual(result["overturned"], 0.3)

    def test_exact_ties_reordered_count_as_no_move(self):
        baseline = [hit("a", 3.0), hit("b", 3.0), hit("c", 3.0), hit("d", 1.0)]
        result = signals.compare(baseline, [baseline[2], baseline[0], baseline[1]], k=3)
        self.assertEqual(result["shift_sum"], 0)
        self.assertEqual(result["overturned"], 0.0)
        self.assertEqual(result["kept"], 3)

    def test_hit_beyond_a_cut_baseline_is_censored(self):
        # The BM25 order was cut after 3 hits; the blend brings a hit scoring below the cut to rank 1: it ranks
        # 4 or later in BM25, so its shift is at least 3 (a lower bound), and it is counted as censored.
        baseline = [hit("a", 3.0), hit("b", 2.9), hit("c", 2.8)]
        result = signals.compare(baseline, [hit("z", 2.0, H=0.9), baseline[0]], k=2, truncated=True)
        self.assertEqual(result["censored"], 1)
        self.assertEqual(result["shift_sum"], 3 + 1)

    def test_aggregate_pools_hits_and_averages_queries(self):
        # Query 1: the weak-burial example (3 hits); query 2: the identical ranking cut at 4 (4 hits).
        one = signals.compare(self.BASELINE, [self.BASELINE[i] for i in (0, 4, 1)], k=3)
        two = signals.compare(self.BASELINE, self.BASELINE[:4], k=4)
        row = signals.aggregate([one, two])
        self.assertEqual((row["queries"], row["hits"]), (2, 7))
        # W > 0.5: w5, s2 in query 1; s2, m4 in query 2 -> 4 of 7. Kept: 2 + 4 of 7. Shift: (4 + 0) / 7.
        self.assertAlmostEqual(row["helpful_share"], 4 / 7)
        self.assertAlmostEqual(row["kept_share"], 6 / 7)
        self.assertAlmostEqual(row["mean_shift"], 4 / 7)
        # Strong: 3 + 3, one lost. Weak above strong in 1 query. Overturned: (0.55 + 0) / 2, max 0.55.
        self.assertAlmostEqual(row["strong_lost_share"], 1 / 6)
        self.assertEqual(row["weak_above"], 1)
        self.assertAlmostEqual(row["mean_overturned"], 0.275)
        self.assertAlmostEqual(row["max_overturned"], 0.55)
        self.assertAlmostEqual(row["mean_weakest"], (0.4 + 0.7) / 2)

    def test_grid_and_defaults(self):
        grid = signals.settings()
        self.assertEqual(grid[0], ("0", "0"))
        self.assertEqual(len(grid), len(signals.HELPFUL_GRID) * len(signals.RATING_GRID))
        self.assertEqual(signals.settings(wilson=False), [("0", r) for r in signals.RATING_GRID])
        helpful, rating = signals.default_weights(SOURCE_DIR)
        # The defaults are on the grid, so the generated table shows their row in bold.
        self.assertIn((helpful, rating), {(float(h), float(r)) for h, r in grid})

    def test_write_doc_replaces_only_between_the_markers(self):
        with tempfile.TemporaryDirectory() as work:
            doc = os.path.join(work, "doc.md")
            with open(doc, "w", encoding="utf-8") as out:
                out.write(f"before\n{signals.BEGIN_MARK}\nold\n{signals.END_MARK}\nafter\n")
            signals.write_doc(doc, "new table\n")
            with open(doc, encoding="utf-8") as text:
                self.assertEqual(text.read(), f"before\n{signals.BEGIN_MARK}\nnew table\n{signals.END_MARK}\nafter\n")


class WithRevsearch(unittest.TestCase):
    @pytest.fixture(autouse=True)
    def binaries(self, revindex, revsearch):
        """The built binaries (conftest.py; skipped when not given)."""
        self.revindex, self.revsearch = revindex.path, revsearch.path

    def test_python_wilson_is_what_revsearch_blends(self):
        sample = os.path.join(SOURCE_DIR, "corpora", "fine-food-reviews-300.csv")
        with tempfile.TemporaryDirectory() as work:
            db = os.path.join(work, "db")
            subprocess.run([self.revindex, "add", "--db", db, "--quiet", sample], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            result = subprocess.run([self.revsearch, "--db", db, "--json", "--limit", "20",
                                     "--weights", "helpful=0.1,rating=0.02", "--", "coffee"],
                                    check=True, capture_output=True, text=True, timeout=60)
            lines = result.stdout.splitlines()
            summary = json.loads(lines[-1])["data"]
            voted = 0
            for line in lines[:-1]:
                data = json.loads(line)["data"]
                review = data["review"]
                self.assertAlmostEqual(data["parts"]["helpful"],
                                       summary["weights"]["helpful"] * signals.helpfulness(review), places=9)
                self.assertAlmostEqual(data["parts"]["rating"],
                                       summary["weights"]["rating"] * signals.rating_signal(review), places=9)
                voted += (review["helpful_total"] or 0) > 0
            self.assertGreater(voted, 0)
            # One query through the runner: plain BM25 against itself changes nothing.
            grid = [("0", "0"), ("0.1", "0.02")]
            rows, facts = signals.run_query(self.revsearch, db, "coffee", grid)
            self.assertGreater(facts["returned"], signals.TOP)
            self.assertEqual(rows[("0", "0")]["shift_sum"], 0)
            self.assertEqual(rows[("0", "0")]["kept"], signals.TOP)
            self.assertEqual(rows[("0.1", "0.02")]["hits"], signals.TOP)
