#include <doctest/doctest.h>

#include <set>
#include <string>

#include "revsearch/review_id.hpp"

using revsearch::content_hash;
using revsearch::review_id;

// The pinned values below are what XXH3 gives for the documented key layout (kind, then each part, joined by
// U+001F), computed with libxxhash directly. If one changes, every id in every existing index changes with it:
// that has to be a deliberate, announced decision, never a side effect.
TEST_CASE("review_id: pinned value for a known key") {
    CHECK(review_id("imdb", {"Pusher II (2004)", "UlrikSander"}) == "cd9b5478b1ac65d2");
    CHECK(review_id("amazon", {"Pusher II (2004)", "UlrikSander"}) == "a7379e9dea29a025");
}

TEST_CASE("review_id: 16 lower-case hex digits, the same on every call") {
    const std::string id = review_id("imdb", {"Pusher II (2004)", "robo8"});
    CHECK(id.size() == 16);
    CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    CHECK(review_id("imdb", {"Pusher II (2004)", "robo8"}) == id);
}

TEST_CASE("review_id: different kinds never collide for the same key") {
    std::set<std::string> ids;
    for (const char* kind : {"imdb", "jsonl", "mcauley", "blitzer", "csv", "amazon"}) {
        ids.insert(review_id(kind, {"B000123", "A1XYZ"}));
    }
    CHECK(ids.size() == 6);
}

TEST_CASE("review_id: the parts are kept apart and taken as spelled") {
    struct Row {
        std::string_view a1, a2, b1, b2;
    };
    const Row rows[] = {
        {"ab", "c", "a", "bc"},                     // moving the boundary between parts
        {"Pusher II (2004)", "robo8", "Pusher II (2004)", "Robo8"},  // no case folding
        {"Pusher II (2004)", "robo8", "Pusher II (2004)", "robo8 "},  // no trimming
        {"", "x", "x", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.a1);
        CAPTURE(row.b2);
        CHECK(review_id("imdb", {row.a1, row.a2}) != review_id("imdb", {row.b1, row.b2}));
    }
    // The kind is a part of its own too: ("imdb", "x") is not ("imd", "bx").
    CHECK(review_id("imdb", {"x"}) != review_id("imd", {"bx"}));
}

TEST_CASE("content_hash: XXH3-128 in canonical order") {
    // XXH3-128 of the empty input, from xxHash's own sanity tests (high half 0x99AA06D3014798D8,
    // low half 0x6001C324468D497F).
    CHECK(content_hash("") == "99aa06d3014798d86001c324468d497f");
    CHECK(content_hash("abc") == "06b05ab6733a618578af5f94892f3950");
    CHECK(content_hash("abc") != content_hash("abd"));
}
