#include "revsearch/batch_input.hpp"

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <streambuf>
#include <system_error>

namespace revsearch {

namespace fs = std::filesystem;

namespace {

// Enough for every layout to show its signature (a CSV header, a few JSON lines, a <review> block, an IMDb
// page header) and small enough to hold for every file.
constexpr std::size_t head_bytes = 64 * 1024;

bool is_hidden(const fs::path& path) {
    auto name = path.filename().string();
    return name.size() > 1 && name.front() == '.' && name != "..";
}

void report(const ProblemSink& sink, const std::string& file, std::string message) {
    if (sink) sink(Problem{file, 0, Severity::error, std::move(message)});
}

// Markdown beside the data (README.md, the corpora's PROVENANCE.md) documents a batch and is none: a directory
// walk leaves it out. A .md file named on the command line is still read.
bool is_documentation(const fs::path& path) {
    auto extension = path.extension().string();
    return extension == ".md" || extension == ".MD";
}

bool can_open(const fs::path& path) {
    std::ifstream probe(path, std::ios::binary);
    return probe.is_open();
}

void expand_directory(const fs::path& root, const ProblemSink& sink, std::vector<std::string>& out) {
    std::vector<fs::path> files;
    std::set<fs::path> visited;  // canonical directories: a symlink pointing up is entered once
    std::vector<fs::path> pending = {root};
    while (!pending.empty()) {
        fs::path dir = pending.back();
        pending.pop_back();
        std::error_code ec;
        fs::path canonical = fs::canonical(dir, ec);
        if (ec || !visited.insert(canonical).second) continue;
        fs::directory_iterator it(dir, ec), end;
        if (ec) {
            report(sink, dir.string(), "cannot read directory: " + ec.message());
            continue;
        }
        for (; it != end; it.increment(ec)) {
            if (ec) break;
            const fs::path& path = it->path();
            if (is_hidden(path)) continue;
            std::error_code type_ec;
            if (it->is_directory(type_ec)) {
                pending.push_back(path);
            } else if (it->is_regular_file(type_ec) && !is_documentation(path)) {
                files.push_back(path);
            }
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        if (can_open(file)) {
            out.push_back(file.string());
        } else {
            report(sink, file.string(), "cannot open file");
        }
    }
}

// Serves the head that was read for detection, then the rest of the underlying stream: stdin cannot be
// rewound, so the bytes detection looked at are handed to the reader from memory.
class ChainedBuffer final : public std::streambuf {
public:
    ChainedBuffer(std::string head, std::streambuf* rest) : head_(std::move(head)), rest_(rest) {
        if (!head_.empty()) setg(head_.data(), head_.data(), head_.data() + head_.size());
        bytes_ = head_.size();
    }
    std::size_t bytes() const { return bytes_; }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        if (rest_ == nullptr) return traits_type::eof();
        std::streamsize got = rest_->sgetn(chunk_.data(), static_cast<std::streamsize>(chunk_.size()));
        if (got <= 0) return traits_type::eof();
        bytes_ += static_cast<std::size_t>(got);
        setg(chunk_.data(), chunk_.data(), chunk_.data() + got);
        return traits_type::to_int_type(*gptr());
    }

private:
    std::string head_;
    std::streambuf* rest_;
    std::array<char, 64 * 1024> chunk_{};
    std::size_t bytes_ = 0;
};

std::string read_head(std::streambuf* buffer) {
    std::string head(head_bytes, '\0');
    std::size_t got = 0;
    while (got < head.size()) {
        std::streamsize n = buffer->sgetn(head.data() + got, static_cast<std::streamsize>(head.size() - got));
        if (n <= 0) break;
        got += static_cast<std::size_t>(n);
    }
    head.resize(got);
    return head;
}

}  // namespace

std::vector<std::string> expand_paths(const std::vector<std::string>& paths, const ProblemSink& sink) {
    std::vector<std::string> out;
    for (const auto& path : paths) {
        if (path == "-") {
            out.push_back(path);
            continue;
        }
        std::error_code ec;
        auto status = fs::status(path, ec);
        if (ec || !fs::exists(status)) {
            report(sink, path, "no such file or directory");
        } else if (fs::is_directory(status)) {
            expand_directory(path, sink, out);
        } else if (!can_open(path)) {
            report(sink, path, "cannot open file");
        } else {
            out.push_back(path);
        }
    }
    return out;
}

InputStats read_input(const std::string& path, std::optional<Format> forced, const ReaderOptions& options,
                      const ProblemSink& sink, const std::function<void(Review&&)>& on_review) {
    InputStats stats;
    const bool is_stdin = path == "-";
    const std::string name = is_stdin ? "<stdin>" : path;
    std::ifstream file;
    std::streambuf* source = nullptr;
    if (is_stdin) {
        source = std::cin.rdbuf();
    } else {
        file.open(path, std::ios::binary);
        if (!file.is_open()) {
            report(sink, name, "cannot open file");
            stats.unreadable = true;
            return stats;
        }
        source = file.rdbuf();
    }

    std::string head = read_head(source);
    auto unreadable = [&](std::string message) {
        report(sink, name, std::move(message));
        stats.bytes = head.size();
        stats.unreadable = true;
        return stats;
    };
    if (head.find('\0') != std::string::npos) return unreadable("binary file (NUL bytes), not a review layout");
    std::optional<Format> format = forced;
    if (!format) {
        if (head.find_first_not_of(" \t\r\n") == std::string::npos)
            return unreadable(head.empty() ? "empty file" : "blank file");
        format = detect_format(head, name);
        if (!format) {
            return unreadable("not a review layout this tool knows (imdb, jsonl, mcauley, blitzer, csv); "
                              "use --format to force one");
        }
    }
    stats.format = format;

    // Each reader reports a record once: an error when it is rejected, or its warnings when it is kept.
    std::size_t last_warning_line = 0;
    ProblemSink counting_sink = [&](const Problem& problem) {
        if (problem.severity == Severity::error) {
            if (problem.line > 0) ++stats.rejected;
        } else if (problem.line == 0 || problem.line != last_warning_line) {
            ++stats.warnings;
            last_warning_line = problem.line;
        }
        if (sink) sink(problem);
    };

    ChainedBuffer chained(std::move(head), source);
    std::istream in(&chained);
    auto reader = make_reader(*format, in, name, counting_sink, options);
    Review review;
    for (;;) {
        try {
            if (!reader->next(review)) break;
        } catch (const std::exception& e) {
            // Readers report bad records themselves; what reaches here is an I/O failure (or a bug): the file
            // stops here and the batch goes on. What on_review throws is the caller's and passes through.
            report(sink, name, std::string("reading stopped: ") + e.what());
            break;
        }
        ++stats.records;
        on_review(std::move(review));
        review = Review{};
    }
    stats.bytes = chained.bytes();
    return stats;
}

}  // namespace revsearch
