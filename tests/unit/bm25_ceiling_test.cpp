#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "revsearch/bm25_ceiling.hpp"
#include "revsearch/query_builder.hpp"
#include "revsearch/ranking.hpp"
#include "revsearch/schema.hpp"
#include "search_fixture.hpp"

using revsearch::RankingParams;
using namespace search_fixture;

namespace {

Review generated(int number, const std::string& body, int yes, int total, double rating) {
    Review review;
    review.id = "gen-" + std::to_string(number);
    review.body = body;
    review.headline = "review " + std::to_string(number);
    review.helpful_yes = yes;
    review.helpful_total = total;
    review.rating = rating;
    review.rating_max = 10;
    return review;
}

/// A deterministic index of `count` short reviews over a small vocabulary: "common" in every other review,
/// "rare" in every 50th, one review saying "common" 400 times; votes and ratings spread over their ranges.
std::vector<Review> generated_reviews(int count) {
    static const char* const filler[] = {"plot", "actor", "scene", "music", "ending", "camera", "story", "dialogue"};
    std::vector<Review> reviews;
    unsigned state = 12345;
    auto next = [&] { return state = state * 1103515245u + 12345u, (state >> 16) & 0x7fff; };
    for (int i = 0; i < count; ++i) {
        std::string body;
        const unsigned words = 5 + next() % 40;
        for (unsigned w = 0; w < words; ++w) body += std::string(filler[next() % 8]) + " ";
        if (i % 2 == 0) body += "common ";
        if (i % 50 == 0) body += "rare ";
        if (i == 777)
            for (int r = 0; r < 400; ++r) body += "common ";
        const int total = static_cast<int>(next() % 60);
        reviews.push_back(generated(i, body, total ? static_cast<int>(next() % (total + 1)) : 0, total,
                                    1 + next() % 10));
    }
    return reviews;
}

const TempIndex& generated_index() {
    static const TempIndex index(generated_reviews(4000));
    return index;
}

double best_score(const Xapian::Database& database, const Xapian::Query& query, const RankingParams& params) {
    Xapian::Enquire enquire(database);
    enquire.set_query(query);
    enquire.set_weighting_scheme(*revsearch::make_weight(params, database));
    return enquire.get_mset(0, 1).get_max_attained();
}

Xapian::Query parsed(const Xapian::Database& database, const std::string& text) {
    return revsearch::QueryBuilder(database).parse(text, revsearch::MatchMode::any).query;
}

/// Counts the documents whose weight passed the matcher's minimum (it calls a match decider after that check).
struct CountingDecider : Xapian::MatchDecider {
    mutable Xapian::doccount seen = 0;
    bool operator()(const Xapian::Document&) const override {
        ++seen;
        return true;
    }
};

}  // namespace

TEST_CASE("bm25 ceiling: no document scores above it, and a document saying the word 400 times comes close") {
    Xapian::Database database(generated_index().path());
    RankingParams params;
    const double ceiling = revsearch::bm25_ceiling(database, parsed(database, "common"), params);
    const double best = best_score(database, parsed(database, "common"), params);
    CHECK(best <= ceiling);
    CHECK(best >= 0.95 * ceiling);  // wdf 400: 400 / (K + 400) with K about 1 to 3
    // The same for the other parameters and for a rare word (idf above the "more than a third" branch).
    params.k1 = 2.0;
    params.b = 0.3;
    CHECK(best_score(database, parsed(database, "common"), params) <=
          revsearch::bm25_ceiling(database, parsed(database, "common"), params));
    for (const char* text : {"rare", "rare common", "\"common rare\"", "rare rare", "rare -plot", "comm*",
                             "headline:review rare", "nosuchword"}) {
        const std::string query_text = text;
        CAPTURE(query_text);
        const auto query = parsed(database, text);
        CHECK(best_score(database, query, params) <= revsearch::bm25_ceiling(database, query, params) + 1e-12);
    }
}

TEST_CASE("bm25 ceiling: what weighs nothing adds nothing, a repeated word counts twice") {
    Xapian::Database database(generated_index().path());
    RankingParams params;
    const double rare = revsearch::bm25_ceiling(database, parsed(database, "rare"), params);
    CHECK(rare > 0);
    CHECK(revsearch::bm25_ceiling(database, parsed(database, "rare -plot"), params) == doctest::Approx(rare));
    CHECK(revsearch::bm25_ceiling(database, parsed(database, "rare nosuchword"), params) == doctest::Approx(rare));
    CHECK(revsearch::bm25_ceiling(database, parsed(database, "rare rare"), params) == doctest::Approx(2 * rare));
    revsearch::QueryBuilder builder(database);
    revsearch::Filters filters;
    filters.min_rating = revsearch::RatingBound{5};
    CHECK(revsearch::bm25_ceiling(database, builder.apply_filters(parsed(database, "rare"), filters), params) ==
          doctest::Approx(rare));
    CHECK(revsearch::bm25_ceiling(database, parsed(database, ""), params) == 0);  // filters only
}

