#pragma once
// The body every reader fuzz target shares: the fuzzer's bytes as one batch file in a fixed layout, read to
// the end through the production reader. What is checked is the readers' promise (reader.hpp): bad input
// never crashes, never hangs, and every record either comes out as a Review or is reported as a Problem.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "revsearch/reader.hpp"
#include "revsearch/review.hpp"

namespace revsearch_fuzz {

inline void read_all(revsearch::Format format, const std::uint8_t* data, std::size_t size) {
    // Layout detection sees the same bytes as the head of a file (any answer is fine, no crash is the check).
    (void)revsearch::detect_format(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz-input.txt");
    std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
    revsearch::ReaderOptions options;
    // A small line bound so the fuzzer reaches the "line too long" paths with inputs of a few KB.
    options.max_record_bytes = 4096;
    std::size_t problems = 0;
    auto reader = revsearch::make_reader(format, in, "fuzz-input", [&](const revsearch::Problem& problem) {
        if (problem.message.empty()) std::abort();  // a problem must say what is wrong
        ++problems;
    }, options);
    revsearch::Review review;
    std::size_t records = 0;
    while (reader->next(review)) {
        // What the index stores and revsearch --json prints back: must not throw for anything a reader emits.
        const std::string line = revsearch::to_json_line(review);
        if (revsearch::review_from_json(nlohmann::json::parse(line)).id != review.id) std::abort();
        // Each record consumes input: more records than bytes would mean a reader looping on the same bytes.
        if (++records > size + 1) std::abort();
        review = revsearch::Review{};
    }
    (void)problems;
}

}  // namespace revsearch_fuzz
