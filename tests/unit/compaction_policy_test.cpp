// When `revindex add` compacts after its run (revsearch/compaction_policy.hpp, docs/indexing.md).

#include <doctest/doctest.h>

#include "revsearch/compaction_policy.hpp"

using revsearch::CompactAfterAdd;
using revsearch::should_compact_after_add;

TEST_CASE("add compacts after a run that wrote at least half of the index and at least 5,000 reviews") {
    // A first load of 10,000 reviews (the benchmark's batches), and a run that doubles the index.
    CHECK(should_compact_after_add(CompactAfterAdd::automatic, 10000, 10000));
    CHECK(should_compact_after_add(CompactAfterAdd::automatic, 5000, 10000));
    CHECK(should_compact_after_add(CompactAfterAdd::automatic, 5000, 5000));
    // A small share of a big index: its blocks would split again at the next add (docs/benchmarks.md).
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::automatic, 4999, 9998 + 2));
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::automatic, 1000, 1000000));
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::automatic, 6000, 12001));
    // A small index, whatever the share: a few MB saved are not worth a generation switch.
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::automatic, 4999, 4999));
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::automatic, 0, 0));
}

TEST_CASE("--compact always compacts after any run that wrote a review, never after none") {
    CHECK(should_compact_after_add(CompactAfterAdd::always, 1, 1000000));
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::always, 0, 1000000));
    CHECK_FALSE(should_compact_after_add(CompactAfterAdd::never, 10000, 10000));
}
