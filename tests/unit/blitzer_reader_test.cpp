#include <doctest/doctest.h>

#include "reader_test_support.hpp"
#include "revsearch/review_id.hpp"

using revsearch::Format;
using reader_test::read_fixture;
using reader_test::read_text;

TEST_CASE("Blitzer reader reads <review> blocks of books/positive.review") {
    // tests/fixtures/blitzer/books-positive-sample.review: reviews 1, 2, 3, 21 and 9 of
    // sorted_data_acl/books/positive.review in its <data> wrapper: one with a bare "&", one with &quot;, and some
    // with an empty <helpful>.
    auto result = read_fixture(Format::blitzer, "blitzer/books-positive-sample.review");
    CHECK(result.problems.empty());
    REQUIRE(result.reviews.size() == 5);

    const auto& first = result.reviews[0];
    CHECK(first.id == revsearch::review_id("amazon-mdsd", {"0785758968:one_of_the_best_crichton_novels:joseph_m"}));
    CHECK(first.item_id == "0785758968");
    CHECK(first.item == "Sphere: Books: Michael Crichton");
    CHECK(first.headline == "One of the best Crichton novels");
    CHECK(first.author == "Joseph M");
    CHECK(first.date == "2006-07-01");
    CHECK(first.rating == 5);
    CHECK(first.rating_max == 5);
    CHECK(first.helpful_yes == 0);
    CHECK(first.helpful_total == 1);
    CHECK(first.source == "blitzer/books-positive-sample.review:2");
    CHECK(first.body.starts_with("Sphere by Michael Crichton is an excellant novel."));
    CHECK(first.body.find("\n\nThe story revolves") != std::string::npos);  // paragraphs kept
    CHECK(first.body.ends_with("I would strongly recommend this book"));

    CHECK(result.reviews[1].helpful_yes == 34);
    CHECK(result.reviews[1].helpful_total == 41);
    // An empty <helpful> is a review nobody voted on.
    CHECK(result.reviews[2].helpful_yes == 0);
    CHECK(result.reviews[2].helpful_total == 0);
    CHECK(result.reviews[3].body.find("light & funny read") != std::string::npos);  // bare & kept
    CHECK(result.reviews[4].body.find("\"Great Work of Time\"") != std::string::npos);  // &quot; decoded
}

TEST_CASE("Blitzer reader: field values as the dataset writes them") {
    struct Case {
        const char* helpful;
        const char* rating;
        const char* date;
        std::optional<std::int64_t> yes, total;
        std::optional<double> rating_value;
        std::optional<std::string> iso_date;
        const char* warning;  // "" for none
    };
    const Case cases[] = {
        {"3 of 4", "4.0", "July 1, 2006", 3, 4, 4.0, "2006-07-01", ""},
        {"", "1.0", "December 31, 1999", 0, 0, 1.0, "1999-12-31", ""},
        {"12 of 5", "5.0", "Jan 2, 2005", std::nullopt, std::nullopt, 5.0, "2005-01-02", "helpful 12 of 5"},
        {"1,200 of 1,341", "2.0", "March 3, 2003", 1200, 1341, 2.0, "2003-03-03", ""},
        {"most of them", "2.0", "March 3, 2003", std::nullopt, std::nullopt, 2.0, "2003-03-03", "expected \"x of y\""},
        {"1 of 2", "6.0", "March 3, 2003", 1, 2, std::nullopt, "2003-03-03", "rating 6 out of 5"},
        {"1 of 2", "5.0", "February 30, 2006", 1, 2, 5.0, std::nullopt, "not a date"},
        {"1 of 2", "5.0", "Smarch 3, 2006", 1, 2, 5.0, std::nullopt, "not a date"},
    };
    for (const auto& c : cases) {
        INFO("helpful \"", std::string(c.helpful), "\", date \"", std::string(c.date), "\"");
        std::string block = std::string("<review>\n<unique_id>\nA:b:c\n</unique_id>\n<helpful>\n") + c.helpful +
                            "\n</helpful>\n<rating>\n" + c.rating + "\n</rating>\n<date>\n" + c.date +
                            "\n</date>\n<review_text>\nText.\n</review_text>\n</review>\n";
        auto result = read_text(Format::blitzer, block);
        REQUIRE(result.reviews.size() == 1);
        const auto& review = result.reviews[0];
        CHECK(review.helpful_yes == c.yes);
        CHECK(review.helpful_total == c.total);
        CHECK(review.rating == c.rating_value);
        CHECK(review.date == c.iso_date);
        CHECK(result.errors() == 0);
        INFO(result.report());
        if (*c.warning) {
            CHECK(result.mentions(c.warning));
        } else {
            CHECK(result.problems.empty());
        }
    }
}

TEST_CASE("Blitzer reader: broken blocks give one error each and the next block is read") {
    auto result = read_fixture(Format::blitzer, "broken/blitzer-unclosed.review");
    INFO(result.report());
    // X1 good; X2 loses its </review_text> (error at its <review>, line 13); X3 good with an impossible helpful
    // and a 30 February; X4 is cut off by the end of the file.
    REQUIRE(result.reviews.size() == 2);
    CHECK(result.reviews[0].body == "Good & cheap");
    CHECK(result.reviews[1].body == "Last one");
    CHECK(result.errors() == 2);
    CHECK(result.problems[0].line == 13);
    CHECK(result.mentions("<review_text> is never closed"));
    CHECK(result.mentions("file ends inside a <review> block"));
    CHECK(result.warnings() == 2);
}

TEST_CASE("Blitzer reader: a block without review_text or over the size limit is rejected") {
    revsearch::ReaderOptions small;
    small.max_record_bytes = 200;
    auto no_text = read_text(Format::blitzer, "<review>\n<unique_id>\nA\n</unique_id>\n</review>\n");
    CHECK(no_text.reviews.empty());
    CHECK(no_text.mentions("no <review_text>"));
    auto huge = read_text(Format::blitzer,
                          "<review>\n<review_text>\n" + std::string(1000, 'x') + "\n</review_text>\n</review>\n"
                          "<review>\n<review_text>\nsmall\n</review_text>\n</review>\n",
                          small);
    CHECK(huge.mentions("longer than 200 bytes"));
    REQUIRE(huge.reviews.size() == 1);
    CHECK(huge.reviews[0].body == "small");
}

TEST_CASE("Blitzer ids are stable across two reads") {
    auto first = read_fixture(Format::blitzer, "blitzer/books-positive-sample.review");
    auto second = read_fixture(Format::blitzer, "blitzer/books-positive-sample.review");
    REQUIRE(first.reviews.size() == second.reviews.size());
    for (std::size_t i = 0; i < first.reviews.size(); ++i) CHECK(first.reviews[i] == second.reviews[i]);
}
