// The proximity boost (searcher/search/proximity.hpp): which typed words pair up, the query it builds, its
// settings, and what it does to a search (the same matches, adjacent words first).

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>

#include "revsearch/proximity.hpp"
#include "revsearch/query_builder.hpp"
#include "revsearch/ranking.hpp"
#include "search_fixture.hpp"

using namespace search_fixture;

namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs pairs_of(const std::string& text, bool plain = false) {
    Xapian::Database database(pusher_index().path());
    revsearch::QueryBuilder builder(database);
    return revsearch::adjacent_word_pairs(builder.parse(text, revsearch::MatchMode::any, plain).query);
}

std::string pairs_text(const Pairs& pairs) {
    std::string text;
    for (const auto& pair : pairs) text += (text.empty() ? "" : " ") + pair.first + "+" + pair.second;
    return text;
}

}  // namespace

TEST_CASE("proximity: the pairs of bare words typed side by side") {
    struct Row {
        const char* query;
        const char* pairs;  // first+second, in the order typed
        bool plain = false;
    };
    const Row rows[] = {
        {"heroin toilet", "heroin+toilet"},
        {"great coffee cake", "great+coffe coffe+cake"},  // stems, as the index holds them
        {"heroin", ""},
        {"Heroin Toilet", "heroin+toilet"},
        {"heroin AND toilet", "heroin+toilet"},  // an AND of bare words is typed words too
        {"heroin toilet -drugs", "heroin+toilet"},  // the excluded word is no part of it
        {"heroin NOT toilet", ""},
        {"\"once were warriors\"", ""},  // a phrase is proximity already
        {"\"once were\" warriors heroin", "warrior+heroin"},  // the phrase breaks the run; after it, pairs again
        {"heroin \"once were\" warriors", ""},
        {"headline:warriors heroin toilet", "heroin+toilet"},  // a field word is no bare word
        {"heroin warrior* toilet", ""},  // nor a wildcard
        {"heroin NEAR toilet", ""},
        {"heroin heroin toilet", "heroin+toilet"},  // a repeat is merged into its first place; no pair of one word
        {"heroin toilet heroin toilet", "heroin+toilet"},  // each pair once
        {"lift-drag ratio", "lift+drag drag+ratio"},  // a hyphen between letters separates words
        {"heroin AND toilet", "heroin+and and+toilet", true},  // --plain: AND is a word
        {"heroin toilet rating:8..10", "heroin+toilet"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.query);
        CHECK(pairs_text(pairs_of(row.query, row.plain)) == row.pairs);
    }
}

TEST_CASE("proximity: a common word pairs with nothing, and its neighbours pair across it") {
    Xapian::Database database(pusher_index().path());
    revsearch::QueryBuilder builder(database);
    const auto common = [](const std::string& word) { return word == "of" || word == "the"; };
    struct Row {
        const char* query;
        const char* pairs;
    };
    const Row rows[] = {
        {"models of heated aircraft", "model+heat heat+aircraft"},
        {"the heroin of the toilet", "heroin+toilet"},
        {"of the", ""},
        {"heroin of \"once were\" the toilet", ""},  // a phrase still breaks the run
    };
    for (const auto& row : rows) {
        CAPTURE(row.query);
        CHECK(pairs_text(revsearch::adjacent_word_pairs(builder.parse(row.query).query, common)) == row.pairs);
    }
    // proximity_boost takes "common" from the documents: "the" is in every review of the sample page.
    revsearch::ProximityParams params;
    params.weight = 1;
    params.common = 0.5;
    CHECK(revsearch::proximity_boost(database, builder.parse("the heroin").query, params).empty());
    params.common = 1;
    CHECK(!revsearch::proximity_boost(database, builder.parse("the heroin").query, params).empty());
}

TEST_CASE("proximity: at most max_proximity_pairs pairs, the first typed") {
    std::string text;
    for (std::size_t i = 0; i < revsearch::max_proximity_pairs + 10; ++i) text += fmt::format("w{}x ", i);
    const Pairs pairs = pairs_of(text);
    REQUIRE(pairs.size() == revsearch::max_proximity_pairs);
    CHECK(pairs.front() == std::pair<std::string, std::string>("w0x", "w1x"));
}

