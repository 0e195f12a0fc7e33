#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
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
        {chunk_less_one + "\r\nx\n", 1u << 20, {{chunk_less_one, false}, {"x", false}}},  // CRLF across chunks
        {chunk_less_one.substr(1) + "\r\nx", 1u << 20, {{chunk_less_one.substr(1), false}, {"x", false}}},
        {"abcde\r\nx", 5, {{"abcde", true}, {"x", false}}},  // the limit falls on the "\r"
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

namespace {

/// A stream buffer over a text that fails (throws, as a buffer over a broken device may) after `good` bytes.
class FailingBuffer : public std::streambuf {
public:
    FailingBuffer(std::string text, std::size_t good) : text_(std::move(text)), good_(good) {}

protected:
    int_type underflow() override {
        if (gptr() != nullptr && gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (given_ >= good_) throw std::runtime_error("device error");
        const std::size_t size = std::min<std::size_t>(4, good_ - given_);
        setg(text_.data() + given_, text_.data() + given_, text_.data() + given_ + size);
        given_ += size;
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string text_;
    std::size_t good_;
    std::size_t given_ = 0;
};

}  // namespace

TEST_CASE("LineSource: a read that fails is an error, not a short line or the end of the input") {
    FailingBuffer buffer("hello world\nsecond\n", 8);
    std::istream in(&buffer);
    revsearch::LineSource source(in);
    std::string line;
    CHECK_THROWS_AS(source.next(line), std::runtime_error);
}

TEST_CASE("LineSource: a stream handed over in a failed state is read all the same") {
    std::istringstream in("a\nb\n");
    in.setstate(std::ios::failbit);
    revsearch::LineSource source(in);
    std::string line;
    REQUIRE(source.next(line));
    CHECK(line == "a");
    REQUIRE(source.next(line));
    CHECK(line == "b");
    CHECK_FALSE(source.next(line));
}
