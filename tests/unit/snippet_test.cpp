#include <doctest/doctest.h>

#include <cctype>
#include <cstring>
#include <set>

#include "revsearch/analyzer.hpp"
#include "revsearch/snippet.hpp"

using revsearch::Snippet;
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

namespace {

/// A query of the stems of `words` (as the index has them: folded, lower-cased, stemmed), and its matcher.
SnippetMatcher matcher_for(const Xapian::Stem& stemmer, const std::vector<std::string>& words,
                           const std::vector<std::string>& wildcards) {
    std::vector<Xapian::Query> terms;
    for (const auto& word : words) terms.emplace_back(stemmer(revsearch::fold_for_filter(word)));
    return SnippetMatcher(Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end()), stemmer, wildcards);
}

/// What a word matched before the matcher remembered words: folded, lower-cased and stemmed each time.
std::string key_without_memory(const Xapian::Stem& stemmer, const std::vector<std::string>& words,
                               const std::vector<std::string>& wildcards, std::string_view word) {
    std::set<std::string> stems;
    for (const auto& query_word : words) stems.insert(stemmer(revsearch::fold_for_filter(query_word)));
    const std::string folded = revsearch::fold_diacritics(word);
    const std::string lower = Xapian::Unicode::tolower(folded);
    const std::string stem = stemmer(lower);
    if (stems.count(stem)) return stem;
    for (const auto& prefix : wildcards)
        if (lower.starts_with(prefix) || stem.starts_with(prefix)) return prefix + "*";
    return {};
}

struct SnippetCase {
    const char* language;
    std::vector<std::string> words;      ///< the query's words, stemmed into its terms
    std::vector<std::string> wildcards;  ///< ParsedQuery::wildcard_prefixes
    const char* text;
    std::size_t max_bytes;
    const char* snippet;  ///< make_snippet, highlights in [ ]: what the matcher gave before it remembered words
    const char* whole;    ///< highlight_whole, the same
};

// snippet-cases-begin
const SnippetCase snippet_cases[] = {
    {"english", {"great", "film"}, {},
     "Great, great, GREAT films! The film's great-looking cast was great; the filming was not. Greatness aside, "
     "the FILM drags in the middle, where nothing great happens for forty minutes and the films it copies are "
     "better. Still a great film.",
     120,
     "[Great], [great], [GREAT] [films]! The [film]'s [great]-looking cast was [great]; the [filming] was "
     "not. [Greatness] aside, the [FILM] drags …",
     "[Great], [great], [GREAT] [films]! The [film]'s [great]-looking cast was [great]; the [filming] was "
     "not. [Greatness] aside, the [FILM] drags in the middle, where nothing [great] happens for forty "
     "minutes and the [films] it copies are better. Still a [great] [film]."},
    {"english", {"terrifying"}, {"terrif", "happy", "happi"},
     "Happy endings? Terrifying! The happiest, most TERRIFIED audience; happily ever after, terrifically.", 240,
     "[Happy] endings? [Terrifying]! The [happiest], most [TERRIFIED] audience; [happily] ever after, [terrifically].",
     "[Happy] endings? [Terrifying]! The [happiest], most [TERRIFIED] audience; [happily] ever after, [terrifically]."},
    {"english", {"sorensen", "cafe", "don"}, {},
     "Anne Sørensen ran the CAFÉ; Sorensen's café, Sørensens. Don't! Dón't, DON'T.", 240,
     "Anne [Sørensen] ran the [CAFÉ]; [Sorensen]'s [café], [Sørensens]. [Don]'t! [Dón]'t, [DON]'T.",
     "Anne [Sørensen] ran the [CAFÉ]; [Sorensen]'s [café], [Sørensens]. [Don]'t! [Dón]'t, [DON]'T."},
    {"english", {"nothing"}, {}, "  \"Gritty\",  bleak\n\nand\tunforgettable:   a 2005_edition of 2005.  ", 240,
     "\"Gritty\", bleak and unforgettable: a 2005_edition of 2005.",
     "  \"Gritty\",  bleak\n\nand\tunforgettable:   a 2005_edition of 2005.  "},
    {"french", {"continuer", "films", "été"}, {},
     "Il continua, continuait; les FILMS du film « continuellement ». L'été, l'ÉTÉ, étés.", 240,
     "Il [continua], [continuait]; les [FILMS] du [film] « continuellement ». L'[été], l'[ÉTÉ], [étés].",
     "Il [continua], [continuait]; les [FILMS] du [film] « continuellement ». L'[été], l'[ÉTÉ], [étés]."},
    {"german", {"häuser", "straße"}, {"haus"},
     "Die Häuser der Strasse, HAUS, Straßen und Hausflure; STRASSE.", 240,
     "Die [Häuser] der [Strasse], [HAUS], [Straßen] und [Hausflure]; [STRASSE].",
     "Die [Häuser] der [Strasse], [HAUS], [Straßen] und [Hausflure]; [STRASSE]."},
    {"russian", {"фильмы"}, {}, "Отличный фильм! Фильмы, ФИЛЬМОВ, фильма; кино.", 240,
     "Отличный [фильм]! [Фильмы], [ФИЛЬМОВ], [фильма]; кино.",
     "Отличный [фильм]! [Фильмы], [ФИЛЬМОВ], [фильма]; кино."},
    {"irish", {"fear", "athair"}, {}, "An bhfear, na fir, fhear, Fear; ár nAthair, t-athair.", 240,
     "An [bhfear], na fir, [fhear], [Fear]; ár nAthair, t-[athair].",
     "An [bhfear], na fir, [fhear], [Fear]; ár nAthair, t-[athair]."},
    {"indonesian", {"makan"}, {}, "Dia memakan, dimakan, makanan, MAKAN, pemakan.", 240,
     "Dia memakan, [dimakan], [makanan], [MAKAN], pemakan.",
     "Dia memakan, [dimakan], [makanan], [MAKAN], pemakan."},
    {"greek", {"ταινία"}, {}, "Μια ταινία, ΤΑΙΝΙΕΣ, ταινίες και ταινιών.", 240,
     "Μια [ταινία], ΤΑΙΝΙΕΣ, ταινίες και [ταινιών].",
     "Μια [ταινία], ΤΑΙΝΙΕΣ, ταινίες και [ταινιών]."},
    {"arabic", {"كتاب"}, {}, "الكتاب كتاب كتابه والكتب", 240,
     "[الكتاب] [كتاب] [كتابه] والكتب",
     "[الكتاب] [كتاب] [كتابه] والكتب"},
};
// snippet-cases-end

}  // namespace

