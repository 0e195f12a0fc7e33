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

/// `qid Q0 docid rank score tag` per hit, docid being the review's id.
void write_trec_run(std::ostream& out, std::string_view query_id, const SearchResult& result,
                    std::string_view run_tag);

}  // namespace revsearch
