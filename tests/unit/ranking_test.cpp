#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "revsearch/helpfulness.hpp"
#include "revsearch/ranking.hpp"
#include "search_fixture.hpp"

using revsearch::RankingParams;
using namespace search_fixture;

TEST_CASE("ranking: --bm25 and --weights specs") {
    struct Row {
        const char* bm25;
        double k1, b;
    };
    for (const Row& row : {Row{"k1=0.9,b=0.4", 0.9, 0.4}, Row{"b=1", 1.2, 1.0}, Row{"k1=2", 2.0, 0.75}}) {
        const std::string bm25_text = row.bm25;
        CAPTURE(bm25_text);
        RankingParams params;
        revsearch::apply_bm25_spec(params, row.bm25);
        CHECK(params.k1 == doctest::Approx(row.k1));
        CHECK(params.b == doctest::Approx(row.b));
    }
    for (const char* bad : {"", "k1", "k1=", "k1=x", "b=1.5", "k1=-1", "k3=1", "k1=1;b=2"}) {
        const std::string bad_text = bad;
        CAPTURE(bad_text);
        RankingParams params;
        CHECK_THROWS_AS(revsearch::apply_bm25_spec(params, bad), std::invalid_argument);
    }
    RankingParams params;
    revsearch::apply_weights_spec(params, "helpful=0,rating=0.5");
    CHECK(params.helpful_weight == 0);
    CHECK(params.rating_weight == doctest::Approx(0.5));
    for (const char* bad : {"helpful=-1", "votes=1", "helpful"}) {
        const std::string bad_text = bad;
        CAPTURE(bad_text);
        CHECK_THROWS_AS(revsearch::apply_weights_spec(params, bad), std::invalid_argument);
    }
}

TEST_CASE("ranking: --field-weights spec") {
    RankingParams params;
    CHECK(params.headline_weight == 0);  // the default adds nothing: docs/ranking.md, "Headline weight"
    revsearch::apply_field_weights_spec(params, "headline=0.5");
    CHECK(params.headline_weight == doctest::Approx(0.5));
    for (const char* bad : {"headline=-1", "body=1", "headline", ""}) {
        const std::string bad_text = bad;
        CAPTURE(bad_text);
        CHECK_THROWS_AS(revsearch::apply_field_weights_spec(params, bad), std::invalid_argument);
    }
}

TEST_CASE("ranking: the headline weight adds the query's matching stems again under S, from stock operators") {
    using Q = Xapian::Query;
    const std::vector<Q> phrase = {Q("instant", 1, 3), Q("coffe", 1, 4)};
    const std::vector<Q> words = {Q("great", 1, 1), Q(Q::OP_SCALE_WEIGHT, Q("coffe", 1, 2), 2.0),
                                  Q(Q::OP_PHRASE, phrase.begin(), phrase.end()), Q("Aulrik", 1, 5),
                                  Q(Q::OP_WILDCARD, "tast")};
    const Q query(Q::OP_AND_NOT, Q(Q::OP_OR, words.begin(), words.end()), Q("tea", 1, 6));
    RankingParams params;
    CHECK(revsearch::with_field_weights(query, params).get_description() == query.get_description());  // W = 0
    params.headline_weight = 0.5;
    // Each matching body stem once (not the excluded "tea", not the author's "Aulrik", not the wildcard).
    CHECK(revsearch::with_field_weights(query, params).get_description() ==
          "Query((((great@1 OR 2 * coffe@2 OR (instant@3 PHRASE 2 coffe@4) OR Aulrik@5 OR WILDCARD SYNONYM tast) "
          "AND_NOT tea@6) AND_MAYBE 0.5 * (Sgreat OR Scoffe OR Sinstant)))");
    // Only filters or fields: nothing to copy.
    CHECK(revsearch::with_field_weights(Q("Aulrik"), params).get_description() == Q("Aulrik").get_description());
}

