#include <doctest/doctest.h>

#include "reader_test_support.hpp"
#include "revsearch/review_id.hpp"

using revsearch::Format;
using reader_test::read_fixture;
using reader_test::read_text;

TEST_CASE("McAuley reader maps All_Beauty_5.json records onto reviews") {
    // tests/fixtures/mcauley/all-beauty-sample.json: lines 1-3 of All_Beauty_5.json, the first record with a vote,
    // one with the largest vote "1,341", and one of the five records without reviewText.
    auto result = read_fixture(Format::mcauley, "mcauley/all-beauty-sample.json");
    // The record without reviewText is a rating with a headline ("Five Stars"): kept, with a warning.
    REQUIRE(result.reviews.size() == 6);
    CHECK(result.errors() == 0);
    CHECK(result.warnings() == 1);
    CHECK(result.problems.at(0).line == 6);
    CHECK(result.mentions("no reviewText: kept with its summary"));
    CHECK(result.reviews[5].body.empty());
    CHECK(result.reviews[5].headline == "Five Stars");

    struct Row {
        std::string asin, reviewer_id, author, headline, date;
        double rating;
        std::int64_t votes;
        std::string body_start;
    };
    const Row rows[] = {
        {"B0000530HU", "A3CIUOJXQ5VDQ2", "Shelly F", "Five Stars", "2016-09-01", 5, 0, "As advertised."},
        {"B0000530HU", "A3H7T87S984REU", "houserules18", "Good for the face", "2013-11-14", 5, 0, "Like the oder"},
        {"B0000530HU", "A3J034YH7UG4KT", "Adam", "Smells awful", "2013-08-18", 1, 0, "I bought this"},
        {"B0000530HU", "A2UEO5XR3598GI", "Rich K", "Truth is There IS Nothing Like an AQUA VELVA MAN.", "2011-05-03", 5,
         25, "HEY!! I am an Aqua Velva Man"},
        {"B000GLRREU", "A2JCJJNY43QQIV", "Katy Lake", "Waterpik first timer (for the most part)", "2007-12-01", 5, 1341,
         "I've always prided myself"},
    };
    for (std::size_t i = 0; i < std::size(rows); ++i) {
        CAPTURE(i);
        const auto& review = result.reviews[i];
        const auto& row = rows[i];
        CHECK(review.id == revsearch::review_id("amazon", {row.asin, row.reviewer_id}));
        CHECK(review.item_id == row.asin);
        CHECK(review.author == row.author);
        CHECK(review.headline.value_or("").starts_with(row.headline.substr(0, 25)));
        CHECK(review.date == row.date);
        CHECK(review.rating == row.rating);
        CHECK(review.rating_max == 5);
        CHECK(review.helpful_yes == row.votes);
        CHECK_FALSE(review.helpful_total.has_value());  // the 2018 format has no denominator
        CHECK(review.body.starts_with(row.body_start));
        CHECK(review.source == "mcauley/all-beauty-sample.json:" + std::to_string(i + 1));
        CHECK_FALSE(review.item.has_value());
    }
}

TEST_CASE("McAuley reader drops impossible values with a warning and keeps the record") {
    struct Case {
        const char* line;
        const char* warning;
        bool rating_kept, votes_kept;
    };
    const Case cases[] = {
        {R"({"overall": 7.0, "asin": "B1", "reviewerID": "A1", "reviewText": "x"})", "rating 7 out of 5", false, true},
        {R"({"overall": -1, "asin": "B1", "reviewerID": "A1", "reviewText": "x"})", "rating -1 out of 5", false, true},
        {R"({"overall": 4, "vote": "-3", "asin": "B1", "reviewerID": "A1", "reviewText": "x"})", "negative count", true,
         false},
        {R"({"overall": 4, "vote": "99999999999999999999", "asin": "B1", "reviewerID": "A1", "reviewText": "x"})",
         "absurd count", true, false},
        {R"({"overall": 4, "vote": "lots", "asin": "B1", "reviewerID": "A1", "reviewText": "x"})", "not a count", true,
         false},
        {R"({"overall": "five", "asin": "B1", "reviewerID": "A1", "reviewText": "x"})", "not a number", false, true},
        {R"({"overall": 4, "unixReviewTime": -5, "asin": "B1", "reviewerID": "A1", "reviewText": "x"})",
         "impossible time", true, true},
        {R"({"overall": 4, "reviewTime": "02 31, 2016", "asin": "B1", "reviewerID": "A1", "reviewText": "x"})",
         "reviewTime: not a date", true, true},
    };
    for (const auto& c : cases) {
        CAPTURE(c.line);
        auto result = read_text(Format::mcauley, std::string(c.line) + "\n");
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.errors() == 0);
        CHECK(result.mentions(c.warning));
        CHECK(result.reviews[0].rating.has_value() == c.rating_kept);
        CHECK(result.reviews[0].helpful_yes.has_value() == c.votes_kept);
    }
}

