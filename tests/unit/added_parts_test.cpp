// A hit's score parts (added_parts.hpp, Searcher::search): the proximity boost and the expansion terms are parts of
// their own, and the bm25 part is what the words as typed gave, the same as in the search without the addition.

#include <map>
#include <string>

#include <doctest/doctest.h>

#include "search_fixture.hpp"

using namespace search_fixture;

namespace {

std::map<std::string, revsearch::Hit> hits_by_id(const revsearch::SearchResult& result) {
    std::map<std::string, revsearch::Hit> hits;
    for (const auto& hit : result.hits) hits.emplace(hit.id, hit);
    return hits;
}

void check_parts_add_up(const revsearch::SearchResult& result) {
    for (const auto& hit : result.hits) {
        CAPTURE(hit.id);
        const auto& parts = hit.parts;
        CHECK(parts.bm25 + parts.proximity + parts.expansion + parts.helpful + parts.rating ==
              doctest::Approx(hit.score));
    }
}

}  // namespace

TEST_CASE("score parts: the proximity boost is its own part; bm25 is the words' as without it") {
    revsearch::Searcher searcher(pusher_index().path());
    int scattered = 0;
    for (const char* query : {"mads mikkelsen heroin", "the first one was better"}) {  // a long query too
        CAPTURE(query);
        auto request = request_for(query, 1000);
        // Expansion, on for the long query, would draw other terms from the boosted first pass.
        request.expand = revsearch::ExpandWhen::never;
        request.proximity.weight = 0;
        const auto off = searcher.search(request);
        request.proximity.weight = 0.5;
        request.proximity.window = 4;
        request.proximity.common = 1;  // every word pairs: the sample page has 25 reviews, "mads" is in most
        const auto on = searcher.search(request);
        CHECK(on.proximity);
        CHECK_FALSE(off.proximity);
        check_parts_add_up(on);
        const auto without = hits_by_id(off);
        REQUIRE(without.size() == on.hits.size());
        int boosted = 0;
        for (const auto& hit : on.hits) {
            CAPTURE(hit.id);
            const revsearch::Hit& plain = without.at(hit.id);
            CHECK(plain.parts.proximity == 0);
            CHECK(hit.parts.bm25 == doctest::Approx(plain.parts.bm25));
            CHECK(hit.parts.proximity == doctest::Approx(hit.score - plain.score));
            CHECK(hit.parts.proximity >= 0);
            if (hit.parts.proximity > 0) ++boosted;
        }
        CHECK(boosted > 0);
        scattered += static_cast<int>(on.hits.size()) - boosted;
    }
    CHECK(scattered > 0);  // reviews whose words stand apart gain nothing
}

TEST_CASE("score parts: the expansion terms are their own part; a review matched by them alone has no bm25") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("gangster", 1000);  // in 4 of the 25 reviews; expanded, 20
    request.expand = revsearch::ExpandWhen::never;
    const auto typed = hits_by_id(searcher.search(request));
    request.expand = revsearch::ExpandWhen::always;
    const auto expanded = searcher.search(request);
    REQUIRE(expanded.expanded());
    check_parts_add_up(expanded);
    int only_by_expansion = 0;
    for (const auto& hit : expanded.hits) {
        CAPTURE(hit.id);
        CHECK(hit.parts.proximity == 0);
        const auto found = typed.find(hit.id);
        if (found == typed.end()) {
            ++only_by_expansion;
            CHECK(hit.parts.bm25 == doctest::Approx(0).epsilon(1e-9));
            CHECK(hit.parts.expansion > 0);
        } else {
            CHECK(hit.parts.bm25 == doctest::Approx(found->second.parts.bm25));
            CHECK(hit.parts.expansion == doctest::Approx(hit.score - found->second.score));
        }
    }
    CHECK(only_by_expansion > 0);
}
