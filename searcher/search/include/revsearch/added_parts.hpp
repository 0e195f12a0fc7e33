#pragma once
// What the optional additions of a query (proximity pairs, expansion terms) added to each hit's score, so that a
// hit's parts (--explain, JSON `parts`) name them instead of counting them as the words' BM25.

#include <string>
#include <unordered_map>
#include <vector>

#include <xapian.h>

namespace revsearch {

/// The weight `addition` gave each of the reviews whose id terms are given: it is searched among those reviews
/// alone, each of its subqueries (when it is an OP_OR) on the optional side of its own OP_AND_MAYBE, as
/// with_proximity joins the pairs, over a base that weighs nothing. Xapian adds the two sides of OP_AND_MAYBE, so
/// each review gets what the addition gave it in the whole query; exact for BM25 and BM25+, whose term weights
/// depend on the collection's statistics and the term's own query frequency, not on the rest of the query.
/// Keyed by the docids of `database`; a review the addition did not reach is left out.
std::unordered_map<Xapian::docid, double> added_weights(const Xapian::Database& database,
                                                        const Xapian::Query& addition,
                                                        const std::vector<std::string>& id_terms,
                                                        const Xapian::Weight& weight);

}  // namespace revsearch
