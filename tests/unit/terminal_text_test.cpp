#include <doctest/doctest.h>

#include <string>
#include <string_view>

#include "revsearch/problem.hpp"
#include "revsearch/terminal_text.hpp"

TEST_CASE("for_terminal shows control characters instead of sending them") {
    struct Row {
        std::string_view text;
        std::string_view shown;
    };
    const Row rows[] = {
        {"red \x1b[31mtext\x1b[0m", "red \xEF\xBF\xBD[31mtext\xEF\xBF\xBD[0m"},  // ESC: colours, cursor, title
        {"bell\x07 and\rreturn", "bell\xEF\xBF\xBD and\xEF\xBF\xBDreturn"},
        {"tab\tand\nline", "tab\tand\nline"},                                       // kept: layout, not commands
        {"delete\x7f", "delete\xEF\xBF\xBD"},
        {"bitter \xC2\x96 albeit", "bitter \xE2\x80\x93 albeit"},                // U+0096: Windows-1252's en dash
        {"don\xC2\x92t \xC2\x93quoted\xC2\x94", "don\xE2\x80\x99t \xE2\x80\x9Cquoted\xE2\x80\x9D"},
        {"\xC2\x80 \xC2\x9F \xC2\x83", "\xE2\x82\xAC \xC5\xB8 \xC6\x92"},        // two- and three-byte results
        {"csi \xC2\x9B" "31m", "csi \xE2\x80\xBA" "31m"},                        // U+009B CSI: shown as its byte's ›
        {"undefined \xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D",
         "undefined \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
        {"caf\xC3\xA9 \xC2\xA0no-break", "caf\xC3\xA9 \xC2\xA0no-break"},         // U+00A0 and other Latin-1: as is
        {"end\xC2", "end\xC2"},                                                     // a lone lead byte: as it was
        {"", ""},
    };
    for (const Row& row : rows) {
        CAPTURE(row.text);
        CHECK(revsearch::for_terminal(row.text) == row.shown);
    }
}

TEST_CASE("format_problem shows the input it quotes, never sends it to the terminal") {
    const revsearch::Problem problem{"bad\x1b]0;x\x07.jsonl", 3, revsearch::Severity::error,
                                     "not JSON: \"\x1b[2J\xC2\x9B" "2J\""};
    CHECK(revsearch::format_problem(problem) ==
          "bad\xEF\xBF\xBD]0;x\xEF\xBF\xBD.jsonl:3: error: not JSON: \"\xEF\xBF\xBD[2J\xE2\x80\xBA" "2J\"");
}
