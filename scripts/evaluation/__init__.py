"""Relevance evaluation of revsearch runs (python3 stdlib only): TREC runs and qrels, trec_eval's nDCG@k and
Recall@k, the BEIR corpus converter and the tune/test query split. The one command is scripts/eval."""
