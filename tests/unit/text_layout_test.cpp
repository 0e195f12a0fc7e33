#include <doctest/doctest.h>

#include <string>
#include <string_view>
#include <vector>

#include "revsearch/text_layout.hpp"

using namespace revsearch;

namespace {

std::vector<std::string> wrapped(std::string_view text, std::size_t width) {
    std::vector<std::string> lines;
    for (const auto& line : wrap_lines(text, width)) lines.emplace_back(text.substr(line.begin, line.end - line.begin));
    return lines;
}

}  // namespace

TEST_CASE("display_width counts columns: wide characters two, combining marks none") {
    struct Case {
        std::string_view text;
        std::size_t columns;
    };
    const Case cases[] = {
        {"", 0},
        {"Pusher II", 9},
        {"Sørensen", 8},
        {"Sørensen", 8},  // o + combining stroke
        {"e\xcc\x81t\xc3\xa9", 3},  // e + combining acute, t, é
        {"映画", 4},
        {"ｆｕｌｌ", 8},  // full-width Latin
        {"—…·", 3},
        {"\xff" "ab", 3},  // an invalid byte counts as one replacement character
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(display_width(c.text) == c.columns);
    }
}

TEST_CASE("wrap_lines breaks at word boundaries, never inside a word") {
    struct Case {
        std::string_view text;
        std::size_t width;
        std::vector<std::string> lines;
    };
    const std::vector<Case> cases = {
        {"", 10, {}},
        {"short", 10, {"short"}},
        {"one line of text", 0, {"one line of text"}},
        {"a disturbing film about heroin", 12, {"a disturbing", "film about", "heroin"}},
        {"a disturbing film", 11, {"a", "disturbing", "film"}},
        {"lift-drag ratio", 6, {"lift-", "drag", "ratio"}},
        {"trailing spaces   ", 9, {"trailing", "spaces"}},
        {"  leading", 20, {"  leading"}},
        {"abcdefghij", 4, {"abcd", "efgh", "ij"}},  // a word wider than the line is cut at characters
        {"Sørensen Sørensen", 8, {"Sørensen", "Sørensen"}},
        {"映画映画映画", 5, {"映画", "映画", "映画"}},  // CJK may break between ideographs, two columns each
        {"x", 1, {"x"}},
        {"映", 1, {"映"}},  // wider than the line: still one character a line, never an empty line
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CAPTURE(c.width);
        CHECK(wrapped(c.text, c.width) == c.lines);
    }
}

TEST_CASE("wrap_lines: no line is wider than asked, and no text is lost") {
    const std::string text =
        "Nicolas Winding Refn's Pusher 1-3 is my favorite trilogy of danish film history. The story-line: "
        "Small-time gangster Tonny (Mads Mikkelsen) is released from prison, but gets hired by his father "
        "\"Smeden\" (Leif Sylvester).";
    for (std::size_t width : {1, 7, 20, 40, 79, 200}) {
        CAPTURE(width);
        std::string rejoined;
        for (const auto& line : wrap_lines(text, width)) {
            const std::string_view part = std::string_view(text).substr(line.begin, line.end - line.begin);
            CHECK(display_width(part) <= width);
            rejoined += part;
        }
        std::string without_spaces;
        for (char c : text)
            if (c != ' ') without_spaces += c;
        std::string rejoined_without_spaces;
        for (char c : rejoined)
            if (c != ' ') rejoined_without_spaces += c;
        CHECK(rejoined_without_spaces == without_spaces);
    }
}

TEST_CASE("shorten keeps what fits and marks the cut") {
    struct Case {
        std::string_view text;
        std::size_t width;
        std::string_view shortened;
    };
    const Case cases[] = {
        {"Pusher II", 9, "Pusher II"},
        {"Pusher II", 20, "Pusher II"},
        {"Pusher II: Blod på hænderne", 12, "Pusher II:…"},
        {"Supercalifragilistic", 6, "Super…"},
        {"映画映画", 5, "映画…"},
        {"abc", 0, "…"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.text);
        CHECK(shorten(c.text, c.width) == c.shortened);
        if (c.width > 0) CHECK(display_width(shorten(c.text, c.width)) <= c.width);
    }
}
