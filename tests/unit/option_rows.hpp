#pragma once
// Table-driven tests of a command line: each row is the words after the command's name and either the options
// they parse to, shown as one line by `show` (so that a failure prints both), or "error: PART" for a usage error
// whose message holds PART (revsearch::Error, kind usage).

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "revsearch/error.hpp"

struct OptionRow {
    std::vector<std::string> args;
    std::string expected;
};

template <class Parse, class Show>
void check_option_rows(Parse parse, Show show, const std::vector<OptionRow>& rows) {
    for (const auto& row : rows) {
        CAPTURE(fmt::format("{}", fmt::join(row.args, " ")));
        if (row.expected.starts_with("error: ")) {
            try {
                parse(row.args);
                FAIL("no error, expected " << row.expected);
            } catch (const revsearch::Error& e) {
                CHECK(e.kind() == revsearch::ErrorKind::usage);
                CHECK_MESSAGE(std::string(e.what()).find(row.expected.substr(7)) != std::string::npos, e.what());
            }
        } else {
            CHECK(show(parse(row.args)) == row.expected);
        }
    }
}