TEST_CASE("ranking: the blend is stock parts, and a zero weight leaves its signal out") {
    Xapian::Query text("heroin");
    auto both = revsearch::blend_signals(text, {0.5, 0.25}).get_description();
    CHECK(both.find("AND_MAYBE") != std::string::npos);
    CHECK(both.find("0.5 * ") != std::string::npos);
    CHECK(both.find("0.25 * ") != std::string::npos);
    CHECK(both.find("ValueWeightPostingSource") != std::string::npos);
    auto helpful_only = revsearch::blend_signals(text, {0.5, 0}).get_description();
    CHECK(helpful_only.find("0.25") == std::string::npos);
    CHECK(helpful_only.find("AND_MAYBE") != std::string::npos);
    CHECK(revsearch::blend_signals(text, {0, 0}).get_description() == text.get_description());
}

TEST_CASE("ranking: signal weights scale with the query's best possible BM25 score") {
    RankingParams params;
    auto scale = revsearch::relative_signal_scale(params, 20.0);
    CHECK(scale.helpful == doctest::Approx(params.helpful_weight * 20));
    CHECK(scale.rating == doctest::Approx(params.rating_weight * 20));
    CHECK(scale.prior == doctest::Approx(20 * revsearch::prior_step));  // the default weights: the prior slot
    // Filters only: nothing to scale by, the signals alone order the hits.
    CHECK(revsearch::relative_signal_scale(params, 0).helpful == doctest::Approx(params.helpful_weight));
}

namespace {

Review with_votes(Review review, std::optional<std::int64_t> yes, std::optional<std::int64_t> total,
                  std::optional<double> rating = std::nullopt) {
    review.helpful_yes = yes;
    review.helpful_total = total;
    review.rating = rating;
    review.rating_max = rating ? std::optional<double>(10) : std::nullopt;
    return review;
}

}  // namespace

TEST_CASE("ranking: a strong match without votes stays above a barely matching review with 54/62 votes") {
    // UlrikSander's review is the one about the heroin thrown in the toilet; johanevander's mentions drugs once.
    Review strong = with_votes(by_author("UlrikSander"), std::nullopt, std::nullopt);
    Review barely = with_votes(by_author("johanevander"), 54, 62, 10);
    TempIndex index({strong, barely});
    revsearch::Searcher searcher(index.path());
    for (const char* query : {"heroin toilet drugs", "heroin drugs", "toilet drugs"}) {
        const std::string query_text = query;
        CAPTURE(query_text);
        auto result = searcher.search(request_for(query));
        REQUIRE(result.hits.size() == 2);
        CHECK(author_of(result.hits[0]) == "UlrikSander");
        CHECK(result.hits[1].parts.helpful > result.hits[0].parts.helpful);
    }
}

TEST_CASE("ranking: at equal BM25, 54/62 votes beat 2/2 whatever the ratings") {
    // Two reviews with the same words (johanevander's text, sentences in another order) and same-length names:
    // equal BM25, different body hashes, so no collapse.
    Review base = by_author("johanevander");
    Review many = base;
    many.id = "many-votes";
    many.author = "alice";
    many.body = "Just like Pusher, Pusher 2 presents you with a world of rain, seaweed and concrete. "
                "Although not as strong as Pusher it still grabs you.";
    Review few = base;
    few.id = "few-votes";
    few.author = "bobby";
    few.body = "Although not as strong as Pusher it still grabs you. "
               "Just like Pusher, Pusher 2 presents you with a world of rain, seaweed and concrete.";
    struct Row {
        double many_rating, few_rating;
    };
    for (Row row : {Row{8, 8}, Row{1, 10}}) {
        CAPTURE(row.many_rating);
        TempIndex index({with_votes(many, 54, 62, row.many_rating), with_votes(few, 2, 2, row.few_rating)});
        auto result = revsearch::Searcher(index.path()).search(request_for("seaweed concrete"));
        REQUIRE(result.hits.size() == 2);
        CHECK(result.hits[0].parts.bm25 == doctest::Approx(result.hits[1].parts.bm25));
        CHECK(author_of(result.hits[0]) == "alice");
    }
}

