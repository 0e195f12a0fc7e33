#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "revsearch/batch_input.hpp"
#include "revsearch/batch_ledger.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using revsearch::Format;
using revsearch::Problem;
using revsearch::Review;

namespace {

const std::string fixtures = std::string(REVSEARCH_FIXTURES) + "/";

struct Collected {
    std::vector<Review> reviews;
    std::vector<Problem> problems;
    revsearch::InputStats stats;
};

Collected read(const std::string& path, std::optional<Format> forced = std::nullopt) {
    Collected out;
    out.stats = revsearch::read_input(
        path, forced, {}, [&](const Problem& problem) { out.problems.push_back(problem); },
        [&](Review&& review) { out.reviews.push_back(std::move(review)); });
    return out;
}

// A scratch directory removed at the end of the test.
}  // namespace

TEST_CASE("read_input detects each fixture's layout and counts what it read") {
    struct Case {
        std::string file;
        Format format;
        std::size_t records, rejected, warnings;
    };
    const Case cases[] = {
        {"blitzer/books-positive-sample.review", Format::blitzer, 5, 0, 0},
        {"mcauley/all-beauty-sample.json", Format::mcauley, 6, 0, 1},
        {"csv/fine-food-sample.csv", Format::csv, 5, 0, 0},
        {"jsonl/canonical-sample.jsonl", Format::jsonl, 4, 0, 0},
        {"broken/mcauley-bad-records.json", Format::mcauley, 5, 3, 4},
        {"broken/csv-missing-column.csv", Format::csv, 2, 1, 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.file);
        auto result = read(fixtures + c.file);
        CHECK(result.stats.format == c.format);
        CHECK(result.stats.records == c.records);
        CHECK(result.reviews.size() == c.records);
        CHECK(result.stats.rejected == c.rejected);
        CHECK(result.stats.warnings == c.warnings);
        CHECK(result.stats.bytes == fs::file_size(fixtures + c.file));
        CHECK_FALSE(result.stats.unreadable);
    }
}

TEST_CASE("read_input: files that are no review layout are one error with line 0") {
    const char* files[] = {"broken/empty.jsonl", "broken/blank.txt", "broken/binary.dat",
                           "broken/not-a-review-layout.txt", "no/such/file.csv"};
    for (const char* file : files) {
        CAPTURE(file);
        auto result = read(fixtures + file);
        CHECK(result.stats.unreadable);
        CHECK_FALSE(result.stats.format.has_value());
        CHECK(result.reviews.empty());
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].line == 0);
        CHECK(result.problems[0].severity == revsearch::Severity::error);
    }
    // Binary stays refused even when a layout is forced; an empty file forced to a layout is just empty.
    CHECK(read(fixtures + "broken/binary.dat", Format::csv).stats.unreadable);
    auto forced_empty = read(fixtures + "broken/empty.jsonl", Format::jsonl);
    CHECK_FALSE(forced_empty.stats.unreadable);
    CHECK(forced_empty.problems.empty());
}

TEST_CASE("read_input names compressed files and executables, and hints at --json-map for JSON without a body") {
    TempDir dir("kinds");
    struct Case {
        const char* name;
        std::string bytes;
        const char* says;
    };
    const Case cases[] = {
        {"a.jsonl.gz", std::string("\x1f\x8b\x08\x00\x00\x00\x00\x00", 8), "gzip-compressed file: decompress it first"},
        {"a.bz2", std::string("BZh91AY&SY\0\0", 12), "bzip2-compressed file"},
        {"a.xz", std::string("\xfd" "7zXZ\0\0\0", 9), "xz-compressed file"},
        {"a.zst", std::string("\x28\xb5\x2f\xfd\0", 5), "zstd-compressed file"},
        {"a.zip", std::string("PK\x03\x04\0\0", 6), "zip archive"},
        {"tool", std::string("\x7f" "ELF\x02\x01\x01\0", 8), "executable (ELF)"},
        {"queries.json", "{\"id\": 1, \"query\": \"q\"}\n", "JSON lines without a \"body\" key (the first record has "
                                                         "the keys \"id\", \"query\"): name the body's key with --json-map"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.name);
        const fs::path file = dir.path / c.name;
        std::ofstream(file, std::ios::binary) << c.bytes;
        auto result = read(file.string());
        CHECK(result.stats.unreadable);
        REQUIRE(result.problems.size() == 1);
        CHECK(result.problems[0].line == 0);
        CHECK(result.problems[0].message.find(c.says) != std::string::npos);
    }
    // With --json-map, JSON lines of one's own are read as canonical ones.
    revsearch::ReaderOptions options;
    options.json = revsearch::JsonMapping::parse("body=query");
    std::vector<Review> reviews;
    auto stats = revsearch::read_input((dir.path / "queries.json").string(), std::nullopt, options, {},
                                       [&](Review&& review) { reviews.push_back(std::move(review)); });
    CHECK(stats.format == Format::jsonl);
    REQUIRE(reviews.size() == 1);
    CHECK(reviews[0].body == "q");
}

