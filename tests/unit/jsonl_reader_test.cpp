#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "reader_test_support.hpp"
#include "revsearch/review_id.hpp"

using revsearch::Format;
using reader_test::read_fixture;
using reader_test::read_text;

TEST_CASE("canonical JSON lines: what revindex parse prints reads back unchanged") {
    // tests/fixtures/jsonl/canonical-sample.jsonl: revindex parse output for two Blitzer and one McAuley review,
    // then a record another pipeline wrote by hand (no id, keys in its own order).
    auto result = read_fixture(Format::jsonl, "jsonl/canonical-sample.jsonl");
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 4);
    auto blitzer = read_fixture(Format::blitzer, "blitzer/books-positive-sample.review");
    auto mcauley = read_fixture(Format::mcauley, "mcauley/all-beauty-sample.json");
    REQUIRE(blitzer.reviews.size() >= 2);
    for (auto [read, original] : {std::pair{result.reviews[0], blitzer.reviews[0]},
                                  std::pair{result.reviews[1], blitzer.reviews[1]},
                                  std::pair{result.reviews[2], mcauley.reviews.at(0)}}) {
        original.source = read.source;  // where it was read is the one thing that differs
        CHECK(read == original);
    }
    const auto& hand_written = result.reviews[3];
    CHECK(hand_written.id == revsearch::review_id("jsonl", {"B001E4KFG0", "delmartian", "Good Quality Dog Food",
                                                            hand_written.body}));
    CHECK(hand_written.source == "jsonl/canonical-sample.jsonl:4");
    CHECK(hand_written.rating == 5);
    CHECK(hand_written.date == "2011-04-27");
    CHECK_FALSE(hand_written.helpful_yes.has_value());
}

TEST_CASE("canonical JSON lines: id derivation, text cleanup and dates") {
    struct Case {
        const char* line;
        std::string id;
        std::string body;
        std::optional<std::string> date;
    };
    const Case cases[] = {
        {R"({"id": "given", "body": "b"})", "given", "b", std::nullopt},
        {R"({"item": "Pusher II", "author": "A", "headline": "H", "body": "b"})",
         revsearch::review_id("jsonl", {"Pusher II", "A", "H", "b"}), "b", std::nullopt},
        {R"({"item": "Pusher II", "item_id": "tt0396184", "body": "b"})",
         revsearch::review_id("jsonl", {"tt0396184", "", "", "b"}), "b", std::nullopt},
        {R"({"id": "x", "body": "one<br /><br />two &amp;  three", "date": "July 1, 2006"})", "x",
         "one\n\ntwo & three", "2006-07-01"},
        {R"({"id": "x", "body": "b", "date": "2006-07-01T10:00:00Z"})", "x", "b", "2006-07-01"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.line);
        auto result = read_text(Format::jsonl, std::string(c.line) + "\n");
        CHECK(result.problems.empty());
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.reviews[0].id == c.id);
        CHECK(result.reviews[0].body == c.body);
        CHECK(result.reviews[0].date == c.date);
    }
}

TEST_CASE("canonical JSON lines: bad values cost the value, bad records cost the record") {
    auto result = read_fixture(Format::jsonl, "broken/canonical-bad-records.jsonl");
    INFO(result.report());
    // Lines 1-3 and 6 kept with a warning; 4 (no body), 5 (body not a string), 7 (trailing garbage) rejected.
    REQUIRE(result.reviews.size() == 4);
    CHECK(result.errors() == 3);
    CHECK(result.warnings() == 4);
    CHECK(result.reviews[0].id == "given-id");
    CHECK_FALSE(result.reviews[0].helpful_yes.has_value());  // 12 of 5
    CHECK_FALSE(result.reviews[1].rating.has_value());       // 99999999999999999999 of 10
    CHECK(result.reviews[1].rating_max == 10);
    CHECK_FALSE(result.reviews[2].helpful_yes.has_value());  // too big for a count
    CHECK_FALSE(result.reviews[3].rating.has_value());       // "eight"
    CHECK(result.mentions("key \"body\" is missing"));
}

TEST_CASE("canonical JSON lines: invalid UTF-8 is repaired with a warning") {
    auto result = read_fixture(Format::jsonl, "broken/invalid-utf8.jsonl");
    REQUIRE(result.reviews.size() == 1);
    CHECK(result.warnings() == 1);
    CHECK(result.mentions("invalid UTF-8"));
    CHECK(result.reviews[0].body == "caf\xEF\xBF\xBD au lait,\ngood & hot");
}

TEST_CASE("canonical JSON lines: a 20 MB line and deep nesting are refused without crashing") {
    std::string huge = "{\"body\": \"" + std::string(20u << 20, 'x') + "\"}\n";
    std::string deep = std::string(1'000'000, '[') + std::string(1'000'000, ']') + "\n";
    auto result = read_text(Format::jsonl, huge + deep + "{\"body\": \"ok\"}\n\n\n");
    CHECK(result.errors() == 2);
    CHECK(result.mentions("record longer than"));
    CHECK(result.mentions("nested deeper"));
    REQUIRE(result.reviews.size() == 1);
    CHECK(result.reviews[0].source == "test:3");
}
