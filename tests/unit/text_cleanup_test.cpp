#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "revsearch/text_cleanup.hpp"

namespace {

struct Row {
    std::string_view input;
    std::string_view expected;
};

}  // namespace

TEST_CASE("repair_utf8 replaces each maximal ill-formed subpart with U+FFFD") {
    struct RepairRow {
        std::string_view input;
        std::string_view expected;
        bool changed;
    };
    const RepairRow rows[] = {
        {"plain ascii", "plain ascii", false},
        {"Anne S\xC3\xB8rensen", "Anne S\xC3\xB8rensen", false},           // valid 2-byte
        {"\xF0\x9F\x8E\xAC film", "\xF0\x9F\x8E\xAC film", false},         // valid 4-byte
        {"S\xF8rensen", "S\xEF\xBF\xBDrensen", true},                       // Latin-1 byte
        {"a\xE2\x82z", "a\xEF\xBF\xBDz", true},                             // truncated 3-byte: one U+FFFD
        {"\xFF\xFE", "\xEF\xBF\xBD\xEF\xBF\xBD", true},                     // two bytes never valid: two
        {"\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", true},     // a surrogate is not UTF-8
        {"\xC0\xAF", "\xEF\xBF\xBD\xEF\xBF\xBD", true},                     // overlong "/"
        {"end\xC3", "end\xEF\xBF\xBD", true},                               // cut at the end
        {"", "", false},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        std::string text(row.input);
        CHECK(revsearch::repair_utf8(text) == row.changed);
        CHECK(text == row.expected);
    }
}

TEST_CASE("decode_entities: named from libxml2's table, numeric decoded, the rest left alone") {
    const Row rows[] = {
        {"Tom &amp; Jerry", "Tom & Jerry"},
        {"&lt;b&gt;", "<b>"},
        {"&quot;Smeden&quot;", "\"Smeden\""},
        {"Sorensen &eacute;t&eacute;", "Sorensen \xC3\xA9t\xC3\xA9"},
        {"a&nbsp;b", "a\xC2\xA0" "b"},
        {"don&#39;t", "don't"},
        {"don&#x27;t &#X27;", "don't '"},
        {"&#8212;", "\xE2\x80\x94"},
        {"it&#146;s", "it\xE2\x80\x99s"},            // Windows-1252 apostrophe, as HTML5 maps it
        {"&#0; &#xD800; &#x110000;", "\xEF\xBF\xBD \xEF\xBF\xBD \xEF\xBF\xBD"},
        {"AT&T and R&D", "AT&T and R&D"},            // bare '&'
        {"&unknown; &amp", "&unknown; &amp"},        // unknown name, no ';'
        {"&#; &#x; &#12a;", "&#; &#x; &#12a;"},      // not numbers
        {"&;", "&;"},
        {"&amp;amp;", "&amp;"},                      // decoded once, not repeatedly
        {"&", "&"},
        {"&amp;&amp;&", "&&&"},                      // entities side by side, a bare '&' last
        {"a&#39;b&unknown;c&amp;", "a'b&unknown;c&"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        CHECK(revsearch::decode_entities(row.input) == row.expected);
    }
}

TEST_CASE("strip_html: line breaks from <br> and <p>, other tags dropped, text with '<' kept") {
    const Row rows[] = {
        {"one<br />two", "one\ntwo"},
        {"one<br>two<BR/>three", "one\ntwo\nthree"},
        {"para one.<br /><br />para two.", "para one.\n\npara two."},  // aclImdb's paragraph break
        {"<p>first</p><p>second</p>", "\n\nfirst\n\n\n\nsecond\n\n"},
        {"<i>Pusher</i> II", "Pusher II"},
        {"<a href=\"x\">link</a>", "link"},
        {"a <!-- note --> b", "a  b"},
        {"a < b and c > d", "a < b and c > d"},
        {"I <3 it", "I <3 it"},
        {"x <b unclosed", "x <b unclosed"},
        {"a <b and c <i>d</i>", "a <b and c d"},
        {"&lt;i&gt;not a tag&lt;/i&gt;", "<i>not a tag</i>"},  // entities decoded after tags go
        {"Tom &amp; <b>Jerry</b>", "Tom & Jerry"},
        {"<", "<"},
        {"a<", "a<"},
        {"<<br>", "<\n"},                             // a '<' of text just before a tag
        {"x<br>y<p>z</p>", "x\ny\n\nz\n\n"},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        CHECK(revsearch::strip_html(row.input) == row.expected);
    }
}

TEST_CASE("normalise_whitespace: spaces collapse, lines trimmed, one blank line between paragraphs") {
    const Row rows[] = {
        {"  a   b\tc  ", "a b c"},
        {"a\nb", "a\nb"},
        {"a\n\nb", "a\n\nb"},
        {"a\n\n\n\nb", "a\n\nb"},
        {"a\n   \n\t\nb", "a\n\nb"},
        {"\n\n  a\n\n", "a"},
        {"a\r\nb\rc", "a\nb\nc"},
        {"a\xC2\xA0\xC2\xA0" "b", "a b"},  // no-break spaces separate words like spaces
        {"S\xC3\xB8rensen", "S\xC3\xB8rensen"},
        {"", ""},
        {" \n \n ", ""},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        CHECK(revsearch::normalise_whitespace(row.input) == row.expected);
    }
}

namespace {

/// normalise_whitespace as its comment in text_cleanup.hpp states it, written as plainly as possible: split into
/// lines, split each line into words at horizontal spaces (U+00A0 included), join the words with one space, and
/// join the non-blank lines with one line break, or a blank line where blank lines stood between them.
std::string whitespace_as_specified(std::string_view text) {
    std::vector<std::string> lines(1);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
        if (text[i] == '\r' || text[i] == '\n')
            lines.emplace_back();
        else
            lines.back() += text[i];
    }
    std::string out;
    bool blank_between = false;
    for (const std::string& line : lines) {
        std::vector<std::string> words(1);
        for (std::size_t i = 0; i < line.size(); ++i) {
            const bool nbsp = line.compare(i, 2, "\xC2\xA0") == 0;
            if (nbsp || line[i] == ' ' || line[i] == '\t' || line[i] == '\v' || line[i] == '\f') {
                if (!words.back().empty()) words.emplace_back();
                if (nbsp) ++i;
            } else {
                words.back() += line[i];
            }
        }
        std::string joined;
        for (const std::string& word : words)
            if (!word.empty()) joined += (joined.empty() ? "" : " ") + word;
        if (joined.empty()) {
            blank_between = !out.empty();
            continue;
        }
        if (!out.empty()) out += blank_between ? "\n\n" : "\n";
        out += joined;
        blank_between = false;
    }
    return out;
}

}  // namespace

