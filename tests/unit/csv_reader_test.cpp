#include <doctest/doctest.h>

#include "reader_test_support.hpp"
#include "revsearch/review_id.hpp"

using revsearch::CsvMapping;
using revsearch::Format;
using reader_test::read_fixture;
using reader_test::read_text;

namespace {
const std::string fine_food_header =
    "Id,ProductId,UserId,ProfileName,HelpfulnessNumerator,HelpfulnessDenominator,Score,Time,Summary,Text\n";
}

TEST_CASE("CSV reader reads Amazon Fine Food's Reviews.csv with the default mapping") {
    // tests/fixtures/csv/fine-food-sample.csv: the header and Ids 1, 2, 3, 11 (<br />) and 1244 (&quot;) of the
    // 7,567-row Reviews.csv, ending without a newline like the original.
    auto result = read_fixture(Format::csv, "csv/fine-food-sample.csv");
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 5);

    struct Row {
        const char* id;
        const char* item_id;
        const char* author;
        std::int64_t yes, total;
        double rating;
        const char* date;
        const char* headline;
    };
    const Row rows[] = {
        {"1", "B001E4KFG0", "delmartian", 1, 1, 5, "2011-04-27", "Good Quality Dog Food"},
        {"2", "B00813GRG4", "dll pa", 0, 0, 1, "2012-09-07", "Not as Advertised"},
        {"3", "B000LQOCH0", "Natalia Corres \"Natalia Corres\"", 1, 1, 4, "2008-08-18", "\"Delight\" says it all"},
    };
    for (std::size_t i = 0; i < std::size(rows); ++i) {
        CAPTURE(i);
        const auto& review = result.reviews[i];
        CHECK(review.id == revsearch::review_id("amazon-fine-food", {rows[i].id}));
        CHECK(review.item_id == rows[i].item_id);
        CHECK(review.author == rows[i].author);
        CHECK(review.helpful_yes == rows[i].yes);
        CHECK(review.helpful_total == rows[i].total);
        CHECK(review.rating == rows[i].rating);
        CHECK(review.rating_max == 5);
        CHECK(review.date == rows[i].date);
        CHECK(review.headline == rows[i].headline);
        CHECK(review.source == "csv/fine-food-sample.csv:" + std::to_string(i + 2));
    }
    CHECK(result.reviews[1].body.ends_with("represent the product as \"Jumbo\"."));
    // HTML in Text: <br /> becomes a line break, &quot; a quote.
    for (const auto& review : result.reviews) {
        CHECK(review.body.find("<br") == std::string::npos);
        CHECK(review.body.find("&quot;") == std::string::npos);
    }
    CHECK(result.reviews[3].body.find('\n') != std::string::npos);
}

TEST_CASE("CSV reader: quoted fields with commas, quotes and line breaks; line numbers follow the file") {
    std::string csv = fine_food_header +
                      "1,B1,U1,Ann,0,0,5,1303862400,\"Hi, there\",\"First line\nsecond \"\"quoted\"\" line\"\n"
                      "\n"
                      "2,B2,U2,Bob,1,2,4,1303862400,Plain,Plain text\r\n"
                      "3,B3,U3,Cy,0,0,3,1303862400,Last,No newline at the end";
    auto result = read_text(Format::csv, csv);
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 3);
    CHECK(result.reviews[0].headline == "Hi, there");
    CHECK(result.reviews[0].body == "First line\nsecond \"quoted\" line");
    CHECK(result.reviews[0].source == "test:2");
    CHECK(result.reviews[1].source == "test:5");
    CHECK(result.reviews[1].body == "Plain text");
    CHECK(result.reviews[2].source == "test:6");
    CHECK(result.reviews[2].body == "No newline at the end");
}

TEST_CASE("CSV reader: bad rows give one problem each, the file reads on") {
    struct Case {
        std::string row;
        bool kept;
        const char* message;
    };
    const Case cases[] = {
        {"1,B1,U1,Ann,0,0,5,1303862400,Short", false, "row has 9 fields, the header has 10"},
        {"1,B1,U1,Ann,0,0,5,1303862400,S,T,extra", false, "row has 11 fields"},
        {"1,B1,U1,Ann,0,0,5,1303862400,S,", false, "empty Text"},
        {"1,B1,U1,Ann,0,0,5,1303862400,S,a\"b\"c", false, "malformed quoting"},
        {"1,B1,U1,Ann,12,5,5,1303862400,S,T", true, "helpful 12 of 5 is impossible"},
        {"1,B1,U1,Ann,0,0,9,1303862400,S,T", true, "rating 9 out of 5"},
        {"1,B1,U1,Ann,-1,0,5,1303862400,S,T", true, "negative count"},
        {"1,B1,U1,Ann,99999999999999999999,0,5,1303862400,S,T", true, "absurd count"},
        {"1,B1,U1,Ann,0,0,5,yesterday,S,T", true, "not a date"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.row);
        auto result = read_text(Format::csv, fine_food_header + c.row + "\n2,B2,U2,Bob,0,0,4,1303862400,S,Good\n");
        CHECK(result.problems.size() == 1);
        CHECK(result.errors() == (c.kept ? 0 : 1));
        CHECK(result.mentions(c.message));
        CHECK(result.reviews.size() == (c.kept ? 2 : 1));
        CHECK(result.reviews.back().body == "Good");
    }
}

