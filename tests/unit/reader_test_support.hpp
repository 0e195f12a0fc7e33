#pragma once
// Test helper: run one reader over a string or a fixture file and keep what it produced and reported.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "revsearch/reader.hpp"

namespace reader_test {

inline const std::string fixtures = std::string(REVSEARCH_FIXTURES) + "/";

struct Result {
    std::vector<revsearch::Review> reviews;
    std::vector<revsearch::Problem> problems;

    std::size_t count(revsearch::Severity severity) const {
        std::size_t n = 0;
        for (const auto& problem : problems) n += problem.severity == severity ? 1 : 0;
        return n;
    }
    std::size_t errors() const { return count(revsearch::Severity::error); }
    std::size_t warnings() const { return count(revsearch::Severity::warning); }
    /// Every problem, one a line: what a failing CHECK prints.
    std::string report() const {
        std::string out;
        for (const auto& problem : problems) out += revsearch::format_problem(problem) + "\n";
        return out;
    }
    bool mentions(const std::string& words) const { return report().find(words) != std::string::npos; }
};

inline Result read_stream(revsearch::Format format, std::istream& in, const std::string& name,
                          const revsearch::ReaderOptions& options = {}) {
    Result result;
    auto reader = revsearch::make_reader(
        format, in, name, [&](const revsearch::Problem& problem) { result.problems.push_back(problem); }, options);
    revsearch::Review review;
    while (reader->next(review)) result.reviews.push_back(review);
    return result;
}

inline Result read_text(revsearch::Format format, const std::string& text, const revsearch::ReaderOptions& options = {}) {
    std::istringstream in(text);
    return read_stream(format, in, "test", options);
}

inline Result read_fixture(revsearch::Format format, const std::string& relative_path,
                           const revsearch::ReaderOptions& options = {}) {
    std::ifstream in(fixtures + relative_path, std::ios::binary);
    if (!in) throw std::runtime_error("missing fixture " + relative_path);
    return read_stream(format, in, relative_path, options);
}

}  // namespace reader_test
