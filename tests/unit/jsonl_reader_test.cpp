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

TEST_CASE("JsonMapping::parse takes KEY=SOURCE_KEY lists and names what is wrong") {
    auto mapping = revsearch::JsonMapping::parse("body=text, headline = title,");
    REQUIRE(mapping.keys.size() == 2);
    CHECK(mapping.source_of("body") == "text");
    CHECK(mapping.source_of("headline") == "title");
    CHECK(mapping.source_of("author") == "author");  // unmapped keys are read as they are
    CHECK(revsearch::JsonMapping::parse("").empty());
    struct Bad {
        const char* spec;
        const char* says;
    };
    const Bad bad[] = {{"body", "expected KEY=SOURCE_KEY"},
                       {"text=body", "unknown key \"text\""},
                       {"source=where", "unknown key \"source\""},  // the reader sets it
                       {"body=", "no source key for \"body\""},
                       {"body=a,body=b", "\"body\" is mapped twice"}};
    for (const auto& c : bad) {
        CAPTURE(c.spec);
        try {
            revsearch::JsonMapping::parse(c.spec);
            FAIL("no exception");
        } catch (const std::invalid_argument& e) {
            CHECK(std::string(e.what()).find(c.says) != std::string::npos);
        }
    }
}

TEST_CASE("canonical JSON lines with --json-map: each mapped key is read from its source key only") {
    revsearch::ReaderOptions options;
    options.json = revsearch::JsonMapping::parse("body=text,headline=title,rating=stars");
    auto result = read_text(Format::jsonl,
                            R"({"id": "q1", "text": "the text", "title": "a title", "stars": 4, "body": "not this"})"
                            "\n",
                            options);
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 1);
    CHECK(result.reviews[0].body == "the text");
    CHECK(result.reviews[0].headline == "a title");
    CHECK(result.reviews[0].rating == 4);
    CHECK(result.reviews[0].id == "q1");
}

TEST_CASE("a key missing in every record is one line with a hint; missing in some, one line per record") {
    std::string every;
    for (int i = 1; i <= 1406; ++i) every += R"({"id": ")" + std::to_string(i) + R"(", "query": "q", "text": "t"})" "\n";
    auto all_missing = read_text(Format::jsonl, every);
    CHECK(all_missing.reviews.empty());
    REQUIRE(all_missing.problems.size() == 1);
    const auto& problem = all_missing.problems[0];
    CHECK(problem.records == 1406);  // counted as 1406 rejected records
    CHECK(problem.line == 1);
    CHECK(all_missing.mentions("key \"body\" is missing in every record (1406 records, all rejected)"));
    CHECK(all_missing.mentions("\"id\", \"query\", \"text\""));
    CHECK(all_missing.mentions("--json-map body=KEY"));

    // Some records have it: each one without it is reported on its line, in order, whatever was held back.
    auto some = read_text(Format::jsonl, R"({"text": "a"})" "\n" R"({"text": "b"})" "\n" R"({"body": "c"})" "\n"
                                         R"({"text": "d"})" "\n");
    CHECK(some.reviews.size() == 1);
    REQUIRE(some.problems.size() == 3);
    CHECK(some.problems[0].line == 1);
    CHECK(some.problems[1].line == 2);
    CHECK(some.problems[2].line == 4);
    for (const auto& p : some.problems) CHECK(p.message == "key \"body\" is missing");

    // Many without it before the first with it: the first three in full, the rest as one counted line.
    std::string many;
    for (int i = 0; i < 10; ++i) many += R"({"text": "x"})" "\n";
    many += R"({"body": "y"})" "\n";
    auto folded = read_text(Format::jsonl, many);
    REQUIRE(folded.problems.size() == 4);
    CHECK(folded.problems[3].line == 4);
    CHECK(folded.problems[3].records == 7);
    CHECK(folded.mentions("here and in the 6 records after this one, up to line 10"));
    std::size_t counted = 0;
    for (const auto& p : folded.problems) counted += p.records;
    CHECK(counted == 10);

    // With a mapping, the message names the key it looks for.
    revsearch::ReaderOptions options;
    options.json = revsearch::JsonMapping::parse("body=review");
    auto mapped = read_text(Format::jsonl, R"({"text": "a"})" "\n" R"({"review": "b"})" "\n", options);
    CHECK(mapped.reviews.size() == 1);
    CHECK(mapped.mentions("test:1: error: key \"review\" is missing (--json-map maps it to body)"));
}

TEST_CASE("a JSON line cut short is reported without quoting the whole review") {
    const std::string text(700, 'x');
    auto result = read_text(Format::jsonl, R"({"body": ")" + text);  // no closing quote, no newline
    REQUIRE(result.problems.size() == 1);
    const auto& message = result.problems[0].message;
    CHECK(message.starts_with("bad JSON: column "));
    CHECK(message.find("missing closing quote; last read: '...") != std::string::npos);
    CHECK(message.size() < 200);
    CHECK(message.ends_with(std::string(40, 'x') + "'"));
}
