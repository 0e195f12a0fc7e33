"""Tests of scripts/evaluation (the evaluator behind scripts/eval) on tiny hand-made runs and qrels.

Every expected value is worked out by hand in a comment, with trec_eval's definitions (see metrics.py):
DCG@k = sum rel_i / log2(i + 1), ideal from the qrels, ties ordered by docid descending, rank column ignored.
Useful constants: 1/log2(2) = 1, 1/log2(3) = 0.6309297535714575, 1/log2(4) = 0.5.
The statistics of scripts/eval-reviews (P@k, the unjudged share, the paired randomisation test, the pool grades ->
qrels step) are tested on hand-made lists and temporary files too; nothing here reads ../shared.
The SMART reader of scripts/eval's Cranfield and MEDLINE runs (smart.py), Cranfield's query numbering and grade
order, MAP and the FTS5 query are tested on hand-made SMART text and tiny tar.gz files written here.
The BEIR test converts a tiny BEIR corpus, indexes it with the built binaries (conftest.py) and checks that a revsearch TREC run names the BEIR ids, so the qrels apply to it.
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import tempfile
import unittest

import pytest

SOURCE = os.environ.get("REVSEARCH_SOURCE_DIR") or os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(SOURCE, "scripts"))

from evaluation import arguana, beir, classic, metrics, reviews, smart, trec  # noqa: E402

INV_LOG2_3 = 0.6309297535714575  # 1/log2(3): the discount of rank 2


@pytest.fixture
def binaries(request, revindex, revsearch):
    """For a unittest method (@pytest.mark.usefixtures("binaries")): self.revindex and self.revsearch, the built
    binaries; skipped when they are not given (conftest.py)."""
    request.instance.revindex, request.instance.revsearch = revindex.path, revsearch.path


def run_of(text):
    problems = []
    run = trec.read_run(io.StringIO(text), problems)
    assert not problems, problems
    return run


def qrels_of(text):
    problems = []
    qrels = trec.read_qrels(io.StringIO(text), problems)
    assert not problems, problems
    return qrels


class NdcgAndRecall(unittest.TestCase):
    def score(self, run_text, qrels_text, **kwargs):
        return metrics.evaluate(run_of(run_text), qrels_of(qrels_text), **kwargs)

    def test_relevant_first_is_perfect(self):
        result = self.score("q Q0 d1 1 9.0 t\n", "q 0 d1 1\n")
        self.assertAlmostEqual(result["ndcg"], 1.0)
        self.assertAlmostEqual(result["recall"], 1.0)

    def test_relevant_third_scores_half(self):
        # d3 at rank 3: DCG = 1/log2(4) = 0.5; ideal = 1/log2(2) = 1 -> 0.5. Recall@100 = 1/1.
        result = self.score("q Q0 d1 1 3.0 t\nq Q0 d2 2 2.0 t\nq Q0 d3 3 1.0 t\n", "q 0 d3 1\n")
        self.assertAlmostEqual(result["ndcg"], 0.5)
        self.assertAlmostEqual(result["recall"], 1.0)

    def test_ties_broken_by_docid_descending_and_rank_column_ignored(self):
        # a and b both score 1.0; trec_eval puts "b" before "a" (docid descending) although the file ranks a
        # first. Relevant a at rank 2: 1/log2(3) = 0.6309.
        result = self.score("q Q0 a 1 1.0 t\nq Q0 b 2 1.0 t\n", "q 0 a 1\n")
        self.assertAlmostEqual(result["ndcg"], INV_LOG2_3)
        # Scores, not file order or rank column, decide: c (score 5) is first although listed last with rank 9.
        self.assertEqual(trec.ranked(run_of("q Q0 a 1 1.0 t\nq Q0 c 9 5.0 t\n")["q"]), ["c", "a"])

    def test_graded_gains_and_ideal_from_qrels(self):
        # qrels d1=2, d2=1, d3=0; run d3, d1, d2.
        # DCG = 0/1 + 2/log2(3) + 1/log2(4) = 1.2618595 + 0.5 = 1.7618595
        # ideal = 2/1 + 1/log2(3) = 2.6309298 -> nDCG = 0.6696718. Recall@100: d1, d2 of {d1, d2} = 1.
        result = self.score("q Q0 d3 1 3 t\nq Q0 d1 2 2 t\nq Q0 d2 3 1 t\n", "q 0 d1 2\nq 0 d2 1\nq 0 d3 0\n")
        self.assertAlmostEqual(result["ndcg"], 0.66967181649423)
        self.assertAlmostEqual(result["recall"], 1.0)

    def test_relevant_doc_missing_from_corpus_counts_as_unretrieved(self):
        # ArguAna has 5 qrels naming absent docs. d1 found first, "ghost" never: DCG = 1;
        # ideal = 1 + 1/log2(3) = 1.6309 -> 0.6131472. Recall = 1 of 2 = 0.5.
        result = self.score("q Q0 d1 1 2.0 t\nq Q0 d9 2 1.0 t\n", "q 0 d1 1\nq 0 ghost 1\n")
        self.assertAlmostEqual(result["ndcg"], 0.6131471927654584)
        self.assertAlmostEqual(result["recall"], 0.5)

    def test_cut_off_at_k(self):
        # The relevant doc at rank 11 is past the nDCG@10 cut-off (0) but inside Recall@100 (1) and outside R@10.
        run_text = "".join(f"q Q0 d{i:02d} {i} {100 - i} t\n" for i in range(1, 12))
        result = self.score(run_text, "q 0 d11 1\n")
        self.assertAlmostEqual(result["ndcg"], 0.0)
        self.assertAlmostEqual(result["recall"], 1.0)
        self.assertAlmostEqual(self.score(run_text, "q 0 d11 1\n", recall_k=10)["recall"], 0.0)
        # 12 relevant docs at ranks 1..12: the ideal is cut at 10 too, so nDCG@10 = 1; Recall@10 = 10/12.
        run_text = "".join(f"q Q0 d{i:02d} {i} {100 - i} t\n" for i in range(1, 13))
        qrels_text = "".join(f"q 0 d{i:02d} 1\n" for i in range(1, 13))
        self.assertAlmostEqual(self.score(run_text, qrels_text)["ndcg"], 1.0)
        self.assertAlmostEqual(self.score(run_text, qrels_text, recall_k=10)["recall"], 10 / 12)

    def test_own_document_removed_before_the_cut_off(self):
        # q1 finds itself first, its counter-argument d second: 1/log2(3) as is, 1.0 once q1 is removed.
        run = run_of("q1 Q0 q1 1 9.0 t\nq1 Q0 d 2 5.0 t\n")
        qrels = qrels_of("q1 0 d 1\n")
        self.assertAlmostEqual(metrics.evaluate(run, qrels)["ndcg"], INV_LOG2_3)
        self.assertAlmostEqual(metrics.evaluate(trec.remove_own_documents(run), qrels)["ndcg"], 1.0)
        # Removal pulls rank 12 into the first 11: with q1 removed, d at file rank 11 is rank 10 -> 1/log2(11).
        run = run_of("q1 Q0 q1 1 99 t\n" + "".join(f"q1 Q0 x{i:02d} {i + 1} {90 - i} t\n" for i in range(1, 10))
                     + "q1 Q0 d 11 1 t\n")
        self.assertAlmostEqual(metrics.evaluate(run, qrels)["ndcg"], 0.0)
        self.assertAlmostEqual(metrics.evaluate(trec.remove_own_documents(run), qrels)["ndcg"], 0.28906482631788782)

    def test_mean_skips_queries_without_relevant_docs_and_zeroes_absent_queries(self):
        # q1: relevant first -> 1. q2: relevant second -> 0.6309. q3: only a rel-0 judgement -> skipped.
        # q4: judged relevant but absent from the run -> 0 (trec_eval -c). Mean over q1, q2, q4 = 1.6309/3.
        run = run_of("q1 Q0 a 1 2 t\nq2 Q0 b 1 2 t\nq2 Q0 c 2 1 t\nq3 Q0 a 1 2 t\n")
        qrels = qrels_of("q1 0 a 1\nq2 0 c 1\nq3 0 a 0\nq4 0 z 1\n")
        result = metrics.evaluate(run, qrels)
        self.assertEqual(result["queries"], 3)
        self.assertEqual(result["missing"], 1)
        self.assertAlmostEqual(result["ndcg"], (1 + INV_LOG2_3 + 0) / 3)
        self.assertAlmostEqual(result["recall"], 2 / 3)
        # Restricted to a split: only q2 -> 0.6309.
        self.assertAlmostEqual(metrics.evaluate(run, qrels, query_ids=["q2", "q3"])["ndcg"], INV_LOG2_3)


class Parsing(unittest.TestCase):
    def test_beir_qrels_with_header_and_trec_qrels_read_alike(self):
        beir_text = "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\n"
        self.assertEqual(qrels_of(beir_text), {"q1": {"d1": 1, "d2": 0}})
        self.assertEqual(qrels_of("q1 0 d1 1\nq1 0 d2 0\n"), {"q1": {"d1": 1, "d2": 0}})

    def test_bad_lines_reported_with_line_numbers_and_skipped(self):
        problems = []
        run = trec.read_run(io.StringIO("q Q0 a 1 1.5 t\nshort line\nq Q0 b 2 high t\nq Q0 a 3 2.5 t\n"), problems)
        self.assertEqual(run, {"q": {"a": 2.5}})  # a listed twice: its best score kept
        self.assertEqual([number for number, _ in problems], [2, 3, 4])
        problems = []
        qrels = trec.read_qrels(io.StringIO("q1\td1\t1\nq1 d2\nq1\td3\tyes\n"), problems)
        self.assertEqual(qrels, {"q1": {"d1": 1}})
        self.assertEqual([number for number, _ in problems], [2, 3])


class BeirConversion(unittest.TestCase):
    CORPUS = "\n".join([
        json.dumps({"_id": "t-pro01a", "title": "animals ethics", "text": "Being vegetarian helps", "metadata": {}}),
        json.dumps({"_id": "t-pro01b", "title": "", "text": "Farming keeps meadows open", "metadata": {}}),
        json.dumps({"_id": "t-only-title", "title": "zoos", "text": "  "}),
        "not json",
        json.dumps({"_id": "", "text": "no id"}),
        json.dumps({"_id": "t-empty", "title": "", "text": ""}),
    ]) + "\n"

    def test_converter_keeps_ids_titles_as_headlines_and_reports_bad_lines(self):
        out, problems = io.StringIO(), []
        self.assertEqual(beir.convert_corpus(io.StringIO(self.CORPUS), out, problems), 3)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        self.assertEqual(records, [
            {"id": "t-pro01a", "headline": "animals ethics", "body": "Being vegetarian helps"},
            {"id": "t-pro01b", "headline": None, "body": "Farming keeps meadows open"},
            {"id": "t-only-title", "headline": None, "body": "zoos"},
        ])
        self.assertEqual([number for number, _ in problems], [4, 5, 6])

    def test_select_queries_keeps_only_the_given_ids(self):
        lines = ['{"_id": "a", "text": "x"}\n', '{"_id": "b", "text": "y"}\n', "garbage\n"]
        out = io.StringIO()
        self.assertEqual(beir.select_queries(lines, {"b"}, out), ["b"])
        self.assertEqual(out.getvalue(), '{"_id": "b", "text": "y"}\n')

    def test_split_is_a_stable_half(self):
        # sha256("q1") starts with byte 0xc7 (odd) -> test; sha256("q2") with 0xbe (even) -> tune.
        self.assertEqual(beir.split_of("q1"), "test")
        self.assertEqual(beir.split_of("q2"), "tune")
        tune = sum(beir.split_of(f"query-{i}") == "tune" for i in range(2000))
        self.assertTrue(900 < tune < 1100, tune)

    def test_collapse_diagnostic_lets_the_relevant_copy_take_its_twins_place(self):
        # d2 and d2twin have the same text; the run returned the twin at rank 2 -> the relevant d2 takes rank 2:
        # nDCG@10 1/log2(3). q2's relevant d5 has no twin returned: unchanged (0).
        run = run_of("q1 Q0 d1 1 3 t\nq1 Q0 d2twin 2 2 t\nq2 Q0 d1 1 3 t\n")
        qrels = qrels_of("q1 0 d2 1\nq2 0 d5 1\n")
        repaired, changed = arguana.without_collapse(run, qrels, {"d2": ["d2twin"], "d2twin": ["d2"]})
        self.assertEqual(changed, 1)
        self.assertEqual(repaired["q1"], {"d1": 3.0, "d2": 2.0})
        self.assertAlmostEqual(metrics.evaluate(repaired, qrels)["ndcg"], INV_LOG2_3 / 2)

    @pytest.mark.usefixtures("binaries")
    def test_revsearch_run_names_beir_ids_and_evaluates(self):
        with tempfile.TemporaryDirectory() as work:
            corpus = os.path.join(work, "corpus.jsonl")
            with open(corpus, "w", encoding="utf-8") as out:
                beir.convert_corpus(io.StringIO(self.CORPUS), out)
            db = os.path.join(work, "db")
            subprocess.run([self.revindex, "add", "--db", db, "--quiet", corpus], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
            queries = os.path.join(work, "queries.jsonl")
            with open(queries, "w", encoding="utf-8") as out:
                out.write(json.dumps({"_id": "t-pro01a", "text": "Being vegetarian: farming, meadows (open)!"}) + "\n")
            result = subprocess.run([self.revsearch, "--db", db, "--queries", queries, "--limit", "10",
                                     "--weights", "helpful=0,rating=0", "--run-tag", "bm25"],
                                    check=True, capture_output=True, text=True, timeout=60)
            run = run_of(result.stdout)
            self.assertEqual(set(run["t-pro01a"]), {"t-pro01a", "t-pro01b"})
            # After removing the query's own document, its counter-argument is first: nDCG@10 = 1.
            scores = metrics.evaluate(trec.remove_own_documents(run), qrels_of("t-pro01a 0 t-pro01b 1\n"))
            self.assertAlmostEqual(scores["ndcg"], 1.0)


class ReviewStatistics(unittest.TestCase):
    def test_precision_divides_by_k_and_counts_unjudged_as_not_relevant(self):
        # a=3, b=1, c=2, x unjudged; grades >= 2 relevant: a and c of 10 ranks -> 0.2 (trec_eval's P@10 also
        # divides by 10 when fewer were returned).
        judgements = {"a": 3, "b": 1, "c": 2}
        self.assertAlmostEqual(reviews.precision_at_k(["a", "b", "x", "c"], judgements, 10, 2), 0.2)
        # k cuts the ranking: only a in the first 2 -> 1/2.
        self.assertAlmostEqual(reviews.precision_at_k(["a", "b", "c"], judgements, 2, 2), 0.5)
        self.assertAlmostEqual(reviews.precision_at_k([], judgements, 10, 2), 0.0)

    def test_unjudged_share_of_what_was_returned(self):
        self.assertAlmostEqual(reviews.unjudged_share(["a", "x", "y"], {"a": 0}, 10), 2 / 3)
        self.assertAlmostEqual(reviews.unjudged_share(["a", "x", "y"], {"a": 0}, 1), 0.0)  # only a counted
        self.assertIsNone(reviews.unjudged_share([], {"a": 1}, 10))

    def test_randomisation_no_difference_gives_p_one(self):
        # Every sign flip of all-zero differences is "as extreme" as 0: p = (N + 1) / (N + 1) = 1.
        self.assertEqual(metrics.paired_randomisation([0.5, 0.2, 0.9], [0.5, 0.2, 0.9], permutations=200),
                         (0.0, 1.0))

    def test_randomisation_consistent_gain_over_five_queries(self):
        # Five queries each +0.1: only the 2 of 2^5 = 32 sign patterns with all signs equal reach |0.5|, so the
        # exact p is 1/16 = 0.0625; 10,000 seeded flips land within a few standard errors (0.0024) of it.
        diff, p = metrics.paired_randomisation([0.6] * 5, [0.5] * 5)
        self.assertAlmostEqual(diff, 0.1)
        self.assertGreater(p, 0.0625 - 0.01)
        self.assertLess(p, 0.0625 + 0.01)
        # Seeded: the same inputs give the same p; the sign of the mean difference follows the order of a, b.
        self.assertEqual(metrics.paired_randomisation([0.6] * 5, [0.5] * 5), (diff, p))
        self.assertAlmostEqual(metrics.paired_randomisation([0.5] * 5, [0.6] * 5)[0], -0.1)

    def test_detectable_gain_is_1_96_standard_errors(self):
        # Differences 0.1 and 0.3: standard deviation sqrt(0.02) = 0.1414, standard error 0.1414 / sqrt(2) = 0.1.
        self.assertAlmostEqual(metrics.detectable_gain([0.1, 0.3]), 0.196)
        self.assertAlmostEqual(metrics.detectable_gain([0.1, 0.3], z=2.80), 0.28)
        self.assertIsNone(metrics.detectable_gain([0.1]))

    def test_randomisation_refuses_unpaired_scores(self):
        with self.assertRaises(ValueError):
            metrics.paired_randomisation([0.1, 0.2], [0.1])


class ReviewQueriesAndGrades(unittest.TestCase):
    def test_query_lines_need_four_fields(self):
        problems = []
        queries = reviews.read_queries(io.StringIO(
            "# comment\n\nF01\tfine-food\tdog treats\tDo dogs like them?\nF02\tfine-food\tno need\n"),
            problems)
        self.assertEqual(queries, [{"qid": "F01", "set": "fine-food", "query": "dog treats",
                                    "need": "Do dogs like them?"}])
        self.assertEqual(problems, [(4, "expected QID<TAB>SET<TAB>QUERY<TAB>NEED")])

    def test_repository_queries_are_well_formed_and_judged(self):
        # The shipped queries parse without problems, name known sets, have unique ids, 1-4 words, and every
        # query has graded reviews in the shipped qrels (so scripts/eval-reviews scores all of them).
        problems = []
        with open(reviews.QUERIES, encoding="utf-8") as lines:
            queries = reviews.read_queries(lines, problems)
        self.assertEqual(problems, [])
        self.assertGreaterEqual(len(queries), 30)
        self.assertEqual(len({q["qid"] for q in queries}), len(queries))
        qrels = reviews.read_qrels_file(reviews.QRELS)
        for query in queries:
            self.assertIn(query["set"], reviews.signals.SETS)
            self.assertTrue(1 <= len(query["query"].split()) <= 4, query)
            self.assertTrue(qrels.get(query["qid"]), query["qid"])
            self.assertTrue(set(qrels[query["qid"]].values()) <= {0, 1, 2, 3})

    def test_held_out_queries_are_well_formed_judged_and_apart(self):
        # The second set (--validation) checks what was chosen on the first: its own query ids, its own qrels,
        # at least 20 queries of 1-4 words, every one graded.
        problems = []
        with open(reviews.VALIDATION_QUERIES, encoding="utf-8") as lines:
            held_out = reviews.read_queries(lines, problems)
        with open(reviews.QUERIES, encoding="utf-8") as lines:
            first = reviews.read_queries(lines)
        self.assertEqual(problems, [])
        self.assertGreaterEqual(len(held_out), 20)
        self.assertEqual(len({q["qid"] for q in held_out}), len(held_out))
        self.assertFalse({q["qid"] for q in held_out} & {q["qid"] for q in first})
        self.assertFalse({q["query"] for q in held_out} & {q["query"] for q in first})
        qrels = reviews.read_qrels_file(reviews.VALIDATION_QRELS)
        self.assertEqual(set(qrels), {q["qid"] for q in held_out})
        for query in held_out:
            self.assertIn(query["set"], reviews.signals.SETS)
            self.assertTrue(1 <= len(query["query"].split()) <= 4, query)
            self.assertTrue(set(qrels[query["qid"]].values()) <= {0, 1, 2, 3})

    def test_grades_join_the_key_and_merge_into_existing_qrels(self):
        with tempfile.TemporaryDirectory() as tmp:
            key, grades, qrels = (os.path.join(tmp, name) for name in ("pool.key", "grades", "qrels"))
            with open(key, "w", encoding="utf-8") as out:
                out.write("P0001\tQ1\tdocB\nP0002\tQ2\tdocA\n")
            with open(qrels, "w", encoding="utf-8") as out:
                out.write("# earlier round\nQ1 0 docA 3\n")
            with open(grades, "w", encoding="utf-8") as out:
                out.write("# my grades\nP0002 0\nP0001 2  # a comment\n")
            self.assertEqual(reviews.grades_to_qrels(grades, key, qrels), 2)
            self.assertEqual(reviews.read_qrels_file(qrels), {"Q1": {"docA": 3, "docB": 2}, "Q2": {"docA": 0}})
            # A pooled review left without a grade, or a grade outside 0-3, is refused (nothing written).
            with open(grades, "w", encoding="utf-8") as out:
                out.write("P0001 2\n")
            with self.assertRaises(ValueError):
                reviews.grades_to_qrels(grades, key, qrels)
            with open(grades, "w", encoding="utf-8") as out:
                out.write("P0001 4\nP0002 1\n")
            with self.assertRaises(ValueError):
                reviews.grades_to_qrels(grades, key, qrels)

    def test_missing_corpora_exit_2_with_one_line(self):
        with tempfile.TemporaryDirectory() as tmp:
            stderr = io.StringIO()
            with contextlib.redirect_stderr(stderr), self.assertRaises(SystemExit) as exit_:
                reviews.main(["--build-dir", tmp, "--data", os.path.join(tmp, "nothing-here")])
            self.assertEqual(exit_.exception.code, 2)
            self.assertEqual(len(stderr.getvalue().splitlines()), 1)
            self.assertIn("eval-reviews: data missing", stderr.getvalue())


def tar_gz(directory, members):
    """A tar.gz of {name: text} under a folder, as the Glasgow archives are laid out."""
    import tarfile
    path = os.path.join(directory, "collection.tar.gz")
    with tarfile.open(path, "w:gz") as tar:
        for name, text in members.items():
            data = text.encode("latin-1")
            info = tarfile.TarInfo(f"coll/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


# Cranfield's layout, cut down by hand: CRLF line ends, the query numbers 001, 002, 004 (003 is absent, as in
# cran.qry), and judgments numbered by query position (cranqrel: query 3 is `.I 004`).
CRAN_QRY = (".I 001\r\n.W\r\nwhat similarity laws must be obeyed\r\n.I 002\r\n.W\r\nstructural and aeroelastic\r\n"
            "problems .\r\n.I 004\r\n.W\r\nwhat problems of heat conduction in\r\ncomposite slabs .\r\n")
CRAN_QREL = "1 184 2\n1 29 -1\n3 485 1\n3 5 4 \n"
CRAN_ALL = (".I 1\n.T\nexperimental wing .\n.A\nbrenckman,m.\n.B\nj. ae. scs. 25, 1958, 324.\n.W\nexperimental wing .\n"
            "  a lift-drag study of a wing\nin a slipstream .\n.I 2\n.T\n.A\n.B\n.W\n.I 3\n.T\nonly a title\n")
# MEDLINE's: no titles, lines padded with blanks, CRLF, TREC judgments.
MED_ALL = (".I 1\r\n.W\r\nheat conduction in composite slabs                  \r\nof steel .   \r\n"
           ".I 2\r\n.W\r\nwing flutter of aircraft .\r\n.I 3\r\n.W\r\nheat of the wing slabs .\r\n")
MED_QRY = ".I 1\n.W\n heat conduction in slabs\n.I 2\n.W\n wing flutter\n"
MED_REL = "1 0 1 1\n2 0 2 1\n"


class SmartCollections(unittest.TestCase):
    def test_records_keep_fields_and_join_lines(self):
        records = smart.read_records(CRAN_ALL.splitlines(keepends=True))
        self.assertEqual([number for number, _ in records], ["1", "2", "3"])
        self.assertEqual(records[0][1]["W"], "experimental wing . a lift-drag study of a wing in a slipstream .")
        self.assertEqual(records[0][1]["A"], "brenckman,m.")
        self.assertEqual(records[1][1], {"T": "", "A": "", "B": "", "W": ""})
        # CRLF and the padding blanks of MEDLINE read as white space.
        med = smart.read_records(MED_ALL.splitlines(keepends=True))
        self.assertEqual(med[0], ("1", {"W": "heat conduction in composite slabs of steel ."}))

    def test_documents_take_the_text_and_report_empty_records(self):
        problems = []
        docs = smart.documents(smart.read_records(CRAN_ALL.splitlines()), problems)
        # Record 2 has nothing (as Cranfield 471 and 995); record 3 has only a title, which becomes its body.
        self.assertEqual(docs, [{"id": "1", "headline": None,
                                 "body": "experimental wing . a lift-drag study of a wing in a slipstream ."},
                                {"id": "3", "headline": None, "body": "only a title"}])
        self.assertEqual(problems, [("2", "no text")])

    def test_cranfield_queries_are_numbered_in_file_order(self):
        records = smart.read_records(CRAN_QRY.splitlines())
        queries = smart.query_records(records, renumber=True)
        self.assertEqual([qid for qid, _ in queries], ["1", "2", "3"])
        # The judgments' query 3 (document 485) is the heat conduction query, written `.I 004`.
        qrels = trec.read_qrels(CRAN_QREL.splitlines())
        self.assertEqual(dict(queries)["3"], "what problems of heat conduction in composite slabs .")
        self.assertIn("485", qrels["3"])
        # Without renumbering (MEDLINE) the `.I` number is the id, leading zeros dropped.
        self.assertEqual([qid for qid, _ in smart.query_records(records)], ["1", "2", "4"])

    def test_cranfield_grades_become_gains_in_reverse_order(self):
        self.assertEqual([smart.cranfield_gain(code) for code in (1, 2, 3, 4, -1, 5, 0)], [4, 3, 2, 1, 0, 0, 0])

    def test_members_are_read_from_the_tar_gz(self):
        with tempfile.TemporaryDirectory() as tmp:
            archive = tar_gz(tmp, {"cran.qry": CRAN_QRY, "cranqrel": CRAN_QREL})
            self.assertEqual(smart.read_member(archive, "cranqrel"), CRAN_QREL)
            with self.assertRaises(KeyError):
                smart.read_member(archive, "cran.all.1400")

    def test_average_precision_counts_unreturned_relevant_documents(self):
        # Relevant d1, d3, d4; run d1, d2, d3 (d4 never returned): AP = (1/1 + 2/3) / 3 = 0.5555...
        run, qrels = run_of("q Q0 d1 1 3 t\nq Q0 d2 2 2 t\nq Q0 d3 3 1 t\n"), qrels_of("q 0 d1 1\nq 0 d3 2\nq 0 d4 1\n")
        self.assertAlmostEqual(metrics.evaluate(run, qrels)["map"], 5 / 9)
        self.assertEqual(metrics.average_precision(["d1"], {"d1": 0}), None)

    def test_fts5_query_and_hyphen_diagnostic(self):
        # Every word quoted and OR-ed: nothing of the text is an FTS5 operator (NOT, brackets, the hyphen).
        self.assertEqual(classic.peers.fts5_or_query("lift-drag ratio (NOT) ."), '"lift" OR "drag" OR "ratio" OR "not"')
        self.assertIsNone(classic.peers.fts5_or_query(" . ? "))
        self.assertEqual(classic.hyphens_as_spaces("lift-drag and non-linear - x"), "lift drag and non linear - x")

    def test_missing_collections_exit_2_with_one_line_naming_the_set(self):
        with tempfile.TemporaryDirectory() as tmp:
            for selection, named, unnamed in (("cranfield,medline", "cran.tar.gz", None),
                                              ("medline", "med.tar.gz", "cran.tar.gz")):
                stderr = io.StringIO()
                with contextlib.redirect_stderr(stderr), self.assertRaises(SystemExit) as exited:
                    classic.main(["--build-dir", tmp, "--data", tmp, "--collections", selection])
                self.assertEqual(exited.exception.code, 2)
                self.assertEqual(len(stderr.getvalue().splitlines()), 1)
                self.assertIn(named, stderr.getvalue())
                if unnamed:
                    self.assertNotIn(unnamed, stderr.getvalue())
            stderr = io.StringIO()
            with contextlib.redirect_stderr(stderr):
                self.assertEqual(classic.main(["--build-dir", tmp, "--data", tmp, "--collections", "cisi"]), 2)
            self.assertIn("unknown collection cisi", stderr.getvalue())

    @pytest.mark.usefixtures("binaries")
    def test_tiny_collection_through_revsearch_and_fts5(self):
        with tempfile.TemporaryDirectory() as work:
            archive = tar_gz(work, {"MED.ALL": MED_ALL, "MED.QRY": MED_QRY, "MED.REL": MED_REL})
            collection = classic.Collection("medline", archive, work, self.revindex)
            self.assertEqual(collection.documents, 3)
            self.assertEqual(collection.qrels, {"1": {"1": 1}, "2": {"2": 1}})
            run_path = os.path.join(work, "run.txt")
            classic.run_revsearch(self.revsearch, collection.db, collection.query_file("all"), [], "t", run_path)
            ours = classic.score(run_path, collection)["all"]
            collection.fts5_run(os.path.join(work, "fts5.txt"))
            fts5 = classic.score(os.path.join(work, "fts5.txt"), collection)["all"]
            # Each query's relevant document shares all its words, the other at most two: both rank it first.
            for scores in (ours, fts5):
                self.assertEqual(scores["queries"], 2)
                self.assertAlmostEqual(scores["ndcg"], 1.0)
                self.assertAlmostEqual(scores["map"], 1.0)