TEST_CASE("proximity: the boost query is stock operators, and nothing when off or without a pair") {
    Xapian::Database database(pusher_index().path());
    revsearch::QueryBuilder builder(database);
    const Xapian::Query words = builder.parse("heroin toilet drugs").query;
    struct Row {
        const char* spec;
        const char* description;
    };
    const Row rows[] = {
        {"weight=0.5,window=2", "Query((0.5 * (heroin NEAR 2 toilet) OR 0.5 * (toilet NEAR 2 drug)))"},
        {"weight=1,window=4,order=typed", "Query((1 * (heroin PHRASE 4 toilet) OR 1 * (toilet PHRASE 4 drug)))"},
        {"off", "Query()"},
        {"weight=0", "Query()"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.spec);
        revsearch::ProximityParams params;
        params.weight = 1;
        revsearch::apply_proximity_spec(params, row.spec);
        CHECK(revsearch::proximity_boost(database, words, params).get_description() == row.description);
    }
    revsearch::ProximityParams on;
    on.weight = 1;
    CHECK(revsearch::proximity_boost(database, builder.parse("heroin").query, on).empty());
    CHECK(revsearch::with_proximity(words, Xapian::Query()).get_description() == words.get_description());
    const Xapian::Query boosted = revsearch::with_proximity(words, revsearch::proximity_boost(database, words, on));
    CHECK(boosted.get_description() ==
          "Query((((heroin@1 OR toilet@2 OR drug@3) AND_MAYBE 1 * (heroin NEAR 2 toilet)) AND_MAYBE 1 * (toilet NEAR 2 drug)))");
    // A query serialises and comes back the same: what a remote shard receives.
    CHECK(Xapian::Query::unserialise(boosted.serialise()).get_description() == boosted.get_description());
}

TEST_CASE("proximity: settings, and what a bad one says") {
    struct Good {
        const char* spec;
        const char* read_back;
    };
    const Good good[] = {
        {"weight=0.5,window=3", "weight=0.5,window=3,order=any,common=0.5"},
        {"window=5", "weight=1,window=5,order=any,common=0.5"},
        {"order=typed", "weight=1,window=2,order=typed,common=0.5"},
        {"common=0.1", "weight=1,window=2,order=any,common=0.1"},
        {"off", "off"},
        {"weight=0", "off"},
    };
    for (const auto& row : good) {
        CAPTURE(row.spec);
        revsearch::ProximityParams params;
        params.weight = 1;
        params.window = 2;
        params.common = 0.5;
        revsearch::apply_proximity_spec(params, row.spec);
        CHECK(revsearch::proximity_spec(params) == row.read_back);
    }
    struct Bad {
        const char* spec;
        const char* message;
    };
    const Bad bad[] = {
        {"", "empty setting"},
        {"weight", "expected key=value, got \"weight\""},
        {"weight=-1", "weight must be between 0 and 10"},
        {"weight=abc", "\"weight\" needs a number, not \"abc\""},
        {"window=1", "window takes a whole number of positions from 2 to 50"},
        {"window=2.5", "window takes a whole number of positions from 2 to 50"},
        {"order=reverse", "order takes any or typed, not \"reverse\""},
        {"distance=3", "unknown setting \"distance\" (weight, window, order, common; or off)"},
        {"common=0", "common takes a share of the documents, above 0 and at most 1"},
        {"common=1.5", "common takes a share of the documents, above 0 and at most 1"},
    };
    for (const auto& row : bad) {
        CAPTURE(row.spec);
        revsearch::ProximityParams params;
        CHECK_THROWS_WITH_AS(revsearch::apply_proximity_spec(params, row.spec), row.message, std::invalid_argument);
    }
}

namespace {

/// Reviews with the two words side by side, with them far apart (shorter by two words), and others, so that
/// neither word is in more than half of them.
const std::vector<Review>& coffee_cake_reviews() {
    static const std::vector<Review> reviews = [] {
        auto review = [](std::string id, std::string body) {
            Review r;
            r.id = std::move(id);
            r.body = std::move(body);
            return r;
        };
        return std::vector<Review>{
            review("adjacent", "this coffee cake was moist and sweet and we ate all of it by noon today"),
            review("scattered", "the coffee was bitter and the service slow though the cake itself was fine"),
            review("neither", "a plain loaf of bread with butter and jam served warm at the corner cafe"),
            review("tea", "green tea steeped too long turns bitter so mind the timer"),
            review("soup", "the soup was thin and cold by the time it reached the table"),
        };
    }();
    return reviews;
}

std::vector<std::string> ranked_ids(const revsearch::SearchResult& result) {
    std::vector<std::string> ids;
    for (const auto& hit : result.hits) ids.push_back(hit.id);
    return ids;
}

}  // namespace

