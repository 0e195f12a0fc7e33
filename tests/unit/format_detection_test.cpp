#include <doctest/doctest.h>

#include <fstream>
#include <iterator>

#include "revsearch/reader.hpp"

using revsearch::detect_format;
using revsearch::Format;

namespace {
std::string file_head(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return text.substr(0, 64 * 1024);
}
}  // namespace

TEST_CASE("detect_format: each layout by content") {
    struct Case {
        std::string head;
        std::string name;
        std::optional<Format> expected;
    };
    const Case cases[] = {
        {R"({"overall": 5.0, "reviewerID": "A3", "asin": "B0", "reviewText": "x"})" "\n", "data.txt", Format::mcauley},
        {R"({"id": "abc", "body": "x", "rating": 8})" "\n", "batch.json", Format::jsonl},
        {"\n\n" R"({"body": "x"})", "-", Format::jsonl},
        {"<data>\n<review>\n<unique_id>\nA:b:c\n</unique_id>\n", "positive.review", Format::blitzer},
        {"<review>\n<unique_id>\nA:b:c\n</unique_id>\n", "x", Format::blitzer},
        {"<reviews>\n<review>\n<review_text>\nx\n", "x", Format::blitzer},
        {"Id,ProductId,UserId,ProfileName,HelpfulnessNumerator,HelpfulnessDenominator,Score,Time,Summary,Text\n",
         "anything", Format::csv},
        {"\xEF\xBB\xBFtitle,\"review_text\",rating\n", "export", Format::csv},
        {"a,b,c\n1,2,3\n", "export.csv", Format::csv},  // no known column: the name decides
        {"Pusher II (2004) Poster\n\n(2004)\n\nUser Reviews\n\nReview this title\n44 Reviews\n", "page", Format::imdb},
        {"8/10\nGritty\nPAolo-108 February 2009\nText.\n54 out of 62 found this helpful. Was this review helpful? "
         "Sign in to vote.\nPermalink\n", "p.txt", Format::imdb},
        // Not a review layout: nothing is guessed.
        {"", "empty.jsonl", std::nullopt},
        {"  \n\t\n", "blank.csv", std::nullopt},
        {std::string("PK\x03\x04\0\0binary", 12), "data.csv", std::nullopt},
        {"Shopping list\neggs\nmilk\n", "list.txt", std::nullopt},
        {"a,b,c\n1,2,3\n", "numbers.txt", std::nullopt},
        {R"({"_id": "1", "text": "x"})" "\n", "corpus.json", std::nullopt},
        {R"({"_id": "1", "text": "x"})" "\n", "corpus.jsonl", Format::jsonl},  // the name breaks the tie
        {"# README\n\n```\n<review>\n<unique_id>\n", "README.md", std::nullopt},  // quotes a block, is none
    };
    for (const auto& c : cases) {
        CAPTURE(c.head.substr(0, 60));
        CAPTURE(c.name);
        CHECK(detect_format(c.head, c.name) == c.expected);
    }
}

TEST_CASE("detect_format recognises the real corpora from their first 64 KB") {
    const std::string fixtures = std::string(REVSEARCH_FIXTURES) + "/";
    CHECK(detect_format(file_head(fixtures + "blitzer/books-positive-sample.review"), "x") == Format::blitzer);
    CHECK(detect_format(file_head(fixtures + "mcauley/all-beauty-sample.json"), "x") == Format::mcauley);
    CHECK(detect_format(file_head(fixtures + "csv/fine-food-sample.csv"), "x") == Format::csv);
    CHECK(detect_format(file_head(fixtures + "jsonl/canonical-sample.jsonl"), "x") == Format::jsonl);
    CHECK(detect_format(file_head(std::string(REVSEARCH_CORPORA) + "/pusher-ii-2004.txt"), "x") == Format::imdb);
}

TEST_CASE("format names round-trip and unknown names are refused") {
    for (auto format : {Format::imdb, Format::jsonl, Format::mcauley, Format::blitzer, Format::csv})
        CHECK(revsearch::parse_format(revsearch::format_name(format)) == format);
    CHECK_FALSE(revsearch::parse_format("xml").has_value());
    CHECK_FALSE(revsearch::parse_format("CSV").has_value());
    CHECK_FALSE(revsearch::parse_format("").has_value());
}
