#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "revsearch/review.hpp"

using revsearch::Review;

TEST_CASE("canonical JSON round-trips every key") {
    Review review;
    review.id = "0123456789abcdef";
    review.source = "page.txt:12";
    review.item = "Pusher II";
    review.item_year = 2004;
    review.headline = "Gritty";
    review.author = "PAolo-10";
    review.byline = "PAolo-108 February 2009";
    review.date = "2009-02-08";
    review.rating = 8;
    review.rating_max = 10;
    review.helpful_yes = 23;
    review.helpful_total = 26;
    review.spoiler = true;
    review.body = "Dedicated to Hubert Selby Jr.";
    auto json = revsearch::to_json(review);
    CHECK(json.size() == 15);
    CHECK(json["rating"].dump() == "8");
    CHECK(json["item_id"].is_null());
    CHECK(json.begin().key() == "id");
    CHECK(revsearch::review_from_json(nlohmann::json(json)) == review);
}

TEST_CASE("canonical JSON: only body is required, wrong types are named") {
    auto minimal = revsearch::review_from_json(nlohmann::json{{"body", "text"}});
    CHECK(minimal.body == "text");
    CHECK_FALSE(minimal.rating.has_value());
    CHECK_THROWS_WITH_AS(revsearch::review_from_json(nlohmann::json{{"headline", "x"}}),
                         "key \"body\" is missing", std::invalid_argument);
    CHECK_THROWS_WITH_AS(revsearch::review_from_json(nlohmann::json{{"body", "x"}, {"rating", "8"}}),
                         "key \"rating\": expected a number or null", std::invalid_argument);
    CHECK_THROWS_AS(revsearch::review_from_json(nlohmann::json{{"body", "x"}, {"helpful_yes", -1}}),
                    std::invalid_argument);
}

TEST_CASE("normalised_rating puts 8/10 and 4/5 at 0.8 and refuses 11/10") {
    Review review;
    review.rating = 8;
    review.rating_max = 10;
    CHECK(*revsearch::normalised_rating(review) == doctest::Approx(0.8));
    review.rating = 4;
    review.rating_max = 5;
    CHECK(*revsearch::normalised_rating(review) == doctest::Approx(0.8));
    review.rating = 11;
    review.rating_max = 10;
    CHECK_FALSE(revsearch::normalised_rating(review).has_value());
}