TEST_CASE("proximity: the words side by side rank first, the matches stay the same") {
    const TempIndex index(coffee_cake_reviews());
    revsearch::Searcher searcher(index.path());
    auto request = request_for("coffee cake");
    request.proximity.weight = 0;
    const auto off = searcher.search(request);
    request.proximity.weight = 0.5;
    const auto on = searcher.search(request);
    // Without the boost the shorter review wins on BM25; with it, the one that says "coffee cake".
    CHECK(ranked_ids(off) == std::vector<std::string>{"scattered", "adjacent"});
    CHECK(ranked_ids(on) == std::vector<std::string>{"adjacent", "scattered"});
    REQUIRE(off.hits.size() == 2);
    CHECK(on.hits[0].score > off.hits[1].score);                   // adjacent: its BM25 and the boost
    CHECK(on.hits[1].score == doctest::Approx(off.hits[0].score));  // scattered: nothing added
    CHECK(on.scale.helpful == doctest::Approx(off.scale.helpful));    // the signals' unit is the words' alone
}

TEST_CASE("proximity: the boost never adds or removes a match") {
    revsearch::Searcher searcher(pusher_index().path());
    const char* queries[] = {"heroin toilet", "mads mikkelsen", "the first one", "pusher -drugs film",
                             "\"once were warriors\" pusher", "great movie rating:8..10"};
    for (const char* query : queries) {
        CAPTURE(query);
        auto request = request_for(query, 1000);
        request.proximity.weight = 0;
        const auto off = author_set(searcher.search(request));
        request.proximity.weight = 2;
        request.proximity.window = 8;
        CHECK(author_set(searcher.search(request)) == off);
    }
}

TEST_CASE("proximity: each review gains exactly W times the weight of each of its close pairs") {
    // Xapian 1.4.22 weighs an OR of OP_NEARs on the optional side of OP_AND_MAYBE wrongly for some documents, so
    // with_proximity chains one OP_AND_MAYBE per pair; this checks the sum against each part searched alone.
    Xapian::Database database(pusher_index().path());
    revsearch::QueryBuilder builder(database);
    revsearch::ProximityParams params;
    params.weight = 0.5;
    params.window = 4;
    params.common = 1;  // every word pairs, "the" too: the most pairs the sample page can give
    const revsearch::RankingParams ranking;
    auto weights_of = [&](const Xapian::Query& query) {
        Xapian::Enquire enquire(database);
        enquire.set_weighting_scheme(*revsearch::make_weight(ranking, database));
        enquire.set_query(query);
        std::map<Xapian::docid, double> weights;
        const Xapian::MSet all = enquire.get_mset(0, database.get_doccount());
        for (auto it = all.begin(); it != all.end(); ++it) weights[*it] = it.get_weight();
        return weights;
    };
    for (const char* text : {"mads mikkelsen heroin", "the first one was better", "good film about drugs and the city"}) {
        CAPTURE(text);
        const Xapian::Query words = builder.parse(text).query;
        const Xapian::Query boost = revsearch::proximity_boost(database, words, params);
        REQUIRE(boost.get_type() == Xapian::Query::OP_OR);
        auto expected = weights_of(words);
        for (std::size_t i = 0; i < boost.get_num_subqueries(); ++i)
            for (const auto& [docid, weight] : weights_of(boost.get_subquery(i))) expected[docid] += weight;
        const auto combined = weights_of(revsearch::with_proximity(words, boost));
        CHECK(combined.size() == weights_of(words).size());
        for (const auto& entry : combined) {
            const Xapian::docid docid = entry.first;  // not a structured binding: clang 14 cannot CAPTURE one
            CAPTURE(docid);
            CHECK(entry.second == doctest::Approx(expected[docid]));
        }
    }
}