TEST_CASE("McAuley reader dates a review by unixReviewTime, else by reviewTime") {
    struct Case {
        const char* fields;
        const char* date;  ///< "" for none
    };
    const Case cases[] = {
        {R"("unixReviewTime": 1472688000, "reviewTime": "09 1, 2016")", "2016-09-01"},
        {R"("unixReviewTime": 1472688000, "reviewTime": "01 1, 2000")", "2016-09-01"},  // the number wins
        {R"("reviewTime": "11 14, 2013")", "2013-11-14"},
        {R"("unixReviewTime": null, "reviewTime": "07 4, 2010")", "2010-07-04"},
        {R"("unixReviewTime": -5, "reviewTime": "07 4, 2010")", "2010-07-04"},
        {R"("reviewTime": "13 1, 2016")", ""},
        {R"("reviewTime": "")", ""},
    };
    for (const auto& c : cases) {
        CAPTURE(c.fields);
        const std::string line =
            std::string(R"({"overall": 4, "asin": "B1", "reviewerID": "A1", "reviewText": "x", )") + c.fields + "}\n";
        auto result = read_text(Format::mcauley, line);
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.reviews[0].date.value_or("") == c.date);
    }
}

TEST_CASE("McAuley reader rejects bad records with one error each and reads on") {
    struct Case {
        std::string line;
        const char* error;
    };
    const Case cases[] = {
        {R"({"overall": 5, "asin": "B1", "reviewerID": "A1"})", "neither reviewText nor summary"},
        {R"({"overall": 5, "asin": "B1", "reviewText": "unterminated)", "bad JSON"},
        {std::string(300, '[') + std::string(300, ']'), "nested deeper"},
        {R"(["an", "array"])", "expected a JSON object"},
        {std::string("{\"reviewText\": \"") + std::string(2000, 'x') + "\"}", "longer than 1024 bytes"},
    };
    revsearch::ReaderOptions small;
    small.max_record_bytes = 1024;
    const std::string good = R"({"asin": "B1", "reviewerID": "A9", "reviewText": "fine"})";
    for (const auto& c : cases) {
        CAPTURE(c.line.substr(0, 80));
        auto result = read_text(Format::mcauley, c.line + "\n" + good + "\n", small);
        CHECK(result.errors() == 1);
        CHECK(result.mentions(c.error));
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.reviews[0].source == "test:2");
    }
}

TEST_CASE("McAuley ids are stable across two reads and name the review, not the line") {
    auto first = read_fixture(Format::mcauley, "mcauley/all-beauty-sample.json");
    auto second = read_fixture(Format::mcauley, "mcauley/all-beauty-sample.json");
    REQUIRE(first.reviews.size() == second.reviews.size());
    for (std::size_t i = 0; i < first.reviews.size(); ++i) CHECK(first.reviews[i].id == second.reviews[i].id);
    // The same reviewer and product re-listed with new votes is the same review.
    auto relisted = read_text(Format::mcauley, R"({"asin": "B0000530HU", "reviewerID": "A3CIUOJXQ5VDQ2", "vote": "3", "reviewText": "As advertised."})"
                                               "\n");
    REQUIRE(relisted.reviews.size() == 1);
    CHECK(relisted.reviews[0].id == first.reviews[0].id);
}
