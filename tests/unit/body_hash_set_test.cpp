#include <doctest/doctest.h>

#include <cstdint>
#include <random>
#include <set>

#include "revsearch/body_hash_set.hpp"

// The count pass's set of body hashes (match_count.cpp): each key accepted once, also past the size it was made
// for (shards are counted to the end) and for keys that differ in one half only or share their table slot.

TEST_CASE("BodyHashSet: each key once, like std::set, within and past its expected size") {
    for (const std::size_t expected : {std::size_t{0}, std::size_t{16}, std::size_t{2000}}) {
        CAPTURE(expected);
        revsearch::BodyHashSet set(expected);
        std::set<revsearch::BodyHashSet::Key> reference;
        std::mt19937_64 random(42);
        for (int i = 0; i < 20000; ++i) {
            // Half the keys drawn from a small pool (copies), half new; some differ from a pooled one in one half.
            revsearch::BodyHashSet::Key key{random() % 3000, random() % 2};
            if (i % 2 == 1) key = {random(), random()};
            if (i % 7 == 0) key.second = ~key.second;
            CHECK(set.insert(key) == reference.insert(key).second);
        }
        CHECK(set.size() == reference.size());
    }
}

TEST_CASE("BodyHashSet: keys equal in either half are told apart") {
    revsearch::BodyHashSet set(4);
    CHECK(set.insert({1, 2}));
    CHECK(set.insert({2, 1}));
    CHECK(set.insert({1, 3}));
    CHECK(set.insert({0, 2}));
    CHECK_FALSE(set.insert({1, 2}));
    CHECK(set.insert({0, 0}));
    CHECK_FALSE(set.insert({0, 0}));
    CHECK(set.size() == 5);
}
