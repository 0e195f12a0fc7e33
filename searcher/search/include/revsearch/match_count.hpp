#pragma once
// How many reviews a query matches: the count a search prints (docs/query-syntax.md, "Counts").

#include <utility>

#include <xapian.h>

namespace revsearch {

/// Matches are counted exactly up to this many distinct texts: a result of up to this many matches says its exact
/// count, the same whatever --limit, and a larger one an estimate from the same sample whatever --limit. 2,000
/// keeps the counts of ordinary searches (hundreds to a thousand or two matches) exact; docs/query-syntax.md,
/// "Counts", has the cost.
inline constexpr Xapian::doccount count_exactly_up_to = 2000;

/// An Enquire that only asks which documents match: no weights, document order, one per text when `collapse`.
Xapian::Enquire membership_enquire(const Xapian::Database& database, const Xapian::Query& query, bool collapse);

/// The count of the query's matches, each text once when `collapse` (copies share the body hash), and whether it is
/// exact: exact up to count_exactly_up_to, estimated beyond.
std::pair<Xapian::doccount, bool> count_matches(const Xapian::Database& database, const Xapian::Query& query,
                                                bool collapse);

/// count_matches as it was before the match decider: the boolean pass with Xapian's collapse key, keeping
/// count_exactly_up_to matches. What remote shards use (their backend takes no match decider); the tests
/// compare the two.
std::pair<Xapian::doccount, bool> count_matches_by_collapsing(const Xapian::Database& database,
                                                              const Xapian::Query& query);

}  // namespace revsearch
