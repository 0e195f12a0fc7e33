#pragma once
// Batch evaluation: a file of queries in, a TREC run out (trec_eval / ir_measures format).

#include <istream>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "revsearch/problem.hpp"
#include "revsearch/search.hpp"

namespace revsearch {

struct BatchQuery {
    std::string id;
    std::string text;
};

/// One query a line, either `id<TAB>text` (TSV) or a BEIR queries.jsonl object {"_id": ..., "text": ...},
/// recognised per line by a leading '{'. Blank lines are skipped; a bad line is one Problem and reading goes on.
std::vector<BatchQuery> read_batch_queries(std::istream& in, const std::string& file_name, const ProblemSink& report);

/// What a batch run took, for the summary revsearch prints on stderr at its end.
struct BatchTiming {
    std::vector<double> milliseconds;      ///< each query's search, in the order run
    std::vector<double> cpu_milliseconds;  ///< each query's CPU time (its thread's), in the order run
    double seconds = 0;                    ///< the whole run, output included
    std::size_t warm_up = 0;               ///< the first queries: run, but left out of the percentiles
};

/// The nearest-rank percentile `p` (0 < p <= 100) of `values`: the smallest value at least p % of them do not
/// exceed. 0 for no values.
double percentile(std::vector<double> values, double p);

/// "42 queries in 1.23 s; per query p50 12.3 ms, p95 45.6 ms, max 78.9 ms; CPU p50 1.234 ms, p99 5.678 ms"
/// ("0 queries in 0.00 s" for none; the CPU part only when CPU times were taken). The CPU times are what a
/// benchmark on a shared machine can compare: the wall times include waiting for a core. With a warm-up, the
/// count says so ("42 queries (1 warm-up) in 1.23 s") and the percentiles are of the queries after it: a run's
/// first search costs about twice the same search run second (docs/json-output.md), enough to move a p99.
std::string format_batch_timing(const BatchTiming& timing);

/// `qid Q0 docid rank score tag` per hit, docid being the review's id.
void write_trec_run(std::ostream& out, std::string_view query_id, const SearchResult& result,
                    std::string_view run_tag);

}  // namespace revsearch