TEST_CASE("CSV reader: an unbalanced quote is one error, not a hang or a giant field") {
    auto result = read_fixture(Format::csv, "broken/csv-unbalanced-quote.csv");
    CHECK(result.reviews.empty());
    CHECK(result.errors() == 1);
    CHECK(result.problems.at(0).line == 2);
    CHECK(result.mentions("never closed"));

    // Past the record size limit the open quote is cut off and the next lines are read afresh.
    revsearch::ReaderOptions small;
    small.max_record_bytes = 300;
    std::string csv = fine_food_header + "1,B1,U1,Ann,0,0,5,1303862400,S,\"open\n";
    for (int i = 0; i < 20; ++i) csv += "filler line " + std::to_string(i) + "\n";
    auto limited = read_text(Format::csv, csv, small);
    CHECK(limited.mentions("record longer than 300 bytes"));
}

TEST_CASE("CSV reader: a file without a body column is one error for the file") {
    auto result = read_fixture(Format::csv, "broken/csv-no-body-column.csv");
    CHECK(result.reviews.empty());
    REQUIRE(result.problems.size() == 1);
    CHECK(result.problems[0].line == 0);
    CHECK(result.mentions("no body column"));
    CHECK(result.mentions("--csv-map body="));
}

TEST_CASE("CSV reader: other layouts through the fallbacks or --csv-map") {
    SUBCASE("common spellings are found without a mapping, ids derived from the content") {
        auto result = read_text(Format::csv, "title,review_text,rating,date,author\nGreat,Loved it,4,2020-01-02,Ann\n");
        REQUIRE(result.reviews.size() == 1);
        const auto& review = result.reviews[0];
        CHECK(review.headline == "Great");
        CHECK(review.body == "Loved it");
        CHECK(review.rating == 4);
        CHECK(review.date == "2020-01-02");
        CHECK(review.id == revsearch::review_id("csv", {"", "Ann", "2020-01-02", "Loved it"}));
    }
    SUBCASE("an explicit mapping with a 10-point scale") {
        revsearch::ReaderOptions options;
        options.csv = CsvMapping::parse("body=comment,headline=subject,rating=score10,rating_max=10,id=");
        auto result = read_text(Format::csv, "Id,subject,comment,score10\n7,Wow,Best film,9\n", options);
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.reviews[0].body == "Best film");
        CHECK(result.reviews[0].headline == "Wow");
        CHECK(result.reviews[0].rating == 9);
        CHECK(result.reviews[0].rating_max == 10);
        CHECK(result.reviews[0].id == revsearch::review_id("csv", {"", "", "", "Best film"}));
    }
}

TEST_CASE("CsvMapping::parse accepts KEY=COLUMN lists and names what is wrong") {
    auto mapping = CsvMapping::parse("body=review_text, headline=title ,rating_max=10");
    CHECK(mapping.body == std::vector<std::string>{"review_text"});
    CHECK(mapping.headline == std::vector<std::string>{"title"});
    CHECK(mapping.rating_max == 10);
    CHECK(mapping.id == CsvMapping::fine_food_default().id);  // untouched keys keep the default
    CHECK_FALSE(CsvMapping::parse("rating_max=none").rating_max.has_value());

    const char* bad[] = {"body", "colour=red", "rating_max=ten", "rating_max=0", "rating_max=1000"};
    for (const char* spec : bad) {
        CAPTURE(spec);
        CHECK_THROWS_AS(CsvMapping::parse(spec), std::invalid_argument);
    }
}

TEST_CASE("CSV ids are stable across two reads") {
    auto first = read_fixture(Format::csv, "csv/fine-food-sample.csv");
    auto second = read_fixture(Format::csv, "csv/fine-food-sample.csv");
    REQUIRE(first.reviews.size() == second.reviews.size());
    for (std::size_t i = 0; i < first.reviews.size(); ++i) CHECK(first.reviews[i].id == second.reviews[i].id);
}
