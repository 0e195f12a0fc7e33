#include <doctest/doctest.h>

#include <cctype>

#include "revsearch/snippet.hpp"

using revsearch::SnippetMatcher;

namespace {

const Xapian::Stem english("english");

// From gotchast's and UlrikSander's reviews in corpora/pusher-ii-2004.txt.
const std::string warriors =
    "I've seen Pusher II during the Thriller and Film Noir Film festival in Cognac. It was a shock at the end. "
    "When lights were on, people don't say a word. The last time I was so mute was at the end of \"once were "
    "warriors\". The violence in Pusher II is so realistic, so close, so terrifying for the future of all the "
    "characters than we really hope there will be something, even very little, happy at the end to help us to "
    "breath.";
const std::string sorensen =
    "But Tonny has a hard time earning his father's respect, and on top of that, he discovers that Charlotte "
    "(Anne Sørensen): a girl he once had sex with, has given birth to his child.";

std::vector<std::string> highlighted_words(const revsearch::Snippet& snippet) {
    std::vector<std::string> words;
    for (auto [offset, length] : snippet.highlights) words.push_back(snippet.text.substr(offset, length));
    return words;
}

}  // namespace

TEST_CASE("snippet: each word is matched the way the index analysed it") {
    // The index's terms are stems (schema version 3): body and headline stems unprefixed, field stems prefixed.
    const std::vector<Xapian::Query> terms = {Xapian::Query("warrior"), Xapian::Query("sorensen"),
                                              Xapian::Query("Sviolenc"), Xapian::Query("XIdoesnotmatter"),
                                              Xapian::Query("XTpusher")};
    // `terrif*`, and `happy*` with its stem `happi` (ParsedQuery::wildcard_prefixes).
    SnippetMatcher matcher(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), english,
                           {"terrif", "happy", "happi"});
    struct Row {
        const char* word;
        const char* key;
    };
    const Row rows[] = {
        {"warriors", "warrior"}, {"Warrior", "warrior"}, {"Sørensen", "sorensen"}, {"SORENSEN", "sorensen"},
        {"violence", "violenc"}, {"Pusher", "pusher"},   {"terrifying", "terrif*"}, {"war", ""},
        {"doesnotmatter", ""},   {"Sorensens", "sorensen"}, {"happy", "happy*"}, {"happiness", "happi*"},
    };
    for (const Row& row : rows) {
        const std::string word_text = row.word;
        CAPTURE(word_text);
        CHECK(matcher.match(row.word) == row.key);
    }
}

TEST_CASE("snippet: a folded query highlights the original spelling") {
    SnippetMatcher matcher(Xapian::Query("sorensen"), english);
    auto snippet = revsearch::make_snippet(sorensen, matcher, 400);
    CHECK(snippet.text == sorensen);
    CHECK(highlighted_words(snippet) == std::vector<std::string>{"Sørensen"});
    CHECK(revsearch::render_highlights(snippet, "[", "]").find("(Anne [Sørensen]):") != std::string::npos);
}

TEST_CASE("snippet: the window holds the most distinct matches, cut at word boundaries") {
    SnippetMatcher matcher(Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("violenc"), Xapian::Query("realist")),
                           english);
    auto snippet = revsearch::make_snippet(warriors, matcher, 120);
    CHECK(highlighted_words(snippet) == std::vector<std::string>{"violence", "realistic"});
    CHECK(snippet.text.rfind("… ", 0) == 0);
    CHECK(snippet.text.size() <= 120 + 2 * std::string(" …").size());
    CHECK(snippet.text.substr(snippet.text.size() - std::string(" …").size()) == " …");
    // Every piece between the ellipses is a run of whole words of the original.
    std::string inner = snippet.text.substr(std::string("… ").size(),
                                            snippet.text.size() - std::string("… ").size() - std::string(" …").size());
    auto position = warriors.find(inner);
    REQUIRE(position != std::string::npos);
    CHECK(warriors[position - 1] == ' ');
    CHECK_FALSE(std::isalnum(static_cast<unsigned char>(warriors[position + inner.size()])));
}

TEST_CASE("snippet: without matches it is the beginning of the text, with white space collapsed") {
    SnippetMatcher matcher(Xapian::Query("gangster"), english);
    auto snippet = revsearch::make_snippet("\"Gritty\",  bleak\n\nand unforgettable.", matcher, 240);
    CHECK(snippet.text == "\"Gritty\", bleak and unforgettable.");
    CHECK(snippet.highlights.empty());
    CHECK(revsearch::make_snippet("", matcher).text.empty());
    CHECK(revsearch::make_snippet("...", matcher).text.empty());
}

TEST_CASE("snippet: a whole headline with its matches marked") {
    SnippetMatcher matcher(Xapian::Query("warrior"), english);
    auto headline = revsearch::highlight_whole("As powerful as \"once were warriors\"", matcher);
    CHECK(revsearch::render_highlights(headline, "<", ">") == "As powerful as \"once were <warriors>\"");
}
