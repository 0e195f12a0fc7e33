// Regressions found by the hostile-input catalogue and the fuzz targets (docs/reliability.md): each row is an
// input that once stopped a reader or crashed it, with what the reader must do now.
#include <doctest/doctest.h>

#include "reader_test_support.hpp"

using revsearch::Format;
using reader_test::read_text;

TEST_CASE("hostile input regressions: one bad record costs that record, reading goes on") {
    struct Case {
        Format format;
        const char* bad_line;
        const char* message;  ///< in the one error the bad line gives
    };
    // A number beyond double (1e999) made nlohmann throw out_of_range.406, which the readers did not catch:
    // "reading stopped" and the rest of the file was lost.
    const Case cases[] = {
        {Format::jsonl, R"({"id": "a", "body": "x", "helpful_yes": 1e999})", "number overflow"},
        {Format::jsonl, R"({"id": "a", "body": "x", "rating": -1e400})", "number overflow"},
        {Format::mcauley, R"({"reviewerID": "A1", "asin": "B1", "reviewText": "x", "overall": 1e999})",
         "number overflow"},
    };
    const std::string good_jsonl = R"({"id": "good", "body": "still read"})";
    const std::string good_mcauley = R"({"reviewerID": "A2", "asin": "B2", "reviewText": "still read", "overall": 4})";
    for (const auto& c : cases) {
        CAPTURE(c.bad_line);
        const auto& good = c.format == Format::jsonl ? good_jsonl : good_mcauley;
        auto result = read_text(c.format, std::string(c.bad_line) + "\n" + good + "\n");
        CHECK(result.errors() == 1);
        CHECK(result.mentions(c.message));
        REQUIRE(result.reviews.size() == 1);
        CHECK(result.reviews[0].body == "still read");
    }
}
