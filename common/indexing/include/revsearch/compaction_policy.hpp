#pragma once
// When `revindex add` compacts the index it has just written (docs/indexing.md, "Compaction after a large add").
//
// Why: an add commits file by file, and Xapian's copy-on-write B-tree leaves its blocks part empty at each commit:
// 10,000 aclImdb reviews in 20 batch files take 6.37 times their text, the same index compacted 3.24
// (docs/benchmarks.md, "Index size"; the position table alone 3.56 -> 1.53). Compacting costs about 1 CPU
// second per 10,000 reviews (Database::compact and Xapian's check of every table, before and after), 7% of the
// add, and what it saves lasts until the index is written again: two more adds of 500 reviews brought the
// compacted index back to 6.85 times (full blocks split on the next write). So an add compacts when what it
// wrote is a large share of the index, as a log-structured merge policy does: a first load, a run that doubles
// the index. Each such compaction follows at least a doubling, so their total cost stays within twice that of
// compacting the final index once.

#include <cstddef>

namespace revsearch {

enum class CompactAfterAdd {
    automatic,  ///< the policy below (the default)
    always,     ///< after every add that wrote something
    never,      ///< leave it to `revindex compact` / `rebuild`
};

/// The run must have written at least half of the documents the index holds after it, and at least this many:
/// below it the space saved is a few MB (about 4 KB per aclImdb review) and the generation switch is not worth it.
inline constexpr std::size_t compact_min_documents = 5000;

/// `written`: documents this run added or replaced; `documents`: the index's documents after the run.
inline bool should_compact_after_add(CompactAfterAdd mode, std::size_t written, std::size_t documents) {
    switch (mode) {
        case CompactAfterAdd::never: return false;
        case CompactAfterAdd::always: return written > 0;
        case CompactAfterAdd::automatic:
            return written >= compact_min_documents && 2 * written >= documents;
    }
    return false;
}

}  // namespace revsearch
