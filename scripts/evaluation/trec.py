"""TREC run and qrels files -> plain dicts, read the way trec_eval reads them.

Run lines: `qid Q0 docid rank score tag` (white space separated). trec_eval ignores the rank column and orders
each query's documents by score, descending, ties broken by docid in *descending* string order (trec_eval 9.0.7,
form_res_rels.c: comp_sim_docno); ranked() does the same, so a run ranks identically here and in trec_eval.

Qrels: BEIR's TSV (`query-id<TAB>corpus-id<TAB>score` after a header line) or TREC's four columns
(`qid iter docid rel`). A bad line is reported as (line number, reason) and skipped; reading goes on.
"""


def read_run(lines, problems=None):
    """Lines of a TREC run -> {qid: {docid: score}}. A docid listed twice for one query keeps its best score
    (trec_eval would refuse the file; a search engine that collapses nothing should never produce one)."""
    run = {}
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) != 6:
            _report(problems, number, "expected 6 columns: qid Q0 docid rank score tag")
            continue
        qid, _, docid, _, score_text, _ = fields
        try:
            score = float(score_text)
        except ValueError:
            _report(problems, number, f"score is not a number: {score_text!r}")
            continue
        docs = run.setdefault(qid, {})
        if docid in docs:
            _report(problems, number, f"{docid} listed twice for query {qid}")
            score = max(score, docs[docid])
        docs[docid] = score
    return run


def read_qrels(lines, problems=None):
    """Lines of BEIR or TREC qrels -> {qid: {docid: rel}} (every judgement, also rel 0)."""
    qrels = {}
    for number, line in enumerate(lines, 1):
        fields = line.split()
        if not fields:
            continue
        if len(fields) == 3:
            qid, docid, rel_text = fields
        elif len(fields) == 4:
            qid, _, docid, rel_text = fields
        else:
            _report(problems, number, "expected qid docid rel (BEIR) or qid iter docid rel (TREC)")
            continue
        try:
            rel = int(rel_text)
        except ValueError:
            if number == 1:  # BEIR's header: query-id corpus-id score
                continue
            _report(problems, number, f"relevance is not an integer: {rel_text!r}")
            continue
        qrels.setdefault(qid, {})[docid] = rel
    return qrels


def ranked(docs):
    """{docid: score} -> docids in trec_eval's order: score descending, then docid descending."""
    return [docid for docid, _ in sorted(docs.items(), key=lambda item: (item[1], item[0]), reverse=True)]


def remove_own_documents(run):
    """BEIR's convention for ArguAna (beir/retrieval/evaluation.py, ignore_identical_ids; Anserini's
    -removeQuery): a query that is itself a corpus document would find itself first, so a document whose id is
    the query's id is dropped from that query's ranking before any cut-off. Returns a new run."""
    return {qid: {docid: score for docid, score in docs.items() if docid != qid} for qid, docs in run.items()}


def _report(problems, number, reason):
    if problems is not None:
        problems.append((number, reason))
