// The spelling rule (searcher/query/include/revsearch/spelling.hpp): when a query word is corrected, only hinted
// at, or kept, on tables of counts; then a search that corrects, and one --as-typed.
#include <doctest/doctest.h>

#include <sstream>

#include "revsearch/output.hpp"
#include "revsearch/spelling.hpp"
#include "search_fixture.hpp"

using namespace search_fixture;
using revsearch::SpellingVerdict;

TEST_CASE("spelling: one letter left out or two neighbours swapped, nothing else") {
    struct Row {
        const char* typed;
        const char* intended;
        bool slip;
    };
    const Row rows[] = {
        {"coffe", "coffee", true},      {"mikelsen", "mikkelsen", true}, {"agian", "again", true},
        {"ofcfee", "coffee", false},    {"gangstr", "gangster", true},   {"offee", "coffee", true},
        {"butter", "better", false},    {"pride", "price", false},       {"caan", "can", false},
        {"coffee", "coffee", false},    {"cofee", "coffee", true},       {"søren", "sørensen", false},
        {"sorensen", "sørensen", false}, {"sřren", "søren", false},      {"sören", "søren", false},
    };
    for (const Row& row : rows) {
        CAPTURE(row.typed);
        CHECK(revsearch::is_omission_or_swap(row.typed, row.intended) == row.slip);
    }
}

TEST_CASE("spelling: the verdict on the counts") {
    struct Row {
        const char* what;
        revsearch::WordEvidence evidence;
        SpellingVerdict verdict;
    };
    // typed, suggestion, typed reviews, suggested reviews, documents, typed stem, suggestion stem, typed word's
    // occurrences, its stem's occurrences
    const Row rows[] = {
        {"the issue's coffe: 19 against 1,133 of 50,000", {"coffe", "coffee", 19, 1133, 50000, "coff", "coffe", 19, 19},
         SpellingVerdict::correct},
        {"an unknown word, one letter left out", {"mikelsen", "mikkelsen", 0, 13, 25, "mikelsen", "mikkelsen", 0, 0},
         SpellingVerdict::correct},
        {"19 times as frequent is not enough", {"coffe", "coffee", 19, 360, 50000, "coff", "coffe", 19, 19},
         SpellingVerdict::keep},
        {"20 times is", {"coffe", "coffee", 19, 380, 50000, "coff", "coffe", 19, 19}, SpellingVerdict::correct},
        {"a word in more than 1% of the reviews is never corrected",
         {"coffe", "coffee", 501, 50000, 50000, "coff", "coffe", 501, 501}, SpellingVerdict::keep},
        {"a rare real word: not a slip of the suggestion, so a hint",
         {"butter", "better", 2, 79, 902, "butter", "better", 2, 2}, SpellingVerdict::hint},
        {"the first letter is kept", {"offee", "coffee", 0, 25, 902, "offe", "coffe", 0, 0}, SpellingVerdict::hint},
        {"3 letters are too few", {"cof", "coff", 0, 25, 902, "cof", "coff", 0, 0}, SpellingVerdict::hint},
        {"the typed word has other forms in the index", {"sores", "stores", 1, 21, 902, "sore", "store", 1, 3},
         SpellingVerdict::hint},
        {"the same stem: the search finds both already", {"film", "films", 1, 24, 902, "film", "film", 1, 25},
         SpellingVerdict::hint},
        {"a suggestion in 2 reviews is no guess", {"mikelsen", "mikkelsen", 0, 2, 25, "mikelsen", "mikkelsen", 0, 0},
         SpellingVerdict::keep},
        {"hint: a rare word, a 5 times as frequent neighbour",
         {"mikkelson", "mikkelsen", 1, 15, 25, "mikkelson", "mikkelsen", 1, 1}, SpellingVerdict::hint},
        {"no hint for a word in 3 reviews", {"mikkelson", "mikkelsen", 3, 15, 25, "mikkelson", "mikkelsen", 3, 3},
         SpellingVerdict::keep},
        {"no suggestion", {"heroin", "", 5, 0, 25, "heroin", "", 5, 5}, SpellingVerdict::keep},
    };
    for (const Row& row : rows) {
        CAPTURE(row.what);
        CHECK(revsearch::spelling_verdict(row.evidence) == row.verdict);
    }
}

TEST_CASE("spelling: a search corrects a likely typo and says so; --as-typed searches as typed") {
    revsearch::Searcher searcher(pusher_index().path());
    auto request = request_for("mikelsen heroin");
    auto corrected = searcher.search(request);
    CHECK(corrected.corrected == std::optional<std::string>("mikkelsen heroin"));
    REQUIRE(corrected.corrections.size() == 1);
    CHECK(corrected.corrections[0].typed == "mikelsen");
    CHECK(corrected.corrections[0].corrected == "mikkelsen");
    CHECK(corrected.corrections[0].typed_reviews == 0);
    CHECK(corrected.corrections[0].corrected_reviews > 3);
    CHECK(corrected.parsed.find("mikkelsen@1") != std::string::npos);
    CHECK_FALSE(corrected.suggestion);

    std::ostringstream text, json_lines;
    revsearch::write_text(text, corrected, {false, false});
    CHECK(text.str().rfind("Showing results for mikkelsen heroin (search instead for mikelsen heroin: --as-typed)\n",
                           0) == 0);
    revsearch::write_json_lines(json_lines, request, corrected);
    const auto first = nlohmann::json::parse(json_lines.str().substr(0, json_lines.str().find('\n')));
    CHECK(first["type"] == "correction");
    CHECK(first["data"]["query"] == "mikkelsen heroin");
    CHECK(first["data"]["as_typed"] == "mikelsen heroin");
    CHECK(first["data"]["words"][0]["typed"] == "mikelsen");

    request.as_typed = true;
    auto as_typed = searcher.search(request);
    CHECK_FALSE(as_typed.corrected);
    CHECK(as_typed.suggestion == std::optional<std::string>("mikkelsen heroin"));
    CHECK(as_typed.parsed.find("Zmikkelsen") == std::string::npos);
}