TEST_CASE("read_input: --format forces a layout over detection") {
    auto as_jsonl = read(fixtures + "mcauley/all-beauty-sample.json", Format::jsonl);
    CHECK(as_jsonl.stats.format == Format::jsonl);
    CHECK(as_jsonl.reviews.empty());  // McAuley records have no "body"
    CHECK(as_jsonl.stats.rejected == 6);
}

TEST_CASE("read_input: a file larger than the detection window loses none of its head") {
    // The head read for detection (64 KB) is handed to the reader before the rest of the stream.
    TempDir dir;
    std::string text;
    for (int i = 0; i < 3000; ++i) text += R"({"body": "review number )" + std::to_string(i) + " padding padding\"}\n";
    REQUIRE(text.size() > 100 * 1024);
    dir.write("big.jsonl", text);
    auto result = read((dir.path / "big.jsonl").string());
    REQUIRE(result.reviews.size() == 3000);
    CHECK(result.reviews.front().body == "review number 0 padding padding");
    CHECK(result.reviews.back().body == "review number 2999 padding padding");
    CHECK(result.stats.bytes == text.size());
}

TEST_CASE("read_input reads standard input through \"-\"") {
    std::istringstream fake_stdin("<review>\n<unique_id>\nA\n</unique_id>\n<review_text>\nFrom stdin\n</review_text>\n</review>\n");
    auto* saved = std::cin.rdbuf(fake_stdin.rdbuf());
    auto result = read("-");
    std::cin.rdbuf(saved);
    CHECK(result.stats.format == Format::blitzer);
    REQUIRE(result.reviews.size() == 1);
    CHECK(result.reviews[0].body == "From stdin");
    CHECK(result.reviews[0].source == "<stdin>:1");
}

TEST_CASE("expand_paths: files, directories in name order without hidden entries, stdin, missing paths") {
    TempDir dir;
    dir.write("b/2.csv", "x");
    dir.write("b/1.json", "x");
    dir.write("a.review", "x");
    dir.write(".hidden/secret.csv", "x");
    dir.write("b/.swap", "x");
    dir.write("b/README.md", "x");  // documentation beside the data
    fs::create_directory_symlink(dir.path, dir.path / "b" / "loop");  // must not recurse forever

    std::vector<Problem> problems;
    auto files = revsearch::expand_paths(
        {dir.path.string(), "-", (dir.path / "a.review").string(), (dir.path / "missing").string()},
        [&](const Problem& problem) { problems.push_back(problem); });
    const std::vector<std::string> expected = {
        (dir.path / "a.review").string(), (dir.path / "b" / "1.json").string(), (dir.path / "b" / "2.csv").string(),
        "-", (dir.path / "a.review").string()};
    CHECK(files == expected);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].file == (dir.path / "missing").string());
    CHECK(problems[0].line == 0);
}

TEST_CASE("read_input hashes the bytes it parsed, copies them when asked, and marks a whole file unchanged") {
    TempDir dir("hash-once");
    const fs::path file = dir.path / "batch.jsonl";
    {
        std::ofstream out(file, std::ios::binary);
        out << R"({"id":"a","body":"first review text"})" << "\n" << R"({"id":"b","body":"second review text"})";
    }
    std::ostringstream copy;
    const auto stats = revsearch::read_input(file.string(), std::nullopt, {}, {}, [](Review&&) {}, &copy);
    CHECK(stats.records == 2);
    CHECK(stats.hash == revsearch::file_content_hash(file.string()));
    CHECK(copy.str().size() == fs::file_size(file));
    CHECK_FALSE(stats.changed);
    CHECK(stats.signature == revsearch::file_signature(file.string()));
}

TEST_CASE("streams are told from files by name and by type") {
    TempDir dir("streams");
    const fs::path file = dir.path / "batch.jsonl";
    std::ofstream(file) << "{}\n";
    struct Case {
        std::string path;
        bool stream;
    };
    for (const Case& c : {Case{"-", true}, Case{"/dev/stdin", true}, Case{"/dev/fd/63", true},
                          Case{"/proc/self/fd/0", true}, Case{"/dev/null", true}, Case{file.string(), false}}) {
        CAPTURE(c.path);
        CHECK(revsearch::is_stream_input(c.path) == c.stream);
    }
    std::vector<std::string> refused;
    const auto files = revsearch::expand_paths({"/dev/zero", file.string(), dir.path.string()},
                                               [&](const Problem& problem) { refused.push_back(problem.file); },
                                               dir.path.string());
    CHECK(files == std::vector<std::string>{});
    CHECK(refused.size() == 3);  // the device, a file inside the excluded directory, the directory itself
}