TEST_CASE("normalise_whitespace equals its specification on random mixes of text, spaces and line breaks") {
    const std::string_view pieces[] = {"a", "bc", "\xC3\xA9", " ", "  ", "\t", "\v", "\f", "\n", "\r",
                                       "\r\n", "\xC2\xA0", "\xC2", "\xA0", "\xC2\xC2\xA0", "x\xC2"};
    std::uint64_t state = 0x9E3779B97F4A7C15u;  // a fixed seed: the same cases every run
    const auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    std::size_t mismatches = 0;
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        for (std::uint64_t n = next() % 14; n > 0; --n) text += pieces[next() % std::size(pieces)];
        if (revsearch::normalise_whitespace(text) == whitespace_as_specified(text)) continue;
        if (++mismatches <= 5) FAIL_CHECK("differs for \"" << text << '"');
    }
    CHECK(mismatches == 0);
}

TEST_CASE("clean_text: the whole pipeline, reporting repairs") {
    struct CleanRow {
        std::string_view input;
        std::string_view expected;
        bool repaired;
    };
    const CleanRow rows[] = {
        {"Great film.<br /><br />  Go   see it!  ", "Great film.\n\nGo see it!", false},
        {"<p>One</p>\n<p>Two &amp; three</p>", "One\n\nTwo & three", false},
        {"Drasb\xE6k", "Drasb\xEF\xBF\xBDk", true},
        {"para\n\n\n\npara", "para\n\npara", false},
        {"   ", "", false},
    };
    for (const auto& row : rows) {
        CAPTURE(row.input);
        bool repaired = !row.repaired;
        CHECK(revsearch::clean_text(row.input, &repaired) == row.expected);
        CHECK(repaired == row.repaired);
    }
    CHECK(revsearch::clean_text("no flag wanted") == "no flag wanted");
}