TEST_CASE("bm25 ceiling: the same on one index and on the same reviews in shards") {
    const auto reviews = generated_reviews(600);
    std::vector<Review> even, odd;
    for (std::size_t i = 0; i < reviews.size(); ++i) (i % 3 == 0 ? even : odd).push_back(reviews[i]);
    TempIndex whole(reviews), first(even), second(odd);
    Xapian::Database one(whole.path());
    Xapian::Database shards(first.path());
    shards.add_database(Xapian::Database(second.path()));
    RankingParams params;
    for (const char* text : {"common", "rare common", "\"common rare\" music", "comm* rare", "rare -plot"}) {
        const std::string query_text = text;
        CAPTURE(query_text);
        CHECK(revsearch::bm25_ceiling(one, parsed(one, text), params) ==
              doctest::Approx(revsearch::bm25_ceiling(shards, parsed(shards, text), params)).epsilon(1e-12));
    }
}

// Xapian raises its minimum weight once the page is full and then skips what cannot reach it; the documents that
// pass that bound reach the match decider. The text postlists' own candidates are not counted here: each of them
// still costs the blend a lookup in each signal's value stream (docs/ranking.md, "Cost").
TEST_CASE("ranking: the blend keeps Xapian's pruning: plain and blended top 10 weigh in a similar number of documents") {
    Xapian::Database database(generated_index().path());
    RankingParams params;
    for (const char* text : {"common", "common music", "common rare story"}) {
        const std::string query_text = text;
        CAPTURE(query_text);
        const auto text_query = parsed(database, text);
        const auto scale =
            revsearch::relative_signal_scale(params, revsearch::bm25_ceiling(database, text_query, params));
        Xapian::Enquire enquire(database);
        enquire.set_weighting_scheme(*revsearch::make_weight(params, database));
        CountingDecider plain_seen, blend_seen;
        enquire.set_query(text_query);
        const auto plain = enquire.get_mset(0, 10, 0, nullptr, &plain_seen);
        enquire.set_query(revsearch::blend_signals(text_query, scale));
        const auto blend = enquire.get_mset(0, 10, 0, nullptr, &blend_seen);
        Xapian::Enquire every(database);
        every.set_query(text_query);
        const Xapian::doccount matches = every.get_mset(0, database.get_doccount()).size();
        MESSAGE(query_text << ": " << matches << " matches, plain weighed in " << plain_seen.seen << ", blend "
                           << blend_seen.seen);
        CHECK(plain.size() == 10);
        CHECK(blend.size() == 10);
        CHECK(blend_seen.seen < matches / 2);
        CHECK(blend_seen.seen <= 2 * plain_seen.seen + 10);
    }
}

// The default weights read one value stream (schema::prior_signal, whole steps) instead of two: the same ranking
// as the two slots weighed at query time, but for reviews whose scores differ by less than the rounding (issue 19).
TEST_CASE("ranking: with the default weights the prior slot ranks as the two signal slots do") {
    Xapian::Database database(generated_index().path());
    RankingParams params;
    for (const char* text : {"common", "common music", "rare story", "\"common rare\" plot"}) {
        const std::string query_text = text;
        CAPTURE(query_text);
        const auto text_query = parsed(database, text);
        const double ceiling = revsearch::bm25_ceiling(database, text_query, params);
        const auto scale = revsearch::relative_signal_scale(params, ceiling);
        REQUIRE(scale.prior > 0);
        auto two_slots = scale;
        two_slots.prior = 0;
        const auto one_stream = revsearch::blend_signals(text_query, scale).get_description();
        CHECK(one_stream.find("ValueWeightPostingSource(slot=" + std::to_string(revsearch::schema::prior_signal)) !=
              std::string::npos);
        CHECK(one_stream.find("slot=" + std::to_string(revsearch::schema::helpful_signal) + ")") == std::string::npos);
        Xapian::Enquire enquire(database);
        enquire.set_weighting_scheme(*revsearch::make_weight(params, database));
        enquire.set_query(revsearch::blend_signals(text_query, two_slots));
        const auto separate = enquire.get_mset(0, database.get_doccount());
        std::map<Xapian::docid, double> exact;
        for (auto it = separate.begin(); it != separate.end(); ++it) exact[*it] = it.get_weight();
        enquire.set_query(revsearch::blend_signals(text_query, scale));
        const auto prior = enquire.get_mset(0, 30);
        REQUIRE(prior.size() == 30);
        const double rounding = ceiling * revsearch::prior_step / 2 + 1e-9;
        double previous = prior[0].get_weight() + 1;
        for (auto it = prior.begin(); it != prior.end(); ++it) {
            REQUIRE(exact.count(*it));
            CHECK(std::abs(it.get_weight() - exact[*it]) <= rounding);
            CHECK(exact[*it] <= previous + 2 * rounding);  // in the exact order, but for rounding
            previous = exact[*it];
            const auto parts = revsearch::split_score(it.get_weight(), database.get_document(*it), scale);
            const auto exact_parts = revsearch::split_score(exact[*it], database.get_document(*it), two_slots);
            CHECK(std::abs(parts.bm25 - exact_parts.bm25) <= 1e-9);
            CHECK(std::abs(parts.helpful - exact_parts.helpful) <= rounding);
        }
        // The page's last score, what the 31st review needs to enter, is the same but for rounding too.
        CHECK(std::abs(prior[29].get_weight() - separate[29].get_weight()) <= 2 * rounding);
    }
    // Any other weights fall back on the two slots.
    revsearch::apply_weights_spec(params, "helpful=0.1");
    CHECK(revsearch::relative_signal_scale(params, 20.0).prior == 0);
}
