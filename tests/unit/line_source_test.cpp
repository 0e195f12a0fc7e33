#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "revsearch/line_source.hpp"

namespace {

struct Line {
    std::string text;
    bool truncated;
};

struct Read {
    std::vector<Line> lines;
    std::size_t bytes_read;
};

Read read_all(const std::string& input, std::size_t max_line_bytes) {
    std::istringstream in(input);
    revsearch::LineSource source(in, max_line_bytes);
    Read read;
    std::string line;
    while (source.next(line)) {
        read.lines.push_back({line, source.truncated()});
        CHECK(source.line_number() == read.lines.size());
    }
    CHECK_FALSE(source.next(line));  // the end stays the end
    read.bytes_read = source.bytes_read();
    return read;
}

}  // namespace

TEST_CASE("LineSource: lines without their breaks, long lines cut at the limit and the rest dropped") {
    // Lengths around the size LineSource reads a line in (16,384 bytes) and around the limit.
    const std::string chunk_less_one(16383, 'a');
    const std::string long_line(40000, 'b');
    struct Row {
        std::string input;
        std::size_t max_line_bytes;
        std::vector<Line> expected;
    };
    const Row rows[] = {
        {"", 100, {}},
        {"\n", 100, {{"", false}}},
        {"one\ntwo\n", 100, {{"one", false}, {"two", false}}},
        {"one\ntwo", 100, {{"one", false}, {"two", false}}},  // no break at the end
        {"crlf\r\nnext\r\n", 100, {{"crlf", false}, {"next", false}}},
        {"\n\nthird\n", 100, {{"", false}, {"", false}, {"third", false}}},
        {"abcdefgh\nij\n", 5, {{"abcde", true}, {"ij", false}}},
        {"abcde\n", 5, {{"abcde", false}}},
        {chunk_less_one + "\nx\n", 1u << 20, {{chunk_less_one, false}, {"x", false}}},
        {chunk_less_one, 1u << 20, {{chunk_less_one, false}}},
        {chunk_less_one + "a\nx", 1u << 20, {{chunk_less_one + "a", false}, {"x", false}}},
        {long_line + "\nafter\n", 1u << 20, {{long_line, false}, {"after", false}}},
        {long_line + "\nafter\n", 20000, {{long_line.substr(0, 20000), true}, {"after", false}}},
        {long_line + "\nafter\n", 7, {{"bbbbbbb", true}, {"after", false}}},
        {"a\r", 100, {{"a", false}}},
    };
    for (const Row& row : rows) {
        CAPTURE(row.input.substr(0, 20));
        CAPTURE(row.input.size());
        const Read read = read_all(row.input, row.max_line_bytes);
        REQUIRE(read.lines.size() == row.expected.size());
        for (std::size_t i = 0; i < read.lines.size(); ++i) {
            CHECK(read.lines[i].text == row.expected[i].text);
            CHECK(read.lines[i].truncated == row.expected[i].truncated);
        }
        CHECK(read.bytes_read == row.input.size());
    }
}