TEST_CASE("snippet: the same snippets and highlights as when each word was stemmed each time, in any language") {
    for (const SnippetCase& row : snippet_cases) {
        CAPTURE(row.language);
        CAPTURE(row.text);
        const Xapian::Stem stemmer = revsearch::make_snowball_stem(row.language);
        const SnippetMatcher matcher = matcher_for(stemmer, row.words, row.wildcards);
        CHECK(revsearch::render_highlights(revsearch::make_snippet(row.text, matcher, row.max_bytes), "[", "]") ==
              row.snippet);
        // The same matcher again (its words remembered), as the hits of a page share it.
        CHECK(revsearch::render_highlights(revsearch::highlight_whole(row.text, matcher), "[", "]") == row.whole);
        CHECK(revsearch::render_highlights(revsearch::make_snippet(row.text, matcher, row.max_bytes), "[", "]") ==
              row.snippet);
    }
}

TEST_CASE("snippet: a remembered word matches what it matched when first seen") {
    for (const SnippetCase& row : snippet_cases) {
        CAPTURE(row.language);
        const Xapian::Stem stemmer = revsearch::make_snowball_stem(row.language);
        const SnippetMatcher shared = matcher_for(stemmer, row.words, row.wildcards);
        const Xapian::Utf8Iterator end;
        for (int pass = 0; pass < 2; ++pass) {
            for (auto word_begin = Xapian::Utf8Iterator(row.text); word_begin != end;) {
                if (!Xapian::Unicode::is_wordchar(*word_begin)) {
                    ++word_begin;
                    continue;
                }
                const char* begin = word_begin.raw();
                while (word_begin != end && Xapian::Unicode::is_wordchar(*word_begin)) ++word_begin;
                const std::string word(begin, word_begin == end ? row.text + std::strlen(row.text) : word_begin.raw());
                CAPTURE(word);
                const std::string expected = key_without_memory(stemmer, row.words, row.wildcards, word);
                CHECK(shared.match(word) == expected);
                const std::size_t id = shared.key_of(word);
                CHECK((id == SnippetMatcher::no_key ? std::string() : shared.key(id)) == expected);
            }
        }
    }
}

TEST_CASE("snippet: words are cut where Xapian's tokenizer cuts them, ASCII and invalid UTF-8 included") {
    // Every ASCII character, alone between two words, and bytes that are no UTF-8.
    SnippetMatcher matcher(Xapian::Query("ab"), english);
    for (int c = 1; c < 0x80; ++c) {
        const std::string text = std::string("ab") + static_cast<char>(c) + "ab";
        CAPTURE(c);
        const std::size_t words = Xapian::Unicode::is_wordchar(static_cast<unsigned>(c)) ? 0 : 2;
        CHECK(revsearch::highlight_whole(text, matcher).highlights.size() == words);
    }
    const std::string invalid = "ab \xff\xfe ab\xc3 \xe2\x82 ab\xe9t\xc3";
    CHECK(revsearch::render_highlights(revsearch::highlight_whole(invalid, matcher), "[", "]") ==
          "[ab] \xff\xfe ab\xc3 \xe2\x82 ab\xe9t\xc3");  // as before the ASCII fast path
}

TEST_CASE("snippet: only English stems are known to keep a word's first byte") {
    CHECK(SnippetMatcher::keeps_first_byte(revsearch::make_snowball_stem("english")));
    CHECK(SnippetMatcher::keeps_first_byte(english));
    for (const char* language : {"porter", "irish", "indonesian", "arabic", "french", "german", "dutch"})
        CHECK_FALSE(SnippetMatcher::keeps_first_byte(revsearch::make_snowball_stem(language)));
    // What the skip relies on, for the words most likely to break it: an initial y, the exceptional forms, words
    // of one to three letters, suffixes alone.
    const Xapian::Stem stemmer = revsearch::make_snowball_stem("english");
    for (const char* word : {"y", "ye", "yes", "yellowing", "yies", "skies", "dying", "lying", "tying", "idly",
                             "gently", "ugly", "early", "only", "singly", "news", "ies", "ied", "ing", "eed",
                             "sses", "s", "ed", "ly", "ations", "érudition", "æsthetically", "ωmega", "日本語"}) {
        CAPTURE(word);
        const std::string stem = stemmer(word);
        CHECK((stem.empty() || stem.front() == word[0]));
    }
}

TEST_CASE("render_highlights shows a text's control characters, its highlights in their places") {
    // What each control becomes: tests/unit/terminal_text_test.cpp.
    const Snippet marked{"a\x1b" "bc\xC2\x96" "d", {{2, 1}, {3, 3}}};
    CHECK(revsearch::render_highlights(marked, "[", "]") == "a\xEF\xBF\xBD[b][c\xE2\x80\x93]d");
}
