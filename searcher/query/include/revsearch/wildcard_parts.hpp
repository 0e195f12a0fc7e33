#pragma once

#include <string>
#include <utility>

#include <xapian.h>

namespace revsearch {

/// The pattern and combiner of an OP_WILDCARD query ("Smovie" and OP_SYNONYM of `Query(WILDCARD SYNONYM Smovie)`).
/// Xapian 1.4 has no accessor for them, so they are read from the query's description; the pattern is empty when
/// the description is not that form (Xapian escapes control bytes and spaces as \x..). Read by the query builder
/// (a wildcard also expands its word's stem) and by the BM25 ceiling (the idf of a wildcard's expansions).
/// tests/unit/query_builder_test.cpp pins it.
std::pair<std::string, Xapian::Query::op> wildcard_parts(const Xapian::Query& wildcard);

}  // namespace revsearch
