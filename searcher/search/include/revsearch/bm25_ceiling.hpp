#pragma once
// The BM25 ceiling of a text query: a score no document can reach, known before matching, from the statistics
// Xapian merges over every shard (term frequencies, document count), so one index and the same reviews in shards,
// local or remote, get the same ceiling. The blend's signals are scaled by it (ranking.hpp, docs/ranking.md).

#include <xapian.h>

#include "revsearch/ranking.hpp"

namespace revsearch {

/// Σ over the query's weighted term leaves of Xapian's BM25 term weight as the wdf grows without bound:
/// scale · (k1 + 1) · log(idf ratio) · (k3 + 1)·wqf / (k3 + wqf), with BM25Weight's own idf (a term in more
/// than a third of the documents has its ratio r replaced by r/2 + 1). A document's BM25 part for a term is that
/// times wdf / (K + wdf) < 1, so the sum bounds every score. What weighs nothing adds nothing: the excluded side
/// of AND_NOT, the filter side of FILTER, value ranges, terms that match no document. OP_MAX takes its largest
/// part; a wildcard is bounded by its most frequent expansion (a synonym's frequency is at least that term's).
/// 0 for a query with no weighted term (filters only).
double bm25_ceiling(const Xapian::Database& database, const Xapian::Query& query, const RankingParams& params);

}  // namespace revsearch