TEST_CASE("ranking: parts add up to the score and come from the stored signals") {
    revsearch::Searcher searcher(pusher_index().path());
    auto result = searcher.search(request_for("pusher gangster mikkelsen"));
    REQUIRE(result.hits.size() >= 5);
    for (const auto& hit : result.hits) {
        CAPTURE(hit.id);
        CHECK(hit.parts.bm25 + hit.parts.helpful + hit.parts.rating == doctest::Approx(hit.score).epsilon(1e-12));
        CHECK(hit.parts.bm25 > 0);
        auto yes = hit.review["helpful_yes"], total = hit.review["helpful_total"];
        double wilson = total.is_number() ? revsearch::wilson_lower_bound(yes.get<std::int64_t>(), total.get<std::int64_t>()) : 0;
        // The default weights read the prior slot, in whole steps: H's part is exact but for half a step.
        CHECK(std::abs(hit.parts.helpful - result.scale.helpful * wilson) <= result.scale.prior / 2 + 1e-12);
    }
    // Weights 0: pure BM25, no signal parts.
    auto request = request_for("pusher gangster mikkelsen");
    revsearch::apply_weights_spec(request.ranking, "helpful=0,rating=0");
    auto plain = searcher.search(request);
    CHECK(plain.parsed.find("ValueWeightPostingSource") == std::string::npos);
    for (const auto& hit : plain.hits) {
        CHECK(hit.parts.helpful == 0);
        CHECK(hit.parts.rating == 0);
        CHECK(hit.parts.bm25 == doctest::Approx(hit.score));
    }
}

TEST_CASE("ranking: BM25 parameters change the text scores") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("trilogy");
    revsearch::apply_weights_spec(request.ranking, "helpful=0,rating=0");
    auto standard = searcher.search(request);
    revsearch::apply_bm25_spec(request.ranking, "k1=2,b=0");
    auto tuned = searcher.search(request);
    REQUIRE(!standard.hits.empty());
    REQUIRE(standard.hits.size() == tuned.hits.size());
    CHECK(standard.hits[0].score != doctest::Approx(tuned.hits[0].score));
}

TEST_CASE("ranking: a short query ranks with short_query_b, a long one with b; an explicit b sets both") {
    RankingParams params;
    CHECK(params.b == doctest::Approx(0.75));
    CHECK(params.short_query_b == doctest::Approx(0.5));
    CHECK(revsearch::for_query_length(params, true).b == doctest::Approx(0.5));
    CHECK(revsearch::for_query_length(params, false).b == doctest::Approx(0.75));
    revsearch::apply_bm25_spec(params, "k1=2");
    CHECK(params.short_query_b == doctest::Approx(0.5));
    revsearch::apply_bm25_spec(params, "b=0.3");
    CHECK(revsearch::for_query_length(params, true).b == doctest::Approx(0.3));
    CHECK(revsearch::for_query_length(params, false).b == doctest::Approx(0.3));
    RankingParams scheme;
    revsearch::apply_scheme_spec(scheme, "bm25+:b=0.9");
    CHECK(revsearch::for_query_length(scheme, true).b == doctest::Approx(0.9));

    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("trilogy");
    const auto short_default = searcher.search(request);
    CHECK(!short_default.long_query);
    CHECK(short_default.bm25_b == doctest::Approx(0.5));
    revsearch::apply_bm25_spec(request.ranking, "b=0.5");
    const auto short_half = searcher.search(request);
    REQUIRE(!short_default.hits.empty());
    REQUIRE(short_default.hits.size() == short_half.hits.size());
    for (std::size_t i = 0; i < short_default.hits.size(); ++i)
        CHECK(short_default.hits[i].score == doctest::Approx(short_half.hits[i].score).epsilon(1e-12));

    auto long_request = request_for("pusher gangster mikkelsen heroin drugs copenhagen");
    long_request.expand = revsearch::ExpandWhen::never;
    const auto long_default = searcher.search(long_request);
    CHECK(long_default.long_query);
    CHECK(long_default.bm25_b == doctest::Approx(0.75));
}
